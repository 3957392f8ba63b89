"""Where each log was read up to, and the day still being counted: `<state>/progress.json`.

Holds no personal data: file identities (path, inode, a fingerprint of the first line without
address or user agent), byte offsets, and the provisional aggregates of the open day.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..analytics_schema import month_problems, upgrade_month
from ..errors import DorpspleinError
from ..files import write_json_atomically

PROGRESS_FILE = "progress.json"
PROGRESS_VERSION = 1


@dataclass
class Checkpoint:
    path: str
    device: int
    inode: int
    fingerprint: str
    offset: int = 0               # bytes read (uncompressed) …
    line: int = 0                 # … and the number of lines they hold
    open_offset: int | None = None  # first line of the open day, when this file has one
    open_line: int | None = None
    last_day: str | None = None


@dataclass
class Progress:
    checkpoints: list[Checkpoint]
    open_day: str | None = None   # the latest day seen: counted, but recounted on the next run
    open_counts: dict | None = None  # that day's aggregates as a month document
    # Months this run computed but may not have written yet: progress.json is the commit point,
    # the month files follow, so a run interrupted in between is completed by the next one.
    pending: dict[str, dict] | None = None


def load_progress(state_dir: Path) -> Progress:
    path = Path(state_dir) / PROGRESS_FILE
    if not path.exists():
        return Progress(checkpoints=[])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != PROGRESS_VERSION:
            raise ValueError(f"unknown version {data.get('version')!r}")
        checkpoints = [Checkpoint(**item) for item in data["files"]]
        # written by an older version: the same publishing rule as for month files
        pending = {key: upgrade_month(month) for key, month in (data.get("pending") or {}).items()}
        data["open_counts"] = upgrade_month(data.get("open_counts"))
        for counts in [data.get("open_counts"), *pending.values()]:
            if counts is not None and month_problems(counts):
                raise ValueError("; ".join(month_problems(counts)[:3]))
        return Progress(checkpoints, data.get("open_day"), data.get("open_counts"), pending)
    except (ValueError, KeyError, TypeError) as exc:
        raise DorpspleinError(f"{path}: cannot read analytics progress ({exc}); "
                              "move it away to start counting afresh") from None


def save_progress(state_dir: Path, progress: Progress) -> None:
    write_json_atomically(Path(state_dir) / PROGRESS_FILE, {
        "version": PROGRESS_VERSION,
        "files": [asdict(c) for c in progress.checkpoints],
        "open_day": progress.open_day,
        "open_counts": progress.open_counts,
        "pending": progress.pending or {},
    })
