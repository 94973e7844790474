"""The static JSON API: one document per paper, per day and per topic.

Paths (under the site root, from ``urls.api_*_path``): ``api/papers/<id>.json``, ``api/days/<YYYY-MM-DD>.json``,
``api/topics/<id>.json``, ``api/orgs/<org slug>.json`` (the slug of the page ``orgs/<org slug>/``).
Documents name papers and topics by id and carry no URL that an id gives (``papers/<id>/``): at
10,000 papers every repeated byte per paper costs 10 KB (issue 8).
Files are compact JSON with sorted keys, UTF-8 (not ASCII-escaped), a trailing newline, and are
rewritten only when their bytes change, so that an unchanged archive leaves every file alone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from .records import Paper


def paper_document(paper: Paper, topics: Sequence[str]) -> dict:
    """Everything the store knows of a paper, plus its topic ids (names are in the topic documents).

    No ``url``: a paper's page is always ``papers/<id>/`` (said on the about page).  What only some
    papers have (Hugging Face's AI summary and keywords, GitHub stars, claimed author profiles, the
    upvote history) is present only when known.
    """
    doc = {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "published": _iso(paper.published),
        "comments": paper.comments,
        "authors_count": paper.authors_count,
        "authors": list(paper.authors),
        "organization": paper.organization,
        "organization_id": paper.organization_id,
        "arxiv_id": paper.arxiv_id,
        "upvotes": paper.upvotes,
        "github": paper.github,
        "project_page": paper.project_page,
        "links": list(paper.links),
        "topics": list(topics),
        "sources": [{"listing": s.listing, "listed": _iso(s.listed)} for s in paper.sources],
        "first_seen": _iso(paper.first_seen),
        "aliases": list(paper.aliases),
    }
    doc.update(hugging_face_extras(paper))
    return doc


def hugging_face_extras(paper: Paper) -> dict:
    """The fields only the API gives, each only when known (no nulls: 10,000 papers would carry them)."""
    extras: dict = {}
    if paper.ai_summary:
        extras["ai_summary"] = paper.ai_summary
    if paper.keywords:
        extras["ai_keywords"] = list(paper.keywords)
    if paper.github_stars is not None:
        extras["github_stars"] = paper.github_stars
    if paper.author_profiles:
        extras["author_profiles"] = [{"name": a.name, "user": a.user} for a in paper.author_profiles]
    if paper.upvote_history:
        extras["upvote_history"] = [{"day": _iso(c.day), "upvotes": c.upvotes} for c in paper.upvote_history]
    if paper.upvotes is not None and paper.upvotes_on:
        extras["upvotes_on"] = _iso(paper.upvotes_on)
    return extras


def day_document(day: date, papers: Iterable[Paper]) -> dict:
    """A day's papers, in the order given (the day page's order), as short entries."""
    entries = [short_entry(paper) for paper in papers]
    return {"date": day.isoformat(), "count": len(entries), "papers": entries}


def topic_document(topic_id: str, name: str, description: str, papers: Iterable[Paper]) -> dict:
    """A topic and its papers' ids, in the order given (the topic page's order, newest first).

    Ids only: a paper is in 2.3 topics on average, and titles there repeated every title 2.3 times
    more (370 bytes a paper with the organization documents); ``api/papers/<id>.json`` has the rest.
    """
    ids = [paper.id for paper in papers]
    return {"id": topic_id, "name": name, "description": description, "count": len(ids), "papers": ids}


def org_document(org_slug: str, name: str, papers: Iterable[Paper]) -> dict:
    """An organization and its papers' ids, in the order given (the organization page's order)."""
    ids = [paper.id for paper in papers]
    return {"id": org_slug, "name": name, "count": len(ids), "papers": ids}


def short_entry(paper: Paper) -> dict:
    """A paper in a list: no ``url``, which is ``papers/<id>/`` (90 bytes an entry, repeated in every
    topic of every paper); fetch ``api/papers/<id>.json`` for the rest."""
    return {"id": paper.id, "title": paper.title, "published": _iso(paper.published)}


def encode_json(doc: object) -> bytes:
    """Compact, key-sorted UTF-8 JSON and a newline.

    A lone surrogate (undecodable input kept by a reader) cannot be UTF-8; it is written as its
    JSON escape ``\\udcxx``, which any JSON reader decodes back to the same string.
    """
    return (_COMPACT.encode(doc) + "\n").encode("utf-8", "backslashreplace")


# json.dumps with these options makes this encoder anew on every call: 30,000 calls in a build
_COMPACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_json(path: Path, doc: object) -> bool:
    """Write ``doc`` to ``path`` atomically, only if the bytes differ; True when it wrote."""
    data = encode_json(doc)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # a plain open() (not mkstemp, whose files are private) so the file gets the umask's mode
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
