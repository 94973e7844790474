"""Related papers at scale: seconds and peak memory at the real corpus (~10k) and at 50k synthetic.

    python3 benchmarks/related.py            # corpus, then 50,000 synthetic papers
    python3 benchmarks/related.py 10000 20000 50000
    python3 benchmarks/related.py --build-cpu 5   # CPU as in a cold build (forked worker), 5 runs

Each size runs in its own process so that peak RSS is that size's own.  "wall" is elapsed
time, "cpu" is CPU time of the process (BLAS may use more than one core), "rss+" is peak RSS
minus RSS before the call (the papers themselves excluded).  It also prints a few papers and
their related papers, to eyeball the quality.  Needs ../shared/corpus (the real listings).
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))

from paperarchive.records import Paper, fold_title, slug_for_title  # noqa: E402
from paperarchive.related import Prefetch, related_papers  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "hf-daily" / "expected.jsonl"
EXAMPLES = 6


def corpus_papers() -> list[Paper]:
    """The corpus papers, deduplicated by folded title, ids as the store would give them."""
    seen: set[str] = set()
    taken: set[str] = set()
    papers = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if fold_title(record["title"]) in seen:
            continue
        seen.add(fold_title(record["title"]))
        paper_id = base = slug_for_title(record["title"])
        suffix = 2
        while paper_id in taken:
            paper_id, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(paper_id)
        papers.append(Paper(id=paper_id, title=record["title"], abstract=record["abstract"]))
    return papers


def synthetic_papers(count: int) -> list[Paper]:
    """``count`` papers recombined from corpus titles and sentences, deterministically."""
    real = corpus_papers()
    if count <= len(real):
        return real[:count]
    sentences = [s for p in real for s in re.split(r"(?<=\.)\s+", p.abstract) if s]
    rng = random.Random(20251120)
    papers = list(real)
    for number in range(len(real), count):
        first, second = rng.choice(real).title.split(), rng.choice(real).title.split()
        title = " ".join(first[: len(first) // 2] + second[len(second) // 2 :])
        shape = rng.choice(real).abstract
        length = max(1, len(re.split(r"(?<=\.)\s+", shape)))
        abstract = " ".join(rng.choice(sentences) for _ in range(length))
        papers.append(Paper(id=f"synthetic-{number:06d}", title=title, abstract=abstract))
    return papers


def measure(count: int | None) -> None:
    papers = corpus_papers() if count is None else synthetic_papers(count)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    related = related_papers(papers)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    label = "corpus" if count is None else "synthetic"
    print(
        f"{label:9} {len(papers):6d} papers: wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
        f"peak rss {peak / 1024:6.0f} MB  rss+ {(peak - before) / 1024:5.0f} MB",
        flush=True,
    )
    if count is None:
        titles = {paper.id: paper.title for paper in papers}
        for paper in sorted(papers, key=lambda p: p.id)[:: max(1, len(papers) // EXAMPLES)][:EXAMPLES]:
            print(f"\n  {paper.title}")
            for other in related[paper.id]:
                print(f"    -> {titles[other]}")
        print()


def build_cpu(runs: int) -> None:
    """CPU seconds of the corpus's related papers as a cold build computes them: ``Prefetch`` forks a
    worker; the parent's CPU (time.process_time) plus the worker's (RUSAGE_CHILDREN)."""
    os.environ["PAPERARCHIVE_CACHE_DIR"] = "none"
    papers = corpus_papers()
    seconds = []
    for _ in range(runs):
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = time.process_time()
        Prefetch.start(papers, 5).result()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds.append(time.process_time() - own + after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime)
        print(f"related papers as in a cold build: cpu {seconds[-1]:.2f} s (parent and forked worker)", flush=True)
    print(f"median of {runs}: {statistics.median(seconds):.2f} s")


def main(argv: list[str]) -> int:
    if not CORPUS.exists():
        print(f"{CORPUS} is absent: this benchmark needs ../shared beside the repo", file=sys.stderr)
        return 2
    if argv and argv[0] == "--build-cpu":
        build_cpu(int(argv[1]) if len(argv) > 1 else 3)
        return 0
    if argv and argv[0] == "--one":
        measure(None if argv[1] == "corpus" else int(argv[1]))
        return 0
    sizes = argv or ["corpus", "50000"]
    for size in sizes:
        subprocess.run([sys.executable, __file__, "--one", size], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
