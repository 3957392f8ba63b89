"""Wide tables in content scroll inside their own region, so the page never scrolls sideways at 320 px.

WCAG 1.4.10 exempts data tables from reflow, but the region that scrolls must be reachable by
keyboard (tabindex="0") and have a name: the nearest heading above it, or a generic label.
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
HEADING_ID = re.compile(r'<h[1-6]\b[^>]*\bid="([^"]+)"')


def scroll_tables(html: str, label: str) -> str:
    """HTML in, HTML out (Markup stays Markup); plain text is left as text, to be escaped."""
    def wrap(match: re.Match) -> str:
        ids = HEADING_ID.findall(html, 0, match.start())
        name = f'aria-labelledby="{ids[-1]}"' if ids else f'aria-label="{escape(label)}"'
        return f'<div class="table-scroll" role="region" tabindex="0" {name}>{match.group(0)}</div>'

    wrapped = TABLE.sub(wrap, str(html))
    return Markup(wrapped) if hasattr(html, "__html__") else wrapped
