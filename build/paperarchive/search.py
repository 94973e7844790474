"""Search: the browser index (our own static, sharded index, written into the built site) and the
terminal search.

Every paper is indexed once: title, abstract (with Hugging Face's AI summary and keywords), authors,
organization.  Listing pages (days, topics, orgs) are never indexed, so indexing memory follows the papers'
own text.  ``tokenize`` and ``stem`` have a copy in ``theme/assets/search/engine.js``; the queries themselves
run in ``search_engine`` (Python) and ``engine.js`` (the browser), the same steps over the same files, so that
``paperarchive search`` prints what the search page shows.  lunr.py (``--engine lunr``) is kept for its
query syntax, with its own ranking and the ordering rule ``rank_key``.

The browser index (``<site>/search-index/``, see ``index_files``) is a set of small static JSON files
that a query fetches a few of: the vocabulary split into sorted ranges of terms, postings packed into
blocks, typo candidates spelled backwards, paper ids in chunks.  A result's display data is the paper's
JSON API document (``api/papers/<id>.json``, written by the build just before), never a second copy.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import operator
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from . import cache
from .api import encode_json as _encode_json
from .records import Paper, fold_title

LUNR_FIELDS = (
    {"field_name": "title", "boost": 10},
    {"field_name": "abstract", "boost": 1},
    {"field_name": "authors", "boost": 4},
    {"field_name": "organization", "boost": 2},
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
    # Hugging Face's AI summary and keywords: indexed with the abstract (same weight, same field), so
    # the index files and both engines stay as they are; a quoted phrase is still checked on the abstract
    hf_text: str = ""

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
            hf_text=" ".join(filter(None, (paper.ai_summary, *paper.keywords))),
        )
    return [by_id[key] for key in sorted(by_id)]


# ---------------------------------------------------------------- stems and the lunr ordering rule

def stem(token: str) -> str:
    """A light plural stripper, identical in engine.js: 'transformers' -> 'transformer',
    'studies' -> 'study', 'processes' -> 'process'; 'class', 'analysis', 'corpus' stay as they are."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("sses"):
        return token[:-2]
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


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
    stems = [stem(word) for word in fold_title(title).split()]
    return bool(words) and all(any(s.startswith(stem(word)) for s in stems) for word in words)


def rank_key(query: str, title: str, score: float) -> tuple:
    """Sort key (ascending): exact title, then all query words in the title, then the engine's score."""
    words = query_words(query)
    exact = bool(words) and " ".join(words) == fold_title(title)
    return (not exact, not title_holds_all(words, title), -score)


# ---------------------------------------------------------------- tokens (mirrored in engine.js)

# Han, kana: no spaces between words, so each character is a token of its own (a query of several
# characters then needs them all, in any order).  Identical ranges in engine.js.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
# Letters and digits (Python's alnum; in JS [\p{L}\p{N}]): everything else separates tokens.
_WORD = re.compile(r"[^\W_]+")
# Words so common that they only add bytes; never indexed, dropped from queries.  Same list in JS.
STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or",
     "our", "that", "the", "this", "to", "via", "was", "we", "with"]
)


# ASCII bytes -> the same lowercased, every byte but a letter or digit -> a space.
_ASCII_FOLD = bytes(c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))


def tokenize(text: str) -> list[str]:
    """Lowercased NFKC runs of letters and digits; CJK characters one by one."""
    if text.isascii():
        # NFKC leaves ASCII as it is and it holds no CJK, so the runs of [a-z0-9] (what _WORD finds in
        # it) are what is left between spaces once the rest is blanked: 2.3 times faster than findall.
        return str(text.encode("ascii").translate(_ASCII_FOLD), "ascii").split()
    folded = unicodedata.normalize("NFKC", text).lower()
    return _WORD.findall(_CJK.sub(r" \g<0> ", folded))


