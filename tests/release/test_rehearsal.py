"""The production rehearsal: the test that proves a release.

Gemeente Duinrand (tests/fixtures/gemeente_duinrand), a municipality that is not our demo, is
published the way its CI publishes it: `python tasks.py publish` in production mode with its
settings as DORPSPLEIN_* variables, to a `dir:` target. The release is served by deploy/'s nginx
configuration over HTTPS on 127.0.0.1, with the forms service behind it under gunicorn as
deploy/systemd/dorpsplein-forms.service starts it, SQLite in a temporary folder and aiosmtpd as the
mail server. Debian's Chromium reaches the site by its real name (a host-resolver rule sends
www.duinrand.example to nginx; every other host resolves to nothing) and is used as a resident uses
it: every page and link, the newsletter from sign-up to one-click unsubscribe, the contact form.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import tomllib
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from http.client import HTTPSConnection
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from aiosmtpd.controller import Controller
from axe_playwright_python.sync_playwright import Axe
from conftest import CHROMIUM, CHROMIUM_ARGS
from publish.net import free_ports, wait_for_port
from publish.nginx_server import NGINX, machine_swaps, render_config, running, self_signed_certificate

from dorpsplein.settings import ROOT, load_settings
from dorpsplein.subscribers import count_subscribers, open_database

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests/fixtures/gemeente_duinrand"
HOST = "www.duinrand.example"
SITE = f"https://{HOST}"
PERIOD = "2026-11"  # an ended month with posts: its newsletter edition is sent
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEVELOPMENT_ADDRESS = re.compile(rb"127\.0\.0\.1|localhost", re.IGNORECASE)
UNIT = ROOT / "deploy/systemd/dorpsplein-forms.service"
DEPLOYED_HOST = "dorpsplein.voorbeeld.nl"  # the demo's name in deploy/: a municipality puts its own there


def development_addresses(data: bytes) -> list[str]:
    """Each loopback address in `data`, with a little context to find it."""
    return [data[max(0, m.start() - 60):m.end() + 20].decode("utf-8", "replace") for m in
            DEVELOPMENT_ADDRESS.finditer(data)]


# --- Settings: Duinrand's overrides of publishconf.py, as its CI sets them ---------------------------------------

def fixture_settings() -> dict[str, str]:
    """settings.toml as DORPSPLEIN_* variables: strings as they are, anything else as JSON."""
    settings = tomllib.loads((FIXTURE / "settings.toml").read_text(encoding="utf-8"))
    known = load_settings(production=True)
    unknown = sorted(set(settings) - set(known))
    # An unknown name would be ignored without a word (only known settings are taken from the environment).
    assert not unknown, f"settings.toml: {unknown} are not settings of publishconf.py"
    return {f"DORPSPLEIN_{name}": value if isinstance(value, str) else json.dumps(value)
            for name, value in settings.items()}


@dataclass
class Machine:
    """Folders, ports and the environment every command of this deployment runs with."""

    root: Path
    https_port: int
    http_port: int
    forms_port: int
    smtp_url: str
    environ: dict[str, str] = field(default_factory=dict)

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def database_url(self) -> str:
        return self.environ["DORPSPLEIN_DATABASE_URL"]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """`python tasks.py …` in the project folder, as CI and the server run it."""
        done = subprocess.run([sys.executable, "tasks.py", *args], cwd=ROOT, env=self.environ,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"tasks.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done


# --- Mail: aiosmtpd on 127.0.0.1 ---------------------------------------------------------------------------------

class Inbox:
    """Every message aiosmtpd accepts; a test waits for the one it expects (no sleeping)."""

    def __init__(self):
        self.raw: list[bytes] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
        with self.arrived:
            self.raw.append(envelope.original_content)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, subject_contains: str = "", header: str | None = None,
                 timeout: float = 60) -> tuple[email.message.EmailMessage, bytes]:
        """The first message to `to` with that text in its subject (and that header, if named)."""
        def found():
            for raw in self.raw:
                message = email.message_from_bytes(raw, policy=email.policy.default)
                if message["To"] and to in str(message["To"]) and subject_contains in str(message["Subject"]) \
                        and (header is None or header in message):
                    return message, raw
            return None

        with self.arrived:
            result = self.arrived.wait_for(found, timeout)
        assert result, f"no mail to {to} with {subject_contains!r} in the subject; got {len(self.raw)} other(s)"
        return result


@pytest.fixture(scope="module")
def inbox():
    inbox = Inbox()
    [port] = free_ports(1)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}"
    yield inbox
    controller.stop()


@pytest.fixture(scope="module")
def machine(tmp_path_factory, inbox) -> Machine:
    root = tmp_path_factory.mktemp("duinrand")
    https_port, http_port, forms_port = free_ports(3)
    (root / "state").mkdir()  # no visit statistics yet: a first deployment
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DORPSPLEIN_")}
    environ.update(fixture_settings())
    environ.update({
        # This machine: where the content is and where the site goes (a municipality's CI checks out its repo).
        "DORPSPLEIN_PATH": str(FIXTURE / "content"),
        "DORPSPLEIN_OUTPUT_PATH": str(root / "output"),
        "DORPSPLEIN_CACHE_PATH": str(root / "cache"),
        "DORPSPLEIN_STATISTICS_STATE_PATH": str(root / "state"),
        "DORPSPLEIN_PUBLISHED_STATE_PATH": str(root / "state/published.json"),  # never into the fixture
        "DORPSPLEIN_PUBLISH_TARGETS": json.dumps({"rehearsal": f"dir:{root / 'srv'}"}),
        "DORPSPLEIN_PUBLISH_TARGET": "rehearsal",
        # Secrets, as the CI's secret store and /etc/dorpsplein/forms.env give them.
        "DORPSPLEIN_SECRET_KEY": secrets.token_urlsafe(32),
        "DORPSPLEIN_SMTP_URL": inbox.url,
        "DORPSPLEIN_DATABASE_URL": f"sqlite:///{root / 'dorpsplein.sqlite3'}",
        "XDG_DATA_HOME": str(root / "data"),
    })
    return Machine(root, https_port, http_port, forms_port, inbox.url, environ)


# --- The release: `tasks.py publish` to a dir: target ----------------------------------------------------------

@pytest.fixture(scope="module")
def release(machine) -> Path:
    machine.run("publish")
    return (machine.root / "srv/current").resolve()


# --- The forms service under gunicorn, started as the systemd unit starts it --------------------------------------

def unit_command(port: int) -> tuple[list[str], dict[str, str]]:
    """ExecStart and Environment= of the unit, with the venv's gunicorn and a free port."""
    text = UNIT.read_text().replace("\\\n", " ")
    argv = re.search(r"^ExecStart=(.+)$", text, re.MULTILINE).group(1).split()
    assert argv[0] == "/opt/dorpsplein/.venv/bin/gunicorn", argv
    assert "127.0.0.1:8001" in argv, argv
    argv = [str(Path(sys.executable).parent / "gunicorn")] + [
        f"127.0.0.1:{port}" if arg == "127.0.0.1:8001" else arg for arg in argv[1:]]
    environment = dict(re.findall(r"^Environment=(\w+)=(\S*)$", text, re.MULTILINE))
    return argv, environment


