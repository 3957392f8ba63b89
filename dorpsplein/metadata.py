"""The post metadata Dorpsplein knows (DESIGN.md), shared by plugins and the content check."""

from __future__ import annotations

# Lower-case, as Pelican stores them.
STANDARD_KEYS = {
    "title", "date", "modified", "category", "tags", "summary", "slug", "authors", "author",
    "status", "lang", "translation", "template", "save_as", "url", "keywords",
}
DORPSPLEIN_KEYS = {"image", "image_alt", "expires", "share", "social", "aliases"}
KNOWN_KEYS = sorted(STANDARD_KEYS | DORPSPLEIN_KEYS)
STATUSES = {"published", "draft", "hidden"}
# Where Pelican's article and page generators keep their content of every status and language.
ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts", "drafts_translations")
PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations")
# What a production build does not publish (plugins/embargo): drafts (future posts included: Pelican makes
# them drafts until their date) and hidden items. Expired notices sit among Pelican's hidden articles
# too (plugins/expiry) but stay published: it is the status that counts, not the list.
EMBARGOED_STATUSES = frozenset({"draft", "hidden"})


def embargoed(content) -> bool:
    return getattr(content, "status", "published") in EMBARGOED_STATUSES

_YES = {"yes", "ja", "true", "1", "on"}
_NO = {"no", "nee", "false", "0", "off"}


def parse_yes_no(value) -> bool | None:
    """`Share: no` → False; None when the value is neither yes nor no."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in _YES else False if text in _NO else None
