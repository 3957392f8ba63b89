"""The `social` commands through click's CliRunner: exit codes, exact messages, help, and no secret in output."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from tasks import cli

from .conftest import BLUESKY_PASSWORD, MASTODON_TOKEN, jpeg
from .fakes.base import Reply

COMMANDS = [["social"], ["social", "push"], ["social", "post"], ["social", "check"], ["social", "follow"]]


@pytest.fixture
def runner(monkeypatch, mastodon, bluesky, environ, tmp_path):
    for name, value in {**environ, "DORPSPLEIN_MASTODON_URL": mastodon.url,
                        "DORPSPLEIN_BLUESKY_SERVICE": bluesky.url, "DORPSPLEIN_BLUESKY_HANDLE": bluesky.handle,
                        "DORPSPLEIN_SOCIAL_LEDGER": str(tmp_path / "ledger.jsonl"),  # never the real ledger
                        "DORPSPLEIN_SOCIAL_RETRY_BASE_SECONDS": "0",
                        "DORPSPLEIN_SOCIAL_TIMEOUT_SECONDS": "2"}.items():
        monkeypatch.setenv(name, value)
    return CliRunner()


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_social_command_has_help_with_an_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "python tasks.py social" in result.output


def test_push_posts_then_reports_already_posted(runner, site, tmp_path):
    site.post("een", "Dorpsstraat weer open")
    args = ["social", "push", "--feed", str(site.feed_path), "--ledger", str(tmp_path / "l.jsonl")]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert first.output.rstrip().endswith("2 posted")
    second = runner.invoke(cli, args)
    assert second.exit_code == 0 and second.output.rstrip().endswith("2 already posted")


def test_dry_run_prints_each_post_with_its_length(runner, site, tmp_path):
    site.post("een", "Dorpsstraat weer open", tags=("verkeer",))
    result = runner.invoke(cli, ["social", "push", "--feed", str(site.feed_path), "--dry-run"])
    assert result.exit_code == 0
    assert "── mastodon · would post · 97/500 ──\nDorpsstraat weer open\n" in result.output
    assert "── bluesky · would post · " in result.output and "Dry run: nothing was posted or written" in result.output
    assert not (tmp_path / "ledger.jsonl").exists()


def test_a_failure_exits_1_and_the_other_network_still_posts(runner, site, monkeypatch, bluesky):
    monkeypatch.setenv("DORPSPLEIN_MASTODON_TOKEN", "wrong")
    site.post("een", "Een")
    result = runner.invoke(cli, ["social", "push", "--feed", str(site.feed_path)])
    assert result.exit_code == 1
    assert result.output.rstrip().endswith("1 failed, 1 posted") and len(bluesky.posts()) == 1


def test_missing_feed_is_a_clean_error(runner, tmp_path):
    result = runner.invoke(cli, ["social", "push", "--feed", str(tmp_path / "all.json")])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'all.json'}: feed not found\n"


def test_post_refuses_an_image_without_alt_text(runner, tmp_path):
    picture = tmp_path / "a.jpg"
    picture.write_bytes(jpeg())
    result = runner.invoke(cli, ["social", "post", "Kom langs!", "--image", str(picture)])
    assert result.exit_code == 1
    assert result.output == ("Error: --alt: an image needs alt text (describe what it shows for people who "
                             "cannot see it)\n")


def test_post_one_off(runner, mastodon, bluesky):
    result = runner.invoke(cli, ["social", "post", "Volg het Dorpsplein!", "--link", "https://voorbeeld.nl/volgen/"])
    assert result.exit_code == 0, result.output
    assert mastodon.texts == ["Volg het Dorpsplein!\n\nhttps://voorbeeld.nl/volgen/"]
    assert bluesky.posts()[0]["text"] == "Volg het Dorpsplein!\n\nvoorbeeld.nl/volgen/"


def test_check_and_follow_exit_codes(runner, bluesky):
    check = runner.invoke(cli, ["social", "check", "--network", "bluesky"])
    assert check.exit_code == 0 and f"│ bluesky │ gemeentevoorbeeld.nl │ {bluesky.url} │ yes" in check.output
    follow = runner.invoke(cli, ["social", "follow", "--network", "bluesky"])
    assert follow.exit_code == 1  # content/channels.toml lists accounts the fake does not know
    assert "│ followed" in follow.output
    assert "failed: looking up bibliotheekdebrink.bsky.social: 400 InvalidRequest: Profile" in follow.output


def test_no_token_or_password_in_output_or_logs(runner, site, mastodon, bluesky, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    site.post("een", "Een", image=site.image("a.jpg"), image_alt="Blauw")
    mastodon.inject("statuses", "500", when="after")
    bluesky.inject("createRecord", "timeout", when="after")
    outputs = [runner.invoke(cli, ["-v", "social", "push", "--feed", str(site.feed_path)]),
               runner.invoke(cli, ["social", "check"]), runner.invoke(cli, ["social", "follow"])]
    text = "".join(r.output for r in outputs) + caplog.text + (tmp_path / "ledger.jsonl").read_text()
    assert "posted" in text or "reconciled" in text
    assert MASTODON_TOKEN not in text and BLUESKY_PASSWORD not in text
    assert not any(access in text for access in bluesky.tokens)  # nor a session JWT


HOSTILE_TITLES = ["Uitslag [/b] inspraak", "[bold red]Let op[/] :thumbs_up: [link=https://evil.example]x[/link]"]


def table_rows(output: str) -> list[list[str]]:
    """The rows of a rich table as printed: cells stripped, a cell folded over several lines joined again."""
    rows: list[list[str]] = []
    for line in output.splitlines():
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if rows and not cells[0]:
            rows[-1] = [f"{old} {new}".strip() for old, new in zip(rows[-1], cells, strict=True)]
        else:
            rows.append(cells)
    return rows


def test_titles_and_server_messages_are_printed_as_text_not_rich_markup(runner, site, mastodon, bluesky, tmp_path):
    for n, title in enumerate(HOSTILE_TITLES):
        site.post(f"p{n}", title, hours_ago=n + 1)
    site.post("stil", "Niet delen [/] :smile:", share=False)
    mastodon.inject("statuses", "422")  # the server's own message goes into the table too
    args = ["social", "push", "--feed", str(site.feed_path), "--ledger", str(tmp_path / "l.jsonl")]
    result = runner.invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1 and len(bluesky.posts()) == 2  # the 422 is a failure; nothing else is
    rows = table_rows(result.output)
    assert sorted(row[1] for row in rows) == sorted(HOSTILE_TITLES * 2)
    assert "skipped: Niet delen [/] :smile: (Share: no)" in result.output
    assert "👍" not in result.output and "😄" not in result.output
    assert any(row[4].endswith("posting: 422 Validation failed: Text can't be blank") for row in rows)
    again = runner.invoke(cli, args)  # the rerun prints them again: posted (Mastodon) and "already posted"
    assert again.exception is None, repr(again.exception)
    assert sorted(row[1] for row in table_rows(again.output)) == sorted(HOSTILE_TITLES * 2)


def test_check_and_follow_print_names_and_handles_literally(runner, bluesky, monkeypatch, tmp_path):
    bluesky.handle = "gemeente[/b].example"
    monkeypatch.setenv("DORPSPLEIN_BLUESKY_HANDLE", bluesky.handle)
    result = runner.invoke(cli, ["social", "check", "--network", "bluesky"])
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # channels.toml lists another handle
    row = table_rows(result.output)[0]
    assert row[1] == "gemeente[/b].example" and row[4].startswith("logged in as gemeente[/b].example, but ")
    content = tmp_path / "inhoud"
    content.mkdir()
    (content / "channels.toml").write_text(
        '[[related]]\nname = "Raad [/b] :smile:"\nbluesky = "vrvoorbeeldland.bsky.social"\n',
        encoding="utf-8")
    monkeypatch.setenv("DORPSPLEIN_PATH", str(content))
    follow = runner.invoke(cli, ["social", "follow", "--network", "bluesky"])
    assert follow.exception is None, (repr(follow.exception), follow.output)
    assert table_rows(follow.output) == [["bluesky", "Raad [/b] :smile:", "vrvoorbeeldland.bsky.social", "followed"]]


def test_a_mastodon_server_refusing_the_instance_call_is_one_line_and_bluesky_still_posts(runner, site, mastodon,
                                                                                         bluesky):
    # Mastodon.py's own version check recursed until RecursionError here (2,500 lines), and Bluesky never ran.
    mastodon.inject("instance", "401", count=10)
    site.post("een", "Een")
    result = runner.invoke(cli, ["social", "push", "--feed", str(site.feed_path)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == ["Error: mastodon: reading the server's version: access token refused: "
                      "401 This method requires an authenticated user"]
    assert "Traceback" not in result.output and "Recursion" not in result.output
    assert len(bluesky.posts()) == 1 and result.output.rstrip().endswith("1 failed, 1 posted")
    check = runner.invoke(cli, ["social", "check"])
    assert check.exit_code == 1
    assert [row[:4] for row in table_rows(check.output)] == [["mastodon", "-", mastodon.url, "no"],
                                                             ["bluesky", bluesky.handle, bluesky.url, "yes"]]
    assert table_rows(check.output)[0][4] == ("reading the server's version: access token refused: "
                                              "401 This method requires an authenticated user")


def test_any_exception_from_a_networks_client_is_reported_and_the_others_still_run(runner, site, mastodon, bluesky):
    mastodon.verify = lambda request: Reply(200, ["not", "an", "account"])  # a client error we never foresaw
    site.post("een", "Een")
    result = runner.invoke(cli, ["social", "push", "--feed", str(site.feed_path)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == ["Error: mastodon: unexpected error: TypeError: list indices must be integers or slices, "
                      "not str"]
    assert len(bluesky.posts()) == 1
    follow = runner.invoke(cli, ["social", "follow", "--network", "mastodon"])
    assert follow.exit_code == 1 and "unexpected error: TypeError" in follow.output
