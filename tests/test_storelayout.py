"""The store files' layout reader: what it reads equals what the YAML loader reads, and it leaves the rest to it."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ingest_into
from paperarchive import storefile
from paperarchive.records import AuthorProfile, Paper, Source, UpvoteCount
from paperarchive.storefile import StoreFormatError, dump_paper_yaml, load_paper_yaml, read_paper_file
from test_store import HOSTILE, papers

LAYOUT = storefile._LAYOUT


def yaml_data(text: str) -> object:
    """What the YAML loader reads, or the error it raises (as the type and message)."""
    try:
        return yaml.load(text, Loader=storefile._Loader)
    except (yaml.YAMLError, ValueError) as exc:
        return ("error", type(exc).__name__, str(exc))


def exact(value: object) -> object:
    """``value`` with every type spelled out: 1 and True, or 0 and False, are not the same here."""
    if isinstance(value, dict):
        return ("map", [(exact(k), exact(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [exact(v) for v in value])
    return (type(value).__name__, value)


def assert_read_alike(text: str) -> dict | None:
    """The layout reader either declines ``text`` or reads exactly what YAML reads from it."""
    found = LAYOUT.read(text)
    if found is not None:
        assert exact(found) == exact(yaml_data(text)), text
    return found


def test_every_corpus_file_is_read_without_the_parser_to_the_same_data(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", "none")
    store = ingest_into(tmp_path / "papers", [*(corpus / "listings").glob("*.txt"), *(corpus.parent / "hf-api").glob("*.json")])
    paths = sorted(store.glob("*.yml"))
    assert len(paths) == 9877
    declined = [p.name for p in paths if assert_read_alike(p.read_text("utf-8")) is None]
    assert declined == []


def test_the_fixture_stores_are_read_without_the_parser(seed_store, hostile_store, featured_store):
    paths = [*FIXTURES.glob("store/golden/*.yml"), *seed_store.glob("*.yml"), *hostile_store.glob("*.yml"),
             *featured_store.glob("*.yml")]
    assert len(paths) > 400
    declined = [p.name for p in paths if assert_read_alike(p.read_text("utf-8")) is None]
    assert declined == []


# Texts that are syntax to YAML, or that a plain scalar would read as something else than the text.
YAML_WORDS = ["yes", "No", "TRUE", "off", "null", "Null", "~", "0", "012", "0x1F", "0o17", "1_000", "1:20", "1e3",
              ".5", ".inf", "-.Inf", ".NaN", "+1", "-1", "2025-11-20", "2025-11-20 10:00:00", "<<", "=", "---", "...",
              "- item", "? key", ": value", "key: value", "#", " #", "a #b", "'", "''", '"', "\\", "\\n", "%YAML 1.1",
              "!!str", "&a", "*a", "|", ">", "[]", "{}", "[a, b]", "@", "`", " ", "  ", "\t", "\n", "\n\n", "\r\n",
              "\x85", "\u2028", "\u2029", "\ufeff", "\x00", "\x7f", "\U0001f600", "\u00a0", "\u3000", "\u202e"]
word_text = st.lists(st.sampled_from(YAML_WORDS) | st.sampled_from(HOSTILE) | st.text(max_size=8), min_size=1,
                     max_size=4).map("".join)
texts = st.one_of(word_text, st.sampled_from(YAML_WORDS))


@st.composite
def hostile_papers(draw):
    """Papers whose texts are YAML-significant, with the fields written only when known."""
    paper = draw(papers())
    changes = {
        "title": draw(texts),
        "abstract": draw(texts),
        "organization": draw(st.none() | texts),
        "authors": tuple(draw(st.lists(texts, max_size=3))),
        "keywords": tuple(draw(st.lists(texts, max_size=2))),
        "ai_summary": draw(st.none() | texts),
        "github_stars": draw(st.none() | st.integers(0, 10**9)),
        "author_profiles": tuple(draw(st.lists(st.builds(AuthorProfile, texts.filter(bool), texts.filter(bool)),
                                                max_size=2))),
        "upvote_history": tuple(draw(st.lists(st.builds(UpvoteCount, st.none() | st.dates(
            min_value=storefile.EARLIEST_DATE, max_value=storefile.LATEST_DATE), st.integers(0, 10**6)), max_size=3))),
    }
    return dataclasses.replace(paper, **changes)


@settings(max_examples=500, deadline=None)
@given(st.one_of(papers(), hostile_papers()))
def test_any_written_paper_reads_back_alike_by_either_reader(paper):
    text = dump_paper_yaml(paper)
    found = assert_read_alike(text)
    assert read_paper_file(text) == (paper, ())
    if found is not None:
        assert storefile.paper_from_dict(found) == paper
    else:  # left to the parser: a text written over several lines, or holding what YAML reads as a line break
        assert re.search("\n  |[\x85\u2028\u2029]", text), text


@pytest.mark.parametrize("value", [*HOSTILE, *YAML_WORDS])
def test_each_hostile_text_in_every_place_reads_alike(value):
    paper = Paper(id="p", title=value, abstract=value, authors=(value, value), organization=value or None,
                  links=(value,), ai_summary=value, sources=(Source(None, value, 3),),
                  author_profiles=(AuthorProfile(value or "x", value or "y"),))
    text = dump_paper_yaml(paper)
    assert_read_alike(text)
    assert load_paper_yaml(text) == paper


# --- text that is not as written: the reader declines it, or reads it exactly as YAML does -----------

CANONICAL = dump_paper_yaml(dataclasses.replace(
    load_paper_yaml((FIXTURES / "store" / "golden" / "paper.yml").read_text("utf-8")),
    ai_summary="emoji \U0001f600, a\ttab",  # written double-quoted
    github_stars=12,
    author_profiles=(AuthorProfile("Ada", "ada"),),
    upvote_history=(UpvoteCount(date(2025, 11, 20), 3),),
))


@pytest.mark.parametrize(
    "text",
    [
        "id: p\ntitle: t # a comment\nabstract: a\n",
        "# a comment\nid: p\ntitle: t\nabstract: a\n",
        "id: p\ntitle: t\nabstract: a\nauthors: [a, b]\n",
        "id: p\ntitle: t\nabstract: a\nauthors: {}\n",
        "id: p\ntitle: t\nabstract: a\ntitel: typo\n",
        "id: p\nabstract: a\ntitle: t\n",  # keys out of order
        "id: p\ntitle: t\ntitle: u\nabstract: a\n",  # a key twice
        "id: p\ntitle:  t\nabstract: a\n",  # two spaces
        "id: p\ntitle: t \nabstract: a\n",  # a trailing space
        "id: p\n'title': t\nabstract: a\n",
        "---\nid: p\ntitle: t\nabstract: a\n",
        "id: p\ntitle: t\nabstract: a\n...\n",
        "id: p\r\ntitle: t\r\nabstract: a\r\n",
        "id: p\ntitle: t\tu\nabstract: a\n",
        "id: p\ntitle: t\n  u\nabstract: a\n",  # a plain scalar over two lines
        "id: p\ntitle: 'a\n\n  b'\nabstract: a\n",  # a single-quoted one over three
        "id: p\ntitle: yes\nabstract: a\n",
        "id: p\ntitle: ~\nabstract: a\n",
        "id: p\ntitle: t\nabstract: a\ncomments: 012\n",
        "id: p\ntitle: t\nabstract: a\ncomments: 0x1F\n",
        "id: p\ntitle: t\nabstract: a\ncomments: 1_000\n",
        "id: p\ntitle: t\nabstract: a\ncomments: 1.5\n",
        "id: p\ntitle: t\nabstract: a\ncomments: -1\n",
        "id: p\ntitle: !!str t\nabstract: a\n",
        "id: &x p\ntitle: *x\nabstract: a\n",
        "id: p\ntitle: t\nabstract: a",  # no final newline
        "\ufeffid: p\ntitle: t\nabstract: a\n",
        "id: p\ntitle: t\nabstract: a\n\n",
        "id: p\ntitle: t\nabstract: a\nauthors:\n",  # null
        "id: p\ntitle: t\nabstract: a\nauthors:\n  - a\n",
        "id: p\ntitle: t\nabstract: a\nsources:\n- listing: a.txt\n  listing: b.txt\n",
        "id: p\ntitle: t\nabstract: a\nsources:\n- listing: a.txt\n   listed: '2025-11-20'\n",
        "id: p\ntitle: t\nabstract: a\nsources:\n- listing: a.txt\n  null: x\n",
        "id: p\ntitle: t\nabstract: a\nsources:\n- listing: a.txt\n  yes: x\n",
        "id: p\ntitle: t\nabstract: a\nsources:\n- listing:\n",
        "id: p\ntitle: t\nabstract: a\nlinks:\n- a\n  b\n",
        'id: p\ntitle: "\\ud800"\nabstract: a\n',  # an escape libyaml refuses
        'id: p\ntitle: "a\\/b"\nabstract: a\n',
        'id: p\ntitle: "a" b\nabstract: a\n',
        "id: p\ntitle: 'a' b\nabstract: a\n",
        "id: p\ntitle: 'a'b'\nabstract: a\n",
        "",
        "\n",
        "- a\n",
        "p\n",
        "id:p\n",
    ],
)
def test_text_not_as_written_is_left_to_the_parser(text):
    assert LAYOUT.read(text) is None
    assert outcome(text) == outcome_by_yaml_only(text)


def test_every_one_character_change_of_a_written_file_is_declined_or_read_alike():
    assert exact(LAYOUT.read(CANONICAL)) == exact(yaml_data(CANONICAL))
    for i in range(len(CANONICAL)):
        for ch in "\n '\"#:-?[]{},&*!|>%@`\\\t\rx0\u2028":
            assert_read_alike(CANONICAL[:i] + ch + CANONICAL[i:])
            assert_read_alike(CANONICAL[:i] + ch + CANONICAL[i + 1:])
        assert_read_alike(CANONICAL[:i] + CANONICAL[i + 1:])


MUTATIONS = st.lists(st.tuples(st.sampled_from(["insert", "replace", "delete", "swap lines", "copy line"]),
                               st.integers(0, 10**6), st.sampled_from(list("\n '\"#:-?[]{},&*!|>%@`\\\tx0")) | st.text(max_size=3)),
                     min_size=1, max_size=4)


def mutated(text: str, mutations) -> str:
    """``text`` with characters inserted, replaced or deleted, or lines swapped or copied."""
    for kind, at, piece in mutations:
        if kind in ("swap lines", "copy line"):
            lines = text.split("\n")
            i, j = at % len(lines), (at // 7) % len(lines)
            if kind == "swap lines":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(j, lines[i])
            text = "\n".join(lines)
            continue
        i = at % (len(text) + 1)
        text = text[:i] + (piece if kind != "delete" else "") + text[i + (kind != "insert"):]
    return text


@settings(max_examples=500, deadline=None)
@given(st.one_of(papers(), hostile_papers()), MUTATIONS)
def test_a_damaged_file_is_declined_or_read_as_yaml_reads_it(paper, mutations):
    text = mutated(dump_paper_yaml(paper), mutations)
    assert_read_alike(text)
    assert outcome(text) == outcome_by_yaml_only(text)


def outcome(text: str) -> object:
    """What read_paper_file gives: the paper and its warnings, or the error's line and message."""
    try:
        return read_paper_file(text)
    except StoreFormatError as exc:
        return ("error", exc.line, exc.message)