@pytest.fixture(scope="module")
def forms_service(machine):
    argv, environment = unit_command(machine.forms_port)
    environment.pop("XDG_DATA_HOME", None)  # /var/lib on the server; the machine's own folder here
    assert environment["DORPSPLEIN_FORMS_SITE_ROOT"] == "/srv/dorpsplein/current"
    environment["DORPSPLEIN_FORMS_SITE_ROOT"] = str(machine.root / "srv/current")  # the release nginx serves
    log = machine.root / "gunicorn.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(argv, cwd=ROOT, env={**machine.environ, **environment},
                                   stdout=output, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_port(machine.forms_port, process, "gunicorn")
        except RuntimeError as exc:
            raise AssertionError(f"{exc}:\n{log.read_text()}") from None
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- nginx with deploy/'s configuration, over HTTPS -------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(machine) -> Path:
    """A throw-away certificate for the site's name (Chromium is told to accept its issuer)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    return self_signed_certificate(machine.root / "certs", f"DNS:{HOST}")


@pytest.fixture(scope="module")
def nginx(machine, release, certificate, forms_service):
    """deploy/nginx/dorpsplein.conf as Duinrand installs it: its own name, then this machine's paths and ports."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
    folder = machine.root / "nginx"
    shutil.copytree(ROOT / "deploy/nginx/snippets", folder / "snippets")
    for snippet in (folder / "snippets").iterdir():
        snippet.write_text(snippet.read_text().replace(DEPLOYED_HOST, HOST))
    text = (ROOT / "deploy/nginx/dorpsplein.conf").read_text()
    assert DEPLOYED_HOST in text
    text = re.sub(r"/etc/letsencrypt/live/[^/\s]+/", f"{certificate}/", text.replace(DEPLOYED_HOST, HOST))
    config = render_config(text, machine_swaps(folder, release, machine.http_port, machine.https_port,
                                               machine.forms_port))
    with running(folder, config, machine.https_port):
        yield


