"""The record model: what every stage reads and writes.

Stages never import each other; they meet here.  Two record types:

* ``Entry``: one paper as one source (a listing page or an API file) shows it,
  exactly as parsed.  ``Entry.parse_json()`` is the ``paperarchive parse`` output.
* ``Paper``: one paper in the durable store (``content/papers/<id>.yml``),
  merged from every entry that carried it.

Both are frozen; slug, URL and day are derived properties, never stored fields
filled in later.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import marshal
import os
import re
import signal
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

import yaml
from slugify import slugify

from .cache import cache_dir, write_cache_file
from . import processes
from .urls import paper_url

ID_MAX_LENGTH = 80

# The exact fields (and order-independent names) of `paperarchive parse` output.
PARSE_FIELDS = (
    "listing",
    "line",
    "listed",
    "title",
    "abstract",
    "published",
    "comments",
    "authors_count",
    "organization",
    "organization_id",
)


@dataclass(frozen=True)
class Entry:
    """One paper as one source shows it."""

    listing: str  # source file name, e.g. "2025-11-21.txt"
    line: int  # 1-based line of the title in that file (1 for JSON sources)
    listed: date | None  # the listing's own date
    title: str
    abstract: str
    published: date | None = None
    comments: int = 0
    authors_count: int | None = None
    organization: str | None = None
    organization_id: str | None = None
    # 1-based place in a Daily Papers listing of day ``listed`` (HF's ranking when saved); None when the
    # source is not a daily listing (a search-results page, a page without a date).
    rank: int | None = None
    # Only the Hugging Face API JSON carries these.
    authors: tuple[str, ...] = ()
    arxiv_id: str | None = None
    upvotes: int | None = None
    github: str | None = None
    project_page: str | None = None
    keywords: tuple[str, ...] = ()

    def parse_json(self) -> dict:
        """The record as `paperarchive parse` prints it (dates as ISO strings)."""
        return {
            "listing": self.listing,
            "line": self.line,
            "listed": _iso(self.listed),
            "title": self.title,
            "abstract": self.abstract,
            "published": _iso(self.published),
            "comments": self.comments,
            "authors_count": self.authors_count,
            "organization": self.organization,
            "organization_id": self.organization_id,
        }


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input, reported as ``FILE:LINE: message``."""

    file: str
    line: int
    message: str
    warning: bool = False  # warnings are fatal only under --strict

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class ParseResult:
    """What reading one source gives: its good entries, and what was wrong with it."""

    entries: tuple[Entry, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, order=True)
class Source:
    """A listing (or API file) that carried a paper, its date, and the paper's place in it.

    ``rank`` is set only when the source is a Daily Papers listing: the paper was featured on day ``listed``.
    """

    listed: date | None
    listing: str
    rank: int | None = None


@dataclass(frozen=True)
class Paper:
    """One paper in the store, merged from all its entries."""

    id: str  # permanent: assigned at first ingest, never changed
    title: str
    abstract: str
    published: date | None = None
    comments: int = 0
    authors_count: int | None = None
    organization: str | None = None
    organization_id: str | None = None
    authors: tuple[str, ...] = ()
    arxiv_id: str | None = None
    upvotes: int | None = None
    github: str | None = None
    project_page: str | None = None
    keywords: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # URLs found in the abstract, cleaned
    sources: tuple[Source, ...] = ()  # sorted
    first_seen: date | None = None  # earliest listed date among sources
    aliases: tuple[str, ...] = field(default=())  # retired ids that redirect here
    # Earlier titles whose folded form differs from the current one: a listing
    # ingested again under an old title must still find this paper.
    former_titles: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        """Site-relative URL of the paper's permanent page."""
        return paper_url(self.id)

    @property
    def day(self) -> date | None:
        """The day page the paper belongs to (its publication date)."""
        return self.published

    @property
    def key(self) -> str:
        """The folded title: two entries with the same key are the same paper."""
        return fold_title(self.title)