class _Terms(dict):
    """token -> index term (its stem), or "" for a stop word; memoised, tokens repeat a lot."""

    def __missing__(self, token: str) -> str:
        term = "" if token in STOPWORDS else stem(token)
        self[token] = term
        return term


def index_terms(text: str, memo: _Terms | None = None) -> list[str]:
    """The terms a text is indexed (and a query is looked up) under."""
    memo = memo if memo is not None else _Terms()
    return [term for term in map(memo.__getitem__, tokenize(text)) if term]


def term_counts(text: str, memo: _Terms) -> Counter[str]:
    """How often each of ``index_terms(text)`` occurs in it, in order of first occurrence."""
    counts = Counter(map(memo.__getitem__, tokenize(text)))  # counted in C; stop words counted as ""
    counts.pop("", None)
    return counts


# ---------------------------------------------------------------- browser index (search-index/)

INDEX_DIR = "search-index"
INDEX_VERSION = 2
IDS_PER_CHUNK = 16  # ids/<k>.json: a result costs one small chunk (~0.6 KB gzip) beside its API document
# Every id in doc order, stored gzip-compressed (~21 B a paper on disk): the page loads it in one request
# once the reader has seen a first result, and a further query needs no id chunks.
ID_TABLE = "ids/all.json.gz"
BODY_KEEP = 1000  # per term, postings kept beyond its title postings: the best-scoring ones
BLOCK_CHARS = 8192  # postings blocks (p/<n>.json) are packed to about this size
SHARD_CHARS = 8192  # vocabulary shards (v/<n>.json) likewise
# BM25 per field, fields weighted; the sum is quantized to 1..31 (``LEVEL_SCALE``).
FIELD_WEIGHTS = (("title", 4.0), ("abstract", 1.0), ("authors", 3.0), ("organization", 2.0))
K1 = 1.2
B = 0.75
LEVEL_SCALE = 3.0
TITLE_FLAG = 32  # set in a posting's code when the term is in the paper's title
# 64 characters that need no escaping in JSON: a posting is varint(doc gap) + one code character.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def doc_order(records: Sequence[SearchRecord]) -> list[SearchRecord]:
    """Newest first (undated last), then by id: doc numbers follow this order, so a year is a range."""
    return sorted(records, key=lambda r: (not r.published, -_ordinal(r.published), r.id))


def _ordinal(iso: str) -> int:
    return date.fromisoformat(iso).toordinal() if iso else 0


def _varint(n: int) -> str:
    """Base-32 digits, most significant first; every digit but the last is marked (+32)."""
    digits = [ALPHABET[n & 31]]
    n >>= 5
    while n:
        digits.append(ALPHABET[32 + (n & 31)])
        n >>= 5
    return "".join(reversed(digits))


_VARINTS = [_varint(n) for n in range(1024)]


def encode_docs(docs: Sequence[int], codes: Sequence[int] | None = None) -> str:
    """Sorted doc numbers as gaps (doc - previous - 1), each followed by its code character if any."""
    out = []
    previous = -1
    for i, doc in enumerate(docs):
        gap = doc - previous - 1
        out.append(_VARINTS[gap] if gap < 1024 else _varint(gap))
        if codes is not None:
            out.append(ALPHABET[codes[i]])
        previous = doc
    return "".join(out)


def decode_docs(text: str, with_codes: bool) -> list[tuple[int, int]]:
    """The inverse of ``encode_docs`` (search_engine reads postings with it; the browser's copy is in engine.js)."""
    values = {ch: i for i, ch in enumerate(ALPHABET)}
    result, doc, value, i = [], -1, 0, 0
    while i < len(text):
        digit = values[text[i]]
        i += 1
        if digit >= 32:
            value = (value << 5) | (digit - 32)
            continue
        doc += ((value << 5) | digit) + 1
        value = 0
        code = 0
        if with_codes:
            code = values[text[i]]
            i += 1
        result.append((doc, code))
    return result


