"""Sending one edition to one list, exactly once per subscriber, over one reused SMTP connection.

For each subscriber: claim (a `sending` row with this run as owner, committed) → send → settle
(`sent`, `deferred` or `failed`), committed in the same transaction as the next claim, so before the
next send. Runs at the same time share the list: a copy claimed by a live run is skipped (see
`deliveries`). A crash leaves at most the copy in flight as `sending`; a later run takes it over as
soon as it knows the crashed run is gone (same host) or the claim's lease ran out (another host), and
a run that finds such claims at the end of its own list waits for them. That copy may then arrive
twice only if the crash fell between the server's "250 OK" and our commit of `sent` (the unavoidable
window of RFC 1047); both copies carry the same Message-ID.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default
from email.utils import parseaddr

from sqlalchemy import Engine

from ..errors import DorpspleinError
from ..mail import MailError, smtp_connection
from ..production import check_mail
from . import deliveries
from .config import SendConfig
from .edition import Edition
from .message import MessageFactory

logger = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


@dataclass
class SendReport:
    mailing: str
    list_name: str
    to_send: int = 0  # copies this run set out to send
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    skipped: int = 0  # unsubscribed meanwhile, or sent or being sent by another run
    dry_run: bool = False
    stopped: str | None = None  # why the run ended early (the server could not be reached)
    totals: dict[str, int] = field(default_factory=dict)  # every delivery row of the mailing, by status
    problems: list[tuple[str, str, int | None, str | None]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.stopped and not self.totals.get(deliveries.DEFERRED) and not self.failed


class Pacer:
    """At most `rate` messages per second (0: no limit), without drift."""

    def __init__(self, rate: float, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1 / rate if rate else 0.0
        self.clock, self.sleep = clock, sleep
        self.next = clock()

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next > now:
            self.sleep(self.next - now)
        self.next = max(self.next, now) + self.interval


class LeftByOthers:
    """The copies other runs had claimed when this run reached the end of its list, and are not sending.

    A dead run's claim on this host is due at once; a claim of a run on another host when its lease
    runs out (that run renews it while alive, so a live one settles it instead). Claims of live runs
    on this host, and claims made after the first look, are theirs to finish.
    """

    def __init__(self, ledger: deliveries.Ledger, now, sleep=time.sleep):
        self.ledger, self.now, self.sleep = ledger, now, sleep
        self.waiting: set[tuple[int, str | None]] | None = None

    def next_due(self) -> list[int]:
        """Subscribers whose copy is due now, waiting as long as needed; [] when none is left to wait for."""
        while True:
            held = self.ledger.held_elsewhere()
            if self.waiting is None:
                self.waiting = {(sub, owner) for sub, owner, _ in held if deliveries.owner_alive(owner) is not True}
            moment = self.now()
            pending = [(sub, owner, lease) for sub, owner, lease in held if (sub, owner) in self.waiting]
            due = [sub for sub, owner, lease in pending
                   if deliveries.owner_alive(owner) is False or lease is None or lease <= moment]
            if due or not pending:
                self.waiting -= {(sub, owner) for sub, owner, _ in pending if sub in due}
                return due
            soonest = min(lease for _, _, lease in pending)
            logger.info("waiting for %d copies claimed by a run elsewhere (lease ends %s)", len(pending), soonest)
            self.sleep(min(1.0, max(0.05, (soonest - moment).total_seconds())))


def _classify(exc: Exception, email: str) -> tuple[int | None, str] | None:
    """(code, text) of a refusal of this message; None when the connection itself is gone."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = exc.recipients.get(email, (None, b""))
        return code, text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(exc, smtplib.SMTPServerDisconnected):
        text = exc.smtp_error
        return exc.smtp_code, text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return None