def fold_title(title: str) -> str:
    """Fold case, punctuation and spacing so that trivially different titles match."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


def slug_for_title(title: str) -> str:
    """The id a paper would get if no other paper had it.

    python-slugify of the title, at most 80 characters cut at a word boundary;
    a title with no letters or digits gets ``paper-`` + 8 hex of its hash.
    """
    slug = slugify(title, max_length=ID_MAX_LENGTH, word_boundary=True)
    if not slug:
        digest = hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()
        slug = f"paper-{digest[:8]}"
    return slug


_URL_RE = re.compile(r"https?://[^\s<>\"'`]+")
_TRAILING = ".,;:!?)]}>'\"*_"


def links_in(text: str) -> tuple[str, ...]:
    """URLs in an abstract, in order, each once, cleaned of trailing punctuation and stray braces."""
    found: dict[str, None] = {}  # ordered, and a linear membership test
    openers = {")": "(", "]": "[", "}": "{"}
    for match in _URL_RE.finditer(text):
        url = match.group(0)
        end = len(url)
        counts: dict[str, int] | None = None  # bracket counts of url[:end], counted once (linear)
        while end and url[end - 1] in _TRAILING:
            # keep a closing bracket that closes one opened inside the URL
            closer = url[end - 1]
            opener = openers.get(closer)
            if opener:
                if counts is None:
                    counts = {ch: url.count(ch) for ch in "()[]{}"}
                if counts[opener] >= counts[closer]:
                    break
                counts[closer] -= 1  # openers are never trailing, so only closers' counts change
            end -= 1
        url = url[:end].replace("{", "").replace("}", "")
        if len(url) > len("https://"):
            found.setdefault(url)
    return tuple(found)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# ---------------------------------------------------------------------------
# The durable store: one YAML file per paper in content/papers/<id>.yml,
# the merge rules that fold entries into papers, and crash-safe saving.
# ---------------------------------------------------------------------------

STORE_SUFFIX = ".yml"
COMMIT_MARKER = ".commit.json"  # present only between a batch's commit point and its completion
PENDING_SUFFIX = ".pending"  # ".<id>.yml.pending": a batch's new file content, not yet in place
# An abstract (case and spacing folded) at least this long identifies a paper on its own, so a
# listing that corrects a title still lands on the same record.  Shorter ones
# ("We present a new benchmark.") could be shared by different papers.
ABSTRACT_MATCH_MIN = 200
CACHE_MIN_PAPERS = 1000  # below this, parsing the YAML costs well under 0.3 s

_PAPER_FIELDS = (
    "id",
    "title",
    "former_titles",
    "abstract",
    "published",
    "comments",
    "authors_count",
    "organization",
    "organization_id",
    "authors",
    "arxiv_id",
    "upvotes",
    "github",
    "project_page",
    "keywords",
    "links",
    "first_seen",
    "sources",
    "aliases",
)
_OPTIONAL_STR = ("organization", "organization_id", "arxiv_id", "github", "project_page")
_OPTIONAL_INT = ("authors_count", "upvotes")
_STR_LISTS = ("former_titles", "authors", "keywords", "links", "aliases")
_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_YAML_WIDTH = 1 << 30  # never fold a line: one field per line keeps diffs readable


class StoreFormatError(ValueError):
    """A store file that is not a valid paper record; ``line`` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def paper_to_dict(p: Paper) -> dict:
    """The paper as plain data, keys in the store's fixed order, dates as ISO strings."""
    return {
        "id": p.id,
        "title": p.title,
        "former_titles": list(p.former_titles),
        "abstract": p.abstract,
        "published": _iso(p.published),
        "comments": p.comments,
        "authors_count": p.authors_count,
        "organization": p.organization,
        "organization_id": p.organization_id,
        "authors": list(p.authors),
        "arxiv_id": p.arxiv_id,
        "upvotes": p.upvotes,
        "github": p.github,
        "project_page": p.project_page,
        "keywords": list(p.keywords),
        "links": list(p.links),
        "first_seen": _iso(p.first_seen),
        "sources": [_source_dict(s) for s in p.sources],
        "aliases": list(p.aliases),
    }


def _source_dict(s: Source) -> dict:
    # "rank" only when known, so the files of papers stored before it existed keep their bytes
    found = {"listing": s.listing, "listed": _iso(s.listed)}
    if s.rank is not None:
        found["rank"] = s.rank
    return found


def _valid_source(s: object) -> bool:
    return (
        isinstance(s, dict)
        and set(s) in ({"listing", "listed"}, {"listing", "listed", "rank"})
        and isinstance(s["listing"], str)
        and (s.get("rank") is None or (_is_int(s["rank"]) and s["rank"] >= 1))
    )


