"""Parse every corpus listing: print papers per second and exactness against expected.jsonl.

    python3 benchmarks/parse.py [--repeat N] [--profile]

Speed is the best of N timed passes of `read_listing` (file read + decode + parse) over all
580 listings, and separately of `parse_text` over texts already in memory, plain and as a browser
saves them (Unicode spaces where the layout has ASCII spaces, see `as_a_browser_saves_it`).
Exactness compares every field of every paper with ../shared/corpus/hf-daily/expected.jsonl (its
reference-only fields `arxiv_id` and `upvotes_early` are not parser output; `line` is not in the
truth), for the files as they are and for their browser-saved copies.
Exit status 1 when either exactness is below 100 %.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import json
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))

from paperarchive.parse import parse_text, read_listing
from paperarchive.records import PARSE_FIELDS, Entry

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


# What a browser's copy of a page puts where the layout has an ASCII space, and at line ends.
UNICODE_SPACES = ("\u00a0", "\u2007", "\u202f", "\u2009", "\u3000", "\u2002", "\u205f", " ")


def as_a_browser_saves_it(text: str, entries: tuple[Entry, ...], seed: int) -> str:
    """``text`` (a plain listing, parsed as ``entries``) with Unicode spaces in its layout.

    Every space of a layout line (boilerplate, dates, "·", "• N authors") becomes a random Unicode
    space; an organization line (the non-field line right above "·") gets one between its id and its
    name; every line gets 0-2 at each end.  Titles and abstracts keep their inner spaces (they are text).
    """
    rnd = random.Random(seed)
    lines = text.split("\n")
    fields: set[int] = set()
    for entry in entries:
        fields.add(entry.line - 1)
        after = entry.line
        while after < len(lines) and not lines[after].strip():
            after += 1
        fields.add(after)  # the abstract: the next non-blank line

    def pad() -> str:
        return "".join(rnd.choices(UNICODE_SPACES, k=rnd.choice((0, 0, 1, 2))))

    saved = []
    for index, line in enumerate(lines):
        if line.strip() and index not in fields:
            if index + 1 < len(lines) and lines[index + 1].strip() == "·" and line.strip() != "·":
                line = line.replace(" ", rnd.choice(UNICODE_SPACES), 1)
            else:
                line = "".join(rnd.choice(UNICODE_SPACES) if ch == " " else ch for ch in line)
        saved.append(pad() + line + pad())
    return "\n".join(saved)


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
        for parsed, truth in zip(got, records, strict=False):
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

    saved = [(name, as_a_browser_saves_it(text, results[name].entries, seed))
             for seed, (name, text) in enumerate(texts)]
    saved_seconds = best_time(lambda: [parse_text(text, name) for name, text in saved], args.repeat)
    saved_results = {name: parse_text(text, name) for name, text in saved}
    saved_papers = sum(len(result.entries) for result in saved_results.values())

    right, total, per_field, examples = compare(results, expected)
    exactness = 100.0 * right / total if total else 0.0
    saved_right, _, saved_per_field, saved_examples = compare(saved_results, expected)

    print(f"listings:   {len(files)}")
    print(f"papers:     {papers} parsed, {total} expected")
    print(f"problems:   {len(problems)}")
    for problem in problems[:5]:
        print(f"  {problem}")
    print(f"read_listing (read + decode + parse): {papers / read_seconds:,.0f} papers/s "
          f"({read_seconds * 1000:.0f} ms, best of {args.repeat})")
    print(f"parse_text   (text in memory):        {papers / parse_seconds:,.0f} papers/s "
          f"({parse_seconds * 1000:.0f} ms, best of {args.repeat})")
    print(f"parse_text   (browser-saved texts):   {saved_papers / saved_seconds:,.0f} papers/s "
          f"({saved_seconds * 1000:.0f} ms, best of {args.repeat})")
    print(f"target:     {TARGET:,} papers/s -> {'met' if papers / read_seconds >= TARGET else 'NOT met'}")
    print(f"exactness:  {exactness:.2f} % ({right} of {total} papers equal on {', '.join(COMPARED)})")
    print(f"exactness, browser-saved: {100.0 * saved_right / total if total else 0.0:.2f} % ({saved_right} of {total})")
    for label, counts, shown in (("", per_field, examples), ("browser-saved ", saved_per_field, saved_examples)):
        if counts:
            print(f"{label}mismatches by field: " + ", ".join(f"{f} {n}" for f, n in counts.most_common()))
            for example in shown:
                print(f"  {example}")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for path in files:
            read_listing(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
    return 0 if right == saved_right == total == papers else 1


if __name__ == "__main__":
    sys.exit(main())
