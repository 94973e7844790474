"""Readers see the store wholly before or wholly after a batch, while another process commits batches.

A real second process saves batches that rewrite every file (two states, alternately); this process
loads the store again and again meanwhile.  Every load must be one of the two states exactly.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from datetime import date

from conftest import ROOT
from paperarchive.merge import MergeResult, merge
from paperarchive.records import Entry
from paperarchive.store import Store, load_store, save_store

PAPERS = 80
BATCHES = 8

WRITER = """
import pickle, sys
from pathlib import Path
from paperarchive.merge import MergeResult
from paperarchive.store import load_store, lock_store, save_store

folder, states, batches = Path(sys.argv[1]), pickle.loads(Path(sys.argv[2]).read_bytes()), int(sys.argv[3])
for number in range(batches):
    with lock_store(folder):
        save_store(folder, load_store(folder), MergeResult(papers=states[(number + 1) % 2]))
"""


def _state(comments: int) -> dict:
    entries = [Entry(listing="2025-11-20.txt", line=n, listed=date(2025, 11, 20), title=f"Concurrent Paper {n}",
                     abstract=f"Abstract {n}.", comments=comments) for n in range(PAPERS)]
    return dict(merge(Store(), entries).papers)


def test_a_reader_never_sees_half_a_batch(tmp_path):
    states = [_state(1), _state(2)]
    folder = tmp_path / "papers"
    save_store(folder, Store(), MergeResult(papers=states[0]))
    (tmp_path / "states.pickle").write_bytes(pickle.dumps(states))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "build"), PAPERARCHIVE_CACHE_DIR="none")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(tmp_path / "states.pickle"), str(BATCHES)],
                              env=env, stderr=subprocess.PIPE, text=True)
    seen = {0: 0, 1: 0}
    try:
        while writer.poll() is None:
            store = load_store(folder)
            assert store.problems == ()
            papers = dict(store.papers)
            assert papers in states, "a load saw a mix of two batches"
            seen[states.index(papers)] += 1
            time.sleep(0.001)
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0, writer.stderr.read()
    assert seen[0] + seen[1] > 2, seen  # the reader really did read while the writer wrote
    assert dict(load_store(folder).papers) == states[BATCHES % 2]