def https(machine: Machine, certs: Path, method: str, url: str, body: bytes | None = None,
          headers: dict | None = None) -> tuple[int, bytes]:
    """A request as a mail client or another program makes it: TLS checked against the site's certificate
    and name, the connection going to nginx on 127.0.0.1."""
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.hostname == HOST and parts.port is None, url
    context = ssl.create_default_context(cafile=str(certs / "fullchain.pem"))
    connection = HTTPSConnection(HOST, context=context, timeout=30)
    connection.sock = context.wrap_socket(socket.create_connection(("127.0.0.1", machine.https_port), timeout=30),
                                          server_hostname=HOST)
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body,
                           headers={"User-Agent": "dorpsplein-rehearsal/1.0", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- Chromium, reaching the site by its name -------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium(browser, machine, nginx):
    """Debian's Chromium (launched by the session's Playwright) that finds www.duinrand.example at nginx and
    nothing else anywhere: a request to another host fails, and the tests see it."""
    rules = f"--host-resolver-rules=MAP {HOST} 127.0.0.1:{machine.https_port}, MAP * ~NOTFOUND"
    resident = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [rules])
    context = resident.new_context(ignore_https_errors=True)  # the test certificate's issuer is nobody
    yield context
    context.close()
    resident.close()


class Watch:
    """What one page did besides loading: console errors, requests to other hosts, sub-resources that failed."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.elsewhere: list[str] = []
        self.failed: list[str] = []
        page.on("console", lambda m: self.errors.append(f"{m.text} ({m.location.get('url')})")
                if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda r: self.elsewhere.append(r.url)
                if urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).hostname != HOST else None)
        # ERR_ABORTED: the next page was asked for before the icon request, made after `load`, was answered.
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}")
                if r.failure != "net::ERR_ABORTED" else None)
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document" else None)

    def problems(self) -> list[str]:
        return self.errors + [f"request to another host: {url}" for url in self.elsewhere] + self.failed

    def clear(self):
        self.errors.clear(), self.elsewhere.clear(), self.failed.clear()


# --- The release folder ------------------------------------------------------------------------------------------

def test_the_release_is_duinrand_without_drafts_or_future_posts(release):
    home = (release / "index.html").read_text(encoding="utf-8")
    assert "Dorpsplein Duinrand" in home and "Voorbeeld" not in home
    assert '<html lang="nl">' in home
    assert not list(release.rglob("*nieuwjaarsreceptie*")), "the future post was published"
    assert not list(release.rglob("*openingstijden-gemeentehuis*")), "the draft was published"
    assert not (release / "concepten").exists()
    expired = release / "blog/2026/09/havenstraat-afgesloten-op-zaterdag-19-september/index.html"
    assert "Verlopen" in expired.read_text(encoding="utf-8"), "an expired notice keeps its own page, marked"
    assert "#00666b" in (release / "theme/css/tokens.css").read_text(), "Duinrand's brand colour"
    feed = json.loads((release / "feeds/all.json").read_text())
    titles = [item["title"] for item in feed["items"]]
    assert len(titles) == 29 and not [t for t in titles if "Havenstraat afgesloten" in t]
    assert (release / "images/duinen-bij-storm.png").is_file()
    assert (release / f"nieuwsbrief/{PERIOD}/extern/index.html").is_file()


def test_no_development_address_anywhere_in_the_release(release):
    found: dict[str, list[str]] = {}  # each place a loopback address appears → the files it appears in
    for path in sorted(release.rglob("*")):
        if path.is_file() and path.suffix not in (".gz", ".br", ".png", ".jpg", ".jpeg", ".webp", ".ico"):
            for hit in development_addresses(path.read_bytes()):
                found.setdefault(hit, []).append(str(path.relative_to(release)))
    summary = {hit: f"{len(files)} file(s), e.g. {files[:3]}" for hit, files in found.items()}
    assert found == {}, json.dumps(summary, indent=1, ensure_ascii=False)


# --- Every page, in Chromium ---------------------------------------------------------------------------------------

# Axe runs once per kind of page (first match wins); 404s, console errors and other hosts are checked on every page.
PAGE_KINDS = [
    ("home", r"/"),
    ("expired-notice", r"/blog/2026/09/havenstraat-afgesloten-op-zaterdag-19-september/"),
    ("article-with-image", r"/blog/2026/11/storm/"),
    ("article", r"/blog/\d{4}/\d{2}/[^/]+/"),
    ("blog", r"/blog/(pagina/\d+/)?"),
    ("category", r"/blog/categorie/[^/]+/(pagina/\d+/)?"),
    ("tag", r"/blog/onderwerp/[^/]+/(pagina/\d+/)?"),
    ("author", r"/blog/auteur/[^/]+/(pagina/\d+/)?"),
    ("archives", r"/blog/archief/"),
    ("year-or-month", r"/blog/\d{4}/(\d{2}/)?"),
    ("categories", r"/blog/categorieen/"),
    ("tags", r"/blog/onderwerpen/"),
    ("authors", r"/blog/auteurs/"),
    ("overview", r"/overzicht/\d{4}/\d{2}/"),
    ("overviews", r"/overzicht/"),
    ("newsletter-in-browser", r"/nieuwsbrief/.+"),
    ("contact", r"/contact/"),
    ("channels", r"/kanalen/"),
    ("feeds", r"/volgen/"),
    ("statistics", r"/statistieken/"),
    ("page", r"/[^/]+/"),
]
LINKS = """() => [
  ...[...document.querySelectorAll('a[href], link[href]')].map(e => e.href),
  ...[...document.querySelectorAll('img[src], script[src], iframe[src], source[src]')].map(e => e.src),
  ...[...document.querySelectorAll('meta[property="og:image"], meta[name="twitter:image"]')].map(e => e.content),
]"""


def page_kind(path: str) -> str:
    return next(kind for kind, pattern in PAGE_KINDS if re.fullmatch(pattern, path)) if path.endswith("/") else path


def own_path(url: str, base: str) -> str | None:
    """The path of a link to our own site (fragment dropped), or None for another host or scheme."""
    parts = urlsplit(urljoin(base, url))
    if parts.scheme not in ("http", "https") or parts.hostname != HOST:
        return None
    assert parts.scheme == "https", f"{base} links to {url} over plain http"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def violations(axe, page) -> list[str]:
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]]


def test_every_page_and_link_works_in_chromium(chromium, machine, release, certificate):
    """From the home page, the sitemap and the release's pages, every internal link: no 404, no console error, no
    request to another host, and no axe-core violation on any kind of page."""
    sitemap = ElementTree.fromstring((release / "sitemap.xml").read_bytes())
    listed = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert listed and all(url.startswith(SITE + "/") for url in listed), listed[:5]

    axe = Axe()
    page = chromium.new_page()
    watch = Watch(page)
    # The home page, then the sitemap, then every page in the release (those no link leads to are checked too).
    written = sorted("/" + str(p.parent.relative_to(release)) + "/" for p in release.rglob("index.html"))
    queue = ["/"] + [urlsplit(url).path for url in listed] + [p.replace("/./", "/") for p in written]
    pages, files, problems, axed = {}, {}, {}, {}
    while queue:
        path = queue.pop(0)
        if path in pages or path in files:
            continue
        if not path.endswith("/"):  # feeds, images, calendars, stylesheets: fetched, not shown
            files[path] = https(machine, certificate, "GET", SITE + path)[0]
            continue
        watch.clear()
        response = page.goto(SITE + path)
        pages[path] = response.status
        kind = page_kind(path)
        if kind not in axed:
            axed[kind] = violations(axe, page)
        if watch.problems():
            problems[path] = watch.problems()
        queue += [p for p in (own_path(link, page.url) for link in page.evaluate(LINKS)) if p]
    page.close()

    failures = {
        "pages not answered with 200": {p: s for p, s in pages.items() if s != 200},
        "links to files not answered with 200": {p: s for p, s in files.items() if s != 200},
        "console errors, other hosts, failed sub-resources": problems,
        "axe-core violations by kind of page": {kind: found for kind, found in axed.items() if found},
    }
    assert {what: found for what, found in failures.items() if found} == {}, json.dumps(failures, indent=1)
    assert len(pages) > 100 and {"home", "article", "tag", "category", "contact", "overview"} <= set(axed)


def test_an_unknown_address_gets_the_404_page_without_errors(chromium):
    axe = Axe()
    page = chromium.new_page()
    watch = Watch(page)
    response = page.goto(SITE + "/bestaat/niet/")
    assert response.status == 404
    assert "Dorpsplein Duinrand" in page.title()
    # The page's own status is the one error Chromium reports for it.
    assert [e for e in watch.problems() if not e.endswith(f"({SITE}/bestaat/niet/)")] == []
    assert violations(axe, page) == []
    page.close()


def test_the_forms_service_pages_link_only_to_pages_that_exist(chromium, machine, certificate):
    """The service renders the site's header and footer itself: they must leave out what Duinrand has not."""
    axe = Axe()
    page = chromium.new_page()
    watch = Watch(page)
    response = page.goto(SITE + "/formulieren/bevestigen/niet-meer-geldig")  # as from an old or mangled mail
    assert response.status == 400
    assert page.locator("h1").inner_text()
    links = {p for p in (own_path(link, page.url) for link in page.evaluate(LINKS)) if p} - {urlsplit(page.url).path}
    dead = {path: status for path in sorted(links) if (status := https(machine, certificate, "GET", SITE + path)[0])
            != 200}
    found = violations(axe, page)
    problems = [e for e in watch.problems() if not e.endswith(f"({page.url})")]  # its own 400 is expected
    page.close()
    assert len(links) > 3 and dead == {}
    assert found == [] and problems == []


