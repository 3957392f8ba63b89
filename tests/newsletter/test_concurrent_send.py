"""Exactly once held by the database: runs at the same moment, on other temp folders and URL spellings,
and a run killed mid-mailing followed by a rerun, give every subscriber one copy.

The senders are real `python tasks.py newsletter send` processes; the copies are counted on aiosmtpd.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from dorpsplein.newsletter import deliveries as rows
from dorpsplein.newsletter.send import send_edition
from dorpsplein.subscribers import CONFIRMED, deliveries, subscribers

from .conftest import SECRET

ROOT = Path(__file__).resolve().parents[2]
MAILING = "overzicht-2026-11-extern"
PEOPLE = 500


def add_people(engine, n: int) -> list[str]:
    """n confirmed subscribers of `extern`, written in one statement (add_confirmed one by one takes seconds)."""
    now = datetime.now(UTC)
    emails = [f"lezer{i:03d}@example.org" for i in range(n)]
    with engine.begin() as conn:
        conn.execute(insert(subscribers), [
            dict(key=f"k{i:030d}", email=email, email_canonical=email, list_name="extern", status=CONFIRMED,
                 source="import", requested_at=now, confirmed_at=now, consent_note="test")
            for i, email in enumerate(emails)])
    return emails


class Gate:
    """Holds every message until `expected` SMTP sessions have said EHLO, so the runs really overlap."""

    def __init__(self, inbox, expected: int):
        self.inbox, self.expected = inbox, expected

    async def wait(self):
        for _ in range(1200):  # 60 s at most, then let them through (the test then fails on overlap)
            if self.inbox.connections >= self.expected:
                return
            await asyncio.sleep(0.05)


def sender(built_site, database_url, smtp_url, tmp_path: Path, name: str) -> subprocess.Popen:
    temp = tmp_path / f"tmp-{name}"  # each run its own TMPDIR, as systemd's PrivateTmp gives
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "DORPSPLEIN_DATABASE_URL": database_url,
           "DORPSPLEIN_SMTP_URL": smtp_url, "DORPSPLEIN_SECRET_KEY": SECRET,
           "DORPSPLEIN_NEWSLETTER_RATE_PER_SECOND": "0"}
    return subprocess.Popen([sys.executable, "tasks.py", "newsletter", "send", "--period", "2026-11",
                             "--list", "extern", "--output", built_site["OUTPUT_PATH"]],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def sent_by_this_run(output: str) -> int:
    found = re.search(r"This run: (\d+) sent", output)
    assert found, output
    return int(found.group(1))


def other_spelling(database_url: str) -> str:
    """The same database named differently: SQLite through `/./`, PostgreSQL through `localhost`."""
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        return f"sqlite:///{path.parent}/./{path.name}"
    return database_url.replace("127.0.0.1", "localhost")


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_two_senders_at_once_give_each_subscriber_one_copy(built_site, engine, database_url, smtp, tmp_path):
    people = add_people(engine, PEOPLE)
    gate = Gate(smtp, 2)
    original = smtp.handle_DATA

    async def gated(server, session, envelope):
        await gate.wait()
        return await original(server, session, envelope)

    smtp.handle_DATA = gated
    runs = [sender(built_site, url, smtp.url, tmp_path, name)
            for name, url in (("a", database_url), ("b", other_spelling(database_url)))]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    counts = Counter(smtp.recipients())
    assert sorted(counts) == people
    assert set(counts.values()) == {1}, f"copies > 1: {[a for a, n in counts.items() if n > 1][:10]}"
    by_run = [sent_by_this_run(output) for output in outputs]
    assert sum(by_run) == PEOPLE, (by_run, outputs)
    assert all(by_run), f"both runs sent part of the list: {by_run}"
    with engine.connect() as conn:
        owners = Counter(conn.execute(select(deliveries.c.owner).where(deliveries.c.status == rows.SENT)).scalars())
    assert sorted(owners.values()) == sorted(by_run), "each run's report matches the rows it settled"


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_run_killed_mid_mailing_and_a_rerun_give_each_subscriber_one_copy(built_site, engine, database_url, smtp,
                                                                            tmp_path):
    people = add_people(engine, 60)
    holder: dict[str, subprocess.Popen] = {}
    killed = threading.Event()

    def kill_at_message(n: int):
        if n == 25:  # the run has claimed this copy; it dies before it hears 250, so nothing was delivered
            holder["run"].send_signal(signal.SIGKILL)
            holder["run"].wait()
            killed.set()
            return "451 the sender is gone"

    smtp.on_message = kill_at_message
    holder["run"] = sender(built_site, database_url, smtp.url, tmp_path, "killed")
    holder["run"].communicate(timeout=300)
    assert killed.is_set() and holder["run"].returncode == -signal.SIGKILL
    assert len(smtp.messages) == 24
    with engine.connect() as conn:
        assert conn.execute(select(deliveries.c.status).where(deliveries.c.status == rows.SENDING)).all(), \
            "the killed run left its claim"
    smtp.on_message = None
    rerun = sender(built_site, database_url, smtp.url, tmp_path, "rerun")
    output = rerun.communicate(timeout=300)[0]
    assert rerun.returncode == 0, output
    assert sent_by_this_run(output) == 36
    counts = Counter(smtp.recipients())
    assert sorted(counts) == people and set(counts.values()) == {1}


def claim_elsewhere(engine, email: str, lease_until: datetime, owner: str = "elders.example:4242:abcd") -> None:
    with engine.begin() as conn:
        subscriber = conn.execute(select(subscribers.c.id).where(subscribers.c.email == email)).scalar_one()
        conn.execute(insert(deliveries).values(mailing=MAILING, subscriber_id=subscriber, status=rows.SENDING,
                                               attempts=1, updated_at=datetime.now(UTC), owner=owner,
                                               lease_until=lease_until))


def test_a_live_claim_of_another_host_is_left_to_it(edition, engine, config, smtp):
    people = add_people(engine, 5)
    claim_elsewhere(engine, people[0], datetime.now(UTC) + timedelta(hours=1))
    with rows.Ledger(engine, MAILING) as ledger:
        held = ledger.held_elsewhere()
        subscriber = held[0][0]
        assert ledger.step(datetime.now(UTC), claim=subscriber) is False, "a live lease is not taken over"
        assert ledger.step(datetime.now(UTC) + timedelta(hours=2), claim=subscriber) is True, \
            "an expired one is"


def test_a_claim_whose_lease_runs_out_is_sent_by_the_run_that_waited_for_it(edition, engine, config, smtp):
    people = add_people(engine, 5)
    claim_elsewhere(engine, people[2], datetime.now(UTC) + timedelta(seconds=1))
    report = send_edition(edition, engine, config)
    assert report.sent == 5
    assert sorted(smtp.recipients()) == people


def test_a_claim_of_a_dead_run_on_this_host_is_taken_over_at_once(edition, engine, config, smtp):
    people = add_people(engine, 3)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    owner = f"{os.uname().nodename}:{dead.stdout.strip()}:dead"
    assert rows.owner_alive(owner) is False and rows.owner_alive(rows.new_owner()) is True
    claim_elsewhere(engine, people[1], datetime.now(UTC) + timedelta(hours=1), owner=owner)
    report = send_edition(edition, engine, config)
    assert report.sent == 3 and sorted(smtp.recipients()) == people


def test_a_live_run_on_this_host_keeps_its_claim(edition, engine, config, smtp):
    people = add_people(engine, 3)
    claim_elsewhere(engine, people[1], datetime.now(UTC) + timedelta(hours=1), owner=rows.new_owner())
    report = send_edition(edition, engine, config)
    assert report.sent == 2 and report.skipped == 1
    assert people[1] not in smtp.recipients()


def test_the_lease_is_renewed_while_the_run_lives(engine):
    people = add_people(engine, 1)
    with rows.Ledger(engine, MAILING, lease=timedelta(seconds=0.4)) as ledger:
        with engine.connect() as conn:
            subscriber = conn.execute(select(subscribers.c.id).where(subscribers.c.email == people[0])).scalar_one()
        start = datetime.now(UTC)
        assert ledger.step(start, claim=subscriber)
        lease = select(deliveries.c.lease_until).where(deliveries.c.subscriber_id == subscriber)
        for _ in range(200):
            with engine.connect() as conn:
                if conn.execute(lease).scalar_one() > start + timedelta(seconds=0.45):
                    break
            threading.Event().wait(0.05)
        else:
            pytest.fail("the heartbeat never renewed the lease")
