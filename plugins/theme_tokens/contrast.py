"""WCAG 2.1 relative luminance and contrast ratio of sRGB colours written as #rgb or #rrggbb."""

from __future__ import annotations

import math
import re

HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def parse_hex(value: str) -> tuple[int, int, int] | None:
    """(r, g, b) of '#0b4f8a' or '#fff'; None for anything else."""
    value = str(value).strip()
    if not HEX_COLOR.fullmatch(value):
        return None
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(parse_hex(first)), relative_luminance(parse_hex(second))),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def format_ratio(ratio: float) -> str:
    """Rounded down, so a ratio just under the minimum never prints as the minimum itself."""
    return f"{math.floor(ratio * 100) / 100:.2f}:1"
