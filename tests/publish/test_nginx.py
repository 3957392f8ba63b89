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


@pytest.mark.parametrize("path", ["/.editor-leftover.swp", "/images/.env", "/theme/.git/config"])
def test_other_dot_files_are_not_served_wherever_they_are(nginx, path):
    assert (nginx.release / path.lstrip("/")).exists()
    status, _, body = nginx.get(path)
    assert status == 404 and b"not-for-visitors" not in body and b"[core]" not in body


def _raw(port: int, request: bytes) -> bytes:
    """Send one raw HTTP request; what comes back before the server closes the connection."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


@pytest.mark.parametrize("request_bytes", [
    b"GET /x HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    b"GET http://evil.example/x HTTP/1.1\r\nHost: dorpsplein.voorbeeld.nl\r\nConnection: close\r\n\r\n",
    b"GET /x HTTP/1.0\r\n\r\n",
], ids=["other host", "other host in the request line", "no host"])
def test_an_unknown_host_gets_no_answer_at_all_and_never_a_redirect_there(nginx, request_bytes):
    assert _raw(nginx.http_port, request_bytes) == b""  # 444: connection closed without a response


def test_over_tls_an_unknown_host_is_refused(nginx):
    import http.client
    import ssl

    with pytest.raises(ssl.SSLError, match="UNRECOGNIZED_NAME|TLSV1_UNRECOGNIZED_NAME|alert"):
        nginx.get("/", host="evil.example")  # the handshake names evil.example: refused, no certificate shown
    with pytest.raises(http.client.RemoteDisconnected):
        nginx.get("/", host="evil.example", sni=SITE_HOST)  # our name in TLS, another in Host: 444


def test_redirects_name_our_own_hosts(nginx):
    for host, expected in ((SITE_HOST, SITE_HOST), (SITE_HOST.upper(), SITE_HOST)):
        status, headers, _ = nginx.get("/a?b=1", host=host, https=False)
        assert (status, headers["location"]) == (301, f"https://{expected}/a?b=1")
    conf = (nginx.folder / "dorpsplein.conf").read_text()
    assert "return 301 https://$host" not in conf and "$host$request_uri" not in conf


def _tls_context(maximum=None, ciphers=None):
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    if maximum:
        context.maximum_version = maximum
    if ciphers:
        context.set_ciphers(ciphers)
    return context


@pytest.mark.parametrize("ciphers", [
    "AES128-GCM-SHA256:AES256-GCM-SHA384",        # RSA key exchange, even with AEAD
    "AES128-SHA:AES256-SHA:AES128-SHA256",         # RSA key exchange with CBC
    "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA384",  # ECDHE but CBC
    "DHE-RSA-AES128-GCM-SHA256",                   # finite-field DHE (NCSC: "voldoende" at best)
])
def test_tls_12_refuses_anything_but_ecdhe_with_aead(nginx, ciphers):
    import ssl

    with pytest.raises(ssl.SSLError, match="HANDSHAKE_FAILURE|NO_SHARED_CIPHER|alert"):
        nginx.get("/", context=_tls_context(ssl.TLSVersion.TLSv1_2, ciphers))


@pytest.mark.parametrize("cipher", ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                                    "ECDHE-RSA-CHACHA20-POLY1305"])
def test_tls_12_with_ecdhe_and_aead_and_tls_13_are_served(nginx, cipher):
    import socket
    import ssl

    for context, version in ((_tls_context(ssl.TLSVersion.TLSv1_2, cipher), "TLSv1.2"), (_tls_context(), "TLSv1.3")):
        with socket.create_connection(("127.0.0.1", nginx.https_port), timeout=30) as raw, \
                context.wrap_socket(raw, server_hostname=SITE_HOST) as tls:
            assert tls.version() == version
            if version == "TLSv1.2":
                assert tls.cipher()[0] == cipher


def _wait_for_line(log, text: bytes) -> bytes:
    deadline = time.monotonic() + 10  # nginx logs a request after its answer is sent: wait for the line
    while text not in log.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.05)
    return log.read_bytes()


TOKEN = "eyJrIjoiamFuLmphbnNlbkBleGFtcGxlLm9yZyJ9.Z0x1Ag.c2lnbmF0dXJl"


def test_the_access_logs_hold_no_token(nginx):
    nginx.get(f"/formulieren/afmelden/{TOKEN}?x=1",
              headers={"Referer": f"https://{SITE_HOST}/formulieren/bevestigen/{TOKEN}"})
    nginx.get(f"/x/afmelden/{TOKEN}", headers={"Referer": f"https://{SITE_HOST}/x/bevestigen/{TOKEN}/"})
    forms = _wait_for_line(nginx.forms_access_log, b"GET /formulieren/afmelden/-")
    site = _wait_for_line(nginx.access_log, b"GET /x/afmelden/-")
    for log in (forms, site):
        assert TOKEN.encode() not in log and TOKEN.split(".")[0].encode() not in log
    forms_line = [line for line in forms.splitlines(keepends=True) if b"/afmelden/-" in line][-1]
    _, _, request, _, referrer, _ = parse(forms_line)  # still the format analytics reads
    assert (request, referrer) == (b"GET /formulieren/afmelden/-?x=1 HTTP/1.1",
                                   f"https://{SITE_HOST}/formulieren/bevestigen/-".encode())
    site_line = [line for line in site.splitlines(keepends=True) if b"/x/afmelden/-" in line][-1]
    assert parse(site_line)[4] == f"https://{SITE_HOST}/x/bevestigen/-/".encode()


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
