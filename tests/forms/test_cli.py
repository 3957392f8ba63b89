"""`forms …` and `newsletter subscribers …` through click, with exact texts; `forms serve` as a real process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dorpsplein.subscribers import add_pending, confirm, open_database, unsubscribe
from tasks import cli

from .conftest import SECRET, SITE, free_port, http

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DORPSPLEIN_DATABASE_URL", url)
    return open_database(url)


def seed(engine):
    now = datetime.now(UTC)
    old = add_pending(engine, "oud@voorbeeld.nl", "extern", now - timedelta(days=8))
    add_pending(engine, "recent@voorbeeld.nl", "extern", now - timedelta(days=6))
    confirmed = add_pending(engine, "lid@voorbeeld.nl", "extern", now - timedelta(days=30))
    confirm(engine, confirmed.key, confirmed.nonce, "2026-11-28", datetime(2026, 10, 29, 9, 0, tzinfo=UTC))
    gone = add_pending(engine, "weg@voorbeeld.nl", "intern", now - timedelta(days=30))
    unsubscribe(engine, gone.key, datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    return old


def test_prune_deletes_only_old_unconfirmed_sign_ups(runner, database):
    seed(database)
    result = runner.invoke(cli, ["newsletter", "subscribers", "prune"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Deleted 1 sign-up(s) left unconfirmed for more than 7 days\n"
    result = runner.invoke(cli, ["newsletter", "subscribers", "count"])
    assert result.stdout == "extern\tconfirmed\t1\nextern\tpending\t1\nintern\tunsubscribed\t1\n"
    result = runner.invoke(cli, ["newsletter", "subscribers", "prune", "--days", "5"])
    assert result.stdout == "Deleted 1 sign-up(s) left unconfirmed for more than 5 days\n"


def test_list_prints_one_subscriber_a_line(runner, database):
    seed(database)
    result = runner.invoke(cli, ["newsletter", "subscribers", "list", "--status", "confirmed"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("email\tlist\tstatus\tsince\tconsent\n"
                             "lid@voorbeeld.nl\textern\tconfirmed\t2026-10-29T09:00:00+00:00\t2026-11-28\n")
    result = runner.invoke(cli, ["newsletter", "subscribers", "list", "--list", "intern"])
    assert result.stdout.splitlines()[1:] == ["weg@voorbeeld.nl\tintern\tunsubscribed\t2026-11-01T12:00:00+00:00\t-"]


def test_a_bad_status_is_refused_by_click(runner, database):
    result = runner.invoke(cli, ["newsletter", "subscribers", "list", "--status", "bevestigd"])
    assert result.exit_code == 2
    assert "Invalid value for '--status': 'bevestigd' is not one of 'pending', 'confirmed', 'unsubscribed'." \
        in result.stderr


def test_a_bad_database_url_names_the_variable(runner, monkeypatch):
    monkeypatch.setenv("DORPSPLEIN_DATABASE_URL", "geen-url")
    result = runner.invoke(cli, ["newsletter", "subscribers", "count"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: DORPSPLEIN_DATABASE_URL: not a usable database URL (")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("environ, message", [
    ({}, "Error: DORPSPLEIN_SECRET_KEY is not set; the forms service will not run in production without it. "
         "Make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'\n"),
    ({"DORPSPLEIN_SECRET_KEY": "kort"},
     "Error: DORPSPLEIN_SECRET_KEY is too short (4 characters, at least 32). "
     "Make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'\n"),
    ({"DORPSPLEIN_SECRET_KEY": SECRET},
     "Error: DORPSPLEIN_SMTP_URL is not set; in production the service must send its e-mails "
     "(e.g. smtp://user:password@mail.example.nl:587)\n"),
    ({"DORPSPLEIN_SECRET_KEY": SECRET, "DORPSPLEIN_SMTP_URL": "http://mail.voorbeeld.nl"},
     "Error: DORPSPLEIN_SMTP_URL: unsupported scheme http://; use smtp://user:password@host:587 or "
     "smtps://user:password@host:465\n"),
    ({"DORPSPLEIN_SECRET_KEY": SECRET, "DORPSPLEIN_SMTP_URL": "smtp://localhost",
      "DORPSPLEIN_FORMS_URL": "formulieren"},
     "Error: FORMS_URL: 'formulieren' is not an absolute https:// address; set DORPSPLEIN_FORMS_URL to the live "
     "address, e.g. https://www.gemeente-voorbeeld.nl\n"),
])
def test_production_refuses_to_start_without_what_it_needs(runner, database, monkeypatch, environ, message):
    for name in ("DORPSPLEIN_SECRET_KEY", "DORPSPLEIN_SMTP_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(cli, ["forms", "serve", "--production", "--port", str(free_port())])
    assert result.exit_code == 1
    assert result.stderr == message
    assert result.stdout == ""


def test_a_busy_port_is_a_clear_error(runner, database, start_service):
    busy = start_service().port
    result = runner.invoke(cli, ["forms", "serve", "--port", str(busy)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"Error: --port {busy}: cannot listen on 127.0.0.1:{busy} " \
                                             "(Address already in use)"


def test_forms_serve_runs_the_service_and_prints_mails_while_developing(tmp_path):
    """The real command in its own process, under /formulieren/: no SMTP configured, so the confirmation link
    shows in its log."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DORPSPLEIN_")}
    environ["DORPSPLEIN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "tasks.py", "forms", "serve", "--port", str(port)],
                                   cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60  # waiting for start-up, not measuring it
        while True:
            try:
                if http(url + "/formulieren/gezondheid").status == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        reply = http(url + "/formulieren/aanmelden", {"email": "dev@voorbeeld.nl", "list": "extern"}, {"Origin": SITE})
        assert reply.status == 200, reply.text
        while "this e-mail was not sent" not in log.read_text():  # the outbox worker logs it, just after
            assert time.monotonic() < deadline + 60, log.read_text()
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = log.read_text()
    assert f"Forms service on http://127.0.0.1:{port}/formulieren/ (Ctrl+C stops)" in text
    assert "DORPSPLEIN_SECRET_KEY is not set: using a random key" in text
    assert "DORPSPLEIN_SMTP_URL is not set; this e-mail was not sent:" in text
    # The link goes where the site is previewed (`serve` passes /formulieren/ on to this port).
    assert re.search(r"http://127\.0\.0\.1:8000/formulieren/bevestigen/[\w.\-]+\n", text)