# --- A resident's newsletter: sign up, confirm, receive an edition, unsubscribe in one click ---------------------

def test_newsletter_from_sign_up_to_one_click_unsubscribe(chromium, machine, inbox, certificate):
    address = "lotte.visser@duinrand.example"
    page = chromium.new_page()
    watch = Watch(page)
    page.goto(SITE + "/")
    form = page.locator("section.signup form")
    form.get_by_label("E-mailadres").fill(address)
    form.get_by_role("button", name="Aanmelden").click()
    assert page.locator("h1").inner_text() == "Bijna klaar: bevestig uw aanmelding"
    assert page.url == f"{SITE}/formulieren/aanmelden"

    confirmation, raw = inbox.wait_for(address)
    assert development_addresses(raw) == []
    link = re.search(re.escape(SITE) + r"/formulieren/bevestigen/[\w.\-]+", confirmation.get_body(("plain",))
                     .get_content()).group(0)
    page.goto(link)
    page.get_by_role("button", name="Ja, ik wil de nieuwsbrief ontvangen").click()
    assert page.locator("h1").inner_text() == "Uw aanmelding is bevestigd"
    assert watch.problems() == []
    page.close()
    engine = open_database(machine.database_url)
    assert count_subscribers(engine)[("extern", "confirmed")] == 1

    machine.run("newsletter", "send", "--production", "--period", PERIOD, "--list", "extern",
                "--output", str(machine.output))
    edition, raw = inbox.wait_for(address, "Duinrand", header="List-Unsubscribe")  # not the confirmation
    assert development_addresses(raw) == []
    assert edition["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [unsubscribe] = re.findall(r"<(https://[^>]+)>", edition["List-Unsubscribe"])
    assert unsubscribe.startswith(f"{SITE}/formulieren/afmelden/")

    # RFC 8058: the mail provider POSTs this body to the https address, without cookies or a browser.
    status, _ = https(machine, certificate, "POST", unsubscribe, b"List-Unsubscribe=One-Click",
                      {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    counts = count_subscribers(engine)
    assert counts.get(("extern", "confirmed"), 0) == 0 and counts[("extern", "unsubscribed")] == 1


# --- The contact form ----------------------------------------------------------------------------------------------

def test_the_contact_form_delivers_a_message(chromium, inbox):
    page = chromium.new_page()
    watch = Watch(page)
    page.goto(SITE + "/contact/")
    form = page.locator("form.contact-form")
    form.get_by_label("Naam").fill("Kees Dijkstra")
    form.get_by_label("E-mailadres").fill("kees.dijkstra@duinrand.example")
    form.get_by_label("Onderwerp").fill("Losse tegel op het Duinpad")
    form.get_by_label("Uw bericht").fill("Bij de strandopgang van het Duinpad ligt een tegel los.")
    form.get_by_role("button", name="Bericht versturen").click()
    assert page.locator("h1").inner_text() == "Bedankt voor uw bericht"
    assert page.url == f"{SITE}/formulieren/contact"
    assert watch.problems() == []
    assert chromium.cookies() == []  # no cookie from the site or the service, after both forms
    page.close()

    message, raw = inbox.wait_for("info@duinrand.example", "Losse tegel op het Duinpad")
    assert message["Reply-To"].addresses[0].addr_spec == "kees.dijkstra@duinrand.example"
    assert "tegel los" in message.get_body(("plain",)).get_content()
    assert development_addresses(raw) == []
