"""One run of the analysis: which lines to read, and folding the counts into the month files.

Every line is counted once. Days before the latest day seen ("the open day") are final. The
open day is counted provisionally: the next run takes its counts out of the month and recounts
it from its first line, with a fresh salt. That is how unique visitors per day stay exact across
runs while no salt or visitor hash is ever written anywhere: they live in memory for one run.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..analytics_schema import empty_month, load_month, month_path, save_month
from ..errors import DorpspleinError
from .counters import add_day, remove_day
from .counting import LineCounter, SiteShape
from .logfiles import LogFile, in_time_order, inspect
from .progress import Checkpoint, Progress, load_progress, save_progress

logger = logging.getLogger(__name__)
FORGET_AFTER_DAYS = 62  # a checkpoint of a log not seen for this long is dropped
MALFORMED_SHOWN = 20


@dataclass
class FileReport:
    path: str
    counted: int          # new lines counted
    recounted: int        # lines of the open day counted again
    malformed: int
    note: str | None = None


@dataclass
class RunReport:
    files: list[FileReport] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)  # "path:line", the first MALFORMED_SHOWN
    malformed_total: int = 0
    warnings: list[str] = field(default_factory=list)
    months: dict[str, dict] = field(default_factory=dict)  # the months written, by "YYYY-MM"
    open_day: str | None = None

    @property
    def counted(self) -> int:
        return sum(f.counted for f in self.files)


@dataclass
class _Read:
    log: LogFile
    checkpoint: Checkpoint | None
    note: str | None = None


def _match_files(logs: list[LogFile], checkpoints: list[Checkpoint]) -> tuple[list[_Read], list[Checkpoint]]:
    """Pair each log with what an earlier run read of it (by first-line fingerprint, inode as tie-breaker)."""
    unused, reads = list(checkpoints), []
    for log in logs:
        if log.fingerprint is None:
            continue  # empty: nothing to read yet
        same = [c for c in unused if c.fingerprint == log.fingerprint]
        same_inode = [c for c in same if (c.device, c.inode) == (log.device, log.inode)]
        chosen = (same_inode or same or [None])[0]
        note = None
        if chosen is not None:
            unused.remove(chosen)
            if not log.compressed and log.size < chosen.offset:
                note, chosen = "shorter than when last read (truncated): read from the start", None
        elif any(c.path == str(log.path) and c.inode == log.inode and c.offset for c in unused):
            note = "its first line changed (truncated or replaced): read from the start"
        reads.append(_Read(log, chosen, note))
    return reads, unused


def _complete_through(month: str, open_day: str | None) -> str | None:
    if open_day is None:
        return None
    last = datetime.date.fromisoformat(open_day) - datetime.timedelta(days=1)
    first = datetime.date.fromisoformat(month + "-01")
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last = min(last, following - datetime.timedelta(days=1))
    return last.isoformat() if last >= first else None


def _write_months(state_dir: Path, progress: Progress) -> None:
    """Commit (progress with the months in it), then the month files, then progress without them."""
    save_progress(state_dir, progress)
    for month in progress.pending.values():
        save_month(state_dir, month)
    progress.pending = {}
    save_progress(state_dir, progress)


def analyse(paths: list[Path], state_dir: Path, shape: SiteShape | None = None,
            report_progress: Callable[[str, int], None] | None = None) -> RunReport:
    """Count the new lines of `paths` into `state_dir/YYYY-MM.json`; see the module docstring."""
    state_dir = Path(state_dir)
    unique = {Path(p).resolve(): p for p in paths}
    report = RunReport()
    logs, unreadable = [], []
    for path in unique:  # an unreadable, truncated or corrupt file is skipped; the others still count
        try:
            logs.append(inspect(path))
        except DorpspleinError as exc:
            unreadable.append(str(exc))
    if unreadable and not logs:
        raise DorpspleinError("no log could be read: " + "; ".join(unreadable))
    report.warnings += [f"{problem}: skipped, the other logs were counted" for problem in unreadable]
    logs = in_time_order(logs)
    progress = load_progress(state_dir)
    if progress.pending:  # the previous run stopped between its commit point and its month files
        _write_months(state_dir, progress)
    reads, absent = _match_files(logs, progress.checkpoints)

    previous_day = progress.open_day
    stranded = [c for c in absent if c.open_offset is not None]
    reopen = previous_day is not None and progress.open_counts is not None and not stranded
    for checkpoint in stranded:
        report.warnings.append(
            f"{checkpoint.path}: not among the logs given, but it holds lines of {previous_day}, the day "
            f"still being counted: that day now keeps its counts, and its visitors may be counted twice. "
            f"Give all rotated logs, e.g. access.log*")
        checkpoint.open_offset = checkpoint.open_line = None

    counter = LineCounter(shape or SiteShape())
    results = []
    for read in reads:
        cp = read.checkpoint
        if cp is None:
            start = start_line = counted_until = 0
        elif reopen and cp.open_offset is not None:
            start, start_line, counted_until = cp.open_offset, cp.open_line, cp.offset
        else:
            start, start_line, counted_until = cp.offset, cp.line, cp.offset
        progress_of = (lambda offset, name=str(read.log.path): report_progress(name, offset)) \
            if report_progress else None
        result = counter.count_file(read.log, start, start_line, counted_until,
                                    previous_day if reopen else None, progress_of)
        results.append((read, result))
        shown = [f"{read.log.path}:{n}" for n in result.malformed]
        report.malformed += shown[: max(0, MALFORMED_SHOWN - len(report.malformed))]
        report.malformed_total += len(result.malformed)
        report.files.append(FileReport(str(read.log.path), result.counted, result.recounted,
                                       len(result.malformed), read.note))

    days_seen = set(counter.days) | ({previous_day} if previous_day else set())
    open_day = max(days_seen) if days_seen else None
    report.open_day = open_day

    # Fold the days into their months: first take the provisional day out, then add what was counted.
    by_month: dict[str, list] = {}
    for day, counts in sorted(counter.days.items()):
        by_month.setdefault(day[:7], []).append(counts)
    touched = set(by_month) | ({previous_day[:7]} if previous_day else set())
    for month_key in sorted(touched):
        path = month_path(state_dir, month_key)
        month = load_month(path) if path.exists() else empty_month(month_key)
        if reopen and previous_day[:7] == month_key:
            remove_day(month, progress.open_counts)
        for counts in by_month.get(month_key, []):
            add_day(month, counts.as_month())
        month["complete_through"] = _complete_through(month_key, open_day)
        report.months[month_key] = month

    open_counts = counter.days[open_day].as_month() if open_day in counter.days else None
    checkpoints = []
    for read, result in results:
        cp = read.checkpoint
        first_open = result.first_of_day.get(open_day)
        days = [d for d in (cp.last_day if cp else None, *result.first_of_day) if d]
        checkpoints.append(Checkpoint(
            path=str(read.log.path), device=read.log.device, inode=read.log.inode,
            fingerprint=read.log.fingerprint, offset=result.end_offset, line=result.end_line,
            open_offset=first_open[0] if first_open else None, open_line=first_open[1] if first_open else None,
            last_day=max(days) if days else None))
    horizon = (datetime.date.fromisoformat(open_day) - datetime.timedelta(days=FORGET_AFTER_DAYS)).isoformat() \
        if open_day else ""
    checkpoints += [c for c in absent if (c.last_day or "") >= horizon]
    _write_months(state_dir, Progress(checkpoints, open_day if open_counts else None, open_counts, report.months))
    for warning in report.warnings:
        logger.warning(warning)
    return report
