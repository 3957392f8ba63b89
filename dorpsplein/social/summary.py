"""What the social commands show: the posts in full for a dry run, and summary tables (rich).

Every cell that holds text from a post, a feed, a server or a settings file is a rich `Text`, never
a markup string: a title like `Uitslag [/b] inspraak` or `:thumbs_up:` is printed as it is.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from .accounts import AccountCheck, FollowResult
from .push import Report

_STYLE = {"posted": "green", "reconciled": "green", "already posted": "dim", "failed": "red", "rejected": "red",
          "followed": "green", "requested": "green", "already following": "dim"}


def dry_run_text(report: Report) -> str:
    """Every post exactly as it would be sent, with its length against the network's limit."""
    blocks = []
    for outcome in report.outcomes:
        if outcome.status == "already posted":
            continue
        head = f"── {outcome.network} · {outcome.status} · {outcome.length}/{outcome.limit} ──"
        note = f"\n({outcome.message})" if outcome.message else ""
        blocks.append(f"{head}\n{outcome.text}{note}\n")
    return "\n".join(blocks)


def push_table(report: Report) -> Table:
    table = Table(title="Dry run: nothing was posted or written" if report.dry_run else "Social push")
    for column in ("Network", "Post", "Result", "Length", "Where / why"):
        table.add_column(column, overflow="fold")
    for o in report.outcomes:
        table.add_row(Text(o.network), Text(o.label), _styled(o.status), Text(f"{o.length}/{o.limit}"),
                      Text("; ".join(filter(None, [o.remote_url, o.message]))))
    return table


def _styled(result: str, default: str = "") -> Text:
    return Text(result, style=_STYLE.get(result, default))


def skipped_lines(report: Report) -> list[str]:
    return [f"skipped: {s.item.title} ({s.reason})" for s in report.skipped]


def counts(report: Report) -> str:
    tally: dict[str, int] = {}
    for outcome in report.outcomes:
        tally[outcome.status] = tally.get(outcome.status, 0) + 1
    parts = [f"{n} {status}" for status, n in sorted(tally.items())] or ["nothing to post"]
    return ", ".join(parts) + (f"; {len(report.skipped)} skipped by the filters" if report.skipped else "")


def check_table(results: list[AccountCheck]) -> Table:
    table = Table(title="Social accounts")
    for column in ("Network", "Handle", "Server", "OK", "Details"):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(Text(r.network), Text(r.handle or "-"), Text(r.server or "-"),
                      Text("yes", style="green") if r.ok else Text("no", style="red"), Text(r.problem or r.detail))
    return table


def follow_table(results: list[FollowResult]) -> Table:
    table = Table(title="Related accounts (content/channels.toml)")
    for column in ("Network", "Account", "Handle", "Result"):
        table.add_column(column, overflow="fold")
    for r in results:
        result = _styled(r.result, "red")
        if r.message:
            result.append(f": {r.message}")
        table.add_row(Text(r.network), Text(r.name), Text(r.handle), result)
    return table
