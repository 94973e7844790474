"""The pages: records -> Markdown for every page (paper, listings, indexes).

Golden files: tests/golden/pages/ holds every page generated from tests/fixtures/site/ (papers.yml,
topics.yml) with 2 papers per listing page, so pagination shows on small input.
Regenerate with:  UPDATE_GOLDEN=1 python3 -m pytest tests/test_pages.py
"""

from __future__ import annotations

import html
import html.parser
import io
import os
import re
from dataclasses import replace
from datetime import date

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from conftest import CORPUS, FIXTURES, ROOT, require_shared
from goldenfiles import check_golden_tree
from paperarchive import hfapi
from paperarchive.pages import RAW_HTML_TEMPLATES, parts, render_pages, write_pages
from paperarchive.pages.paper import arxiv_urls, hugging_face_url, paper_page
from paperarchive.pages.parts import (
    ABSTRACT_SHOWN_MAX,
    TITLE_SHOWN_MAX,
    cut,
    first_sentence,
)
from paperarchive.records import Paper, Source
from paperarchive.sitemodel import SiteContext, SiteIdentity, week_of
from paperarchive.urls import week_url
from sitefixtures import (
    fixture_papers,
    fixture_taxonomy,
    make_context,
)

GOLDEN = ROOT / "tests" / "golden" / "pages"


@pytest.fixture(scope="module")
def ctx() -> SiteContext:
    return make_context(fixture_papers(), fixture_taxonomy(), per_page=2)


@pytest.fixture(scope="module")
def pages(ctx) -> dict[str, str]:
    return render_pages(ctx)


def test_golden_pages(pages):
    check_golden_tree(GOLDEN, pages)


@pytest.mark.parametrize(
    "path",
    [
        "index.md",  # home
        "days/index.md",  # every year and month with counts
        "days/2025-11-25.md",  # a featured day, in the listing's order (4 papers: two pages)
        "days/2025-11-25/page/2.md",
        "weeks/2025-W48.md",  # an ISO week: its featured days and their papers
        "days/undated.md",  # papers without a date
        "topics/index.md",
        "topics/language.md",  # a topic, paginated
        "topics/language/page/2.md",
        "topics/robots.md",  # a topic with no papers
        "papers/api-paper.md",  # a paper with API fields (authors, arXiv id, upvotes, code)
        "papers/undated-paper.md",
        "days/2025.md",  # a year: its months with counts and a plot
        "days/2025-11.md",  # a month: its featured days with counts, then the papers published in it
        "days/2025-12/page/2.md",
        "papers/small-language-models.md",  # featured on two days, with an organization
        "papers/seeing-video-models.md",  # no arXiv id, no authors
        "orgs/index.md",  # every organization with its count
        "orgs/nvidia.md",  # an organization (two ids differing in case share it)
        "papers/hostile-org-paper.md",
        "papers/script-alert-1-script-img-src-x-onerror-alert-1-x-javascript-alert-1-bold.md",
    ],
)
def test_every_page_type_has_a_golden_file(path, pages):
    assert path in pages
    assert (GOLDEN / path).is_file()


def test_listing_pages_hold_at_most_per_page_papers(pages):
    listings = 0
    for path, text in pages.items():
        if '<ol class="pa-papers" start=' in text:
            listings += 1
            papers = text.split('<ol class="pa-papers"', 1)[1].split("</ol>", 1)[0]
            assert papers.count("<li><a href=") <= 2, path
    assert listings >= 15  # days, topics, months, organizations, undated


def test_pagination_links_point_both_ways(pages):
    first, second = pages["topics/language.md"], pages["topics/language/page/2.md"]
    assert 'rel="next" href="../../topics/language/page/2/"' in first and "Page 1 of 4" in first
    assert 'rel="prev" href="../../../../topics/language/"' in second
    assert 'start="3"' in second


def test_day_pages_link_previous_and_next_featured_days(pages):
    text = pages["days/2025-11-25.md"]
    assert 'rel="prev" href="../../days/2025-10-31/"' in text
    assert 'rel="next" href="../../days/2025-12-08/"' in text
    deeper = pages["days/2025-11-25/page/2.md"]
    assert 'rel="prev" href="../../../../days/2025-10-31/"' in deeper


