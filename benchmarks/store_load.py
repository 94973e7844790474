"""CPU seconds of ``load_store`` from a cold parse cache: prints medians, optionally beside another checkout.

    python3 benchmarks/store_load.py STORE [--runs 7] [--jobs 1] [--cache off|empty] [--compare OTHER/build]

Each run is a fresh process that loads STORE once; its CPU time is this process's plus the forked
half's (``time.process_time`` and ``RUSAGE_CHILDREN``), the steady figure on a shared machine.
``--cache off`` is PAPERARCHIVE_CACHE_DIR=none (as a cold build); ``--cache empty`` an empty cache
folder, so the load writes the cache too.  ``--compare`` alternates the runs with the package in
another ``build/`` folder (e.g. an export of main's), so both see the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUILD = Path(__file__).resolve().parent.parent / "build"


def load_once(store: str) -> dict:
    """Load ``store`` in this process; the package comes from PYTHONPATH (the build folder measured)."""
    from paperarchive.store import load_store

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu, wall = time.process_time(), time.perf_counter()
    loaded = load_store(Path(store))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    return {"cpu": cpu + child, "child": child, "wall": wall, "papers": len(loaded.papers), "problems": len(loaded.problems)}


def run_in(build: Path, store: str, jobs: str | None, cache: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPATH=str(build), PAPERARCHIVE_CACHE_DIR="none" if cache == "off" else tmp)
        if jobs:
            env["PAPERARCHIVE_JOBS"] = jobs
        done = subprocess.run([sys.executable, __file__, "--child", store], env=env, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            sys.exit(f"load failed in {build}: {done.stderr[-2000:]}")
        return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--jobs", help="PAPERARCHIVE_JOBS for the loads (1: no fork)")
    parser.add_argument("--cache", choices=("off", "empty"), default="off")
    parser.add_argument("--compare", type=Path, help="another checkout's build/ folder, measured alternately")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(load_once(args.store)))
        return
    builds = {"this": BUILD, **({"other": args.compare} if args.compare else {})}
    found: dict[str, list[dict]] = {name: [] for name in builds}
    for _ in range(args.runs):
        for name, build in builds.items():
            found[name].append(run_in(build, args.store, args.jobs, args.cache))
    for name, rows in found.items():
        cpu = [r["cpu"] for r in rows]
        child = statistics.median(r["child"] for r in rows)
        print(f"{name} ({builds[name]}): load_store CPU median {statistics.median(cpu):.3f} s "
              f"[{', '.join(f'{c:.2f}' for c in cpu)}], of which forked half {child:.3f} s; "
              f"wall median {statistics.median(r['wall'] for r in rows):.3f} s; {rows[0]['papers']} papers, "
              f"{rows[0]['problems']} problems")


if __name__ == "__main__":
    main()
