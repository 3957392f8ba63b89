"""The preview server: serve the output folder and rebuild when sources change."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from .errors import DorpspleinError

logger = logging.getLogger(__name__)


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files as the web server serves them: index.html for folders, our 404 page."""

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


def start_server(output: Path, port: int, bind: str = "127.0.0.1") -> ThreadingHTTPServer:
    """Serve `output` from a background thread; returns the running server."""
    ThreadingHTTPServer.allow_reuse_address = True
    try:
        server = ThreadingHTTPServer((bind, port), partial(PreviewHandler, directory=str(output)))
    except OSError as exc:
        raise DorpspleinError(f"--port {port}: cannot listen on {bind}:{port} ({exc.strerror})") from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch_and_rebuild(paths: list[Path], rebuild: Callable[[set[str]], None], stop_event=None) -> None:
    """Call `rebuild(changed)` after every batch of changes until interrupted or stopped."""
    existing = [str(p) for p in paths if p.exists()]
    for changes in watchfiles.watch(*existing, stop_event=stop_event):
        rebuild({path for _, path in changes})
