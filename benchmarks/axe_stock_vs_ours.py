"""Accessibility benchmark: axe-core on our theme against Pelican's stock theme (notmyidea), same demo content.

    .venv/bin/python benchmarks/axe_stock_vs_ours.py [--json PATH]

Builds the demo site twice into a temp folder, with our theme and with notmyidea (all other settings
and plugins the same), serves each on 127.0.0.1 and runs axe-core (axe-playwright-python, tags wcag2a,
wcag2aa, wcag21a, wcag21aa) in Debian's Chromium on one page of every template kind
(tests/browser/template_kinds.py), at 1280 px. Prints violated rules and affected elements per page.

notmyidea has no template for our home page, our other page templates or a 404 page: the script builds
with a copy of it that has one-line stand-ins extending its own page.html or base.html, so every page
has its content (and our e-mail templates, which plugins read but no web page uses).
Requests to other hosts are blocked, as the site must not make them (notmyidea makes none).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pelican  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from dorpsplein.build import build  # noqa: E402
from dorpsplein.serve import start_server  # noqa: E402
from dorpsplein.settings import load_settings  # noqa: E402
from tests.browser.template_kinds import TEMPLATE_KINDS  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STOCK_THEME = Path(pelican.__file__).parent / "themes/notmyidea"


def stock_theme(folder: Path) -> Path:
    """A copy of notmyidea, plus stand-ins for the templates our content asks for that it lacks
    (each only extending notmyidea's own), plus our template folders that plugins read (e-mail)."""
    shutil.copytree(STOCK_THEME, folder)
    templates = folder / "templates"
    stock = {p.name for p in templates.iterdir()}
    page_templates = {
        f"{m.group(1)}.html"
        for md in (ROOT / "content").rglob("*.md")
        if (m := re.search(r"^Template:\s*(\S+)", md.read_text(encoding="utf-8"), re.M))
    }
    for template in (ROOT / "theme/templates").iterdir():
        if template.name in stock or template.name.startswith("_"):
            continue
        if template.is_dir():  # newsletter/ and the like: not web pages, but plugins need them
            shutil.copytree(template, templates / template.name)
        elif template.name == "404.html":
            body = '{% extends "base.html" %}{% block content %}<h1>Pagina niet gevonden</h1>{% endblock %}'
            (templates / template.name).write_text(body, encoding="utf-8")
        else:  # a page template gets the page; other direct templates (statistics…) an empty base page
            body = '{% extends "page.html" %}' if template.name in page_templates else '{% extends "base.html" %}'
            (templates / template.name).write_text(body, encoding="utf-8")
    return folder


def audit(browser, url: str) -> dict[str, dict[str, int]]:
    """{kind: {rule id: number of elements}} for every template kind."""
    axe, results = Axe(), {}
    for kind, path in TEMPLATE_KINDS.items():
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
        page.goto(url + path)
        response = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response
        results[kind] = {v["id"]: len(v["nodes"]) for v in response["violations"]}
        page.close()
    return results


def build_and_audit(browser, output: Path, **extra) -> dict[str, dict[str, int]]:
    extra["CACHE_PATH"] = str(output.parent / f"{output.name}-cache")
    result = build(load_settings(output=output, extra=extra), quiet=True)
    if result.warnings:
        logging.warning("%s: %d build warning(s), first: %s", output.name, len(result.warnings), result.warnings[0])
    server = start_server(output, 0)
    try:
        return audit(browser, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


def summary(results: dict[str, dict[str, int]]) -> tuple[int, int, int, Counter]:
    """(pages with a violation, rule violations summed over pages, elements, elements per rule)."""
    per_rule = Counter()
    for rules in results.values():
        per_rule.update(rules)
    return (
        sum(1 for rules in results.values() if rules),
        sum(len(r) for r in results.values()),
        sum(per_rule.values()),
        per_rule,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="axe-bench-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tmp = Path(tmp)
        figures = {
            "ours": build_and_audit(browser, tmp / "ours"),
            "notmyidea": build_and_audit(
                browser,
                tmp / "stock",
                THEME=str(stock_theme(tmp / "notmyidea")),
            ),
        }
        browser.close()
    print(f"axe-core on {len(TEMPLATE_KINDS)} pages ({', '.join(WCAG_TAGS)}), 1280 px\n")
    print(f"{'page':<22}{'ours':>22}  {'notmyidea':<40}")
    for kind in TEMPLATE_KINDS:
        cells = [
            ", ".join(f"{rule} ×{n}" for rule, n in sorted(figures[theme][kind].items())) or "0"
            for theme in ("ours", "notmyidea")
        ]
        print(f"{kind:<22}{cells[0]:>22}  {cells[1]:<40}")
    for theme in ("ours", "notmyidea"):
        pages, rules, nodes, per_rule = summary(figures[theme])
        print(
            f"\n{theme}: {pages}/{len(TEMPLATE_KINDS)} pages with violations, {rules} rule violations, "
            f"{nodes} elements" + (f" ({', '.join(f'{r} {n}' for r, n in per_rule.most_common())})" if nodes else "")
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
