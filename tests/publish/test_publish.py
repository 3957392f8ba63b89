"""The whole `publish`: content check as the gate, strict production build, compression, deploy."""

import gzip
import os

import pytest
from click.testing import CliRunner

import tasks
from dorpsplein.errors import DorpspleinError
from dorpsplein.publish import publish, summary_lines


def write_small_site(site):
    site.post("eerste", "Eerste bericht", "2026-11-01 09:00", body="Tekst van het bericht. " * 30)
    site.write("pages/welkom.md", "Title: Welkom\nSlug: welkom\n\nWelkom op het dorpsplein. " + "Meer tekst. " * 40)


def test_publish_checks_builds_compresses_and_deploys(site, tmp_path):
    write_small_site(site)
    target = tmp_path / "www"
    settings = site.settings(production=True, PUBLISH_TARGETS={"lokaal": f"dir:{target}"}, PUBLISH_TARGET="lokaal")
    steps = []
    report = publish(settings, progress=lambda step, done, total: steps.append(step))
    assert steps[:3] == ["Controleren", "Bouwen", "Comprimeren"] and "Kopiëren" in steps
    release = (target / "current").resolve()
    assert release.name == report.deploy.release
    page = release / "blog/2026/11/eerste-bericht/index.html"
    assert gzip.decompress((release / "blog/2026/11/eerste-bericht/index.html.gz").read_bytes()) == page.read_bytes()
    assert (release / "blog/2026/11/eerste-bericht/index.html.br").exists()
    assert "https://dorpsplein.voorbeeld.nl/" in page.read_text()  # publishconf: absolute addresses
    lines = summary_lines(report)
    assert lines[-1] == f"Live release: {report.deploy.release}"

    # A second publish of the same content: the rebuilt, recompressed site is byte-identical.
    again = publish(settings)
    assert (again.deploy.sent, again.deploy.deleted) == ([], [])
    assert summary_lines(again)[-1] == "The target is up to date; nothing was sent."


def test_content_errors_stop_publish_before_anything_is_built_or_sent(site, tmp_path):
    write_small_site(site)
    site.write("blog/kapot.md", "Title: Kapot\nDate: gisteren\n\nTekst.\n")
    target = tmp_path / "www"
    settings = site.settings(production=True, PUBLISH_TARGETS={"lokaal": f"dir:{target}"}, PUBLISH_TARGET="lokaal")
    with pytest.raises(DorpspleinError) as error:
        publish(settings)
    message = str(error.value)
    assert message.startswith("publish stopped: the content check found 1 error(s); nothing was built or sent:\n")
    assert "kapot.md:2: error: Date 'gisteren' is not a date" in message
    assert not target.exists() and not site.output.exists()


def test_cli_names_an_unknown_target_before_building(monkeypatch):
    monkeypatch.setenv("DORPSPLEIN_PUBLISH_TARGETS", '{"live": "dir:/srv/dorpsplein"}')
    result = CliRunner().invoke(tasks.cli, ["publish", "--target", "productie"])
    assert result.exit_code == 1
    assert result.output == "Error: unknown publish target 'productie'; PUBLISH_TARGETS has: live\n"


def test_cli_help_has_an_example():
    result = CliRunner().invoke(tasks.cli, ["publish", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "--dry-run" in result.output


def test_cli_dry_run_of_the_demo_site(tmp_path, monkeypatch):
    """The real demo content passes the gate and builds; the dry run lists files and sends nothing."""
    target = tmp_path / "www"
    monkeypatch.setenv("DORPSPLEIN_PUBLISH_TARGETS", f'{{"lokaal": "dir:{target}"}}')
    monkeypatch.setenv("DORPSPLEIN_OUTPUT_PATH", str(tmp_path / "output"))
    monkeypatch.setenv("DORPSPLEIN_CACHE_PATH", str(tmp_path / "cache"))
    result = CliRunner().invoke(tasks.cli, ["publish", "--target", "lokaal", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "  + index.html\n" in result.output and "Dry run: nothing was sent or deleted." in result.output
    assert not target.exists()
    assert os.path.exists(tmp_path / "output/index.html.gz")
