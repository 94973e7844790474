"""BibTeX entries and citation keys (build/paperarchive/bibtex.py), read back with pybtex and bibtexparser."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pybtex.database
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibreaders import read_bibtexparser, read_pybtex
from conftest import ROOT, ingest_into
from paperarchive import bibtex, site
from paperarchive.records import Paper

HOSTILE_CASES = ROOT / "tests" / "fixtures" / "hostile" / "cases.json"
SITE = "https://example.org/archive/"

# ---------------------------------------------------------------- reading entries back

_DECODE_RE = re.compile("|".join(re.escape(v) for v in sorted(bibtex.LATEX_SPECIALS.values(), key=len, reverse=True)))
_DECODE = {v: k for k, v in bibtex.LATEX_SPECIALS.items()}


def latex_decoded(text: str) -> str:
    """The inverse of bibtex_escape's LaTeX commands (pylatexenc drops \\textbraceleft{} and others)."""
    return _DECODE_RE.sub(lambda m: _DECODE[m.group()], text)


def as_written(text: str) -> str:
    """What an entry can hold of a text: blanks and control characters as one space."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text).split())


def unbrace(value: str) -> str:
    assert value.startswith("{") and value.endswith("}"), value
    return value[1:-1]


def split_names(field: str) -> list[str]:
    """A BibTeX author list split at " and " outside braces, each name's own braces removed."""
    names, depth, current, i = [], 0, "", 0
    while i < len(field):
        if field[i] == "{":
            depth += 1
        elif field[i] == "}":
            depth -= 1
        if depth == 0 and field.startswith(" and ", i):
            names.append(current)
            current, i = "", i + 5
            continue
        current += field[i]
        i += 1
    names.append(current)
    return [n[1:-1] if n.startswith("{") and n.endswith("}") else n for n in names]


def assert_reads_back(text: str, papers: list[Paper], keys: dict[str, str]) -> None:
    """Both parsers find exactly one entry per paper, under its key, with the paper's text."""
    wanted = [keys[p.id] for p in papers]
    by_pybtex = read_pybtex(text)
    by_parser = read_bibtexparser(text)
    assert list(by_pybtex) == wanted
    assert list(by_parser) == wanted
    assert text.count("\n@") + text.startswith("@") == len(papers)
    for p in papers:
        fields = by_parser[keys[p.id]]
        assert latex_decoded(unbrace(fields["title"])) == as_written(p.title)
        assert latex_decoded(unbrace(by_pybtex[keys[p.id]]["title"])) == as_written(p.title)
        if p.authors:
            names = split_names(fields["author"])
            assert [latex_decoded(n) for n in names] == [as_written(a) for a in p.authors]
            assert len(pybtex.database.parse_string(text, "bibtex").entries[keys[p.id]].persons["author"]) == len(p.authors)
        else:
            assert "author" not in fields
        if p.organization and p.organization.strip():
            assert latex_decoded(fields["institution"]) == as_written(p.organization)


# ---------------------------------------------------------------- entries


def test_entry_fields_in_full():
    paper = Paper(
        id="attention-is-all-you-need",
        title="Attention Is All You Need",
        abstract="a",
        published=date(2017, 6, 12),
        authors=("Ashish Vaswani", "Noam Shazeer"),
        organization="Google",
        arxiv_id="1706.03762",
    )
    text = bibtex.entry(paper, "vaswani2017attention", SITE + "papers/attention-is-all-you-need/")
    assert text == (
        "@misc{vaswani2017attention,\n"
        "  title = {{Attention Is All You Need}},\n"
        "  author = {Ashish Vaswani and Noam Shazeer},\n"
        "  institution = {Google},\n"
        "  year = {2017},\n"
        "  month = jun,\n"
        "  eprint = {1706.03762},\n"
        "  archivePrefix = {arXiv},\n"
        "  doi = {10.48550/arXiv.1706.03762},\n"
        "  url = {https://example.org/archive/papers/attention-is-all-you-need/},\n"
        "}\n"
    )
    entry = pybtex.database.parse_string(text, "bibtex").entries["vaswani2017attention"]
    assert entry.fields["month"] == "June"  # the bare macro, expanded by the reader
    assert [str(p) for p in entry.persons["author"]] == ["Vaswani, Ashish", "Shazeer, Noam"]


def test_organization_is_never_the_author_and_unknown_fields_are_left_out():
    paper = Paper(id="x", title="X", abstract="a", organization="NVIDIA", arxiv_id="not an id")
    text = bibtex.entry(paper, "x", None)
    assert text == "@misc{x,\n  title = {{X}},\n  institution = {NVIDIA},\n}\n"


def test_specials_become_commands_with_balanced_braces():
    paper = Paper(id="p", title="50% of {LLMs} & $x_1$ #1 ~ ^ \\cite <b> }} @misc(pwned,", abstract="a",
                  authors=("Ada Lovelace", "Smith and Sons", "Doe, Jane"))
    text = bibtex.entry(paper, "p", None)
    assert text.splitlines()[1] == (
        r"  title = {{50\% of \textbraceleft{}LLMs\textbraceright{} \& \$x\_1\$ \#1 \textasciitilde{} "
        r"\textasciicircum{} \textbackslash{}cite \textless{}b\textgreater{} \textbraceright{}\textbraceright{} "
        r"@misc(pwned,}},"
    )
    assert text.splitlines()[2] == "  author = {Ada Lovelace and {Smith and Sons} and {Doe, Jane}},"
    assert_reads_back(text, [paper], {"p": "p"})


def test_blanks_and_control_characters_become_one_space():
    assert bibtex.bibtex_escape(" a\tb\n\nc\x00d\x85e ") == "a b c d e"


