"""The preview server: real HTTP on 127.0.0.1, and rebuild on change."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from dorpsplein.build import build
from dorpsplein.errors import DorpspleinError
from dorpsplein.serve import start_server, watch_and_rebuild


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def served(site):
    site.post("a", "Bericht op het plein", "2026-01-01 09:00")
    site.build()
    port = free_port()
    server = start_server(site.output, port)
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


def test_serves_folders_as_pages(served):
    status, body = get(served + "/blog/")
    assert status == 200 and "Bericht op het plein" in body
    status, body = get(served + "/blog/2026/01/bericht-op-het-plein/")
    assert status == 200 and "<h1>Bericht op het plein</h1>" in body


def test_unknown_address_gets_the_site_404_page(served):
    status, body = get(served + "/bestaat/niet/")
    assert status == 404
    assert "Pagina niet gevonden" in body


def test_busy_port_is_a_clear_error(served):
    port = int(served.rsplit(":", 1)[1])
    with pytest.raises(DorpspleinError, match=f"--port {port}: cannot listen on 127.0.0.1:{port}"):
        start_server(served, port)


def test_a_saved_post_is_rebuilt(site, served):
    stop = threading.Event()
    rebuilt = threading.Event()

    def rebuild(changed):
        build(site.settings())
        rebuilt.set()

    watcher = threading.Thread(target=watch_and_rebuild, args=([site.content], rebuild, stop), daemon=True)
    watcher.start()
    # The watcher gives no sign that it has started: save again each second, as an editor would,
    # so a slow start on a busy machine is not mistaken for a missed change.
    deadline = time.monotonic() + 20
    while not rebuilt.is_set() and time.monotonic() < deadline:
        site.post("b", "Nieuw bericht tijdens preview", "2026-01-02 09:00")
        rebuilt.wait(1)
    assert rebuilt.is_set(), "no rebuild within 20 s of saving a post"
    stop.set()
    status, body = get(served + "/blog/")
    assert status == 200 and "Nieuw bericht tijdens preview" in body


def test_the_forms_path_goes_to_the_forms_service_it_starts(site, monkeypatch, tmp_path):
    """As nginx does in production: the preview's /formulieren/ is the forms service, on the same origin."""
    from dorpsplein.serve import start_forms_service

    monkeypatch.setenv("DORPSPLEIN_DATABASE_URL", f"sqlite:///{tmp_path / 'forms.sqlite3'}")
    site.build()
    port, forms_port = free_port(), free_port()
    preview = f"http://127.0.0.1:{port}"
    forms, message = start_forms_service(forms_port, {"SITEURL": "", "PREVIEW_URL": preview})
    server = start_server(site.output, port, forms_port=forms_port)
    try:
        assert message == f"Forms service on 127.0.0.1:{forms_port}, under /formulieren/ of the preview"
        status, body = get(preview + "/formulieren/gezondheid")
        assert status == 200 and '"status":"ok"' in body.replace(" ", "")
        request = urllib.request.Request(preview + "/formulieren/aanmelden", method="POST",
                                         data=b"email=dev%40voorbeeld.nl&list=extern", headers={"Origin": preview})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200 and "bevestig uw aanmelding" in response.read().decode()
        assert get(preview + "/formulierenx/")[0] == 404  # only the path itself is passed on
    finally:
        server.shutdown()
        server.server_close()
        forms.shutdown()


def test_without_a_forms_service_the_preview_says_how_to_start_one(site):
    site.build()
    port, forms_port = free_port(), free_port()  # nothing listens on forms_port
    server = start_server(site.output, port, forms_port=forms_port)
    try:
        status, body = get(f"http://127.0.0.1:{port}/formulieren/aanmelden")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 502
    assert body.endswith(f"Start it with: python tasks.py forms serve --port {forms_port}\n")
