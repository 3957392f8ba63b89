"""The newsletter commands through the CLI: a crash mid-list (SIGKILL) then a rerun; subscriber administration."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest

from dorpsplein.subscribers import list_subscribers
from tasks import cli

from .conftest import ROOT


def cli_env(environ):
    return {**os.environ, **environ, "DORPSPLEIN_NEWSLETTER_RATE_PER_SECOND": "0"}


def test_killed_mid_list_then_rerun_every_subscriber_exactly_once(built_site, smtp, people, environ):
    command = [sys.executable, str(ROOT / "tasks.py"), "newsletter", "send", "--period", "2026-11", "--list", "extern",
               "--output", built_site["OUTPUT_PATH"]]
    process = {}

    def kill_at_eighth(number):
        if number == 8:  # the sender waits for "250" on its 8th message: it dies before hearing it
            process["p"].kill()
            process["p"].wait()
            return "421 4.3.0 Sender gone"
        return None

    smtp.on_message = kill_at_eighth
    process["p"] = subprocess.Popen(command, env=cli_env(environ), cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
    process["p"].communicate(timeout=300)
    assert process["p"].returncode == -9 and len(smtp.messages) == 7
    smtp.on_message = None
    rerun = subprocess.run(command, env=cli_env(environ), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "This run: 13 sent" in rerun.stdout
    counts = Counter(smtp.recipients())
    assert sorted(counts) == sorted(people) and set(counts.values()) == {1}


def test_send_reports_failures_and_exits_1(built_site, smtp, people, environ, runner, monkeypatch):
    for key, value in cli_env(environ).items():
        monkeypatch.setenv(key, value)
    smtp.refuse = {people[0]: ("550 5.1.1 Unknown user", 9)}
    result = runner.invoke(cli, ["newsletter", "send", "--period", "2026-11", "--output", built_site["OUTPUT_PATH"]])
    assert result.exit_code == 1
    assert f"  failed: {people[0]} (550 5.1.1 Unknown user)" in result.output
    assert "This run: 19 sent, 0 deferred (4xx, tried again next run), 1 failed (5xx)" in result.output


def test_send_without_an_edition_says_what_to_do(tmp_path, environ, runner, monkeypatch):
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    result = runner.invoke(cli, ["newsletter", "send", "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'nieuwsbrief'}: no edition for list 'extern'; build the site" in result.output


def test_one_off_mailing_from_a_markdown_file(built_site, smtp, people, environ, runner, monkeypatch, tmp_path):
    for key, value in cli_env(environ).items():
        monkeypatch.setenv(key, value)
    letter = tmp_path / "welkom.md"
    letter.write_text("Title: Welkom bij onze nieuwsbrief\nSummary: Wat u van ons kunt verwachten\n\n"
                      "Elke maand een [overzicht](/overzicht/) van ons nieuws.\n", encoding="utf-8")
    args = ["newsletter", "send", "--file", str(letter), "--output", built_site["OUTPUT_PATH"]]
    assert runner.invoke(cli, args).exit_code == 0
    assert runner.invoke(cli, args).exit_code == 0  # sending again reaches no one twice
    assert Counter(smtp.recipients()) == Counter(people)
    message = smtp.messages[0]
    assert message["Subject"] == "Welkom bij onze nieuwsbrief"
    assert "eenmalig-welkom-extern" in message["Message-ID"]
    text = message.get_body(("plain",)).get_content()
    assert "overzicht (http://127.0.0.1:8000/overzicht/)" in text


def test_one_off_file_errors_name_the_line(tmp_path, environ, runner, monkeypatch):
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    letter = tmp_path / "fout.md"
    letter.write_text("Title: Hallo\nOnderwerp: x\n\nTekst\n", encoding="utf-8")
    result = runner.invoke(cli, ["newsletter", "send", "--file", str(letter), "--dry-run"])
    assert result.exit_code == 1
    assert f"Error: {letter}:2: unknown field 'Onderwerp'; use Title, Summary, Mailing" in result.output


def test_add_import_remove(tmp_path, database_url, engine, runner, monkeypatch):
    monkeypatch.setenv("DORPSPLEIN_DATABASE_URL", database_url)
    ok = runner.invoke(cli, ["newsletter", "subscribers", "add", "Piet@Example.org", "--list", "intern",
                             "--consent", "Intranetformulier 2026-11-20"])
    assert ok.exit_code == 0 and ok.output == "Added Piet@example.org to intern (confirmed)\n"
    csv_file = tmp_path / "lijst.csv"
    csv_file.write_text("email,consent_note,list\na@example.org,Papieren formulier markt 2026-10-03,\n"
                        "b@example.org,Raadsvergadering 2026-11-12,intern\n", encoding="utf-8")
    result = runner.invoke(cli, ["newsletter", "subscribers", "import", str(csv_file), "--list", "extern"])
    assert result.exit_code == 0, result.output
    rows = {(r.email, r.list_name): r for r in list_subscribers(engine)}
    assert set(rows) == {("Piet@example.org", "intern"), ("a@example.org", "extern"), ("b@example.org", "intern")}
    assert rows[("a@example.org", "extern")].consent_note == "Papieren formulier markt 2026-10-03"
    assert rows[("a@example.org", "extern")].status == "confirmed"
    gone = runner.invoke(cli, ["newsletter", "subscribers", "remove", "a@example.org"])
    assert gone.exit_code == 0 and gone.output == "Removed a@example.org from extern\n"
    again = runner.invoke(cli, ["newsletter", "subscribers", "remove", "a@example.org"])
    assert again.exit_code == 1 and "Error: a@example.org is not on any list" in again.output


@pytest.mark.parametrize("content, error", [
    ("email,list\nx@example.org,extern\n", "lijst.csv:1: missing column(s) consent_note"),
    ("email,consent_note\nx@example.org,\n", "lijst.csv:2: consent_note: empty; say where and when x@example.org"),
    ("email,consent_note\nniet-een-adres,ja\n", "lijst.csv:2: email: 'niet-een-adres' is not a valid e-mail"),
    ("email,consent_note,list\nx@example.org,ja,geheim\n", "lijst.csv:2: list: 'geheim' is not one of extern, intern"),
])
def test_import_refuses_bad_rows_and_adds_nothing(tmp_path, database_url, engine, runner, monkeypatch, content,
                                                  error):
    monkeypatch.setenv("DORPSPLEIN_DATABASE_URL", database_url)
    csv_file = tmp_path / "lijst.csv"
    csv_file.write_text("email,consent_note\ngoed@example.org,Formulier\n" + content.split("\n", 1)[1]
                        if content.startswith("email,consent_note\n") else content, encoding="utf-8")
    result = runner.invoke(cli, ["newsletter", "subscribers", "import", str(csv_file), "--list", "extern"])
    assert result.exit_code == 1
    assert error.replace("lijst.csv:2", "lijst.csv:3" if content.startswith("email,consent_note\n") else
                         "lijst.csv:2") in result.output.replace(str(tmp_path) + "/", "")
    assert list_subscribers(engine) == []


def test_add_requires_a_consent_note(database_url, runner, monkeypatch):
    monkeypatch.setenv("DORPSPLEIN_DATABASE_URL", database_url)
    result = runner.invoke(cli, ["newsletter", "subscribers", "add", "x@example.org", "--consent", " "])
    assert result.exit_code == 1
    assert "Error: --consent is required: where and when did this person agree (AVG proof)?" in result.output


def test_every_new_command_has_help_with_an_example(runner):
    for args in (["newsletter", "send"], ["newsletter", "subscribers", "add"],
                 ["newsletter", "subscribers", "import"], ["newsletter", "subscribers", "remove"]):
        result = runner.invoke(cli, [*args, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output, args


