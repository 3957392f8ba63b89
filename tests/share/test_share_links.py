"""Share URLs: every value percent-encoded, decoded back to the exact title and address."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from plugins.share.inject import BLOCK_CLASS, block_html, with_share_block
from plugins.share.links import LABELS, make_share, share_url
from plugins.share.settings import share_settings

TRICKY = 'Q&A: "Snoeien" #molenweg? 100% 🌳 café + <b>kerst</b>'
URL = "https://dorpsplein.voorbeeld.nl/blog/2026/11/q-a/?x=1&y=2#top"


def query(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query, keep_blank_values=True, strict_parsing=True)


@pytest.mark.parametrize("network, key, expected", [
    ("mastodon", "text", f"{TRICKY} {URL}"),
    ("bluesky", "text", f"{TRICKY} {URL}"),
    ("whatsapp", "text", f"{TRICKY} {URL}"),
    ("linkedin", "url", URL),
    ("facebook", "u", URL),
])
def test_share_url_decodes_to_the_exact_title_and_address(network, key, expected):
    link = share_url(network, TRICKY, URL, "social.overheid.nl")
    assert query(link) == {key: [expected]}
    assert not {" ", '"', "<", "#"} & set(link.partition("?")[2])


def test_email_link_has_subject_and_body_encoded_per_rfc_6068():
    link = share_url("email", TRICKY, URL, "social.overheid.nl")
    assert link.startswith("mailto:?")
    assert "+" not in link  # a "+" would read as a plus sign in mail clients, never as a space
    assert query(link) == {"subject": [TRICKY], "body": [URL]}


def test_mastodon_goes_to_the_configured_server():
    assert urlsplit(share_url("mastodon", "t", URL, "social.overheid.nl"))[1:3] == ("social.overheid.nl", "/share")


@pytest.mark.parametrize("configured", ["https://social.overheid.nl", "social.overheid.nl", "https://social.overheid.nl/"])
def test_mastodon_server_setting_is_reduced_to_its_host(configured):
    assert share_settings({"SHARE_MASTODON_SERVER": configured})["SHARE_MASTODON_SERVER"] == "social.overheid.nl"
    assert share_settings({"MASTODON_URL": configured})["SHARE_MASTODON_SERVER"] == "social.overheid.nl"


def test_unknown_network_names_the_setting():
    with pytest.raises(ValueError, match="SHARE_NETWORKS: unknown network 'myspace'"):
        make_share("t", URL, ["mastodon", "myspace"], "social.overheid.nl")


def test_injected_block_is_appended_once():
    share = make_share(TRICKY, URL, list(LABELS), "social.overheid.nl")
    once = with_share_block("<p>Tekst</p><div class=\"footnote\"><p>1</p></div>", share)
    assert with_share_block(once, share) == once
    assert once.startswith("<p>Tekst</p><div class=\"footnote\"><p>1</p></div><aside")
    assert once.count(BLOCK_CLASS) == 1


def test_a_post_that_only_mentions_the_block_class_in_its_text_still_gets_the_block():
    share = make_share("t", URL, ["mastodon"], "social.overheid.nl")
    text = f"<p>De klasse {BLOCK_CLASS} staat in de tekst, niet op een element.</p>"
    assert with_share_block(text, share) == text + block_html(share)
