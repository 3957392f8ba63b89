"""The subscriber database contract: schema versions, upgrades that never lose data, and the row life cycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, inspect, text

from dorpsplein import subscribers as db
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


def test_a_fresh_database_gets_every_table_and_the_current_version(url):
    engine = db.open_database(url)
    assert db.schema_version(engine) == db.SCHEMA_VERSION == 1
    assert set(inspect(engine).get_table_names()) == {"dorpsplein_schema", "subscribers", "contact_messages",
                                                      "deliveries"}


def test_reopening_keeps_the_data(url):
    db.add_pending(db.open_database(url), "jan@voorbeeld.nl", "extern", NOW)
    assert [s.email for s in db.list_subscribers(db.open_database(url))] == ["jan@voorbeeld.nl"]


def test_a_database_from_newer_code_is_refused(url):
    engine = db.open_database(url)
    with engine.begin() as conn:
        conn.execute(db.schema_info.update().values(version=2))
    with pytest.raises(DorpspleinError) as error:
        db.open_database(url)
    assert str(error.value) == ("DORPSPLEIN_DATABASE_URL: the database has schema version 2, newer than this code "
                                "(1); update dorpsplein before using it")


def test_tables_of_someone_else_are_not_touched(url):
    with create_engine(url).begin() as conn:
        conn.execute(text("CREATE TABLE subscribers (naam TEXT)"))
    with pytest.raises(DorpspleinError, match="has tables named subscribers but no schema version; not ours"):
        db.open_database(url)


def test_an_upgrade_adds_to_the_schema_and_keeps_every_row(url, monkeypatch):
    engine = db.open_database(url)
    db.add_pending(engine, "jan@voorbeeld.nl", "extern", NOW)

    def add_language_column(conn):
        conn.execute(text("ALTER TABLE subscribers ADD COLUMN language VARCHAR(8) DEFAULT 'nl'"))

    monkeypatch.setattr(db, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(db.MIGRATIONS, 2, add_language_column)
    upgraded = db.open_database(url)
    assert db.schema_version(upgraded) == 2
    with upgraded.connect() as conn:
        assert conn.execute(text("SELECT email, language FROM subscribers")).all() == [("jan@voorbeeld.nl", "nl")]


def test_a_failing_upgrade_changes_nothing(url, monkeypatch):
    engine = db.open_database(url)
    db.add_pending(engine, "jan@voorbeeld.nl", "extern", NOW)

    def half_done(conn):
        conn.execute(text("ALTER TABLE subscribers ADD COLUMN language VARCHAR(8)"))
        raise RuntimeError("stroomstoring halverwege")

    monkeypatch.setattr(db, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(db.MIGRATIONS, 2, half_done)
    with pytest.raises(RuntimeError):
        db.open_database(url)
    monkeypatch.setattr(db, "SCHEMA_VERSION", 1)
    assert db.schema_version(engine) == 1
    assert "language" not in [column["name"] for column in inspect(engine).get_columns("subscribers")]
    assert [s.email for s in db.list_subscribers(engine)] == ["jan@voorbeeld.nl"]


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
