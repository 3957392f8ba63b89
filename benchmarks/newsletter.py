"""Newsletter sending speed: N subscribers to a local aiosmtpd, one reused connection vs one per message.

    .venv/bin/python benchmarks/newsletter.py [--subscribers 10000] [--baseline 1000]

The SMTP server runs in its own process (as a real one would), so it does not share the GIL with
the sender. Both runs use the real sender (`send_edition`: claim row, build the message, send, settle row, in
SQLite); the "one connection per message" run sets NEWSLETTER_MESSAGES_PER_CONNECTION = 1. The
anchor is bare smtplib sending the same bytes on one connection, without any database: the ceiling
this SMTP server allows. Prints messages per second; the target is ≥ 200/s.
"""

from __future__ import annotations

import argparse
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dorpsplein.build import build  # noqa: E402
from dorpsplein.newsletter.config import load_send_config  # noqa: E402
from dorpsplein.newsletter.edition import edition_folder, read_edition  # noqa: E402
from dorpsplein.newsletter.message import MessageFactory  # noqa: E402
from dorpsplein.newsletter.send import send_edition  # noqa: E402
from dorpsplein.settings import load_settings  # noqa: E402
from dorpsplein.subscribers import CONFIRMED, Subscriber, open_database, subscribers  # noqa: E402


class Counting:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fill(url: str, n: int):
    engine = open_database(url)
    now = datetime.now(UTC)
    rows = [{"key": f"k{i:08d}", "email": f"lezer{i}@example.org", "list_name": "extern", "status": CONFIRMED,
             "source": "import", "requested_at": now, "confirmed_at": now, "consent_note": "benchmark"}
            for i in range(n)]
    with engine.begin() as conn:
        conn.execute(insert(subscribers), rows)
    return engine


def serve(port: int) -> None:
    """The server process: runs until killed."""
    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


def start_server() -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], stdout=subprocess.PIPE, text=True)
    assert server.stdout.readline().strip() == "ready"
    return server, port


def bare_smtplib(edition, settings, n: int) -> float:
    server, port = start_server()
    config = load_send_config(settings, {"DORPSPLEIN_SMTP_URL": f"smtp://127.0.0.1:{port}",
                                         "DORPSPLEIN_SECRET_KEY": "x" * 40})
    factory = MessageFactory(edition, config)
    data = factory.build(Subscriber(0, "k", "lezer@example.org", "extern", CONFIRMED, None, "import",
                                    datetime.now(UTC), None, None, None, None), datetime.now(UTC))
    client = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for i in range(n):
        client.sendmail("nieuwsbrief@voorbeeld.nl", [f"lezer{i}@example.org"], data)
    elapsed = time.perf_counter() - started
    client.quit()
    server.kill()
    server.wait()
    return n / elapsed


def run(edition, settings, folder: Path, n: int, close_each: bool) -> float:
    server, port = start_server()
    url = f"sqlite:///{folder / ('per-message' if close_each else 'reused')}.sqlite3"
    engine = fill(url, n)
    environ = {"DORPSPLEIN_SMTP_URL": f"smtp://127.0.0.1:{port}", "DORPSPLEIN_SECRET_KEY": "x" * 40}
    config = load_send_config({**settings, "NEWSLETTER_RATE_PER_SECOND": 0}, environ)
    config = replace(config, reconnects=0, messages_per_connection=1 if close_each else 0)
    started = time.perf_counter()
    report = send_edition(edition, engine, config)
    elapsed = time.perf_counter() - started
    server.kill()
    server.wait()
    assert report.sent == n and report.complete, report
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=1_000,
                        help="subscribers for the slow one-connection-per-message run (a rate needs fewer)")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    folder = Path(tempfile.mkdtemp(prefix="dorpsplein-newsletter-bench-"))
    try:
        settings = load_settings(output=folder / "output", extra={"CACHE_PATH": str(folder / "cache"),
                                                                  "OVERVIEWS_NOW": "2026-12-01"})
        build(settings)
        edition = read_edition(edition_folder(folder / "output", "2026-11", "extern"))
        print(f"Edition {edition.mailing}: {len(edition.html):,} bytes HTML, {len(edition.text):,} bytes text; "
              f"{args.subscribers:,} subscribers, SQLite delivery rows, aiosmtpd on 127.0.0.1")
        anchor = bare_smtplib(edition, settings, args.subscribers)
        print(f"anchor, bare smtplib:       {anchor:8.0f} messages/s (same bytes, no database)")
        reused = run(edition, settings, folder, args.subscribers, close_each=False)
        print(f"one connection reused:      {reused:8.0f} messages/s")
        per_message = run(edition, settings, folder, min(args.baseline, args.subscribers), close_each=True)
        print(f"one connection per message: {per_message:8.0f} messages/s")
        print(f"reuse is {reused / per_message:.1f}x faster; reuse reaches {reused / anchor:.0%} of the anchor; "
              f"target >= 200 messages/s: "
              f"{'met' if reused >= 200 else 'NOT met'}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
