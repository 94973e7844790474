"""The query engine over the browser index (``search-index/``): the steps of
``theme/assets/search/engine.js``, in the same order with the same constants, so that
``paperarchive search`` and the browser return the same papers for the same query.

A query runs in two stages.  ``Engine.run`` reads the index files (vocabulary shards, postings
blocks, suffix shards) and ranks doc numbers: papers holding every word (exactly, as a prefix for
an unfinished last word, or through a typo correction), a title holding every word first, then
more words matched, then the BM25-like score, then newer.  ``arrange`` then orders the first
page by the papers' titles (exact title, title named by the query as in "Name: subtitle", title
starting with the query, title holding every word) and keeps only papers holding each quoted
phrase.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .records import fold_title
from .search import (
    STOPWORDS,
    decode_docs,
    front_decoded,
    query_words,
    stem,
    tokenize,
    typo_term,
)

PREFIX_MIN = 3  # an unfinished last word matches as a prefix from this length
PREFIX_TERMS = 16  # ... and then at most this many terms (the most frequent)
BLOCK_RANGE = 2  # a prefix whose terms fill at most this many postings blocks is read from them
TYPO_MIN = 4  # words of this length or more are corrected when the vocabulary lacks them
TYPO_LONG = 8  # ... with up to 2 edits from this length, else 1
TYPO_CANDIDATES = 6  # the closest candidates whose postings are read
TYPO_TERMS = 3  # the most frequent of them stand for the word
TYPO_WEIGHT = 0.5  # a correction scores half of what the exact word would
PAGE_SIZE = 20  # the results page (and the terminal) orders this many papers by their titles
PHRASE_CHECKS = 100  # a quoted phrase is looked for in at most this many papers holding its words


@dataclass(frozen=True)
class Word:
    token: str
    term: str | None  # its index term (stem); None for a stop word kept as a prefix
    prefix: str | None  # the unfinished last word
    unfinished: bool = False  # the last word, too short to be a prefix yet: ignored when unknown


@dataclass(frozen=True)
class Query:
    words: tuple[Word, ...]
    phrases: tuple[tuple[str, ...], ...]  # each quoted phrase, as index terms of all its tokens
    title_words: tuple[str, ...]  # the query's folded words, for the title rules
    open: bool = False  # the query ends inside a word: its last title word may be unfinished


@dataclass(frozen=True)
class Entry:
    count: int
    block: int
    truncated: bool
    weight: float = 1.0


@dataclass
class Outcome:
    query: Query
    docs: list[int]  # ranked doc numbers
    count: int  # papers in the pool
    every_word: bool  # the pool holds every word (else: the best partial matches)
    missing: list[str] = field(default_factory=list)  # words that matched nothing
    corrections: dict[str, list[str]] = field(default_factory=dict)  # word -> terms it was read as
    scores: dict[int, float] = field(default_factory=dict)  # doc -> its score (printed by the terminal)


def is_open(query: str) -> bool:
    """The query ends inside a word (the reader may still be typing it)."""
    return bool(query) and bool(tokenize(query[-1]))


def phrase_terms(text: str) -> tuple[str, ...]:
    return tuple(stem(token) for token in tokenize(text))


def parse_query(query: str) -> Query:
    parts = query.split('"')
    phrases = tuple(
        terms for terms in (phrase_terms(part) for part in parts[1::2]) if len(terms) > 1
    )
    tokens = tokenize(query.replace('"', " "))
    open_word = is_open(query)
    words: list[Word] = []
    seen: set[tuple] = set()
    for i, token in enumerate(tokens):
        prefix = token if i == len(tokens) - 1 and open_word and len(token) >= PREFIX_MIN else None
        if token in STOPWORDS and not prefix:
            continue
        term = None if token in STOPWORDS else stem(token)
        if (term, prefix) in seen:
            continue
        seen.add((term, prefix))
        unfinished = i == len(tokens) - 1 and open_word and not prefix
        words.append(Word(token, term, prefix, unfinished))
    return Query(tuple(words), phrases, tuple(query_words(query.replace('"', " "))), open_word)


def js_key(term: str) -> bytes:
    """JavaScript's string order (UTF-16 code units)."""
    return term.encode("utf-16-be", "surrogatepass")


def parts_for(firsts: Sequence[str], low: str, high: str) -> list[int]:
    """The files (given their first terms) that may hold terms in [low, high]."""
    if not firsts:
        return []

    def last(term: str) -> int:
        lo, hi = 0, len(firsts) - 1
        key = js_key(term)
        while lo < hi:
            mid = (lo + hi + 1) >> 1
            if js_key(firsts[mid]) <= key:
                lo = mid
            else:
                hi = mid - 1
        return lo

    return list(range(last(low), last(high) + 1))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (an adjacent swap is one edit); limit + 1 when over it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return min(previous[len(b)], limit + 1)