def test_a_day_file_with_many_entries_reads_back_as_exactly_those_entries():
    cases = json.loads(HOSTILE_CASES.read_text("utf-8"))
    papers = [
        Paper(id=f"case-{i}", title=c["title"], abstract=c["abstract"], published=date(2025, 6, 10 + i % 5),
              authors=(c["title"][:30], "Last, First") if i % 2 else (), organization=c["meta"] if i % 3 else None,
              arxiv_id=f"2506.{i:05d}" if i % 4 else None, first_seen=date(2025, 6, 15))
        for i, c in enumerate(cases)
    ]
    keys = bibtex.cite_keys(papers)
    entries = bibtex.entries_by_id(papers, keys, SITE)
    text = bibtex.bibtex_file(entries[p.id] for p in papers)
    assert_reads_back(text, papers, keys)
    assert len(set(keys.values())) == len(papers)


HOSTILE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(list("{}@%#\\~^&_$<>\"',=()\n\t\x00\x0b\x1f\x7f\x85 ")),
        st.sampled_from(["}} @misc(pwned,", "@comment{", "\\end{document}", "and", " and ", "\u00e9", "\u202e"]),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(titles=st.lists(HOSTILE_TEXT, min_size=1, max_size=4), author=HOSTILE_TEXT, org=HOSTILE_TEXT)
def test_any_title_reads_back_as_written_with_pybtex_and_bibtexparser(titles, author, org):
    # a title is never empty in the store: parse refuses an entry without one
    papers = [
        Paper(id=f"p-{i}", title=t if t.strip() else "x" + t, abstract="a", published=date(2024, 2, 29),
              authors=(author,) if as_written(author) else (), organization=org)
        for i, t in enumerate(titles)
    ]
    keys = bibtex.cite_keys(papers)
    text = bibtex.bibtex_file(bibtex.entries_by_id(papers, keys, SITE).values())
    assert_reads_back(text, papers, keys)


# ---------------------------------------------------------------- keys


def test_key_reads_author_year_and_title_word_from_the_permanent_id():
    paper = Paper(id="towards-a-theory-of-everything", title="Renamed later", abstract="a",
                  published=date(2025, 3, 1), authors=("José Müller-Lüdenscheidt Jr.",))
    assert bibtex.base_key(paper) == "mullerludenscheidt2025theory"
    assert bibtex.base_key(Paper(id="towards-a-theory-of-everything", title="x", abstract="a",
                                 first_seen=date(2024, 1, 1))) == "theory2024everything"
    assert bibtex.base_key(Paper(id="the-2", title="x", abstract="a")) == "the"
    assert bibtex.base_key(Paper(id="x", title="x", abstract="a", authors=("Doe, Jane",))) == "doex"


def test_colliding_keys_get_letters_in_order_of_first_listing_then_id():
    def paper(pid, seen):
        return Paper(id=pid, title=pid, abstract="a", published=date(2025, 1, 1), authors=("A Smith",),
                     first_seen=seen)

    papers = [paper("deep-b", date(2025, 1, 3)), paper("deep-a", date(2025, 1, 3)), paper("deep-c", date(2025, 1, 2)),
              paper("deepa", date(2025, 1, 9))]
    keys = bibtex.cite_keys(papers)
    # deep-c was listed first; deep-a and deep-b on the same day (by id); "smith2025deepa" is taken by deepa itself
    assert keys == {"deep-c": "smith2025deep", "deep-a": "smith2025deepb", "deep-b": "smith2025deepc",
                    "deepa": "smith2025deepa"}
    # a paper listed later never moves an existing key
    later = bibtex.cite_keys([*papers, paper("deep-0", date(2025, 2, 1))])
    assert {k: later[k] for k in keys} == keys and later["deep-0"] == "smith2025deepd"


def test_letter_suffixes_go_on_past_z():
    assert [bibtex.letter_suffix(n) for n in (1, 2, 26, 27, 52, 703)] == ["a", "b", "z", "aa", "az", "aaa"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["deep-net", "deep", "the-deep", "x"]), st.integers(0, 3),
                          st.sampled_from([(), ("A Smith",), ("B Smith",)])), max_size=40))
def test_keys_are_unique_and_ascii_lowercase(specs):
    papers = [Paper(id=f"{pid}-{i}", title="t", abstract="a", authors=authors,
                    first_seen=date(2025, 1, 1 + day)) for i, (pid, day, authors) in enumerate(specs)]
    keys = bibtex.cite_keys(papers)
    assert len(set(keys.values())) == len(papers)
    assert all(re.fullmatch(r"[a-z0-9]+", k) for k in keys.values())


@pytest.mark.corpus
def test_every_key_of_the_corpus_is_unique_and_its_entries_read_back(corpus, tmp_path):
    store = ingest_into(tmp_path / "papers", sorted((corpus / "listings").glob("*.txt")))
    papers = list(site.load_papers(store, strict=False, err=io.StringIO()))
    keys = bibtex.cite_keys(papers)
    assert len(set(keys.values())) == len(papers) == 9877
    text = bibtex.bibtex_file(bibtex.entries_by_id(papers, keys, SITE).values())
    assert list(read_pybtex(text)) == [keys[p.id] for p in papers]


def test_every_bib_file_of_the_seeds_site_reads_back_as_its_entries(seed_site):
    files = sorted(seed_site.rglob("*.bib"))
    assert len(files) > 100
    for path in files:
        text = path.read_text("utf-8")
        keys = re.findall(r"^@misc\{([a-z0-9]+),$", text, re.MULTILINE)
        assert list(read_pybtex(text)) == keys and list(read_bibtexparser(text)) == keys, path  # a topic may be empty
