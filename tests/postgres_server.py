"""A throw-away PostgreSQL server for the tests: Debian's `postgresql` package, initdb into a temp folder.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (runuser).
Skips (with the reason) when the server binaries or the psycopg driver are missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    def __init__(self):
        bindir = _bindir()
        if bindir is None:
            pytest.skip("PostgreSQL server not installed (Debian package `postgresql`)")
        pytest.importorskip("psycopg", reason="psycopg driver not installed")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="dorpsplein-pg-"))
        self.port = free_port()
        self.as_server_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_server_user:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.root / "data"), "-A", "trust", "-U", "dorpsplein", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        self._run("pg_ctl", "-D", str(self.root / "data"), "-l", str(self.root / "server.log"), "-w", "start",
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off")
        self.databases = 0

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_server_user, str(self.bindir / program), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def new_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy URL."""
        import psycopg

        self.databases += 1
        name = f"test_{self.databases}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=dorpsplein dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://dorpsplein@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
