"""Inline SVG bar charts: no JavaScript, no external files, readable in forced-colours mode.

Each chart is an image (`role="img"` with a label); the page puts the same numbers in a data
table right under it, which is the text alternative. Colours have at least 3:1 contrast with
the white background (WCAG 1.4.11), text at least 4.5:1.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

BAR = "#0b4f8a"       # 8.6:1 on white
TEXT = "#1a1a1a"
GRID = "#767676"      # 4.5:1 on white
WIDTH = 640
FONT = 'font-family="system-ui, sans-serif"'


def _svg(height: int, label: str, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" focusable="false">{body}</svg>')


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def bar_chart(rows: list[tuple[str, int]], label: str, number=str) -> Markup:
    """Horizontal bars, one per (label, value), labels on the left and values at the bar's end."""
    if not rows:
        return Markup("")
    row_height, label_width, value_room = 28, 230, 70
    largest = max(value for _, value in rows) or 1
    room = WIDTH - label_width - value_room
    parts = []
    for index, (name, value) in enumerate(rows):
        y = index * row_height
        width = max(1, round(room * value / largest)) if value else 0
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end" fill="{TEXT}" font-size="14" {FONT}>'
            f'{escape(_short(name, 30))}</text>'
            f'<rect x="{label_width}" y="{y + 5}" width="{width}" height="{row_height - 10}" fill="{BAR}"/>'
            f'<text x="{label_width + width + 6}" y="{y + 19}" fill="{TEXT}" font-size="14" {FONT}>'
            f'{escape(number(value))}</text>')
    return _svg(len(rows) * row_height + 4, label, "".join(parts))


def column_chart(rows: list[tuple[str, int]], label: str, number=str) -> Markup:
    """Vertical columns over time (one per day); the axis shows the first, middle and last label."""
    if not rows:
        return Markup("")
    height, top, bottom, left = 240, 24, 36, 48
    plot = height - top - bottom
    largest = max(value for _, value in rows) or 1
    step = (WIDTH - left - 8) / len(rows)
    parts = [f'<line x1="{left}" y1="{top + plot}" x2="{WIDTH - 8}" y2="{top + plot}" stroke="{GRID}"/>',
             f'<text x="{left - 6}" y="{top + 5}" text-anchor="end" fill="{TEXT}" font-size="13" {FONT}>'
             f'{escape(number(largest))}</text>',
             f'<line x1="{left}" y1="{top}" x2="{WIDTH - 8}" y2="{top}" stroke="{GRID}" stroke-dasharray="4 4"/>',
             f'<text x="{left - 6}" y="{top + plot + 5}" text-anchor="end" fill="{TEXT}" font-size="13" {FONT}>'
             '0</text>']
    shown = {0, len(rows) // 2, len(rows) - 1}
    for index, (name, value) in enumerate(rows):
        bar = plot * value / largest
        x = left + index * step
        parts.append(f'<rect x="{x + step * 0.15:.1f}" y="{top + plot - bar:.1f}" width="{step * 0.7:.1f}" '
                     f'height="{bar:.1f}" fill="{BAR}"/>')
        if index in shown:
            anchor = "start" if index == 0 else "end" if index == len(rows) - 1 else "middle"
            at = x if index == 0 else x + step if index == len(rows) - 1 else x + step / 2
            parts.append(f'<text x="{at:.1f}" y="{height - 12}" text-anchor="{anchor}" fill="{TEXT}" '
                         f'font-size="13" {FONT}>{escape(name)}</text>')
    return _svg(height, label, "".join(parts))
