"""The merge rules: which stored paper an entry is, and what the paper says afterwards.

Which paper (``_Merger.targets``):

1. The arXiv id, when known, decides: an entry with arXiv id X is the paper with X, and never a
   paper with another arXiv id.
2. Otherwise an abstract (case and spacing folded, at least ``ABSTRACT_MATCH_MIN`` characters)
   identifies a paper, so a listing that corrects a title lands on the same record.
3. Otherwise the title: folded (case, punctuation, spacing) but with its symbols kept
   (``C++``/``C#``, ``=``/``≠`` are different titles), the current title or a former one.  A title
   match whose abstract clearly disagrees with the entry's is another paper; a title alone never
   joins two stored papers.
4. Two entries of one listing are never one paper (unless their arXiv id says so).

When the abstract or arXiv id points to one paper and the title to another with a clearly different
abstract, the abstract (or id) wins: the paper is renamed and a warning says so.  Every rename,
every title-only match across different abstracts, every split and every join is a ``MergeNote``.

What the paper says: the newest source (by listed date, then listing name) wins on every field it
carries; an unknown value (None, empty) never erases a known one; an older source only fills gaps.
A field of ``Paper`` that an ``Entry`` also has is merged by name with that rule unless
``_RULES`` gives it another; the fields derived from others are computed in ``_derived``.
Ids never change; a paper merged into another keeps its id as an alias of the kept one.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from types import MappingProxyType

from .records import (
    Entry,
    Paper,
    Source,
    UpvoteCount,
    fold_title,
    links_in,
    slug_for_title,
)

# An abstract (case and spacing folded) at least this long identifies a paper on its own.  Shorter
# ones ("We present a new benchmark.") could be shared by different papers.
ABSTRACT_MATCH_MIN = 200
# Two abstracts clearly disagree (two papers, whatever their titles) when each has at least this
# many distinct words and the words they share are fewer than this share of the shorter one's words
# (the overlap coefficient).  A truncated abstract shares all its words with the whole (1.0), a revised
# one most of them.  Two papers of the corpus: median 0.21 (any two), 0.28 (titles sharing three
# words), 99th percentile 0.33 and 0.45.
DISAGREE_MIN_WORDS = 20
DISAGREE_BELOW = 0.5


@dataclass(frozen=True)
class MergeNote:
    """Something the merge decided that a maintainer should hear about, located at the entry."""

    listing: str
    line: int
    message: str
    warning: bool = False  # a warning is a problem (fatal under --strict); the others are reported only

    def __str__(self) -> str:
        return f"{self.listing}:{self.line}: {self.message}"


@dataclass(frozen=True)
class MergeResult:
    """The store after merging: every paper by id (sorted), and what changed.

    ``retired`` are ids of papers merged into another one (their files go; the
    kept paper lists them in ``aliases`` so their URLs redirect).
    """

    papers: Mapping[str, Paper]
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: tuple[str, ...] = ()
    notes: tuple[MergeNote, ...] = ()


def merge(store, entries: Iterable[Entry]) -> MergeResult:
    """Fold entries into the store's papers (pure; the order of ``entries`` does not matter).

    ``store`` is a ``store.Store`` (its ``papers`` and ``reserved`` ids).  Entries apply in
    (listed date, listing name, line) order, so a later listing updates an earlier one however
    the files were named on the command line.
    """
    merger = _Merger(store)
    for entry in sorted(entries, key=_entry_order):
        merger.add(entry)
    return merger.result()


# --- keys -----------------------------------------------------------------------------------------

_SYMBOL_CATEGORIES = ("Sm", "Sc")  # math (+ = ≠ < >) and currency signs change what a title says
_SYMBOLS = "#%&@"
# the ASCII characters of those kinds, and every non-ASCII character (whose category is then looked up)
_MAYBE_SYMBOL_RE = re.compile(r"[#$%&+<=>@|~^]|[^\x00-\x7f]")
_ASCII_SYMBOLS = frozenset("#$%&+<=>@|~")


def _is_symbol(ch: str) -> bool:
    return ch in _ASCII_SYMBOLS or (not ch.isascii() and unicodedata.category(ch) in _SYMBOL_CATEGORIES)


def title_key(title: str) -> str:
    """Two titles with the same key are the same title: folded, with its symbols kept in order."""
    text = unicodedata.normalize("NFKC", title)
    symbols = "".join(ch for ch in _MAYBE_SYMBOL_RE.findall(text) if _is_symbol(ch))
    folded = fold_title(text)
    return f"{folded}\x1f{symbols}" if symbols else folded


def _abstract_key(abstract: str) -> str | None:
    # Case and spacing folded only: cheap on 1,000-character abstracts, and a
    # corrected title leaves the abstract as it was.
    if len(abstract) < ABSTRACT_MATCH_MIN:
        return None
    folded = " ".join(abstract.casefold().split())
    return folded if len(folded) >= ABSTRACT_MATCH_MIN else None


_WORD_RE = re.compile(r"\w+")


def _words(abstract: str) -> frozenset[str]:
    return frozenset(_WORD_RE.findall(abstract.casefold()))


def abstracts_disagree(one: str, other: str) -> bool:
    """Whether two abstracts are clearly of two papers (see DISAGREE_MIN_WORDS, DISAGREE_BELOW)."""
    a, b = _words(one), _words(other)
    if len(a) < DISAGREE_MIN_WORDS or len(b) < DISAGREE_MIN_WORDS:
        return False
    return len(a & b) < DISAGREE_BELOW * min(len(a), len(b))


def _differ(one: str, other: str) -> bool:
    """Both abstracts known and not the same text (case and spacing aside)."""
    return bool(one and other) and " ".join(one.casefold().split()) != " ".join(other.casefold().split())


def _source_key(source: Source) -> tuple[date, str, int]:
    # an undated listing sorts first: it never overrides what a dated one says
    return (source.listed or date.min, source.listing, source.rank or 0)


def _entry_order(entry: Entry) -> tuple[date, str, int]:
    return (entry.listed or date.min, entry.listing, entry.line)


def _newest(sources: Iterable[Source]) -> tuple[date, str]:
    return max(((s.listed or date.min, s.listing) for s in sources), default=(date.min, ""))


# --- what a paper says after a merge ----------------------------------------------------------------


def _pick(old, new, later: bool):
    """A value the newer side carries replaces the old one; unknown (None/empty) never does."""
    if new is None or new == "" or new == ():
        return old
    if later or old is None or old == "" or old == ():
        return new
    return old


def _pick_comments(old: int, new: int, later: bool) -> int:
    # The text format leaves the count out both when a paper has no comments and
    # when a page carries no metadata at all, so 0 is "not shown": it never
    # erases a known count.  A later non-zero count replaces (it may go down).
    if new <= 0:
        return old
    return new if later or old == 0 else old


def _first_known(old, new, later: bool):
    # an arXiv id, once known, is the paper's identity (a different one is another paper)
    return old or new


# Fields merged otherwise than by _pick.  ``published`` uses _pick: a later listing's date corrects
# an earlier one (the parsers refuse dates after the listing's own), an unknown date never erases.
_RULES = {"comments": _pick_comments, "arxiv_id": _first_known}
_DERIVED = ("id", "former_titles", "links", "first_seen", "sources", "aliases", "upvote_history")
_ENTRY_FIELDS = {f.name for f in fields(Entry)}
_CARRIED = tuple(f.name for f in fields(Paper) if f.name in _ENTRY_FIELDS and f.name not in _DERIVED)
_TEXT_OR_NONE = {name for name, kind in typing.get_type_hints(Paper).items() if kind == str | None}


def _carried(e: Entry) -> dict:
    """What an entry says of each field a paper takes from entries (an empty optional text is unknown)."""
    found = {}
    for name in _CARRIED:
        value = getattr(e, name)
        if isinstance(value, list):
            value = tuple(value)
        elif name in _TEXT_OR_NONE and value == "":
            value = None
        found[name] = value
    return found


def _new_paper(paper_id: str, e: Entry) -> Paper:
    values = _carried(e)
    sources = (Source(e.listed, e.listing, e.rank),)
    return Paper(id=paper_id, **values, **_derived(values, sources, (), ()))


def _derived(values: Mapping, sources: tuple[Source, ...], titles_seen: Iterable[str], aliases: Iterable[str],
             history: tuple[UpvoteCount, ...] = ()) -> dict:
    return {
        "upvote_history": history,
        "former_titles": _former_titles(values["title"], titles_seen),
        "links": links_in(values["abstract"]),
        "first_seen": min((s.listed for s in sources if s.listed), default=None),
        "sources": sources,
        "aliases": tuple(aliases),
    }


def _merged(kept: Paper, new: Mapping, later: bool) -> dict:
    return {name: _RULES.get(name, _pick)(getattr(kept, name), new[name], later) for name in _CARRIED}


def _apply(p: Paper, e: Entry) -> Paper:
    """Paper ``p`` after entry ``e``; ``e`` wins on what it carries only if it is not older than p's sources."""
    later = (e.listed or date.min, e.listing) >= _newest(p.sources)
    values = _merged(p, _carried(e), later)
    # a listing ingested again replaces what it said before (its rank may have changed)
    others = {s for s in p.sources if (s.listed, s.listing) != (e.listed, e.listing)}
    sources = tuple(sorted(others | {Source(e.listed, e.listing, e.rank)}, key=_source_key))
    history = _history_after(p, e, later)
    return Paper(id=p.id, **values, **_derived(values, sources, (*p.former_titles, p.title, e.title), p.aliases, history))


