"""What a deploy did (or, with --dry-run, would do), and the summary the CLI prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .compress import CompressReport
from .config import Target

# progress(step, done, total): the step's Dutch label, then how far it is.
Progress = Callable[[str, int, int], None]


def no_progress(step: str, done: int, total: int) -> None:
    pass


@dataclass
class DeployReport:
    target: Target
    dry_run: bool = False
    sent: list[str] = field(default_factory=list)  # new or changed files
    deleted: list[str] = field(default_factory=list)  # files the target had that the site no longer has
    unchanged: int = 0
    release: str | None = None  # dir/rsync: the release folder now live (None: nothing changed)
    pruned: list[str] = field(default_factory=list)  # old releases removed

    @property
    def changed(self) -> bool:
        return bool(self.sent or self.deleted)


@dataclass
class PublishReport:
    deploy: DeployReport
    compress: CompressReport
    warnings: list[str] = field(default_factory=list)


def release_id(now: datetime | None = None) -> str:
    """Sortable and unique enough: two publishes in one microsecond do not happen."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S.%fZ")


def summary_lines(report: PublishReport, limit: int = 20) -> list[str]:
    deploy, packed = report.deploy, report.compress
    lines = [f"Compressed {packed.files} text file(s): {packed.bytes_in:,} bytes → "
             f"{packed.gzip_bytes:,} gzip, {packed.brotli_bytes:,} brotli"]
    verb = "Would send" if deploy.dry_run else "Sent"
    for sign, paths in (("+", deploy.sent), ("-", deploy.deleted)):
        lines.extend(f"  {sign} {path}" for path in paths[:limit])
        if len(paths) > limit:
            lines.append(f"  {sign} … and {len(paths) - limit} more")
    lines.append(f"{verb} {len(deploy.sent)} file(s), {'would delete' if deploy.dry_run else 'deleted'} "
                 f"{len(deploy.deleted)}, "
                 f"{deploy.unchanged} unchanged, to target {deploy.target}")
    if not deploy.changed:
        lines.append("The target is up to date; nothing was sent.")
    elif deploy.dry_run:
        lines.append("Dry run: nothing was sent or deleted.")
    elif deploy.release:
        lines.append(f"Live release: {deploy.release}"
                     + (f" (removed old: {', '.join(deploy.pruned)})" if deploy.pruned else ""))
    return lines
