"""An ingest killed with SIGKILL at any moment leaves the store as before or as after; the next one completes it.

Real processes, real SIGKILL: at chosen steps of the save (PAPERARCHIVE_KILL_AT=phase:N makes the
ingest kill itself there) and at random moments from outside.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from paperarchive.store import load_store

PAPERS = 300


def papers_text(numbers: range, day: int, comments: int) -> str:
    lines: list[str] = []
    for i in numbers:
        lines += [f"Crash Paper Number {i}", "", f"Abstract of paper {i}: it says {'words ' * 20}".strip(), "",
                  "  • 3 authors", "·", f"Nov {day} {comments + i % 3}", ""]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """A store 'before', the listings of the next ingest, and the store 'after' it (files by name)."""
    base = tmp_path_factory.mktemp("crash")
    first, second = base / "2025-11-20.txt", base / "2025-11-21.txt"
    first.write_text("Daily Papers\n\nNov 20\n\n" + papers_text(range(PAPERS), 18, 1), "utf-8")
    # the next day: every known paper gets new counts, and as many new papers arrive
    second.write_text("Daily Papers\n\nNov 21\n\n" + papers_text(range(2 * PAPERS), 18, 4), "utf-8")
    before = base / "before"
    assert ingest([first], before).returncode == 0
    after = base / "after"
    shutil.copytree(before, after)
    assert ingest([second], after).returncode == 0
    assert len(files_of(after)) == 2 * PAPERS
    return base, [second], files_of(before), files_of(after)


def ingest(files, store: Path, kill_at: str | None = None, **popen) -> subprocess.CompletedProcess | subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "build"), PAPERARCHIVE_CACHE_DIR="none")
    env.pop("PAPERARCHIVE_KILL_AT", None)
    if kill_at:
        env["PAPERARCHIVE_KILL_AT"] = kill_at
    command = [sys.executable, "-m", "paperarchive", "ingest", "--store", str(store), *map(str, files)]
    if popen:
        return subprocess.Popen(command, env=env, **popen)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def logical(folder: Path) -> dict:
    store = load_store(folder)
    assert store.problems == ()
    return dict(store.papers)


def check_then_complete(scenario, store: Path) -> str:
    """The killed store reads as before or after; the next ingest leaves exactly 'after' and no debris."""
    base, files, before, after = scenario
    seen = logical(store)
    state = "before" if seen == logical_of(base, before) else "after"
    assert seen == logical_of(base, after if state == "after" else before)
    done = ingest(files, store)
    assert done.returncode == 0, done.stderr
    assert files_of(store) == after
    return state


_LOGICAL: dict[int, dict] = {}


def logical_of(base: Path, files: dict[str, bytes]) -> dict:
    key = id(files)
    if key not in _LOGICAL:
        folder = base / f"logical-{len(_LOGICAL)}"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        _LOGICAL[key] = logical(folder)
    return _LOGICAL[key]


@pytest.mark.parametrize(
    ("kill_at", "expected"),
    [
        ("pending:1", "before"),
        ("pending:250", "before"),
        ("commit:1", "before"),
        ("rename:1", "after"),
        ("rename:299", "after"),
        ("rename:600", "after"),
        ("finish:1", "after"),
    ],
)
def test_killed_at_each_step_of_the_save(scenario, tmp_path, kill_at, expected):
    _, files, before, _ = scenario
    store = tmp_path / "papers"
    store.mkdir()
    for name, data in before.items():
        (store / name).write_bytes(data)
    killed = ingest(files, store, kill_at=kill_at)
    assert killed.returncode == -signal.SIGKILL
    if expected == "after":
        assert (store / ".commit.json").exists()  # killed past the commit point, mid-way
    assert check_then_complete(scenario, store) == expected


def test_killed_at_random_moments(scenario, tmp_path):
    base, files, _, _ = scenario
    start = time.monotonic()
    assert ingest(files, shutil.copytree(base / "before", tmp_path / "timing")).returncode == 0
    duration = time.monotonic() - start
    chance = random.Random(20251121)
    states = []
    for attempt in range(6):
        store = tmp_path / f"papers-{attempt}"
        shutil.copytree(base / "before", store)
        process = ingest(files, store, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.2, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        states.append(check_then_complete(scenario, store))
    assert set(states) <= {"before", "after"}
