"""The channel list: the real file loads; every mistake names the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from dorpsplein.channels import load_channels, parse_channels
from dorpsplein.errors import DorpspleinError

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_channel_list_loads():
    channels = load_channels(ROOT / "content" / "channels.toml")
    assert channels.own("mastodon").handle == "@gemeentevoorbeeld@social.overheid.nl"
    assert channels.own("bluesky").handle == "gemeentevoorbeeld.nl"
    assert any("mastodon" in r.handles for r in channels.related)
    assert all(c.url.startswith("https://") for c in channels.channels)


@pytest.mark.parametrize(("text", "message"), [
    ('[[channels]]\nnetwork = "myspace"\nname = "X"\nurl = "https://x"',
     "f.toml: channels[0].network: unknown network 'myspace'"),
    ('[[channels]]\nnetwork = "mastodon"\nname = "M"', "f.toml: channels[0].url: missing"),
    ('[[channels]]\nnetwork = "mastodon"\nname = "M"\nurl = "http://x"',
     "f.toml: channels[0].url: expected an https:// address, got 'http://x'"),
    ('[[related]]\nname = "VR"\nmastodon = "vrv"', "f.toml: related[0].mastodon: expected @user@server, got 'vrv'"),
    ('[[related]]\nname = "VR"\nbluesky = "@@"', "f.toml: related[0].bluesky: expected a handle like name.bsky.social"),
    ('[[related]]\nnaam = "VR"', "f.toml: related[0]: unknown field 'naam'"),
    ('[[channels]]\nnetwork = "bluesky"\nname = "B"\nurl = "https://b"\n'
     '[[channels]]\nnetwork = "bluesky"\nname = "B"\nurl = "https://b"',
     "f.toml: channels[1].network: 'bluesky' is listed twice"),
    ("channels = [", "f.toml: not valid TOML"),
])
def test_mistakes_name_the_field(text, message):
    with pytest.raises(DorpspleinError) as error:
        parse_channels(text, "f.toml")
    assert str(error.value).startswith(message)


def test_handles_are_normalised():
    channels = parse_channels('[[related]]\nname = "P"\nmastodon = "politie@social.overheid.nl"\n'
                              'bluesky = "@Bib.bsky.social"', "f.toml")
    assert channels.related[0].handles == {"mastodon": "@politie@social.overheid.nl", "bluesky": "bib.bsky.social"}


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DorpspleinError, match=r"channels.toml: channel list not found"):
        load_channels(tmp_path / "channels.toml")