def outcome_by_yaml_only(text: str) -> object:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LAYOUT, "read", lambda text: None)
        return outcome(text)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("id: p\ntitle: t\nabstract: a\ncomments: many\n", 4, "field 'comments' must be a whole number >= 0"),
        ("id: p\ntitle: t\nabstract: a\ncomments: '3'\n", 4, "field 'comments' must be a whole number >= 0"),
        ("id: p\ntitle: 1\nabstract: a\n", 2, "field 'title' must be text"),
        ("id: p\ntitle: null\nabstract: a\n", 2, "field 'title' must be text"),
        ("id: p\ntitle: t\nabstract: a\nsources:\n- listing: a.txt\n  listed: '2025-13-01'\n", 6,
         "field 'listed' must be a YYYY-MM-DD date or null"),
        ("id: p\ntitle: t\nabstract: a\nsources:\n- listing: a.txt\n  rank: 0\n  listed: null\n", 4,
         "field 'sources' must be a list of {listing, listed, rank (optional, >= 1)}"),
        ("id: Q\ntitle: t\nabstract: a\n", 1, "field 'id' is not a valid id: 'Q'"),
    ],
)
def test_a_wrong_field_in_the_written_layout_has_the_same_message(text, line, message):
    assert LAYOUT.read(text) is not None
    assert outcome(text) == outcome_by_yaml_only(text) == ("error", line, message)


def test_an_implausible_date_in_the_written_layout_has_the_same_warning():
    text = "id: p\ntitle: t\nabstract: a\npublished: '2999-01-01'\n"
    assert LAYOUT.read(text) is not None
    paper, warnings = outcome(text)
    assert (paper, warnings) == outcome_by_yaml_only(text)
    assert [(w.line, w.message) for w in warnings] == [(4, "field 'published' is not a plausible date (2999-01-01): read as unknown")]
