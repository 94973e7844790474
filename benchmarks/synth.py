"""Write N synthetic papers as listing pages shaped like the real corpus.

    python3 benchmarks/synth.py 50000 --out /tmp/synth50k

The shapes come from the real data: titles and abstracts are recombined from
real ones (so word, title and abstract length distributions match), and each
synthetic paper copies the organisation, author count, comment count and
listed-to-published delay of a real paper.  Papers are spread over consecutive
weekdays at the corpus's papers-per-day rate, one listing file per day, named
by its date like the corpus.  Deterministic for a given N and --seed.

The source is ../shared/corpus/hf-daily/expected.jsonl when it is there, else
the seed listings shipped in content/listings/.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))

from paperarchive import parse  # noqa: E402
from paperarchive.records import Entry, fold_title  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "hf-daily" / "expected.jsonl"
START = date(2024, 5, 27)


def real_entries() -> list[Entry]:
    """The real papers the synthetic ones are shaped after."""
    if CORPUS.exists():
        with CORPUS.open(encoding="utf-8") as f:
            return [_entry_from_truth(json.loads(line)) for line in f]
    entries: list[Entry] = []
    for path in sorted((ROOT / "content" / "listings").glob("*.txt")):
        entries.extend(e for e in parse.read_listing(path).entries if e.listed and e.published)
    return entries


def _entry_from_truth(row: dict) -> Entry:
    return Entry(
        listing=row["listing"],
        line=1,
        listed=date.fromisoformat(row["listed"]) if row["listed"] else None,
        title=row["title"],
        abstract=row["abstract"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        comments=row["comments"],
        authors_count=row["authors_count"],
        organization=row["organization"],
        organization_id=row["organization_id"],
    )


def weekdays(start: date):
    day = start
    while True:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def synthetic_title(rng: random.Random, titles: list[list[str]], taken: set[str]) -> str:
    """Half of one real title and half of another, drawn again until no other paper has it
    (a serial number would make every title longer than the real ones)."""
    while True:
        a, b = rng.choice(titles), rng.choice(titles)
        title = " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :])
        if fold_title(title) not in taken:  # the store would merge papers whose folded titles match
            taken.add(fold_title(title))
            return title


def synthetic_abstract(rng: random.Random, template: str, sentences: list[str]) -> str:
    """Real sentences drawn at random while a sentence brings the text nearer the length of a
    real abstract (stopping only past it would make abstracts half a sentence too long)."""
    target = len(template)
    out: list[str] = []
    length = -1
    while True:
        sentence = rng.choice(sentences)
        longer = length + 1 + len(sentence)
        if out and abs(longer - target) >= abs(length - target):
            return " ".join(out)
        out.append(sentence)
        length = longer


def distinct_abstract(rng: random.Random, template: str, sentences: list[str], taken: set[str]) -> str:
    """A synthetic abstract no other paper has: the store takes two papers with the same long
    abstract for one paper whose title changed, and merges them."""
    while True:
        abstract = synthetic_abstract(rng, template, sentences)
        if abstract not in taken:
            taken.add(abstract)
            return abstract


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1] in ".!?" else text + "."


def synthesize(n: int, seed: int = 0) -> dict[date, list[Entry]]:
    """N synthetic papers, grouped by the listing day that carries them."""
    rng = random.Random(seed)
    real = real_entries()
    titles = [e.title.split() for e in real]
    sentences = [_sentence(s) for e in real for s in e.abstract.split(". ") if len(s) > 20]
    per_day = max(1, round(len(real) / max(1, len({e.listed for e in real}))))
    listings: dict[date, list[Entry]] = {}
    days = weekdays(START)
    serial = 0
    taken = {fold_title(e.title) for e in real}
    abstracts = {e.abstract for e in real}
    while serial < n:
        listed = next(days)
        batch = []
        for _ in range(min(per_day, n - serial)):
            model = rng.choice(real)
            delay = (model.listed - model.published) if model.listed and model.published else timedelta(days=1)
            batch.append(
                replace(
                    model,
                    listing=f"{listed.isoformat()}.txt",
                    listed=listed,
                    title=synthetic_title(rng, titles, taken),
                    abstract=distinct_abstract(rng, model.abstract, sentences, abstracts),
                    published=listed - delay,
                )
            )
            serial += 1
        listings[listed] = batch
    return listings


def write_listings(listings: dict[date, list[Entry]], out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for listed, entries in listings.items():
        text = parse.render_listing(entries, header=listed)
        (out / f"{listed.isoformat()}.txt").write_text(text, encoding="utf-8")
    return len(listings)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of papers")
    ap.add_argument("--out", type=Path, required=True, help="folder for the listing files")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    listings = synthesize(args.n, args.seed)
    files = write_listings(listings, args.out)
    print(f"wrote {args.n} papers in {files} listings to {args.out}")
    made = [e for entries in listings.values() for e in entries]
    real = real_entries()
    for field in ("title", "abstract"):
        mean = lambda entries, field=field: sum(len(getattr(e, field)) for e in entries) / len(entries)
        print(f"  mean {field} length {mean(made):7.1f} characters (the real papers: {mean(real):.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
