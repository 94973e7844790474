"""The real archive's cost, against the issue-8 budgets: prints one table.

    python3 benchmarks/build.py                 # medians of 3 runs (corpus: 580 listings, 9,877 papers)
    python3 benchmarks/build.py --quick         # 1 run of each
    python3 benchmarks/build.py --scale 50000   # also a synthetic 50,000-paper archive (slow)
    python3 benchmarks/build.py --related corpus 20000 50000   # related papers only: time, agreement
    python3 benchmarks/build.py --budget 3 [--compare OTHER_CHECKOUT]   # the build budget, side by side

``--budget N`` runs N rounds, each of: a cold ``paperarchive build`` (empty cache, empty site
folder), a bare ``mkdocs build`` of the same pages into an empty folder, a warm rebuild and a bare
rebuild, one after the other, so every ratio compares runs made under the same machine load (a
shared machine's load changes within minutes). ``--compare DIR`` adds the same two builds of another
checkout of the repository (e.g. the commit before a change) to every round.

Every measured run is a fresh process, as a user runs it:

* ingest: ``python -m paperarchive ingest`` of every listing into an empty store, then again
  with nothing new; "files written" compares every store file's (mtime, inode, sha256) before
  and after the second run.
* build: ``site.build`` (what ``paperarchive build`` calls; in a wrapper process only so that the
  process can print its own peak RSS). It renders the pages in as many processes as there are
  cores (rendering/parallel.py); "one process" is the same build with PAPERARCHIVE_JOBS=1 (no process forked:
  no parallel rendering, side job or related-papers prefetch), to show what the cores buy.
* bare MkDocs: ``mkdocs build`` of the same pages, written to disk by ``paperarchive generate``
  (untimed), with the same mkdocs.yml through INHERIT (the same theme and the same paperarchive
  plugin), i.e. what MkDocs itself costs on one core. The ratio build / bare is the budget line.
* caches (cache.py: the store's parse cache, each paper's topics, the related papers of an
  unchanged corpus) live in PAPERARCHIVE_CACHE_DIR: the build is
  measured cold (an empty cache folder per run: a fresh CI machine) and warm (a rebuild of the
  same store, as on a developer's machine or with the folder kept between CI runs).
* a rebuild ends when its new site is in place; the old site is deleted by a detached process
  (site.delete_in_background), which the benchmark waits for, untimed, before it starts the next run.
  MkDocs deletes its old site before it writes (clean_directory), so the bare rebuild's time includes it.
* memory: ru_maxrss of the build process and, separately, of its largest child (the forked side
  job): the two share their copy-on-write pages, so their sum is an upper bound.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTINGS = ROOT.parent / "shared" / "corpus" / "hf-daily" / "listings"
CONFIG = ROOT / "mkdocs.yml"
GB = 1_000_000_000
BUDGET = {"ingest": 10.0, "again": 3.0, "ratio": 1.15, "per_paper": 14_000, "max_papers": 70_000, "rss": 1 << 30,
          "page": 200_000}

BUILD_WRAPPER = r"""
import json, resource, sys
from pathlib import Path
from paperarchive import site
config, store, site_dir = sys.argv[1:4]
code = site.build(Path(config), Path(store), site_dir=Path(site_dir))
me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": code, "rss": me.ru_maxrss * 1024, "child_rss": children.ru_maxrss * 1024,
                  "cpu": me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime}), file=sys.stderr)
"""

BARE_WRAPPER = r"""
import json, resource, sys
from mkdocs.__main__ import cli
try:
    cli(["build", "-q", "-f", sys.argv[1]])
    code = 0
except SystemExit as exc:
    code = exc.code or 0
me = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"rc": code, "rss": me.ru_maxrss * 1024, "cpu": me.ru_utime + me.ru_stime}), file=sys.stderr)
"""


def env(root: Path = ROOT) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(root / "build"), PAPERARCHIVE_CACHE_DIR="none")


def timed(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    # The previous run's writes and deletions (a site of 36,000 files, flushed and discarded by the file
    # system in the background) must not land in this one: every run starts on a settled disk.
    os.sync()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command[:4])} ...\n{done.stderr[-3000:]}")
    return seconds, done


def last_json(stderr: str) -> dict:
    return json.loads(stderr.strip().splitlines()[-1])


# ---------------------------------------------------------------- ingest


def ingest(listings: Path, store: Path, cache: Path) -> float:
    files = sorted(str(p) for p in listings.glob("*.txt"))
    seconds, _ = timed([sys.executable, "-m", "paperarchive", "ingest", "--store", str(store), *files],
                       env=dict(env(), PAPERARCHIVE_CACHE_DIR=str(cache)))
    return seconds


def store_state(store: Path) -> dict[str, tuple[int, int, str]]:
    return {
        p.name: (p.stat().st_mtime_ns, p.stat().st_ino, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(store.iterdir())
    }


def measure_ingest(listings: Path, work: Path, runs: int) -> dict:
    empty, again, written = [], [], []
    for run in range(runs):
        store, cache = work / f"store-{run}", work / f"cache-{run}"
        empty.append(ingest(listings, store, cache))
        before = store_state(store)
        again.append(ingest(listings, store, cache))
        after = store_state(store)
        written.append(sum(1 for name in before.keys() | after.keys() if before.get(name) != after.get(name)))
    kept = work / "store"
    os.replace(work / f"store-{runs - 1}", kept)
    return {"empty": empty, "again": again, "written": max(written),
            "papers": sum(1 for p in kept.iterdir() if p.suffix == ".yml"), "store": kept}


# ---------------------------------------------------------------- build and bare MkDocs


def measure_build(store: Path, work: Path, runs: int) -> dict:
    """``runs`` cold builds (each with an empty cache folder: a fresh CI machine), then ``runs``
    warm ones (a rebuild of the same store: store parse cache, topics and related papers cached),
    then ``runs`` warm ones in one process (PAPERARCHIVE_JOBS=1)."""
    times: dict[str, list[float]] = {"cold": [], "warm": [], "serial": []}
    cpu: dict[str, list[float]] = {"cold": [], "warm": [], "serial": []}
    rss, child_rss, summaries = [], [], {}
    kinds = (("cold", lambda run: work / f"build-cache-{run}", {}),
             ("warm", lambda run: work / "build-cache-0", {}),
             ("serial", lambda run: work / "build-cache-0", {"PAPERARCHIVE_JOBS": "1"}))
    for kind, cache_of, extra_env in kinds:
        for run in range(runs):
            site_dir = work / "site"
            if kind == "cold":  # a fresh machine has no site/ either; a rebuild replaces (and deletes) the old one
                shutil.rmtree(site_dir, ignore_errors=True)
            took, done = timed([sys.executable, "-c", BUILD_WRAPPER, str(CONFIG), str(store), str(site_dir)],
                               env=dict(env(), PAPERARCHIVE_CACHE_DIR=str(cache_of(run)), **extra_env))
            old_site_gone(site_dir)
            usage = last_json(done.stderr)
            times[kind].append(took)
            cpu[kind].append(usage["cpu"])
            if kind != "serial":
                rss.append(usage["rss"])
                child_rss.append(usage["child_rss"])
            summaries[kind] = done.stderr.strip().splitlines()[-2]
    return {"seconds": times["cold"], "warm": times["warm"], "serial": times["serial"], "cpu": cpu, "rss": max(rss),
            "child_rss": max(child_rss), "summary": summaries["cold"], "warm_summary": summaries["warm"],
            "serial_summary": summaries["serial"], "site": work / "site"}


def generate_docs(store: Path, docs: Path) -> Path:
    """The same pages, as Markdown files (``paperarchive generate``), for the bare MkDocs runs."""
    timed([sys.executable, "-m", "paperarchive", "generate", "--config", str(CONFIG), "--store", str(store),
           "--out", str(docs)], env=env())
    return docs


def measure_bare(docs: Path, work: Path, runs: int) -> dict:
    config = bare_config(docs, work / "site-bare", work)
    fresh, again, rss = [], [], []
    for _ in range(runs):  # into an empty site folder, then over its own previous site (MkDocs deletes it first)
        for seconds, clean in ((fresh, True), (again, False)):
            if clean:
                shutil.rmtree(work / "site-bare", ignore_errors=True)
            took, done = timed([sys.executable, "-c", BARE_WRAPPER, str(config)], env=env(), cwd=ROOT)
            seconds.append(took)
            rss.append(last_json(done.stderr)["rss"])
    shutil.rmtree(work / "site-bare", ignore_errors=True)
    return {"seconds": fresh, "again": again, "rss": max(rss)}


def site_sizes(site_dir: Path) -> dict:
    total, pages = 0, []
    for path in site_dir.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            if path.suffix == ".html":
                pages.append((size, path.relative_to(site_dir).as_posix()))
    pages.sort(reverse=True)
    return {"bytes": total, "largest": pages[:3], "html_pages": len(pages)}


# ---------------------------------------------------------------- the budget, side by side


def build_once(root: Path, store: Path, site_dir: Path, cache: Path) -> tuple[float, float, str]:
    took, done = timed([sys.executable, "-c", BUILD_WRAPPER, str(CONFIG), str(store), str(site_dir)],
                       env=dict(env(root), PAPERARCHIVE_CACHE_DIR=str(cache)))
    old_site_gone(site_dir)
    return took, last_json(done.stderr)["cpu"], done.stderr.strip().splitlines()[-2]


def old_site_gone(site_dir: Path) -> float:
    """Wait until the old site a rebuild replaced is deleted (site.delete_in_background): that process's
    work must not land in the next measured run. Returns the seconds waited."""
    start = time.perf_counter()
    while any(site_dir.parent.glob(f"{site_dir.name}.old-*")):
        time.sleep(0.05)
    return time.perf_counter() - start


def bare_once(config: Path) -> tuple[float, float]:
    took, done = timed([sys.executable, "-c", BARE_WRAPPER, str(config)], env=env(), cwd=ROOT)
    return took, last_json(done.stderr)["cpu"]


def bare_config(docs: Path, site_dir: Path, work: Path) -> Path:
    config = work / f"bare-{site_dir.name}.yml"
    theme_dir = ROOT / "build" / "paperarchive" / "theme"
    config.write_text(
        f"INHERIT: {json.dumps(str(CONFIG))}\n"
        f"docs_dir: {json.dumps(str(docs))}\nsite_dir: {json.dumps(str(site_dir))}\n"
        f"theme:\n  name: material\n  custom_dir: {json.dumps(str(theme_dir))}\n",
        encoding="utf-8",
    )
    return config


def measure_budget(listings: Path, work: Path, rounds: int, compare: Path | None) -> list[str]:
    """Cold build, bare build, warm build, bare rebuild (and the same builds of ``compare``), per round:
    wall seconds, and CPU seconds of all their processes (less sensitive to a shared machine's load)."""
    store = work / "store"
    ingest(listings, store, work / "ingest-cache")
    docs = generate_docs(store, work / "docs")
    bare = bare_config(docs, work / "site-bare", work)
    builds = [("build", ROOT)] + ([("compare", compare)] if compare else [])
    rows: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    summaries: dict[str, str] = {}

    def record(key: str, took: float, seconds: float) -> None:
        rows.setdefault(key, []).append(took)
        cpu.setdefault(key, []).append(seconds)

    for run in range(rounds):
        for name, root in builds:
            shutil.rmtree(work / f"site-{name}", ignore_errors=True)
            shutil.rmtree(work / f"cache-{name}", ignore_errors=True)
            took, seconds, summaries[f"{name} cold"] = build_once(root, store, work / f"site-{name}", work / f"cache-{name}")
            record(f"{name} cold", took, seconds)
        shutil.rmtree(work / "site-bare", ignore_errors=True)
        record("bare cold", *bare_once(bare))
        for name, root in builds:
            took, seconds, summaries[f"{name} warm"] = build_once(root, store, work / f"site-{name}", work / f"cache-{name}")
            record(f"{name} warm", took, seconds)
        record("bare warm", *bare_once(bare))
        print(f"round {run + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in rows.items()), file=sys.stderr, flush=True)
    lines = [(f"== build budget, side by side: {rounds} rounds, {os.cpu_count()} cores, "
             f"load average {os.getloadavg()[0]:.1f} at the end ==")]
    for key, values in rows.items():
        lines.append(f"{key:16} {fmt_runs(values)}   CPU {fmt_runs(cpu[key])}")
    for name, _root in builds:
        for kind in ("cold", "warm"):
            ratios = [b / m for b, m in zip(rows[f"{name} {kind}"], rows[f"bare {kind}"], strict=False)]
            lines.append(f"ratio {name} / bare, {kind}: {min(ratios):.3f}-{max(ratios):.3f} "
                         f"(per round: {', '.join(f'{r:.3f}' for r in ratios)}; budget cold <= {BUDGET['ratio']}, warm < 1)")
    lines += [f"  {key}: {text}" for key, text in summaries.items()]
    return lines


# ---------------------------------------------------------------- related papers


RELATED_ONE = r"""
import json, resource, sys, time
sys.path[:0] = [sys.argv[1] + "/benchmarks", sys.argv[1] + "/build"]
import numpy as np
from related import corpus_papers, synthetic_papers  # benchmarks/related.py
from paperarchive import related as R
size, mode = sys.argv[2], sys.argv[3]
papers = sorted(corpus_papers() if size == "corpus" else synthetic_papers(int(size)), key=lambda p: p.id)
start = time.perf_counter()
matrix = R.tfidf_matrix([(p.title, p.abstract) for p in papers])
tfidf = time.perf_counter() - start
search = R.exact_neighbours if mode == "exact" else R.candidate_neighbours
start = time.perf_counter()
best = search(matrix, 5)
seconds = time.perf_counter() - start
np.save(sys.argv[4], best)
print(json.dumps({"papers": len(papers), "tfidf": tfidf, "seconds": seconds,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def measure_related(sizes: list[str], work: Path) -> list[str]:
    """Exact vs candidate search: seconds (TF-IDF excluded), peak RSS, agreement on the corpus."""
    import numpy as np

    work.mkdir(parents=True, exist_ok=True)
    lines = ["== related papers (top 5): exact all-pairs vs candidate search (related.candidate_neighbours) =="]
    results: dict[tuple[str, str], dict] = {}
    for size in sizes:
        for mode in ("exact", "candidates"):
            if mode == "exact" and size not in ("corpus", "10000", "20000"):
                continue  # minutes at 50k: quadratic
            out = work / f"{size}-{mode}.npy"
            _, done = timed([sys.executable, "-c", RELATED_ONE, str(ROOT), size, mode, str(out)], env=env())
            results[size, mode] = row = json.loads(done.stdout.strip().splitlines()[-1])
            lines.append(f"{size:>7} {row['papers']:6,d} papers  {mode:10}  {row['seconds']:6.2f} s "
                         f"(+ tf-idf {row['tfidf']:.2f} s)  peak RSS {mb(row['rss'])}")
    for size in sizes:
        if (size, "exact") in results:
            exact, found = np.load(work / f"{size}-exact.npy"), np.load(work / f"{size}-candidates.npy")
            shared = sum(len(set(a[a >= 0]) & set(b[b >= 0])) for a, b in zip(exact, found, strict=False))
            total = int((exact >= 0).sum())
            same = float(np.mean([(a == b).all() for a, b in zip(exact, found, strict=False)]))
            lines.append(f"{size:>7} agreement with the exact top 5: {100 * shared / max(1, total):.1f} % of neighbours, "
                         f"{100 * same:.1f} % of lists identical (order included)")
    candidate_rows = [(results[s, "candidates"]["papers"], results[s, "candidates"]["seconds"])
                      for s in sizes if (s, "candidates") in results]
    if len(candidate_rows) >= 2:
        (n0, t0), (n1, t1) = candidate_rows[0], candidate_rows[-1]
        lines.append(f"candidate search growth {n0:,} -> {n1:,} papers (x{n1 / n0:.1f}): time x{t1 / t0:.1f}")
    return lines


# ---------------------------------------------------------------- the table


def fmt_runs(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} s  (runs: {', '.join(f'{v:.2f}' for v in values)})"


def mb(n: float) -> str:
    return f"{n / 2**20:7.0f} MB"


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def report_size(label: str, ing: dict, built: dict, bare: dict | None, sizes: dict, real: bool = True) -> list[str]:
    """One size's lines. The ingest and memory budgets are the real (~10k) archive's: at a synthetic
    size they are shown, not judged; bytes per paper and page size hold at any size."""
    papers = ing["papers"]
    judge = verdict if real else (lambda ok: "(a budget for the real ~10k archive)")
    b = statistics.median(built["seconds"])
    per_paper = sizes["bytes"] / papers
    largest = sizes["largest"][0]
    lines = [
        f"== {label}: {papers:,} papers ==",
        (f"ingest, empty store            {fmt_runs(ing['empty'])}   budget <= {BUDGET['ingest']:.0f} s   "
        f"{judge(statistics.median(ing['empty']) <= BUDGET['ingest'])}"),
        (f"ingest again, nothing new      {fmt_runs(ing['again'])}   budget <= {BUDGET['again']:.0f} s   "
        f"{judge(statistics.median(ing['again']) <= BUDGET['again'])}"),
        f"  store files written          {ing['written']:7d}     budget 0   {verdict(ing['written'] == 0)}",
        (f"paperarchive build, cold cache {fmt_runs(built['seconds'])}   (search index, API, feeds included; "
        f"CPU {statistics.median(built['cpu']['cold']):.1f} s in all processes)"),
        f"  {built['summary']}",
        (f"paperarchive build, warm cache {fmt_runs(built['warm'])}   (a rebuild of the same store; "
        f"CPU {statistics.median(built['cpu']['warm']):.1f} s)"),
        f"  {built['warm_summary']}",
        f"  the same, one process        {fmt_runs(built['serial'])}   (PAPERARCHIVE_JOBS=1: nothing forked)",
        f"  {built['serial_summary']}",
    ]
    if bare is not None:
        m = statistics.median(bare["seconds"])
        m2 = statistics.median(bare["again"])
        w = statistics.median(built["warm"])
        lines += [
            f"bare mkdocs build, same pages  {fmt_runs(bare['seconds'])}   (into an empty site folder)",
            f"  again, over its old site     {fmt_runs(bare['again'])}   (MkDocs deletes the old site first)",
            (f"  ratio build / bare, cold     {b / m:7.3f}     budget <= {BUDGET['ratio']}   {verdict(b / m <= BUDGET['ratio'])}"
            "   (both into an empty folder)"),
            (f"  ratio build / bare, warm     {w / m2:7.3f}     budget <= {BUDGET['ratio']}   "
             f"{verdict(w / m2 <= BUDGET['ratio'])}"
            "   (both replacing their old site)"),
            (f"  our own work, one process    {statistics.median(built['serial']) - m2:7.2f} s"
            "   (a rebuild in one process minus the bare rebuild: what the pipeline adds on one core)"),
        ]
    lines += [
        f"published bytes                {sizes['bytes'] / 2**20:7.1f} MB in site/ ({sizes['html_pages']:,} HTML pages)",
        (f"  bytes per paper              {per_paper:7.0f} B    budget <= {BUDGET['per_paper']:,}   "
        f"{verdict(per_paper <= BUDGET['per_paper'])}"),
        (f"  max papers in 1 GB           {GB / per_paper:7.0f}      budget >= {BUDGET['max_papers']:,}   "
        f"{verdict(GB / per_paper >= BUDGET['max_papers'])}"),
        f"peak RSS, build process        {mb(built['rss'])}   budget <= 1024 MB   {judge(built['rss'] <= BUDGET['rss'])}",
        f"  largest child (side job)     {mb(built['child_rss'])}   (shares copy-on-write pages with the build)",
    ]
    if bare is not None:
        lines.append(f"  bare mkdocs process          {mb(bare['rss'])}")
    lines.append("largest HTML pages             " + "; ".join(f"{p} {s / 1000:.0f} KB" for s, p in sizes["largest"])
                 + f"   budget <= 200 KB   {verdict(largest[0] <= BUDGET['page'])}")
    return lines


def run_size(label: str, listings: Path, work: Path, runs: int, bare: bool) -> tuple[list[str], dict]:
    print(f"[{label}] ingest ...", file=sys.stderr, flush=True)
    ing = measure_ingest(listings, work, runs)
    print(f"[{label}] build ...", file=sys.stderr, flush=True)
    built = measure_build(ing["store"], work, runs)
    sizes = site_sizes(built["site"])
    bare_result = None
    if bare:
        print(f"[{label}] bare mkdocs ...", file=sys.stderr, flush=True)
        bare_result = measure_bare(generate_docs(ing["store"], work / "docs"), work, runs)
    numbers = {"papers": ing["papers"], "build": statistics.median(built["seconds"]), "rss": built["rss"],
               "cpu": statistics.median(built["cpu"]["cold"]), "bytes": sizes["bytes"]}
    return report_size(label, ing, built, bare_result, sizes, real=bare), numbers


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one run of each measurement instead of three")
    ap.add_argument("--scale", type=int, default=0, metavar="N", help="also N synthetic papers (benchmarks/synth.py)")
    ap.add_argument("--listings", type=Path, default=LISTINGS)
    ap.add_argument("--related", nargs="*", metavar="SIZE", default=None,
                    help="only the related-papers measurement, at these sizes (default: corpus 20000 50000)")
    ap.add_argument("--budget", type=int, default=0, metavar="ROUNDS",
                    help="only the build budget: ROUNDS rounds of cold build, bare build, warm build, bare rebuild")
    ap.add_argument("--compare", type=Path, default=None, metavar="CHECKOUT",
                    help="with --budget: also time the build of another checkout of this repository")
    args = ap.parse_args(argv)
    if not args.listings.is_dir():
        print(f"{args.listings}: absent (this benchmark needs ../shared beside the repo)", file=sys.stderr)
        return 2
    if args.related is not None:
        with tempfile.TemporaryDirectory(prefix="paperarchive-bench-") as tmp:
            print("\n".join(measure_related(args.related or ["corpus", "20000", "50000"], Path(tmp))))
        return 0
    if args.budget:
        with tempfile.TemporaryDirectory(prefix="paperarchive-bench-") as tmp:
            print("\n".join(measure_budget(args.listings, Path(tmp), args.budget, args.compare)))
        return 0
    runs = 1 if args.quick else 3
    lines = [(f"benchmarks/build.py: {'1 run' if runs == 1 else f'median of {runs} runs'}, "
             f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")]
    with tempfile.TemporaryDirectory(prefix="paperarchive-bench-") as tmp:
        corpus_lines, small = run_size("corpus", args.listings, Path(tmp) / "corpus", runs, bare=True)
        lines += corpus_lines
        shutil.rmtree(Path(tmp) / "corpus", ignore_errors=True)
        if args.scale:
            synth = Path(tmp) / "synth-listings"
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), str(args.scale), "--out", str(synth)],
                           check=True, capture_output=True)
            # one run at scale: it is the growth that matters, and it takes minutes
            scale_lines, big = run_size(f"synthetic {args.scale:,}", synth, Path(tmp) / "scale", 1, bare=False)
            lines += scale_lines
            growth = big["papers"] / small["papers"]
            lines.append(
                f"== growth {small['papers']:,} -> {big['papers']:,} papers (x{growth:.2f}): build time "
                f"x{big['build'] / small['build']:.2f} (CPU x{big['cpu'] / small['cpu']:.2f}), peak RSS "
                f"x{big['rss'] / small['rss']:.2f}, published bytes x{big['bytes'] / small['bytes']:.2f} "
                f"(linear: ratios near x{growth:.2f}; cold builds) =="
            )
            marginal = (big["bytes"] - small["bytes"]) / (big["papers"] - small["papers"])
            fixed = small["bytes"] - marginal * small["papers"]
            lines.append(
                f"   each added paper publishes {marginal:,.0f} B: 1 GB holds {(GB - fixed) / marginal:,.0f} papers "
                f"(budget >= {BUDGET['max_papers']:,}   {verdict((GB - fixed) / marginal >= BUDGET['max_papers'])})"
            )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
