"""Log files as the analysis sees them: identity, order, and streaming lines from an offset.

A file's identity is the fingerprint of its first line (plus inode as a tie-breaker), not its
name: logrotate renames access.log to access.log.1 and later gzips it to access.log.2.gz, and
all three are the same lines. The fingerprint leaves out the client address and user agent, so
nothing personal is kept even in hashed form.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DorpspleinError
from .logline import COMBINED, sort_key

READ_CHUNK = 1 << 20


@dataclass
class LogFile:
    path: Path
    compressed: bool
    device: int
    inode: int
    size: int           # bytes on disk (compressed size for .gz)
    fingerprint: str | None  # None for an empty file
    first_time: str | None   # sortable UTC time of the first line, when it parses
    length: int | None = None  # uncompressed bytes of a .gz file (read to its end: it is whole)


def _open(path: Path, compressed: bool):
    return gzip.open(path, "rb") if compressed else open(path, "rb", buffering=READ_CHUNK)


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def fingerprint(first_line: bytes) -> str:
    """A hash of the first line without its client address and user agent (the personal parts)."""
    line = first_line.rstrip(b"\r\n")
    _, _, rest = line.partition(b" ")
    if rest.endswith(b'"'):
        rest = rest[: rest.rfind(b'"', 0, len(rest) - 1)]
    return hashlib.sha256(b"%d:" % len(line) + rest).hexdigest()[:32]


def inspect(path: Path) -> LogFile:
    """Identity and first timestamp of a log file, or a DorpspleinError naming it.

    A .gz file is read to its end here: one that is truncated or corrupt is refused as a whole
    before any of its lines is counted (the caller skips it), and one read before is not read again.
    """
    path = Path(path)
    length = None
    try:
        stat = path.stat()
        compressed = is_gzip(path)
        with _open(path, compressed) as handle:
            first = handle.readline()
            if compressed:
                length = len(first)
                while chunk := handle.read(READ_CHUNK):
                    length += len(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DorpspleinError(f"{path}: cannot read log: {reason}") from None
    match = COMBINED.match(first.rstrip(b"\r\n")) if first else None
    return LogFile(path=path.resolve(), compressed=compressed, device=stat.st_dev, inode=stat.st_ino,
                   size=stat.st_size, fingerprint=fingerprint(first) if first else None,
                   first_time=sort_key(match[2]) if match else None, length=length)


def in_time_order(files: list[LogFile]) -> list[LogFile]:
    """Oldest first by first line, so access.log.2.gz, access.log.1, access.log whatever the names."""
    return sorted(files, key=lambda f: (f.first_time is None, f.first_time or "", str(f.path)))


def batches_from(log: LogFile, offset: int) -> Iterator[list[bytes]]:
    """Every complete line from `offset` on, in lists of about a megabyte (fewer calls per line).

    In a plain file a last line without newline is still being written: it is left for the next
    run. In a .gz file the last line is complete.
    """
    if log.length is not None and offset >= log.length:
        return  # a .gz file read to its end before
    try:
        with _open(log.path, log.compressed) as handle:
            if offset:
                if log.compressed:
                    _skip(handle, offset)
                else:
                    handle.seek(offset)
            while batch := handle.readlines(READ_CHUNK):
                if not batch[-1].endswith(b"\n") and not log.compressed:
                    batch.pop()
                    if batch:
                        yield batch
                    return
                yield batch
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DorpspleinError(f"{log.path}: cannot read log: {reason}") from None


def _skip(handle, count: int) -> None:
    while count:
        chunk = handle.read(min(count, READ_CHUNK))
        if not chunk:
            return
        count -= len(chunk)
