"""Statistics publish nothing a visitor typed (issue 18.2), and an unreadable log is skipped (19.8)."""

from __future__ import annotations

import gzip
import http.server
import json
import threading
from functools import partial

import pytest

from dorpsplein.analytics import default_site_source, site_paths
from dorpsplein.errors import DorpspleinError
from tasks import cli

from .conftest import at, line

HOSTILE = {  # request target → what must never appear in state or on the page
    "/x%3Cscript%3Ealert(2)%3C/script%3E": ["<script>alert(2)", "%3Cscript", "alert(2)"],
    "/afmelden/jan.jansen@example.org/BSN-123456782/": ["jan.jansen", "123456782"],
    "/afmelden/eyJrIjoiamFuIn0.Z0x1Ag.c2lnbmF0dXJlMTIzNA/": ["eyJrIjoiamFuIn0"],
    "/bevestigen/eyJrIjoiYmVwIn0.Z0x1Ag.YWJjZGVm/": ["eyJrIjoiYmVwIn0"],
    "/formulieren/afmelden/eyJrIjoiZm9ybSJ9.Z0x1Ag.eHl6/": ["eyJrIjoiZm9ybSJ9"],
    "/blog/?zoek=piet.pietersen%40example.org": ["pietersen", "zoek="],
    "/blog/2026/11/gemeenteraad-vergadert/?bsn=987654321": ["987654321", "bsn="],
    "/x/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(3)%3E/": ["onerror", "src=x"],
    "/klant/0612345678/": ["0612345678"],
    "/oude-pagina/": ["oude-pagina"],
}


@pytest.fixture
def tiny_site(site):
    site.post("gemeenteraad", "Gemeenteraad vergadert", "2026-11-02 09:00")
    site.build()
    return site


def test_hostile_paths_are_counted_as_other_never_named(runner, tmp_path, tiny_site):
    post = "/blog/2026/11/gemeenteraad-vergadert/"
    lines = [line(when=at(3), request=f"GET {post} HTTP/1.1")]
    for n, target in enumerate(HOSTILE):
        status = 200 if target.startswith(("/blog/", "/afmelden/", "/bevestigen/", "/formulieren/")) else 404
        lines.append(line(ip=f"203.0.113.{n + 10}", when=at(3, 13, n), request=f"GET {target} HTTP/1.1",
                          status=status))
    log, state = tmp_path / "access.log", tmp_path / "state"
    log.write_text("".join(lines))
    result = runner.invoke(cli, ["analytics", str(log), "--state", str(state), "--site", str(tiny_site.output),
                                 "--json", str(tmp_path / "run.json")])
    assert result.exit_code == 0, result.output
    tiny_site.build(STATISTICS_STATE_PATH=str(state))

    month = json.loads((state / "2026-11.json").read_text())
    assert month["pages"] == {post: 2, "/blog/": 1} and month["posts"] == {post: 2}  # queries dropped
    assert month["not_found"] == {} and month["not_found_total"] == 4
    assert month["days"]["2026-11-03"]["page_views"] == 7  # three forms-service pages served: other
    outputs = {p.name: p.read_text() for p in state.iterdir()}
    outputs["run.json"] = (tmp_path / "run.json").read_text()
    outputs["stdout"] = result.output
    outputs |= {str(p): p.read_text() for p in (tiny_site.output / "statistieken").rglob("*.html")}
    for name, text in outputs.items():
        for target, secrets in HOSTILE.items():
            leaked = [s for s in secrets if s in text]
            assert leaked == [], f"{name} shows {leaked} of {target}"
    page = tiny_site.html("statistieken/index.html")
    assert page.count('<th scope="row">Overige adressen</th>') == 2  # pages and 404s


def test_a_path_that_was_once_a_page_but_not_on_the_site_is_other(tmp_path, tiny_site):
    from dorpsplein.analytics import SiteShape, analyse

    log = tmp_path / "access.log"
    log.write_text(line(when=at(3), request="GET /blog/2026/11/gemeenteraad-vergadert/ HTTP/1.1")
                   + line(when=at(3, 14), request="GET /blog/2026/10/verwijderd/ HTTP/1.1"))
    analyse([log], tmp_path / "state", SiteShape(known_paths=site_paths(tiny_site.output)))
    month = json.loads((tmp_path / "state" / "2026-11.json").read_text())
    assert month["pages"] == {"/blog/2026/11/gemeenteraad-vergadert/": 1}
    assert month["days"]["2026-11-03"]["page_views"] == 2


def test_the_committed_state_holds_only_publishable_paths_of_the_demo():
    from pathlib import Path

    from dorpsplein.analytics_schema import MONTH_FILE, publishable_path

    state = Path(__file__).resolve().parents[2] / "state" / "analytics"
    for file in state.iterdir():
        if MONTH_FILE.match(file.name):
            data = json.loads(file.read_text())
            assert data["version"] == 2
            for key in ("pages", "posts", "not_found"):
                assert all(publishable_path(p) for p in data[key]), (file, key)
            assert "@" not in file.read_text() and "afmelden" not in file.read_text()


# --- where the site's addresses come from ----------------------------------------------------------

