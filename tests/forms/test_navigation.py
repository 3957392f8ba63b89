"""The service's pages wear the site's header and footer with the links the last build kept (whole_site):
none to a page the site does not have."""

from __future__ import annotations

from lxml import html as lxml_html


def _links(page: str, selector: str) -> list[str]:
    return lxml_html.fromstring(page).xpath(f"{selector}//a/@href")


def test_the_service_links_only_to_pages_the_released_site_has(site, start_service):
    site.post("markt", "Weekmarkt op de Brink", "2026-03-05 10:00", Slug="weekmarkt-op-de-brink")  # no pages at all
    site.build()
    assert (site.output / ".dorpsplein/navigation.json").is_file()
    released = start_service(environ={"DORPSPLEIN_FORMS_SITE_ROOT": str(site.output)})
    page = released.get("/afmelden/geen-geldige-link").text  # an error page: still the site's header and footer
    header, footer = _links(page, "//header"), _links(page, "//footer")
    assert "/over-ons/" not in " ".join(header + footer) and "/privacy/" not in " ".join(footer)
    assert any(link.endswith("/blog/") for link in header)

    configured = start_service(environ={"DORPSPLEIN_FORMS_SITE_ROOT": str(site.output.parent / "niet-gebouwd")})
    page = configured.get("/afmelden/geen-geldige-link").text  # no release there: the configured links
    assert any(link.endswith("/over-ons/") for link in _links(page, "//header"))
