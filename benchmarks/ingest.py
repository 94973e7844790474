"""Measure `paperarchive ingest` on the real corpus (issue 8 budget): prints medians of 3 runs.

    python3 benchmarks/ingest.py [LISTINGS_DIR]

1. all listings into an empty store (budget 10 s);
2. the same listings again, nothing new (budget 3 s, zero files written), with the
   parse cache warm (as after any ingest) and cold (PAPERARCHIVE_CACHE_DIR=none).
Each run is the real command in a fresh process, as a user runs it.
3. the store cache path alone: ``store.load_store`` of the stored papers with a warm cache, in this
   process (CPU time as well as wall time: on a shared machine CPU time is the steadier figure).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "build"))

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "hf-daily" / "listings"
RUNS = 3


def ingest(files: list[Path], store: Path, cache: str) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "build"), PAPERARCHIVE_CACHE_DIR=cache)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "paperarchive", "ingest", "--store", str(store), *map(str, files)],
                          env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, done.stdout.strip()


def snapshot(store: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in store.iterdir()}


def load_times(store: Path, cache: str, runs: int = 5) -> tuple[list[float], list[float]]:
    """CPU and wall seconds of load_store with the parse cache warm, one process (no fork)."""
    os.environ.update(PAPERARCHIVE_CACHE_DIR=cache, PAPERARCHIVE_JOBS="1")
    from paperarchive.store import load_store

    load_store(store)
    cpu, wall = [], []
    for _ in range(runs):
        started_cpu, started = time.process_time(), time.perf_counter()
        load_store(store)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return cpu, wall


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    files = sorted(folder.glob("*.txt"))
    if not files:
        sys.exit(f"no listings in {folder}")
    empty, warm, cold, written = [], [], [], []
    summary = ""
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(RUNS):
            store = Path(tmp) / f"papers-{run}"
            cache = str(Path(tmp) / f"cache-{run}")
            seconds, summary = ingest(files, store, cache)
            empty.append(seconds)
            before = snapshot(store)
            seconds, again = ingest(files, store, cache)
            warm.append(seconds)
            seconds, _ = ingest(files, store, "none")
            cold.append(seconds)
            after = snapshot(store)
            written.append(sum(1 for name in set(before) | set(after) if before.get(name) != after.get(name)))
        papers = len(list(store.glob("*.yml")))
        load_cpu, load_wall = load_times(store, str(Path(tmp) / "cache-load"))
    print(f"listings: {len(files)}, papers stored: {papers}  ({summary})")
    print(f"ingest into an empty store: median {statistics.median(empty):.2f} s of {RUNS} "
          f"({', '.join(f'{s:.2f}' for s in empty)})  budget 10 s")
    print(f"ingest again, nothing new:  median {statistics.median(warm):.2f} s of {RUNS} "
          f"({', '.join(f'{s:.2f}' for s in warm)})  budget 3 s  [{again}]")
    print(f"  same, parse cache off:    median {statistics.median(cold):.2f} s of {RUNS} "
          f"({', '.join(f'{s:.2f}' for s in cold)})")
    print(f"files written by the repeat runs: {max(written)}  budget 0")
    print(f"load_store, parse cache warm: median {statistics.median(load_cpu):.2f} s CPU, "
          f"{statistics.median(load_wall):.2f} s wall of {len(load_cpu)}")


if __name__ == "__main__":
    main()