def _js_order(term: str) -> bytes:
    """Sort key matching JavaScript's string comparison (UTF-16 code units)."""
    return term.encode("utf-16-be", "surrogatepass")


class _Postings(dict):
    """term -> array of (doc << 6 | code), appended in doc order: compact, one lookup per pair."""

    def __missing__(self, term: str) -> array:
        packed = self[term] = array("q")
        return packed


def _field_texts(record: SearchRecord) -> tuple[str, str, str, str]:
    abstract = f"{record.abstract} {record.hf_text}" if record.hf_text else record.abstract
    return (record.title, abstract, " ".join(record.authors), record.organization)


def build_postings(records: Sequence[SearchRecord]) -> _Postings:
    """Every (term, paper) pair with its quantized score; ``records`` in doc order.

    Field lengths for BM25's normalisation are whitespace word counts (a C-speed split; only their
    ratio to the average matters).  Most pairs are abstract-only, so their code depends on the term
    frequency alone and is computed once per distinct frequency in a paper.
    """
    memo = _Terms()
    (_, w_title), (_, w_abstract), (_, w_authors), (_, w_org) = FIELD_WEIGHTS
    texts = [_field_texts(record) for record in records]
    lengths = [[len(text.split()) for text in fields] for fields in texts]
    count = max(len(records), 1)
    averages = [max(sum(words[f] for words in lengths) / count, 1.0) for f in range(4)]
    postings = _Postings()
    for doc, (fields, words) in enumerate(zip(texts, lengths, strict=True)):
        title, abstract, authors, org = (term_counts(text, memo) if text else Counter() for text in fields)
        norms = [K1 * (1 - B + B * n / average) for n, average in zip(words, averages, strict=True)]
        extra = _bm25(title, norms[0], w_title)
        in_title = set(extra)
        for counts, norm, weight in ((authors, norms[2], w_authors), (org, norms[3], w_org)):
            for term, score in _bm25(counts, norm, weight).items():
                extra[term] = extra.get(term, 0.0) + score
        norm = norms[1]
        for term in extra:
            tf = abstract.pop(term, 0)
            if tf:
                extra[term] += w_abstract * tf * (K1 + 1) / (tf + norm)
        code_of = {tf: doc << 6 | _level(w_abstract * tf * (K1 + 1) / (tf + norm)) for tf in set(abstract.values())}
        _append_each(postings, abstract, map(code_of.__getitem__, abstract.values()))
        for term, score in extra.items():
            postings[term].append(doc << 6 | _level(score) | (TITLE_FLAG if term in in_title else 0))
    return postings


def _bm25(counts: Mapping[str, int], norm: float, weight: float) -> dict[str, float]:
    return {term: weight * tf * (K1 + 1) / (tf + norm) for term, tf in counts.items()}


def _append_each(postings: _Postings, terms: Iterable[str], values: Iterable[int]) -> None:
    """``postings[term].append(value)`` for each pair, without a Python loop per pair: the abstract-only
    pairs are about 90 % of the index."""
    deque(map(array.append, map(postings.__getitem__, terms), values), maxlen=0)


def _level(score: float) -> int:
    return min(31, max(1, round(score * LEVEL_SCALE)))


def term_postings(packed: array, keep: int = BODY_KEEP, pairs: _Pairs | None = None) -> tuple[str, bool]:
    """A term's encoded postings: every title posting, and the ``keep`` best of the others."""
    best = _best_postings(packed, keep)
    return (encode_packed(packed, pairs), False) if best is None else (encode_packed(best, pairs), True)


def _best_postings(packed: array, keep: int) -> list[int] | None:
    """Every title posting and the ``keep`` best others, in doc order; None when none is dropped."""
    if len(packed) <= keep:
        return None
    body = [value for value in packed if not value & TITLE_FLAG]
    if len(body) <= keep:
        return None
    body.sort(key=_CODE_OF, reverse=True)  # highest code first; stable, so the lowest doc first among equals
    return sorted([value for value in packed if value & TITLE_FLAG] + body[:keep])


