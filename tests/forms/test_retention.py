"""What the privacy statement promises: erasure on request, retention periods kept, no subscription bombing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from dorpsplein.db.schema import contact_messages, deliveries, outbox
from dorpsplein.forms.contact import store_message
from dorpsplein.forms.outbox import Outbox
from dorpsplein.forms.service import prune_personal_data
from dorpsplein.settings import ROOT, load_settings
from dorpsplein.subscribers import add_confirmed, add_pending, confirm, list_subscribers, open_database, unsubscribe
from tasks import cli

from .test_signup import sign_up

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture
def engine(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'retention.sqlite3'}"
    monkeypatch.setenv("DORPSPLEIN_DATABASE_URL", url)
    return open_database(url)


def message(engine, email, when, subject="Vraag over de markt"):
    return store_message(engine, {"name": "Jan", "email": email, "subject": subject, "message": "Hallo"}, when)


def count(engine, table):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_forget_erases_every_trace_of_a_person_whatever_the_case(engine, runner):
    jan = add_confirmed(engine, "Jan.Jansen@Voorbeeld.NL", "extern", T0, "Markt")
    add_pending(engine, "jan.jansen@voorbeeld.nl", "intern", T0)
    piet = add_confirmed(engine, "piet@voorbeeld.nl", "extern", T0, "Markt")
    with engine.begin() as conn:
        for mailing in ("2026-01/extern", "2026-02/extern"):
            for subscriber in (jan, piet):
                conn.execute(deliveries.insert().values(mailing=mailing, subscriber_id=subscriber.id, status="sent",
                                                        attempts=1, updated_at=T0))
    message(engine, "JAN.JANSEN@voorbeeld.nl", T0)
    message(engine, "jan.jansen@voorbeeld.nl", T0)
    message(engine, "piet@voorbeeld.nl", T0)
    waiting = Outbox(engine, send=None, clock=lambda: T0, compose=None)
    waiting.add("confirmation", {}, "jan.jansen@voorbeeld.nl")
    waiting.add("confirmation", {}, "piet@voorbeeld.nl")

    result = runner.invoke(cli, ["newsletter", "subscribers", "forget", "jan.jansen@VOORBEELD.nl"])
    assert result.exit_code == 0, result.output
    assert result.output == ("Forgot jan.jansen@VOORBEELD.nl:\n  subscriptions: 1\n  pending sign-ups: 1\n"
                             "  deliveries: 2\n  contact messages: 2\n  queued e-mails: 1\n")
    assert [row.email for row in list_subscribers(engine)] == ["piet@voorbeeld.nl"]
    assert (count(engine, deliveries), count(engine, contact_messages), count(engine, outbox)) == (2, 1, 1)

    again = runner.invoke(cli, ["newsletter", "subscribers", "forget", "jan.jansen@voorbeeld.nl"])
    assert again.exit_code == 0 and again.output == "Nothing stored about jan.jansen@voorbeeld.nl\n"


def test_prune_keeps_each_kind_exactly_as_long_as_promised(engine):
    settings = load_settings()
    pending = add_pending(engine, "wacht@voorbeeld.nl", "extern", T0)
    add_pending(engine, "wacht@voorbeeld.nl", "extern", T0 + timedelta(days=6))  # again: still the first time
    gone = add_confirmed(engine, "weg@voorbeeld.nl", "extern", T0, "Markt")
    with engine.begin() as conn:
        conn.execute(deliveries.insert().values(mailing="2026-01/extern", subscriber_id=gone.id, status="sent",
                                                attempts=1, updated_at=T0))
    unsubscribe(engine, gone.key, T0 + timedelta(days=2))
    member = add_pending(engine, "lid@voorbeeld.nl", "extern", T0)
    confirm(engine, member.key, member.nonce, "v1", T0)
    message(engine, "vraag@voorbeeld.nl", T0)

    def prune_at(moment):
        return prune_personal_data(now=moment, settings=settings)

    nothing = {"unconfirmed sign-ups": 0, "unsubscribed addresses": 0, "contact messages": 0}
    assert prune_at(T0 + timedelta(days=7) - SECOND) == nothing
    assert prune_at(T0 + timedelta(days=7) + SECOND) == {**nothing, "unconfirmed sign-ups": 1}
    assert pending.key not in {row.key for row in list_subscribers(engine)}
    assert prune_at(T0 + timedelta(days=32) - SECOND) == nothing
    assert prune_at(T0 + timedelta(days=32) + SECOND) == {**nothing, "unsubscribed addresses": 1}
    assert count(engine, deliveries) == 0
    assert prune_at(T0 + timedelta(days=365) - SECOND) == nothing
    assert prune_at(T0 + timedelta(days=365) + SECOND) == {**nothing, "contact messages": 1}
    # A confirmed subscriber stays, however long.
    assert prune_at(T0 + timedelta(days=3650)) == nothing
    assert [row.email for row in list_subscribers(engine)] == ["lid@voorbeeld.nl"]


def test_retention_periods_are_settings(engine, runner):
    gone = add_confirmed(engine, "weg@voorbeeld.nl", "extern", T0, "Markt")
    unsubscribe(engine, gone.key, T0)
    message(engine, "vraag@voorbeeld.nl", T0)
    settings = load_settings(extra={"FORMS_UNSUBSCRIBED_RETENTION_DAYS": 3, "FORMS_CONTACT_RETENTION_DAYS": 10})
    assert prune_personal_data(now=T0 + timedelta(days=4), settings=settings) == {
        "unconfirmed sign-ups": 0, "unsubscribed addresses": 1, "contact messages": 0}
    assert prune_personal_data(now=T0 + timedelta(days=11), settings=settings)["contact messages"] == 1
    with pytest.raises(Exception, match="FORMS_CONTACT_RETENTION_DAYS: expected a number of days above 0, got 'nooit'"):
        prune_personal_data(now=T0, settings=load_settings(extra={"FORMS_CONTACT_RETENTION_DAYS": "nooit"}))


def test_forms_prune_on_the_command_line_and_daily_from_systemd(engine, runner):
    add_pending(engine, "oud@voorbeeld.nl", "extern", datetime.now(UTC) - timedelta(days=8))
    result = runner.invoke(cli, ["forms", "prune"])
    assert result.exit_code == 0, result.output
    assert result.output == "Deleted 1 unconfirmed sign-ups, 0 unsubscribed addresses, 0 contact messages\n"
    daily = (ROOT / "deploy/systemd/dorpsplein-forms-daily.service").read_text()
    assert "ExecStart=/opt/dorpsplein/.venv/bin/python tasks.py forms prune\n" in daily
    assert "OnCalendar=*-*-* 04:15" in (ROOT / "deploy/systemd/dorpsplein-forms-daily.timer").read_text()


def test_one_sign_up_mail_per_address_per_interval_with_the_same_answer(service):
    first = sign_up(service, "jan@voorbeeld.nl")
    assert first.status == 200 and len(service.inbox.messages) == 1
    [row] = service.rows()
    for variant in ("jan@voorbeeld.nl", "JAN@Voorbeeld.nl", "Jan@VOORBEELD.NL"):
        service.clock.offset += timedelta(hours=7)
        again = sign_up(service, variant)
        assert (again.status, again.text) == (first.status, first.text)
    assert len(service.inbox.messages) == 1
    [still] = service.rows()
    assert (still.key, still.requested_at) == (row.key, row.requested_at)  # the first request: it gets pruned
    service.clock.offset += timedelta(hours=3, seconds=1)  # 24 h after the first mail
    assert sign_up(service, "jan@voorbeeld.nl").status == 200
    assert len(service.inbox.messages) == 2
    assert [mail["To"] for mail in service.inbox.messages] == ["jan@voorbeeld.nl"] * 2


def test_an_already_confirmed_address_is_not_bombed_either(start_service):
    service = start_service(FORMS_CONFIRM_INTERVAL_HOURS=2)
    engine = service.app.extensions["dorpsplein_forms"].engine
    add_confirmed(engine, "lid@voorbeeld.nl", "extern", datetime.now(UTC), "Markt")
    for _ in range(5):
        assert sign_up(service, "lid@voorbeeld.nl").status == 200
    assert [mail["Subject"] for mail in service.inbox.messages] == ["U bent al aangemeld voor de nieuwsbrief"]
    service.clock.offset += timedelta(hours=2, seconds=1)
    sign_up(service, "lid@voorbeeld.nl")
    assert len(service.inbox.messages) == 2
