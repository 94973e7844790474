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

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from slugify import slugify

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


@dataclass(frozen=True, order=True)
class Source:
    """A listing (or API file) that carried a paper, and its date."""

    listed: date | None
    listing: str


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


def paper_url(paper_id: str) -> str:
    return f"papers/{paper_id}/"


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
    found: list[str] = []
    for match in _URL_RE.finditer(text):
        url = match.group(0)
        while url and url[-1] in _TRAILING:
            # keep a closing bracket that closes one opened inside the URL
            closer = url[-1]
            opener = {")": "(", "]": "[", "}": "{"}.get(closer)
            if opener and url.count(opener) >= url.count(closer):
                break
            url = url[:-1]
        url = url.replace("{", "").replace("}", "")
        if len(url) > len("https://") and url not in found:
            found.append(url)
    return tuple(found)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