def typo_word(word: Word) -> str | None:
    """The spelling a word is corrected from, when it may be corrected at all."""
    spelling = word.term if word.term is not None else (stem(word.prefix) if word.prefix else None)
    return spelling if spelling and len(spelling) >= TYPO_MIN and spelling.isalpha() else None


class Engine:
    """Queries over one index; ``load(path)`` returns the parsed JSON of ``search-index/<path>``."""

    def __init__(self, load: Callable[[str], object]):
        self.load = load
        self.meta: dict = load("meta.json")  # type: ignore[assignment]
        self.block_counts: dict[tuple[int, str], int] = {}

    # ------------------------------------------------------------ vocabulary

    def block_of(self, term: str) -> int:
        return parts_for(self.meta["blocks"], term, term)[0]

    def block_entry(self, value, n: int, term: str) -> Entry:
        if not isinstance(value, str):
            return Entry(value[0], n, True)
        key = (n, term)
        if key not in self.block_counts:
            self.block_counts[key] = len(decode_docs(value, True))
        return Entry(self.block_counts[key], n, False)

    def vocabulary_for(self, word: Word) -> dict[str, Entry]:
        low = word.prefix if word.prefix and (not word.term or js_key(word.prefix) < js_key(word.term)) else word.term
        highs = [h for h in (word.term, word.prefix and word.prefix + "\uffff") if h]
        high = max(highs, key=js_key)
        blocks = parts_for(self.meta["blocks"], low, high)
        if blocks and len(blocks) <= BLOCK_RANGE:
            parts = []
            for n in blocks:
                block = self.load(f"p/{n}.json")
                parts.append((block, lambda term, block=block, n=n: self.block_entry(block[term], n, term)))
            return pick_terms(word, parts)
        parts = []
        for n in parts_for(self.meta["shards"], low, high):
            shard = self.load(f"v/{n}.json")
            parts.append((shard, lambda term, shard=shard: Entry(abs(shard[term]), self.block_of(term), shard[term] < 0)))
        return pick_terms(word, parts)

    def typo_candidates(self, spelling: str) -> list[str]:
        """Vocabulary terms within the typo distance whose first or second half is the word's own."""
        limit = 2 if len(spelling) >= TYPO_LONG else 1
        half = len(spelling) // 2
        head, tail = spelling[:half], spelling[half:]
        found: set[str] = set()
        for n in parts_for(self.meta["shards"], head, head + "\uffff"):
            found.update(term for term in self.load(f"v/{n}.json") if term.startswith(head) and typo_term(term))
        backwards = tail[::-1]
        for n in parts_for(self.meta.get("suffix_shards", []), backwards, backwards + "\uffff"):
            found.update(key[::-1] for key in front_decoded(str(self.load(f"r/{n}.json"))) if key.startswith(backwards))
        distances = {term: edit_distance(spelling, term, limit) for term in found if term != spelling}
        best = min(distances.values(), default=limit + 1)
        if best > limit:
            return []
        return sorted((term for term, d in distances.items() if d == best), key=js_key)[:TYPO_CANDIDATES]

    def corrections_for(self, spelling: str) -> dict[str, Entry]:
        entries = []
        for term in self.typo_candidates(spelling):
            n = self.block_of(term)
            block = self.load(f"p/{n}.json")
            if term in block:
                entry = self.block_entry(block[term], n, term)
                entries.append((term, Entry(entry.count, n, entry.truncated, TYPO_WEIGHT)))
        entries.sort(key=lambda item: (-item[1].count, js_key(item[0])))
        return dict(entries[:TYPO_TERMS])

    # ------------------------------------------------------------ ranking

    def run(self, query: str, mask: Sequence[int] | None = None, literal: bool = False) -> Outcome:
        """Rank the query's papers (``mask``: only the docs it marks; ``literal``: no typo correction)."""
        parsed = parse_query(query)
        total = self.meta["papers"]
        vocabularies = []
        missing: list[str] = []
        corrections: dict[str, list[str]] = {}
        for word in parsed.words:
            vocabulary = self.vocabulary_for(word)
            spelling = typo_word(word) if not vocabulary and not literal else None
            if spelling:
                vocabulary = self.corrections_for(spelling)
                if vocabulary:
                    corrections[word.token] = list(vocabulary)
            if not vocabulary and word.unfinished:
                continue
            if not vocabulary:
                missing.append(word.token)
            vocabularies.append(vocabulary)
        if not vocabularies:
            return Outcome(parsed, [], 0, True, missing, corrections)
        docs, count, every_word, scores = self.rank(vocabularies, total, mask)
        return Outcome(parsed, docs, count, every_word, missing, corrections, scores)

    def rank(self, vocabularies: list[dict[str, Entry]], total: int, mask) -> tuple[list[int], int, bool, dict]:
        matched: dict[int, int] = {}
        in_title: dict[int, int] = {}
        score: dict[int, float] = {}
        hard = 0
        for vocabulary in vocabularies:
            if not vocabulary:
                hard += 1  # a word found nowhere: nothing holds every word
                continue
            truncated = any(entry.truncated for entry in vocabulary.values())
            best: dict[int, float] = {}
            title: dict[int, int] = {}
            # a word weighs as much as its most frequent term: a rare term that merely starts like it
            # (or is one edit from it) must not outscore the word itself
            most = max(entry.count for entry in vocabulary.values())
            idf = math.log(1 + (total - most + 0.5) / (most + 0.5))
            for term, entry in vocabulary.items():
                value = self.load(f"p/{entry.block}.json")[term]
                for doc, code in decode_docs(value if isinstance(value, str) else value[1], True):
                    points = idf * (code & 31) * entry.weight
                    if points > best.get(doc, 0.0):
                        best[doc] = points
                    if code & 32:
                        title[doc] = 1
            if not truncated:
                hard += 1
            for doc, points in best.items():
                matched[doc] = matched.get(doc, 0) + (0 if truncated else 1)
                score[doc] = score.get(doc, 0.0) + points
                in_title[doc] = in_title.get(doc, 0) + title.get(doc, 0)
        allowed = (lambda doc: True) if mask is None else (lambda doc: bool(mask[doc]))
        every_word = any(matched[doc] == hard and allowed(doc) for doc in matched)
        pool = [doc for doc in matched if allowed(doc) and (not every_word or matched[doc] == hard)]
        words = len(vocabularies)
        pool.sort(key=lambda doc: (-(in_title[doc] == words), -matched[doc], -score[doc], doc))
        return pool, len(pool), every_word, score


