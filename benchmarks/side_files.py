"""CPU seconds of the side files (outputs.side_files: JSON API, feeds, BibTeX, search index, data set) and
of each part, made in memory from a store's site model; medians of several runs.

    python3 benchmarks/side_files.py --store STORE [--repeats 3] [--rounds 3] [--compare OTHER_CHECKOUT]
        [--check BUILT_SITE]

The store is an ingested one (``paperarchive ingest``; the corpus's 9,877 papers for the recorded
figures). ``--compare DIR`` measures another checkout of the repository too (its ``build/`` on the
import path), one round of each in turn, so both see the same machine load. ``--check SITE`` says how
many of the files differ from those of a site built from the same store (expected: none).
Each part is timed alone (with the cyclic collector on, as a caller has it); ``side_files`` is all of
them in one call.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("api", "feeds", "bibtex", "search", "dataset", "side_files")


def context(store: Path, config: Path):
    from paperarchive import rendering, site

    papers = site.load_papers(store, strict=False, err=sys.stderr)
    mkdocs_config = rendering.load_config(config, docs_dir=None, site_dir=None, strict=False)
    return site.context_without_related(papers, site.load_taxonomy_for(config), mkdocs_config)


def makers() -> dict:
    from paperarchive import dataset, outputs

    return {
        "api": outputs.api_files,
        "feeds": lambda ctx: outputs.feed_files(ctx, ctx.site_url or "/"),
        "bibtex": outputs.bibtex_files,
        "search": outputs.search_index_files,
        "dataset": lambda ctx: dataset.dataset_files(ctx.papers, ctx.topics_of),
        "side_files": outputs.side_files,
    }


def measure(store: Path, repeats: int, check: Path | None) -> list[str]:
    """One round in this process: each part ``repeats`` times, in turn."""
    ctx = context(store, ROOT / "mkdocs.yml")
    make = makers()
    seconds: dict[str, list[float]] = {part: [] for part in PARTS}
    files: dict[str, bytes] = {}
    for _ in range(repeats):
        for part in PARTS:
            start = time.process_time()
            files = make[part](ctx)
            seconds[part].append(time.process_time() - start)
    lines = [f"{part:<11} {statistics.median(runs):6.3f} s  (runs {' '.join(f'{s:.3f}' for s in runs)})"
             for part, runs in seconds.items()]
    if check is not None:
        differ = sum(1 for path, data in files.items() if not (check / path).is_file() or (check / path).read_bytes() != data)
        lines.append(f"{len(files)} files, {differ} differ from {check}")
    return lines


def round_of(checkout: Path, args: argparse.Namespace) -> str:
    """One round in a fresh process running ``checkout``'s code (this script's own measure())."""
    command = [sys.executable, __file__, "--store", str(args.store), "--repeats", str(args.repeats), "--one-round"]
    if args.check:
        command += ["--check", str(args.check)]
    env = {**os.environ, "PYTHONPATH": str(checkout / "build"), "PAPERARCHIVE_CACHE_DIR": "none"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeats", type=int, default=3, help="runs of each part per round (default 3)")
    ap.add_argument("--rounds", type=int, default=1, help="rounds, each a fresh process per checkout (default 1)")
    ap.add_argument("--compare", type=Path, default=None, metavar="CHECKOUT")
    ap.add_argument("--check", type=Path, default=None, metavar="SITE")
    ap.add_argument("--one-round", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not args.store.is_dir():
        print(f"{args.store}: no store here (ingest the corpus first: paperarchive ingest ... --store DIR)", file=sys.stderr)
        return 2
    if args.one_round:
        print("\n".join(measure(args.store, args.repeats, args.check)))
        return 0
    checkouts = [("this checkout", ROOT)] + ([("compared", args.compare.resolve())] if args.compare else [])
    for n in range(1, args.rounds + 1):
        for label, checkout in checkouts:
            print(f"== round {n}, {label} ({checkout})\n{round_of(checkout, args)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
