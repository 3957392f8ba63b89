"""Composing per network: limits, URL counting, graphemes, facets on UTF-8 bytes, hashtags, templates."""

from __future__ import annotations

import datetime

import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.jsonfeed import FeedItem
from dorpsplein.social.compose import Draft, compose, draft_for_item, hashtag, link_display
from dorpsplein.social.config import social_config
from dorpsplein.social.textlength import bluesky_length, grapheme_length, graphemes, mastodon_length, truncate

URL = "https://dorpsplein.voorbeeld.nl/blog/2026/11/fietspad-molenweg-dit-vond-u-van-de-twee-ontwerpen/"
LONG = ("Ruim zeshonderd inwoners gaven hun mening over het nieuwe fietspad langs de Molenweg, "
        "op de inloopavond, per e-mail en met de vragenlijst. ") * 8


def config(**settings):
    return social_config(settings)


def item(**fields) -> FeedItem:
    fields.setdefault("summary", "Een duidelijke meerderheid kiest voor ontwerp A.")
    return FeedItem(id=URL, url=URL, title="Fietspad Molenweg: dit vond u", content_html="",
                    date_published=datetime.datetime(2026, 11, 26, 10, tzinfo=datetime.UTC), **fields)


def test_grapheme_counting_joins_what_people_see_as_one_character():
    assert grapheme_length("e\u0301") == 1  # e + combining acute
    assert grapheme_length("🇳🇱🇧🇪") == 2  # two flags, four regional indicators
    assert grapheme_length("👩‍👩‍👧") == 1  # family joined by zero-width joiners
    assert grapheme_length("👍🏽") == 1  # skin-tone modifier
    assert grapheme_length("café\r\n") == 5


@pytest.mark.parametrize("text", ["Cafe\u0301 open", "a\r\n🇳🇱x", "👩‍👩‍👧 en 👍🏽!", "e\u0301\u0301", "ok 🚲\r\n"])
def test_the_fast_count_agrees_with_the_cluster_walk(text):
    assert grapheme_length(text) == sum(1 for _ in graphemes(text))


def test_mastodon_counts_every_url_as_23_and_mentions_without_server():
    assert mastodon_length(URL) == 23
    assert mastodon_length(f"Lees {URL} nu") == 5 + 23 + 3
    assert mastodon_length("@redactie@social.overheid.nl hoi") == len("@redactie hoi")


def test_truncate_cuts_on_a_word_boundary_with_an_ellipsis():
    assert truncate("de Molenweg wordt opnieuw ingericht", 20) == "de Molenweg wordt…"
    assert truncate("kort", 20) == "kort"


def test_truncate_never_cuts_inside_a_url():
    text = f"Zie {URL} voor alles"
    cut = truncate(text, 30, mastodon_length)
    assert cut == f"Zie {URL}…"  # the URL counts 23, so it fits whole
    assert truncate(f"Zie {URL}", 10) == "Zie…"  # it does not fit: it goes, whole
    assert truncate(URL, 10) == "…"


def test_mastodon_post_fits_500_with_the_link_whole_and_hashtags_dropped_first():
    composed = compose(draft_for_item(item(summary=LONG, tags=("fietspad", "molenweg")), config()),
                       "mastodon", config())
    assert composed.length <= 500 == composed.limit
    assert composed.text.endswith("\n\n" + URL)  # hashtags went first, the link stays whole and last
    body = composed.text[: -len(URL) - 2]
    assert body.endswith("…") and not body.endswith(" …")
    full = "Fietspad Molenweg: dit vond u\n\n" + LONG.strip()
    kept = body[:-1]
    assert full.startswith(kept) and full[len(kept)] in " ,"  # a whole-word start of the original
    assert "left out the hashtags" in "; ".join(composed.notes)


def test_hashtags_kept_when_everything_fits():
    composed = compose(draft_for_item(item(tags=("fietspad", "open monumentendag", "x-y")), config()),
                       "mastodon", config())
    assert composed.text.endswith("\n\n#fietspad #OpenMonumentendag #XY")
    assert composed.length == mastodon_length(composed.text)


def test_bluesky_post_fits_300_graphemes_and_facets_point_at_utf8_bytes():
    summary = "Iedereen 👩‍👩‍👧 welkom bij de intocht 🇳🇱! Ook in Zuid-Holland én Brabant. " * 6
    composed = compose(draft_for_item(item(summary=summary, tags=("intocht",)), config()), "bluesky", config())
    assert composed.length == bluesky_length(composed.text) <= 300
    data = composed.text.encode("utf-8")
    (start, end, kind, target), *_ = composed.facets()
    assert kind == "link" and target == URL
    assert data[start:end].decode("utf-8") == link_display(URL)
    assert link_display(URL).startswith("dorpsplein.voorbeeld.nl/blog/") and link_display(URL).endswith("…")
    assert composed.card and not composed.attach_image


def test_bluesky_tag_facets_and_links_inside_social_text():
    text = "Kom naar de #Kerstmarkt op De Brink! Programma: https://voorbeeld.nl/kerst 🎄"
    composed = compose(draft_for_item(item(social_text=text), config()), "bluesky", config())
    data = composed.text.encode("utf-8")
    found = {(kind, data[s:e].decode()) for s, e, kind, _ in composed.facets()}
    assert ("tag", "#Kerstmarkt") in found
    assert ("link", "https://voorbeeld.nl/kerst") in found


def test_social_text_overrides_the_template_and_category_templates_apply():
    settings = {"SOCIAL_CATEGORY_TEMPLATES": {"Bekendmakingen": "Bekendmaking: {title}"}}
    assert draft_for_item(item(social_text="Eigen tekst."), config()).body == "Eigen tekst."
    notice = draft_for_item(item(category="Bekendmakingen"), config(**settings))
    assert notice.body == "Bekendmaking: Fietspad Molenweg: dit vond u"
    plain = draft_for_item(item(summary=None), config())
    assert plain.body == "Fietspad Molenweg: dit vond u"


def test_a_template_with_an_unknown_field_names_the_setting():
    with pytest.raises(DorpspleinError, match=r"SOCIAL_TEMPLATE: unknown field 'titel'"):
        config(SOCIAL_TEMPLATE="{titel}")


def test_image_goes_to_mastodon_only_with_alt_text():
    with_alt = compose(draft_for_item(item(image="https://x/a.jpg", image_alt="Een fietspad"), config()),
                       "mastodon", config())
    without = compose(draft_for_item(item(image="https://x/a.jpg"), config()), "mastodon", config())
    assert with_alt.attach_image and not without.attach_image
    assert "no alt text" in "; ".join(without.notes)


def test_one_off_image_goes_to_bluesky_as_an_image_with_alt():
    composed = compose(Draft(key="k", body="Doe mee!", image="/tmp/a.jpg", image_alt="Affiche"), "bluesky", config())
    assert composed.attach_image and not composed.card


def test_hashtag_forms():
    assert hashtag("open monumentendag") == "OpenMonumentendag"
    assert hashtag("verkeersveiligheid") == "verkeersveiligheid"
    assert hashtag("repair-café") == "RepairCafé"
    assert hashtag("2027") is None
