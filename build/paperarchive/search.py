"""Search: the browser index (Pagefind, written into the built site) and the terminal search (lunr.py).

Both engines index the same records and fields, once per paper: title (boosted), abstract, authors,
organization.  Listing pages (days, topics, orgs) are never indexed, so indexing memory follows the
papers' own text.  Both engines then apply the same final ordering rule (``rank_key``): an exact title
first, then papers whose title holds every query word, then the engine's own score.  The browser's
copy of that rule lives in ``theme/assets/search/archive-search.js`` (``rankKey``); keep them in step.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .records import Paper, fold_title

PAGEFIND_DIR = "pagefind"
# Pagefind weights run 0-10; the title outweighs everything so that title matches rank first.
TITLE_WEIGHT = 10
AUTHORS_WEIGHT = 4
ORGANIZATION_WEIGHT = 2
LUNR_FIELDS = (
    {"field_name": "title", "boost": 10},
    {"field_name": "abstract", "boost": 1},
    {"field_name": "authors", "boost": 4},
    {"field_name": "organization", "boost": 2},
)
# Pagefind ships UI bundles we do not use (our UI is archive-search.js); they would only add bytes.
UNUSED_PAGEFIND_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
CACHE_SCHEMA = "1"


@dataclass(frozen=True)
class SearchRecord:
    """What search knows about one paper: the indexed fields plus what a result shows."""

    id: str
    url: str  # site-relative, e.g. "papers/<id>/"
    title: str
    abstract: str
    authors: tuple[str, ...]
    organization: str
    published: str  # ISO date, or "" when the paper has none
    topics: tuple[str, ...]

    @property
    def year(self) -> str:
        return self.published[:4]


@dataclass(frozen=True)
class Hit:
    record: SearchRecord
    score: float

    def json(self) -> dict:
        return {
            "id": self.record.id,
            "url": self.record.url,
            "title": self.record.title,
            "published": self.record.published or None,
            "score": round(self.score, 4),
        }


def search_records(papers: Sequence[Paper], topics_of: Mapping[str, tuple[str, ...]]) -> list[SearchRecord]:
    """One record per paper, sorted by id (a paper id seen twice is indexed once)."""
    by_id: dict[str, SearchRecord] = {}
    for paper in papers:
        by_id[paper.id] = SearchRecord(
            id=paper.id,
            url=paper.url,
            title=paper.title,
            abstract=paper.abstract,
            authors=tuple(paper.authors),
            organization=paper.organization or "",
            published=paper.published.isoformat() if paper.published else "",
            topics=tuple(topics_of.get(paper.id, ())),
        )
    return [by_id[key] for key in sorted(by_id)]


# ---------------------------------------------------------------- ordering shared by both engines

_SUFFIXES = ("ies", "es", "s", "ing", "ed")


def crude_stem(word: str) -> str:
    """A tiny suffix stripper, identical in archive-search.js, so 'transformers' matches 'Transformer'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


_FIELD_PREFIX = re.compile(r"^(title|abstract|authors|organization):")


def query_words(query: str) -> list[str]:
    """The query's plain words, folded; lunr syntax (field:, +, -, ~, ^, *) is dropped."""
    words = []
    for raw in query.split():
        if raw.startswith("-"):
            continue
        raw = raw.lstrip("+")
        raw = _FIELD_PREFIX.sub("", raw)
        raw = re.sub(r"[~^]\d*$", "", raw).rstrip("*")
        words.extend(fold_title(raw).split())
    return words


def title_holds_all(words: Sequence[str], title: str) -> bool:
    stems = [crude_stem(word) for word in fold_title(title).split()]
    return bool(words) and all(any(stem.startswith(crude_stem(word)) for stem in stems) for word in words)


def rank_key(query: str, title: str, score: float) -> tuple:
    """Sort key (ascending): exact title, then all query words in the title, then the engine's score."""
    words = query_words(query)
    exact = bool(words) and " ".join(words) == fold_title(title)
    return (not exact, not title_holds_all(words, title), -score)


