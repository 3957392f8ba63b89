"""plugins/kept_files and dorpsplein.files.write_if_changed: a file whose bytes did not change is not written again."""

from __future__ import annotations

import pytest

from dorpsplein.files import write_if_changed
from plugins.kept_files.kept_files import KeptText, kept_open


def _files(site) -> dict[str, tuple[bytes, int, int]]:
    """Output file → (bytes, modification time, inode); Pelican copies the theme's own files every time."""
    return {str(p.relative_to(site.output)): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
            for p in site.output.rglob("*") if p.is_file() and p.relative_to(site.output).parts[0] != "theme"}


@pytest.mark.usefixtures("same_day")
def test_a_rebuild_touches_exactly_the_files_whose_bytes_change(site):
    site.post("a", "Eerste bericht", "2026-11-01 10:00", Tags="afval")
    site.post("b", "Tweede bericht", "2026-11-02 10:00", Tags="verkeer")
    site.build()
    before = _files(site)
    site.build()
    assert _files(site) == before  # nothing changed: every file kept, down to its time and inode

    site.post("a", "Eerste bericht", "2026-11-01 10:00", "Nieuwe tekst van het bericht.", Tags="afval")
    site.build()
    after = _files(site)
    changed = {path for path in after if after[path][0] != before[path][0]}
    assert "blog/2026/11/eerste-bericht/index.html" in changed
    assert "blog/2026/11/tweede-bericht/index.html" not in changed
    for path, (_, mtime, inode) in after.items():
        assert ((mtime, inode) != before[path][1:]) == (path in changed), path


def test_without_the_plugin_pelican_writes_every_page_again(site):
    site.post("a", "Eerste bericht", "2026-11-01 10:00")
    site.build(KEPT_FILES=False)
    page = site.output / "blog/2026/11/eerste-bericht/index.html"
    stamp = page.stat().st_mtime_ns
    site.build(KEPT_FILES=False)
    assert page.stat().st_mtime_ns != stamp
    stamp = page.stat().st_mtime_ns
    site.build()
    assert page.stat().st_mtime_ns == stamp


def test_a_write_that_fails_halfway_leaves_the_file_as_it_was(tmp_path):
    page = tmp_path / "index.html"
    page.write_text("oud", encoding="utf-8")
    with pytest.raises(RuntimeError), kept_open(page, "w", encoding="utf-8") as handle:
        handle.write("half")
        raise RuntimeError("template failed")
    assert page.read_text(encoding="utf-8") == "oud"
    with kept_open(page, "w", encoding="utf-8") as handle:
        handle.write("nieuw é")
    assert page.read_bytes() == "nieuw é".encode()
    with kept_open(page, "r", encoding="utf-8") as handle:  # other modes: the built-in open
        assert handle.read() == "nieuw é"


def test_a_page_pelican_must_not_overwrite_goes_to_the_null_device_as_before():
    import os

    with kept_open(os.devnull, "w", encoding="utf-8") as handle:  # never replaced by a rename
        assert not isinstance(handle, KeptText)
        handle.write("overgeslagen")
    assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)


def test_write_if_changed_writes_new_and_changed_files_and_leaves_equal_ones(tmp_path):
    path = tmp_path / "map" / "feed.xml"
    assert write_if_changed(path, b"<feed/>") is True  # a new file, its folder made
    inode = path.stat().st_ino
    assert write_if_changed(path, b"<feed/>") is False
    assert write_if_changed(path, b"<feed></feed>") is True  # same length or not: compared byte for byte
    assert path.read_bytes() == b"<feed></feed>"
    assert path.stat().st_ino != inode  # replaced by a rename: a reader never sees half of it
    assert write_if_changed(path, b"<feed>.</feed>") is True and path.read_bytes() == b"<feed>.</feed>"
    assert [p.name for p in path.parent.iterdir()] == ["feed.xml"]  # no temp file left
