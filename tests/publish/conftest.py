"""Fixtures for publishing: a small built site on disk, a real sshd and a real S3-compatible server on 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dorpsplein.publish.config import DEFAULTS

from .net import free_port, wait_for_port
from .nginx_server import nginx  # noqa: F401 (a fixture)


class SiteFolder:
    """A folder standing in for output/: a few pages, a stylesheet, an image."""

    def __init__(self, root: Path):
        self.root = root
        self.write("index.html", "<!doctype html><title>Welkom</title>" + "<p>Welkom op het dorpsplein.</p>" * 40)
        self.write("blog/index.html", "<!doctype html><title>Blog</title>" + "<p>Berichten.</p>" * 40)
        self.write("blog/oud/index.html", "<!doctype html><title>Oud</title><p>Een oud bericht.</p>")
        self.write("theme/css/site.css", "body { color: #222; }\n" * 30)
        self.write(".well-known/security.txt", "Contact: mailto:security@voorbeeld.nl\n")
        (root / "images").mkdir(parents=True, exist_ok=True)
        (root / "images/logo.png").write_bytes(bytes(range(256)) * 4)

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


@pytest.fixture
def site_folder(tmp_path) -> SiteFolder:
    return SiteFolder(tmp_path / "output")


def settings_for(targets: dict, **extra) -> dict:
    """Plain settings for `deploy()`: publishing needs nothing else."""
    return {**DEFAULTS, "PUBLISH_TARGETS": targets, "PUBLISH_TARGET": next(iter(targets)), **extra}


@pytest.fixture(scope="session")
def rsync_available():
    if not shutil.which("rsync"):
        pytest.skip("rsync is not installed (Debian: apt-get install rsync)")


@pytest.fixture(scope="session")
def sshd(tmp_path_factory, rsync_available):
    """A real OpenSSH server on 127.0.0.1 with a throw-away host key; yields the PUBLISH_SSH command."""
    import os

    sshd_path = "/usr/sbin/sshd"
    if not Path(sshd_path).exists() or not shutil.which("ssh"):
        pytest.skip("sshd/ssh are not installed (Debian: apt-get install openssh-server openssh-client)")
    if os.geteuid() != 0:
        pytest.skip("sshd with its own config needs root to run on these machines")
    folder = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
    config = folder / "sshd_config"
    config.write_text(f"HostKey {folder}/host_key\nAuthorizedKeysFile {folder}/authorized_keys\n"
                      "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
                      f"StrictModes no\nUsePAM no\nPidFile {folder}/sshd.pid\nListenAddress 127.0.0.1\n")
    Path("/run/sshd").mkdir(exist_ok=True)  # privilege separation folder sshd insists on
    port = free_port()
    process = subprocess.Popen([sshd_path, "-D", "-e", "-f", str(config), "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=open(folder / "sshd.log", "w"))
    try:
        wait_for_port(port, process, "sshd")
        yield (f"ssh -p {port} -i {folder}/client_key -o BatchMode=yes -o StrictHostKeyChecking=no "
               "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR")
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 as a real HTTP server on 127.0.0.1, for the real boto3 client."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_env(monkeypatch, s3_endpoint):
    monkeypatch.setenv("DORPSPLEIN_S3_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("DORPSPLEIN_S3_SECRET_ACCESS_KEY", "testing")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return s3_endpoint
