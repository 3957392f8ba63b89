"""The social ledger: the exactly-once record and the archive of every post (state/social-ledger.jsonl).

One JSON object a line, only ever appended. Before a request we append an `intent`, after it
the result: `posted`, `reconciled` (found on the account after an interrupted run), `rejected`
(the network refused it: certainly not posted) or `failed` (unknown whether it arrived, so the
next run looks on the account first). Each line is written with one `write` on a file opened
with O_APPEND and then fsync'ed, so a crash leaves at most a torn last line; that line is
reported, set apart with a newline and ignored (it cannot hold a result we depend on: the
intent before it still makes the next run look on the account first).
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
import logging
import os
import re
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import DorpspleinError

log = logging.getLogger(__name__)

INTENT, POSTED, RECONCILED, REJECTED, FAILED = "intent", "posted", "reconciled", "rejected", "failed"
DONE = {POSTED, RECONCILED}
STATUSES = {INTENT, POSTED, RECONCILED, REJECTED, FAILED}
FIELDS = ("url", "network", "account", "key", "status", "remote_id", "remote_url", "text", "at")
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Record:
    url: str
    network: str
    account: str
    key: str
    status: str
    remote_id: str | None = None
    remote_url: str | None = None
    text: str = ""
    at: str = ""
    idempotency_key: str | None = None  # Mastodon's Idempotency-Key, or the Bluesky record key
    error: str | None = None

    def to_line(self) -> bytes:
        data = {key: value for key, value in asdict(self).items() if value is not None or key in FIELDS}
        return (json.dumps(data, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _tid(micros: int, clock_id: int) -> str:
    """An atproto TID: 53-bit microsecond timestamp and 10-bit clock id, 13 chars base32-sortable."""
    value = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def new_tid(clock_id: int | None = None) -> str:
    """A fresh atproto TID, for the Bluesky record key of a post that has no date (a one-off post)."""
    micros = int(datetime.datetime.now(datetime.UTC).timestamp() * 1_000_000)
    return _tid(micros, secrets.randbelow(1024) if clock_id is None else clock_id)


_TAG_DAY = re.compile(r"^tag:[^,]+,(\d{4}-\d{2}-\d{2}):")


def item_tid(key: str, date: datetime.datetime) -> str:
    """The Bluesky record key of a feed item: the same TID for the same item on every machine.

    The timestamp is the item's date to the second; the sub-second microseconds and the clock id
    come from a hash of the item's key, so two items with the same date still get different keys
    (a clash needs the same second and the same 30 hash bits). A second copy of the item is then
    refused by the PDS itself, whichever checkout or process tries to create it.
    """
    digest = int.from_bytes(hashlib.sha256(f"bluesky\x00{key}".encode()).digest()[:8], "big")
    if first := _TAG_DAY.match(key):  # a stable id (plugins/published) holds the first publication day:
        date = datetime.datetime.fromisoformat(first[1]).replace(tzinfo=datetime.UTC)  # a new Date keeps the key
    if date.tzinfo is None:  # the feed's dates carry an offset; a bare one is taken as UTC, on every machine
        date = date.replace(tzinfo=datetime.UTC)
    seconds = int(date.timestamp())
    return _tid(seconds * 1_000_000 + digest % 1_000_000, (digest // 1_000_000) & 0x3FF)


def _parse(line: str, where: str) -> Record:
    data = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    missing = [key for key in ("network", "key", "status") if not isinstance(data.get(key), str)]
    if missing:
        raise ValueError(f"field {missing[0]!r} missing")
    if data["status"] not in STATUSES:
        raise ValueError(f"unknown status {data['status']!r}")
    known = {key: data.get(key) for key in Record.__dataclass_fields__}
    known["url"] = known["url"] or ""
    known["account"] = known["account"] or ""
    known["text"] = known["text"] or ""
    known["at"] = known["at"] or ""
    return Record(**known)


@dataclass
class KeyState:
    """What the ledger knows about one post on one network."""

    done: Record | None = None  # the posted/reconciled record
    first_intent: Record | None = None
    open_intent: bool = False  # an intent without a definite answer after it

    @property
    def needs_reconcile(self) -> bool:
        return self.done is None and self.open_intent


class Ledger:
    """Read the whole ledger once; append records one line at a time while holding an exclusive lock."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.records: list[Record] = []
        self.warnings: list[str] = []
        self._fd: int | None = None
        self._torn_tail = False
        self._by_key: dict[tuple[str, str], list[Record]] = {}
        self._read()

    def _add(self, record: Record) -> None:
        self.records.append(record)
        self._by_key.setdefault((record.network, record.key), []).append(record)

    def _read(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        lines = raw.split(b"\n")
        self._torn_tail = bool(raw) and not raw.endswith(b"\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{self.path}:{number}"
            try:
                self._add(_parse(line.decode("utf-8"), where))
            except (ValueError, UnicodeDecodeError) as exc:
                last = number == len(lines) and self._torn_tail
                reason = "incomplete last line (a crash while writing?)" if last else f"unreadable line ({exc})"
                self.warnings.append(f"{where}: {reason}; ignored")

    def state(self, network: str, key: str) -> KeyState:
        state = KeyState()
        for record in self._by_key.get((network, key), ()):
            if record.status in DONE:
                state.done = state.done or record
            elif record.status == INTENT:
                state.first_intent = state.first_intent or record
                state.open_intent = True
            elif record.status == REJECTED:
                state.open_intent = False  # the network said no: that attempt certainly did not post
        return state

    def archive(self) -> list[Record]:
        return [record for record in self.records if record.status in DONE]

    # Writing -----------------------------------------------------------------------------------

    def __enter__(self) -> Ledger:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DorpspleinError(f"{self.path}: another `social` command is writing this ledger; "
                                  "try again when it has finished") from None
        self._fd = fd
        # Re-read under the lock: another run may have appended since we first read.
        self.records, self.warnings, self._by_key = [], [], {}
        self._read()
        if self._torn_tail:
            self._write(b"\n")  # keep the torn line apart, so our next record starts on its own line
            self._torn_tail = False
        if created:
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    def append(self, record: Record) -> Record:
        if self._fd is None:
            raise RuntimeError("the ledger is not open for writing")
        self._write(record.to_line())
        self._add(record)
        log.debug("ledger: %s %s %s", record.network, record.status, record.key)
        return record
