"""The CI files: valid YAML, the flow the issue asks for, and only commands that exist."""

import re
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import tasks
from dorpsplein.settings import ROOT

GITHUB = sorted((ROOT / ".github/workflows").glob("*.yml"))
GITLAB = ROOT / ".gitlab-ci.yml"
SEPARATORS = {"&&", "||", ";", "|"}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def github_scripts(path: Path) -> list[str]:
    return [step["run"] for job in load(path)["jobs"].values() for step in job["steps"] if "run" in step]


def gitlab_scripts() -> list[str]:
    scripts = []
    for job in load(GITLAB).values():
        if isinstance(job, dict) and "script" in job:
            for key in ("before_script", "script", "after_script"):
                scripts += [line for line in job.get(key, []) if isinstance(line, str)]
    return scripts


def test_every_gitlab_script_line_is_a_string():
    """A `key: value` inside an unquoted line turns it into a mapping, which GitLab refuses."""
    for name, job in load(GITLAB).items():
        if isinstance(job, dict):
            for key in ("before_script", "script", "after_script"):
                assert all(isinstance(line, str) for line in job.get(key, [])), (name, key)


def all_scripts() -> list[str]:
    return [script for path in GITHUB for script in github_scripts(path)] + gitlab_scripts()


def task_invocations(script: str) -> list[list[str]]:
    """The arguments of every `python tasks.py …` in a shell script."""
    invocations = []
    for line in script.replace("\\\n", " ").splitlines():
        line = line.split(" #")[0]
        if "tasks.py" not in line:
            continue
        tokens = shlex.split(line)
        for index, token in enumerate(tokens):
            if token.endswith("tasks.py"):
                args = []
                for arg in tokens[index + 1:]:
                    if arg in SEPARATORS:
                        break
                    args.append(arg.rstrip(";"))
                invocations.append(args)
    return invocations


def test_there_are_workflows_for_both_hosts():
    assert {p.name for p in GITHUB} == {"merge-request.yml", "publish.yml", "newsletter.yml"}
    assert GITLAB.exists()


@pytest.mark.parametrize("path", GITHUB, ids=lambda p: p.name)
def test_github_workflow_shape(path):
    workflow = load(path)
    assert workflow["name"] and triggers(workflow)
    for job in workflow["jobs"].values():
        assert job["runs-on"] and job["steps"]
        assert all(("run" in step) != ("uses" in step) for step in job["steps"])


def test_every_secret_is_a_dorpsplein_variable():
    text = "".join(p.read_text() for p in GITHUB)
    names = set(re.findall(r"secrets\.([A-Z0-9_]+)", text)) | set(re.findall(r"vars\.([A-Z0-9_]+)", text))
    assert names and all(name.startswith("DORPSPLEIN_") for name in names), names


def test_merge_requests_run_tests_check_build_and_a_dry_run_of_social_push():
    workflow = load(ROOT / ".github/workflows/merge-request.yml")
    assert "pull_request" in triggers(workflow)
    github = github_scripts(ROOT / ".github/workflows/merge-request.yml")
    for scripts in (github, load(GITLAB)["merge-request"]["script"]):
        text = "\n".join(scripts)
        for needed in (".ci/run", "tasks.py check", "tasks.py build --production", "tasks.py social push --dry-run"):
            assert needed in text
        assert "tasks.py publish" not in text and "push --dry-run" in text


def test_main_publishes_then_posts_then_commits_the_ledger():
    workflow = load(ROOT / ".github/workflows/publish.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"] and "schedule" in triggers(workflow)
    assert workflow["concurrency"]["cancel-in-progress"] is False
    for text in ("\n".join(github_scripts(ROOT / ".github/workflows/publish.yml")),
                 "\n".join(load(GITLAB)["publish"]["script"])):
        order = [text.index(part) for part in ("tasks.py publish", "tasks.py social push", "git add state/",
                                               "git commit", "git push")]
        assert order == sorted(order)
        assert "social push --dry-run" not in text


def test_schedules_send_the_newsletter_monthly_and_import_analytics():
    newsletter = load(ROOT / ".github/workflows/newsletter.yml")
    assert triggers(newsletter)["schedule"][0]["cron"].split()[2:] == ["2", "*", "*"]  # a monthly day
    assert "tasks.py newsletter send --production --list extern" in "\n".join(
        github_scripts(ROOT / ".github/workflows/newsletter.yml"))
    assert "tasks.py analytics" in "\n".join(github_scripts(ROOT / ".github/workflows/publish.yml"))
    gitlab = load(GITLAB)
    assert any("monthly" in rule["if"] for rule in gitlab["newsletter"]["rules"])
    assert "tasks.py analytics" in "\n".join(gitlab["publish"]["script"])


INVOCATIONS = sorted({tuple(args) for script in all_scripts() for args in task_invocations(script)})


def test_the_workflows_run_commands_at_all():
    assert len(INVOCATIONS) >= 8


@pytest.mark.parametrize("args", INVOCATIONS, ids=" ".join)
def test_every_command_and_option_a_workflow_uses_exists(args):
    """click parses the whole line (unknown commands and options fail) before --help answers."""
    result = CliRunner().invoke(tasks.cli, [*args, "--help"])
    assert result.exit_code == 0, result.output


def test_every_make_target_a_workflow_uses_exists():
    makefile = (ROOT / "Makefile").read_text()
    used = {target for script in all_scripts() for target in re.findall(r"\bmake (\w[\w-]*)", script)}
    assert used
    for target in used:
        assert re.search(rf"^{target}:", makefile, re.MULTILINE) or re.search(rf"^\.PHONY:.*\b{target}\b", makefile,
                                                                              re.MULTILINE), target
