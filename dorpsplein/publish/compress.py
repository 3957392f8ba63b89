"""Pre-compressed copies (`x.html.gz`, `x.html.br`) beside each text file, for nginx's gzip_static/brotli_static.

Deterministic: gzip with mtime 0 and no file name, brotli at a fixed quality, so an unchanged
file gives byte-identical copies and a deploy that compares checksums sends nothing new.
"""

from __future__ import annotations

import gzip
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import brotli

from .files import TEXT_TYPES

logger = logging.getLogger(__name__)


@dataclass
class CompressReport:
    files: int = 0  # text files given compressed copies
    bytes_in: int = 0
    gzip_bytes: int = 0
    brotli_bytes: int = 0


def gzip_bytes(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as stream:
        stream.write(data)
    return out.getvalue()


def brotli_bytes(data: bytes) -> bytes:
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=11)


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def precompress(root: Path, min_bytes: int = 256) -> CompressReport:
    """Write .gz and .br beside every text file of at least `min_bytes` whose copy is smaller.

    A copy that would not be smaller is removed, so nginx serves the original.
    """
    report = CompressReport()
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in TEXT_TYPES or not path.is_file():
            continue
        data = path.read_bytes()
        for suffix, squeeze in ((".gz", gzip_bytes), (".br", brotli_bytes)):
            variant = path.with_name(path.name + suffix)
            packed = squeeze(data) if len(data) >= min_bytes else None
            if packed is None or len(packed) >= len(data):
                variant.unlink(missing_ok=True)
                continue
            _write_if_changed(variant, packed)
            if suffix == ".gz":
                report.files += 1
                report.bytes_in += len(data)
                report.gzip_bytes += len(packed)
            else:
                report.brotli_bytes += len(packed)
    logger.info("compressed %d files", report.files)
    return report