class _Text(html.parser.HTMLParser):
    """Text inside elements with a given class, and every tag seen; MathML read as its TeX annotation."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.tags: list[str] = []
        self.by_class: dict[str, str] = {}
        self._stack: list[str | None] = []
        self._math_depth = 0
        self._in_annotation = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._math_depth += tag == "math"
        self._in_annotation = self._in_annotation or tag == "annotation"
        if tag not in ("br", "img", "input", "meta", "link"):
            self._stack.append(dict(attrs).get("class"))

    def handle_endtag(self, tag):
        self._math_depth -= tag == "math"
        self._in_annotation = self._in_annotation and tag != "annotation"
        if tag not in ("br", "img", "input", "meta", "link") and self._stack:
            self._stack.pop()

    def handle_charref(self, name):
        # as a browser decodes it (html.unescape drops control characters a browser keeps)
        code = int(name[1:], 16) if name[:1] in "xX" else int(name)
        self.handle_data("\ufffd" if code == 0 else chr(code))

    def handle_entityref(self, name):
        self.handle_data(html.unescape(f"&{name};"))

    def handle_data(self, data):
        if self._math_depth and not self._in_annotation:
            return  # the rendered MathML: its TeX source, in the annotation, is the text
        for cls in self._stack:
            if cls:
                self.by_class[cls] = self.by_class.get(cls, "") + data


def render_like_mkdocs(page: str) -> tuple[dict, str]:
    body, meta = get_data(page)
    return meta, markdown.markdown(body, extensions=["toc"])


def test_raw_html_pages_pass_through_markdown_unchanged(pages):
    """site.py hands these pages' bodies to MkDocs without Markdown: this is why that changes nothing."""
    raw = 0
    for path, page in pages.items():
        body, meta = get_data(page)
        if meta.get("template") in RAW_HTML_TEMPLATES:
            raw += 1
            assert markdown.markdown(body, extensions=["toc"]) == body.rstrip("\n"), path
    assert raw == len(pages) - 2  # all but days/ and topics/


def test_hostile_paper_renders_exactly_as_written(ctx, pages):
    paper = next(p for p in ctx.papers if p.id.startswith("script-alert"))
    meta, rendered = render_like_mkdocs(pages[f"papers/{paper.id}.md"])
    assert meta["title"] == paper.title
    parsed = _Text()
    parsed.feed(rendered)
    assert parsed.by_class["pa-title"] == paper.title
    assert parsed.by_class["pa-abstract"] == paper.abstract
    assert "script" not in parsed.tags and "img" not in parsed.tags and "strong" not in parsed.tags
    assert "javascript:" not in rendered.replace("javascript:alert(1))", "")  # only as text, never an href
    assert 'href="javascript' not in rendered


def test_yaml_and_markdown_syntax_in_titles_stays_text(ctx, pages):
    for paper in ctx.papers:
        meta, rendered = render_like_mkdocs(pages[f"papers/{paper.id}.md"])
        parsed = _Text()
        parsed.feed(rendered)
        shown = cut(paper.title, TITLE_SHOWN_MAX)
        assert meta["title"] == shown, paper.id
        assert parsed.by_class["pa-title"] == shown, paper.id
        assert parsed.by_class["pa-abstract"] == paper.abstract, paper.id
        assert not {"h3", "h4", "table", "em", "strong", "script", "img", "hr"} & set(parsed.tags), paper.id


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=120)


@settings(max_examples=60, deadline=None)
@given(title=_text, abstract=_text)
def test_any_text_survives_front_matter_and_markdown(title, abstract):
    paper = Paper(id="p", title=title, abstract=abstract, published=date(2025, 1, 2))
    ctx = make_context([paper], _NoTopics())
    page = paper_page(ctx, paper)
    meta, rendered = render_like_mkdocs(page)
    assert rendered == get_data(page)[0].rstrip("\n")  # Markdown changes nothing (see site.py)
    parsed = _Text()
    parsed.feed(rendered)
    assert meta["title"] == title
    # a browser shows NUL as U+FFFD; every other character arrives as written
    shown = lambda s: s.replace("\x00", "\ufffd")
    assert parsed.by_class["pa-title"] == shown(title)
    assert parsed.by_class["pa-abstract"] == shown(abstract)


class _NoTopics:
    topics = ()

    def assign(self, title, abstract):
        return ()


def test_lookup_links_search_by_title_without_arxiv_id():
    paper = Paper(id="p", title="A & B: C?", abstract="x")
    assert hugging_face_url(paper) == "https://huggingface.co/papers?q=A+%26+B%3A+C%3F"
    assert arxiv_urls(paper) == (
        ("arXiv search", "https://arxiv.org/search/?query=A+%26+B%3A+C%3F&searchtype=title"),
    )