# ---------------------------------------------------------------- browser index (Pagefind)


def paper_html(record: SearchRecord) -> str:
    """The small document Pagefind indexes for one paper: weighted fields, meta and filters, all escaped."""
    esc = html.escape
    hidden = [f'<span data-pagefind-meta="title">{esc(record.title)}</span>']
    if record.published:
        hidden.append(f'<span data-pagefind-meta="date" data-pagefind-sort="date">{record.published}</span>')
        hidden.append(f'<span data-pagefind-filter="year">{record.year}</span>')
    if record.organization:
        hidden.append(f'<span data-pagefind-meta="org">{esc(record.organization)}</span>')
        hidden.append(f'<span data-pagefind-filter="organization">{esc(record.organization)}</span>')
    if record.topics:
        hidden.append(f'<span data-pagefind-meta="topics">{esc(json.dumps(list(record.topics)))}</span>')
        hidden.extend(f'<span data-pagefind-filter="topic">{esc(topic)}</span>' for topic in record.topics)
    body = [
        f'<h1 data-pagefind-weight="{TITLE_WEIGHT}">{esc(record.title)}</h1>',
        f"<p>{esc(record.abstract)}</p>",
    ]
    if record.authors:
        body.append(f'<p data-pagefind-weight="{AUTHORS_WEIGHT}">{esc(", ".join(record.authors))}</p>')
    if record.organization:
        body.append(f'<p data-pagefind-weight="{ORGANIZATION_WEIGHT}">{esc(record.organization)}</p>')
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body><main data-pagefind-body>'
        f'<div data-pagefind-ignore>{"".join(hidden)}</div>{"".join(body)}</main></body></html>'
    )


