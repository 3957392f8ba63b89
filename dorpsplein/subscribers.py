"""The subscriber database: one schema for the forms service and the newsletter sender.

SQLite by default, any SQLAlchemy URL from `DORPSPLEIN_DATABASE_URL` (PostgreSQL for a
municipality that outgrows one file). The schema carries a version number; `open_database`
creates a fresh database at the current version, upgrades an older one with the additive steps
in `MIGRATIONS` (all in one transaction, so a failed upgrade changes nothing) and refuses a
database written by newer code.

A subscriber row is one address on one list. Its life: `pending` (sign-up, waiting for the
confirmation link) → `confirmed` (with the time and version of the consent text: AVG art. 7
proof) → `unsubscribed` (kept, as the record that consent was withdrawn). Pending rows older
than a few days are pruned. `key` is the random public identifier that links carry; `nonce`
makes a confirmation link single-use.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError

from .errors import DorpspleinError

DATABASE_URL_VARIABLE = "DORPSPLEIN_DATABASE_URL"
SCHEMA_VERSION = 1

PENDING, CONFIRMED, UNSUBSCRIBED = "pending", "confirmed", "unsubscribed"
EMAIL_MAX_LENGTH = 254  # RFC 5321 path limit


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite (which has no time zones) too."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime; pass an aware UTC datetime")
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None


metadata = MetaData()

schema_info = Table(
    "dorpsplein_schema", metadata,
    Column("id", Integer, primary_key=True),  # always 1: a single row
    Column("version", Integer, nullable=False),
)

subscribers = Table(
    "subscribers", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(32), nullable=False, unique=True),
    Column("email", String(EMAIL_MAX_LENGTH), nullable=False),
    Column("list_name", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("nonce", String(32)),
    Column("source", String(16), nullable=False),  # form | import | admin
    Column("requested_at", UtcDateTime, nullable=False),
    Column("confirmed_at", UtcDateTime),
    Column("consent_version", String(64)),
    Column("consent_note", Text),  # proof of consent for rows that did not come through the form
    Column("unsubscribed_at", UtcDateTime),
    UniqueConstraint("email", "list_name", name="uq_subscribers_email_list"),
    Index("ix_subscribers_list_status", "list_name", "status"),
)

contact_messages = Table(
    "contact_messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("email", String(EMAIL_MAX_LENGTH), nullable=False),
    Column("subject", String(150), nullable=False),
    Column("message", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("mailed_at", UtcDateTime),  # NULL until the community manager's copy is sent
)

# One row per (mailing, subscriber), written before and updated after each send: the newsletter
# sender's exactly-once record. Status: sending | sent | deferred (4xx, retried) | failed (5xx).
deliveries = Table(
    "deliveries", metadata,
    Column("id", Integer, primary_key=True),
    Column("mailing", String(128), nullable=False),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("smtp_code", Integer),
    Column("detail", Text),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("owner", String(128)),  # the run that claimed a `sending` row: host, pid and a random part
    Column("lease_until", UtcDateTime),  # a `sending` row is that run's until then; it renews while alive
    UniqueConstraint("mailing", "subscriber_id", name="uq_deliveries_mailing_subscriber"),
)

# Steps that bring a database from version N-1 to N: additive only (add tables, columns, indexes),
# so an upgrade never loses data. A fresh database is created at SCHEMA_VERSION directly.
MIGRATIONS: dict[int, callable] = {}


def default_database_url(environ: Mapping[str, str] = os.environ) -> str:
    """A SQLite file outside the repository, so personal data can never be committed by accident."""
    data_home = Path(environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{data_home / 'dorpsplein' / 'subscribers.sqlite3'}"


def database_url(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(DATABASE_URL_VARIABLE) or default_database_url(environ)


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLite wait for a lock and take the write lock at BEGIN, so concurrent writers queue up
    instead of failing with 'database is locked' (pysqlite's own BEGIN handling cannot do this)."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA busy_timeout = 30000")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            dbapi_connection.execute("PRAGMA journal_mode = WAL")

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def open_database(url: str | None = None) -> Engine:
    """An engine for the subscriber database, with its schema created or upgraded."""
    url = url or database_url()
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise DorpspleinError(f"{DATABASE_URL_VARIABLE}: not a usable database URL ({exc})") from None
    if engine.dialect.name == "sqlite":
        if engine.url.database not in (None, "", ":memory:"):
            folder = Path(engine.url.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DorpspleinError(f"{DATABASE_URL_VARIABLE}: cannot create the folder {folder} "
                                      f"({exc.strerror})") from None
        _sqlite_transactions(engine)
    try:
        migrate(engine)
    except OperationalError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise DorpspleinError(f"{DATABASE_URL_VARIABLE}: cannot open {where}: {exc.orig}") from None
    return engine


def schema_version(engine: Engine) -> int | None:
    """The version stamped in the database, or None for a database without our tables."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(schema_info.name):
            return None
        return conn.execute(select(schema_info.c.version)).scalar_one()


