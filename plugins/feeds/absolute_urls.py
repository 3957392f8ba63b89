"""Rewrite every URL in a post's HTML to an absolute one, for readers that show it elsewhere."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup

URL_ATTRIBUTES = {"href", "src", "poster", "data", "cite", "action"}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
# Text without any URL attribute (many short notices) needs no parsing at all.
URL_ATTRIBUTE_RE = re.compile(r"\b(?:href|src|srcset|imagesrcset|poster|data|cite|action)\s*=", re.I)


def _srcset(value: str, base: str) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            parts[0] = urljoin(base, parts[0])
            candidates.append(" ".join(parts))
    return ", ".join(candidates)


def absolutize(html: str, base: str) -> str:
    """Every link, image, srcset and anchor in `html`, resolved against the page URL `base`."""
    if not html or not URL_ATTRIBUTE_RE.search(html):
        return html
    # lxml's parser is about 2.5× faster than html.parser; the <body> wrapper keeps a fragment a fragment.
    soup = BeautifulSoup(f"<body>{html}</body>", "lxml")
    for tag in soup.body.find_all(True):
        for name, value in tag.attrs.items():
            if name in URL_ATTRIBUTES and isinstance(value, str):
                tag[name] = urljoin(base, value.strip())
            elif name in SRCSET_ATTRIBUTES and isinstance(value, str):
                tag[name] = _srcset(value, base)
    return soup.body.decode_contents()
