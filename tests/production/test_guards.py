"""Production guards (dorpsplein/production.py) through the commands that use them, with exact messages."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.production import check_mail, check_public_url, non_public_addresses
from tasks import cli

NO_SCHEME = ("Error: SITEURL: 'www.gemeente-x.nl' is not an absolute https:// address; set DORPSPLEIN_SITEURL "
             "to the live address, e.g. https://www.gemeente-voorbeeld.nl\n")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in ("DORPSPLEIN_SITEURL", "DORPSPLEIN_FORMS_URL", "DORPSPLEIN_SECRET_KEY", "DORPSPLEIN_SMTP_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DORPSPLEIN_DATABASE_URL", f"sqlite:///{tmp_path / 'guards.sqlite3'}")


@pytest.fixture
def tiny(site):
    site.post("a", "Bericht op het plein", "2026-01-01 09:00")
    return site


def invoke(runner, args, **environ):
    result = runner.invoke(cli, args, env=environ)
    assert "Traceback" not in result.output
    return result


def test_a_siteurl_without_scheme_stops_a_production_build_before_anything_is_built(runner, tiny):
    result = invoke(runner, ["build", "--production", "--content", str(tiny.content), "--output", str(tiny.output)],
                    DORPSPLEIN_SITEURL="www.gemeente-x.nl")
    assert (result.exit_code, result.stderr) == (1, NO_SCHEME)
    assert not tiny.output.exists()


@pytest.mark.parametrize("args", [["publish", "--dry-run"], ["newsletter", "send", "--production", "--dry-run"],
                                  ["forms", "serve", "--production"]])
def test_every_production_command_refuses_a_siteurl_without_scheme(runner, args):
    result = invoke(runner, args, DORPSPLEIN_SITEURL="www.gemeente-x.nl", DORPSPLEIN_SECRET_KEY="k" * 40,
                    DORPSPLEIN_SMTP_URL="smtp://mail.voorbeeld.nl")
    assert (result.exit_code, result.stderr) == (1, NO_SCHEME)


@pytest.mark.parametrize("environ, message", [
    ({"DORPSPLEIN_SITEURL": "http://www.gemeente-x.nl"},
     "SITEURL: 'http://www.gemeente-x.nl' is not an absolute https:// address; set DORPSPLEIN_SITEURL to the live "
     "address, e.g. https://www.gemeente-voorbeeld.nl"),
    ({"DORPSPLEIN_SITEURL": "https://127.0.0.1:8443"},
     "SITEURL: https://127.0.0.1:8443 is a loopback address, not the live site; set DORPSPLEIN_SITEURL to the "
     "public https:// address"),
    ({"DORPSPLEIN_SITEURL": "https://gemeente-x.local"},
     "SITEURL: https://gemeente-x.local is a local host name, not the live site; set DORPSPLEIN_SITEURL to the "
     "public https:// address"),
    ({"DORPSPLEIN_FORMS_URL": "http://127.0.0.1:8001"},
     "FORMS_URL: 'http://127.0.0.1:8001' is not an absolute https:// address; set DORPSPLEIN_FORMS_URL to the live "
     "address, e.g. https://www.gemeente-voorbeeld.nl"),
    ({"DORPSPLEIN_FORMS_URL": "https://192.168.10.4/formulieren"},
     "FORMS_URL: https://192.168.10.4/formulieren is a private address, not the live site; set DORPSPLEIN_FORMS_URL "
     "to the public https:// address"),
])
def test_the_error_names_the_setting_and_its_variable(runner, tiny, environ, message):
    result = invoke(runner, ["build", "--production", "--content", str(tiny.content), "--output", str(tiny.output)],
                    **environ)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")


@pytest.mark.parametrize("host, public", [
    ("127.0.0.1", False), ("[::1]", False), ("10.1.2.3", False), ("172.16.0.9", False), ("192.168.1.1", False),
    ("169.254.0.7", False), ("[fe80::1]", False), ("localhost", False), ("intranet.localhost", False),
    ("gemeente.local", False), ("0.0.0.0", False),
    ("www.gemeente-x.nl", True), ("145.12.3.4", True), ("[2a00:1450::1]", True), ("locale.nl", True)])
def test_which_hosts_are_public(host, public):
    if public:
        assert check_public_url("SITEURL", f"https://{host}/") == f"https://{host}"
    else:
        with pytest.raises(DorpspleinError, match=r"^SITEURL: https://.* is .*, not the live site; set DORPSPLEIN_"):
            check_public_url("SITEURL", f"https://{host}/")


def test_addresses_are_found_plain_and_percent_encoded():
    data = (b'<a href="https://www.gemeente-x.nl/">ok</a> <a href="http://127.0.0.1:8001/aanmelden">x</a> '
            b'https://www.facebook.com/sharer.php?u=http%3A%2F%2Flocalhost%3A8000%2Fblog%2F "http://[::1]:80/a"')
    assert non_public_addresses(data) == [("http://127.0.0.1:8001", "a loopback address"),
                                          ("http://[::1]:80", "a loopback address"),
                                          ("http%3A%2F%2Flocalhost%3A8000", "a local host name")]


def test_a_production_build_linking_a_private_address_fails_naming_file_and_address(runner, tiny):
    tiny.post("b", "Intranet", "2026-01-02 09:00", body="Zie [het intranet](http://192.168.1.10/intranet/).")
    result = invoke(runner, ["build", "--production", "--content", str(tiny.content), "--output", str(tiny.output)],
                    DORPSPLEIN_SITEURL="https://www.gemeente-x.nl")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: the production build links addresses that are not on the public internet:"
    assert "  blog/2026/01/intranet/index.html: http://192.168.1.10 (a private address)" in lines
    assert not tiny.output.exists()  # nothing half-written: the release was not swapped in


def test_the_same_build_at_a_public_address_passes(runner, tiny):
    result = invoke(runner, ["build", "--production", "--content", str(tiny.content), "--output", str(tiny.output)],
                    DORPSPLEIN_SITEURL="https://www.gemeente-x.nl")
    assert result.exit_code == 0, result.output
    assert 'action="https://www.gemeente-x.nl/formulieren/aanmelden"' in \
        (Path(tiny.output) / "blog/2026/01/bericht-op-het-plein/index.html").read_text()


def mail(unsubscribe: str, body: str = "Hallo") -> EmailMessage:
    message = EmailMessage()
    message["To"] = "lid@voorbeeld.nl"
    message["List-Unsubscribe"] = f"<{unsubscribe}>, <mailto:nieuwsbrief@voorbeeld.nl>"
    message.set_content(body)
    return message


def test_a_mail_with_a_development_unsubscribe_link_is_refused():
    with pytest.raises(DorpspleinError) as refused:
        check_mail(mail("http://127.0.0.1:8001/afmelden/abc"))
    assert str(refused.value) == (
        "the mail links addresses that are not on the public internet:\n"
        "  http://127.0.0.1:8001 (a loopback address)\n"
        "  List-Unsubscribe http://127.0.0.1:8001/afmelden/abc (not https://)")
    with pytest.raises(DorpspleinError, match=r"http://gemeente\.local \(a local host name\)"):
        check_mail(mail("https://www.gemeente-x.nl/formulieren/afmelden/abc", "Lees http://gemeente.local/x"))
    check_mail(mail("https://www.gemeente-x.nl/formulieren/afmelden/abc", "Lees https://www.gemeente-x.nl/x"))
