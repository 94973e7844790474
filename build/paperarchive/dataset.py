"""The whole data set, for download: ``data/`` on the site.

* ``data/papers-YYYY.jsonl.gz``: the papers published in year YYYY (``papers-undated.jsonl.gz``: those
  without a date), one JSON record a line, sorted by id; gzip with no name and mtime 0, so that the same
  store gives the same bytes.
* ``data/schema.json``: the JSON Schema (2020-12) of a record, each field described; made from the store's
  own field list (``storefile.FIELDS``), so a field added to ``Paper`` is in the schema, or the build fails.
* ``data/index.json``: each file with its year, paper count, bytes and sha256; the schema version and
  its change log.

A record is the paper's store record with every field present (an unknown value is ``null`` or ``[]``),
plus ``topics`` (ids, as in the JSON API).
"""

from __future__ import annotations

import gzip
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import MISSING

from . import storefile
from .api import encode_json
from .records import Paper

DATA_DIR = "data/"
SCHEMA_VERSION = "1.0"
# Newest first.  A new field raises the minor version, a field that changes meaning or goes the major one.
SCHEMA_CHANGES = (
    {"version": "1.0", "changes": "First version: every field of the store (with Hugging Face's ai_summary, "
                                  "keywords, github_stars, author_profiles, upvote_history) and topics."},
)

FIELD_DESCRIPTIONS = {
    "id": "The paper's permanent id; its page is papers/<id>/ and its JSON api/papers/<id>.json.",
    "title": "The title exactly as listed.",
    "former_titles": "Earlier titles the paper was listed under.",
    "abstract": "The abstract exactly as listed.",
    "published": "Publication date (arXiv), YYYY-MM-DD, or null.",
    "comments": "Comments on Hugging Face at the newest capture (0: none known).",
    "authors_count": "Number of authors, or null when not listed.",
    "organization": "The organization's display name on Hugging Face, or null.",
    "organization_id": "The organization's Hugging Face id, or null.",
    "authors": "Author names in order (API input only).",
    "arxiv_id": "The arXiv identifier, or null.",
    "upvotes": "Upvotes on Hugging Face at the newest capture (API input only), or null.",
    "github": "The code repository the API names, or null.",
    "project_page": "The project page the API names, or null.",
    "keywords": "Hugging Face's AI-generated keywords (ai_keywords).",
    "ai_summary": "Hugging Face's AI-generated one-line summary (not the authors' words), or null.",
    "github_stars": "Stars of the repository when the API file was captured, or null.",
    "author_profiles": "Authors who claimed the paper on Hugging Face: name as listed, Hugging Face user name.",
    "upvote_history": "Upvote counts of the captures that changed it, oldest first (empty while it never changed); "
                      "day: the listing day of the capture.",
    "links": "URLs found in the abstract.",
    "first_seen": "The earliest listing date that carried the paper, or null.",
    "sources": "The listings (saved pages, API files) that carried it: listing file name, its date, the "
               "paper's place in a Daily Papers listing (rank, or null).",
    "aliases": "Retired ids whose pages forward to this one.",
    "topics": "Topic ids (api/topics/<id>.json names each).",
}

_DATE = {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_TEXTS = {"type": "array", "items": {"type": "string"}}
_KIND_SCHEMA = {
    "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
    "ids": {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}},
    "text": {"type": "string"},
    "optional text": {"type": ["string", "null"]},
    "count": {"type": "integer", "minimum": 0},
    "optional number": {"type": ["integer", "null"]},
    "date": _DATE,
    "texts": _TEXTS,
    "sources": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["listing", "listed", "rank"],
        "properties": {"listing": {"type": "string"}, "listed": _DATE, "rank": {"type": ["integer", "null"], "minimum": 1}}}},
    "profiles": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["name", "user"],
        "properties": {"name": {"type": "string"}, "user": {"type": "string"}}}},
    "counts": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["day", "upvotes"],
        "properties": {"day": _DATE, "upvotes": {"type": "integer", "minimum": 0}}}},
}


def record(paper: Paper, topics: Sequence[str]) -> dict:
    """One line of a year's file: every store field (unknown: null or []) and the topic ids."""
    found = storefile.paper_to_dict(paper)
    for f in storefile.FIELDS:
        if f.name not in found:  # a field written only when known
            found[f.name] = [] if f.default == () else (None if f.default is MISSING else f.default)
    found["sources"] = [{"listing": s.listing, "listed": s.listed.isoformat() if s.listed else None, "rank": s.rank}
                        for s in paper.sources]
    found["topics"] = list(topics)
    return found


def schema() -> dict:
    """The JSON Schema of a record."""
    properties = {f.name: {**_KIND_SCHEMA[f.kind], "description": FIELD_DESCRIPTIONS[f.name]} for f in storefile.FIELDS}
    properties["topics"] = {**_TEXTS, "description": FIELD_DESCRIPTIONS["topics"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "A paper of the archive (one line of data/papers-YYYY.jsonl.gz)",
        "description": f"Schema version {SCHEMA_VERSION}; data/index.json has the change log.",
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def year_of(paper: Paper) -> str:
    return f"{paper.published.year:04d}" if paper.published else "undated"


def file_name(year: str) -> str:
    return f"papers-{year}.jsonl.gz"


def deterministic_gzip(data: bytes) -> bytes:
    """gzip with no file name and mtime 0: the same bytes in, the same bytes out."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def dataset_files(papers: Iterable[Paper], topics_of: Mapping[str, Sequence[str]]) -> dict[str, bytes]:
    """Every file of ``data/``: site path -> bytes."""
    by_year: dict[str, list[Paper]] = defaultdict(list)
    for paper in sorted(papers, key=lambda p: p.id):
        by_year[year_of(paper)].append(paper)
    files: dict[str, bytes] = {}
    listed = []
    for year in sorted(by_year, key=lambda y: (y == "undated", y)):
        lines = b"".join(encode_json(record(p, topics_of.get(p.id, ()))) for p in by_year[year])
        data = deterministic_gzip(lines)
        name = file_name(year)
        files[DATA_DIR + name] = data
        listed.append({"file": name, "year": year, "papers": len(by_year[year]), "bytes": len(data),
                       "sha256": hashlib.sha256(data).hexdigest()})
    files[DATA_DIR + "schema.json"] = encode_json(schema())
    files[DATA_DIR + "index.json"] = encode_json({
        "schema": "schema.json",
        "schema_version": SCHEMA_VERSION,
        "schema_changes": list(SCHEMA_CHANGES),
        "format": "gzip-compressed JSON Lines, one paper a line, sorted by id; a file per publication year",
        "papers": sum(item["papers"] for item in listed),
        "files": listed,
    })
    return files