def write_index(site_dir: Path, papers: Sequence[Paper], topics_of: Mapping[str, tuple[str, ...]]) -> None:
    """Write the Pagefind bundle for these papers into ``site_dir/pagefind/`` (replacing any old one).

    Pagefind reads one small synthesized document per paper (``paper_html``) from a scratch folder,
    never the built pages: listing pages repeat every abstract, and indexing them multiplied memory.
    The CLI binary is used rather than the Python service API, whose client reads one reply per
    0.1 s (about 1,000 s for 10,000 papers).
    """
    site_dir = Path(site_dir)
    records = search_records(papers, topics_of)
    site_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir))
    try:
        documents = staging / "documents"
        for record in records:
            folder = documents / record.url
            folder.mkdir(parents=True)
            (folder / "index.html").write_text(paper_html(record), encoding="utf-8", errors="surrogatepass")
        bundle = staging / PAGEFIND_DIR
        _run_pagefind(documents, bundle)
        for name in UNUSED_PAGEFIND_FILES:
            (bundle / name).unlink(missing_ok=True)
        target = site_dir / PAGEFIND_DIR
        if target.exists():
            shutil.rmtree(target)
        os.replace(bundle, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


class SearchIndexError(RuntimeError):
    """Pagefind could not index the papers."""


def _run_pagefind(documents: Path, bundle: Path) -> None:
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise SearchIndexError("the Pagefind binary is missing: pip install 'pagefind[bin]'")
    command = [str(binary), "--site", str(documents), "--output-path", str(bundle), "--force-language", "en", "--silent"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(f"pagefind failed ({done.returncode}): {(done.stderr or done.stdout).strip()}")


# ---------------------------------------------------------------- terminal search (lunr.py)


def lunr_documents(records: Sequence[SearchRecord]) -> list[dict]:
    return [
        {
            "id": record.id,
            "title": record.title,
            "abstract": record.abstract,
            "authors": " ".join(record.authors),
            "organization": record.organization,
        }
        for record in records
    ]


def build_lunr_index(records: Sequence[SearchRecord]):
    from lunr import lunr

    return lunr(ref="id", fields=list(LUNR_FIELDS), documents=lunr_documents(records))


def cached_lunr_index(records: Sequence[SearchRecord], cache_dir: Path | None = None, err: TextIO = sys.stderr):
    """The lunr index of these records, built once and then loaded from a cache keyed by their content.

    Building takes about 35 s at 10,000 papers in pure Python; loading the cached one about 2 s.
    """
    from importlib.metadata import version

    from lunr.index import Index

    lunr_version = version("lunr")

    docs = lunr_documents(records)
    digest = hashlib.sha256(
        json.dumps([CACHE_SCHEMA, lunr_version, LUNR_FIELDS, docs], sort_keys=True).encode("utf-8", "surrogatepass")
    ).hexdigest()[:20]
    cache_dir = cache_dir or _cache_dir()
    cached = cache_dir / f"lunr-{digest}.json"
    if cached.exists():
        try:
            return Index.load(json.loads(cached.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            pass  # a damaged cache is rebuilt below
    if len(records) >= 1000:
        print(f"building the search index of {len(records)} papers (once; cached in {cache_dir})", file=err)
    index = build_lunr_index(records)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache_dir, delete=False, suffix=".tmp") as tmp:
            json.dump(index.serialize(), tmp)
        os.replace(tmp.name, cached)
        for old in cache_dir.glob("lunr-*.json"):
            if old != cached:
                old.unlink(missing_ok=True)
    except OSError as error:
        print(f"{cache_dir}: cannot cache the search index ({error}); searching without a cache", file=err)
    return index


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "paperarchive"


_LUNR_SYNTAX = re.compile(r"(^|\s)([+-]|(title|abstract|authors|organization):)|[~^*]")


def search_index(index, records: Sequence[SearchRecord], query: str, limit: int) -> list[Hit]:
    """Run a query (lunr syntax allowed); a query lunr cannot parse is searched as plain words."""
    from lunr.exceptions import QueryParseError

    by_id = {record.id: record for record in records}
    plain = " ".join(query_words(query))
    raw = []
    if _LUNR_SYNTAX.search(query):
        try:
            raw = index.search(query)
        except QueryParseError:
            raw = []
    if not raw and plain:
        raw = index.search(plain)
    hits = [Hit(by_id[item["ref"]], float(item["score"])) for item in raw if item["ref"] in by_id]
    hits.sort(key=lambda hit: (*rank_key(query, hit.record.title, hit.score), hit.record.id))
    return hits[: max(limit, 0)]


def search_papers(papers: Sequence[Paper], query: str, limit: int, cache_dir: Path | None = None) -> list[Hit]:
    records = search_records(papers, {})
    return search_index(cached_lunr_index(records, cache_dir), records, query, limit)


def print_hits(hits: Sequence[Hit], as_json: bool, out: TextIO) -> None:
    if as_json:
        for hit in hits:
            out.write(json.dumps(hit.json(), ensure_ascii=False) + "\n")
        return
    if not hits:
        out.write("no papers found\n")
        return
    out.write(f"{'score':>7}  {'published':<10}  title / url\n")
    for hit in hits:
        title = " ".join(hit.record.title.split())  # a newline in a title must not break the table
        out.write(f"{hit.score:7.2f}  {hit.record.published or '-':<10}  {title}\n")
        out.write(f"{'':7}  {'':10}  {hit.record.url}\n")


def search_command(query: str, store: Path, limit: int, as_json: bool) -> int:
    """`paperarchive search`: search the store's papers; exit 0 when something was found, 1 when not."""
    from . import records

    try:
        loaded = records.load_store(Path(store))
    except OSError as error:
        print(f"{store}: cannot read the store: {error}", file=sys.stderr)
        return 2
    for problem in loaded.problems:
        print(problem, file=sys.stderr)  # a bad store file is reported; the other papers are still searched
    papers = list(loaded.papers.values())
    if not papers:
        print(f"{store}: no papers in the store (run `paperarchive ingest` first)", file=sys.stderr)
        return 1
    if not query_words(query):
        print("search: the query has no words to look for", file=sys.stderr)
        return 2
    hits = search_papers(papers, query, limit)
    print_hits(hits, as_json, sys.stdout)
    return 0 if hits else 1
