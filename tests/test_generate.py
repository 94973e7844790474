"""The generate stage: records -> Markdown pages.

Golden files: tests/golden/pages/ holds every page generated from tests/fixtures/site/ (papers.yml,
topics.yml) with 2 papers per listing page, so pagination shows on small input.
Regenerate with:  UPDATE_GOLDEN=1 python3 -m pytest tests/test_generate.py
"""

from __future__ import annotations

import html
import html.parser
import os
import re
from datetime import date

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from conftest import FIXTURES, ROOT
from paperarchive import generate, topics
from paperarchive.records import Paper, paper_from_dict

SITE_FIXTURES = FIXTURES / "site"
GOLDEN = ROOT / "tests" / "golden" / "pages"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def fixture_papers() -> list[Paper]:
    data = yaml.load((SITE_FIXTURES / "papers.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return [paper_from_dict(d) for d in data]


def fixture_taxonomy():
    return topics.load_taxonomy(SITE_FIXTURES / "topics.yml")


@pytest.fixture(scope="module")
def ctx() -> generate.SiteContext:
    return generate.build_context(fixture_papers(), fixture_taxonomy(), per_page=2)


@pytest.fixture(scope="module")
def pages(ctx) -> dict[str, str]:
    return generate.render_pages(ctx)


# ---------------------------------------------------------------- golden files


def test_golden_pages(pages):
    if UPDATE:
        generate.sync_folder(GOLDEN, {path: text.encode("utf-8") for path, text in pages.items()})
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")
    }
    assert sorted(pages) == sorted(expected), "the set of pages changed (UPDATE_GOLDEN=1 to accept)"
    for path, text in pages.items():
        assert text == expected[path], f"{path} differs from tests/golden/pages/{path} (UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize(
    "path",
    [
        "index.md",  # home
        "days/index.md",  # every year and month with counts
        "days/2025-12-01.md",  # a day (4 papers: two pages)
        "days/2025-12-01/page/2.md",
        "days/undated.md",  # papers without a date
        "topics/index.md",
        "topics/language.md",  # a topic, paginated
        "topics/language/page/2.md",
        "topics/robots.md",  # a topic with no papers
        "papers/api-paper.md",  # a paper with API fields (authors, arXiv id, upvotes, code)
        "papers/undated-paper.md",
        "days/2025.md",  # a year: its months with counts and a plot
        "days/2025-11.md",  # a month: its days with counts (the papers are on the day pages)
        "orgs/index.md",  # every organization with its count
        "orgs/nvidia.md",  # an organization (two ids differing in case share it)
        "papers/hostile-org-paper.md",
        "papers/script-alert-1-script-img-src-x-onerror-alert-1-x-javascript-alert-1-bold.md",
    ],
)
def test_every_page_type_has_a_golden_file(path, pages):
    assert path in pages
    assert (GOLDEN / path).is_file()


# ---------------------------------------------------------------- context


def test_context_groups_papers(ctx):
    assert ctx.days == (date(2025, 10, 31), date(2025, 11, 20), date(2025, 11, 21), date(2025, 12, 1))
    assert [p.id for p in ctx.undated] == ["paper-1a2b3c4d", "undated-paper"]
    assert list(ctx.by_month) == ["2025-10", "2025-11", "2025-12"]
    assert ctx.prev_day(date(2025, 11, 20)) == date(2025, 10, 31)
    assert ctx.next_day(date(2025, 12, 1)) is None
    assert ctx.redirects == {"small-language-models-are-enough": "small-language-models"}
    assert ctx.newest_date == date(2025, 12, 8)
    newest_first = [p.day for p in ctx.by_topic["language"]]
    dated = [d for d in newest_first if d]
    assert dated == sorted(dated, reverse=True)
    assert newest_first == dated + [None] * (len(newest_first) - len(dated))  # undated papers last
    assert None in newest_first
    assert ctx.by_topic["robots"] == ()


def test_listing_pages_hold_at_most_per_page_papers(pages):
    listings = 0
    for path, text in pages.items():
        if '<ol class="pa-papers"' in text:
            listings += 1
            papers = text.split('<ol class="pa-papers"', 1)[1].split("</ol>", 1)[0]
            assert papers.count("<li><a href=") <= 2, path
    assert listings >= 15  # days, topics, months, organizations, undated


def test_pagination_links_point_both_ways(pages):
    first, second = pages["topics/language.md"], pages["topics/language/page/2.md"]
    assert 'rel="next" href="../../topics/language/page/2/"' in first and "Page 1 of 4" in first
    assert 'rel="prev" href="../../../../topics/language/"' in second
    assert 'start="3"' in second