def pick_terms(word: Word, parts) -> dict[str, Entry]:
    """The word's own term, and for a prefix its PREFIX_TERMS most frequent other terms."""
    found: dict[str, Entry] = {}
    for part, entry_of in parts:
        if word.term and word.term in part:
            found[word.term] = entry_of(word.term)
    if word.prefix:
        extra = []
        for part, entry_of in parts:
            for term in part:
                if term != word.term and term.startswith(word.prefix):
                    extra.append((term, entry_of(term)))
        extra.sort(key=lambda item: (-item[1].count, js_key(item[0])))
        for term, entry in extra[:PREFIX_TERMS]:
            found[term] = entry
    return found


# ---------------------------------------------------------------- the title stage


def title_name(title: str) -> str:
    """What a "Name: subtitle" title names: its text before the first colon."""
    return fold_title(title.split(":", 1)[0])


def title_holds_all(words: Sequence[str], title: str) -> bool:
    stems = [stem(word) for word in fold_title(title).split()]
    return bool(words) and all(any(s.startswith(stem(word)) for s in stems) for word in words)


def title_rank(words: Sequence[str], title: str, unfinished: bool = False) -> int:
    """0 the exact title, 1 a title named by the query, 2 a title starting with it, 3 a title
    holding every word, 4 any other.  With ``unfinished``, the last word may be the start of the
    title's word (the reader is typing it)."""
    if not words:
        return 4
    query = " ".join(words)
    folded = fold_title(title)
    if folded == query:
        return 0
    name = title_name(title) if ":" in title else ""
    if name == query or (unfinished and name.startswith(query) and len(name.split()) == len(words)):
        return 1
    if folded.startswith(query if unfinished else query + " "):
        return 2
    return 3 if title_holds_all(words, title) else 4


def holds_phrases(phrases: Sequence[Sequence[str]], title: str, abstract: str) -> bool:
    if not phrases:
        return True
    text = " ".join((*phrase_terms(title), "|", *phrase_terms(abstract)))
    return all(f" {' '.join(phrase)} " in f" {text} " for phrase in phrases)


def corrected_words(outcome: Outcome) -> list[str]:
    """The query's words with each corrected word read as its most frequent correction."""
    return [outcome.corrections[w][0] if w in outcome.corrections else w for w in outcome.query.title_words]


def arrange(outcome: Outcome, texts: Callable[[int], tuple[str, str]], size: int = PAGE_SIZE) -> tuple[list[int], int]:
    """The first ``size`` papers: phrase holders only, ordered by ``title_rank``, then the index's
    order; and how many candidates were checked for a phrase (0 without phrases)."""
    phrases = outcome.query.phrases
    kept: list[int] = []
    checked = 0
    for doc in outcome.docs:
        if len(kept) >= size or (phrases and checked >= PHRASE_CHECKS):
            break
        checked += 1
        title, abstract = texts(doc)
        if holds_phrases(phrases, title, abstract):
            kept.append(doc)
    words = corrected_words(outcome)
    order = {doc: i for i, doc in enumerate(kept)}
    unfinished = outcome.query.open
    kept.sort(key=lambda doc: (title_rank(words, texts(doc)[0], unfinished), order[doc]))
    return kept, checked if phrases else 0


def files_loader(files: Mapping[str, bytes]) -> Callable[[str], object]:
    cache: dict[str, object] = {}

    def load(path: str) -> object:
        if path not in cache:
            cache[path] = json.loads(files[path])
        return cache[path]

    return load
