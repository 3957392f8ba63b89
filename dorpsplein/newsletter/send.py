"""Sending one edition to one list, exactly once per subscriber, over one reused SMTP connection.

For each subscriber: claim (a `sending` row, committed) → send → settle (`sent`, `deferred` or
`failed`), committed in the same transaction as the next claim, so before the next send. A crash
leaves at most the copy in flight as `sending`; the next run sends it again. That copy may then
arrive twice only if the crash fell between the server's "250 OK" and our commit of `sent` (the
unavoidable window of RFC 1047); both copies carry the same Message-ID.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import smtplib
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from email.utils import parseaddr
from pathlib import Path

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
    skipped: int = 0  # unsubscribed or settled by someone else meanwhile
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


@contextmanager
def mailing_lock(mailing: str, database_url: str):
    """One sender per mailing and database on this machine: a second run waits for nothing, it stops."""
    digest = hashlib.sha256(f"{database_url}\0{mailing}".encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"dorpsplein-newsletter-{digest}.lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DorpspleinError(f"mailing {mailing} is being sent by another run right now; wait for it to end") \
                from None
        yield  # the kernel releases the lock when the process ends, however it ends


def _classify(exc: Exception, email: str) -> tuple[int | None, str] | None:
    """(code, text) of a refusal of this message; None when the connection itself is gone."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = exc.recipients.get(email, (None, b""))
        return code, text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(exc, smtplib.SMTPServerDisconnected):
        text = exc.smtp_error
        return exc.smtp_code, text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return None


def send_edition(edition: Edition, engine: Engine, config: SendConfig, database_url: str = "",
                 dry_run: bool = False, progress: Progress | None = None,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> SendReport:
    report = SendReport(edition.mailing, edition.list_name, dry_run=dry_run)
    if edition.list_name not in config.list_labels:
        raise DorpspleinError(f"list {edition.list_name!r} is not in NEWSLETTER_LISTS "
                              f"({', '.join(config.list_labels) or 'none'})")
    with ExitStack() as stack:
        if not dry_run:
            stack.enter_context(mailing_lock(edition.mailing, database_url))
        todo = deliveries.to_send(engine, edition.mailing, edition.list_name)
        report.to_send = len(todo)
        if config.production and todo:  # every copy is this one but for its address and link: check one, first
            check_mail(message_from_bytes(MessageFactory(edition, config).build(todo[0], now()), policy=default))
        if not dry_run and todo:
            deliveries.sqlite_without_fsync_per_commit(engine)
            _send_all(edition, engine, config, todo, report, progress, now)
    report.totals = deliveries.counts(engine, edition.mailing)
    report.problems = deliveries.failures(engine, edition.mailing)
    return report


def _send_all(edition, engine, config, todo, report, progress, now) -> None:
    sender = parseaddr(config.mail_from)[1]
    pacer = Pacer(config.rate_per_second)
    factory = MessageFactory(edition, config)
    reconnects = config.reconnects
    done = on_this_connection = 0
    pending: deliveries.Settlement | None = None  # the last copy's outcome, written with the next claim
    with ExitStack() as connection, deliveries.Ledger(engine, edition.mailing) as ledger:
        try:
            client = connection.enter_context(smtp_connection(config.smtp))
            queue = list(reversed(todo))
            while queue:
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
                    progress(done, len(todo))
        finally:
            if pending:
                ledger.step(now(), pending)