def _combine(kept: Paper, gone: Paper) -> Paper:
    """One paper from two records of it: ``kept`` keeps its id, ``gone``'s id becomes an alias."""
    later = _newest(gone.sources) >= _newest(kept.sources)
    values = _merged(kept, {name: getattr(gone, name) for name in _CARRIED}, later)
    sources = tuple(sorted(set(kept.sources) | set(gone.sources), key=_source_key))
    titles = (*kept.former_titles, *gone.former_titles, kept.title, gone.title)
    aliases = sorted(set(kept.aliases) | set(gone.aliases) | {gone.id})
    points = sorted((*_counts_seen(kept), *_counts_seen(gone)), key=lambda c: c.day or date.min)
    history = _compact(points)
    return Paper(id=kept.id, **values, **_derived(values, sources, titles, aliases, history))


def _counts_seen(p: Paper) -> tuple[UpvoteCount, ...]:
    """Every upvote count the paper's captures gave, oldest first (its current one alone when unchanged)."""
    if p.upvote_history:
        return p.upvote_history
    return (UpvoteCount(p.upvotes_on, p.upvotes),) if p.upvotes is not None else ()


def _compact(points: Iterable[UpvoteCount]) -> tuple[UpvoteCount, ...]:
    """The points where the count changed; none kept while it never did (``upvotes`` says it)."""
    kept: list[UpvoteCount] = []
    for point in points:
        if not kept or kept[-1].upvotes != point.upvotes:
            kept.append(point)
    return tuple(kept) if len(kept) > 1 else ()


