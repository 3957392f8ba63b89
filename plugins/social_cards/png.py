"""A palette image as PNG bytes, compressed with zlib-ng.

Pillow writes PNGs through the system's zlib (Debian 12's is 1.2.13), and that was half of a share
image's drawing time: 3.3 ms for a 1200×630 card. zlib-ng compresses the same rows four times as
fast. A palette PNG is four chunks (PNG specification, section 5), so we write them ourselves.
"""

from __future__ import annotations

import struct
import zlib

from PIL import Image
from zlib_ng import zlib_ng

SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEVEL = 2  # smaller files than the system zlib's level 1, in a third of its time


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def palette_png(image: Image.Image) -> bytes:
    """An 8-bit palette image ("P") as a PNG, every row unfiltered (filters do not help palette images)."""
    if image.mode != "P":
        raise ValueError(f"a palette image is needed, not mode {image.mode}")
    width, height = image.size
    # Each row starts with its filter type, 0 (none): a column of zeros pasted in front of the pixels.
    rows = Image.new("P", (width + 1, height), 0)
    rows.paste(image, (1, 0))
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8 bits, palette, deflate, filters, no interlace
    return b"".join([
        SIGNATURE,
        _chunk(b"IHDR", header),
        _chunk(b"PLTE", bytes(image.getpalette())),
        _chunk(b"IDAT", zlib_ng.compress(rows.tobytes(), LEVEL)),
        _chunk(b"IEND", b""),
    ])
