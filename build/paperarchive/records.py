"""The record model: what every stage reads and writes.

Two record types:

* ``Entry``: one paper as one source (a listing page or an API file) shows it,
  exactly as parsed.  ``Entry.parse_json()`` is the ``paperarchive parse`` output.
* ``Paper``: one paper in the durable store (``content/papers/<id>.yml``),
  merged from every entry that carried it.

Both are frozen; slug, URL and day are derived properties, never stored fields
filled in later.  The fields of ``Paper`` are the store's fields: their order is the
order of a store file's keys, their types say how each is written and checked
(``storefile.py``), and a field an ``Entry`` also has is merged by name (``merge.py``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from slugify import slugify

from .urls import paper_url

ID_MAX_LENGTH = 80
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # what a paper id (and a store file's name) may be
# Slugs that cannot be a paper id: a paper's page is the docs file papers/<id>.md, and MkDocs publishes
# papers/index.md at papers/ instead of papers/index/ (README.md too, but a slug is never upper case).
# Names special at the site's top (404, search, assets, sitemap...) are harmless under papers/.
RESERVED_SLUGS = frozenset({"index"})

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


# A store field whose key a store file holds only when its value is known (not its default): the files
# of papers stored before the field existed, or without it, keep their bytes.
WHEN_KNOWN = {"when_known": True}


@dataclass(frozen=True, order=True)
class AuthorProfile:
    """An author who claimed the paper on Hugging Face: the name as listed and the Hugging Face user name."""

    name: str
    user: str

    @property
    def url(self) -> str:
        return f"https://huggingface.co/{self.user}"


@dataclass(frozen=True, order=True)
class UpvoteCount:
    """A paper's upvotes as one capture of an API file gave them; ``day``: that file's listing date."""

    day: date | None
    upvotes: int


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
    keywords: tuple[str, ...] = ()  # Hugging Face's AI keywords (``ai_keywords``)
    ai_summary: str | None = None  # Hugging Face's AI summary, one line
    github_stars: int | None = None  # the repository's stars when the API file was captured
    author_profiles: tuple[AuthorProfile, ...] = ()  # authors who claimed the paper on Hugging Face

    def parse_json(self) -> dict:
        """The record as `paperarchive parse` prints it (dates as ISO strings)."""
        return {
            "listing": self.listing,
            "line": self.line,
            "listed": iso_date(self.listed),
            "title": self.title,
            "abstract": self.abstract,
            "published": iso_date(self.published),
            "comments": self.comments,
            "authors_count": self.authors_count,
            "organization": self.organization,
            "organization_id": self.organization_id,
        }


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input, reported as ``FILE:LINE: message``."""

    file: str
    line: int  # 0: the file as a whole
    message: str
    warning: bool = False  # warnings are fatal only under --strict

    def __str__(self) -> str:
        # what a terminal shows: no control, bidi or line-separator character of a quoted title acts there
        if self.line <= 0:  # about the file as a whole (e.g. not a regular file)
            return escape_controls(f"{self.file}: {self.message}")
        return escape_controls(f"{self.file}:{self.line}: {self.message}")


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


@dataclass(frozen=True, kw_only=True)
class Paper:
    """One paper in the store, merged from all its entries (fields in the order of its store file)."""

    id: str  # permanent: assigned at first ingest, never changed
    title: str
    # Earlier titles whose folded form differs from the current one: a listing
    # ingested again under an old title must still find this paper.
    former_titles: tuple[str, ...] = ()
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
    ai_summary: str | None = field(default=None, metadata=WHEN_KNOWN)
    github_stars: int | None = field(default=None, metadata=WHEN_KNOWN)
    author_profiles: tuple[AuthorProfile, ...] = field(default=(), metadata=WHEN_KNOWN)
    # every upvote count captured, oldest first, one point per change; kept only once the count changed
    upvote_history: tuple[UpvoteCount, ...] = field(default=(), metadata=WHEN_KNOWN)
    links: tuple[str, ...] = ()  # URLs found in the abstract, cleaned
    first_seen: date | None = None  # earliest listed date among sources
    sources: tuple[Source, ...] = ()  # sorted
    aliases: tuple[str, ...] = ()  # retired ids that redirect here

    @property
    def url(self) -> str:
        """Site-relative URL of the paper's permanent page."""
        return paper_url(self.id)

    @property
    def day(self) -> date | None:
        """The day page the paper belongs to (its publication date)."""
        return self.published

    @property
    def upvotes_on(self) -> date | None:
        """The listing date of the capture that gave ``upvotes``: the last point of the history, else the
        newest API file (only those carry upvotes) among the sources."""
        if self.upvotes is None:
            return None
        if self.upvote_history:
            return self.upvote_history[-1].day
        return max((s.listed for s in self.sources if s.listed and is_api_listing(s.listing)), default=None)

    @property
    def key(self) -> str:
        """The folded title: two entries with the same key are the same paper."""
        return fold_title(self.title)


def is_api_listing(listing: str) -> bool:
    """Whether a source is a Hugging Face API file (``content/api/YYYY-MM-DD.json``) rather than listing text."""
    return listing.endswith(".json")


_NOT_ALNUM_RE = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"


def fold_title(title: str) -> str:
    """Fold case, punctuation and spacing so that trivially different titles match.

    Every run of characters that are not letters or digits becomes one space (one regex pass:
    a per-character loop costs ~1 ms on a 1,000-character abstract).
    """
    return _NOT_ALNUM_RE.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()


def slug_for_title(title: str) -> str:
    """The id a paper would get if no other paper had it.

    python-slugify of the title, at most 80 characters cut at a word boundary;
    a title with no letters or digits gets ``paper-`` + 8 hex of its hash; a reserved
    slug (``index``) gets ``-paper`` appended.
    """
    slug = slugify(title, max_length=ID_MAX_LENGTH, word_boundary=True)
    if not slug:
        digest = hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()
        slug = f"paper-{digest[:8]}"
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-paper"
    return slug


def is_valid_id(value: object) -> bool:
    """Whether ``value`` can be a paper id (lower-case words of letters and digits joined by ``-``)."""
    return isinstance(value, str) and ID_RE.fullmatch(value) is not None


_URL_RE = re.compile(r"https?://[^\s<>\"'`]+")
_TRAILING = ".,;:!?)]}>'\"*_"


_OPENER = {")": "(", "]": "[", "}": "{"}


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


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


# Characters that would act on a terminal (C0/C1 controls, ESC sequences), reorder text (bidi
# overrides and isolates are format characters) or break a line (U+2028/U+2029), or are not text.
_ACTING_CATEGORIES = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))


def escape_controls(text: str) -> str:
    """Text with every control, format or line-separator character written as an escape (``\\u202e``)."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escaped_char(ch) for ch in text)


def _escaped_char(ch: str) -> str:
    if ch == " " or unicodedata.category(ch) not in _ACTING_CATEGORIES:
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
