"""`tasks.py check` refuses dangerous HTML in posts and pages, with file and line (issue 18), by the same
allow-list the feeds are sanitised with (dorpsplein/html_policy.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dorpsplein import html_policy
from tasks import cli

ROOT = Path(__file__).resolve().parents[2]
DIR = "tests/fixtures/dangerous-html"

HANDLER = "event handlers (on…=) run code and are not allowed"
NOT_ALLOWED = "is not allowed in posts and pages: it can run code, load another site or send data; remove it"
OTHER_SITE = "it tells that site who reads the page; put the image in content/images and link it from there"
SCRIPT_URL = "URL is not allowed; link to a page or a file of the site"
# (line, severity, message) in blog/gevaarlijk.md; the link check also reports two of these lines as broken
# links (its own business, left out here).
EXPECTED = [
    (1, "warning", "the title contains HTML or an entity; a title is shown as text everywhere, exactly as typed "
                   "(write & and <, not &amp; or tags)"),
    (4, "error", 'image from another site (tracker.example): ' + OTHER_SITE),
    (8, "error", '<script> ' + NOT_ALLOWED),
    (9, "error", '<p onclick=…>: ' + HANDLER),
    (10, "error", "href='javascript:alert(1': a javascript: " + SCRIPT_URL),
    (11, "error", "href='JaVa\\tscript:alert(1)': a javascript: " + SCRIPT_URL),
    (12, "error", "src='data:image/png;base64,AAAA': a data: " + SCRIPT_URL),
    (13, "error", '<iframe> ' + NOT_ALLOWED),
    (14, "error", '<embed> ' + NOT_ALLOWED),
    (14, "error", '<object> ' + NOT_ALLOWED),
    (15, "error", '<button> ' + NOT_ALLOWED),
    (15, "error", '<form> ' + NOT_ALLOWED),
    (16, "error", 'image from another site (tracker.example): ' + OTHER_SITE),
    (17, "error", 'image from another site (tracker.example): ' + OTHER_SITE),
    (18, "error", 'image from another site (cdn.example): ' + OTHER_SITE),
    (19, "error", "formaction='javascript:alert(1)': a javascript: " + SCRIPT_URL),
    (20, "error", '{: onclick=… }: ' + HANDLER),
    (21, "error", '<svg> ' + NOT_ALLOWED),
    (21, "error", "xlink:href='javascript:alert(1)': a javascript: " + SCRIPT_URL),
    (28, "warning", "<!-- without -->: the comment is not closed, so readers see it as text; close it with --> "
                    "or write it in `backticks`"),
]


@pytest.fixture(autouse=True)
def in_project_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_dangerous_html_is_an_error_on_its_line_and_html_in_a_title_a_warning(runner):
    result = runner.invoke(cli, ["check", "--content", DIR])
    assert result.exit_code == 1
    # Only this fixture's lines: the link check's own (broken links, menu links to pages it lacks) are not ours.
    lines = [line for line in result.stdout.splitlines()
             if line.startswith(DIR) and "broken link" not in line and ": warning: no Slug:" not in line]
    assert lines == [f"{DIR}/blog/gevaarlijk.md:{number}: {severity}: {message}"
                     for number, severity, message in EXPECTED] + [
        f"{DIR}/blog/samenvatting.md:4: error: <img onerror=…>: {HANDLER}"]  # the Summary: Markdown too
    assert "Traceback" not in result.output


def test_allowed_html_code_examples_closed_comments_and_our_own_images_pass(runner):
    """pages/goed.md: details, abbr, figure, a table, a closed comment, mail and phone links, autolinks; and in
    the other file, line 22 (images on the production and preview address) and the fenced <script>."""
    result = runner.invoke(cli, ["check", "--content", DIR])
    assert "goed.md" not in result.output
    assert "gevaarlijk.md:22:" not in result.output and "gevaarlijk.md:25:" not in result.output


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JAVASCRIPT:x", "java\nscript:x", "jav&#x61;script:x",
                                 "&#106;avascript:x", "data:text/html,<script>", "vbscript:x"])
def test_every_spelling_of_a_script_url_is_refused(url):
    (finding,) = html_policy.html_findings(f'<a href="{url}">x</a>')
    assert finding.severity == "error" and "URL is not allowed" in finding.message


@pytest.mark.parametrize("markup", ['<img src=x onerror=alert(1)>', '<p ONMOUSEOVER="x">', '<a href="#" onfocus=x>',
                                    '<div\nonclick="x">'])
def test_event_handlers_in_any_case_or_line_are_refused(markup):
    assert [f.severity for f in html_policy.html_findings(markup)] == ["error"]


def test_an_attribute_that_breaks_its_quotes_is_still_seen():
    findings = html_policy.html_findings('<img alt="a" title=\'b\' src="/x.jpg"" onerror="alert(1)">')
    assert [f.message for f in findings if f.severity == "error"] == [
        "<img onerror=…>: event handlers (on…=) run code and are not allowed"]


@pytest.mark.parametrize("title,has_html", [("A <b>b</b>", True), ("Tom &amp; Jerry", True), ("&#60;b&#62;", True),
                                            ("<!-- x", True), ("Tom & Jerry", False), ("1 < 2 > 0", False),
                                            ('"Aanhalingstekens"', False)])
def test_html_in_a_title_is_recognised(title, has_html):
    assert html_policy.title_has_html(title) is has_html