_CODE_OF = (63).__and__  # packed value -> its code, without a Python call per value


class _Pairs(dict):
    """(gap << 6 | code) -> that posting's text in ``encode_docs``; memoised, the same pairs recur."""

    def __missing__(self, key: int) -> str:
        gap = key >> 6
        text = self[key] = (_VARINTS[gap] if gap < 1024 else _varint(gap)) + ALPHABET[key & 63]
        return text


def encode_packed(packed: Sequence[int], pairs: _Pairs | None = None) -> str:
    """``encode_docs`` of packed (doc << 6 | code) values in doc order; ``pairs`` may be shared by calls."""
    pairs = pairs if pairs is not None else _Pairs()
    # (doc - previous - 1) << 6 | code is the value less (previous + 1) << 6, i.e. (previous value | 63) + 1
    after = [(value | 63) + 1 for value in packed]
    after.insert(0, 0)
    return "".join(map(pairs.__getitem__, map(operator.sub, packed, after)))


def _packed(items: Sequence[tuple[str, object]], limit: int) -> list[list[tuple[str, object]]]:
    """Consecutive items grouped so that each group's JSON is about ``limit`` characters."""
    groups: list[list[tuple[str, object]]] = []
    current: list[tuple[str, object]] = []
    size = 0
    for key, value in items:
        cost = len(key) + _json_size(value) + 4
        if current and size + cost > limit:
            groups.append(current)
            current, size = [], 0
        current.append((key, value))
        size += cost
    if current:
        groups.append(current)
    return groups


_JSON_ESCAPED = re.compile(r'["\\\x00-\x1f]')  # what json.dumps(ensure_ascii=False) writes as an escape


def _json_size(value: object) -> int:
    """``len(json.dumps(value, ensure_ascii=False))``, without encoding the index's counts and postings."""
    if type(value) is int:
        return len(repr(value))
    if type(value) is str and not _JSON_ESCAPED.search(value):
        return len(value) + 2
    if type(value) is list and value:
        return sum(map(_json_size, value)) + 2 * len(value)  # the brackets and a ", " between items
    return len(json.dumps(value, ensure_ascii=False))


def typo_term(term: str) -> bool:
    """A term that a misspelled query word may be corrected to (letters only, 3 or more)."""
    return len(term) >= 3 and term.isalpha()


def reversed_term(term: str) -> str:
    return term[::-1]


def front_coded(keys: Sequence[str]) -> str:
    """Sorted keys as one string: each is the length of the start it shares with the previous one
    (one ``ALPHABET`` character, at most 63) and the rest of it; keys are separated by spaces."""
    out = []
    previous = ""
    for key in keys:
        shared, most = 0, min(len(key), len(previous), 63)
        while shared < most and key[shared] == previous[shared]:
            shared += 1
        out.append(ALPHABET[shared] + key[shared:])
        previous = key
    return " ".join(out)


def front_decoded(text: str) -> list[str]:
    """The inverse of ``front_coded`` (the browser's copy is in engine.js)."""
    values = {ch: i for i, ch in enumerate(ALPHABET)}
    keys: list[str] = []
    previous = ""
    for item in text.split(" ") if text else []:
        previous = previous[: values[item[0]]] + item[1:]
        keys.append(previous)
    return keys


