"""Which HTML a post or page may hold, defined once: `tasks.py check` enforces it on the Markdown
sources (with file and line) and `sanitise` applies it to the HTML in feeds (nh3).

Staff may write HTML in Markdown for layout (a table, a figure, an abbreviation). Nothing that
runs, loads or submits is allowed: no script, no `on…=` handler, no `javascript:`/`data:` URL,
no iframe/object/embed, no form, no image from another host (a tracker). An unclosed comment and
HTML in a title (a title is text everywhere) are warnings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

# The allow-list: elements and attributes kept in feeds, and accepted by `check` without a remark.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "data",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "samp",
    "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var", "wbr",
})
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-describedby",
                               "aria-labelledby", "aria-hidden"})
ALLOWED_ATTRIBUTES = {
    "*": GLOBAL_ATTRIBUTES,
    "a": frozenset({"href", "hreflang", "rel", "type"}),
    "img": frozenset({"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"}),
    "source": frozenset({"srcset", "sizes", "media", "type", "width", "height"}),
    "blockquote": frozenset({"cite"}), "q": frozenset({"cite"}), "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}), "time": frozenset({"datetime"}), "data": frozenset({"value"}),
    "ol": frozenset({"start", "reversed", "type"}), "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan", "headers"}), "th": frozenset({"colspan", "rowspan", "headers", "scope",
                                                                         "abbr"}),
    "col": frozenset({"span"}), "colgroup": frozenset({"span"}), "details": frozenset({"open"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Outside the allow-list and harmful: an error in `check`, not only dropped from feeds.
DANGEROUS_TAGS = frozenset({
    "script", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
    "form", "input", "button", "select", "textarea", "option", "base", "meta", "link", "style", "svg", "math",
    "portal", "fencedframe",
})
DANGEROUS_SCHEMES = frozenset({"javascript", "data", "vbscript", "file", "blob"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "cite", "data", "background",
                            "longdesc", "ping", "xlink:href", "manifest", "codebase", "usemap"})
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
IMAGE_ATTRIBUTES = {"img": {"src", "srcset"}, "source": {"srcset"}, "input": {"src"}, "video": {"poster"}}

TITLE_HTML_RE = re.compile(r"<[A-Za-z!/?]|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
# Markdown attribute lists (attr_list, part of `extra`): {: #id .class key="value" }
ATTR_LIST_RE = re.compile(r"\{:?\s*([^{}\n]*=[^{}\n]*)\}")
ATTR_PAIR_RE = re.compile(r"""([^\s=#.{}]+)\s*=\s*("[^"]*"|'[^']*'|[^\s}]+)""")
# Characters browsers ignore inside a URL's scheme (`java\tscript:` is `javascript:`).
URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]+")
TAG_NAME_RE = re.compile(r"[a-z][a-z0-9-]*")
CODE_SPAN_RE = re.compile(r"`+[^`]*`+")
FENCE_MARKS = ("```", "~~~")


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based, in the text that was checked
    severity: str  # "error" or "warning"
    message: str


def scheme(url: str) -> str:
    """The scheme a browser would see, lower case ('' for a relative URL)."""
    cleaned = URL_NOISE_RE.sub("", html.unescape(url or ""))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match[1].lower() if match else ""


def host(url: str) -> str:
    """The host of an absolute or protocol-relative URL, lower case; '' for a site-relative one."""
    cleaned = URL_NOISE_RE.sub("", html.unescape(url or "")).replace("\\", "/")
    if cleaned.startswith("//") or scheme(cleaned):
        return (urlsplit(cleaned if scheme(cleaned) else "https:" + cleaned).hostname or "").lower()
    return ""


def srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in (value or "").split(",") if candidate.strip()]


def title_has_html(title: str) -> bool:
    return bool(TITLE_HTML_RE.search(title or ""))


def title_text(title) -> str:
    """A title as staff typed it, on one line: text, never HTML (`<b>` stays two angle brackets and a b).
    The same characters on the page, in social cards, share images and share links."""
    return " ".join(str(title or "").split())


def url_problem(attribute: str, url: str, own_hosts: Iterable[str], image: bool) -> Finding | None:
    """An error for a URL that runs code or (for an image) loads from another host."""
    found = scheme(url)
    if found in DANGEROUS_SCHEMES:
        return Finding(0, "error", f"{attribute}={url.strip()[:60]!r}: a {found}: URL is not allowed; "
                                   "link to a page or a file of the site")
    if image and (other := host(url)) and other not in own_hosts:
        return Finding(0, "error", f"image from another site ({other}): it tells that site who reads the page; "
                                   "put the image in content/images and link it from there")
    if found and found not in URL_SCHEMES:
        return Finding(0, "warning", f"{attribute}={url.strip()[:60]!r}: {found}: links are left out of the feeds")
    return None


