"""The share block for themes that do not render `article.share` (Pelican's notmyidea, say).

The block is added to the end of the content fragment only while the post's own page is being
written: feeds, summaries and newsletters keep the plain text. Appending needs no parsing; the
fragment is parsed (once, beautifulsoup4 with lxml) only when its text names the block's class, to
see whether it already has a block. Parsing and re-serialising every post took a quarter of a
stock Pelican build.
"""

from __future__ import annotations

from functools import cache
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


class _WithShareBlock:
    """Put in front of a post's own class while its page is written: its content gets the block.

    Pelican's memoized `get_content` is used as is, so the content is not worked out again for the
    page nor, afterwards, for the feeds (swapping the text itself meant forgetting the memo twice).
    """

    def get_content(self, siteurl: str) -> str:
        return with_share_block(super().get_content(siteurl), self.share)


@cache
def _with_block(cls: type) -> type:
    # The same name: Pelican finds settings such as PAGE_SAVE_AS by the class name.
    return type(cls.__name__, (_WithShareBlock, cls), {"__qualname__": cls.__qualname__})


def swap_in(content) -> None:
    """Before the page of `content` is written: its content gets the block."""
    if getattr(content, "share", None) is None or isinstance(content, _WithShareBlock):
        return
    content.summary  # noqa: B018 - a summary cut from the content is memoized from the plain text first
    content.__class__ = _with_block(type(content))


def swap_out(content) -> None:
    """After the page is written: the plain content again, for feeds and everything after."""
    if isinstance(content, _WithShareBlock):
        content.__class__ = type(content).__bases__[1]  # the post's own class, behind the mixin