def test_addresses_from_a_folder_a_sitemap_file_and_a_sitemap_url(tiny_site):
    folder = site_paths(tiny_site.output)
    post = "/blog/2026/11/gemeenteraad-vergadert/"
    assert {post, post + "index.html", "/sitemap.xml"} <= folder
    from_file = site_paths(tiny_site.output / "sitemap.xml")
    assert "/blog/2026/11/gemeenteraad-vergadert/" in from_file and from_file <= folder

    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tiny_site.output))
    handler.log_message = lambda *args: None
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            assert site_paths(f"http://127.0.0.1:{server.server_port}/sitemap.xml") == from_file
            with pytest.raises(DorpspleinError, match=r"/weg\.xml: cannot fetch the sitemap \(HTTP Error 404"):
                site_paths(f"http://127.0.0.1:{server.server_port}/weg.xml")
        finally:
            server.shutdown()


def test_bad_sources_are_clear_errors(tmp_path):
    (tmp_path / "leeg").mkdir()
    with pytest.raises(DorpspleinError, match="leeg: not a built site"):
        site_paths(tmp_path / "leeg")
    (tmp_path / "kapot.xml").write_text("<urlset")
    with pytest.raises(DorpspleinError, match="kapot.xml: not a sitemap"):
        site_paths(tmp_path / "kapot.xml")
    with pytest.raises(DorpspleinError, match="weg.xml: cannot read the site's addresses"):
        site_paths(tmp_path / "weg.xml")


def test_the_default_source(tmp_path):
    settings = {"ANALYTICS_SITE": "", "OUTPUT_PATH": "output", "SITEURL": "https://www.voorbeeld.nl"}
    assert default_site_source(settings, tmp_path) == "https://www.voorbeeld.nl/sitemap.xml"
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "sitemap.xml").write_text("<urlset/>")
    assert default_site_source(settings, tmp_path) == str(tmp_path / "output")
    assert default_site_source({**settings, "ANALYTICS_SITE": "/srv/site"}, tmp_path) == "/srv/site"
    with pytest.raises(DorpspleinError, match="no list of the site's addresses"):
        default_site_source({**settings, "SITEURL": ""}, tmp_path / "elders")


# --- 19.8: an unreadable or truncated log is skipped, the rest counted ------------------------------

def _gzip(path, text):
    with gzip.open(path, "wt") as handle:
        handle.write(text)
    return path


def test_a_truncated_gz_is_skipped_with_a_warning_and_the_rest_is_counted(runner, tmp_path):
    whole = _gzip(tmp_path / "access.log.3.gz", line(when=at(4)) + line(ip="203.0.113.5", when=at(4, 13)))
    broken = _gzip(tmp_path / "access.log.2.gz", "".join(line(ip=f"203.0.113.{n}", when=at(5, 10, n))
                                                         for n in range(50)))
    broken.write_bytes(broken.read_bytes()[:-30])  # cut off: no end-of-stream marker
    corrupt = tmp_path / "access.log.1.gz"
    corrupt.write_bytes(b"\x1f\x8b" + b"niet gzip" * 10)
    plain = tmp_path / "access.log"
    plain.write_text(line(ip="203.0.113.6", when=at(6)))
    state, report = tmp_path / "state", tmp_path / "run.json"
    result = runner.invoke(cli, ["analytics", str(whole), str(broken), str(corrupt), str(plain),
                                 "--state", str(state), "--json", str(report)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    warnings = [text for text in result.stderr.splitlines() if text.startswith("Warning: ")]
    assert warnings == [
        f"Warning: {broken}: cannot read log: Compressed file ended before the end-of-stream marker was reached: "
        "skipped, the other logs were counted",
        f"Warning: {corrupt}: cannot read log: Unknown compression method: skipped, the other logs were counted"]
    data = json.loads(report.read_text())
    assert [f["path"] for f in data["files"]] == [str(whole), str(plain)]
    days = data["months"]["2026-11"]["days"]
    assert (days["2026-11-04"]["visitors"], days["2026-11-06"]["visitors"]) == (2, 1)
    assert "2026-11-05" not in days  # nothing of the truncated file: skipped as a whole

    # the same files again: the whole ones are not read twice, the broken ones are warned about again
    again = runner.invoke(cli, ["analytics", str(whole), str(broken), str(corrupt), str(plain),
                                "--state", str(state), "--json", str(report)])
    assert again.exit_code == 0 and again.stderr.count("Warning: ") == 2
    assert [f["counted"] for f in json.loads(report.read_text())["files"]] == [0, 0]


def test_only_when_nothing_could_be_read_the_exit_code_is_1(runner, tmp_path):
    broken = _gzip(tmp_path / "access.log.2.gz", line(when=at(5)) * 40)
    broken.write_bytes(broken.read_bytes()[:-30])
    missing = tmp_path / "access.log"
    result = runner.invoke(cli, ["analytics", str(broken), str(missing), "--state", str(tmp_path / "state")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: no log could be read: {broken}: cannot read log: Compressed file ended before the end-of-stream "
        f"marker was reached; {missing}: cannot read log: No such file or directory")
    assert "Traceback" not in result.output and not (tmp_path / "state" / "2026-11.json").exists()
