import gzip

import brotli

from dorpsplein.publish.compress import precompress


def test_text_files_get_gzip_and_brotli_copies_that_decompress_to_the_original(site_folder):
    report = precompress(site_folder.root)
    page = site_folder.root / "index.html"
    assert gzip.decompress((site_folder.root / "index.html.gz").read_bytes()) == page.read_bytes()
    assert brotli.decompress((site_folder.root / "index.html.br").read_bytes()) == page.read_bytes()
    assert (site_folder.root / "theme/css/site.css.gz").exists()
    assert report.files == 3  # index.html, blog/index.html, site.css
    assert report.gzip_bytes < report.bytes_in and report.brotli_bytes < report.bytes_in


def test_small_files_and_images_are_left_alone(site_folder):
    precompress(site_folder.root, min_bytes=256)
    assert not (site_folder.root / "blog/oud/index.html.gz").exists()  # 60 bytes
    assert not (site_folder.root / ".well-known/security.txt.gz").exists()
    assert not (site_folder.root / "images/logo.png.gz").exists()


def test_copies_are_byte_identical_on_every_run(site_folder):
    precompress(site_folder.root)
    first = {p: p.read_bytes() for p in site_folder.root.rglob("*.[gb][zr]")}
    for path in first:
        path.unlink()
    precompress(site_folder.root)
    assert {p: p.read_bytes() for p in site_folder.root.rglob("*.[gb][zr]")} == first
    assert gzip.open(site_folder.root / "index.html.gz").read()  # a valid stream
    assert (site_folder.root / "index.html.gz").read_bytes()[4:8] == b"\0\0\0\0"  # mtime 0


def test_a_file_that_shrinks_below_the_limit_loses_its_stale_copies(site_folder):
    precompress(site_folder.root)
    site_folder.write("index.html", "<p>kort</p>")
    precompress(site_folder.root)
    assert not (site_folder.root / "index.html.gz").exists()
    assert not (site_folder.root / "index.html.br").exists()
