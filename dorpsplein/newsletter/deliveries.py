"""The exactly-once record: one `deliveries` row per (mailing, subscriber), claimed before and settled after a send.

Status: `sending` (claimed; a run that died left it so), `sent`, `deferred` (4xx or connection lost:
the next run tries again), `failed` (5xx: reported, never retried). A rerun sends to confirmed
subscribers without a row, and to those left `sending` or `deferred`.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Engine, and_, bindparam, event, func, select

from ..subscribers import CONFIRMED, Subscriber, deliveries, subscribers

SENDING, SENT, DEFERRED, FAILED = "sending", "sent", "deferred", "failed"
RETRYABLE = (SENDING, DEFERRED)


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
    with engine.connect() as conn:
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


class Ledger:
    """The delivery rows of one mailing, written over one connection held for the whole run.

    `step` settles the copy just sent and claims the next one in one transaction: one commit per
    message instead of two, with the same guarantee (a copy is `sending` before it goes out and
    settled before the next one does).
    """

    def __init__(self, engine: Engine, mailing: str):
        self.engine, self.mailing = engine, mailing
        self.raw = None
        # Bound names differ from the column names: SQLAlchemy keeps those for VALUES and SET.
        mailing_is, subscriber_is = deliveries.c.mailing == bindparam("m"), bindparam("s")
        joined = subscribers.outerjoin(deliveries, and_(deliveries.c.subscriber_id == subscribers.c.id, mailing_is))
        statements = {
            "look": select(subscribers.c.status, deliveries.c.id, deliveries.c.status)
            .select_from(joined).where(subscribers.c.id == subscriber_is),
            "insert": deliveries.insert().values(mailing=bindparam("m"), subscriber_id=subscriber_is,
                                                 status=SENDING, attempts=1, updated_at=bindparam("at")),
            "retry": deliveries.update().where(deliveries.c.id == bindparam("row")).values(
                status=SENDING, attempts=deliveries.c.attempts + 1, updated_at=bindparam("at")),
            "settle": deliveries.update().where(mailing_is, deliveries.c.subscriber_id == subscriber_is)
            .values(status=bindparam("status_"), smtp_code=bindparam("code"), detail=bindparam("detail_"),
                    updated_at=bindparam("at")),
        }
        self.sql = {name: Prepared(statement, engine.dialect) for name, statement in statements.items()}

    def __enter__(self) -> Ledger:
        self.raw = self.engine.raw_connection()
        return self

    def __exit__(self, *exc) -> None:
        self.raw.close()  # back to the pool; an open transaction is rolled back

    def step(self, now: datetime, settle: Settlement | None = None, claim: int | None = None) -> bool:
        """Record `settle` and claim subscriber `claim`; False if that address unsubscribed or was settled meanwhile."""
        cursor = self.raw.cursor()
        try:
            claimed = self._step(cursor, now, settle, claim)
            self.raw.commit()
            return claimed
        except BaseException:
            self.raw.rollback()
            raise
        finally:
            cursor.close()

    def _step(self, cursor, now, settle, claim) -> bool:
        sql, mailing = self.sql, self.mailing
        if settle:
            sql["settle"].run(cursor, m=mailing, s=settle.subscriber, at=now, status_=settle.status,
                              code=settle.code, detail_=settle.detail)
        if claim is None:
            return False
        sql["look"].run(cursor, m=mailing, s=claim)
        row = cursor.fetchone()
        if row is None or row[0] != CONFIRMED:
            return False
        delivery, status = row[1], row[2]
        if delivery is None:
            sql["insert"].run(cursor, m=mailing, s=claim, at=now)
            return True
        if status not in RETRYABLE:
            return False
        sql["retry"].run(cursor, row=delivery, at=now)
        return True


def counts(engine: Engine, mailing: str) -> dict[str, int]:
    query = (select(deliveries.c.status, func.count()).where(deliveries.c.mailing == mailing)
             .group_by(deliveries.c.status))
    with engine.connect() as conn:
        return dict(conn.execute(query).all())


def failures(engine: Engine, mailing: str) -> list[tuple[str, str, int | None, str | None]]:
    """(email, status, code, detail) of every copy that is not sent, for the report."""
    query = (select(subscribers.c.email, deliveries.c.status, deliveries.c.smtp_code, deliveries.c.detail)
             .join(subscribers, subscribers.c.id == deliveries.c.subscriber_id)
             .where(deliveries.c.mailing == mailing, deliveries.c.status.in_((DEFERRED, FAILED)))
             .order_by(subscribers.c.email))
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]
