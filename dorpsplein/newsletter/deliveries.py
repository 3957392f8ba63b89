"""The exactly-once record: one `deliveries` row per (mailing, subscriber), claimed before and settled after a send.

Status: `sending` (claimed), `sent`, `deferred` (4xx or connection lost: the next run tries again),
`failed` (5xx: reported, never retried). The database, not a lock file, decides who sends a copy:
a claim carries its run's `owner` and a `lease_until` that the live run keeps renewing, so runs on
other machines, with other temp folders or other spellings of the database URL share the work and
never send the same copy; a `sending` row is taken over only once its run is known dead (same host,
process gone) or its lease has run out. On PostgreSQL claims lock with `FOR UPDATE SKIP LOCKED`; on
SQLite every claim is one `BEGIN IMMEDIATE` transaction.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Engine, and_, bindparam, event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..db.database import reading
from ..subscribers import CONFIRMED, Subscriber, deliveries, subscribers

logger = logging.getLogger(__name__)
SENDING, SENT, DEFERRED, FAILED = "sending", "sent", "deferred", "failed"
RETRYABLE = (SENDING, DEFERRED)
LEASE = timedelta(seconds=120)  # a claim outlives its run by at most this long (an SMTP send takes < 60 s)


class Settlement(NamedTuple):
    """How one claimed copy ended: `sent`, `deferred` or `failed`, with the server's answer."""
    subscriber: int
    status: str
    code: int | None = None
    detail: str | None = None


def _normal_sync(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous = NORMAL")


def sqlite_without_fsync_per_commit(engine: Engine) -> None:
    """Two commits per message with an fsync each cost ~10 ms on SQLite: 20x the rest of the work.

    In WAL mode, `synchronous = NORMAL` keeps every commit across a crash or kill of this process
    (the OS has the WAL); only a power failure can lose the last few commits, and a lost row only
    makes the next run send that copy again, never skip it. Other databases are left as they are.
    """
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _normal_sync):
        event.listen(engine, "connect", _normal_sync)
        engine.dispose()  # pooled connections were opened without it


def to_send(engine: Engine, mailing: str, list_name: str) -> list[Subscriber]:
    """Confirmed subscribers of the list that have not been sent (or given up on) this mailing."""
    joined = subscribers.outerjoin(deliveries, and_(deliveries.c.subscriber_id == subscribers.c.id,
                                                    deliveries.c.mailing == mailing))
    query = (select(subscribers).select_from(joined)
             .where(subscribers.c.list_name == list_name, subscribers.c.status == CONFIRMED,
                    (deliveries.c.id.is_(None)) | (deliveries.c.status.in_(RETRYABLE)))
             .order_by(subscribers.c.id))
    with reading(engine).connect() as conn:
        return [Subscriber.from_row(row) for row in conn.execute(query)]


class Prepared:
    """A Core statement compiled once for the engine's dialect and run on the raw DBAPI cursor.

    Sending writes three statements per message; through `Connection.execute` SQLAlchemy's cache
    key, execution context and result wrapping cost about 0.1 ms each, more than SQLite's work.
    Column types still convert the values (UtcDateTime), through their bind processors.
    """

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.order = compiled.positiontup  # None for a named paramstyle (psycopg)
        self.fixed = {name: bind.value for bind, name in compiled.bind_names.items()}  # e.g. status=SENDING
        self.convert = {name: processor for bind, name in compiled.bind_names.items()
                        if (processor := bind.type.bind_processor(dialect))}

    def run(self, cursor, **values) -> None:
        params = self.fixed | values
        for name, convert in self.convert.items():
            params[name] = convert(params[name])
        cursor.execute(self.sql, params if self.order is None else [params[name] for name in self.order])


def new_owner() -> str:
    """This run's name on its claims: host and pid (to see a dead run on this host at once) and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def owner_alive(owner: str | None) -> bool | None:
    """Whether the run that made a claim still runs: known on this host, None (unknown) for another host."""
    if not owner:
        return False  # a claim from before owners existed
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user: alive
        pass
    return True


def _insert_if_absent(dialect_name: str):
    """INSERT … ON CONFLICT DO NOTHING, so two runs inserting the same claim at once do not fail."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}.get(dialect_name)
    values = dict(mailing=bindparam("m"), subscriber_id=bindparam("s"), status=SENDING, attempts=1,
                  updated_at=bindparam("at"), owner=bindparam("owner_"), lease_until=bindparam("lease"))
    if dialect is None:
        return deliveries.insert().values(**values)
    return dialect.insert(deliveries).values(**values).on_conflict_do_nothing(
        index_elements=["mailing", "subscriber_id"])


