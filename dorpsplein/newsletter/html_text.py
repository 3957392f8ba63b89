"""Editor HTML made fit for e-mail (absolute URLs, alt on every image) and its plain-text rendition."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from ..html_policy import sanitise

BLOCKS = {"p", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "div"}


def for_email(html: str, base: str) -> tuple[str, int]:
    """`html` with every href/src absolute against `base`, and only the site's allow-list of HTML
    (html_policy.sanitise, as in the feeds); returns it and how many images had no alt.

    An image without alt gets `alt=""` so screen readers skip the file name; the caller warns.
    """
    from bs4 import BeautifulSoup  # here: the build imports this module, and bs4's import alone took 0.13 s

    soup = BeautifulSoup(html or "", "html.parser")
    for tag in soup.find_all(href=True):
        tag["href"] = urljoin(base, tag["href"].strip())
    missing = 0
    for tag in soup.find_all("img"):
        if tag.get("src"):
            tag["src"] = urljoin(base, tag["src"].strip())
        if tag.get("alt") is None:
            tag["alt"] = ""
            missing += 1
    return sanitise(str(soup), base), missing


def plain_text(html: str) -> str:
    """Paragraphs separated by an empty line, list items with a dash, links as `text (url)`."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html or "", "html.parser")
    for link in soup.find_all("a", href=True):
        text = link.get_text(" ", strip=True)
        link.replace_with(f"{text} ({link['href']})" if text and text != link["href"] else link["href"])
    for img in soup.find_all("img"):
        img.replace_with(f"[{img['alt']}]" if img.get("alt") else "")
    for item in soup.find_all("li"):
        item.insert(0, "- ")
    # Sentinels survive whitespace folding: \x01 ends a block (empty line), \x02 a list item (new line).
    for block in soup.find_all(BLOCKS):
        block.append("\x02" if block.name == "li" else "\x01")
    text = re.sub(r"\s+", " ", soup.get_text())
    text = re.sub(r" ?\x02 ?", "\n", re.sub(r" ?\x01 ?", "\n\n", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