def paper_from_dict(d: object) -> Paper:
    """The inverse of paper_to_dict; raises ValueError naming the bad field."""
    if not isinstance(d, dict):
        raise ValueError(f"expected a mapping of paper fields, got {type(d).__name__}")
    unknown = sorted(str(k) for k in d if k not in _PAPER_FIELDS)
    if unknown:
        # refuse rather than drop: a rewrite would silently lose the unknown field
        raise ValueError(f"unknown field {unknown[0]!r}")
    for name in ("id", "title", "abstract"):
        if not isinstance(d.get(name), str):
            raise ValueError(f"field {name!r} must be text")
    if not _ID_RE.fullmatch(d["id"]):
        raise ValueError(f"field 'id' is not a valid id: {d['id']!r}")
    comments = d.get("comments", 0)
    if not _is_int(comments) or comments < 0:
        raise ValueError("field 'comments' must be a whole number >= 0")
    for name in _OPTIONAL_INT:
        if d.get(name) is not None and not _is_int(d[name]):
            raise ValueError(f"field {name!r} must be a whole number or null")
    for name in _OPTIONAL_STR:
        if d.get(name) is not None and not isinstance(d[name], str):
            raise ValueError(f"field {name!r} must be text or null")
    for name in _STR_LISTS:
        value = d.get(name) or []
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise ValueError(f"field {name!r} must be a list of text")
    sources = d.get("sources") or []
    if not isinstance(sources, list) or not all(_valid_source(s) for s in sources):
        raise ValueError("field 'sources' must be a list of {listing, listed, rank (optional, >= 1)}")
    return Paper(
        id=d["id"],
        title=d["title"],
        abstract=d["abstract"],
        published=_date_field(d, "published"),
        comments=comments,
        authors_count=d.get("authors_count"),
        organization=d.get("organization"),
        organization_id=d.get("organization_id"),
        authors=tuple(d.get("authors") or ()),
        arxiv_id=d.get("arxiv_id"),
        upvotes=d.get("upvotes"),
        github=d.get("github"),
        project_page=d.get("project_page"),
        keywords=tuple(d.get("keywords") or ()),
        links=tuple(d.get("links") or ()),
        sources=tuple(Source(_date_field(s, "listed"), s["listing"], s.get("rank")) for s in sources),
        first_seen=_date_field(d, "first_seen"),
        aliases=tuple(d.get("aliases") or ()),
        former_titles=tuple(d.get("former_titles") or ()),
    )


def dump_paper_yaml(p: Paper) -> str:
    """The paper's store file: safe YAML (libyaml), keys in fixed order, every string exact."""
    return yaml.dump(
        paper_to_dict(p),
        Dumper=yaml.CSafeDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=_YAML_WIDTH,
    )


def load_paper_yaml(text: str) -> Paper:
    """Read one store file; raises StoreFormatError with the line that is wrong."""
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or str(exc)
        if what.startswith("but ") and exc.context:
            what = f"{exc.context} {what}"
        raise StoreFormatError(line, f"not valid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise StoreFormatError(1, f"not valid YAML: {exc}") from None
    try:
        return paper_from_dict(data)
    except ValueError as exc:
        raise StoreFormatError(_line_of_field(text, str(exc)), str(exc)) from None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _date_field(d: dict, name: str) -> date | None:
    value = d.get(name)
    if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"field {name!r} must be a YYYY-MM-DD date or null")


def _line_of_field(text: str, message: str) -> int:
    """The line of the field a message names (``field 'x'``), else 1."""
    found = re.search(r"field '([a-z_]+)'", message)
    if found:
        for number, line in enumerate(text.splitlines(), 1):
            if line.startswith(found.group(1) + ":"):
                return number
    return 1


# --- loading ---------------------------------------------------------------


@dataclass(frozen=True)
class Store:
    """The store as read: its papers by id (sorted), and the files it could not read.

    An unreadable file is reported, never rewritten nor removed, and its id is
    ``reserved`` so that no new paper takes it.
    """

    papers: Mapping[str, Paper] = field(default_factory=lambda: MappingProxyType({}))
    problems: tuple[Problem, ...] = ()
    reserved: frozenset[str] = frozenset()

    def by_alias(self) -> dict[str, str]:
        """Retired id -> the id of the paper that now carries it (for redirects)."""
        return {alias: p.id for p in self.papers.values() for alias in p.aliases}


