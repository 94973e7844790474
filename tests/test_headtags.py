"""A paper page's head tags and COinS (build/paperarchive/headtags.py), read back with html.parser and
json.loads: hostile text stays inside its attribute or its JSON string."""

from __future__ import annotations

import json
import re
import urllib.parse
from datetime import date
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from paperarchive import headtags
from paperarchive.records import Paper

SITE_NAME = 'Archive "of" <Papers> & </script>'
URL = "https://example.org/a/papers/x/"


class Head(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.scripts: list[str] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append((attrs.get("name") or attrs["property"], attrs["content"]))
        self._in_script = tag == "script" and attrs.get("type") == "application/ld+json"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self.tags.append("/" + tag)
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def read_head(html: str) -> Head:
    head = Head()
    head.feed(html)
    head.close()
    return head


def html_reads(text: str) -> str:
    """What html.parser gives back for a text we escaped: NUL and lone surrogates as U+FFFD, and the
    references of other control characters dropped (browsers keep those characters)."""
    return re.sub("[\x01-\x08\x0b\x0e-\x1f\x7f]", "", re.sub("[\x00\ud800-\udfff]", "\ufffd", text))


def hostile_papers() -> list[Paper]:
    cases = json.loads((FIXTURES / "hostile" / "cases.json").read_text("utf-8"))
    return [
        Paper(id=f"case-{i}", title=c["title"], abstract=c["abstract"], published=date(2025, 6, 10),
              first_seen=date(2025, 6, 15), authors=(c["title"], c["abstract"][:40]) if i % 2 else (),
              organization=c["meta"], arxiv_id="2506.01234" if i % 3 else None)
        for i, c in enumerate(cases)
    ]


def assert_head_reads_back(p: Paper, description: str) -> None:
    html = headtags.paper_head(p, page_url=URL, description=description, site_name=SITE_NAME)
    head = read_head(html)
    assert [t for t in head.tags if not t.startswith("/")] == ["meta"] * len(head.meta) + ["script"]
    meta = head.meta
    wanted = [
        ("description", description), ("og:type", "article"), ("og:title", p.title), ("og:description", description),
        ("og:url", URL), ("og:site_name", SITE_NAME), ("twitter:card", "summary"), ("citation_title", p.title),
        *[("citation_author", a) for a in p.authors if a.strip()],
        *([("citation_publication_date", p.published.strftime("%Y/%m/%d"))] if p.published else []),
        *([("citation_online_date", p.first_seen.strftime("%Y/%m/%d"))] if p.first_seen else []),
        *([("citation_arxiv_id", p.arxiv_id), ("citation_pdf_url", f"https://arxiv.org/pdf/{p.arxiv_id}")]
          if p.arxiv_id else []),
        ("citation_abstract_html_url", URL),
    ]
    assert meta == [(name, html_reads(value)) for name, value in wanted]
    assert len(head.scripts) == 1
    article = json.loads(head.scripts[0])
    assert article == headtags.scholarly_article(p, URL, SITE_NAME)
    assert article["headline"] == p.title and article["publisher"]["name"] == SITE_NAME


@pytest.mark.parametrize("paper", hostile_papers(), ids=lambda p: p.id)
def test_hostile_text_never_leaves_its_attribute_or_its_json(paper):
    assert_head_reads_back(paper, paper.abstract)


HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(['"', "'", "<", ">", "&", "</script>", "<!--", "-->", "\u2028", "\u2029", "\x00", "\ud800",
                         "&amp;", "\n", "\\", "\u202e", "}}", "{%"]),
        st.characters(),
    ),
    min_size=1,
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(title=HOSTILE, author=HOSTILE, org=HOSTILE, description=HOSTILE)
def test_any_text_reads_back_from_the_head(title, author, org, description):
    paper = Paper(id="x", title=title, abstract="a", authors=(author,), organization=org, published=date(2024, 2, 29))
    assert_head_reads_back(paper, description)


def test_head_in_full_for_a_paper_without_arxiv_id_or_authors():
    paper = Paper(id="x", title="A <Title>", abstract="a", published=date(2025, 11, 8), organization="NVIDIA")
    html = headtags.paper_head(paper, page_url=None, description="First.", site_name="Site")
    assert html == (
        '<meta name="description" content="First.">\n'
        '<meta property="og:type" content="article">\n'
        '<meta property="og:title" content="A &lt;Title&gt;">\n'
        '<meta property="og:description" content="First.">\n'
        '<meta property="og:site_name" content="Site">\n'
        '<meta name="twitter:card" content="summary">\n'
        '<meta name="citation_title" content="A &lt;Title&gt;">\n'
        '<meta name="citation_publication_date" content="2025/11/08">\n'
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"ScholarlyArticle",'
        '"headline":"A \\u003cTitle\\u003e","datePublished":"2025-11-08",'
        '"sourceOrganization":{"@type":"Organization","name":"NVIDIA"},'
        '"publisher":{"@type":"Organization","name":"Site"}}</script>'
    )


