"""plugins/security_txt in a real production build of a tiny site."""

from datetime import UTC, datetime

from plugins.security_txt.security_txt import render


def test_production_build_writes_security_txt_with_expires(site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 11, 28, 15, 30, tzinfo=UTC).timestamp())))
    site.post("eerste", "Eerste bericht", "2026-11-01 09:00")
    site.build(production=True, SECURITY_TXT_EXPIRES_DAYS=90)
    assert (site.output / ".well-known/security.txt").read_text() == (
        "Contact: mailto:info@voorbeeld.nl\n"
        "Expires: 2027-02-26T00:00:00Z\n"
        "Preferred-Languages: nl, en\n"
        "Policy: https://www.ncsc.nl/contact/kwetsbaarheid-melden\n"
        "Canonical: https://dorpsplein.voorbeeld.nl/.well-known/security.txt\n")


def test_contacts_list_encryption_and_no_canonical_without_https():
    text = render({"SECURITY_TXT_CONTACT": ["mailto:cert@voorbeeld.nl", "tel:+31-20-0000000"],
                   "SECURITY_TXT_ENCRYPTION": "https://voorbeeld.nl/pgp.asc", "SECURITY_TXT_POLICY": None,
                   "SITEURL": ""}, datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
    assert text == ("Contact: mailto:cert@voorbeeld.nl\nContact: tel:+31-20-0000000\n"
                    "Expires: 2027-06-29T00:00:00Z\nEncryption: https://voorbeeld.nl/pgp.asc\n"
                    "Preferred-Languages: nl, en\n")


def test_a_fixed_expires_warns_30_days_ahead_and_fails_production_once_passed(site, monkeypatch):
    import pytest

    from dorpsplein.errors import DorpspleinError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 11, 28, tzinfo=UTC).timestamp())))
    site.post("eerste", "Eerste bericht", "2026-11-01 09:00")
    assert site.build(SECURITY_TXT_EXPIRES="2027-06-01").warnings == []
    assert site.build(SECURITY_TXT_EXPIRES="2026-12-10").warnings == [
        "security.txt: Expires 2026-12-10 is 12 days away; renew it"]
    assert "Expires: 2026-12-10T00:00:00Z\n" in (site.output / ".well-known/security.txt").read_text()
    with pytest.raises(DorpspleinError, match="security.txt: Expires 2026-11-01 has passed"):
        site.build(production=True, SECURITY_TXT_EXPIRES="2026-11-01")