def send_edition(edition: Edition, engine: Engine, config: SendConfig, dry_run: bool = False,
                 progress: Progress | None = None, now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 lease: timedelta = deliveries.LEASE, owner: str | None = None) -> SendReport:
    """Send the edition to every confirmed subscriber of its list who has no copy yet; `owner` names this run."""
    report = SendReport(edition.mailing, edition.list_name, dry_run=dry_run)
    if edition.list_name not in config.list_labels:
        raise DorpspleinError(f"list {edition.list_name!r} is not in NEWSLETTER_LISTS "
                              f"({', '.join(config.list_labels) or 'none'})")
    todo = deliveries.to_send(engine, edition.mailing, edition.list_name)
    report.to_send = len(todo)
    if config.production and todo:  # every copy is this one but for its address and link: check one, first
        check_mail(message_from_bytes(MessageFactory(edition, config).build(todo[0], now()), policy=default))
    if not dry_run and todo:
        deliveries.sqlite_without_fsync_per_commit(engine)
        with deliveries.Ledger(engine, edition.mailing, owner, lease) as ledger:
            _send_all(edition, ledger, config, todo, report, progress, now)
    report.totals = deliveries.counts(engine, edition.mailing)
    report.problems = deliveries.failures(engine, edition.mailing)
    return report


def _send_all(edition, ledger, config, todo, report, progress, now) -> None:
    sender = parseaddr(config.mail_from)[1]
    pacer = Pacer(config.rate_per_second)
    factory = MessageFactory(edition, config)
    reconnects = config.reconnects
    done = on_this_connection = 0
    pending: deliveries.Settlement | None = None  # the last copy's outcome, written with the next claim
    by_id = {subscriber.id: subscriber for subscriber in todo}
    left_by_others = LeftByOthers(ledger, now)
    with ExitStack() as connection:
        try:
            client = connection.enter_context(smtp_connection(config.smtp))
            queue = list(reversed(todo))
            while queue or (queue := [by_id[sub] for sub in reversed(left_by_others.next_due()) if sub in by_id]):
                subscriber = queue.pop()
                claimed = ledger.step(now(), pending, subscriber.id)
                pending = None
                if not claimed:
                    report.skipped += 1
                    done += 1
                    continue
                data = factory.build(subscriber, now())
                pacer.wait()
                try:
                    client.sendmail(sender, [subscriber.email], data)
                except (smtplib.SMTPException, OSError) as exc:
                    refused = _classify(exc, subscriber.email)
                    if refused is None or refused[0] is None:  # connection lost: no 250, so not delivered
                        pending = deliveries.Settlement(subscriber.id, deliveries.DEFERRED,
                                                        detail=f"verbinding verbroken: {exc}")
                        if reconnects <= 0:
                            report.stopped = f"the connection to {config.smtp.describe()} was lost too often ({exc})"
                            report.deferred += 1
                            break
                        reconnects -= 1
                        connection.close()
                        try:
                            client = connection.enter_context(smtp_connection(config.smtp))
                        except MailError as again:
                            report.stopped = str(again)
                            report.deferred += 1
                            break
                        on_this_connection = 0
                        queue.append(subscriber)  # try this copy again on the new connection
                        continue
                    code, text = refused
                    status = deliveries.DEFERRED if 400 <= code < 500 else deliveries.FAILED
                    pending = deliveries.Settlement(subscriber.id, status, code, text[:500])
                    report.deferred += status == deliveries.DEFERRED
                    report.failed += status == deliveries.FAILED
                    logger.info("%s: %s %s %s", subscriber.email, status, code, text)
                else:
                    pending = deliveries.Settlement(subscriber.id, deliveries.SENT, 250)
                    report.sent += 1
                    on_this_connection += 1
                    if config.messages_per_connection and on_this_connection >= config.messages_per_connection \
                            and queue:
                        connection.close()  # the relay's limit: a fresh connection, not a reconnect after a fault
                        try:
                            client = connection.enter_context(smtp_connection(config.smtp))
                        except MailError as again:
                            report.stopped = str(again)
                            break
                        on_this_connection = 0
                done += 1
                if progress:
                    progress(min(done, len(todo)), len(todo))
        finally:
            if pending:
                ledger.step(now(), pending)