def migrate(engine: Engine) -> int:
    """Create or upgrade the schema to SCHEMA_VERSION; returns the version the database had."""
    with engine.begin() as conn:
        tables = set(inspect(conn).get_table_names())
        if schema_info.name not in tables:
            clash = tables & set(metadata.tables)
            if clash:
                raise DorpspleinError(f"{DATABASE_URL_VARIABLE}: the database has tables named "
                                      f"{', '.join(sorted(clash))} but no schema version; not ours to change")
            metadata.create_all(conn)
            conn.execute(schema_info.insert().values(id=1, version=SCHEMA_VERSION))
            return 0
        found = conn.execute(select(schema_info.c.version)).scalar_one()
        if found > SCHEMA_VERSION:
            raise DorpspleinError(f"{DATABASE_URL_VARIABLE}: the database has schema version {found}, newer than "
                                  f"this code ({SCHEMA_VERSION}); update dorpsplein before using it")
        for version in range(found + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version](conn)
        if found < SCHEMA_VERSION:
            conn.execute(schema_info.update().values(version=SCHEMA_VERSION))
        return found


@dataclass(frozen=True)
class Subscriber:
    id: int
    key: str
    email: str
    list_name: str
    status: str
    nonce: str | None
    source: str
    requested_at: datetime
    confirmed_at: datetime | None
    consent_version: str | None
    consent_note: str | None
    unsubscribed_at: datetime | None

    @classmethod
    def from_row(cls, row) -> Subscriber:
        return cls(**{name: row._mapping[name] for name in cls.__dataclass_fields__})