def test_first_sentence():
    assert first_sentence("We do X. Then Y.") == "We do X."
    assert first_sentence("Accuracy is 3.5 times higher. Next.") == "Accuracy is 3.5 times higher."
    long = "word " * 100
    cut = first_sentence(long, 50)
    assert cut.endswith("…") and len(cut) <= 51


def _first_sentence_of_the_whole_text(text: str, limit: int) -> str:
    """first_sentence as defined: on the whole abstract, its white space made single spaces."""
    text = " ".join(text.split())
    match = re.search(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])", text)
    sentence = text[: match.start()] if match else text
    if len(sentence) > limit:
        at = sentence.rfind(" ", 0, limit)
        sentence = sentence[: at if at > limit // 2 else limit].rstrip() + "…"
    return sentence


_WORDS = st.sampled_from(["a", "Ab", "model.", "x!", "Y?", "(A", '"B', "'c", "[D", "9", "e.g.", "", "été", "Z."])
_SPACES = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u2028", "\x1c", " \n "])


@settings(max_examples=400, deadline=None)
@given(words=st.lists(st.tuples(_WORDS, _SPACES), max_size=400), lead=_SPACES | st.just(""),
       limit=st.sampled_from([5, 12, 40, 280]))
def test_first_sentence_reads_only_the_abstracts_beginning_and_finds_the_same_sentence(words, lead, limit):
    text = lead + "".join(word + space for word, space in words)
    assert first_sentence(text, limit) == _first_sentence_of_the_whole_text(text, limit)


def test_each_paper_is_made_once_for_every_list_that_shows_it(ctx, monkeypatch):
    made: list[str] = []
    make = parts.make_paper_parts
    monkeypatch.setattr(parts, "make_paper_parts", lambda c, p: made.append(p.id) or make(c, p))
    ctx = replace(ctx)  # a context nothing was made in
    assert render_pages(ctx) == render_pages(ctx)
    assert sorted(made) == sorted([p.id for p in ctx.papers] * 2)  # once per paper per rendering
    assert not ctx.paper_parts  # each rendering keeps them in a context of its own


def test_write_pages_writes_only_changes_and_removes_stale_files(tmp_path, ctx):
    out = tmp_path / "docs"
    count = write_pages(ctx, out, {"about.md": b"# About\n"})
    assert count == len(render_pages(ctx)) + 1
    paper_file = out / "papers" / "api-paper.md"
    stale = out / "papers" / "gone" / "old.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    os.utime(paper_file, (1, 1))
    write_pages(ctx, out, {"about.md": b"# About\n"})
    assert paper_file.stat().st_mtime == 1  # unchanged bytes: not rewritten
    assert not stale.exists() and not stale.parent.exists()
    assert (out / "about.md").read_bytes() == b"# About\n"


def test_a_hand_written_page_cannot_replace_a_generated_one(tmp_path, ctx):
    with pytest.raises(ValueError, match="index.md"):
        write_pages(ctx, tmp_path, {"index.md": b"x"})


def test_paper_pages_link_their_organization_and_related_papers(ctx, pages):
    page = pages["papers/hostile-org-paper.md"]
    assert '<a href="../../orgs/i-org-i-x-1-frag/">&lt;i&gt;Org&lt;/i&gt; &amp; &quot;Friends&quot;</a>' in page
    assert '<a href="hostile-org-paper.bib" download>Download BibTeX</a>' in page
    for paper in ctx.papers:
        related = ctx.related[paper.id]
        assert len(related) <= 5 and paper.id not in related
        text = pages[f"papers/{paper.id}.md"]
        section = text.split('id="related"', 1)[1] if 'id="related"' in text else ""
        shown = re.findall(r'<a href="\.\./([^/]+)/">', section)
        assert shown == list(related), paper.id
    assert ctx.related["small-language-models"]  # a paper about language models has neighbours


def test_month_and_year_pages_have_counts_and_link_both_ways(pages):
    month = pages["days/2025-11.md"]
    assert "4 papers featured on 1 day, newest day first" in month
    assert '<a href="../../days/2025-11-25/">25 Nov</a> <span>(4)</span>' in month
    assert 'rel="prev" href="../../days/2025-10/"' in month and 'rel="next" href="../../days/2025-12/"' in month
    year = pages["days/2025.md"]
    assert '<a href="../../days/2025-11/">November 2025</a> <span>(4 papers featured on 1 day, 4 published)</span>' in year
    assert "10 papers featured on Daily Papers, 10 papers published, in 3 months" in year and "<svg" in year
    assert '<a href="../../weeks/2025-W48/">W48</a>' in year
    index = pages["days/index.md"]
    assert 'href="../days/2025/"' in index and 'href="../days/2025-11/"' in index
    day = pages["days/2025-11-25.md"]
    assert ('<a href="../../days/2025/">2025</a> › <a href="../../days/2025-11/">November 2025</a> › '
            '<a href="../../weeks/2025-W48/">Week 48 of 2025</a>') in day


def test_months_list_the_papers_published_in_them_so_unfeatured_papers_are_reached(ctx, pages):
    assert "unicode-title" not in ctx.featured_on  # published 2025-12-01, never featured
    december = pages["days/2025-12.md"] + pages["days/2025-12/page/2.md"]
    assert '<a href="../../../../papers/unicode-title/">' in december
    assert "Published in December 2025" in december and "4 papers, newest first" in december
    # the days list sits on the first page only, the published papers are paginated like any listing
    assert "pa-day-list" in pages["days/2025-12.md"] and "pa-day-list" not in pages["days/2025-12/page/2.md"]


def test_month_pages_and_the_days_index_stay_small_as_the_archive_grows(pages):
    index = pages["days/index.md"]
    assert "days/2025-11-25/" not in index and "/papers/" not in index
    assert '<a href="../days/2025-11/">November 2025</a> <span>(4 papers featured on 1 day, 4 published)</span>' in index
    assert "9 papers featured on 3 Daily Papers days; 10 papers with a publication date" in index


# ---------------------------------------------------------------- featured days and weeks


def _listed_ids(text: str) -> list[str]:
    return re.findall(r'<li><a href="(?:\.\./)*papers/([^/]+)/">', text)


def test_a_day_page_shows_the_papers_featured_that_day_in_the_listings_order(pages):
    day = pages["days/2025-11-25.md"] + pages["days/2025-11-25/page/2.md"]
    assert _listed_ids(day) == ["a-very-long-title", "small-language-models", "seeing-video-models", "hostile-org-paper"]
    assert '<span class="pa-date">2025-11-20</span>' in day  # each with its publication date
    assert "featured on Hugging Face Daily Papers this day, in the listing's order" in day
    assert 'href="https://huggingface.co/papers/date/2025-11-25"' in day
    assert _listed_ids(pages["days/2025-12-08.md"] + pages["days/2025-12-08/page/2.md"]) == [
        "script-alert-1-script-img-src-x-onerror-alert-1-x-javascript-alert-1-bold",
        "vision-language-agents", "small-language-models", "heading-yaml",
    ]
    # no day page for a publication date that no listing featured
    assert "days/2025-11-20.md" not in pages and "days/2025-12-01.md" not in pages


def test_a_paper_featured_on_two_days_is_on_both_and_its_page_names_both(ctx, pages):
    assert ctx.featured_on["small-language-models"] == ((date(2025, 11, 25), 2), (date(2025, 12, 8), 3))
    page = pages["papers/small-language-models.md"]
    assert ('<p class="pa-featured">Featured on Daily Papers: <a href="../../days/2025-11-25/">25 Nov 2025</a> (#2), '
            '<a href="../../days/2025-12-08/">8 Dec 2025</a> (#3)</p>') in page


def test_week_pages_list_their_days_and_link_the_neighbouring_weeks(ctx, pages):
    assert ctx.weeks == ("2025-W44", "2025-W48", "2025-W50")
    week = pages["weeks/2025-W48.md"]
    assert 'rel="prev" href="../../weeks/2025-W44/"' in week and 'rel="next" href="../../weeks/2025-W50/"' in week
    assert '<a href="../../days/2025-11-25/">Tuesday, 25 November 2025</a>' in week
    assert "4 papers featured on 25 November 2025." in week
    assert _listed_ids(week) == ["a-very-long-title", "small-language-models", "seeing-video-models", "hostile-org-paper"]


def test_the_iso_week_of_a_day_is_named_as_on_hugging_face():
    assert week_of(date(2026, 8, 20)) == "2026-W34"
    assert week_of(date(2021, 1, 3)) == "2020-W53"  # a Sunday belongs to the week that began in December
    assert week_url("2026-W34") == "weeks/2026-W34/"


# ---------------------------------------------------------------- home page


def test_home_shows_the_latest_days_papers_and_plain_counts(ctx, pages):
    home = pages["index.md"]
    assert '<h1 class="pa-home-title">Daily Papers Archive</h1>' in home
    assert ("12 papers: 10 with a publication date, 2 without; 9 papers featured on 3 Daily Papers days "
            "from 31 October 2025 to 8 December 2025; 3 topics.") in home
    latest = home.split('id="latest"', 1)[1].split("</ol>", 1)[0]
    assert _listed_ids(latest) == [p.id for p in ctx.by_day[date(2025, 12, 8)]]
    assert "<bdi>Language models can be small.</bdi>" in latest  # the first sentence
    assert "<bdi>NVIDIA</bdi>" in latest  # the organization


def test_home_without_any_featured_day_says_so_and_shows_recently_published_papers():
    unfeatured = [replace(p, sources=tuple(replace(s, rank=None) for s in p.sources)) for p in fixture_papers()]
    home = render_pages(make_context(unfeatured, fixture_taxonomy()))["index.md"]
    assert "no Daily Papers day (no daily listing has been ingested)" in home
    assert "No Daily Papers listing is in the archive yet" in home
    recent = home.split('id="recent"', 1)[1].split("</ol>", 1)[0]
    assert _listed_ids(recent)[:2] == ["heading-yaml", "script-alert-1-script-img-src-x-onerror-alert-1-x-javascript-alert-1-bold"]
    assert "<svg" not in home.split('id="topics"')[0]  # no empty calendar


def test_the_site_name_comes_from_the_identity():
    ctx = make_context(fixture_papers(), fixture_taxonomy(), identity=SiteIdentity(name="Lab <Reading> Group"))
    pages = render_pages(ctx)
    assert '<h1 class="pa-home-title">Lab &lt;Reading&gt; Group</h1>' in pages["index.md"]
    assert 'feeds_title: "Lab <Reading> Group: Language models"' in pages["topics/language.md"]


def test_nothing_in_the_package_names_the_shipped_site():
    package = ROOT / "build" / "paperarchive"
    named = [p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".html", ".js", ".css")
             and "Daily Papers Archive" in p.read_text(encoding="utf-8")]
    assert named == []


