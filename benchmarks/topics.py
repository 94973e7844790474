"""Measure the topic matcher over the real corpus: coverage, per-topic shares, speed.

    python3 benchmarks/topics.py [--corpus ../shared/corpus/hf-daily/expected.jsonl] [--taxonomy content/topics.yml]

Prints measured numbers only; the corpus is read first, then matching is timed alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))

from paperarchive.topics import load_taxonomy  # noqa: E402


def read_corpus(path: Path) -> list[tuple[str, str]]:
    """Distinct papers (by title) with their abstracts, as the corpus truth lists them."""
    papers: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            papers.setdefault(record["title"], record["abstract"])
    return list(papers.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/hf-daily/expected.jsonl")
    parser.add_argument("--taxonomy", type=Path, default=ROOT / "content/topics.yml")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the corpus; the best is reported")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    taxonomy = load_taxonomy(args.taxonomy)
    load_seconds = time.perf_counter() - start
    papers = read_corpus(args.corpus)

    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        assigned = [taxonomy.assign(title, abstract) for title, abstract in papers]
        best = min(best, time.perf_counter() - start)

    total = len(papers)
    covered = sum(1 for ids in assigned if ids)
    counts = Counter(topic_id for ids in assigned for topic_id in ids)
    print(f"taxonomy: {len(taxonomy.topics)} topics, loaded and compiled in {load_seconds * 1000:.1f} ms")
    print(f"papers: {total} distinct titles from {args.corpus}")
    print(f"coverage: {covered}/{total} = {covered / total:.1%} have at least one topic")
    print(f"topics per paper: {sum(map(len, assigned)) / total:.2f} on average")
    print(f"matching: {best:.3f} s for the whole corpus (best of {args.repeat}) = {total / best:,.0f} papers/s")
    print("per-topic share (papers holding the topic / all papers):")
    for topic in taxonomy.topics:
        n = counts.get(topic.id, 0)
        print(f"  {topic.id:26} {n:6}  {n / total:6.1%}  {topic.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