class Ledger:
    """The delivery rows of one mailing, written by one run over one connection held for the whole run.

    `step` settles the copy just sent and claims the next one in one transaction: one commit per
    message instead of two, with the same guarantee (a copy is `sending` before it goes out and
    settled before the next one does). A heartbeat thread renews the lease of this run's claims.
    """

    def __init__(self, engine: Engine, mailing: str, owner: str | None = None, lease: timedelta = LEASE):
        self.engine, self.mailing, self.lease = engine, mailing, lease
        self.owner = owner or new_owner()
        self.raw = None
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        self.sqlite = engine.dialect.name == "sqlite"
        mailing_is, subscriber_is = deliveries.c.mailing == bindparam("m"), deliveries.c.subscriber_id == bindparam("s")
        # Bound names differ from the column names: SQLAlchemy keeps those for VALUES and SET.
        statements = {
            "subscriber": select(subscribers.c.status).where(subscribers.c.id == bindparam("s")),
            "claim": _insert_if_absent(engine.dialect.name),
            "lock": select(deliveries.c.id, deliveries.c.status, deliveries.c.owner,
                           deliveries.c.lease_until > bindparam("now_", type_=deliveries.c.lease_until.type))
            .where(mailing_is, subscriber_is).with_for_update(skip_locked=True),
            "retry": deliveries.update().where(deliveries.c.id == bindparam("row")).values(
                status=SENDING, attempts=deliveries.c.attempts + 1, updated_at=bindparam("at"),
                owner=bindparam("owner_"), lease_until=bindparam("lease")),
            "settle": deliveries.update().where(mailing_is, subscriber_is, deliveries.c.owner == bindparam("owner_"))
            .values(status=bindparam("status_"), smtp_code=bindparam("code"), detail=bindparam("detail_"),
                    updated_at=bindparam("at"), lease_until=None),
        }
        self.sql = {name: Prepared(statement, engine.dialect) for name, statement in statements.items()}

    def __enter__(self) -> Ledger:
        self.raw = self.engine.raw_connection()
        self._heartbeat = threading.Thread(target=self._renew, name="delivery-lease", daemon=True)
        self._heartbeat.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._heartbeat.join()
        self.raw.close()  # back to the pool; an open transaction is rolled back

    def _renew(self) -> None:
        """Every quarter lease: this run's `sending` rows are its own for another full lease."""
        while not self._stop.wait(self.lease.total_seconds() / 4):
            try:
                with self.engine.begin() as conn:
                    conn.execute(update(deliveries).where(
                        deliveries.c.mailing == self.mailing, deliveries.c.owner == self.owner,
                        deliveries.c.status == SENDING).values(lease_until=_utcnow() + self.lease))
            except Exception as exc:  # the next beat tries again; the lease has three more beats of room
                logger.warning("could not renew the delivery lease: %s", exc)

    def step(self, now: datetime, settle: Settlement | None = None, claim: int | None = None) -> bool:
        """Record `settle` and claim subscriber `claim`; False if that address unsubscribed, was settled
        meanwhile, or is claimed by another run that is alive."""
        cursor = self.raw.cursor()
        try:
            if self.sqlite:
                cursor.execute("BEGIN IMMEDIATE")  # the connection is in autocommit mode: one transaction a step
            claimed = self._step(cursor, now, settle, claim)
            self.raw.commit() if not self.sqlite else cursor.execute("COMMIT")
            return claimed
        except BaseException:
            self.raw.rollback() if not self.sqlite else _rollback(cursor)
            raise
        finally:
            cursor.close()

    def _step(self, cursor, now, settle, claim) -> bool:
        sql, mailing, mine = self.sql, self.mailing, dict(owner_=self.owner, lease=now + self.lease)
        if settle:
            sql["settle"].run(cursor, m=mailing, s=settle.subscriber, at=now, status_=settle.status,
                              code=settle.code, detail_=settle.detail, owner_=self.owner)
        if claim is None:
            return False
        sql["subscriber"].run(cursor, s=claim)
        row = cursor.fetchone()
        if row is None or row[0] != CONFIRMED:
            return False
        sql["claim"].run(cursor, m=mailing, s=claim, at=now, **mine)
        if cursor.rowcount == 1:
            return True
        sql["lock"].run(cursor, m=mailing, s=claim, now_=now)
        row = cursor.fetchone()
        if row is None:  # PostgreSQL: another run holds this row's lock right now
            return False
        delivery, status, owner, leased = row
        if status == SENDING and owner != self.owner and owner_alive(owner) is not False:
            if leased:
                return False  # a live run's claim
            logger.warning("taking over a copy claimed by %s, whose lease ran out", owner)
        elif status not in RETRYABLE:
            return False
        sql["retry"].run(cursor, row=delivery, at=now, **mine)
        return True

    def held_elsewhere(self) -> list[tuple[int, str | None, datetime | None]]:
        """(subscriber, owner, lease end) of the copies other runs have claimed and not settled yet."""
        query = (select(deliveries.c.subscriber_id, deliveries.c.owner, deliveries.c.lease_until)
                 .where(deliveries.c.mailing == self.mailing, deliveries.c.status == SENDING,
                        (deliveries.c.owner != self.owner) | deliveries.c.owner.is_(None)))
        with reading(self.engine).connect() as conn:
            return [tuple(row) for row in conn.execute(query)]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _rollback(cursor) -> None:
    try:
        cursor.execute("ROLLBACK")
    except Exception:  # no transaction open (BEGIN itself failed)
        pass


def counts(engine: Engine, mailing: str) -> dict[str, int]:
    query = (select(deliveries.c.status, func.count()).where(deliveries.c.mailing == mailing)
             .group_by(deliveries.c.status))
    with reading(engine).connect() as conn:
        return dict(conn.execute(query).all())


def failures(engine: Engine, mailing: str) -> list[tuple[str, str, int | None, str | None]]:
    """(email, status, code, detail) of every copy that is not sent, for the report."""
    query = (select(subscribers.c.email, deliveries.c.status, deliveries.c.smtp_code, deliveries.c.detail)
             .join(subscribers, subscribers.c.id == deliveries.c.subscriber_id)
             .where(deliveries.c.mailing == mailing, deliveries.c.status.in_((DEFERRED, FAILED)))
             .order_by(subscribers.c.email))
    with reading(engine).connect() as conn:
        return [tuple(row) for row in conn.execute(query)]
