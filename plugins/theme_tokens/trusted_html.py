"""The one place where the theme prints HTML as HTML.

The theme's templates are autoescaped (theme_tokens switches it on for our theme): every title, summary,
alt text and setting is text. Only what Pelican rendered from a post's or page's Markdown (its
`content`, or its `summary`) is HTML, and `tasks.py check` refuses dangerous HTML in it
(dorpsplein/html_policy.py). `{{ article|content_html }}` says so.
"""

from __future__ import annotations

from markupsafe import Markup

FIELDS = ("content", "summary")


def content_html(item, field: str = "content") -> Markup:
    """`item.content` (or `item.summary`) of a Pelican Article or Page, as HTML."""
    if field not in FIELDS:
        raise ValueError(f"content_html: {field!r} is not one of {', '.join(FIELDS)}")
    return Markup(getattr(item, field, None) or "")
