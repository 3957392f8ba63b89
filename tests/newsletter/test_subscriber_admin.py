"""Subscriber administration as staff do it: one person whatever the letter case, CSV files as Excel saves them."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, datetime

import pytest

from dorpsplein.subscribers import add_pending, list_subscribers
from tasks import cli

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ROWS = [("email", "consent_note", "list"),
        ("Zoë.de.Vries@Voorbeeld.NL", "Inspraakavond café De Brink, 3 okt 2026", "extern"),
        ("jan@gemeente-ë.nl", "Papieren formulier; balie stadhuis", "intern")]


def csv_bytes(separator: str, encoding: str, bom: bool = False) -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=separator, lineterminator="\r\n").writerows(ROWS)
    return (codecs.BOM_UTF8 if bom else b"") + text.getvalue().encode(encoding)


@pytest.fixture
def subscribers_cli(database_url, runner, monkeypatch):
    monkeypatch.setenv("DORPSPLEIN_DATABASE_URL", database_url)
    return lambda *args: runner.invoke(cli, ["newsletter", "subscribers", *args])


def test_letter_case_never_makes_two_people(subscribers_cli, engine):
    added = subscribers_cli("add", "Jan.Jansen@VOORBEELD.NL", "--list", "extern", "--consent", "Markt 2026-10-03")
    assert added.exit_code == 0, added.output
    # The same person signs up on the site (the form sends lower case): still the one confirmed row.
    assert add_pending(engine, "jan.jansen@voorbeeld.nl", "extern", NOW).status == "confirmed"
    again = subscribers_cli("add", "JAN.JANSEN@voorbeeld.nl", "--list", "extern", "--consent", "Later")
    assert again.exit_code == 0, again.output
    [row] = list_subscribers(engine)
    assert (row.email, row.consent_note) == ("Jan.Jansen@voorbeeld.nl", "Markt 2026-10-03")
    gone = subscribers_cli("remove", "jan.jansen@Voorbeeld.nl")
    assert gone.exit_code == 0 and gone.output == "Removed jan.jansen@Voorbeeld.nl from extern\n"
    assert list_subscribers(engine) == []


def test_remove_finds_an_address_typed_in_capitals(subscribers_cli, engine):
    add_pending(engine, "a@voorbeeld.nl", "extern", NOW)
    result = subscribers_cli("remove", "A@VOORBEELD.NL")
    assert result.exit_code == 0 and result.output == "Removed A@VOORBEELD.NL from extern\n"


def test_import_merges_with_an_address_already_there_in_another_case(subscribers_cli, engine, tmp_path):
    add_pending(engine, "zoë.de.vries@voorbeeld.nl", "extern", NOW)
    path = tmp_path / "lijst.csv"
    path.write_bytes(csv_bytes(",", "utf-8"))
    result = subscribers_cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert sorted((r.email, r.list_name, r.status) for r in list_subscribers(engine)) == [
        ("jan@gemeente-ë.nl", "intern", "confirmed"), ("zoë.de.vries@voorbeeld.nl", "extern", "confirmed")]


@pytest.mark.parametrize("separator", [",", ";"])
@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True), ("cp1252", False),
                                           ("latin-1", False)])
def test_csv_as_excel_saves_it(subscribers_cli, engine, tmp_path, separator, encoding, bom):
    path = tmp_path / "lijst.csv"
    path.write_bytes(csv_bytes(separator, encoding, bom))
    result = subscribers_cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert result.output == f"Imported 2 subscriber(s) from {path}\n"
    assert sorted((r.email, r.list_name, r.consent_note) for r in list_subscribers(engine)) == [
        ("Zoë.de.Vries@voorbeeld.nl", "extern", "Inspraakavond café De Brink, 3 okt 2026"),
        ("jan@gemeente-ë.nl", "intern", "Papieren formulier; balie stadhuis")]


@pytest.mark.parametrize("content, message", [
    (b"", "lijst.csv:1: the file is empty"),
    (b"Email;Consent_note\r\nx@voorbeeld.nl;Formulier\r\nX@Voorbeeld.nl;Formulier\r\n",
     "lijst.csv:3: email: X@voorbeeld.nl is already on line 2 (letter case does not make another address)"),
    (codecs.BOM_UTF8 + b"email,consent_note\nx@voorbeeld.nl,caf\xe9\n",
     "lijst.csv:2: not readable as UTF-8 text (invalid continuation byte); save it again as CSV UTF-8"),
    (b"email,consent_note\nx@voorbeeld.nl,ja\ny@voorbeeld.nl,\"ja\" zei ze\n", "lijst.csv:3: not readable as CSV ("),
    (b"naam;adres\nJan;jan@voorbeeld.nl\n", "lijst.csv:1: missing column(s) consent_note, email"),
])
def test_csv_problems_name_file_and_line_never_a_traceback(subscribers_cli, engine, tmp_path, content, message):
    path = tmp_path / "lijst.csv"
    path.write_bytes(content)
    result = subscribers_cli("import", str(path), "--list", "extern")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.output.replace(str(tmp_path) + "/", "")
    assert list_subscribers(engine) == []
