"""Print what citations cost over the corpus: BibTeX, head tags, COinS and MathML abstracts (time and bytes).

    python3 benchmarks/citations.py                 # ../shared/corpus/hf-daily/listings (9,877 papers)
    python3 benchmarks/citations.py --store DIR     # an already ingested store

The listings are ingested into a temporary store with the pipeline's own ingest. Times are the best
of --repeat runs of each step (this machine is shared: single runs vary). Bytes are UTF-8 bytes of
what the site publishes: the head tags as paper.html prints them, COinS once per listing a paper is in
(its day, each of its topics, its organization), MathML beyond the escaped abstract it replaces.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "hf-daily" / "listings"
SITE_URL = "https://paperarchive.github.io/paperarchive/"


def best_of(repeat: int, step):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="an ingested store (default: ingest the corpus into a temp folder)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from paperarchive import bibtex, generate, headtags, ingest, mathtext, site
    from paperarchive.escaping import esc

    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            if not CORPUS.is_dir():
                print(f"{CORPUS} is absent", file=sys.stderr)
                return 1
            store = Path(tmp) / "papers"
            ingest.ingest_files(sorted(CORPUS.glob("*.txt")), store=store, listed_on=None, strict=False)
        papers = site.load_papers(store, strict=False, err=io.StringIO())
        taxonomy = site.load_taxonomy_for(ROOT / "mkdocs.yml")
        ctx = generate.build_context(papers, taxonomy, site_url=SITE_URL)
        n = len(ctx.papers)
        print(f"{n:,} papers")

        seconds, keys = best_of(args.repeat, lambda: bibtex.cite_keys(ctx.papers))
        print(f"cite keys: {seconds * 1000:.0f} ms ({len(set(keys.values())):,} distinct keys, "
              f"{sum(1 for p in ctx.papers if keys[p.id] != bibtex.base_key(p)):,} with a letter)")
        seconds, entries = best_of(args.repeat, lambda: bibtex.entries_by_id(ctx.papers, keys, SITE_URL))
        total = sum(len(e.encode()) for e in entries.values())
        print(f"BibTeX entries: {seconds * 1000:.0f} ms, {total / n:,.0f} bytes per entry")

        def heads():
            return [generate._paper_head(ctx, p) for p in ctx.papers]

        seconds, made = best_of(args.repeat, heads)
        total = sum(len(h.encode()) for h in made)
        print(f"head tags: {seconds * 1000:.0f} ms, {total / n:,.0f} bytes per paper page, {total / 1e6:.1f} MB in all")

        def all_coins():
            return {p.id: headtags.coins(p, generate._absolute(ctx, p.url)) for p in ctx.papers}

        seconds, spans = best_of(args.repeat, all_coins)
        listed = [p.id for d in ctx.days for p in ctx.by_day[d]] + [p.id for p in ctx.undated]
        listed += [p.id for t in ctx.topics for p in ctx.by_topic[t.id]]
        listed += [p.id for o in ctx.orgs for p in ctx.by_org[o.id]]
        total = sum(len(spans[i].encode()) for i in listed)
        print(f"COinS: {seconds * 1000:.0f} ms, {total / len(listed):,.0f} bytes per listed paper, "
              f"{len(listed):,} listings of a paper, {total / 1e6:.1f} MB in all")

        seconds_esc, _ = best_of(args.repeat, lambda: [esc(p.abstract) for p in ctx.papers])
        seconds, shown = best_of(args.repeat, lambda: [mathtext.abstract_html(p.abstract) for p in ctx.papers])
        added = [len(h.encode()) - len(esc(p.abstract).encode()) for p, h in zip(ctx.papers, shown, strict=False)]
        with_math = [a for a, h in zip(added, shown, strict=False) if "<math>" in h]
        spans_count = sum(h.count("<math>") for h in shown)
        print(f"MathML abstracts: {seconds * 1000:.0f} ms (escaping alone {seconds_esc * 1000:.0f} ms); "
              f"{len(with_math):,} abstracts with math ({spans_count:,} spans), "
              f"{(sum(with_math) / len(with_math)) if with_math else 0:,.0f} bytes added per such page, "
              f"{sum(with_math):,} bytes in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