# ---------------------------------------------------------------- paper page


def test_paper_page_has_a_breadcrumb_and_no_internal_file_name(pages):
    page = pages["papers/small-language-models.md"]
    assert ('<nav class="pa-crumbs" aria-label="Breadcrumb"><a href="../../">Home</a> › <a href="../../days/">Days</a> › '
            '<a href="../../days/2025-12-08/">8 Dec 2025</a></nav>') in page
    unfeatured = pages["papers/unicode-title.md"]
    assert '› <a href="../../days/2025-12/">December 2025</a></nav>' in unfeatured  # its month of publication
    assert '› <a href="../../days/undated/">Undated</a></nav>' in pages["papers/undated-paper.md"]
    for path, text in pages.items():
        assert ".txt" not in text and "seed-00" not in text and "Listed on" not in text, path


def test_paper_page_shows_comments_and_upvotes_when_known(pages):
    facts = pages["papers/api-paper.md"].split('<p class="pa-facts">', 1)[1].split("</p>", 1)[0]
    assert "upvote" in facts


# ---------------------------------------------------------------- what one paper can cost


def test_titles_are_isolated_so_a_bidi_override_cannot_flip_the_rest_of_an_item():
    evil = Paper(id="evil", title="\u202eevil title", abstract="\u202eFirst sentence. More.", published=date(2025, 1, 2),
                 sources=(Source(date(2025, 1, 3), "2025-01-03.json", 1),))
    other = Paper(id="other", title="Other evil", abstract="evil title", published=date(2025, 1, 2),
                  sources=(Source(date(2025, 1, 3), "2025-01-03.json", 2),))
    pages = render_pages(make_context([evil, other], _NoTopics()))
    day = pages["days/2025-01-03.md"]
    assert '<bdi>\u202eevil title</bdi></a> <span class="pa-date">2025-01-02</span>' in day
    assert "<br><bdi>\u202eFirst sentence.</bdi>" in day
    # a related paper or a week's title is alone in its list item: nothing follows it there to reorder
    assert '<li><a href="../evil/">\u202eevil title</a></li>' in pages["papers/other.md"]
    assert '<li><a href="../../papers/evil/">\u202eevil title</a></li>' in pages["weeks/2025-W01.md"]


