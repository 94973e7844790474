"""Parse every corpus listing: print papers per second and exactness against expected.jsonl.

    python3 benchmarks/parse.py [--repeat N] [--profile]

Speed is the best of N timed passes of `read_listing` (file read + decode + parse) over all
580 listings, and separately of `parse_text` over texts already in memory.  Exactness compares
every field of every paper with ../shared/corpus/hf-daily/expected.jsonl (its reference-only
fields `arxiv_id` and `upvotes_early` are not parser output; `line` is not in the truth).
Exit status 1 when exactness is below 100 %.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))

from paperarchive.parse import parse_text, read_listing  # noqa: E402
from paperarchive.records import PARSE_FIELDS  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "hf-daily"
TARGET = 20_000
COMPARED = tuple(field for field in PARSE_FIELDS if field != "line")


def load_expected() -> dict[str, list[dict]]:
    expected: dict[str, list[dict]] = collections.defaultdict(list)
    with open(CORPUS / "expected.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            expected[record["listing"]].append(record)
    return expected


def best_time(run, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def compare(results: dict, expected: dict[str, list[dict]]) -> tuple[int, int, collections.Counter, list[str]]:
    """(papers exactly right, papers expected, mismatches per field, a few examples)."""
    right = 0
    total = 0
    per_field: collections.Counter = collections.Counter()
    examples: list[str] = []
    for name, records in sorted(expected.items()):
        got = [entry.parse_json() for entry in results[name].entries] if name in results else []
        total += len(records)
        if len(got) != len(records):
            per_field["paper count"] += 1
            examples.append(f"{name}: {len(got)} papers parsed, {len(records)} expected")
        for parsed, truth in zip(got, records):
            wrong = [field for field in COMPARED if parsed[field] != truth[field]]
            if not wrong:
                right += 1
                continue
            per_field.update(wrong)
            if len(examples) < 10:
                field = wrong[0]
                examples.append(
                    f"{name}:{parsed['line']}: {field}: got {parsed[field]!r:.80}, expected {truth[field]!r:.80}"
                )
    return right, total, per_field, examples


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=5, help="timed passes; the best counts (default 5)")
    options.add_argument("--profile", action="store_true", help="print the top of a cProfile of one pass")
    args = options.parse_args()
    if not CORPUS.exists():
        print(f"{CORPUS} is absent: the benchmark needs ../shared beside the repo", file=sys.stderr)
        return 2

    files = sorted((CORPUS / "listings").glob("*.txt"))
    expected = load_expected()
    results = {path.name: read_listing(path) for path in files}
    papers = sum(len(result.entries) for result in results.values())
    problems = [problem for result in results.values() for problem in result.problems]

    read_seconds = best_time(lambda: [read_listing(path) for path in files], args.repeat)
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in files]
    parse_seconds = best_time(lambda: [parse_text(text, name) for name, text in texts], args.repeat)

    right, total, per_field, examples = compare(results, expected)
    exactness = 100.0 * right / total if total else 0.0

    print(f"listings:   {len(files)}")
    print(f"papers:     {papers} parsed, {total} expected")
    print(f"problems:   {len(problems)}")
    for problem in problems[:5]:
        print(f"  {problem}")
    print(f"read_listing (read + decode + parse): {papers / read_seconds:,.0f} papers/s "
          f"({read_seconds * 1000:.0f} ms, best of {args.repeat})")
    print(f"parse_text   (text in memory):        {papers / parse_seconds:,.0f} papers/s "
          f"({parse_seconds * 1000:.0f} ms, best of {args.repeat})")
    print(f"target:     {TARGET:,} papers/s -> {'met' if papers / read_seconds >= TARGET else 'NOT met'}")
    print(f"exactness:  {exactness:.2f} % ({right} of {total} papers equal on {', '.join(COMPARED)})")
    if per_field:
        print("mismatches by field: " + ", ".join(f"{field} {count}" for field, count in per_field.most_common()))
        for example in examples:
            print(f"  {example}")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for path in files:
            read_listing(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
    return 0 if right == total and papers == total else 1


if __name__ == "__main__":
    sys.exit(main())
