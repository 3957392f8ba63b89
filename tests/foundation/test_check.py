"""`tasks.py check`: one readable line per problem, exit codes, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks import cli

ROOT = Path(__file__).resolve().parents[2]
BAD = "tests/fixtures/bad-content"

EXPECTED_BAD = f"""\
{BAD}/blog/bad-date.md:2: error: Date '31-02-2026 25:00' is not a date; write it like 2026-11-28 09:30
{BAD}/blog/broken-link.md:5: error: broken link: {{filename}}/blog/bestaat-niet.md (no such file)
{BAD}/blog/broken-link.md:7: error: broken link: /blog/2026/10/status-onbekend/ is not a page or file of this site
{BAD}/blog/broken-link.md:7: error: broken link: /markt/ is not a page or file of this site
{BAD}/blog/duplicate-b.md:1: error: duplicate slug 'dubbel-bericht': {BAD}/blog/duplicate-a.md has the same web address
{BAD}/blog/empty.md:1: error: file is empty; give it at least a Title and some text
{BAD}/blog/expires-before-date.md:3: error: Expires 2026-10-01 00:00 is before Date 2026-10-08 09:00
{BAD}/blog/image-meta-without-alt.md:4: error: Image without Image_alt: describe the image for people who cannot see it
{BAD}/blog/image-without-alt.md:7: error: image /images/foto.jpg without alt text: write what it shows between ![ and ]
{BAD}/blog/long-title.md:1: warning: no Category; the post goes under 'misc'
{BAD}/blog/long-title.md:1: warning: title is 105 characters long; keep it under 80 so it fits in lists and social posts
{BAD}/blog/long-title.md:3: warning: unknown field 'Catgory'; did you mean Category?
{BAD}/blog/missing-image.md:4: error: image file 'images/bestaat-niet.jpg' not found
{BAD}/blog/missing-title.md:1: error: missing Title
{BAD}/blog/not-utf8.md:5: error: not UTF-8 (byte 0xe9 at column 4); save the file with UTF-8 encoding
{BAD}/blog/twice-title.md:4: error: Title is given twice (also on line 1); keep one
{BAD}/blog/unknown-status.md:4: error: unknown Status 'gepubliceerd'; use draft, hidden, published
"""


@pytest.fixture(autouse=True)
def in_project_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_bad_content_gives_exactly_one_line_per_problem(runner):
    result = runner.invoke(cli, ["check", "--content", BAD])
    assert result.exit_code == 1
    # The set has no pages: 8 warnings name the header and footer links of pelicanconf.py it lacks
    # (tests/foundation/test_whole_site.py checks those lines); every post lacks a Slug (tests/addresses).
    content_lines, settings_lines = [], []
    for line in result.stdout.splitlines(keepends=True):
        (settings_lines if line.startswith("pelicanconf.py:") else content_lines).append(line)
    assert "".join(line for line in content_lines if ": warning: no Slug:" not in line) == EXPECTED_BAD
    assert sum(": warning: no Slug:" in line for line in content_lines) == 11
    assert len(settings_lines) == 8
    assert result.stderr == "14 error(s), 22 warning(s)\n"
    assert "Traceback" not in result.output


def test_the_good_page_in_the_bad_set_has_no_problem(runner):
    """Links to the blog, static files, anchors, mail and code examples are fine."""
    result = runner.invoke(cli, ["check", "--content", BAD])
    assert "pages/goed.md" not in result.output


def test_demo_content_passes(runner):
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert " error: " not in result.stdout
    assert result.stderr.startswith("0 error(s)")


def test_warnings_alone_exit_zero(runner, site):
    site.post("lang", "Titel " + "heel " * 20, "2026-01-01 09:00")
    result = runner.invoke(cli, ["check", "--content", str(site.content)])
    assert result.exit_code == 0
    assert ": warning: title is 105 characters long" in result.stdout


def test_site_relative_link_to_a_real_page_passes(runner, site):
    site.write("pages/contact.md", "Title: Contact\nSlug: contact\n\nBel ons.\n")
    site.post("a", "Bericht A", "2026-01-01 09:00", Slug="bericht-a",
              body="Zie [contact](/contact/) en [bericht B](/blog/2026/01/bericht-b/).")
    site.post("b", "Bericht B", "2026-01-02 09:00", Slug="bericht-b", body="Zie [bericht A]({filename}a.md).")
    result = runner.invoke(cli, ["check", "--content", str(site.content)])
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if not line.startswith("pelicanconf.py:")] == []


def test_missing_content_folder_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(cli, ["check", "--content", str(tmp_path / "nergens")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'nergens'}: content folder does not exist\n"
