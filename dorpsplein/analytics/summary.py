"""What a run tells the person who started it: a short text summary and a JSON report."""

from __future__ import annotations

from dataclasses import asdict

from ..analytics_schema import page_views, visits
from .incremental import RunReport


def summary_lines(report: RunReport) -> list[str]:
    lines = []
    for file in report.files:
        extra = f", {file.recounted:,} of the open day recounted" if file.recounted else ""
        bad = f", {file.malformed:,} malformed" if file.malformed else ""
        note = f" ({file.note})" if file.note else ""
        lines.append(f"{file.path}: {file.counted:,} new lines{extra}{bad}{note}")
    if report.malformed_total:
        more = report.malformed_total - len(report.malformed)
        lines.append(f"{report.malformed_total:,} malformed line(s) skipped (not combined log format): "
                     + ", ".join(report.malformed) + (f" and {more:,} more" if more > 0 else ""))
    for key, month in sorted(report.months.items()):
        lines.append(f"{key}: {visits(month):,} visits, {page_views(month):,} page views, "
                     f"complete through {month['complete_through'] or '(no full day yet)'}")
    if report.open_day:
        lines.append(f"{report.open_day} is still being counted; the next run recounts it.")
    return lines


def report_json(report: RunReport) -> dict:
    """The run as JSON: files, malformed lines (file:line only), warnings and the months written."""
    return {"files": [asdict(f) for f in report.files], "malformed_total": report.malformed_total,
            "malformed": report.malformed, "warnings": report.warnings, "open_day": report.open_day,
            "months": report.months}