def load_store(folder: Path) -> Store:
    """Read every ``<id>.yml`` in ``folder``.

    Pure read: a batch committed by an ingest that was killed before it finished
    is read as completed (its pending files stand in for the live ones), so a
    reader always sees the store as it was before or after an ingest.

    Cost: files the parse cache knows (by their exact bytes) are not parsed; when many are
    unknown (a cold cache: ~4 s of YAML at 10k papers), a forked process parses half of them.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return Store()
    files = {p.name: p for p in folder.iterdir() if p.name.endswith(STORE_SUFFIX) and not p.name.startswith(".")}
    marker = _read_marker(folder)
    if marker is not None:
        for name in marker["remove"]:
            files.pop(name, None)
        for name in marker["write"]:
            pending = folder / _pending_name(name)
            files[name] = pending if pending.exists() else folder / name
    cache = _StoreCache.open(folder, len(files))
    outcomes: dict[str, Paper | tuple[int, str]] = {}
    contents: dict[str, bytes] = {}
    unknown: list[tuple[str, bytes]] = []
    for name in sorted(files):
        try:
            data = files[name].read_bytes()
        except OSError as exc:
            outcomes[name] = (1, f"cannot read store file: {exc.strerror or exc}")
            continue
        contents[name] = data
        paper = cache.get(data)
        if paper is None:
            unknown.append((name, data))
        else:
            outcomes[name] = paper
    for name, outcome in _parse_store_files(unknown).items():
        outcomes[name] = outcome
        if isinstance(outcome, Paper):
            cache.put(contents[name], outcome)
    papers: dict[str, Paper] = {}
    problems: list[Problem] = []
    reserved: set[str] = set()
    for name in sorted(files):
        stem = name[: -len(STORE_SUFFIX)]
        shown = str(folder / name)
        outcome = outcomes[name]
        if not isinstance(outcome, Paper):
            problems.append(Problem(shown, *outcome))
            reserved.add(stem)
        elif outcome.id != stem:
            problems.append(Problem(shown, _line_of_field(contents[name].decode("utf-8"), "field 'id'"),
                                    f"id {outcome.id!r} does not match the file name"))
            reserved.add(stem)
        else:
            papers[stem] = outcome
    cache.save()
    return Store(papers=MappingProxyType(papers), problems=tuple(problems), reserved=frozenset(reserved))


PARALLEL_PARSE_MIN = 2000  # unknown files from which a second process parses half (forking costs ~20 ms)


def _parse_store_files(files: list[tuple[str, bytes]]) -> dict[str, Paper | tuple[int, str]]:
    """name -> Paper, or (line, message) for a file that is not a valid record."""
    if len(files) < PARALLEL_PARSE_MIN or not processes.fork_allowed():
        return {name: _parse_one(data) for name, data in files}
    half = len(files) // 2
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: parse the second half, send it as marshal data, never return
        code = 1
        try:
            os.close(read_end)
            rows = [(name, _row_of(outcome) if isinstance(outcome, Paper) else outcome)
                    for name, data in files[half:] for outcome in (_parse_one(data),)]
            with os.fdopen(write_end, "wb") as out:
                out.write(marshal.dumps(rows))
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        found = {name: _parse_one(data) for name, data in files[:half]}
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
    finally:
        _, status = os.waitpid(pid, 0)
    try:
        if status != 0:
            raise ValueError("the parsing process failed")
        for name, row in marshal.loads(payload):
            found[name] = tuple(row) if len(row) == 2 else _paper_of_row(row)  # (line, message) or a paper
    except (ValueError, EOFError, TypeError):  # whatever went wrong there, this process parses it again
        found.update((name, _parse_one(data)) for name, data in files[half:])
    return found


def _parse_one(data: bytes) -> Paper | tuple[int, str]:
    try:
        return load_paper_yaml(data.decode("utf-8"))
    except StoreFormatError as exc:
        return (exc.line, exc.message)
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        return (line, f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x})")


def _ordinal(value: date | None) -> int | None:
    return value.toordinal() if value is not None else None


def _day_of(value: int | None) -> date | None:
    return date.fromordinal(value) if value is not None else None


def _row_of(p: Paper) -> tuple:
    """A paper as a flat tuple of marshal-able values (dates as ordinals), fields in _PAPER_FIELDS order."""
    return (
        p.id, p.title, p.former_titles, p.abstract, _ordinal(p.published), p.comments, p.authors_count,
        p.organization, p.organization_id, p.authors, p.arxiv_id, p.upvotes, p.github, p.project_page,
        p.keywords, p.links, _ordinal(p.first_seen), tuple((_ordinal(s.listed), s.listing, s.rank) for s in p.sources),
        p.aliases,
    )


def _paper_of_row(row: tuple) -> Paper:
    (pid, title, former_titles, abstract, published, comments, authors_count, organization, organization_id,
     authors, arxiv_id, upvotes, github, project_page, keywords, links, first_seen, sources, aliases) = row
    return Paper(
        id=pid, title=title, abstract=abstract, published=_day_of(published), comments=comments,
        authors_count=authors_count, organization=organization, organization_id=organization_id,
        authors=authors, arxiv_id=arxiv_id, upvotes=upvotes, github=github, project_page=project_page,
        keywords=keywords, links=links, sources=tuple(Source(_day_of(d), listing, rank) for d, listing, rank in sources),
        first_seen=_day_of(first_seen), aliases=aliases, former_titles=former_titles,
    )


class _StoreCache:
    """Parsed store files keyed by a hash of their exact bytes (outside the repo).

    Parsing 10,000 YAML files costs ~4 s; the cache makes an ingest with nothing
    new fit its 3 s budget.  It is keyed by content, so it can never disagree with
    the files: an edited file simply misses and is parsed.  One marshal file of
    flat rows (``_row_of``): reading and writing it costs a few tens of ms at 10k.
    Set PAPERARCHIVE_CACHE_DIR=none to turn it off.
    """

    def __init__(self, path: Path | None, entries: dict[bytes, tuple]):
        self.path = path
        self.old = entries
        self.new: dict[bytes, tuple] = {}
        self.dirty = False

    @classmethod
    def open(cls, folder: Path, papers: int) -> "_StoreCache":
        # small stores (tests, fresh archives) parse fast: no cache file for them
        path = _cache_path(folder) if papers >= CACHE_MIN_PAPERS else None
        entries: dict[bytes, tuple] = {}
        if path is not None:
            try:
                version, found = marshal.loads(path.read_bytes())
                if version == _cache_version() and isinstance(found, dict):
                    entries = found
            except (OSError, ValueError, EOFError, TypeError):
                entries = {}
        return cls(path, entries)

    def get(self, data: bytes) -> Paper | None:
        key = hashlib.blake2b(data, digest_size=16).digest()
        found = self.old.get(key)
        if found is None:
            return None
        try:
            paper = _paper_of_row(found)
        except (ValueError, TypeError):
            return None
        self.new[key] = found
        return paper

    def put(self, data: bytes, paper: Paper) -> None:
        self.new[hashlib.blake2b(data, digest_size=16).digest()] = _row_of(paper)
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not (self.dirty or len(self.new) != len(self.old)):
            return
        write_cache_file(self.path, marshal.dumps((_cache_version(), self.new)))


def _cache_path(folder: Path) -> Path | None:
    base = cache_dir()
    if base is None:
        return None
    where = hashlib.sha256(str(Path(folder).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return base / f"store-{where}.marshal"


_CACHE_VERSION: str | None = None


def _cache_version() -> str:
    """Changes whenever this module does, so a new reader never trusts an old cache."""
    global _CACHE_VERSION
    if _CACHE_VERSION is None:
        _CACHE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return _CACHE_VERSION


# --- merging -----------------------------------------------------------------


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


def _source_key(source: Source) -> tuple[date, str, int]:
    # an undated listing sorts first: it never overrides what a dated one says
    return (source.listed or date.min, source.listing, source.rank or 0)


def _entry_order(entry: Entry) -> tuple[date, str, int]:
    return (entry.listed or date.min, entry.listing, entry.line)


_NOT_ALNUM_RE = re.compile(r"[\W_]+")  # \w is isalnum() plus "_": the same folding as fold_title


def _fold_fast(text: str) -> str:
    """fold_title, as one regex pass (fold_title's per-character loop costs ~1 ms per abstract)."""
    return _NOT_ALNUM_RE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _abstract_key(abstract: str) -> str | None:
    # Case and spacing folded only: cheap on 1,000-character abstracts, and a
    # corrected title leaves the abstract as it was.
    if len(abstract) < ABSTRACT_MATCH_MIN:
        return None
    folded = " ".join(abstract.casefold().split())
    return folded if len(folded) >= ABSTRACT_MATCH_MIN else None


def merge(store: Store, entries: Iterable[Entry]) -> MergeResult:
    """Fold entries into the store's papers (pure; the order of ``entries`` does not matter).

    Entries apply in (listed date, listing name, line) order, so a later listing
    updates an earlier one however the files were named on the command line.
    """
    merger = _Merger(store)
    for entry in sorted(entries, key=_entry_order):
        merger.add(entry)
    return merger.result()


class _Merger:
    def __init__(self, store: Store):
        self.before = store.papers
        self.papers: dict[str, Paper] = dict(store.papers)
        self.used = set(store.papers) | set(store.reserved)
        self.used.update(a for p in store.papers.values() for a in p.aliases)
        self.by_arxiv: dict[str, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        self.by_abstract: dict[str, list[str]] = {}
        self.touched: set[str] = set()
        self.retired: list[str] = []
        # id -> (arxiv id, folded current and former titles, abstract key) as last indexed
        self.keys: dict[str, tuple[str | None, frozenset[str], str | None]] = {}
        self.papers_titles: dict[str, tuple[str, ...]] = {}
        self.papers_abstracts: dict[str, str] = {}
        for paper in self.papers.values():
            self._index(paper)

    def _index(self, p: Paper) -> None:
        known = self.keys.get(p.id)
        titles = (p.title, *p.former_titles)
        title_keys = frozenset(map(_fold_fast, titles)) if known is None or self.papers_titles.get(p.id) != titles else known[1]
        abstract_key = (
            _abstract_key(p.abstract)
            if known is None or self.papers_abstracts.get(p.id) != p.abstract
            else known[2]
        )
        self.papers_titles[p.id] = titles
        self.papers_abstracts[p.id] = p.abstract
        keys = (p.arxiv_id, title_keys, abstract_key)
        if keys == known:
            return
        self.keys[p.id] = keys
        for index, key in ((self.by_arxiv, p.arxiv_id), (self.by_abstract, abstract_key), *((self.by_title, k) for k in sorted(title_keys))):
            if key and p.id not in index.get(key, ()):
                index.setdefault(key, []).append(p.id)

    def _live(self, which: int, key: str | None) -> list[str]:
        """Ids under ``key`` that still exist and still have that key (indexes only grow)."""
        if not key:
            return []
        index = (self.by_arxiv, self.by_title, self.by_abstract)[which]
        if which == 1:
            return [i for i in index.get(key, ()) if i in self.papers and key in self.keys[i][1]]
        return [i for i in index.get(key, ()) if i in self.papers and self.keys[i][which] == key]

    def _matches(self, e: Entry) -> list[str]:
        """Every stored paper this entry is, in order arXiv id, title, abstract.

        Two papers with different arXiv ids are never the same paper, so a
        candidate is taken only when its arXiv id agrees with those taken so far.
        """
        arxiv = e.arxiv_id
        found: list[str] = []
        candidates = self._live(0, e.arxiv_id) + self._live(1, _fold_fast(e.title)) + self._live(2, _abstract_key(e.abstract))
        for pid in candidates:
            other = self.papers[pid].arxiv_id
            if pid in found or (arxiv and other and other != arxiv):
                continue
            found.append(pid)
            arxiv = arxiv or other
        return found

    def add(self, e: Entry) -> None:
        found = self._matches(e)
        if not found:
            paper = _new_paper(self._new_id(e.title), e)
        else:
            kept = min(found, key=lambda i: (self.papers[i].first_seen or date.min, i))
            paper = self.papers[kept]
            for other in found:
                if other != kept:
                    paper = _combine(paper, self.papers.pop(other))
                    self.retired.append(other)
            paper = _apply(paper, e)
        self.papers[paper.id] = paper
        self.touched.add(paper.id)
        self._index(paper)

    def _new_id(self, title: str) -> str:
        base = slug_for_title(title)
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate

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
        )


def _new_paper(paper_id: str, e: Entry) -> Paper:
    return Paper(
        id=paper_id,
        title=e.title,
        abstract=e.abstract,
        published=e.published,
        comments=e.comments,
        authors_count=e.authors_count,
        organization=e.organization,
        organization_id=e.organization_id,
        authors=tuple(e.authors),
        arxiv_id=e.arxiv_id,
        upvotes=e.upvotes,
        github=e.github or None,
        project_page=e.project_page or None,
        keywords=tuple(e.keywords),
        links=links_in(e.abstract),
        sources=(Source(e.listed, e.listing, e.rank),),
        first_seen=e.listed,
    )


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


def _apply(p: Paper, e: Entry) -> Paper:
    """Paper ``p`` after entry ``e``; ``e`` wins on what it carries only if it is not older than p's sources."""
    later = (e.listed or date.min, e.listing) >= max((_source_key(s)[:2] for s in p.sources), default=(date.min, ""))
    abstract = _pick(p.abstract, e.abstract, later)
    title = _pick(p.title, e.title, later)
    # a listing ingested again replaces what it said before (its rank may have changed)
    others = {s for s in p.sources if (s.listed, s.listing) != (e.listed, e.listing)}
    sources = tuple(sorted(others | {Source(e.listed, e.listing, e.rank)}, key=_source_key))
    return Paper(
        id=p.id,
        title=title,
        former_titles=_former_titles(title, (*p.former_titles, p.title, e.title)),
        abstract=abstract,
        published=p.published or e.published,  # stays once known
        comments=_pick_comments(p.comments, e.comments, later),
        authors_count=_pick(p.authors_count, e.authors_count, later),
        organization=_pick(p.organization, e.organization, later),
        organization_id=_pick(p.organization_id, e.organization_id, later),
        authors=_pick(p.authors, tuple(e.authors), later),
        arxiv_id=p.arxiv_id or e.arxiv_id,
        upvotes=_pick(p.upvotes, e.upvotes, later),
        github=_pick(p.github, e.github, later),
        project_page=_pick(p.project_page, e.project_page, later),
        keywords=_pick(p.keywords, tuple(e.keywords), later),
        links=links_in(abstract),
        sources=sources,
        first_seen=_first_seen(sources),
        aliases=p.aliases,
    )


def _combine(kept: Paper, gone: Paper) -> Paper:
    """One paper from two records of it: ``kept`` keeps its id, ``gone``'s id becomes an alias."""
    newest = max((_source_key(s)[:2] for s in gone.sources), default=(date.min, ""))
    later = newest >= max((_source_key(s)[:2] for s in kept.sources), default=(date.min, ""))
    abstract = _pick(kept.abstract, gone.abstract, later)
    title = _pick(kept.title, gone.title, later)
    sources = tuple(sorted(set(kept.sources) | set(gone.sources), key=_source_key))
    return Paper(
        id=kept.id,
        title=title,
        former_titles=_former_titles(title, (*kept.former_titles, *gone.former_titles, kept.title, gone.title)),
        abstract=abstract,
        published=kept.published or gone.published,
        comments=_pick_comments(kept.comments, gone.comments, later),
        authors_count=_pick(kept.authors_count, gone.authors_count, later),
        organization=_pick(kept.organization, gone.organization, later),
        organization_id=_pick(kept.organization_id, gone.organization_id, later),
        authors=_pick(kept.authors, gone.authors, later),
        arxiv_id=kept.arxiv_id or gone.arxiv_id,
        upvotes=_pick(kept.upvotes, gone.upvotes, later),
        github=_pick(kept.github, gone.github, later),
        project_page=_pick(kept.project_page, gone.project_page, later),
        keywords=_pick(kept.keywords, gone.keywords, later),
        links=links_in(abstract),
        sources=sources,
        first_seen=_first_seen(sources),
        aliases=tuple(sorted(set(kept.aliases) | set(gone.aliases) | {gone.id})),
    )


def _former_titles(title: str, seen: Iterable[str]) -> tuple[str, ...]:
    """Titles (one spelling per folded form, the smallest) other than the current one's folded form."""
    current = _fold_fast(title)
    spelling: dict[str, str] = {}
    for other in seen:
        key = _fold_fast(other)
        if other and key != current and (key not in spelling or other < spelling[key]):
            spelling[key] = other
    return tuple(sorted(spelling.values()))


def _first_seen(sources: tuple[Source, ...]) -> date | None:
    return min((s.listed for s in sources if s.listed), default=None)


# --- saving: a small write-ahead batch ---------------------------------------
#
# Per-file temp + rename alone leaves a mix of old and new files when an ingest
# dies half-way.  So a batch is: (1) every changed file written as
# ".<name>.pending" and synced; (2) COMMIT_MARKER naming them written atomically
# -- the commit point; (3) renames into place and removals; (4) marker removed.
# Killed before (2): the next ingest deletes the pending files (store as before).
# Killed after (2): readers already see the batch through the marker, and the
# next ingest finishes it (store as after).


def _pending_name(name: str) -> str:
    return f".{name}{PENDING_SUFFIX}"


def _read_marker(folder: Path) -> dict | None:
    try:
        raw = json.loads((folder / COMMIT_MARKER).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict):
        return None
    return {"write": [n for n in raw.get("write", []) if _safe_name(n)],
            "remove": [n for n in raw.get("remove", []) if _safe_name(n)]}


def _safe_name(name: object) -> bool:
    return isinstance(name, str) and name.endswith(STORE_SUFFIX) and bool(_ID_RE.fullmatch(name[: -len(STORE_SUFFIX)]))


@contextlib.contextmanager
def lock_store(folder: Path) -> Iterator[None]:
    """Hold the store's exclusive lock (one ingest at a time); creates the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def recover_store(folder: Path) -> None:
    """Finish a committed batch, or throw away an uncommitted one (call under lock_store)."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    marker = _read_marker(folder)
    if marker is not None:
        for name in marker["write"]:
            pending = folder / _pending_name(name)
            if pending.exists():
                os.replace(pending, folder / name)
        for name in marker["remove"]:
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
        _fsync_dir(folder)
    for leftover in folder.iterdir():
        if leftover.name.startswith(".") and (
            leftover.name.endswith(PENDING_SUFFIX) or leftover.name == COMMIT_MARKER + ".tmp"
        ):
            leftover.unlink()
    with contextlib.suppress(FileNotFoundError):
        (folder / COMMIT_MARKER).unlink()
        _fsync_dir(folder)


def save_store(folder: Path, before: Store, result: MergeResult) -> int:
    """Write the papers that changed and remove retired ones, as one crash-safe batch.

    Returns the number of files written or removed (0 when nothing changed: no
    file is touched then).  Unreadable files in ``before`` are never touched.
    """
    folder = Path(folder)
    # A paper equal to the one read back from its file needs no write: dump and
    # load are exact inverses (tested), so equal objects mean equal bytes.
    writes = {
        f"{pid}{STORE_SUFFIX}": dump_paper_yaml(paper).encode("utf-8")
        for pid, paper in result.papers.items()
        if before.papers.get(pid) != paper and pid not in before.reserved
    }
    removes = sorted(
        f"{pid}{STORE_SUFFIX}" for pid in before.papers if pid not in result.papers and pid not in before.reserved
    )
    if not writes and not removes:
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    recover_store(folder)
    for name, data in writes.items():
        _checkpoint("pending")
        with open(folder / _pending_name(name), "wb") as out:
            out.write(data)
    _sync_folder(folder)
    _checkpoint("commit")
    tmp = folder / (COMMIT_MARKER + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump({"write": sorted(writes), "remove": removes}, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, folder / COMMIT_MARKER)
    _fsync_dir(folder)
    for name in sorted(writes):
        _checkpoint("rename")
        os.replace(folder / _pending_name(name), folder / name)
    for name in removes:
        _checkpoint("rename")
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    _fsync_dir(folder)
    _checkpoint("finish")
    (folder / COMMIT_MARKER).unlink()
    _fsync_dir(folder)
    _remember_written(folder, before, result, writes)
    return len(writes) + len(removes)


def _remember_written(folder: Path, before: Store, result: MergeResult, writes: dict[str, bytes]) -> None:
    """Put the files just written into the parse cache, so the next load needs no YAML parsing."""
    cache = _StoreCache.open(folder, len(result.papers))
    if cache.path is None:
        return
    cache.new = dict(cache.old)
    for name, data in writes.items():
        cache.put(data, result.papers[name[: -len(STORE_SUFFIX)]])
    cache.save()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Flush every pending file to disk at once (one syncfs, not one fsync per file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syncfs(fd) != 0:
            os.sync()
    except (OSError, AttributeError):
        os.sync()
    finally:
        os.close(fd)


def _checkpoint(phase: str) -> None:
    """Test hook for the crash test: PAPERARCHIVE_KILL_AT=phase:N kills this process at the N-th such step."""
    spec = os.environ.get("PAPERARCHIVE_KILL_AT")
    if not spec:
        return
    want, _, count = spec.partition(":")
    if want != phase:
        return
    _CHECKPOINTS[phase] = _CHECKPOINTS.get(phase, 0) + 1
    if _CHECKPOINTS[phase] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)


_CHECKPOINTS: dict[str, int] = {}
