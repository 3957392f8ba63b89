"""Content lint for staff (`tasks.py check`): one readable line per problem.

Each problem reads `path:line: error|warning: message`. The check reads the
Markdown sources itself (Pelican's readers do not keep line numbers) and builds
the site once into a temporary folder to know which site-relative links exist.
"""

from __future__ import annotations

import ast
import difflib
import fnmatch
import glob
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pelican.utils import get_date

from . import html_policy
from .build import build
from .check_addresses import check_address_changes, check_aliases, check_slug, published_slugs
from .errors import DorpspleinError
from .images import parse_image
from .metadata import KNOWN_KEYS, STATUSES, parse_yes_no
from .new_post import post_slug
from .settings import load_settings, settings_file
from .source import SourceFile, read_source

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mkd", ".mdown"}
# ![alt](src "title") and [text](target "title"); the target stops at a space or ")".
IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<target>[^)\s>]*)>?[^)]*\)")
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]*)>?[^)]*\)")
REFERENCE_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(\s|$)")
HTML_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_ALT_RE = re.compile(r"\balt\s*=", re.IGNORECASE)
HTML_LINK_RE = re.compile(r"""\b(?:href|src)\s*=\s*["'](?P<target>[^"']+)["']""", re.IGNORECASE)
CODE_SPAN_RE = re.compile(r"`+[^`]*`+")
INTERNAL_PREFIX_RE = re.compile(r"^\{(?:filename|static|attach)\}|^\|(?:filename|static|attach)\|")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class _Report:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.files_in_error: set[Path] = set()

    def _name(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def error(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self._name(path), line, "error", message))
        if path.is_file():
            self.files_in_error.add(path)

    def warning(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self._name(path), line, "warning", message))


def markdown_files(settings: dict) -> list[Path]:
    root = Path(settings["PATH"])
    ignored = settings.get("IGNORE_FILES", [])
    return sorted(
        p for p in root.rglob("*")
        if p.suffix.lower() in MARKDOWN_SUFFIXES and p.is_file()
        and not any(fnmatch.fnmatch(p.name, pattern) for pattern in ignored)
    )


def is_article(path: Path, settings: dict) -> bool:
    rel = path.relative_to(settings["PATH"]).as_posix()
    in_pages = any(rel.startswith(p.rstrip("/") + "/") for p in settings["PAGE_PATHS"] if p)
    in_articles = any(p in ("", ".") or rel.startswith(p.rstrip("/") + "/") for p in settings["ARTICLE_PATHS"])
    return in_articles and not in_pages


def check_content(settings: dict) -> list[Problem]:
    """All problems in the content folder of `settings`, sorted by file and line."""
    root = Path(settings["PATH"])
    report = _Report(root)
    hosts = _own_hosts(settings)
    sources = []
    published = published_slugs(settings)
    for path in markdown_files(settings):
        source = read_source(path)
        if source.error:
            report.error(path, source.error_line, source.error)
            continue
        sources.append(source)
        _check_metadata(source, is_article(path, settings), settings, report)
        check_slug(source, is_article(path, settings), settings, published, report)
        _check_html(source, hosts, report)
    _check_duplicate_slugs(sources, settings, report)
    check_aliases(sources, report)
    # Build without the files already in error, so one bad file cannot stop the link check.
    output_files = _built_site(settings, report.files_in_error, report)
    for source in sources:
        _check_body(source, settings, output_files, report)
    _check_configured_links(settings, output_files, report)
    return sorted(set(report.problems))


def _date(source: SourceFile, key: str, report: _Report):
    field = source.meta.get(key)
    if field is None:
        return None
    try:
        return get_date(field.value)
    except ValueError:
        report.error(source.path, field.line,
                     f"{field.name} {field.value!r} is not a date; write it like 2026-11-28 09:30")
        return None