def index_files(records: Sequence[SearchRecord], topic_names: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """Every file of the browser index, as path (under search-index/) -> bytes.

    - ``meta.json``: paper count, the first term of each vocabulary shard and postings block, the
      first reversed term of each suffix shard, the layout constants, the fields that hold text in
      some paper, and ``topic_names`` (topic id -> name).
    - ``v/<n>.json``: term -> papers holding it (negative when its postings are truncated); a term's
      postings block is found from ``meta.blocks`` alone.
    - ``p/<n>.json``: term -> postings (see ``encode_docs``; code = level 1..31, +32 for a title hit),
      or [papers holding it, postings] when the postings are truncated. Blocks hold consecutive terms
      and ``meta.json`` lists the first term of each, so a whole word goes straight to its block.
    - ``r/<n>.json``: the typo candidates (``typo_term``), spelled backwards and sorted, as one
      front-coded string (``front_coded``): a misspelled word whose second half is intact finds its
      corrections here, one whose first half is intact in the vocabulary shards.
    - ``ids/<k>.json``: the paper ids of doc numbers k*16 .. k*16+15.
    - ``ids/all.json.gz``: every paper id in doc order, as gzip-compressed JSON (a fixed header: no
      name, no time).
    - ``filters.json``: topics (by id), years (as doc ranges) and organizations, with counts.
    - ``facets/topic.json``, ``facets/organization.json``: value -> its doc numbers (encoded).
    """
    records = doc_order(records)
    postings = build_postings(records)
    terms = sorted(postings, key=_js_order)
    files: dict[str, bytes] = {}

    encoded = []
    counts = {}
    pairs = _Pairs()
    for term in terms:
        packed = postings[term]
        text, truncated = term_postings(packed, BODY_KEEP, pairs)
        encoded.append((term, [len(packed), text] if truncated else text))
        counts[term] = -len(packed) if truncated else len(packed)
    blocks = _packed(encoded, BLOCK_CHARS)
    for n, block in enumerate(blocks):
        files[f"p/{n}.json"] = _encode_json(dict(block))
    shards = _packed([(term, counts[term]) for term in terms], SHARD_CHARS)
    for n, shard in enumerate(shards):
        files[f"v/{n}.json"] = _encode_json(dict(shard))
    backwards = sorted((reversed_term(term) for term in terms if typo_term(term)), key=_js_order)
    suffix_shards = _packed([(key, 0) for key in backwards], SHARD_CHARS)
    for n, shard in enumerate(suffix_shards):
        files[f"r/{n}.json"] = _encode_json(front_coded([key for key, _ in shard]))

    ids = [r.id for r in records]
    for k in range(0, len(ids), IDS_PER_CHUNK):
        files[f"ids/{k // IDS_PER_CHUNK}.json"] = _encode_json(ids[k : k + IDS_PER_CHUNK])
    files[ID_TABLE] = gzip.compress(_encode_json(ids), compresslevel=9, mtime=0)

    topic_ids = {name: topic for topic, name in (topic_names or {}).items()}
    by_topic: dict[str, list[int]] = {}
    by_org: dict[str, list[int]] = {}
    years: dict[str, list[int]] = {}
    for doc, record in enumerate(records):
        for topic in dict.fromkeys(topic_ids.get(name, name) for name in record.topics):
            by_topic.setdefault(topic, []).append(doc)
        if record.organization:
            by_org.setdefault(record.organization, []).append(doc)
        if record.year:
            years.setdefault(record.year, []).append(doc)
    files["facets/topic.json"] = _encode_json({name: encode_docs(docs) for name, docs in by_topic.items()})
    files["facets/organization.json"] = _encode_json({name: encode_docs(docs) for name, docs in by_org.items()})
    files["filters.json"] = _encode_json(
        {
            "topic": sorted([name, len(docs)] for name, docs in by_topic.items()),
            "organization": sorted([name, len(docs)] for name, docs in by_org.items()),
            # docs are newest first, so a year is the range [first, last + 1)
            "year": sorted(([year, docs[0], docs[-1] + 1] for year, docs in years.items()), reverse=True),
        }
    )
    files["meta.json"] = _encode_json(
        {
            "version": INDEX_VERSION,
            "papers": len(records),
            "shards": [shard[0][0] for shard in shards],
            "blocks": [block[0][0] for block in blocks],
            "suffix_shards": [shard[0][0] for shard in suffix_shards],
            "ids_per_chunk": IDS_PER_CHUNK,
            "id_table": ID_TABLE,
            "title_flag": TITLE_FLAG,
            "fields": searched_fields(records),
            "topic_names": dict(topic_names or {}),
        }
    )
    return files


def searched_fields(records: Sequence[SearchRecord]) -> list[str]:
    """The indexed fields that hold text in at least one paper (what the search box may promise)."""
    fields = []
    for name, _ in FIELD_WEIGHTS:
        if any(_field_texts(record)[[f for f, _ in FIELD_WEIGHTS].index(name)] for record in records):
            fields.append(name)
    return fields


def write_index(
    site_dir: Path, papers: Sequence[Paper], topics_of: Mapping[str, tuple[str, ...]], topic_names: Mapping[str, str]
) -> None:
    """Write the browser index of these papers into ``site_dir/search-index/`` (replacing any old one).

    The files are written into a scratch folder beside it and swapped in, so a failure leaves the
    previous index whole.  Results are displayed from ``api/papers/<id>.json`` (the build's JSON API).
    """
    site_dir = Path(site_dir)
    records = search_records(papers, topics_of)
    files = index_files(records, topic_names)
    site_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{INDEX_DIR}-", dir=site_dir))
    try:
        os.chmod(staging, 0o755)
        folders = {str(Path(path).parent) for path in files}
        for folder in sorted(folders):
            (staging / folder).mkdir(parents=True, exist_ok=True)
        for path, data in files.items():
            (staging / path).write_bytes(data)
        target = site_dir / INDEX_DIR
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# ---------------------------------------------------------------- terminal search with lunr.py (--engine lunr)


def lunr_documents(records: Sequence[SearchRecord]) -> list[dict]:
    return [
        {
            "id": record.id,
            "title": record.title,
            "abstract": _field_texts(record)[1],
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
    cache_dir = cache_dir or cache.cache_dir()
    if cache_dir is None:  # PAPERARCHIVE_CACHE_DIR=none: no cache at all
        return build_lunr_index(records)
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
    """The lunr.py engine (``paperarchive search --engine lunr``)."""
    records = search_records(papers, {})
    return search_index(cached_lunr_index(records, cache_dir), records, query, limit)


# ---------------------------------------------------------------- terminal search (the browser's engine)


@dataclass(frozen=True)
class Answer:
    """What the terminal search found, and what it tells the reader about the query."""

    hits: tuple[Hit, ...]
    count: int
    corrections: Mapping[str, Sequence[str]]
    missing: tuple[str, ...]
    every_word: bool


def index_of(records: Sequence[SearchRecord], cache_folder: Path | None) -> dict[str, bytes]:
    """The browser index of these records (what ``write_index`` publishes), cached by content."""
    docs = lunr_documents(records)
    dates = [record.published for record in records]  # doc numbers follow the dates
    digest = hashlib.sha256(
        json.dumps([CACHE_SCHEMA, INDEX_VERSION, docs, dates], sort_keys=True).encode("utf-8", "surrogatepass")
    ).hexdigest()[:20]
    cached = cache_folder / f"search-index-{digest}.json" if cache_folder else None
    if cached and cached.exists():
        try:
            stored = json.loads(cached.read_text(encoding="utf-8"))
            return {path: text.encode("utf-8", "surrogatepass") for path, text in stored.items()}
        except (ValueError, AttributeError, OSError):
            pass  # a damaged cache is rebuilt below
    files = {path: data for path, data in index_files(records).items() if path.endswith(".json")}
    if cached:
        text = json.dumps({path: data.decode("utf-8", "surrogatepass") for path, data in files.items()})
        cache.write_cache_file(cached, text.encode("utf-8", "surrogatepass"))
        for old in cached.parent.glob("search-index-*.json"):
            if old != cached:
                old.unlink(missing_ok=True)
    return files


def search_store_papers(
    papers: Sequence[Paper], query: str, limit: int, literal: bool = False, cache_folder: Path | None = None
) -> Answer:
    """The browser's answer to a query typed in the search page: the same index files, tokenizer,
    typo rule and ranking (search_engine), the first page ordered by titles as the page orders it."""
    from . import search_engine

    records = doc_order(search_records(papers, {}))
    engine = search_engine.Engine(search_engine.files_loader(index_of(records, cache_folder)))
    outcome = engine.run(query, literal=literal)
    first, checked = search_engine.arrange(outcome, lambda doc: (records[doc].title, records[doc].abstract))
    rest = [] if outcome.query.phrases else [doc for doc in outcome.docs[len(first) :]]
    ranked = (first + rest)[: max(limit, 0)]
    hits = tuple(Hit(records[doc], outcome.scores.get(doc, 0.0)) for doc in ranked)
    count = len(first) if outcome.query.phrases and checked >= len(outcome.docs) else outcome.count
    return Answer(hits, count, outcome.corrections, tuple(outcome.missing), outcome.every_word)


# C0 and C1 controls, and the bidirectional overrides and isolates: shown escaped in a terminal, where
# they would move the cursor, recolour the screen or reorder the line.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """Text as a terminal may print it: control characters as Python escapes (\\n, \\x1b, \\u202e)."""
    return _TERMINAL_UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)


def print_hits(hits: Sequence[Hit], as_json: bool, out: TextIO) -> None:
    if as_json:
        out.writelines(json.dumps(hit.json(), ensure_ascii=False) + "\n" for hit in hits)
        return
    if not hits:
        out.write("no papers found\n")
        return
    out.write(f"{'score':>7}  {'published':<10}  title / url\n")
    for hit in hits:
        out.write(f"{hit.score:7.2f}  {hit.record.published or '-':<10}  {terminal_text(hit.record.title)}\n")
        out.write(f"{'':7}  {'':10}  {terminal_text(hit.record.url)}\n")


def print_notices(answer: Answer, err: TextIO) -> None:
    """The page's notices, on stderr: corrections, words that matched nothing, partial matches."""
    if answer.corrections:
        read = ", ".join(f"{terminal_text(word)} -> {terms[0]}" for word, terms in answer.corrections.items())
        print(f"search: showing results for corrected words ({read}); --literal searches the words as typed", file=err)
    if answer.missing:
        words = ", ".join(f'"{terminal_text(word)}"' for word in answer.missing)
        print(f"search: no paper matches {words}; showing the papers that match the other words best", file=err)
    elif not answer.every_word:
        print("search: no paper holds all of these words; showing the best partial matches", file=err)


def search_command(
    query: str, store: Path, limit: int, as_json: bool, engine: str = "index", literal: bool = False
) -> int:
    """`paperarchive search`: search the store's papers; exit 0 when something was found, 1 when
    not, 2 when there is nothing to search (no store, an empty one, a query without words)."""
    from . import store as paper_store

    store = Path(store)
    if not store.is_dir():
        print(f"{store}: no store here (run inside a project folder, or give --store FOLDER)", file=sys.stderr)
        return 2
    try:
        loaded = paper_store.load_store(store)
    except OSError as error:
        print(f"{store}: cannot read the store: {error}", file=sys.stderr)
        return 2
    for problem in loaded.problems:
        print(problem, file=sys.stderr)  # a bad store file is reported; the other papers are still searched
    papers = list(loaded.papers.values())
    if not papers:
        print(f"{store}: no papers in the store (run `paperarchive ingest` first)", file=sys.stderr)
        return 2
    if not query_words(query):
        print("search: the query has no words to look for", file=sys.stderr)
        return 2
    if engine == "lunr":
        hits = search_papers(papers, query, limit)
    else:
        answer = search_store_papers(papers, query, limit, literal=literal, cache_folder=cache.cache_dir())
        print_notices(answer, sys.stderr)
        hits = list(answer.hits)
    print_hits(hits, as_json, sys.stdout)
    return 0 if hits else 1