def attribute_findings(tag: str | None, name: str, value: str | None, own_hosts: Iterable[str]) -> list[Finding]:
    """`tag` None: an attribute from a Markdown attribute list, {: name="value" }."""
    name = name.lower()
    where = f"<{tag} {name}=…>" if tag else f"{{: {name}=… }}"
    if name.startswith("on"):
        return [Finding(0, "error", f"{where}: event handlers (on…=) run code and are not allowed")]
    if name in ("style", "srcdoc", "is") or name.startswith("xmlns"):
        severity = "warning" if name == "style" else "error"
        return [Finding(0, severity, f"{where} is not allowed"
                                     + ("; the site's styles come from the theme" if name == "style" else ""))]
    image = name in IMAGE_ATTRIBUTES.get(tag or "", ())
    urls = srcset_urls(value) if name in SRCSET_ATTRIBUTES else [value] if name in URL_ATTRIBUTES else []
    findings = [problem for url in urls if url and (problem := url_problem(name, url, own_hosts, image))]
    if urls or findings:
        return findings
    allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, frozenset())
    if tag in ALLOWED_TAGS and name not in allowed and not name.startswith("data-"):
        return [Finding(0, "warning", f"<{tag} {name}=…> is left out of the feeds")]
    return []


class _TagScanner(HTMLParser):
    def __init__(self, own_hosts: frozenset[str], report: Callable[[int, Finding], None]):
        super().__init__(convert_charrefs=True)
        self.own_hosts, self.report = own_hosts, report

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        if not TAG_NAME_RE.fullmatch(tag):  # <https://…> and <name@example.org> are Markdown autolinks
            return
        if tag in DANGEROUS_TAGS:
            self.report(line, Finding(0, "error", f"<{tag}> is not allowed in posts and pages: it can run code, "
                                                  "load another site or send data; remove it"))
        elif tag not in ALLOWED_TAGS:
            self.report(line, Finding(0, "warning", f"<{tag}> is not on the list of allowed HTML; it is left out "
                                                    "of the feeds"))
        for name, value in attrs:
            for finding in attribute_findings(tag, name, value, self.own_hosts):
                self.report(line, finding)

    handle_startendtag = handle_starttag

    def unknown_decl(self, data):  # <![CDATA[ … ]]> and the like
        self.report(self.getpos()[0], Finding(0, "warning", "<![…]> is not HTML for a page; remove it"))


def code_masked(lines: Iterable[str]) -> str:
    """Markdown with its code (fenced blocks, `spans`) blanked out, line for line: code is shown as text."""
    masked, in_fence = [], False
    for line in lines:
        if line.lstrip().startswith(FENCE_MARKS):
            in_fence = not in_fence
            masked.append("")
        else:
            masked.append("" if in_fence else CODE_SPAN_RE.sub(lambda m: " " * len(m[0]), line))
    return "\n".join(masked)


def html_findings(text: str, own_hosts: Iterable[str] = ()) -> list[Finding]:
    """Problems in the HTML written in `text` (Markdown with its code already blanked out), by line."""
    own = frozenset(h.lower() for h in own_hosts if h)
    findings: list[Finding] = []

    def report(line: int, finding: Finding) -> None:
        findings.append(Finding(line, finding.severity, finding.message))

    for match in re.finditer(r"<!--", text):
        if "-->" not in text[match.end():]:
            line = text.count("\n", 0, match.start()) + 1
            # Python-Markdown shows an unclosed comment as text; a browser would hide the rest of the page.
            report(line, Finding(0, "warning", "<!-- without -->: the comment is not closed, so readers see it "
                                               "as text; close it with --> or write it in `backticks`"))
            break
    scanner = _TagScanner(own, report)
    scanner.feed(text)
    scanner.close()
    for match in ATTR_LIST_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        for name, value in ATTR_PAIR_RE.findall(match[1]):
            for finding in attribute_findings(None, name, value.strip("\"'"), own):
                if finding.severity == "error":
                    report(line, finding)
    return findings


def link_findings(target: str, own_hosts: Iterable[str], image: bool) -> list[Finding]:
    """A Markdown link or image target: [text](target), ![alt](target), [ref]: target."""
    problem = url_problem("src" if image else "href", target, frozenset(h.lower() for h in own_hosts if h), image)
    return [problem] if problem else []


@lru_cache(maxsize=4096)  # a post is in several feeds (site, category, each tag)
def sanitise(fragment: str, site_url: str) -> str:
    """`fragment` with only the allow-list left (nh3): for the HTML of feed entries.

    Images from hosts other than `site_url`'s lose their `src`, as `check` refuses them in content.
    """
    own = host(site_url)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in IMAGE_ATTRIBUTES.get(tag, ()):
            urls = srcset_urls(value) if attribute in SRCSET_ATTRIBUTES else [value]
            if any(host(url) and host(url) != own for url in urls):
                return None
        return value

    return nh3.clean(fragment, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     attribute_filter=keep, url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True)
