"""Top of the week and of the month: the most upvoted papers of each period where upvotes are known."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from paperarchive.pages.popular import popular_pages
from paperarchive.popularity import (
    TOP_SIZE,
    feed_selection,
    top_of_months,
    top_of_weeks,
)
from paperarchive.records import Paper, Source
from sitefixtures import fixture_taxonomy, make_context


def _paper(pid: str, upvotes: int | None, *days: date) -> Paper:
    return Paper(id=pid, title=pid.upper(), abstract="A.", published=date(2025, 3, 1), upvotes=upvotes,
                 sources=tuple(Source(d, f"{d.isoformat()}.json", 1) for d in days))


def test_top_of_the_week_ranks_by_upvotes_with_the_capture_day():
    papers = [_paper("a", 10, date(2025, 3, 3)), _paper("b", 30, date(2025, 3, 4)), _paper("c", None, date(2025, 3, 4)),
              _paper("d", 30, date(2025, 3, 3)), _paper("e", 99, date(2025, 3, 10))]
    ctx = make_context(papers, fixture_taxonomy())
    weeks = top_of_weeks(ctx)
    assert list(weeks) == ["2025-W10", "2025-W11"]
    # ties: the earlier featured day first, then the id; "c" has no count and is not ranked
    assert [(r.paper.id, r.upvotes, r.counted_on, r.featured) for r in weeks["2025-W10"]] == [
        ("d", 30, date(2025, 3, 3), date(2025, 3, 3)),
        ("b", 30, date(2025, 3, 4), date(2025, 3, 4)),
        ("a", 10, date(2025, 3, 3), date(2025, 3, 3)),
    ]
    assert [r.paper.id for r in top_of_months(ctx)["2025-03"]] == ["e", "d", "b", "a"]
    assert [p.id for p in feed_selection(weeks)] == ["d", "b", "a", "e"]


def test_a_period_holds_at_most_top_size_papers():
    papers = [_paper(f"p{i:02d}", i, date(2025, 3, 3)) for i in range(TOP_SIZE + 5)]
    top = top_of_weeks(make_context(papers, fixture_taxonomy()))["2025-W10"]
    assert len(top) == TOP_SIZE and top[0].paper.id == f"p{TOP_SIZE + 4:02d}" and top[-1].upvotes == 5


def test_no_counts_only_the_index_saying_so():
    ctx = make_context([_paper("a", None, date(2025, 3, 3))], fixture_taxonomy())
    pages = popular_pages(ctx)
    assert list(pages) == ["popular/index.md"]
    assert "<p>No upvotes are known yet: only papers from the Hugging Face API have them.</p>\n" in pages["popular/index.md"]


def test_week_page_shows_count_and_capture_day():
    paper = replace(_paper("a", 31, date(2025, 3, 4)), title="A <b>title</b>")
    pages = popular_pages(make_context([paper], fixture_taxonomy()))
    assert sorted(pages) == ["popular/index.md", "popular/months.md", "popular/months/2025-03.md",
                             "popular/weeks.md", "popular/weeks/2025-W10.md"]
    assert ('<li><a href="../../../papers/a/"><bdi>A &lt;b&gt;title&lt;/b&gt;</bdi></a><br>'
            '<span class="pa-upvotes"><strong>31 upvotes</strong>, counted on <time datetime="2025-03-04">4 March 2025</time>'
            '</span> · featured <a href="../../../days/2025-03-04/">4 March 2025</a></li>') in pages["popular/weeks/2025-W10.md"]


def test_top_of_week_page_built_from_api_fixtures(featured_site):
    page = (featured_site / "popular" / "weeks" / "2024-W51" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Top of the week: Week 51 of 2024</h1>" in page
    ranked = [line for line in page.splitlines() if 'class="pa-upvotes"' in line]
    assert [(line.split("<bdi>")[1].split("</bdi>")[0], line.split("<strong>")[1].split("</strong>")[0]) for line in ranked] == [
        ("Progressive Multimodal Reasoning via Active Retrieval", "57 upvotes"),
        ("Thinking in Space: How Multimodal Large Language Models See, Remember, and Recall Spaces", "20 upvotes"),
    ]
    assert all('counted on <time datetime="2024-12-20">20 December 2024</time>' in line for line in ranked)
    feed = json.loads((featured_site / "popular" / "weeks" / "feed.json").read_text(encoding="utf-8"))
    assert feed["title"] == "Daily Papers Archive: top of the week"
    assert len(feed["items"]) == 6  # the API fixtures' six papers, in three weeks
    assert (featured_site / "popular" / "months" / "2025-11" / "index.html").is_file()


def test_ai_summary_on_a_built_paper_page(featured_site):
    page = (featured_site / "papers" / "v-reasonbench-toward-unified-reasoning-benchmark-suite-for-video-generation"
            / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="hf-summary">AI summary by Hugging Face</h2>' in page
    assert '<p class="pa-ai-summary">V-ReasonBench evaluates generative video models.</p>' in page


def test_a_period_page_says_how_many_featured_papers_have_counts():
    papers = [_paper("a", 10, date(2025, 3, 3)), _paper("b", 30, date(2025, 3, 4)), _paper("c", None, date(2025, 3, 4))]
    page = popular_pages(make_context(papers, fixture_taxonomy()))["popular/weeks/2025-W10.md"]
    assert ('<p>Of the 3 papers featured in <a href="../../../weeks/2025-W10/">Week 10 of 2025</a>, 2 have a known '
            "upvote count, here most upvoted first. ") in page
    many = [_paper(f"p{i:02d}", i, date(2025, 3, 3)) for i in range(TOP_SIZE + 1)]
    page = popular_pages(make_context(many, fixture_taxonomy()))["popular/months/2025-03.md"]
    assert (f'<p>Of the {TOP_SIZE + 1} papers featured in <a href="../../../days/2025-03/">March 2025</a>, {TOP_SIZE + 1} have a '
            f"known upvote count: here the {TOP_SIZE} most upvoted, most first. ") in page
