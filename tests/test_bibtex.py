"""BibTeX entries: specials escaped, braces balanced, a list's file holds each entry once."""

from __future__ import annotations

from datetime import date

from paperarchive.bibtex import bibtex, bibtex_file
from paperarchive.records import Paper


def test_bibtex_escapes_specials_and_keeps_braces_balanced():
    paper = Paper(
        id="x-paper",
        title="50% of {LLMs} & $x_1$ #1 ~ ^ \\cite",
        abstract="a",
        published=date(2024, 6, 25),
        authors=("Ada Lovelace", "Smith and Sons"),
        arxiv_id="2406.01234",
    )
    text = bibtex(paper)
    assert text == (
        "@misc{x-paper,\n"
        "  title = {{50\\% of \\{LLMs\\} \\& \\$x\\_1\\$ \\#1 \\~{} \\^{} \\textbackslash{}cite}},\n"
        "  author = {Ada Lovelace and {Smith and Sons}},\n"
        "  year = {2024},\n"
        "  month = {jun},\n"
        "  eprint = {2406.01234},\n"
        "  archivePrefix = {arXiv},\n"
        "  url = {https://arxiv.org/abs/2406.01234},\n"
        "}\n"
    )
    unescaped = text.replace("\\{", "").replace("\\}", "")
    assert unescaped.count("{") == unescaped.count("}")


def test_bibtex_file_holds_each_entry_once():
    a = Paper(id="a", title="A", abstract="x", published=date(2025, 1, 2))
    b = Paper(id="b", title="B", abstract="y")
    assert bibtex_file([a, b]) == bibtex(a) + "\n" + bibtex(b)