def _check_metadata(source: SourceFile, article: bool, settings: dict, report: _Report) -> None:
    path, meta = source.path, source.meta
    for key, field in meta.items():
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f"; did you mean {close[0].capitalize()}?" if close else ""
            report.warning(path, field.line, f"unknown field {field.name!r}{hint}")
    # Pelican keeps the first of most fields but makes a list of a repeated Title or Summary,
    # which breaks the build far from the file.
    for first, again in source.repeated:
        report.error(path, again.line, f"{again.name} is given twice (also on line {first.line}); keep one")

    title = meta.get("title")
    if title is None or not title.value:
        report.error(path, title.line if title else 1, "missing Title")
    elif len(title.value) > settings.get("CHECK_TITLE_MAX_LENGTH", 80):
        report.warning(path, title.line,
                       f"title is {len(title.value)} characters long; keep it under "
                       f"{settings.get('CHECK_TITLE_MAX_LENGTH', 80)} so it fits in lists and social posts")

    date = _date(source, "date", report)
    if article and "date" not in meta:
        report.error(path, 1, "missing Date; posts need one, like Date: 2026-11-28 09:30")
    if article and "category" not in meta:
        report.warning(path, 1, f"no Category; the post goes under {settings.get('DEFAULT_CATEGORY', 'misc')!r}")
    _date(source, "modified", report)
    expires = _date(source, "expires", report)
    if date and expires and _naive(expires) < _naive(date):
        report.error(path, meta["expires"].line,
                     f"Expires {meta['expires'].value} is before Date {meta['date'].value}")

    status = meta.get("status")
    if status and status.value.lower() not in STATUSES:
        report.error(path, status.line,
                     f"unknown Status {status.value!r}; use {', '.join(sorted(STATUSES))}")
    share = meta.get("share")
    if share and parse_yes_no(share.value) is None:
        report.error(path, share.line, f"Share {share.value!r} must be yes or no")

    image = meta.get("image")
    if image:
        _check_image_file(source, image, settings, report)
        alt = meta.get("image_alt")
        if alt is None or not alt.value:
            report.error(path, image.line, "Image without Image_alt: describe the image for people who cannot see it")


def _check_image_file(source: SourceFile, image, settings: dict, report: _Report) -> None:
    """The file an `Image` names, read the way the build reads it (dorpsplein/images.py), must exist."""
    root = Path(settings["PATH"])
    ref = parse_image(image.value, source.path.relative_to(root).as_posix())
    if ref is not None and ref.source is not None and not (root / ref.source).is_file():
        report.error(source.path, image.line, f"image file {image.value!r} not found")


def _naive(value):
    return value.replace(tzinfo=None)


def _slug(source: SourceFile, settings: dict) -> str | None:
    if "slug" in source.meta:
        return source.meta["slug"].value
    if settings.get("SLUGIFY_SOURCE") == "basename":
        return post_slug(source.path.stem, settings)
    title = source.meta.get("title")
    return post_slug(title.value, settings) if title and title.value else None


def _check_duplicate_slugs(sources: list[SourceFile], settings: dict, report: _Report) -> None:
    seen: dict[tuple, SourceFile] = {}
    for source in sources:
        slug = _slug(source, settings)
        if not slug:
            continue
        lang = source.meta["lang"].value if "lang" in source.meta else settings.get("DEFAULT_LANG")
        key = (is_article(source.path, settings), slug, lang)
        line = (source.meta.get("slug") or source.meta.get("title")).line
        if key in seen:
            report.error(source.path, line,
                         f"duplicate slug {slug!r}: {report._name(seen[key].path)} has the same web address")
        else:
            seen[key] = source


def _built_site(settings: dict, skip: set[Path], report: _Report) -> set[str] | None:
    """Relative paths of every file a build writes, or None when the build fails."""
    ignore = list(settings.get("IGNORE_FILES", [])) + [glob.escape(p.name) for p in skip]
    with tempfile.TemporaryDirectory(prefix="dorpsplein-check-") as tmp:
        try:
            build(dict(settings, OUTPUT_PATH=tmp, LOAD_CONTENT_CACHE=False, CACHE_CONTENT=False,
                       DELETE_OUTPUT_DIRECTORY=False, IGNORE_FILES=ignore,
                       PUBLISHED_WRITE=False), quiet=True)  # a check publishes nothing
        except DorpspleinError as exc:
            report.error(Path(settings["PATH"]), 1, f"the site could not be built, links not checked: {exc}")
            return None
        check_address_changes(Path(tmp), settings, report)
        return {p.relative_to(tmp).as_posix() for p in Path(tmp).rglob("*") if p.is_file()}


def _local_file(target: str, source: Path, settings: dict, relative_to: Path | None = None) -> Path | None:
    """The file a `{static}`/`{filename}`/relative target points to; None for other links.

    Relative targets count from `relative_to` (default: the source's folder).
    """
    parsed = urlsplit(target)
    if parsed.scheme or parsed.netloc or not parsed.path:
        return None
    path = unquote(INTERNAL_PREFIX_RE.sub("", parsed.path))
    if path.startswith("/") and not INTERNAL_PREFIX_RE.match(parsed.path):
        return None  # site-relative: checked against the built site
    base = Path(settings["PATH"]) if path.startswith("/") else (relative_to or source.parent)
    return base / path.lstrip("/")


def _site_has(url_path: str, files: set[str]) -> bool:
    path = unquote(url_path).lstrip("/")
    candidates = [path, path.rstrip("/") + "/index.html", path + ".html"] if path else ["index.html"]
    return any(c in files for c in candidates)


