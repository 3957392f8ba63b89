"""`social check` and `social follow` against the fake servers."""

from __future__ import annotations

from pathlib import Path

from dorpsplein.social import check_accounts, follow_related

from .conftest import MASTODON_TOKEN

CHANNELS = '''
[[channels]]
network = "mastodon"
name = "Mastodon"
handle = "@gemeentevoorbeeld@127.0.0.1.example"
url = "https://social.example/@gemeentevoorbeeld"

[[channels]]
network = "bluesky"
name = "Bluesky"
handle = "gemeentevoorbeeld.nl"
url = "https://bsky.app/profile/gemeentevoorbeeld.nl"

[[related]]
name = "Veiligheidsregio"
mastodon = "@veiligheidsregio@social.overheid.nl"
bluesky = "vrvoorbeeldland.bsky.social"

[[related]]
name = "Waterschap"
mastodon = "@voorbeeldpolders@waterschap.example"

[[related]]
name = "Provincie"
bluesky = "provincievoorbeeldland.nl"
'''


def channels_file(settings) -> Path:
    path = Path(settings["PATH"]) / "channels.toml"
    path.write_text(CHANNELS, encoding="utf-8")
    return path


def test_check_reports_handle_server_and_what_is_wrong(settings, environ, sleeps, mastodon, bluesky):
    channels_file(settings)
    results = {r.network: r for r in check_accounts(settings, environ=environ, sleep=sleeps)}
    assert results["bluesky"].ok and results["bluesky"].handle == "gemeentevoorbeeld.nl"
    assert results["bluesky"].detail == bluesky.did
    mastodon_result = results["mastodon"]
    assert mastodon_result.handle == "@gemeentevoorbeeld@127.0.0.1" and mastodon_result.server == mastodon.url
    assert not mastodon_result.ok and mastodon_result.problem.startswith(
        "logged in as @gemeentevoorbeeld@127.0.0.1, but ") and mastodon_result.problem.endswith(
        "channels.toml lists @gemeentevoorbeeld@127.0.0.1.example")


def test_check_with_a_bad_token_and_a_missing_password(settings, environ, sleeps, mastodon):
    environ["DORPSPLEIN_MASTODON_TOKEN"] = "not-the-token"
    del environ["DORPSPLEIN_BLUESKY_PASSWORD"]
    results = {r.network: r for r in check_accounts(settings, environ=environ, sleep=sleeps)}
    assert results["mastodon"].problem == ("checking the access token: access token refused: "
                                           "401 The access token is invalid")
    assert results["bluesky"].problem == "Bluesky: DORPSPLEIN_BLUESKY_PASSWORD is not set"
    assert "not-the-token" not in repr(results) and MASTODON_TOKEN not in repr(results)


def test_check_a_wrong_bluesky_password(settings, environ, sleeps, bluesky):
    environ["DORPSPLEIN_BLUESKY_PASSWORD"] = "wrong-app-password"
    (result,) = check_accounts(settings, network="bluesky", environ=environ, sleep=sleeps)
    assert result.problem == ("logging in as gemeentevoorbeeld.nl: login refused: 401 AuthenticationRequired: "
                              "Invalid identifier or password")
    assert bluesky.count("createSession") == 1  # a refused login is not retried


def test_follow_is_idempotent_and_reports_what_changed(settings, environ, sleeps, mastodon, bluesky):
    path = channels_file(settings)
    first = follow_related(settings, environ=environ, sleep=sleeps, channels_file=path)
    assert {(r.network, r.name, r.result) for r in first} == {
        ("mastodon", "Veiligheidsregio", "followed"), ("mastodon", "Waterschap", "followed"),
        ("bluesky", "Veiligheidsregio", "followed"), ("bluesky", "Provincie", "followed")}
    assert mastodon.following == {"2", "3"}  # the remote account was found by a search with resolve
    assert bluesky.following() == set(bluesky.profiles.values())
    second = follow_related(settings, environ=environ, sleep=sleeps, channels_file=path)
    assert {r.result for r in second} == {"already following"}
    assert mastodon.count("follow") == 2 and len(bluesky.following()) == 2


def test_follow_reports_an_unknown_account_and_goes_on(settings, environ, sleeps, mastodon):
    path = Path(settings["PATH"]) / "channels.toml"
    path.write_text('[[related]]\nname = "Niemand"\nmastodon = "@niemand@nergens.example"\n'
                    '[[related]]\nname = "VR"\nmastodon = "@veiligheidsregio@social.overheid.nl"\n')
    results = follow_related(settings, network="mastodon", environ=environ, sleep=sleeps)
    assert [(r.name, r.result, r.message) for r in results] == [
        ("Niemand", "failed", "@niemand@nergens.example: account not found"), ("VR", "followed", "")]
