"""deploy/nginx/dorpsplein.conf run by Debian's real nginx on 127.0.0.1, serving the published demo site.

The config is used as written; only machine paths and ports are swapped for temporary ones, and
each swap must match, so the test breaks when the config changes shape instead of testing less.
"""

from __future__ import annotations

import http.client
import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dorpsplein.build import build
from dorpsplein.publish import deploy
from dorpsplein.publish.compress import precompress
from dorpsplein.publish.config import DEFAULTS
from dorpsplein.settings import ROOT, load_settings

from .net import free_ports, wait_for_port

DEPLOY = ROOT / "deploy"
NGINX = "/usr/sbin/nginx"
# Debian's libnginx-mod-http-brotli-static; with it the config's commented `brotli_static on;` is tested too.
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
SITE_HOST = "dorpsplein.voorbeeld.nl"
# Chromium arguments that send our host name to 127.0.0.1, as DNS would send it to the server.
RESOLVE_ARGS = [f"--host-resolver-rules=MAP {SITE_HOST} 127.0.0.1"]


def render_config(text: str, swaps: dict[str, str]) -> str:
    for old, new in swaps.items():
        assert old in text, f"deploy/nginx/dorpsplein.conf no longer contains {old!r}"
        text = text.replace(old, new)
    return text


class _EchoHeaders(BaseHTTPRequestHandler):
    """Stands in for gunicorn: answers with the request headers it got through the proxy."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = json.dumps({"path": self.path, "headers": dict(self.headers)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Connection(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 that names a host in the TLS handshake (SNI), as a browser does: the
    config refuses the handshake for a name it does not serve."""

    def __init__(self, *args, server_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.server_name = server_name

    def connect(self):
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.server_name)


class Nginx:
    def __init__(self, folder: Path, http_port: int, https_port: int, release: Path, nginx_t: str):
        self.folder, self.http_port, self.https_port, self.release = folder, http_port, https_port, release
        self.nginx_t = nginx_t
        # Our host name, as a browser sees it (the config answers no other; map it to 127.0.0.1 in Chromium
        # with RESOLVE_ARGS); the port is this test's.
        self.site_url = f"https://{SITE_HOST}:{https_port}"
        self.access_log = folder / "logs/dorpsplein.access.log"
        self.forms_access_log = folder / "logs/dorpsplein-forms.access.log"
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def get(self, path: str, host: str = SITE_HOST, https: bool = True, headers: dict | None = None,
            sni: str | None = None, context: ssl.SSLContext | None = None):
        """(status, headers as a dict with lowercase names, body bytes); TLS names `sni` (default: `host`)."""
        if https:
            connection = _Connection("127.0.0.1", self.https_port, context=context or self.context, timeout=30,
                                     server_name=sni or host)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": host, "User-Agent": "dorpsplein-test/1.0",
                                                     **(headers or {})})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def _publish_demo(folder: Path, site_url: str) -> Path:
    """The demo site, built for production at this address, compressed and published to a dir: target."""
    output = folder / "output"
    settings = load_settings(production=True, output=output,
                             extra={"SITEURL": site_url, "CACHE_PATH": str(folder / "cache"),
                                    "PUBLISHED_STATE_PATH": str(folder / "state/published.json")})
    build(settings, strict=True, quiet=True)
    (output / ".editor-leftover.swp").write_text("not for visitors")
    (output / "images" / ".env").write_text("DORPSPLEIN_SECRET_KEY=not-for-visitors")
    (output / "theme" / ".git").mkdir()
    (output / "theme" / ".git" / "config").write_text("[core]")
    precompress(output)
    www = folder / "www"
    deploy(output, {**DEFAULTS, "PUBLISH_TARGETS": {"t": f"dir:{www}"}, "PUBLISH_TARGET": "t"})
    return www / "current"


def _main_config(folder: Path) -> Path:
    temp = folder / "temp"
    temp.mkdir()
    main = folder / "nginx.conf"
    brotli = f"load_module {BROTLI_MODULE};\n" if BROTLI_MODULE.exists() else ""
    main.write_text(brotli + f"""user root;
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/dorpsplein.conf;
}}
""")
    return main


def self_signed_certificate(certs: Path, names: str) -> Path:
    """A throw-away certificate (fullchain.pem, privkey.pem) for `names` ("DNS:host,IP:…"), the first its CN."""
    certs.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    f"/CN={names.split(',')[0].split(':', 1)[1]}", "-addext", f"subjectAltName={names}",
                    "-keyout", str(certs / "privkey.pem"), "-out", str(certs / "fullchain.pem")],
                   check=True, capture_output=True)
    return certs


def machine_swaps(folder: Path, release: Path, http_port: int, https_port: int, backend_port: int) -> dict[str, str]:
    """deploy/'s server paths and ports → this test's folder and ports (for `render_config`)."""
    return {
        "/etc/nginx/snippets/": f"{folder}/snippets/",
        "/srv/dorpsplein/current": str(release),
        "/var/log/nginx/": f"{folder}/logs/",
        "/var/www/letsencrypt": str(folder / "acme"),
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
        "listen [::]:80 default_server;": "",
        "listen [::]:443 ssl http2 default_server;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen 80 default_server;": f"listen 127.0.0.1:{http_port} default_server;",
        "listen 443 ssl http2 default_server;": f"listen 127.0.0.1:{https_port} ssl http2 default_server;",
        "proxy_pass http://127.0.0.1:8001;": f"proxy_pass http://127.0.0.1:{backend_port};",
    }


@contextmanager
def running(folder: Path, config: str, *ports: int) -> Iterator[str]:
    """nginx with `config` as its site (snippets already in folder/snippets) while the block runs, listening on
    `ports`; yields what `nginx -t` said."""
    (folder / "logs").mkdir(exist_ok=True)
    (folder / "dorpsplein.conf").write_text(config)
    main = _main_config(folder)
    tested = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(main)], capture_output=True, text=True)
    assert tested.returncode == 0, tested.stderr
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(main)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for port in ports:
            wait_for_port(port, process, "nginx")
        yield tested.stderr
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def serve_release(folder: Path, current: Path, http_port: int, https_port: int):
    """deploy/nginx/dorpsplein.conf run by nginx in `folder`, serving the release at `current`
    (its map of old addresses included from there, as on the server)."""
    certs = self_signed_certificate(folder / "certs", f"DNS:{SITE_HOST},IP:127.0.0.1")
    backend = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHeaders)
    threading.Thread(target=backend.serve_forever, daemon=True).start()

    shutil.copytree(DEPLOY / "nginx/snippets", folder / "snippets")
    config = render_config((DEPLOY / "nginx/dorpsplein.conf").read_text(), {
        f"/etc/letsencrypt/live/{SITE_HOST}/": f"{certs}/",
        **machine_swaps(folder, current, http_port, https_port, backend.server_address[1]),
        "# brotli_static on;": "brotli_static on;" if BROTLI_MODULE.exists() else "# brotli_static on;",
    })
    with running(folder, config, https_port, http_port) as nginx_t:
        try:
            yield Nginx(folder, http_port, https_port, current.resolve(), nginx_t)
        finally:
            backend.shutdown()


def needs_nginx() -> None:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")


@pytest.fixture(scope="session")
def nginx(tmp_path_factory):
    needs_nginx()
    folder = tmp_path_factory.mktemp("nginx")
    http_port, https_port = free_ports(2)
    current = _publish_demo(folder, f"https://{SITE_HOST}:{https_port}")
    with serve_release(folder, current, http_port, https_port) as server:
        yield server
