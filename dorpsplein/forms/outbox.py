"""The outbox: the service's e-mails are rows in a table, sent by a background thread, never inside a request.

A request adds a row and wakes the worker; the visitor has the answer at once, whatever the SMTP
server does. The worker sends each due row and deletes it (a contact message is then marked mailed);
when sending fails it tries again after 30 s, 1 min, 2 min, … up to once an hour. A confirmation
whose link has expired is dropped instead of sent. A row is claimed for a few minutes before it is
sent, so two workers (a second process, `forms resend`) never send the same row twice.

One worker thread per process: started with the app (under gunicorn in the worker process, after
the fork) and again by `wake()` if the process was forked after it started.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import Connection, Engine, delete, func, select, update

from ..db.schema import UtcDateTime, contact_messages, outbox
from ..errors import DorpspleinError

logger = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
CLAIM = timedelta(minutes=5)  # longer than any SMTP attempt (its timeout is 30 s)
IDLE_WAKE_SECONDS = 60.0  # look at the table now and then even without a wake-up (rows from other processes)


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def enqueue(conn: Connection, kind: str, payload: dict, about: str, now: datetime,
            expires_at: datetime | None = None, contact_message_id: int | None = None) -> None:
    """Queue one e-mail within the caller's transaction (then call `Outbox.wake`): its kind and the values
    the worker composes it from; `about` is the canonical address of the person it concerns."""
    conn.execute(outbox.insert().values(
        kind=kind, about=about, payload=json.dumps(payload), contact_message_id=contact_message_id,
        created_at=now, expires_at=expires_at, attempts=0, next_attempt_at=now))


class Outbox:
    def __init__(self, engine: Engine, send: Callable[[EmailMessage], None], clock: Callable[[], datetime],
                 compose: Callable[[str, dict], EmailMessage]):
        self.engine, self.send, self.clock, self.compose = engine, send, clock, compose
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    def add(self, kind: str, payload: dict, about: str, expires_at: datetime | None = None,
            contact_message_id: int | None = None) -> None:
        """Queue one e-mail in a transaction of its own and wake the worker."""
        with self.engine.begin() as conn:
            enqueue(conn, kind, payload, about, self.clock(), expires_at, contact_message_id)
        self.wake()

    def due(self) -> int:
        """E-mails whose time has come and that are not (or no longer) being sent."""
        now = self.clock()
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(outbox).where(outbox.c.next_attempt_at <= now))\
                .scalar()

    def waiting(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(outbox)).scalar()

    def deliver_due(self, everything: bool = False, failures: list[str] | None = None) -> tuple[int, int]:
        """Send the rows that are due (`everything`: all rows, backoff or not); returns (sent, failed).
        `failures` gets one line per row that failed, naming it and why (for `forms resend`)."""
        sent = failed = 0
        while not self._stopping.is_set():
            batch = self._claim_batch(everything, size=100_000 if everything else 50)
            if not batch:
                break
            for row in batch:
                if self._deliver(row, failures):
                    sent += 1
                else:
                    failed += 1
            if everything:
                break  # each row once: a failed one is not due again in this call
        return sent, failed

    def _claim_batch(self, everything: bool, size: int) -> list:
        """Claim up to `size` due rows in one transaction (a commit per row would cost more than the sending)."""
        now = self.clock()
        free = (outbox.c.claimed_until.is_(None)) | (outbox.c.claimed_until < now)
        query = select(outbox.c.id).where(free).order_by(outbox.c.id).limit(size)
        if not everything:
            query = query.where(outbox.c.next_attempt_at <= now)
        with self.engine.begin() as conn:
            ids = list(conn.scalars(query))
            if not ids:
                return []
            token = secrets.token_hex(8)
            conn.execute(update(outbox).where(outbox.c.id.in_(ids), free)
                         .values(claimed_until=now + CLAIM, claimed_by=token, attempts=outbox.c.attempts + 1))
            return conn.execute(select(outbox).where(outbox.c.id.in_(ids), outbox.c.claimed_by == token)
                                .order_by(outbox.c.id)).all()

    def _deliver(self, row, failures: list[str] | None = None) -> bool:
        now = self.clock()
        name = (f"contact message {row.contact_message_id}" if row.contact_message_id is not None
                else f"{row.kind} e-mail {row.id}")
        if row.expires_at is not None and row.expires_at < now:
            logger.warning("outbox: %s e-mail %s not sent before its link expired; dropped", row.kind, row.id)
            with self.engine.begin() as conn:
                conn.execute(delete(outbox).where(outbox.c.id == row.id))
            return False
        try:
            message = self.compose(row.kind, json.loads(row.payload))
        except Exception as exc:  # a bug or a value refused on composing: trying again cannot help
            if failures is not None:  # the caller reports it
                failures.append(f"{name}: {exc}")
            elif isinstance(exc, DorpspleinError):  # a stored value the header check refuses: said in one line
                logger.error("outbox: %s cannot be composed (%s); dropped", name, exc)
            else:
                logger.exception("outbox: %s cannot be composed; dropped", name)
            with self.engine.begin() as conn:
                conn.execute(delete(outbox).where(outbox.c.id == row.id))
            return False
        try:
            self.send(message)
        except Exception as exc:  # whatever the mail path raises, the row waits for its next turn
            delay = retry_delay(row.attempts)
            if failures is not None:
                failures.append(f"{name}: {exc}")
            else:
                logger.warning("outbox: %s not sent (attempt %s), again in %s: %s", name, row.attempts, delay, exc)
            with self.engine.begin() as conn:
                conn.execute(update(outbox).where(outbox.c.id == row.id).values(
                    next_attempt_at=now + delay, claimed_until=None, last_error=str(exc)[:1000]))
            return False
        with self.engine.begin() as conn:
            conn.execute(delete(outbox).where(outbox.c.id == row.id))
            if row.contact_message_id is not None:
                conn.execute(update(contact_messages).where(contact_messages.c.id == row.contact_message_id)
                             .values(mailed_at=now))
        return True

    def _seconds_to_next(self) -> float:
        with self.engine.connect() as conn:
            # A row another worker has claimed is due again only when that claim runs out.
            due = conn.execute(select(func.min(func.coalesce(outbox.c.claimed_until, outbox.c.next_attempt_at),
                                               type_=UtcDateTime()))).scalar()
        if due is None:
            return IDLE_WAKE_SECONDS
        return min(max((due - self.clock()).total_seconds(), 0.05), IDLE_WAKE_SECONDS)

    # The worker thread.

    def start(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            self._stopping.clear()
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="dorpsplein-outbox", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        if self._thread is not None:
            self.start()  # a no-op unless the process was forked since (the thread stayed in the parent)
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self.deliver_due()
                wait = self._seconds_to_next()
            except Exception:  # the database may be briefly unavailable: log and look again later
                logger.exception("outbox: working off the table failed")
                wait = IDLE_WAKE_SECONDS
            self._wake.wait(wait)
