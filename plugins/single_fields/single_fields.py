"""Every metadata field we know is written once: a second `Title:` line is a warning naming the
file, and the first value is kept.

Pelican keeps the first value, with a warning, only for the fields it lists in
`pelican.readers.DUPLICATES_DEFINITIONS_ALLOWED` (tags, date, slug …). Any other field written
twice becomes a list, and a list as a title breaks templates and feeds far from the file
("TypeError: Argument must be bytes or unicode, got 'list'"). This plugin adds our fields to
that list, so Pelican says which file it is and a production build stops on it.
"""

from __future__ import annotations

from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED

from dorpsplein.metadata import KNOWN_KEYS


def register():
    for key in KNOWN_KEYS:
        DUPLICATES_DEFINITIONS_ALLOWED.setdefault(key, False)
