"""Real faults, real command: a full disk and a read-only store, on a small tmpfs in a private mount namespace.

`paperarchive ingest` says one ``paperarchive ingest: ...`` line and exits 1, never a traceback; an ingest
with nothing to write succeeds on a read-only store; a read-only store loads (for builds).  Needs
``unshare -m`` and ``mount`` (root, or a user namespace): elsewhere skipped with the reason, and
tests/test_ingest.py covers the same messages with simulated errors.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT

LISTINGS = FIXTURES / "store" / "listings"
DAY1, DAY2 = LISTINGS / "2025-11-20.txt", LISTINGS / "2025-11-21.txt"


def _own_mounts() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True, check=False)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not _own_mounts(), reason="needs `unshare -m` and mount (a private mount namespace)")


def in_private_mount(tmp_path, script: str) -> subprocess.CompletedProcess:
    """Run ``script`` (sh) with $STORE a fresh 64 KiB tmpfs; $PA runs `paperarchive`."""
    store = tmp_path / "papers"
    store.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "build"), PAPERARCHIVE_CACHE_DIR="none", STORE=str(store),
               PA=f"{sys.executable} -m paperarchive")
    prelude = 'set -u; mount -t tmpfs -o size=64k tmpfs "$STORE" || exit 99\n'
    return subprocess.run(["unshare", "-m", "sh", "-c", prelude + script], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_a_full_disk_is_one_line_and_leaves_the_store_as_it_was(tmp_path):
    done = in_private_mount(tmp_path, f"""
$PA ingest --store "$STORE" {DAY1} > /dev/null || exit 98
# fill the disk but for one block: the next batch cannot write its files
head -c $(( $(df -k --output=avail "$STORE" | tail -1) * 1024 - 4096 )) /dev/zero > "$STORE/.filler" 2>/dev/null
before=$(ls -A "$STORE" | tr '\\n' ' ')
$PA ingest --store "$STORE" {DAY1} {DAY2}; echo "exit $?"
after=$(ls -A "$STORE" | tr '\\n' ' ')
[ "$before" = "$after" ] && echo "same files"
""")
    store = tmp_path / "papers"
    assert done.stdout == "exit 1\nsame files\n", done.stderr
    assert done.stderr == f"paperarchive ingest: cannot write the store {store}: No space left on device; nothing in it was changed\n"


def test_a_read_only_store_loads_ingests_nothing_new_and_refuses_writes_in_one_line(tmp_path):
    done = in_private_mount(tmp_path, f"""
$PA ingest --store "$STORE" {DAY1} > /dev/null || exit 98
mount -o remount,ro "$STORE" || exit 97
$PA ingest --store "$STORE" {DAY1}; echo "exit $?"
$PA ingest --store "$STORE" {DAY2}; echo "exit $?"
python3_load='from paperarchive.store import load_store; s = load_store("'"$STORE"'"); print(len(s.papers), s.problems)'
{sys.executable} -c "$python3_load"
""")
    store = tmp_path / "papers"
    assert done.stdout == "added 0, updated 0, unchanged 4, problems 0\nexit 0\nexit 1\n4 ()\n", done.stderr
    assert done.stderr == f"paperarchive ingest: cannot write the store {store}: Read-only file system; nothing in it was changed\n"
