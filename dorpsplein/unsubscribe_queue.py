"""Unsubscribes the database could not take, kept on local disk until it can.

A one-click unsubscribe must never be lost: when the database is busy for too long, full, or
unreachable, the forms service appends the request here (one JSON line, fsynced, under an
exclusive lock) and answers the person at once. The queue is applied, oldest first, as soon as the
database takes writes again: by the service's next unsubscribe or health check, by `forms prune`,
and by `newsletter send`, which refuses to start while anything is left in it, so nobody who
unsubscribed gets the next edition. Applying is idempotent; the file is emptied only after every
line was written to the database.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from .errors import DorpspleinError

logger = logging.getLogger(__name__)
VARIABLE = "DORPSPLEIN_UNSUBSCRIBE_QUEUE"


def queue_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Beside the default database, outside the repository (it holds subscriber keys, not addresses)."""
    if environ.get(VARIABLE):
        return Path(environ[VARIABLE])
    data_home = Path(environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "dorpsplein" / "unsubscribe-queue.jsonl"


@contextmanager
def _locked(path: Path, flags: int) -> Iterator[int]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, flags | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # the service's threads and processes, and a sender applying it
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def append(path: Path, key: str, at: datetime) -> None:
    """Keep one unsubscribe on disk before the person is told it worked."""
    line = json.dumps({"key": key, "at": at.isoformat()}, separators=(",", ":")) + "\n"
    with _locked(path, os.O_WRONLY | os.O_APPEND) as fd:
        os.write(fd, line.encode())
        os.fsync(fd)


def waiting(path: Path) -> int:
    """How many unsubscribes wait in the queue (0 when there is none)."""
    try:
        return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    except FileNotFoundError:
        return 0


def _entries(path: Path, text: str) -> list[tuple[str, datetime]]:
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            entries.append((str(data["key"]), datetime.fromisoformat(data["at"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise DorpspleinError(f"{path}:{number}: not an unsubscribe entry ({exc}); "
                                  "fix or remove the line") from None
    return entries


def apply(path: Path, engine: Engine, unsubscribe: Callable[[Engine, str, datetime], object]) -> int:
    """Write every queued unsubscribe to the database, then empty the queue; returns how many were applied.

    Raises DorpspleinError (the queue kept whole) when the database still cannot take them.
    """
    if not waiting(path):
        return 0
    with _locked(path, os.O_RDWR) as fd:
        with os.fdopen(os.dup(fd), "r", encoding="utf-8") as handle:
            entries = _entries(path, handle.read())
        try:
            for key, at in entries:
                unsubscribe(engine, key, at)
        except Exception as exc:
            raise DorpspleinError(f"{path}: {len(entries)} unsubscribe(s) wait for the database, which cannot take "
                                  f"them yet ({exc}); nothing is lost, they are applied on the next try") from None
        os.ftruncate(fd, 0)
        os.fsync(fd)
    if entries:
        logger.info("applied %d queued unsubscribe(s) from %s", len(entries), path)
    return len(entries)
