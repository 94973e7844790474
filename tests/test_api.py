"""The static JSON API: exact documents, exact bytes, hostile text intact, files rewritten only on change.

Regenerate the golden files with: UPDATE_GOLDEN=1 python3 -m pytest tests/test_api.py
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from goldenfiles import check_golden_file
from paperarchive.api import (
    day_document,
    encode_json,
    org_document,
    paper_document,
    topic_document,
    write_json,
)
from paperarchive.records import Paper, Source
from paperarchive.urls import api_day_path as day_path
from paperarchive.urls import api_paper_path as paper_path
from paperarchive.urls import api_topic_path as topic_path

GOLDEN = Path(__file__).resolve().parent / "golden" / "extras"

PAPER = Paper(
    id="sparse-attention-at-scale",
    title="Sparse Attention at Scale",
    abstract="We study sparse attention. Code: https://github.com/example/sparse.",
    published=date(2025, 11, 20),
    comments=3,
    authors_count=2,
    organization="Example Lab",
    organization_id="example-lab",
    authors=("Ada Lovelace", "Alan Turing"),
    arxiv_id="2511.01234",
    upvotes=42,
    github="https://github.com/example/sparse",
    project_page=None,
    keywords=("attention",),
    links=("https://github.com/example/sparse",),
    sources=(Source(date(2025, 11, 21), "2025-11-21.txt"), Source(date(2025, 11, 22), "2025-11-22.txt")),
    first_seen=date(2025, 11, 21),
    aliases=("sparse-attention-at-scale-old",),
)
BARE = Paper(id="bare", title="Bare", abstract="")
TOPICS = ["efficiency", "llm"]


def _check_golden(name: str, data: bytes) -> None:
    check_golden_file(GOLDEN / name, data)


def test_paper_document_golden():
    _check_golden("api-paper.json", encode_json(paper_document(PAPER, TOPICS)))


def test_paper_document_fields_and_nulls():
    document = paper_document(BARE, [])
    assert sorted(document) == sorted([
        "id", "title", "abstract", "published", "comments", "authors_count", "authors",
        "organization", "organization_id", "arxiv_id", "upvotes", "github", "project_page", "links",
        "topics", "sources", "first_seen", "aliases",
    ])
    assert "url" not in document  # always papers/<id>/
    assert document["published"] is None and document["authors"] == [] and document["topics"] == []


def test_day_and_topic_documents_golden():
    _check_golden("api-day.json", encode_json(day_document(date(2025, 11, 20), [PAPER, BARE])))
    _check_golden("api-topic.json", encode_json(
        topic_document("efficiency", "Efficiency", "Faster & smaller <models>.", [BARE, PAPER])))


def test_day_document_keeps_the_given_order():
    document = day_document(date(2025, 11, 20), [BARE, PAPER])
    assert document == {
        "date": "2025-11-20",
        "count": 2,
        "papers": [
            {"id": "bare", "title": "Bare", "published": None},
            {"id": "sparse-attention-at-scale", "title": "Sparse Attention at Scale", "published": "2025-11-20"},
        ],
    }


def test_topic_and_org_documents_list_paper_ids_in_the_given_order():
    assert topic_document("t", "T", "d", [PAPER, BARE])["papers"] == ["sparse-attention-at-scale", "bare"]
    assert org_document("lab", "Lab", [BARE, PAPER]) == {
        "id": "lab", "name": "Lab", "count": 2, "papers": ["bare", "sparse-attention-at-scale"],
    }


def test_paths():
    assert paper_path("x-y") == "api/papers/x-y.json"
    assert day_path(date(2025, 1, 2)) == "api/days/2025-01-02.json"
    assert topic_path("llm") == "api/topics/llm.json"


def test_encoding_is_compact_sorted_utf8_with_a_newline():
    assert encode_json({"b": "é", "a": [1, None]}) == '{"a":[1,null],"b":"é"}\n'.encode()


def test_write_json_writes_only_when_the_bytes_differ(tmp_path):
    target = tmp_path / "api" / "papers" / "bare.json"
    assert write_json(target, paper_document(BARE, [])) is True
    first = target.stat().st_mtime_ns
    os.utime(target, ns=(first - 10**9, first - 10**9))
    assert write_json(target, paper_document(BARE, [])) is False
    assert target.stat().st_mtime_ns == first - 10**9
    assert write_json(target, paper_document(BARE, TOPICS)) is True
    assert json.loads(target.read_text(encoding="utf-8"))["topics"] == ["efficiency", "llm"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["bare.json"]  # no temporary left


HOSTILE = "<script>alert(1)</script> & ]]> \"q\" \\ {{x}} \x00\x1f\u2028\u2029 é中😀 \udcff"


def test_hostile_text_round_trips():
    paper = Paper(id="hostile", title=HOSTILE, abstract=HOSTILE, organization=HOSTILE)
    data = encode_json(paper_document(paper, ["t"]))
    document = json.loads(data.decode("utf-8"))
    assert document["title"] == document["abstract"] == document["organization"] == HOSTILE
    assert document["topics"] == ["t"]
    assert data.endswith(b"\n") and data.count(b"\n") == 1


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_round_trips(text):
    data = encode_json(topic_document("t", text, text, [Paper(id="p", title=text, abstract=text)]))
    document = json.loads(data.decode("utf-8"))
    assert document["name"] == document["description"] == text and document["papers"] == ["p"]
    day = json.loads(encode_json(day_document(date(2025, 1, 2), [Paper(id="p", title=text, abstract=text)])))
    assert day["papers"][0]["title"] == text
