"""The click task runner: help everywhere, versions, exact error texts."""

from __future__ import annotations

import click
import pytest

from dorpsplein import __version__
from tasks import cli


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


COMMANDS = list(all_commands(cli))


def test_the_expected_commands_exist():
    assert {path[0] for path, _ in COMMANDS} >= {"build", "serve", "clean", "new", "check"}


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=" ".join)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help_with_an_example(runner, path, flag):
    result = runner.invoke(cli, [*path, flag])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "python tasks.py" in result.output


def test_group_help_and_version(runner):
    assert "Example:" in runner.invoke(cli, ["-h"]).output
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"dorpsplein, version {__version__}\n"


def test_build_writes_the_site(runner, site):
    site.post("a", "Eerste bericht", "2026-01-01 09:00")
    result = runner.invoke(cli, ["build", "--content", str(site.content), "--output", str(site.output)])
    assert result.exit_code == 0, result.output
    assert f"Built development site in {site.output}\n" in result.stdout
    assert (site.output / "blog/2026/01/eerste-bericht/index.html").is_file()


def test_production_build_with_bad_metadata_fails_with_the_reason(runner, site):
    site.post("a", "Slechte datum", "gisteren")
    result = runner.invoke(cli, ["build", "--production", "--content", str(site.content),
                                 "--output", str(site.output)])
    assert result.exit_code == 1
    assert ("Error: production build failed on warnings; the site was not changed:\n"
            "  - Could not process blog/a.md\n"
            "Run `python tasks.py check` for the file and line of each content problem.\n") in result.stderr
    assert "Traceback" not in result.output
    assert not site.output.exists()


def test_new_writes_a_correct_draft(runner, site):
    result = runner.invoke(cli, ["new", "Dorpsstraat weer open: feest & koffie!", "--category", "Werkzaamheden",
                                 "--tags", "verkeer, dorpsstraat", "--date", "2026-12-01 09:30",
                                 "--content", str(site.content)])
    assert result.exit_code == 0, result.output
    path = site.content / "blog/2026-12-01-dorpsstraat-weer-open-feest-koffie.md"
    assert result.stdout == f"Created {path}\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Title: Dorpsstraat weer open: feest & koffie!\nSlug: dorpsstraat-weer-open-feest-koffie\n"
                           "Date: 2026-12-01 09:30\n"
                           "Category: Werkzaamheden\nTags: verkeer, dorpsstraat\n")
    assert "Status: draft\n" in text
    # What `new` writes passes the content check and builds.
    checked = runner.invoke(cli, ["check", "--content", str(site.content)])
    assert checked.exit_code == 0, checked.output
    site.build()
    assert (site.output / "concepten/dorpsstraat-weer-open-feest-koffie/index.html").is_file()


def test_new_refuses_to_overwrite(runner, site):
    args = ["new", "Twee keer", "--date", "2026-12-01", "--content", str(site.content)]
    assert runner.invoke(cli, args).exit_code == 0
    path = site.content / "blog/2026-12-01-twee-keer.md"
    path.write_text("Title: Twee keer\nDate: 2026-12-01\n\nMijn tekst.\n", encoding="utf-8")
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: already exists; choose another title or date\n"
    assert "Mijn tekst." in path.read_text(encoding="utf-8")


def test_new_rejects_a_bad_date(runner, site):
    result = runner.invoke(cli, ["new", "Titel", "--date", "volgende week", "--content", str(site.content)])
    assert result.exit_code == 1
    assert result.stderr == "Error: --date: 'volgende week' is not a date; use e.g. 2026-12-01 09:00\n"


def test_new_publish_flag_leaves_out_draft_status(runner, site):
    runner.invoke(cli, ["new", "Meteen live", "--publish", "--date", "2026-01-05", "--content", str(site.content)])
    assert "Status:" not in (site.content / "blog/2026-01-05-meteen-live.md").read_text(encoding="utf-8")


def test_clean_removes_output_and_cache(runner, tmp_path, monkeypatch):
    import tasks

    (tmp_path / "output").mkdir()
    (tmp_path / ".cache").mkdir()
    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    monkeypatch.setenv("DORPSPLEIN_OUTPUT_PATH", str(tmp_path / "output"))
    result = runner.invoke(cli, ["clean"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "output").exists() and not (tmp_path / ".cache").exists()


def test_environment_overrides_a_setting(runner, site, monkeypatch):
    monkeypatch.setenv("DORPSPLEIN_SITENAME", "Dorpsplein Testdorp")
    site.post("a", "Bericht", "2026-01-01 09:00")
    site.build()
    assert "<title>Nieuws en berichten · Dorpsplein Testdorp</title>" in site.html("blog/index.html")


def test_bad_environment_value_names_the_variable(runner, monkeypatch):
    monkeypatch.setenv("DORPSPLEIN_DEFAULT_PAGINATION", "tien")
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert result.stderr == "Error: DORPSPLEIN_DEFAULT_PAGINATION: expected a whole number, got 'tien'\n"