def test_a_huge_title_and_abstract_cost_a_bounded_number_of_bytes_on_pages():
    huge = Paper(id="huge", title="T" * 1_000_000, abstract="A" * 1_000_000, published=date(2025, 1, 2),
                 sources=(Source(date(2025, 1, 3), "2025-01-03.json", 1),))
    neighbour = Paper(id="neighbour", title="T neighbour", abstract="A neighbour", published=date(2025, 1, 2),
                      sources=(Source(date(2025, 1, 3), "2025-01-03.json", 2),))
    pages = render_pages(make_context([huge, neighbour], _NoTopics()))
    without_charts = {path: re.sub("<svg.*?</svg>", "", text) for path, text in pages.items()}
    assert max(map(len, without_charts.values())) < 20_000, {path: len(text) for path, text in without_charts.items()}
    page = pages["papers/huge.md"]
    assert re.search(r"<p>The entry is 1,000,\d{3} characters long", page) and '<a href="huge.bib" download>' in page  # BibTeX: in its file only
    assert f'title: "{"T" * TITLE_SHOWN_MAX}…"' in page
    assert ('<p class="pa-cut">Shortened here: <a href="../../api/papers/huge.json">the whole abstract '
            "(1,000,000 characters, JSON)</a>.</p>") in page
    _, rendered = render_like_mkdocs(page)
    parsed = _Text()
    parsed.feed(rendered)
    assert parsed.by_class["pa-abstract"] == "A" * ABSTRACT_SHOWN_MAX + "…"


