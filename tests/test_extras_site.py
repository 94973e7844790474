"""Issue 6 in the built site: feeds, organization pages, related papers, BibTeX files, month and
year archives, the JSON API, all from the hostile fixture papers (tests/fixtures/site/).

The site is built once (strict) into a tmp folder; nothing here reads ../shared.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import feedparser
import pytest

from bibreaders import read_bibtexparser, read_pybtex
from conftest import ROOT
from paperarchive import site
from paperarchive.pages.paper import paper_bibtex
from paperarchive.pages.parts import TITLE_SHOWN_MAX, cut
from sitefixtures import fixture_papers, fixture_taxonomy, make_context

CONFIG = ROOT / "mkdocs.yml"
FEED_FILES = ("feed.xml", "atom.xml", "feed.json")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = tmp_path_factory.mktemp("extras-site")
    err = io.StringIO()
    try:
        report = site.build_site(CONFIG, fixture_papers(), fixture_taxonomy(), site_dir=root / "site",
                                 strict=True, err=err)
    finally:
        mp.undo()
    assert report.warnings == 0, err.getvalue()
    return root / "site"


@pytest.fixture(scope="module")
def ctx():
    return make_context(fixture_papers(), fixture_taxonomy())


def site_url_of_config() -> str:
    from mkdocs.config import load_config

    # docs_dir (generated/) need not exist yet in a fresh clone: point it at a folder that does
    return load_config(config_file=str(CONFIG), docs_dir=str(CONFIG.parent / "content" / "pages")).site_url


def html_pages(site_dir: Path):
    return [p for p in sorted(site_dir.rglob("index.html")) if "http-equiv=\"refresh\"" not in p.read_text("utf-8")]


# ---------------------------------------------------------------- feeds


@pytest.mark.parametrize("base", ["", "topics/language/", "topics/vision/", "topics/robots/"])
def test_xml_feeds_are_valid_and_link_absolute_pages(built, base):
    home = site_url_of_config()
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((built / base / name).read_bytes())
        assert parsed.bozo == 0, (base, name, parsed.get("bozo_exception"))
        assert parsed.version in ("rss20", "atom10")
        for entry in parsed.entries:
            assert entry.link.startswith(home), (
                f"{base}{name}: {entry.link} is not under site_url {home} "
                "(build_site must pass site_url=mkdocs_config.site_url to the site's identity)"
            )
            page = built / entry.link[len(home):] / "index.html"
            assert page.is_file(), entry.link


def test_archive_feed_holds_every_fixture_paper_and_topic_feeds_their_topic(built, ctx):
    entries = feedparser.parse((built / "feed.xml").read_bytes()).entries
    assert len(entries) == len(ctx.papers)  # fewer than 50
    titles = {e.title for e in entries}
    assert {p.title for p in ctx.papers} == titles  # hostile titles arrive as written
    language = feedparser.parse((built / "topics/language/atom.xml").read_bytes()).entries
    assert sorted(e.link.rsplit("/papers/", 1)[1].strip("/") for e in language) == sorted(
        p.id for p in ctx.by_topic["language"]
    )


@pytest.mark.parametrize("base", ["", "topics/language/", "topics/robots/"])
def test_json_feeds_follow_json_feed_1_1(built, base, ctx):
    # feedparser 6.0 reads no JSON Feed: the spec's required fields are checked here
    doc = json.loads((built / base / "feed.json").read_text("utf-8"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] and doc["feed_url"].endswith(base + "feed.json")
    assert doc["home_page_url"] == site_url_of_config() + base  # a topic's feeds link to the topic's page
    for item in doc["items"]:
        assert item["id"] and item["url"].startswith(site_url_of_config() + "papers/") and "content_text" in item
    if base == "topics/language/":
        assert len(doc["items"]) == len(ctx.by_topic["language"])


def test_every_alternate_link_points_at_a_feed_of_the_site(built):
    pages = html_pages(built)
    assert len(pages) > 20
    for page in pages:
        text = page.read_text("utf-8")
        links = re.findall(r'<link rel="alternate" type="([^"]+)" title="([^"]*)" href="([^"]+)">', text)
        # paper pages the archive's RSS feed only (their bytes count); topic pages six, organization pages four (Atom only)
        rel = page.relative_to(built).parts
        deep = len(rel) > 2
        expected = 1 if rel[0] == "papers" else 6 if rel[0] == "topics" and deep else 4 if rel[0] == "orgs" and deep else 3
        assert len(links) == expected, page
        for _kind, _title, target in links:
            assert (page.parent / html.unescape(target)).resolve().is_file(), f"{page}: {target}"
        if rel[0] == "papers":
            assert links[0][0] == "application/rss+xml" and links[0][2] == "../../feed.xml", page
        if rel[0] == "topics" and len(rel) == 3:  # topics/<id>/index.html: its own feeds beside it
            assert links[3][2] == "feed.xml", page
    home = (built / "index.html").read_text("utf-8")
    assert '<a href="feed.xml" type="application/rss+xml">RSS</a>' in home


def test_topic_feed_titles_are_escaped_in_the_page(built):
    text = (built / "topics" / "vision" / "index.html").read_text("utf-8")
    assert 'title="Daily Papers Archive: Vision &amp; &lt;images&gt; (RSS)"' in text
    assert "<images>" not in text


# ---------------------------------------------------------------- BibTeX files


def test_bibtex_files_for_every_paper_day_and_topic(built, ctx):
    for paper in ctx.papers:
        path = built / "papers" / paper.id / f"{paper.id}.bib"
        assert path.read_text("utf-8") == paper_bibtex(ctx, paper), paper.id
        page = (built / "papers" / paper.id / "index.html").read_text("utf-8")
        assert f'href="{paper.id}.bib"' in page
    for day in ctx.days:
        text = (built / "days" / day.isoformat() / f"{day.isoformat()}.bib").read_text("utf-8")
        assert text == "\n".join(paper_bibtex(ctx, p) for p in ctx.by_day[day])
        assert text.count("@misc{") == len(ctx.by_day[day])
    for topic in ctx.topics:
        text = (built / "topics" / topic.id / f"{topic.id}.bib").read_text("utf-8")
        assert text.count("@misc{") == len(ctx.by_topic[topic.id])


def test_every_bib_file_reads_back_as_exactly_its_papers_entries(built, ctx):
    files = sorted(built.rglob("*.bib"))
    assert len(files) >= len(ctx.papers) + len(ctx.days) + len(ctx.topics)
    for path in files:
        text = path.read_text("utf-8")
        keys = re.findall(r"^@misc\{([a-z0-9]+),$", text, re.MULTILINE)
        assert list(read_pybtex(text)) == keys and list(read_bibtexparser(text)) == keys, path
        assert text.count("@") == len(keys) + sum(p.title.count("@") + (p.organization or "").count("@")
                                                  for p in ctx.papers if ctx.cite_keys[p.id] in keys), path


def test_hostile_text_in_bibtex_stays_text(ctx):
    text = paper_bibtex(ctx, next(p for p in fixture_papers() if p.id == "hostile-org-paper"))
    assert 'institution = {\\textless{}i\\textgreater{}Org\\textless{}/i\\textgreater{} \\& "Friends"},' in text
    assert "author =" not in text


# ---------------------------------------------------------------- organizations, months, years


def test_organization_pages_and_index(built, ctx):
    index = (built / "orgs" / "index.html").read_text("utf-8")
    names = re.findall(r'<li><a href="([^"]+)">(.*?)</a> <span>\((\d+)\)</span></li>', index)
    assert [(h, html.unescape(n), int(c)) for h, n, c in names] == [
        ("../orgs/nvidia/", "NVIDIA", 2),
        ("../orgs/evil/", "<b>Evil & Co</b> {{ org }}", 1),
        ("../orgs/i-org-i-x-1-frag/", '<i>Org</i> & "Friends"', 1),
    ]
    hostile = (built / "orgs" / "i-org-i-x-1-frag" / "index.html").read_text("utf-8")
    assert "../../papers/hostile-org-paper/" in hostile and "<i>Org</i>" not in hostile
    nvidia = (built / "orgs" / "nvidia" / "index.html").read_text("utf-8")
    assert nvidia.index("small-language-models/") < nvidia.index("nvidia-upper-case-id/")  # newest first
    assert sorted(p.name for p in (built / "orgs").iterdir()) == ["evil", "i-org-i-x-1-frag", "index.html", "nvidia"]


def test_month_and_year_pages(built):
    month = (built / "days" / "2025-11" / "index.html").read_text("utf-8")
    assert "4 papers featured on 1 day" in month and 'href="../../days/2025-11-25/"' in month
    year = (built / "days" / "2025" / "index.html").read_text("utf-8")
    assert 'href="../../days/2025-12/"' in year and 'href="../../weeks/2025-W48/"' in year and "<svg" in year
    day = (built / "days" / "2025-11-25" / "index.html").read_text("utf-8")
    assert 'href="../../days/2025-11/"' in day and 'href="../../days/2025/"' in day
    week = (built / "weeks" / "2025-W48" / "index.html").read_text("utf-8")
    assert 'href="../../days/2025-11-25/"' in week


def test_related_papers_on_paper_pages(built, ctx):
    for paper in ctx.papers:
        page = (built / "papers" / paper.id / "index.html").read_text("utf-8")
        if not ctx.related[paper.id]:
            assert 'id="related"' not in page
            continue
        block = page.split('id="related"', 1)[1].split("</ul>", 1)[0]
        titles = [html.unescape(t) for t in re.findall(r'<li><a href="[^"]+">(.*?)</a></li>', block)]
        assert titles == [cut(ctx.paper_by_id[i].title, TITLE_SHOWN_MAX) for i in ctx.related[paper.id]], paper.id


# ---------------------------------------------------------------- the JSON API


def test_api_documents_for_papers_days_topics_and_orgs(built, ctx):
    for paper in ctx.papers:
        doc = json.loads((built / "api" / "papers" / f"{paper.id}.json").read_text("utf-8"))
        assert doc["title"] == paper.title and doc["abstract"] == paper.abstract
        assert doc["topics"] == list(ctx.topics_of[paper.id]) and "url" not in doc  # the page: papers/<id>/
    for topic in ctx.topics:
        doc = json.loads((built / "api" / "topics" / f"{topic.id}.json").read_text("utf-8"))
        assert doc["papers"] == [p.id for p in ctx.by_topic[topic.id]]  # ids, newest first
    for day in ctx.days:
        doc = json.loads((built / "api" / "days" / f"{day.isoformat()}.json").read_text("utf-8"))
        assert doc["count"] == len(ctx.by_day[day])
    org = json.loads((built / "api" / "orgs" / "nvidia.json").read_text("utf-8"))
    assert org["name"] == "NVIDIA" and org["papers"] == [p.id for p in ctx.by_org["nvidia"]]
    hostile = json.loads((built / "api" / "orgs" / "i-org-i-x-1-frag.json").read_text("utf-8"))
    assert hostile["name"] == '<i>Org</i> & "Friends"'


def test_about_page_documents_the_api_and_the_feeds(built):
    about = (built / "about" / "index.html").read_text("utf-8")
    for path in ("api/papers/", "api/days/", "api/topics/", "api/orgs/", "feed.xml", "atom.xml", "feed.json", ".bib"):
        assert path in about, path


def test_no_html_page_exceeds_200_kb(built):
    for page in built.rglob("*.html"):
        assert page.stat().st_size <= 200_000, page


def test_an_organization_has_one_feed_atom(built, ctx):
    for org in ctx.orgs:
        folder = built / "orgs" / org.id
        assert sorted(p.name for p in folder.glob("*.xml")) + sorted(p.name for p in folder.glob("*.json")) == ["atom.xml"]
