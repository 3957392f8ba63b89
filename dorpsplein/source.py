"""Reading a Markdown source as staff wrote it: metadata header with line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# Python-Markdown's meta extension: "Key: value", continuation lines indented.
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
META_MORE_RE = re.compile(r"^(?:[ ]{4}|\t)\s*(?P<value>.*)$")


@dataclass
class Field:
    name: str  # as written, e.g. "Image_alt"
    value: str
    line: int


@dataclass
class SourceFile:
    path: Path
    lines: list[str] = field(default_factory=list)
    meta: dict[str, Field] = field(default_factory=dict)  # by lower-case key; the first of a repeated one
    repeated: list[tuple[Field, Field]] = field(default_factory=list)  # (first, again) for a key written twice
    body_start: int = 0  # index into lines
    error: str | None = None
    error_line: int = 1

    def body_lines(self):
        """(line number, text) for every line after the metadata header."""
        for index in range(self.body_start, len(self.lines)):
            yield index + 1, self.lines[index]


def read_source(path: Path) -> SourceFile:
    source = SourceFile(path)
    data = path.read_bytes()
    if not data.strip():
        source.error = "file is empty; give it at least a Title and some text"
        return source
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        source.error = (f"not UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
                        "save the file with UTF-8 encoding")
        source.error_line = line
        return source
    source.lines = text.splitlines()
    _parse_header(source)
    return source


def _parse_header(source: SourceFile) -> None:
    last = None
    index = 0
    for index, line in enumerate(source.lines):
        if not line.strip():
            source.body_start = index + 1
            return
        match = META_RE.match(line)
        if match:
            last = Field(match["key"], match["value"].strip(), index + 1)
            first = source.meta.setdefault(match["key"].lower(), last)
            if first is not last:
                source.repeated.append((first, last))
        elif last is not None and (more := META_MORE_RE.match(line)):
            last.value = f"{last.value} {more['value'].strip()}".strip()
        else:
            source.body_start = index
            return
    source.body_start = len(source.lines)
