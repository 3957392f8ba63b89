"""FORMS_URL follows the site: SITEURL + /formulieren unless set, so a production build never points elsewhere."""

from __future__ import annotations

import pytest

from dorpsplein.settings import load_settings
from dorpsplein.urls import forms_url


@pytest.fixture(autouse=True)
def no_address_variables(monkeypatch):
    for name in ("DORPSPLEIN_SITEURL", "DORPSPLEIN_FORMS_URL", "DORPSPLEIN_PREVIEW_URL"):
        monkeypatch.delenv(name, raising=False)


def test_development_pages_post_to_their_own_origin_and_mails_link_to_the_preview():
    settings = load_settings()
    assert settings["FORMS_URL"] == "/formulieren"
    assert forms_url(settings) == "http://127.0.0.1:8000/formulieren"


def test_production_derives_it_from_siteurl():
    assert load_settings(production=True)["FORMS_URL"] == "https://dorpsplein.voorbeeld.nl/formulieren"


def test_the_site_variable_moves_the_forms_with_it(monkeypatch):
    monkeypatch.setenv("DORPSPLEIN_SITEURL", "https://www.gemeente-x.nl/")
    settings = load_settings(production=True)
    assert settings["FORMS_URL"] == "https://www.gemeente-x.nl/formulieren"
    assert forms_url(settings) == "https://www.gemeente-x.nl/formulieren"


def test_an_explicit_address_is_kept_and_an_empty_variable_is_unset(monkeypatch):
    monkeypatch.setenv("DORPSPLEIN_FORMS_URL", "https://formulieren.gemeente-x.nl")
    assert load_settings(production=True)["FORMS_URL"] == "https://formulieren.gemeente-x.nl"
    monkeypatch.setenv("DORPSPLEIN_FORMS_URL", "")  # as CI passes an unset repository variable
    assert load_settings(production=True)["FORMS_URL"] == "https://dorpsplein.voorbeeld.nl/formulieren"


def test_a_production_page_posts_to_the_site_origin(site):
    site.write("pages/contact.md", "Title: Contact\nSlug: contact\nTemplate: contact\n\nZo bereikt u ons.\n")
    site.build(SITEURL="https://www.gemeente-x.nl")
    html = site.html("contact/index.html")
    assert 'action="https://www.gemeente-x.nl/formulieren/contact"' in html
    assert 'action="https://www.gemeente-x.nl/formulieren/aanmelden"' in html