def test_plots_and_feed_links_sit_on_home_days_and_topic_pages(pages):
    home = pages["index.md"]
    assert home.count("<svg") == 1 and "Papers per day over the last year" in home
    assert '<a href="feed.xml" type="application/rss+xml">RSS</a>' in home
    assert '<a href="atom.xml"' in home and '<a href="feed.json"' in home
    assert pages["days/index.md"].count("<svg") == 1
    topic = pages["topics/language.md"]
    assert topic.count("<svg") == 1 and "Language models: papers per month" in topic
    assert '<a href="../../topics/language/feed.xml" type="application/rss+xml">RSS</a>' in topic
    assert "<svg" not in pages["topics/language/page/2.md"]  # the plot is on the first page only
    assert "<svg" not in pages["topics/robots.md"]  # no papers, no plot
    vision = pages["topics/vision.md"]
    assert "Vision &amp; &lt;images&gt;: papers per month" in vision  # the topic name is escaped in the SVG


# ---------------------------------------------------------------- featured days from real input


def _store_of(tmp_path, files):
    from paperarchive import ingest
    from paperarchive.store import load_store

    store = tmp_path / "store"
    ingest.ingest_files(sorted(files), store=store, listed_on=None, strict=False, out=io.StringIO())
    return list(load_store(store).papers.values())


def _day_titles(pages: dict[str, str], day: str) -> list[str]:
    text = "".join(text for path, text in sorted(pages.items()) if path.startswith(f"days/{day}"))
    return [html.unescape(t) for t in re.findall(r"<li><a href=\"[^\"]+\"><bdi>(.*?)</bdi></a>", text)]


def test_api_files_make_days_in_the_apis_order(tmp_path):
    files = sorted((FIXTURES / "hfapi").glob("*.json"))
    papers = _store_of(tmp_path, files)
    pages = render_pages(make_context(papers, fixture_taxonomy()))
    days = 0
    for path in files:
        entries = [e for e in hfapi.read_api_file(path, None).entries if e.rank is not None]
        for day in {e.listed for e in entries}:
            expected = [e.title for e in sorted(entries, key=lambda e: e.rank) if e.listed == day]
            assert _day_titles(pages, day.isoformat()) == [cut(t, TITLE_SHOWN_MAX) for t in expected], path.name
            days += 1
    assert days >= 2


def test_the_corpus_listing_of_20_august_2026_is_that_days_page(tmp_path):
    listing = require_shared(CORPUS) / "listings" / "2026-08-20.txt"
    papers = _store_of(tmp_path, [listing])
    pages = render_pages(make_context(papers, fixture_taxonomy()))
    titles = _day_titles(pages, "2026-08-20")
    assert len(titles) == len(papers) >= 14
    assert titles[0].startswith("Zetta ζ")
    # the listing's own order: the order of its titles in the file
    text = listing.read_text(encoding="utf-8")
    assert titles == sorted(titles, key=lambda t: text.index(t))
