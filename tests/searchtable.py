"""The search query table (tests/search_queries.yml) and its papers: a test support module, used by the
terminal tests (test_search.py) and the browser tests (test_search_browser.py), which check the same rows."""

from __future__ import annotations

from pathlib import Path

import yaml

from paperarchive import search
from paperarchive.records import Paper

QUERY_TABLE = Path(__file__).resolve().parent / "search_queries.yml"


def load_table() -> dict:
    return yaml.load(QUERY_TABLE.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def table_papers() -> tuple[list[Paper], dict[str, tuple[str, ...]]]:
    papers, topics = [], {}
    for row in load_table()["papers"]:
        papers.append(
            Paper(
                id=row["id"],
                title=row["title"],
                abstract=row["abstract"],
                published=row["published"],
                organization=row["organization"] or None,
                authors=tuple(row["authors"]),
            )
        )
        topics[row["id"]] = tuple(row["topics"])
    return papers, topics


TABLE = load_table()


def check_ordering_rule(query: str, titles: list[str]) -> None:
    """Every result whose title holds all query words comes before every result that does not."""
    words = search.query_words(query)
    holds = [search.title_holds_all(words, title) for title in titles]
    assert holds == sorted(holds, reverse=True), (query, list(zip(titles, holds, strict=False)))


def check_row(row: dict, ids: list[str], titles: list[str], corrections: dict, missing: list[str]) -> None:
    """One row of the query table against what a search returned and told."""
    for expected in row["returns"]:
        assert expected in ids, (row["query"], ids)
    if row.get("only"):
        assert sorted(ids) == sorted(row["returns"]), (row["query"], ids)
    if "first" in row:
        assert ids[0] == row["first"], (row["query"], ids)
    assert {word: terms[0] for word, terms in corrections.items()} == row.get("corrected", {}), row["query"]
    assert list(missing) == row.get("missing", []), row["query"]
    check_ordering_rule(row["query"], titles)
