"""Every kind of page, served by nginx with deploy/'s headers, in Chromium: no CSP violation, no console error,
also while axe-core checks the page (it re-reads every stylesheet)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser.template_kinds import TEMPLATE_KINDS

# Chromium reports blocked inline code both as a console error and as this event; collect both.
COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture(scope="module")
def resolving_browser(browser):
    """Chromium that finds our host names on 127.0.0.1: nginx answers no other name (deploy/'s default_server)."""
    from conftest import CHROMIUM, CHROMIUM_ARGS

    from .nginx_server import RESOLVE_ARGS

    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + RESOLVE_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def https_context(resolving_browser, nginx):
    context = resolving_browser.new_context(ignore_https_errors=True)  # nginx's certificate is a throw-away one
    context.add_init_script(COLLECT_VIOLATIONS)
    yield context
    context.close()


# Pages written from other templates than the theme's pages.
EXTRA_KINDS = {
    # The "bekijk in de browser" copy of a newsletter (plugins/overviews, theme/templates/newsletter/email.html):
    # not inlined like the e-mail, it links /nieuwsbrief/email.css.
    "newsletter-browser-view": "/nieuwsbrief/2026-10/extern/",
}
PAGES = [pytest.param(TEMPLATE_KINDS[kind], id=kind) for kind in sorted(TEMPLATE_KINDS)] + [
    pytest.param(path, id=kind) for kind, path in EXTRA_KINDS.items()]


@pytest.mark.parametrize("path", PAGES)
def test_no_csp_violation_or_console_error_also_while_axe_runs(path, https_context, nginx):
    page = https_context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(f"{message.text} ({message.location.get('url')})")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    failed = []  # which address a "Failed to load resource" was about
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document" else None)
    try:
        response = page.goto(nginx.site_url + path, wait_until="load")
        assert response.status == (404 if path == TEMPLATE_KINDS["404"] else 200)
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
        violations = page.evaluate("window.__violations")
    finally:
        page.close()
    # The 404 page's own status is reported as a failed load. The theme has no icon yet, so Chromium's
    # own request for /favicon.ico fails on a first visit (reported; the test of the icon is below).
    own = nginx.site_url + path
    errors = [e for e in errors if not (path == TEMPLATE_KINDS["404"] and e.endswith(f"({own})"))
              and "/favicon.ico)" not in e]
    assert violations == [] and errors == [], f"{path}: {violations + errors + failed}"


def test_the_site_has_an_icon(nginx):
    home = nginx.get("/")[2].decode()
    assert 'rel="icon"' in home or nginx.get("/favicon.ico")[0] == 200


def test_no_stylesheet_imports_another(nginx):
    """An @import makes the browser fetch stylesheets one after the other, and tools that re-read them (axe)
    resolve a relative one against the page: a 404 on every page. Each stylesheet is a <link> instead."""
    imports = [str(css.relative_to(nginx.release)) for css in nginx.release.rglob("*.css")
               if "@import" in css.read_text(encoding="utf-8")]
    assert imports == []
    home = nginx.get("/")[2].decode()
    assert home.index('href="' + nginx.site_url + '/theme/css/tokens.css"') \
        < home.index('href="' + nginx.site_url + '/theme/css/dorpsplein.css"')
