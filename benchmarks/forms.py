"""The forms service under load as deploy/ runs it: gunicorn, 1 worker, 8 threads; 50 concurrent sign-ups.

    .venv/bin/python benchmarks/forms.py [--requests 400] [--concurrency 50] [--source DIR]

gunicorn serves `dorpsplein.forms.wsgi:app` (the production entry point, publishconf settings) on
127.0.0.1 with a SQLite database in a temp folder and an aiosmtpd server in its own process. Each
request is a new connection (as through nginx) posting a sign-up with a new address. Prints
requests per second, p50, p95 and the slowest request, errors (any answer other than 200), and how long
until every confirmation e-mail reached the SMTP server. `--source DIR` runs another checkout of the
repository (e.g. the code before the outbox: `git archive COMMIT | tar -x -C DIR`) in the same venv.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SMTP_SERVER = """
import sys, time
from aiosmtpd.controller import Controller

class Counting:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Counting.count += 1
        print(Counting.count, flush=True)
        return "250 OK"

controller = Controller(Counting(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """aiosmtpd in a process of its own (a real server does not share our GIL); counts messages."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, "-c", SMTP_SERVER, str(self.port)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "ready"
        self.count = 0
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            with self.changed:
                self.count = int(line)
                self.changed.notify_all()

    def wait_for(self, n: int, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= n, timeout)

    def stop(self):
        self.process.stdin.close()
        self.process.wait(10)


def start_gunicorn(source: Path, port: int, environ: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "8", "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", "dorpsplein.forms.wsgi:app"]
    process = subprocess.Popen(command, cwd=source, env=environ)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/gezondheid")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


def sign_up(port: int, number: int) -> tuple[float, int]:
    body = urlencode({"email": f"inwoner{number}@voorbeeld.nl", "list": "extern", "website": ""})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{port}"}
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("POST", "/aanmelden", body, headers)
        response = connection.getresponse()
        response.read()
        status = response.status
        connection.close()
    except OSError:
        status = 0
    return time.perf_counter() - started, status


def percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--source", type=Path, default=ROOT, help="repository checkout to run (default: this one)")
    args = parser.parse_args()

    smtp = SmtpServer()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="dorpsplein-forms-bench-") as tmp:
        environ = {**os.environ, "DORPSPLEIN_SECRET_KEY": secrets.token_urlsafe(32),
                   "DORPSPLEIN_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
                   "DORPSPLEIN_DATABASE_URL": f"sqlite:///{tmp}/subscribers.sqlite3",
                   "DORPSPLEIN_FORMS_URL": f"http://127.0.0.1:{port}",
                   "DORPSPLEIN_FORMS_RATE_LIMIT": "100000 per minute",  # one client address sends everything
                   "XDG_DATA_HOME": tmp}
        gunicorn = start_gunicorn(args.source.resolve(), port, environ)
        try:
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(lambda n: sign_up(port, n), range(args.requests)))
            elapsed = time.perf_counter() - started
            answered = sum(status == 200 for _, status in results)
            all_mailed = smtp.wait_for(answered, timeout=300)
            mailed_after = time.perf_counter() - started
        finally:
            gunicorn.terminate()
            gunicorn.wait(30)
            smtp.stop()
    latencies = [seconds for seconds, _ in results]
    errors = len(results) - answered
    print(f"source: {args.source.resolve()}")
    print(f"{args.requests} sign-ups, {args.concurrency} at a time, gunicorn 1 worker 8 threads, SQLite, aiosmtpd")
    print(f"requests/s: {args.requests / elapsed:.0f}")
    print(f"p50: {percentile(latencies, 0.50) * 1000:.0f} ms, p95: {percentile(latencies, 0.95) * 1000:.0f} ms, "
          f"slowest: {max(latencies) * 1000:.0f} ms")
    print(f"errors: {errors}" + (f" (statuses: {sorted({s for _, s in results if s != 200})})" if errors else ""))
    print(f"e-mails received: {smtp.count} of {answered}, all within {mailed_after:.1f} s" if all_mailed else
          f"e-mails received: {smtp.count} of {answered} (timed out)")


if __name__ == "__main__":
    main()
