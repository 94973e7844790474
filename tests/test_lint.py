"""ruff keeps the floor clean: the configuration in pyproject.toml, over the package, tests and benchmarks."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing():
    found = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "build", "tests", "benchmarks"],
                           cwd=ROOT, capture_output=True, text=True)
    assert found.returncode == 0, found.stdout + found.stderr


def test_ruff_fails_on_a_finding(tmp_path):
    """The check above can fail: an unused import is a finding."""
    (tmp_path / "bad.py").write_text("import os\n", encoding="utf-8")
    found = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "bad.py"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert found.returncode == 1 and "F401" in found.stdout
