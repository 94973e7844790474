"""Print what the site stage costs: generate vs MkDocs seconds, pages, bytes per paper.

    python3 benchmarks/pages.py            # the seeds (content/listings)
    python3 benchmarks/pages.py --corpus   # ../shared/corpus/hf-daily/listings (9,877 papers; minutes)

Listings are ingested into a temporary store; the site is built into temporary folders (never the
repo's generated/ or site/). One run, not a median: a full-corpus build takes minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "hf-daily" / "listings"
GITHUB_PAGES_LIMIT = 1_000_000_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="store_true", help="build the real corpus instead of the seeds")
    parser.add_argument("--skip-search", action="store_true", help="leave out the search index (times our stage alone)")
    args = parser.parse_args()

    from paperarchive import ingest, outputs, related, site
    from paperarchive import pages as site_pages
    from paperarchive import store as paper_store
    from paperarchive.sitemodel import RELATED_COUNT, SiteIdentity, build_context

    if args.skip_search:
        outputs.search_index_files = lambda ctx: {}
        print("search index: SKIPPED (--skip-search)")

    listings = sorted((CORPUS if args.corpus else ROOT / "content" / "listings").glob("*.txt"))
    if not listings:
        print(f"no listings found ({CORPUS if args.corpus else 'content/listings'})", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="paperarchive-bench-") as tmp:
        tmp = Path(tmp)
        store = tmp / "store"
        t = time.perf_counter()
        ingest.ingest_files(listings, store=store, listed_on=None, strict=False)
        ingest_s = time.perf_counter() - t

        t = time.perf_counter()
        papers = tuple(paper_store.load_store(store).papers.values())
        load_s = time.perf_counter() - t
        taxonomy = site.load_taxonomy_for(ROOT / "mkdocs.yml")
        t = time.perf_counter()
        ctx = build_context(papers, taxonomy, related=related.related_papers(papers, k=RELATED_COUNT),
                            identity=SiteIdentity(name="benchmark"))
        context_s = time.perf_counter() - t
        t = time.perf_counter()
        pages = site_pages.render_pages(ctx)
        render_s = time.perf_counter() - t

        err = io.StringIO()
        t = time.perf_counter()
        report = site.build_site(ROOT / "mkdocs.yml", papers, taxonomy, site_dir=tmp / "site",
                                 strict=True, err=err)
        build_s = time.perf_counter() - t

        files = [p for p in (tmp / "site").rglob("*") if p.is_file()]
        total = sum(p.stat().st_size for p in files)
        paper_pages = [p.stat().st_size for p in (tmp / "site" / "papers").glob("*/index.html")]
        by_top = {}
        for p in files:
            top = p.relative_to(tmp / "site").parts[0]
            by_top[top] = by_top.get(top, 0) + p.stat().st_size
        largest_page = max((p for p in files if p.suffix == ".html"), key=lambda p: p.stat().st_size)
        largest = (largest_page.stat().st_size, largest_page.relative_to(tmp / "site"))

    n = len(papers)
    print(f"papers                 {n}")
    print(f"ingest (untimed stage) {ingest_s:8.2f} s")
    print(f"load store             {load_s:8.2f} s")
    print(f"topics + context       {context_s:8.2f} s")
    print(f"render Markdown        {render_s:8.2f} s  ({len(pages)} pages)")
    print(f"site.build_site        {build_s:8.2f} s  = generate {report.generate_seconds:.2f} s"
          f" + mkdocs {report.mkdocs_seconds:.2f} s + extras (search index, redirects) {report.extras_seconds:.2f} s")
    print(f"pipeline / mkdocs      {(report.generate_seconds + report.extras_seconds) / report.mkdocs_seconds:8.2f}")
    print(f"files published        {len(files)}")
    print(f"bytes per paper        {total / n:8.0f}  (all of site/ / papers; {total:,} bytes)")
    for top, size in sorted(by_top.items(), key=lambda kv: -kv[1]):
        print(f"  {top:20} {size / n:8.0f} per paper")
    print(f"paper page bytes       median {statistics.median(paper_pages):.0f}, max {max(paper_pages)}")
    print(f"largest HTML page      {largest[0]} bytes ({largest[1]})")
    print(f"papers in 1 GB         {GITHUB_PAGES_LIMIT * n // total:,} (projected at this size per paper)")
    print(f"mkdocs warnings        {report.warnings}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
