"""The share block for themes that do not render `article.share` (Pelican's notmyidea, say).

The block is added to the end of the content fragment only while the post's own page is being
written: feeds, summaries and newsletters keep the plain text. Appending needs no parsing; the
fragment is parsed (once, beautifulsoup4 with lxml) only when its text names the block's class, to
see whether it already has a block. Parsing and re-serialising every post took a quarter of a
stock Pelican build.
"""

from __future__ import annotations

from html import escape

from .links import Share

BLOCK_CLASS = "dorpsplein-share"


def block_html(share: Share) -> str:
    items = "".join(f'<li><a href="{escape(link.url)}" rel="noopener">{escape(link.label)}</a></li>'
                    for link in share.links)
    return (f'<aside class="{BLOCK_CLASS}" aria-label="Delen"><p>Delen via:</p>'
            f"<ul>{items}</ul></aside>")


def with_share_block(fragment: str, share: Share) -> str:
    """The fragment with the block appended; unchanged if it already has one (a rerun, a manual block)."""
    if BLOCK_CLASS in fragment:
        from bs4 import BeautifulSoup  # imported only here: its import alone took a tenth of a second per build

        if BeautifulSoup(fragment, "lxml").find(class_=BLOCK_CLASS):
            return fragment
    return fragment + block_html(share)


def _forget_memoized(content, *names: str) -> None:
    """Pelican memoizes content and summary per (object, siteurl), in one cache per method for all
    objects: drop this object's entries by key (scanning the cache made the build quadratic)."""
    key = (content, content.get_siteurl())
    for name in names:
        getattr(type(content), name).cache.pop(key, None)


def swap_in(content) -> None:
    """Before the page of `content` is written: its content gets the block."""
    share = getattr(content, "share", None)
    if share is None or hasattr(content, "_share_original"):
        return
    content.summary  # noqa: B018 - memoize the summary from the plain text first
    content._share_original = content._content
    content._content = with_share_block(content._content, share)
    _forget_memoized(content, "get_content")


def swap_out(content) -> None:
    """After the page is written: the plain content again, for feeds and everything after."""
    original = getattr(content, "_share_original", None)
    if original is None:
        return
    content._content = original
    del content._share_original
    _forget_memoized(content, "get_content", "get_summary")