def test_day_pages_link_previous_and_next_days(pages):
    text = pages["days/2025-11-20.md"]
    assert 'rel="prev" href="../../days/2025-10-31/"' in text
    assert 'rel="next" href="../../days/2025-11-21/"' in text
    deeper = pages["days/2025-12-01/page/2.md"]
    assert 'rel="prev" href="../../../../days/2025-11-21/"' in deeper


# ---------------------------------------------------------------- untrusted text stays inert


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
        if meta.get("template") in generate.RAW_HTML_TEMPLATES:
            raw += 1
            assert markdown.markdown(body, extensions=["toc"]) == body.rstrip("\n"), path
    assert raw == len(pages) - 3  # all but home, days/ and topics/


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
        assert meta["title"] == paper.title, paper.id
        assert parsed.by_class["pa-title"] == paper.title, paper.id
        assert parsed.by_class["pa-abstract"] == paper.abstract, paper.id
        assert not {"h3", "h4", "table", "em", "strong", "script", "img", "hr"} & set(parsed.tags), paper.id


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=120)


@settings(max_examples=60, deadline=None)
@given(title=_text, abstract=_text)
def test_any_text_survives_front_matter_and_markdown(title, abstract):
    paper = Paper(id="p", title=title, abstract=abstract, published=date(2025, 1, 2))
    ctx = generate.build_context([paper], _NoTopics())
    page = generate.paper_page(ctx, paper)
    meta, rendered = render_like_mkdocs(page)
    assert rendered == get_data(page)[0].rstrip("\n")  # Markdown changes nothing (see site.py)
    parsed = _Text()
    parsed.feed(rendered)
    assert meta["title"] == title
    # a browser shows NUL as U+FFFD; every other character arrives as written
    shown = lambda s: s.replace("\x00", "\ufffd")
    assert parsed.by_class["pa-title"] == shown(title)
    assert parsed.by_class["pa-abstract"] == shown(abstract)


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",))))
def test_yaml_string_reads_back_exactly(text):
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        assert yaml.load(f"title: {generate.yaml_string(text)}\n", Loader=loader) == {"title": text}


def test_yaml_string_escapes_what_yaml_would_fold_or_refuse():
    tricky = "a\x85b\u2028c\u2029d\ufeffe\x7f\x9f\ufffe\"\\\n\t: #&*!|>'%@`{{ }}---"
    assert yaml.load(f"t: {generate.yaml_string(tricky)}", Loader=yaml.SafeLoader) == {"t": tricky}
    assert "\n" not in generate.yaml_string(tricky)


class _NoTopics:
    topics = ()

    def assign(self, title, abstract):
        return ()


# ---------------------------------------------------------------- pieces


def test_lookup_links_search_by_title_without_arxiv_id():
    paper = Paper(id="p", title="A & B: C?", abstract="x")
    assert generate.hugging_face_url(paper) == "https://huggingface.co/papers?q=A+%26+B%3A+C%3F"
    assert generate.arxiv_urls(paper) == (
        ("arXiv search", "https://arxiv.org/search/?query=A+%26+B%3A+C%3F&searchtype=title"),
    )


def test_only_http_links_become_links():
    assert generate.safe_url("javascript:alert(1)") is None
    assert generate.safe_url("data:text/html,x") is None
    assert generate.safe_url("https://github.com/a/b") == "https://github.com/a/b"


def test_first_sentence():
    assert generate.first_sentence("We do X. Then Y.") == "We do X."
    assert generate.first_sentence("Accuracy is 3.5 times higher. Next.") == "Accuracy is 3.5 times higher."
    long = "word " * 100
    cut = generate.first_sentence(long, 50)
    assert cut.endswith("…") and len(cut) <= 51


def test_relative_links():
    assert generate.href("papers/x/", "days/2025-01-01/") == "../../days/2025-01-01/"
    assert generate.href("", "days/") == "days/"
    assert generate.href("", "") == "./"
    assert generate.href("topics/a/page/2/", "topics/a/") == "../../../../topics/a/"


# ---------------------------------------------------------------- writing


def test_write_pages_writes_only_changes_and_removes_stale_files(tmp_path, ctx):
    out = tmp_path / "docs"
    count = generate.write_pages(ctx, out, {"about.md": b"# About\n"})
    assert count == len(generate.render_pages(ctx)) + 1
    paper_file = out / "papers" / "api-paper.md"
    stale = out / "papers" / "gone" / "old.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    os.utime(paper_file, (1, 1))
    generate.write_pages(ctx, out, {"about.md": b"# About\n"})
    assert paper_file.stat().st_mtime == 1  # unchanged bytes: not rewritten
    assert not stale.exists() and not stale.parent.exists()
    assert (out / "about.md").read_bytes() == b"# About\n"


