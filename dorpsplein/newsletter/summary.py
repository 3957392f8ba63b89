"""What `newsletter send` tells the person who ran it."""

from __future__ import annotations

from .edition import Edition
from .send import SendReport

MAX_PROBLEMS_SHOWN = 20


def summary_lines(edition: Edition, report: SendReport) -> list[str]:
    head = f"{report.mailing} to list {report.list_name}: “{edition.subject}”"
    if report.dry_run:
        return [head, f"Dry run: would send {report.to_send} message(s); "
                      f"{report.totals.get('sent', 0)} already sent earlier. Nothing was sent."]
    lines = [head, f"This run: {report.sent} sent, {report.deferred} deferred (4xx, tried again next run), "
                   f"{report.failed} failed (5xx), {report.skipped} skipped (unsubscribed meanwhile, or another run's)"]
    totals = report.totals
    lines.append("All runs: " + ", ".join(f"{totals.get(s, 0)} {s}" for s in ("sent", "deferred", "failed",
                                                                                  "sending")))
    if report.stopped:
        lines.append(f"Stopped early: {report.stopped}. Run the same command again to send the rest.")
    for email, status, code, detail in report.problems[:MAX_PROBLEMS_SHOWN]:
        lines.append(f"  {status}: {email} ({code or '-'} {detail or ''})".rstrip())
    if len(report.problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"  … and {len(report.problems) - MAX_PROBLEMS_SHOWN} more")
    return lines