class ConfirmOutcome(Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"  # the link was used before
    INVALID = "invalid"  # unknown key, an older link, or the address has unsubscribed since


def _find(conn, email: str, list_name: str):
    query = select(subscribers).where(subscribers.c.email == email, subscribers.c.list_name == list_name)
    return conn.execute(query).first()


def add_pending(engine: Engine, email: str, list_name: str, now: datetime, source: str = "form") -> Subscriber:
    """Record a sign-up waiting for confirmation; returns the row (status tells the caller what to send).

    A confirmed address stays confirmed. A pending one keeps its nonce, so every confirmation e-mail
    sent so far keeps working; an unsubscribed one starts over and must confirm again.
    """
    for attempt in range(2):  # a concurrent insert of the same address (PostgreSQL) wins; then update it
        try:
            with engine.begin() as conn:
                row = _find(conn, email, list_name)
                if row is None:
                    conn.execute(subscribers.insert().values(
                        key=secrets.token_urlsafe(16), email=email, list_name=list_name, status=PENDING,
                        nonce=secrets.token_urlsafe(16), source=source, requested_at=now))
                elif row.status != CONFIRMED:
                    nonce = row.nonce if row.status == PENDING and row.nonce else secrets.token_urlsafe(16)
                    conn.execute(subscribers.update().where(subscribers.c.id == row.id).values(
                        status=PENDING, nonce=nonce, requested_at=now))
                return Subscriber.from_row(_find(conn, email, list_name))
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def add_confirmed(engine: Engine, email: str, list_name: str, now: datetime, consent_note: str,
                  source: str = "import") -> Subscriber:
    """Add (or re-confirm) an address whose consent was given elsewhere, e.g. a paper form or a CSV import.

    `consent_note` is the proof (where and when the person agreed); without it there is no row.
    """
    if not consent_note.strip():
        raise DorpspleinError(f"{email}: a consent note is required (where and when did this person agree?)")
    with engine.begin() as conn:
        values = dict(status=CONFIRMED, nonce=None, source=source, confirmed_at=now, consent_version=None,
                      consent_note=consent_note.strip(), unsubscribed_at=None)
        row = _find(conn, email, list_name)
        if row is None:
            conn.execute(subscribers.insert().values(key=secrets.token_urlsafe(16), email=email, list_name=list_name,
                                                     requested_at=now, **values))
        else:
            conn.execute(subscribers.update().where(subscribers.c.id == row.id).values(**values))
        return Subscriber.from_row(_find(conn, email, list_name))


def remove(engine: Engine, email: str, list_name: str) -> bool:
    """Delete an address from a list entirely (AVG right to erasure), deliveries included; False if absent."""
    with engine.begin() as conn:
        result = conn.execute(subscribers.delete().where(subscribers.c.email == email,
                                                         subscribers.c.list_name == list_name))
        return result.rowcount == 1


def confirm(engine: Engine, key: str, nonce: str, consent_version: str, now: datetime) -> ConfirmOutcome:
    """Confirm a pending sign-up once: the nonce is cleared in the same statement that confirms."""
    with engine.begin() as conn:
        updated = conn.execute(
            subscribers.update()
            .where(subscribers.c.key == key, subscribers.c.nonce == nonce, subscribers.c.status == PENDING)
            .values(status=CONFIRMED, nonce=None, confirmed_at=now, consent_version=consent_version,
                    unsubscribed_at=None))
        if updated.rowcount == 1:
            return ConfirmOutcome.CONFIRMED
        status = conn.execute(select(subscribers.c.status).where(subscribers.c.key == key)).scalar()
        return ConfirmOutcome.ALREADY_CONFIRMED if status == CONFIRMED else ConfirmOutcome.INVALID


def unsubscribe(engine: Engine, key: str, now: datetime) -> bool:
    """Unsubscribe the row with this key; idempotent. False when no such row exists (any longer)."""
    with engine.begin() as conn:
        conn.execute(subscribers.update()
                     .where(subscribers.c.key == key, subscribers.c.status != UNSUBSCRIBED)
                     .values(status=UNSUBSCRIBED, nonce=None, unsubscribed_at=now))
        return conn.execute(select(subscribers.c.id).where(subscribers.c.key == key)).first() is not None


def subscriber_by_key(engine: Engine, key: str) -> Subscriber | None:
    with engine.connect() as conn:
        row = conn.execute(select(subscribers).where(subscribers.c.key == key)).first()
    return Subscriber.from_row(row) if row else None


def list_subscribers(engine: Engine, list_name: str | None = None, status: str | None = None) -> list[Subscriber]:
    """Subscribers in sign-up order, optionally of one list and/or one status."""
    query = select(subscribers).order_by(subscribers.c.id)
    if list_name is not None:
        query = query.where(subscribers.c.list_name == list_name)
    if status is not None:
        query = query.where(subscribers.c.status == status)
    with engine.connect() as conn:
        return [Subscriber.from_row(row) for row in conn.execute(query)]


def count_subscribers(engine: Engine) -> dict[tuple[str, str], int]:
    """Number of rows per (list, status)."""
    query = (select(subscribers.c.list_name, subscribers.c.status, func.count())
             .group_by(subscribers.c.list_name, subscribers.c.status)
             .order_by(subscribers.c.list_name, subscribers.c.status))
    with engine.connect() as conn:
        return {(list_name, status): n for list_name, status, n in conn.execute(query)}


def prune_unconfirmed(engine: Engine, requested_before: datetime) -> int:
    """Delete pending sign-ups requested before the given moment; returns how many."""
    with engine.begin() as conn:
        result = conn.execute(subscribers.delete().where(subscribers.c.status == PENDING,
                                                         subscribers.c.requested_at < requested_before))
        return result.rowcount
