"""The CI files: valid YAML, the flow the issue asks for, only commands that exist, each given the variables it
declares (tasks.ci_environment), pinned and clean for zizmor, valid against the GitHub and GitLab schemas."""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
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


# --- Each command gets the variables it declares (tasks.ci_environment), zizmor, the schemas. ---

TOOLS = Path(sys.executable).parent  # zizmor and check-jsonschema come with requirements-dev.txt


def declared_environment(args: list[str]) -> set[str]:
    """The variables tasks.py declares for this command line (with its flags), via click's own parser."""
    command, rest = tasks.cli, list(args)
    while isinstance(command, click.Group):
        name, rest = rest[0], rest[1:]
        command = command.commands[name]
    names, when, unless = getattr(command, "ci_environment", ((), None, None))
    params = command.make_context(command.name, rest, resilient_parsing=True).params
    needed = (when is None or params.get(when)) and not (unless and params.get(unless))
    return set(names) if needed else set()


def missing_in_github(workflow: dict) -> list[str]:
    """`job/step: command lacks VARIABLE` for every variable a command run by a step is not given."""
    missing = []
    for job_name, job in workflow["jobs"].items():
        for step in job["steps"]:
            given = {*workflow.get("env", {}), *job.get("env", {}), *step.get("env", {})}
            for args in task_invocations(step.get("run", "")):
                missing += [f"{job_name}/{step.get('name', step.get('id'))}: {' '.join(args)} lacks {name}"
                            for name in sorted(declared_environment(args) - given)]
    return missing


def missing_in_gitlab(pipeline: dict) -> list[str]:
    missing = []
    for job_name, job in pipeline.items():
        if isinstance(job, dict) and "script" in job:
            given = {*pipeline.get("variables", {}), *job.get("variables", {})}
            for line in job.get("before_script", []) + job["script"]:
                for args in task_invocations(line):
                    missing += [f"{job_name}: {' '.join(args)} lacks {name}"
                                for name in sorted(declared_environment(args) - given)]
    return missing


def test_commands_declare_what_they_need():
    assert declared_environment(["newsletter", "send", "--production", "--list", "extern"]) == {
        "DORPSPLEIN_SITEURL", "DORPSPLEIN_FORMS_URL", "DORPSPLEIN_SMTP_URL", "DORPSPLEIN_SECRET_KEY",
        "DORPSPLEIN_DATABASE_URL"}
    assert declared_environment(["social", "push", "--dry-run"]) == set()
    assert declared_environment(["build"]) == set()
    assert "DORPSPLEIN_MASTODON_TOKEN" in declared_environment(["social", "push"])


@pytest.mark.parametrize("path", GITHUB, ids=lambda p: p.name)
def test_every_github_step_maps_the_variables_its_commands_need(path):
    assert missing_in_github(load(path)) == []


def test_every_gitlab_job_maps_the_variables_its_commands_need():
    assert missing_in_gitlab(load(GITLAB)) == []


def test_a_variable_left_out_is_reported():
    workflow = load(ROOT / ".github/workflows/newsletter.yml")
    del workflow["jobs"]["send"]["env"]["DORPSPLEIN_SECRET_KEY"]
    assert missing_in_github(workflow) == [
        "send/Send to the external list: newsletter send --production --list extern lacks DORPSPLEIN_SECRET_KEY",
        "send/Send to the internal list: newsletter send --production --list intern lacks DORPSPLEIN_SECRET_KEY"]
    pipeline = load(GITLAB)
    del pipeline["variables"]["DORPSPLEIN_FORMS_URL"]
    assert "publish: publish lacks DORPSPLEIN_FORMS_URL" in missing_in_gitlab(pipeline)


def test_actions_are_pinned_checkouts_keep_no_credentials_and_run_blocks_expand_nothing():
    for path in GITHUB:
        for job in load(path)["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), (path.name, step["uses"])
                    assert re.search(re.escape(step["uses"]) + r" # v\d", path.read_text()), "a version comment"
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, path.name
                assert "${{" not in step.get("run", ""), (path.name, step.get("name"))


def test_social_pushes_never_overlap_and_the_ledger_is_always_committed_once_pushing_began():
    for path in GITHUB:
        workflow = load(path)
        for job in workflow["jobs"].values():
            steps = job["steps"]
            pushing = [i for i, step in enumerate(steps)
                       if any(args[:2] == ["social", "push"] and "--dry-run" not in args
                              for args in task_invocations(step.get("run", "")))]
            if not pushing:
                continue
            assert workflow["concurrency"]["group"] and workflow["concurrency"]["cancel-in-progress"] is False
            push = steps[pushing[0]]
            commit = next(step for step in steps[pushing[0] + 1:] if "git add state/" in step.get("run", ""))
            assert "always()" in commit["if"] and f"steps.{push['id']}." in commit["if"], commit["if"]
    job = load(GITLAB)["publish"]
    assert job["resource_group"]
    push = next(i for i, line in enumerate(job["script"]) if "tasks.py social push" in line)
    assert job["script"][push].endswith("|| pushed=$?")  # a failed push cannot end the script before the commit
    assert any("git add state/" in line for line in job["script"][push + 1:])
    assert job["script"][-1] == "exit $pushed"


def run_tool(*args: str) -> subprocess.CompletedProcess:
    tool = TOOLS / args[0]
    assert tool.exists(), f"{tool}: install requirements-dev.txt"
    environ = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    return subprocess.run([str(tool), *args[1:]], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**environ, "ZIZMOR_OFFLINE": "true", "NO_COLOR": "1"})


def test_zizmor_finds_nothing_offline():
    result = run_tool("zizmor", "--offline", "--no-progress", "--format", "json", *map(str, GITHUB))
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("schema, paths", [("vendor.github-workflows", GITHUB), ("vendor.gitlab-ci", [GITLAB])],
                         ids=["github", "gitlab"])
def test_the_workflows_validate_against_the_builtin_schemas(schema, paths):
    result = run_tool("check-jsonschema", "--builtin-schema", schema, *map(str, paths))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout
