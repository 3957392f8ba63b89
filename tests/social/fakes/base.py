"""A JSON HTTP server on 127.0.0.1 with fault injection per request kind, for the fake Mastodon and Bluesky.

Faults (`server.inject(kind, fault, when=..., count=...)`):
  "500"      answer 500 with a JSON error
  "422"      answer a validation error (422 on Mastodon, 400 InvalidRequest on Bluesky)
  "401"      answer 401 with a JSON error, as a server that wants a login for this request
  "429"      answer 429 with `Retry-After: <retry_after>`
  "timeout"  say nothing until the client gives up (the server stops or `stall` seconds), then hang up
  "reset"    close the connection with a TCP reset (SO_LINGER 0)
  "pass"     no fault: lets this request through (to aim a fault at the second request of a kind)
  "kill"     SIGKILL the process `kill_pid` (a `social push` in a subprocess), then hang up
`when="before"`: instead of handling the request (it has no effect); `when="after"`: handle it
(a post is created) and then fail, which is the case that makes exactly-once hard.

`server.rendezvous(kind, parties)`: the next `parties` requests of that kind wait for each other
before they are handled, so two client processes are certainly in the same request at once.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Fault:
    kind: str
    when: str = "before"


@dataclass
class Reply:
    status: int
    body: object = None
    headers: dict | None = None


class FakeServer:
    """Subclasses define `route(method, path) -> (kind, handler)`; handlers take a Request, return a Reply."""

    stall = 60  # at most this long a "timeout" fault says nothing: longer than any client timeout
    retry_after = 7
    validation_status = 422

    def __init__(self):
        self.lock = threading.RLock()
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.calls: list[tuple[str, str]] = []  # (kind, path) of every request, faulted or not
        self.seen_headers: list[dict] = []
        self.seen_bodies: list[bytes] = []
        self.kill_pid: int | None = None
        self._httpd: ThreadingHTTPServer | None = None
        self._stopping = threading.Event()  # ends the stalls of "timeout" faults
        self.barriers: dict[str, deque[threading.Barrier]] = defaultdict(deque)

    # Control -----------------------------------------------------------------------------------

    def inject(self, kind: str, fault: str, when: str = "before", count: int = 1) -> None:
        with self.lock:
            self.faults[kind].extend(Fault(fault, when) for _ in range(count))

    def rendezvous(self, kind: str, parties: int = 2, timeout: float = 120) -> None:
        barrier = threading.Barrier(parties, timeout=timeout)  # the timeout only keeps a broken test from hanging
        with self.lock:
            self.barriers[kind].extend([barrier] * parties)

    def _meet(self, kind: str) -> None:
        with self.lock:
            queue = self.barriers.get(kind)
            barrier = queue.popleft() if queue else None
        if barrier is not None:
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass

    def count(self, kind: str) -> int:
        with self.lock:
            return sum(1 for k, _ in self.calls if k == kind)

    def _take(self, kind: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(kind)
            return queue.popleft() if queue else None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        server = self

        class Handler(_Handler):
            fake = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    def route(self, method: str, path: str):  # pragma: no cover - subclasses
        raise NotImplementedError


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: object  # the request's headers: case-insensitive get()
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body or b"{}")

    def param(self, name: str, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    @property
    def bearer(self) -> str | None:
        value = self.headers.get("Authorization", "")
        return value[7:] if value.startswith("Bearer ") else None


class _Handler(BaseHTTPRequestHandler):
    fake: FakeServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(method, parts.path.rstrip("/") or "/", parse_qs(parts.query), self.headers, body)
        kind, handler = self.fake.route(method, request.path)
        with self.fake.lock:
            self.fake.calls.append((kind, request.path))
            self.fake.seen_headers.append(dict(self.headers))
            self.fake.seen_bodies.append(body)
        if kind:
            self.fake._meet(kind)
        fault = self._take_fault(kind)
        if fault and fault.kind == "pass":  # lets a request through, so a later one gets the fault
            fault = None
        if fault and fault.when == "before":
            return self._fail(fault)
        reply = handler(request) if handler else Reply(404, {"error": "Not found"})
        if fault:
            return self._fail(fault)
        self._send(reply)

    def _take_fault(self, kind):
        return self.fake._take(kind) if kind else None

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _send(self, reply: Reply) -> None:
        data = b"" if reply.body is None else json.dumps(reply.body).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (reply.headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _hang_up(self, reset: bool = False) -> None:
        if reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR) if not reset else None
        except OSError:
            pass
        self.connection.close()

    def _fail(self, fault: Fault) -> None:
        if fault.kind == "500":
            self._send(Reply(500, self.fake.error_body(500)))
        elif fault.kind == "401":
            self._send(Reply(401, self.fake.error_body(401)))
        elif fault.kind == "422":
            self._send(Reply(self.fake.validation_status, self.fake.error_body(422)))
        elif fault.kind == "429":
            self._send(Reply(429, self.fake.error_body(429), {"Retry-After": str(self.fake.retry_after)}))
        elif fault.kind == "timeout":
            self.fake._stopping.wait(self.fake.stall)
            self._hang_up()
        elif fault.kind == "reset":
            self._hang_up(reset=True)
        elif fault.kind == "kill":
            os.kill(self.fake.kill_pid, signal.SIGKILL)
            time.sleep(0.2)  # let the kill land before the client could read anything
            self._hang_up()
        else:  # pragma: no cover - a typo in a test
            raise ValueError(fault.kind)