def test_a_hand_written_page_cannot_replace_a_generated_one(tmp_path, ctx):
    with pytest.raises(ValueError, match="index.md"):
        generate.write_pages(ctx, tmp_path, {"index.md": b"x"})


# ---------------------------------------------------------------- organizations, related, months, feeds, bib


def test_org_slugs_are_url_safe_lowercase_and_permanent():
    assert generate.org_slug("ByteDance-Seed") == "bytedance-seed"
    assert generate.org_slug("SJTU-DENG-Lab") == generate.org_slug("SJTU-Deng-Lab") == "sjtu-deng-lab"
    assert generate.org_slug("../<i>Org</i>?x=1#frag") == "i-org-i-x-1-frag"
    assert generate.org_slug("index") == "index-org"  # orgs/index is the index of organizations
    assert generate.org_slug("清华") == "qing-hua"
    assert generate.org_slug("???") == "org-" + __import__("hashlib").sha1(b"???").hexdigest()[:10]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_org_id_gets_a_safe_slug(org_id):
    slug = generate.org_slug(org_id)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug) and slug != "index"
    assert generate.org_slug(org_id) == slug


def test_context_groups_organizations(ctx):
    assert [(o.id, o.name, len(ctx.by_org[o.id])) for o in ctx.orgs] == [
        ("nvidia", "NVIDIA", 2),
        ("evil", "<b>Evil & Co</b> {{ org }}", 1),
        ("i-org-i-x-1-frag", '<i>Org</i> & "Friends"', 1),
    ]
    assert [p.id for p in ctx.by_org["nvidia"]] == ["small-language-models", "nvidia-upper-case-id"]  # newest first
    assert ctx.org_of["nvidia-upper-case-id"] == "nvidia" and "api-paper" not in ctx.org_of


def test_paper_pages_link_their_organization_and_related_papers(ctx, pages):
    page = pages["papers/hostile-org-paper.md"]
    assert '<a href="../../orgs/i-org-i-x-1-frag/">&lt;i&gt;Org&lt;/i&gt; &amp; &quot;Friends&quot;</a>' in page
    assert '<a href="hostile-org-paper.bib" download>Download BibTeX</a>' in page
    for paper in ctx.papers:
        related = ctx.related[paper.id]
        assert len(related) <= 5 and paper.id not in related
        text = pages[f"papers/{paper.id}.md"]
        shown = re.findall(r'<a href="\.\./([^/]+)/">', text.split('id="related"', 1)[-1])
        assert shown == list(related), paper.id
    assert ctx.related["small-language-models"]  # a paper about language models has neighbours


def test_month_and_year_pages_have_counts_and_link_both_ways(pages):
    month = pages["days/2025-11.md"]
    assert "4 papers on 2 days" in month
    assert '<a href="../../days/2025-11-21/">21 Nov</a> <span>(2)</span>' in month
    assert 'rel="prev" href="../../days/2025-10/"' in month and 'rel="next" href="../../days/2025-12/"' in month
    year = pages["days/2025.md"]
    assert '<a href="../../days/2025-11/">November 2025</a> <span>(4 papers on 2 days)</span>' in year
    assert "10 papers in 3 months" in year and "<svg" in year
    index = pages["days/index.md"]
    assert 'href="../days/2025/"' in index and 'href="../days/2025-11/"' in index
    day = pages["days/2025-11-20.md"]
    assert '<a href="../../days/2025/">2025</a> › <a href="../../days/2025-11/">November 2025</a>' in day


def test_month_pages_and_the_days_index_stay_small_as_the_archive_grows(pages):
    # the papers are on the day pages: a month lists its days, the index its years and months
    assert "pa-papers" not in pages["days/2025-11.md"] and "../../papers/" not in pages["days/2025-11.md"]
    assert not any(path.startswith("days/2025-11/page/") for path in pages)
    index = pages["days/index.md"]
    assert "days/2025-11-20/" not in index and "/papers/" not in index
    assert '<a href="../days/2025-11/">November 2025</a> <span>(4 papers on 2 days)</span>' in index
    assert '<a href="../days/2025/">2025</a>' in index and "10 papers in 3 months" in index


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


def test_bib_files_sit_beside_their_page():
    assert generate.bib_path("papers/a/") == "papers/a/a.bib"
    assert generate.bib_path("days/2025-01-02/") == "days/2025-01-02/2025-01-02.bib"
