"""publiccode.yml has the fields the standard requires, and LICENSE is the EUPL-1.2 it names."""

import re
from datetime import date

import yaml

from dorpsplein.settings import ROOT

# From the publiccode.yml 0.4 standard: the keys it requires and the values it allows.
REQUIRED = ["publiccodeYmlVersion", "name", "url", "platforms", "categories", "developmentStatus", "softwareType",
            "description", "legal", "maintenance", "localisation"]
DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
                  "standalone/backend", "standalone/other", "addon", "library", "configurationFiles"}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}
SOME_CATEGORIES = {"website-builder", "blog", "content-management", "social-media-management", "email-marketing",
                   "data-analytics", "online-community", "communications"}


def load():
    return yaml.safe_load((ROOT / "publiccode.yml").read_text())


def test_required_fields_and_allowed_values():
    code = load()
    assert [key for key in REQUIRED if key not in code] == []
    assert code["publiccodeYmlVersion"] == "0.4"
    assert re.match(r"^https://", code["url"]) and re.match(r"^https://", code["landingURL"])
    assert code["developmentStatus"] in DEVELOPMENT_STATUS
    assert code["softwareType"] in SOFTWARE_TYPES
    assert set(code["categories"]) <= SOME_CATEGORIES and "web" in code["platforms"]
    assert date.fromisoformat(code["releaseDate"])
    maintenance = code["maintenance"]
    assert maintenance["type"] in MAINTENANCE_TYPES
    assert maintenance["type"] not in {"internal", "contract"} or maintenance["contacts"][0]["name"]
    assert code["localisation"]["localisationReady"] is True
    assert code["localisation"]["availableLanguages"][0] == "nl"


def test_descriptions_in_dutch_and_english_within_the_limits():
    for lang in ("nl", "en"):
        description = load()["description"][lang]
        assert len(description["shortDescription"]) <= 150, lang
        assert 150 <= len(description["longDescription"]) <= 10000, lang
        assert description["features"] and all(len(feature) <= 100 for feature in description["features"]), lang


def test_the_licence_is_the_full_eupl_text():
    assert load()["legal"]["license"] == "EUPL-1.2"
    text = (ROOT / "LICENSE").read_text()
    assert text.lstrip().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    for article in ("1. Definitions", "5. Obligations of the Licensee", "15. Applicable Law", "Appendix"):
        assert f"\n{article}\n" in text
    assert len(text) > 13000


def test_the_staff_handbook_covers_every_topic_in_dutch():
    text = (ROOT / "content/pages/handleiding.md").read_text()
    assert text.startswith("Title: Handleiding voor medewerkers\nSlug: handleiding\n")
    for heading in ("## Een bericht schrijven", "## De gegevens van een bericht", "## Afbeeldingen en alt-tekst",
                    "## Vooraf bekijken", "## Berichten plannen en laten verlopen",
                    "## Wat er gebeurt als uw wijziging wordt goedgekeurd", "## Hoe berichten op sociale media komen",
                    "## De statistiekenpagina lezen"):
        assert f"\n{heading}\n" in text
    for command in ("make serve", "make check", "python tasks.py new", "Expires:", "Share: no", "Image_alt:"):
        assert command in text
    assert "{filename}/pages/handleiding.md" in (ROOT / "content/pages/helpdesk.md").read_text()