def _history_after(p: Paper, e: Entry, later: bool) -> tuple[UpvoteCount, ...]:
    """The upvote history once entry ``e`` is applied: a later capture adds its count at the end, an
    older one goes before the captures of later days (re-reading a capture already kept adds nothing)."""
    if e.upvotes is None:
        return p.upvote_history
    seen = list(_counts_seen(p))
    point = UpvoteCount(e.listed, e.upvotes)
    if point in seen:
        return p.upvote_history
    if later:
        seen.append(point)
    else:
        at = next((i for i, c in enumerate(seen) if (c.day or date.min) > (e.listed or date.min)), len(seen))
        seen.insert(at, point)
    return _compact(seen)


def _former_titles(title: str, seen: Iterable[str]) -> tuple[str, ...]:
    """Titles (one spelling per title key, the smallest) other than the current one's key."""
    current = title_key(title)
    spelling: dict[str, str] = {}
    for other in seen:
        key = title_key(other)
        if other and key != current and (key not in spelling or other < spelling[key]):
            spelling[key] = other
    return tuple(sorted(spelling.values()))


# --- finding the paper an entry is ------------------------------------------------------------------


@dataclass(frozen=True)
class _Keys:
    arxiv: str | None
    titles: frozenset[str]
    abstract: str | None