# ---------------------------------------------------------------- COinS


def read_coins(html: str) -> list[tuple[str, str]]:
    head = Head()
    found = []
    head.handle_starttag = lambda tag, attrs: found.append(dict(attrs))
    head.feed(html)
    head.close()
    assert len(found) == 1 and found[0]["class"] == "Z3988"
    return urllib.parse.parse_qsl(found[0]["title"], keep_blank_values=True, strict_parsing=True)


def test_coins_of_a_paper_with_arxiv_id_and_authors():
    paper = Paper(id="x", title="Attention & <All>", abstract="a", published=date(2017, 6, 12),
                  authors=("Ashish Vaswani", "Noam Shazeer"), arxiv_id="1706.03762")
    html = headtags.coins(paper, URL)
    assert html == (
        '<span class="Z3988" title="ctx_ver=Z39.88-2004&amp;rft_val_fmt=info:ofi/fmt:kev:mtx:journal&amp;'
        "rft.genre=preprint&amp;rft.atitle=Attention+%26+%3CAll%3E&amp;rft.jtitle=arXiv&amp;rft.date=2017-06-12&amp;"
        "rft.au=Ashish+Vaswani&amp;rft.au=Noam+Shazeer&amp;rft_id=info:arxiv/1706.03762&amp;"
        'rft_id=https://example.org/a/papers/x/"></span>'
    )
    assert read_coins(html) == headtags.coins_fields(paper, URL)


@settings(max_examples=200, deadline=None)
@given(title=HOSTILE, author=HOSTILE)
def test_any_title_reads_back_from_coins(title, author):
    paper = Paper(id="x", title=title, abstract="a", authors=(author,))
    fields = read_coins(headtags.coins(paper, URL))
    assert fields == [(k, re.sub("[\ud800-\udfff]", "\ufffd", v)) for k, v in headtags.coins_fields(paper, URL)]


@pytest.mark.parametrize("paper", hostile_papers(), ids=lambda p: p.id)
def test_hostile_titles_read_back_from_coins(paper):
    assert read_coins(headtags.coins(paper, URL)) == headtags.coins_fields(paper, URL)


# ---------------------------------------------------------------- in the built site


class Page(HTMLParser):
    """A whole page: its head's meta tags by name, its JSON-LD, its canonical link and its COinS titles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[str] = []
        self.canonical: str | None = None
        self.coins: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            self.meta.setdefault(attrs.get("name") or attrs["property"], []).append(attrs["content"])
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "span" and attrs.get("class") == "Z3988":
            self.coins.append(attrs["title"])
        self._in_json_ld = tag == "script" and attrs.get("type") == "application/ld+json"
        if self._in_json_ld:
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def read_page(path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    page.close()
    return page


def test_every_hostile_paper_page_carries_its_head_tags_and_every_list_its_coins(hostile_site, hostile_store):
    import io

    from paperarchive import site
    from paperarchive.pages.parts import TITLE_SHOWN_MAX, cut, first_sentence

    papers = site.load_papers(hostile_store, strict=False, err=io.StringIO())
    assert len(papers) == 18
    for p in papers:
        page = read_page(hostile_site / "papers" / p.id / "index.html")
        title = cut(p.title, TITLE_SHOWN_MAX)  # bounded like the page's own title
        assert page.meta["citation_title"] == [title] and page.meta["og:title"] == [title]
        assert page.meta["description"] == [first_sentence(p.abstract)]
        assert page.meta["og:url"] == [page.canonical] == page.meta["citation_abstract_html_url"]
        assert page.meta["og:site_name"] == ["Daily Papers Archive"]
        assert len(page.json_ld) == 1
        article = json.loads(page.json_ld[0])
        assert article["headline"] == title and article["url"] == page.canonical
    featured = {s.listed for p in papers for s in p.sources if s.rank}
    assert featured, "the hostile listing is a daily listing: its papers have a day page"
    for day in featured:
        listed = read_page(hostile_site / "days" / day.isoformat() / "index.html")
        titles = [dict(urllib.parse.parse_qsl(c))["rft.atitle"] for c in listed.coins]
        assert sorted(titles) == sorted(cut(p.title, TITLE_SHOWN_MAX) for p in papers
                                        if any(s.rank and s.listed == day for s in p.sources))
