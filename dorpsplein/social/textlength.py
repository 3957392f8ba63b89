"""How long a post is, the way each network counts it.

Both networks count user-perceived characters (extended grapheme clusters, Unicode UAX #29):
"é" written as e + combining accent is one, a family emoji joined by zero-width joiners is one,
a flag (two regional indicators) is one. Mastodon also counts every URL as 23 and a mention
`@user@server` as `@user`. Python's standard library has no grapheme segmentation, so this
implements the rules that matter for text in Latin script with emoji (not Hangul syllables).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

MASTODON_LIMIT = 500
MASTODON_URL_LENGTH = 23
BLUESKY_LIMIT = 300

URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'’”]")
MENTION_RE = re.compile(r"(?<![\w@])(@\w+)@[\w.-]+\w")
ZWJ = "\u200d"
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@functools.lru_cache(maxsize=8192)
def _extends(char: str) -> bool:
    """A character that belongs to the cluster before it."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char == ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors (emoji vs text style)
        or 0x1F3FB <= code <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
        or 0xE0100 <= code <= 0xE01EF
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def graphemes(text: str) -> Iterator[str]:
    """The extended grapheme clusters of `text`, in order."""
    cluster = ""
    regional_run = 0
    for char in text:
        if cluster and (
            _extends(char)
            or cluster.endswith(ZWJ)
            or (cluster == "\r" and char == "\n")
            or (_regional(char) and regional_run % 2 == 1)
        ):
            cluster += char
        else:
            if cluster:
                yield cluster
            cluster = char
        regional_run = regional_run + 1 if _regional(char) else 0
    if cluster:
        yield cluster


def _ascii_length(text: str) -> int:
    return len(text) - text.count("\r\n")  # in ASCII one character is one grapheme, except CR LF


def grapheme_length(text: str) -> int:
    """Graphemes in `text`; only the non-ASCII runs (with the character before each) take the slow path."""
    if text.isascii():
        return _ascii_length(text)
    total, last = 0, 0
    for match in _NON_ASCII.finditer(text):
        before = text[last:match.start()]
        if before:  # the run may attach to the character before it (e.g. a combining accent)
            total += _ascii_length(before) - 1 + sum(1 for _ in graphemes(before[-1] + match.group()))
        else:
            total += sum(1 for _ in graphemes(match.group()))
        last = match.end()
    return total + _ascii_length(text[last:])


def bluesky_length(text: str) -> int:
    return grapheme_length(text)


def mastodon_length(text: str) -> int:
    """Mastodon's count: URLs as 23 characters, remote mentions without their server."""
    text = MENTION_RE.sub(r"\1", text)
    urls = URL_RE.findall(text)
    return grapheme_length(URL_RE.sub("", text)) + MASTODON_URL_LENGTH * len(urls)


def truncate(text: str, budget: int, length=grapheme_length, ellipsis: str = "…") -> str:
    """The longest start of `text` that ends on a word boundary and fits `budget` with "…" after it.

    Words (including URLs) are never cut; only a single word longer than the whole budget is cut
    by graphemes, and a URL in that position is dropped instead.
    """
    if length(text) <= budget:
        return text
    tokens = re.split(r"(\s+)", text.strip())  # words at even, whitespace at odd positions
    # Lengths add up over tokens (no grapheme or URL spans whitespace), so one pass finds the cut.
    room, used, words = budget - length(ellipsis), 0, 0
    for index in range(0, len(tokens), 2):
        used += length(tokens[index]) + (length(tokens[index - 1]) if index else 0)
        if used > room:
            break
        words = index + 1
    if words:
        return "".join(tokens[:words]).rstrip().rstrip(",;:-–").rstrip() + ellipsis
    first = tokens[0]
    if URL_RE.match(first) or budget <= len(ellipsis):
        return ellipsis if budget >= len(ellipsis) else ""
    kept = ""
    for cluster in graphemes(first):
        if length(kept + cluster + ellipsis) > budget:
            break
        kept += cluster
    return kept + ellipsis
