"""deploy/nginx over real HTTP(S): redirects, security headers, pre-compressed files, 404, security.txt, logs."""

import gzip
import json
import time

import pytest

from dorpsplein.analytics.logline import parse

from .nginx_server import BROTLI_MODULE, SITE_HOST

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self'; manifest-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'self'; upgrade-insecure-requests")


def assert_security_headers(headers):
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert headers["content-security-policy"] == CSP
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"  # the forms service needs a real Origin
    assert "camera=()" in headers["permissions-policy"]
    assert "server" not in headers or headers["server"] == "nginx"  # no version


def test_the_config_passes_nginx_t(nginx):
    assert "syntax is ok" in nginx.nginx_t and "test is successful" in nginx.nginx_t


def test_plain_http_redirects_to_https_with_path_and_query(nginx):
    status, headers, _ = nginx.get("/blog/?pagina=2", https=False)
    assert status == 301
    assert headers["location"] == f"https://{SITE_HOST}/blog/?pagina=2"


def test_a_page_has_security_headers_charset_and_short_caching(nginx):
    status, headers, body = nginx.get("/")
    assert status == 200
    assert_security_headers(headers)
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "public, max-age=300"
    assert body == (nginx.release / "index.html").read_bytes()


def test_the_precompressed_copy_is_served_to_a_client_that_accepts_gzip(nginx):
    status, headers, body = nginx.get("/blog/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert body == (nginx.release / "blog/index.html.gz").read_bytes()  # the file publish wrote, not on the fly
    assert gzip.decompress(body) == (nginx.release / "blog/index.html").read_bytes()
    assert headers["vary"] == "Accept-Encoding"
    status, headers, body = nginx.get("/blog/")
    assert "content-encoding" not in headers and body == (nginx.release / "blog/index.html").read_bytes()


def test_with_the_brotli_module_the_br_copy_is_preferred(nginx):
    if not BROTLI_MODULE.exists():
        pytest.skip("Debian's libnginx-mod-http-brotli-static is not installed (deploy/ leaves brotli_static off)")
    status, headers, body = nginx.get("/blog/", headers={"Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["content-encoding"] == "br"
    assert body == (nginx.release / "blog/index.html.br").read_bytes()


def test_theme_files_are_cached_for_a_day(nginx):
    status, headers, _ = nginx.get("/theme/css/dorpsplein.css")
    assert status == 200
    assert headers["content-type"] == "text/css; charset=utf-8"
    assert headers["cache-control"] == "public, max-age=86400"
    assert_security_headers(headers)


def test_unknown_addresses_get_the_404_page_with_the_same_headers(nginx):
    status, headers, body = nginx.get("/bestaat/niet/")
    assert status == 404
    assert body == (nginx.release / "404.html").read_bytes()
    assert headers["cache-control"] == "no-cache"
    assert_security_headers(headers)
    assert nginx.get("/404.html")[0] == 404  # only as an error page; not a page of its own with 200


def test_security_txt_is_plain_text_with_expires(nginx):
    status, headers, body = nginx.get("/.well-known/security.txt")
    assert status == 200
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert b"\nExpires: " in body and body.startswith(b"Contact: mailto:")
    assert_security_headers(headers)


def test_other_dot_files_are_not_served(nginx):
    assert (nginx.release / ".editor-leftover.swp").exists()
    assert nginx.get("/.editor-leftover.swp")[0] == 404


def test_the_forms_path_is_proxied_on_the_site_origin_with_forwarding_headers(nginx):
    status, headers, body = nginx.get("/formulieren/gezondheid")
    assert status == 200
    seen = json.loads(body)
    assert seen["path"] == "/formulieren/gezondheid"  # passed on unchanged: the service answers under it
    assert seen["headers"]["Host"] == SITE_HOST
    assert seen["headers"]["X-Forwarded-Proto"] == "https"
    assert seen["headers"]["X-Forwarded-For"] == "127.0.0.1"
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert "content-security-policy" not in headers  # the service sends its own; the site's is not added
    forms_log = nginx.folder / "logs/dorpsplein-forms.access.log"
    deadline = time.monotonic() + 10  # nginx logs a request after its answer is sent: wait for the line
    while b"/formulieren/gezondheid" not in forms_log.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert b"GET /formulieren/gezondheid" in forms_log.read_bytes()
    assert b"/formulieren/" not in nginx.access_log.read_bytes()  # tokens stay out of the log analytics reads


def test_a_token_starting_with_a_dot_reaches_the_forms_service(nginx):
    # itsdangerous marks a compressed payload with a leading dot; the dot-file rule must not take it.
    status, _, body = nginx.get("/formulieren/bevestigen/.eJyrVkrOzytJzSvRi1ayUlQqz8wpS1WyUkpJz1fSUcpOzcsB")
    assert status == 200 and json.loads(body)["path"].startswith("/formulieren/bevestigen/.eJ")


def test_the_access_log_is_in_the_format_the_analytics_command_reads(nginx):
    nginx.get("/kanalen/", headers={"Referer": "https://www.google.nl/"})
    deadline = time.monotonic() + 10  # nginx logs a request after its answer is sent: wait for the line
    while b"GET /kanalen/" not in nginx.access_log.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = nginx.access_log.read_bytes().splitlines(keepends=True)
    parsed = [parse(line) for line in lines]
    assert lines and None not in parsed
    client, _, request, status, referrer, agent = parsed[-1]
    assert (client, request, status, referrer, agent) == (
        b"127.0.0.1", b"GET /kanalen/ HTTP/1.1", b"200", b"https://www.google.nl/", b"dorpsplein-test/1.0")
