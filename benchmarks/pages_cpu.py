"""CPU seconds of the pages' Markdown (``pages.site_pages``), this checkout against another, side by side.

    python3 benchmarks/pages_cpu.py --store STORE [--compare OTHER_CHECKOUT] [--runs 5] [--profile]

The store is loaded and the site model (topics, related papers) built once, with this checkout's code;
then ``site_pages`` of this checkout and of ``--compare`` (its ``build/paperarchive`` imported under
another name) run alternately, ``--runs`` times each, timed with ``time.process_time`` (CPU of this
process: the steadier figure on a shared machine). Prints each run, the medians, and whether both
checkouts made the same pages. ``--profile`` prints this checkout's cProfile instead.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import importlib.util
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_as(name: str, package_dir: Path):
    """The package in ``package_dir`` imported as ``name`` (its imports are relative, so it stands alone)."""
    spec = importlib.util.spec_from_file_location(name, package_dir / "__init__.py",
                                                  submodule_search_locations=[str(package_dir)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _context(store: Path):
    from paperarchive import related, site
    from paperarchive.sitemodel import RELATED_COUNT

    config = ROOT / "mkdocs.yml"
    papers = site.load_papers(store, strict=False, err=sys.stderr)
    mkdocs_config = site._load_config(config, docs_dir=None, site_dir=None, strict=False)
    ctx = site.context_without_related(papers, site.load_taxonomy_for(config), mkdocs_config)
    return site.with_related(ctx, related.related_papers(papers, k=RELATED_COUNT)), site.hand_written_pages(config)


def _cpu(site_pages, ctx, extra) -> tuple[float, dict]:
    ctx = dataclasses.replace(ctx)  # a new context: nothing the pages keep in it (SiteContext.paper_parts) carries over
    t = time.process_time()
    pages = site_pages(ctx, extra)
    return time.process_time() - t, pages


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--compare", type=Path, default=None, metavar="CHECKOUT")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--sort", default="tottime", help="cProfile sort key of --profile (tottime, cumulative)")
    args = ap.parse_args()

    from paperarchive.pages import site_pages

    ctx, extra = _context(args.store)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(site_pages, ctx, extra)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(40)
        print(out.getvalue())
        return 0
    timed = {"this": site_pages}
    if args.compare:
        _import_as("paperarchive_compare", args.compare / "build" / "paperarchive")
        timed["compare"] = importlib.import_module("paperarchive_compare.pages").site_pages
    seconds: dict[str, list[float]] = {name: [] for name in timed}
    made: dict[str, dict] = {}
    for run in range(args.runs):
        for name, function in timed.items():
            cpu, made[name] = _cpu(function, ctx, extra)
            seconds[name].append(cpu)
            print(f"run {run + 1} {name:8} {cpu:6.3f} s")
    for name, values in seconds.items():
        print(f"median   {name:8} {statistics.median(values):6.3f} s CPU  ({len(made[name]):,} pages; runs "
              f"{', '.join(f'{v:.3f}' for v in values)})")
    if args.compare:
        print("same pages" if made["this"] == made["compare"] else "PAGES DIFFER")
    return 0


if __name__ == "__main__":
    sys.exit(main())