def _check_target(source, line, target, settings, files, report) -> None:
    target = target.strip()
    if not target or target.startswith(("#", "mailto:", "tel:")):
        return
    local = _local_file(target, source.path, settings)
    if local is not None:
        if not local.exists():
            report.error(source.path, line, f"broken link: {target} (no such file)")
        return
    parsed = urlsplit(target)
    if not parsed.scheme and not parsed.netloc and parsed.path.startswith("/") and files is not None:
        if not _site_has(parsed.path, files):
            report.error(source.path, line, f"broken link: {target} is not a page or file of this site")


def _check_body(source: SourceFile, settings: dict, files, report: _Report) -> None:
    in_fence = False
    for number, raw in source.body_lines():
        if raw.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = CODE_SPAN_RE.sub("", raw)
        for match in IMAGE_RE.finditer(line):
            if not match["alt"].strip():
                report.error(source.path, number,
                             f"image {match['target']} without alt text: write what it shows between ![ and ]")
            _check_target(source, number, match["target"], settings, files, report)
        for tag in HTML_IMG_RE.findall(line):
            if not HTML_ALT_RE.search(tag):
                report.error(source.path, number, f"image without alt text: {tag}")
        targets = [m["target"] for m in LINK_RE.finditer(line)]
        targets += [m["target"] for m in HTML_LINK_RE.finditer(line)]
        if match := REFERENCE_RE.match(line):
            targets.append(match["target"])
        for target in targets:
            _check_target(source, number, target, settings, files, report)


# Settings whose links the theme shows only when the page exists (plugins/whole_site), and where.
CONFIGURED_LINKS = {"MENUITEMS": "the header", "FOOTER_LINKS": "the footer"}


def _setting_lines(path: Path) -> dict[tuple[str, int], int]:
    """(setting, index) → line of that entry of a list setting in the settings file."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    lines = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List | ast.Tuple):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in CONFIGURED_LINKS:
                    lines.update({(target.id, i): item.lineno for i, item in enumerate(node.value.elts)})
    return lines


def _check_configured_links(settings: dict, files: set[str] | None, report: _Report) -> None:
    """A header or footer link to a page this content folder does not have: the theme leaves it out; say so."""
    if files is None:
        return
    conf = settings_file()
    lines = _setting_lines(conf)
    for name, where in CONFIGURED_LINKS.items():
        for index, (title, link) in enumerate(settings.get(name) or ()):
            parsed = urlsplit(link)
            if parsed.scheme or parsed.netloc or _site_has(parsed.path, files):
                continue
            report.warning(conf, lines.get((name, index), 1),
                           f"{name} links {title!r} to {link}, a page this site does not have; "
                           f"{where} leaves it out (add the page or remove the link)")


def _own_hosts(settings: dict) -> set[str]:
    """Where images may come from: this build's SITEURL and PREVIEW_URL, and the production SITEURL."""
    urls = [settings.get("SITEURL"), settings.get("PREVIEW_URL")]
    try:
        urls.append(load_settings(production=True).get("SITEURL"))
    except DorpspleinError:  # a broken publishconf is the build's to report
        pass
    return {html_policy.host(url or "") for url in urls} - {""}


def _check_html(source: SourceFile, own_hosts: set[str], report: _Report) -> None:
    """Dangerous HTML and links (dorpsplein/html_policy.py), and HTML in the title, with their lines."""
    title = source.meta.get("title")
    if title and html_policy.title_has_html(title.value):
        report.warning(source.path, title.line, "the title contains HTML or an entity; a title is shown as text "
                                                "everywhere, exactly as typed (write & and <, not &amp; or tags)")
    image = source.meta.get("image")
    findings = [(image.line, f) for f in html_policy.link_findings(image.value, own_hosts, True)] if image else []
    summary = source.meta.get("summary")  # Markdown too, rendered to HTML by Pelican
    if summary:
        text = html_policy.code_masked([summary.value])
        findings += [(summary.line, f) for f in html_policy.html_findings(text, own_hosts)]
    text = html_policy.code_masked(line for _, line in source.body_lines())
    findings += [(source.body_start + f.line, f) for f in html_policy.html_findings(text, own_hosts)]
    for offset, line in enumerate(text.split("\n")):
        targets = [(m["target"], True) for m in IMAGE_RE.finditer(line)]
        targets += [(m["target"], False) for m in LINK_RE.finditer(line)]
        if match := REFERENCE_RE.match(line):
            targets.append((match["target"], False))
        findings += [(source.body_start + offset + 1, f) for target, is_image in targets
                     for f in html_policy.link_findings(target, own_hosts, is_image)]
    for line, finding in findings:
        (report.error if finding.severity == "error" else report.warning)(source.path, line, finding.message)


def check(content: str | None = None) -> list[Problem]:
    """`tasks.py check`: the problems in the demo content or in `content`."""
    return check_content(load_settings(content=content))