class _Merger:
    def __init__(self, store):
        self.before = store.papers
        self.papers: dict[str, Paper] = dict(store.papers)
        self.used = set(store.papers) | set(store.reserved)
        self.used.update(a for p in store.papers.values() for a in p.aliases)
        self.next_number: dict[str, int] = {}  # slug -> the number its next taker tries first
        self.by_arxiv: dict[str, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        self.by_abstract: dict[str, list[str]] = {}
        self.touched: set[str] = set()
        self.retired: list[str] = []
        self.notes: list[MergeNote] = []
        self.claimed: dict[str, dict[str, int]] = {}  # listing -> paper id -> the line of its entry there
        self.keys: dict[str, _Keys] = {}  # as last indexed
        self.indexed: dict[str, tuple[tuple[str, ...], str]] = {}  # id -> (titles, abstract) as last indexed
        for paper in self.papers.values():
            self._index(paper)

    def _index(self, p: Paper) -> None:
        titles = (p.title, *p.former_titles)
        known = self.keys.get(p.id)
        if known is not None and self.indexed[p.id] == (titles, p.abstract) and known.arxiv == p.arxiv_id:
            return
        keys = _Keys(p.arxiv_id, frozenset(map(title_key, titles)), _abstract_key(p.abstract))
        self.indexed[p.id] = (titles, p.abstract)
        self.keys[p.id] = keys
        for index, key in ((self.by_arxiv, keys.arxiv), (self.by_abstract, keys.abstract),
                           *((self.by_title, k) for k in sorted(keys.titles))):
            if key and p.id not in index.get(key, ()):
                index.setdefault(key, []).append(p.id)

    def _live(self, index: dict[str, list[str]], key: str | None, has) -> list[str]:
        """Ids under ``key`` that still exist and still have that key (indexes only grow)."""
        if not key:
            return []
        return [i for i in index.get(key, ()) if i in self.papers and has(self.keys[i], key)]

    def _claimed_by_another(self, pid: str, e: Entry) -> bool:
        # an entry is its place in its listing: the same listing given twice lands on the same papers
        line = self.claimed.get(e.listing, {}).get(pid)
        return line is not None and line != e.line

    def targets(self, e: Entry) -> tuple[list[str], str | None, list[tuple[str, str]]]:
        """(the stored papers this entry is, the one of them matched by title alone, title matches refused and why)."""
        by_arxiv = self._live(self.by_arxiv, e.arxiv_id, lambda k, key: k.arxiv == key)
        by_abstract = self._live(self.by_abstract, _abstract_key(e.abstract), lambda k, key: k.abstract == key)
        arxiv = e.arxiv_id
        found: list[str] = []
        for pid in by_arxiv + by_abstract:
            other = self.papers[pid].arxiv_id
            if pid in found or (arxiv and other and other != arxiv):
                continue
            if pid not in by_arxiv and self._claimed_by_another(pid, e):
                continue
            found.append(pid)
            arxiv = arxiv or other
        abstracts = [e.abstract, *(self.papers[pid].abstract for pid in found)]
        fitting: list[str] = []
        refused: list[tuple[str, str]] = []
        key = title_key(e.title)
        for pid in self._live(self.by_title, key, lambda k, key: key in k.titles):
            paper = self.papers[pid]
            if pid in found or (arxiv and paper.arxiv_id and paper.arxiv_id != arxiv):
                continue
            if self._claimed_by_another(pid, e):
                refused.append((pid, "another entry of this listing"))
            elif any(abstracts_disagree(paper.abstract, text) for text in abstracts):
                refused.append((pid, "whose abstract clearly differs"))
            else:
                fitting.append(pid)
        if not fitting:
            return found, None, refused
        # a title alone never joins two stored papers: the current title before a former one, then the oldest
        best = min(fitting, key=lambda i: (title_key(self.papers[i].title) != key, self.papers[i].first_seen or date.min, i))
        return [*found, best], best, refused

    def add(self, e: Entry) -> None:
        found, by_title, refused = self.targets(e)
        if by_title is not None and _differ(self.papers[by_title].abstract, e.abstract):
            self._note(e, f"matched {_named(self.papers[by_title])} by its title alone although the abstracts differ")
        if not found:
            paper = _new_paper(self._new_id(e.title), e)
            if refused:
                other, why = refused[0]
                self._note(e, f"stored as a new paper {paper.id!r}: its title matches {_named(self.papers[other])}, {why}")
        else:
            kept = min(found, key=lambda i: (self.papers[i].first_seen or date.min, i))
            paper = self.papers[kept]
            for other in found:
                if other != kept:
                    self._note(e, f"{_named(self.papers[other])} is the same paper as {_named(paper)}: merged into {kept!r}")
                    paper = _combine(paper, self.papers.pop(other))
                    self.retired.append(other)
            before = paper
            paper = _apply(paper, e)
            self._report(e, before, paper, refused)
        self.papers[paper.id] = paper
        self.touched.add(paper.id)
        self.claimed.setdefault(e.listing, {})[paper.id] = e.line
        self._index(paper)

    def _report(self, e: Entry, before: Paper, after: Paper, refused: list[tuple[str, str]]) -> None:
        if title_key(before.title) == title_key(after.title):
            return
        if refused:
            other, why = refused[0]
            self._note(e, f"renamed {before.id!r} from {before.title!r} to {after.title!r}: its {_evidence(before, e)} "
                          f"matches, while the title matches {_named(self.papers[other])}, {why}", warning=True)
        else:
            self._note(e, f"renamed {before.id!r} from {before.title!r} to {after.title!r} (same {_evidence(before, e)})")

    def _note(self, e: Entry, message: str, warning: bool = False) -> None:
        self.notes.append(MergeNote(e.listing, e.line, message, warning))

    def _new_id(self, title: str) -> str:
        base = slug_for_title(title)
        if base not in self.used:
            self.used.add(base)
            return base
        # ids are only ever added, so the first free number never goes down: start from the last one
        n = self.next_number.get(base, 2)
        while f"{base}-{n}" in self.used:
            n += 1
        self.next_number[base] = n + 1
        self.used.add(f"{base}-{n}")
        return f"{base}-{n}"

    def result(self) -> MergeResult:
        added = updated = unchanged = 0
        for pid in self.touched:
            if pid not in self.papers:
                continue
            if pid not in self.before:
                added += 1
            elif self.before[pid] != self.papers[pid]:
                updated += 1
            else:
                unchanged += 1
        return MergeResult(
            papers=MappingProxyType(dict(sorted(self.papers.items()))),
            added=added,
            updated=updated,
            unchanged=unchanged,
            retired=tuple(sorted(self.retired)),
            notes=tuple(self.notes),
        )


def _named(p: Paper) -> str:
    return f"{p.id!r} ({p.title!r})"


def _evidence(p: Paper, e: Entry) -> str:
    return "arXiv id" if e.arxiv_id and p.arxiv_id == e.arxiv_id else "abstract"
