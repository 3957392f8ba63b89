"""The subscriber database contract: Alembic revisions, upgrades that never lose data, and the row life cycle."""

from __future__ import annotations

import os
import textwrap
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.exc import IntegrityError

from dorpsplein import subscribers as db
from dorpsplein.db.database import MIGRATIONS, alembic_config, head_revision, schema_revision, upgrade_to_head
from dorpsplein.db.schema import contact_messages, deliveries, metadata
from dorpsplein.errors import DorpspleinError

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'subscribers.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, sqlite_url):
    """Every test that takes `url` runs on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return sqlite_url
    return request.getfixturevalue("postgres").new_database()


HEAD = head_revision()
TABLES = {"alembic_version", *metadata.tables}

# The schema as the code before Alembic created it (SCHEMA_VERSION 1 in its own `dorpsplein_schema` table).
LEGACY_SCHEMA = [
    "CREATE TABLE dorpsplein_schema (id INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (id))",
    "INSERT INTO dorpsplein_schema (id, version) VALUES (1, 1)",
    """CREATE TABLE subscribers (id {pk} NOT NULL, key VARCHAR(32) NOT NULL, email VARCHAR(254) NOT NULL,
       list_name VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL, nonce VARCHAR(32), source VARCHAR(16) NOT NULL,
       requested_at {ts} NOT NULL, confirmed_at {ts}, consent_version VARCHAR(64), consent_note TEXT,
       unsubscribed_at {ts}, PRIMARY KEY (id), UNIQUE (key),
       CONSTRAINT uq_subscribers_email_list UNIQUE (email, list_name))""",
    "CREATE INDEX ix_subscribers_list_status ON subscribers (list_name, status)",
    """CREATE TABLE contact_messages (id {pk} NOT NULL, name VARCHAR(100) NOT NULL, email VARCHAR(254) NOT NULL,
       subject VARCHAR(150) NOT NULL, message TEXT NOT NULL, received_at {ts} NOT NULL, mailed_at {ts},
       PRIMARY KEY (id))""",
    """CREATE TABLE deliveries (id {pk} NOT NULL, mailing VARCHAR(128) NOT NULL, subscriber_id INTEGER NOT NULL,
       status VARCHAR(16) NOT NULL, attempts INTEGER NOT NULL, smtp_code INTEGER, detail TEXT,
       updated_at {ts} NOT NULL, PRIMARY KEY (id), CONSTRAINT uq_deliveries_mailing_subscriber
       UNIQUE (mailing, subscriber_id), FOREIGN KEY(subscriber_id) REFERENCES subscribers (id) ON DELETE CASCADE)""",
]


def legacy_database(url: str, *statements: str):
    """A database as the code before Alembic left it, with some rows."""
    engine = create_engine(url)
    postgresql = engine.dialect.name == "postgresql"
    timestamp, serial = ("TIMESTAMP WITHOUT TIME ZONE", "SERIAL") if postgresql else ("DATETIME", "INTEGER")
    with engine.begin() as conn:
        for statement in LEGACY_SCHEMA + list(statements):
            conn.execute(text(statement.replace("{ts}", timestamp).replace("{pk}", serial)))
    engine.dispose()


def test_a_fresh_database_gets_every_table_at_the_newest_revision(url):
    engine = db.open_database(url)
    assert schema_revision(engine) == HEAD
    assert set(inspect(engine).get_table_names()) == TABLES


def test_the_migrations_build_exactly_the_schema_of_the_code(url):
    """A change to dorpsplein/db/schema.py without a migration fails here (and the reverse)."""
    engine = db.open_database(url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_reopening_keeps_the_data(url):
    db.add_pending(db.open_database(url), "jan@voorbeeld.nl", "extern", NOW)
    assert [s.email for s in db.list_subscribers(db.open_database(url))] == ["jan@voorbeeld.nl"]


def test_a_database_from_before_alembic_is_stamped_and_upgraded_keeping_every_row(url):
    legacy_database(
        url,
        "INSERT INTO subscribers (id, key, email, list_name, status, source, requested_at, confirmed_at,"
        " consent_version) VALUES (1, 'k1', 'jan@voorbeeld.nl', 'extern', 'confirmed', 'form',"
        " '2026-10-01 10:00:00', '2026-10-01 10:05:00', 'v1')",
        "INSERT INTO deliveries (mailing, subscriber_id, status, attempts, updated_at)"
        " VALUES ('2026-10/extern', 1, 'sent', 1, '2026-11-01 09:00:00')",
        "INSERT INTO contact_messages (name, email, subject, message, received_at)"
        " VALUES ('Jan', 'jan@voorbeeld.nl', 'Vraag', 'Hallo', '2026-11-02 09:00:00')")
    engine = db.open_database(url)
    assert schema_revision(engine) == HEAD
    assert set(inspect(engine).get_table_names()) == TABLES
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    [jan] = db.list_subscribers(engine)
    assert (jan.key, jan.email, jan.status, jan.confirmed_at) == ("k1", "jan@voorbeeld.nl", "confirmed",
                                                                  datetime(2026, 10, 1, 10, 5, tzinfo=UTC))
    with engine.connect() as conn:
        assert conn.execute(select(deliveries.c.subscriber_id, deliveries.c.status)).all() == [(1, "sent")]
        assert conn.execute(select(contact_messages.c.subject)).scalars().all() == ["Vraag"]


def insert_subscriber(id, key, email, status, confirmed_at=None, unsubscribed_at=None, list_name="extern",
                      requested_at="2026-09-01 08:00:00", nonce=None):
    value = lambda v: "NULL" if v is None else f"'{v}'"  # noqa: E731
    return ("INSERT INTO subscribers (id, key, email, list_name, status, nonce, source, requested_at, confirmed_at,"
            f" consent_version, consent_note, unsubscribed_at) VALUES ({id}, '{key}', '{email}', '{list_name}',"
            f" '{status}', {value(nonce)}, 'form', '{requested_at}', {value(confirmed_at)},"
            f" {value(confirmed_at and 'v-' + key)}, NULL, {value(unsubscribed_at)})")


def insert_delivery(mailing, subscriber_id, status):
    return ("INSERT INTO deliveries (mailing, subscriber_id, status, attempts, updated_at)"
            f" VALUES ('{mailing}', {subscriber_id}, '{status}', 1, '2026-11-01 09:00:00')")


def test_the_identity_migration_merges_case_variants_keeping_the_earliest_proof_and_the_unsubscribe(url):
    legacy_database(
        url,
        # Jan: added by staff with capitals (earliest consent), later signed up on the site in lower case.
        insert_subscriber(1, "k-jan-staff", "Jan.Jansen@VOORBEELD.nl", "confirmed", "2026-10-01 10:00:00",
                          requested_at="2026-10-01 10:00:00"),
        insert_subscriber(2, "k-jan-form", "jan.jansen@voorbeeld.nl", "confirmed", "2026-10-05 10:00:00",
                          requested_at="2026-09-30 10:00:00"),
        insert_delivery("2026-10/extern", 1, "sending"),
        insert_delivery("2026-10/extern", 2, "sent"),
        insert_delivery("2026-11/extern", 2, "sent"),
        # Piet: unsubscribed through one copy, still confirmed on the other: unsubscribed wins.
        insert_subscriber(3, "k-piet-1", "Piet@Voorbeeld.NL", "unsubscribed", "2026-10-02 10:00:00",
                          unsubscribed_at="2026-11-03 10:00:00"),
        insert_subscriber(4, "k-piet-2", "piet@voorbeeld.nl", "confirmed", "2026-10-03 10:00:00"),
        # The same person on another list stays a row of its own; an IDNA spelling is the same domain.
        insert_subscriber(5, "k-jan-intern", "jan.jansen@voorbeeld.nl", "confirmed", "2026-10-01 09:00:00",
                          list_name="intern"),
        insert_subscriber(6, "k-els-1", "els@gemeente-ë.nl", "pending", nonce="n1"),
        insert_subscriber(7, "k-els-2", "ELS@xn--gemeente--34a.nl", "pending", nonce="n2"),
    )
    engine = db.open_database(url)
    rows = {row.key: row for row in db.list_subscribers(engine)}
    assert sorted(rows) == ["k-els-1", "k-jan-intern", "k-jan-staff", "k-piet-1"]
    jan = rows["k-jan-staff"]
    assert (jan.email, jan.status, jan.confirmed_at, jan.consent_version, jan.requested_at) == (
        "Jan.Jansen@VOORBEELD.nl", "confirmed", datetime(2026, 10, 1, 10, tzinfo=UTC), "v-k-jan-staff",
        datetime(2026, 9, 30, 10, tzinfo=UTC))
    piet = rows["k-piet-1"]
    assert (piet.status, piet.unsubscribed_at, piet.confirmed_at) == (
        "unsubscribed", datetime(2026, 11, 3, 10, tzinfo=UTC), datetime(2026, 10, 2, 10, tzinfo=UTC))
    assert (rows["k-els-1"].status, rows["k-els-1"].nonce) == ("pending", "n1")
    with engine.connect() as conn:  # one delivery per mailing, the most advanced one, on the survivor
        assert sorted(conn.execute(select(deliveries.c.mailing, deliveries.c.subscriber_id, deliveries.c.status))
                      .all()) == [("2026-10/extern", jan.id, "sent"), ("2026-11/extern", jan.id, "sent")]
    # The link in the copy the merged-away row got still unsubscribes the person.
    assert db.subscriber_by_key(engine, "k-jan-form").id == jan.id
    assert db.unsubscribe(engine, "k-jan-form", NOW) is True
    assert db.subscriber_by_key(engine, "k-jan-staff").status == "unsubscribed"
    # And from now on the database itself refuses a second row for the person.
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO subscribers (key, email, email_canonical, list_name, status, source,"
                          " requested_at) VALUES ('x', 'JAN.jansen@voorbeeld.nl', 'jan.jansen@voorbeeld.nl',"
                          " 'extern', 'pending', 'form', '2026-12-01 00:00:00')"))


def test_every_way_in_finds_the_one_identity_whatever_the_case(url):
    engine = db.open_database(url)
    staff = db.add_confirmed(engine, "Jan.Jansen@VOORBEELD.nl", "extern", NOW, consent_note="Papieren formulier")
    form = db.add_pending(engine, "jan.jansen@voorbeeld.nl", "extern", NOW + timedelta(days=1))
    assert (form.id, form.status, form.email) == (staff.id, "confirmed", "Jan.Jansen@VOORBEELD.nl")
    again = db.add_confirmed(engine, "JAN.JANSEN@voorbeeld.NL", "extern", NOW + timedelta(days=2), "Import")
    assert (again.id, again.confirmed_at, again.consent_note) == (staff.id, NOW, "Papieren formulier")
    assert len(db.list_subscribers(engine)) == 1
    assert db.remove(engine, "jan.jansen@VOORBEELD.NL", "extern") is True
    assert db.list_subscribers(engine) == []


def test_a_database_from_newer_code_is_refused(url):
    engine = db.open_database(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999_from_the_future'"))
    with pytest.raises(DorpspleinError) as error:
        db.open_database(url)
    assert str(error.value) == ("DORPSPLEIN_DATABASE_URL: the database has schema revision 0999_from_the_future, "
                                "unknown to this code (newer code wrote it); update dorpsplein before using it")


def test_a_legacy_version_other_than_one_is_refused(url):
    legacy_database(url, "UPDATE dorpsplein_schema SET version = 2")
    with pytest.raises(DorpspleinError, match="has schema version 2, unknown to this code"):
        db.open_database(url)


def test_tables_of_someone_else_are_not_touched(url):
    with create_engine(url).begin() as conn:
        conn.execute(text("CREATE TABLE subscribers (naam TEXT)"))
    with pytest.raises(DorpspleinError, match="has tables named subscribers but no schema version; not ours"):
        db.open_database(url)


def extra_revision(tmp_path, body: str):
    """Our migrations plus one more revision on top, written in tmp_path."""
    versions = tmp_path / "extra_versions"
    versions.mkdir()
    header = ("import sqlalchemy as sa\nfrom alembic import op\n\n"
              f"revision = '9000_extra'\ndown_revision = {HEAD!r}\nbranch_labels = None\ndepends_on = None\n\n\n")
    upgrade = "def upgrade():\n" + textwrap.indent(textwrap.dedent(body), "    ")
    (versions / "9000_extra.py").write_text(header + upgrade)
    config = alembic_config()
    config.set_main_option("version_locations", os.pathsep.join([str(MIGRATIONS / "versions"), str(versions)]))
    return config


def test_a_new_revision_adds_to_the_schema_and_keeps_every_row(url, tmp_path):
    engine = db.open_database(url)
    db.add_pending(engine, "jan@voorbeeld.nl", "extern", NOW)
    config = extra_revision(tmp_path, """
        with op.batch_alter_table("subscribers") as batch:
            batch.add_column(sa.Column("language", sa.String(8), server_default="nl"))
        """)
    assert upgrade_to_head(engine, config) == HEAD
    assert schema_revision(engine) == "9000_extra"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT email, language FROM subscribers")).all() == [("jan@voorbeeld.nl", "nl")]


def test_a_failing_upgrade_changes_nothing(url, tmp_path):
    engine = db.open_database(url)
    row = db.add_confirmed(engine, "jan@voorbeeld.nl", "extern", NOW, consent_note="Formulier")
    with engine.begin() as conn:
        conn.execute(deliveries.insert().values(mailing="2026-11/extern", subscriber_id=row.id, status="sent",
                                                attempts=1, updated_at=NOW))
    config = extra_revision(tmp_path, """
        with op.batch_alter_table("subscribers") as batch:
            batch.add_column(sa.Column("language", sa.String(8)))
        raise RuntimeError("stroomstoring halverwege")
        """)
    with pytest.raises(RuntimeError):
        upgrade_to_head(engine, config)
    assert schema_revision(engine) == HEAD
    assert "language" not in [column["name"] for column in inspect(engine).get_columns("subscribers")]
    assert [s.email for s in db.list_subscribers(engine)] == ["jan@voorbeeld.nl"]
    with engine.connect() as conn:  # rebuilding the table did not cascade into the deliveries
        assert conn.execute(select(deliveries.c.subscriber_id)).scalars().all() == [row.id]


def test_rebuilding_a_table_on_sqlite_keeps_the_rows_that_point_to_it(sqlite_url, tmp_path):
    engine = db.open_database(sqlite_url)
    row = db.add_confirmed(engine, "jan@voorbeeld.nl", "extern", NOW, consent_note="Formulier")
    with engine.begin() as conn:
        conn.execute(deliveries.insert().values(mailing="2026-11/extern", subscriber_id=row.id, status="sent",
                                                attempts=1, updated_at=NOW))
    config = extra_revision(tmp_path, """
        with op.batch_alter_table("subscribers", recreate="always") as batch:
            batch.add_column(sa.Column("language", sa.String(8)))
        """)
    upgrade_to_head(engine, config)
    with engine.connect() as conn:
        assert conn.execute(select(deliveries.c.subscriber_id)).scalars().all() == [row.id]
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # switched on again afterwards


def test_an_impossible_sqlite_path_is_a_clear_error(tmp_path):
    (tmp_path / "bestand").write_text("geen map")
    with pytest.raises(DorpspleinError) as error:
        db.open_database(f"sqlite:///{tmp_path / 'bestand' / 'subscribers.sqlite3'}")
    assert str(error.value).startswith(f"DORPSPLEIN_DATABASE_URL: cannot create the folder {tmp_path / 'bestand'} (")


def test_a_database_url_error_never_shows_the_password():
    with pytest.raises(DorpspleinError) as error:
        db.open_database("postgresql+nodriver://beheer:geheim-wachtwoord@db.voorbeeld.nl/dorpsplein")
    assert str(error.value).startswith("DORPSPLEIN_DATABASE_URL: not a usable database URL (")
    assert "geheim" not in str(error.value)


def test_the_default_database_lives_outside_the_repository():
    assert db.default_database_url({"XDG_DATA_HOME": "/srv/data"}) == "sqlite:////srv/data/dorpsplein/subscribers.sqlite3"
    assert db.database_url({"DORPSPLEIN_DATABASE_URL": "postgresql://x@db/dorpsplein"}) == \
        "postgresql://x@db/dorpsplein"


def test_life_cycle_pending_confirmed_unsubscribed(url):
    engine = db.open_database(url)
    row = db.add_pending(engine, "jan@voorbeeld.nl", "extern", NOW)
    assert (row.status, row.source, row.requested_at) == ("pending", "form", NOW)
    assert db.confirm(engine, row.key, "verkeerd", "v1", NOW) is db.ConfirmOutcome.INVALID
    assert db.confirm(engine, row.key, row.nonce, "v1", NOW) is db.ConfirmOutcome.CONFIRMED
    assert db.confirm(engine, row.key, row.nonce, "v1", NOW) is db.ConfirmOutcome.ALREADY_CONFIRMED
    # Signing up again leaves a confirmed row alone.
    assert db.add_pending(engine, "jan@voorbeeld.nl", "extern", NOW + timedelta(days=1)).confirmed_at == NOW
    assert db.unsubscribe(engine, row.key, NOW + timedelta(days=2)) is True
    assert db.unsubscribe(engine, row.key, NOW + timedelta(days=3)) is True
    final = db.subscriber_by_key(engine, row.key)
    assert (final.status, final.unsubscribed_at, final.consent_version) == ("unsubscribed", NOW + timedelta(days=2),
                                                                            "v1")
    assert db.unsubscribe(engine, "onbekend", NOW) is False


def test_the_same_address_on_two_lists_is_two_rows(url):
    engine = db.open_database(url)
    db.add_pending(engine, "jan@voorbeeld.nl", "extern", NOW)
    db.add_pending(engine, "jan@voorbeeld.nl", "intern", NOW)
    assert db.count_subscribers(engine) == {("extern", "pending"): 1, ("intern", "pending"): 1}


def test_prune_removes_only_pending_rows_older_than_the_cutoff(url):
    engine = db.open_database(url)
    db.add_pending(engine, "oud@voorbeeld.nl", "extern", NOW - timedelta(days=8))
    db.add_pending(engine, "net@voorbeeld.nl", "extern", NOW - timedelta(days=7))
    lid = db.add_pending(engine, "lid@voorbeeld.nl", "extern", NOW - timedelta(days=30))
    db.confirm(engine, lid.key, lid.nonce, "v1", NOW - timedelta(days=29))
    assert db.prune_unconfirmed(engine, NOW - timedelta(days=7)) == 1
    assert sorted(s.email for s in db.list_subscribers(engine)) == ["lid@voorbeeld.nl", "net@voorbeeld.nl"]


def test_times_come_back_as_aware_utc(url):
    engine = db.open_database(url)
    amsterdam = datetime(2026, 7, 1, 16, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    row = db.add_pending(engine, "jan@voorbeeld.nl", "extern", amsterdam)
    assert row.requested_at == datetime(2026, 7, 1, 14, 0, tzinfo=UTC) and row.requested_at.tzinfo is UTC
    with pytest.raises(Exception, match="naive datetime"):
        db.add_pending(engine, "piet@voorbeeld.nl", "extern", datetime(2026, 7, 1, 14, 0))


def test_administrators_add_with_a_consent_note_and_remove_entirely(url):
    engine = db.open_database(url)
    with pytest.raises(DorpspleinError, match="jan@voorbeeld.nl: a consent note is required"):
        db.add_confirmed(engine, "jan@voorbeeld.nl", "intern", NOW, consent_note="  ")
    row = db.add_confirmed(engine, "jan@voorbeeld.nl", "intern", NOW, consent_note="Personeelsblad, 3 nov 2026")
    assert (row.status, row.source, row.consent_note, row.confirmed_at) == ("confirmed", "import",
                                                                            "Personeelsblad, 3 nov 2026", NOW)
    with engine.begin() as conn:
        conn.execute(db.deliveries.insert().values(mailing="2026-11/intern", subscriber_id=row.id, status="sent",
                                                   attempts=1, updated_at=NOW))
    assert db.remove(engine, "jan@voorbeeld.nl", "intern") is True
    assert db.remove(engine, "jan@voorbeeld.nl", "intern") is False
    with engine.connect() as conn:
        assert conn.execute(db.deliveries.select()).all() == []
