"""Opening the database and bringing its schema to the newest Alembic revision.

SQLite by default, any SQLAlchemy URL from `DORPSPLEIN_DATABASE_URL` (PostgreSQL for a
municipality that outgrows one file). `open_database` is the one way in: it creates a fresh
database, upgrades an older one (a database from before Alembic, which carried its own version
table, is stamped as the baseline first) and refuses one written by newer code. All steps of an
upgrade run in one transaction, so a failed upgrade changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from ..errors import DorpspleinError
from .schema import metadata

DATABASE_URL_VARIABLE = "DORPSPLEIN_DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001_baseline"  # the schema as it was before Alembic (version 1 of `dorpsplein_schema`)
LEGACY_VERSION_TABLE = "dorpsplein_schema"


def default_database_url(environ: Mapping[str, str] = os.environ) -> str:
    """A SQLite file outside the repository, so personal data can never be committed by accident."""
    data_home = Path(environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{data_home / 'dorpsplein' / 'subscribers.sqlite3'}"


def database_url(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(DATABASE_URL_VARIABLE) or default_database_url(environ)


BUSY_WAIT_MS = 30_000  # how long a write waits for SQLite's write lock, unless the caller says otherwise


def reading(engine: Engine) -> Engine:
    """The engine for a transaction that only reads: on SQLite it takes no write lock, so a page that only
    shows something (health check, confirmation and unsubscribe pages) never waits behind a writer."""
    return engine.execution_options(dorpsplein_read=True)


def waiting_at_most(engine: Engine, seconds: float) -> Engine:
    """The engine for a write that should give up after `seconds` on a busy SQLite database (one-click
    unsubscribe: its answer matters more than the write, which has a queue to fall back on)."""
    return engine.execution_options(dorpsplein_busy_ms=int(seconds * 1000))


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLite wait for a lock and take the write lock at BEGIN, so concurrent writers queue up
    instead of failing with 'database is locked' (pysqlite's own BEGIN handling cannot do this).
    Reads (see `reading`) begin without the write lock: in WAL mode they never wait for a writer."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_WAIT_MS}")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            dbapi_connection.execute("PRAGMA journal_mode = WAL")

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        options = connection.get_execution_options()
        if options.get("dorpsplein_read"):
            connection.exec_driver_sql("BEGIN")
            return
        wait = options.get("dorpsplein_busy_ms", BUSY_WAIT_MS)
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(wait)}")  # pooled connections: set it every time
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_database_engine(url: str | None = None) -> Engine:
    """An engine for the database as it is (no migration); `open_database` is what callers want."""
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
    return engine


def open_database(url: str | None = None) -> Engine:
    """An engine for the database, with its schema created or upgraded to the newest revision."""
    return migrate_database(url)[0]


def migrate_database(url: str | None = None) -> tuple[Engine, str | None]:
    """`open_database`, also returning the revision the database had before (None: it was empty)."""
    engine = create_database_engine(url)
    try:
        return engine, upgrade_to_head(engine)
    except OperationalError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise DorpspleinError(f"{DATABASE_URL_VARIABLE}: cannot open {where}: {exc.orig}") from None


def alembic_config() -> Config:
    """Our migrations, without an alembic.ini (the `alembic` command line reads pyproject.toml)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


@contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole upgrade, taken before anything is read.

    SQLite: foreign keys are switched off for the connection (outside the transaction, where the pragma
    works) because rebuilding a table (Alembic's batch mode) would otherwise cascade its DROP into the
    deliveries; the keys are checked before the commit. PostgreSQL: an advisory lock, so two services
    starting at once do not both create the tables.
    """
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('dorpsplein migrations'))"))
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise DorpspleinError(f"{DATABASE_URL_VARIABLE}: the upgrade would leave rows pointing "
                                              f"nowhere ({broken[:3]}); nothing was changed")
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


def upgrade_to_head(engine: Engine, config: Config | None = None) -> str | None:
    """Create or upgrade the schema to the newest revision; returns the revision the database had."""
    config = config or alembic_config()
    script = ScriptDirectory.from_config(config)
    with _migration_transaction(engine) as conn:
        found = MigrationContext.configure(conn).get_current_heads()
        if set(found) == set(script.get_heads()):
            return found[0] if len(found) == 1 else ",".join(found)
        for revision in found:
            try:
                script.get_revision(revision)
            except CommandError:
                raise DorpspleinError(f"{DATABASE_URL_VARIABLE}: the database has schema revision {revision}, "
                                      "unknown to this code (newer code wrote it); update dorpsplein before "
                                      "using it") from None
        config.attributes["connection"] = conn
        if not found:
            tables = set(inspect(conn).get_table_names())
            if LEGACY_VERSION_TABLE in tables:
                _stamp_legacy(conn, config)
            elif tables & set(metadata.tables):
                raise DorpspleinError(f"{DATABASE_URL_VARIABLE}: the database has tables named "
                                      f"{', '.join(sorted(tables & set(metadata.tables)))} but no schema "
                                      "version; not ours to change")
        command.upgrade(config, "head")
        return ",".join(found) or None


def _stamp_legacy(conn: Connection, config: Config) -> None:
    """A database from before Alembic: its version 1 is our baseline revision."""
    version = conn.execute(text(f"SELECT version FROM {LEGACY_VERSION_TABLE}")).scalar()
    if version != 1:
        raise DorpspleinError(f"{DATABASE_URL_VARIABLE}: the database has schema version {version}, unknown "
                              "to this code; update dorpsplein before using it")
    command.stamp(config, BASELINE)


def schema_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database without our schema."""
    with reading(engine).connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(heads) or None


def head_revision() -> str:
    return ",".join(ScriptDirectory.from_config(alembic_config()).get_heads())
