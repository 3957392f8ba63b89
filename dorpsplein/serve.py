"""The preview server: serve the output folder, proxy /formulieren/ to the forms service, rebuild on change.

The same shape as production, where nginx serves the site and proxies /formulieren/ to gunicorn: the
preview's pages post to their own origin, so development and production render the same HTML.
"""

from __future__ import annotations

import http.client
import logging
import threading
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from .errors import DorpspleinError
from .urls import FORMS_PATH

logger = logging.getLogger(__name__)


# Headers of one connection (RFC 9110 7.6.1), and those the proxy sets itself.
NOT_FORWARDED = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
                 "content-length", "server", "date"}


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files as the web server serves them: index.html for folders, our 404 page; with a
    `forms_port`, everything under /formulieren/ is passed to the forms service on that port."""

    def __init__(self, *args, forms_port: int | None = None, **kwargs):
        self.forms_port = forms_port  # before super(): it handles the request
        super().__init__(*args, **kwargs)

    def _for_forms(self) -> bool:
        path = self.path.split("?", 1)[0]
        return self.forms_port is not None and (path == FORMS_PATH or path.startswith(FORMS_PATH + "/"))

    def do_GET(self):  # noqa: N802 (http.server's naming)
        return self._proxy() if self._for_forms() else super().do_GET()

    def do_HEAD(self):  # noqa: N802
        return self._proxy() if self._for_forms() else super().do_HEAD()

    def do_POST(self):  # noqa: N802
        return self._proxy() if self._for_forms() else self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    def _proxy(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {name: value for name, value in self.headers.items() if name.lower() not in NOT_FORWARDED}
        connection = http.client.HTTPConnection("127.0.0.1", self.forms_port, timeout=60)
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            status, reason, answer_headers, data = response.status, response.reason, response.getheaders(), \
                response.read()
        except OSError as exc:
            text = (f"The forms service does not answer on 127.0.0.1:{self.forms_port} ({exc}).\n"
                    f"Start it with: python tasks.py forms serve --port {self.forms_port}\n")
            status, reason, data = HTTPStatus.BAD_GATEWAY, "Bad Gateway", text.encode()
            answer_headers = [("Content-Type", "text/plain; charset=utf-8")]
        finally:
            connection.close()
        self.send_response(status, reason)
        for name, value in answer_headers:
            if name.lower() not in NOT_FORWARDED:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        logger.info("%s %s", self.address_string(), format % args)


def start_server(output: Path, port: int, bind: str = "127.0.0.1",
                 forms_port: int | None = None) -> ThreadingHTTPServer:
    """Serve `output` from a background thread (and /formulieren/ from `forms_port`); returns the running server."""
    ThreadingHTTPServer.allow_reuse_address = True
    try:
        server = ThreadingHTTPServer((bind, port), partial(PreviewHandler, directory=str(output),
                                                           forms_port=forms_port))
    except OSError as exc:
        raise DorpspleinError(f"--port {port}: cannot listen on {bind}:{port} ({exc.strerror})") from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch_and_rebuild(paths: list[Path], rebuild: Callable[[set[str]], None], stop_event=None) -> None:
    """Call `rebuild(changed)` after every batch of changes until interrupted or stopped."""
    existing = [str(p) for p in paths if p.exists()]
    for changes in watchfiles.watch(*existing, stop_event=stop_event):
        rebuild({path for _, path in changes})


def start_forms_service(port: int, extra: dict):
    """Run the forms service (development settings plus `extra`) on 127.0.0.1:`port` from a background
    thread, for the preview to proxy /formulieren/ to; returns (the server or None, what to tell the user)."""
    from .forms.service import build_app, listen

    try:
        server = listen(build_app(production=False, extra=extra), port)
    except DorpspleinError as exc:
        return None, (f"Forms service not started: {exc}\n"
                      f"The forms under {FORMS_PATH}/ work once it runs: python tasks.py forms serve --port {port}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"Forms service on 127.0.0.1:{port}, under {FORMS_PATH}/ of the preview"
