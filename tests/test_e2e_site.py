"""End-to-end: the built site in headless Chromium, served under /paperarchive/ as GitHub Pages serves it.

Featured site (tests/fixtures/hfapi/*.json): home -> the latest day (papers in the listing's order) -> a paper
-> its breadcrumb back to the day; a week page. Seeds site (no daily listing): the home page says so and
reaches papers by publication date -> a paper -> its month -> the header search -> the hit.
Hostile site (tests/fixtures/hostile/): every title and abstract that tries to be HTML, Markdown,
template or YAML shows exactly as written on its page, on its day page and in the search results,
and no dialog ever opens (a script that ran would open one).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from browser import open_tab
from conftest import HOSTILE
from paperarchive.pages.parts import TITLE_SHOWN_MAX, cut


def _load_hostile_fixture():
    """tests/fixtures/hostile/render.py: the hostile cases, and the listing rendered from them."""
    spec = importlib.util.spec_from_file_location("hostile_fixture_render", HOSTILE / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hostile_fixture = _load_hostile_fixture()


# The search UI's published hooks (build/paperarchive/theme/partials/search.html, archive-search.js).
SEARCH_INPUT = "[data-pa-search] [data-pa-search-input]"
SEARCH_RESULTS = "[data-pa-search] [data-pa-search-results]"
RESULT_LINK = f"{SEARCH_RESULTS} a.pa-result__link"
PAPER_TITLE = ".pa-paper .pa-title"
PAPER_ABSTRACT = ".pa-paper .pa-abstract"
# the abstract's text with each <math> read as its TeX annotation (the span as written)
ABSTRACT_AS_WRITTEN = """element => {
  const copy = element.cloneNode(true);
  for (const math of copy.querySelectorAll("math")) {
    math.replaceWith(math.querySelector('annotation[encoding="application/x-tex"]').textContent);
  }
  return copy.textContent;
}"""
DAY_PAPER_LINKS = "ol.pa-papers > li > a"


def stored_papers(store: Path) -> dict[str, dict]:
    """The store's records by id, read as plain YAML (the test trusts no stage's reader)."""
    records = {}
    for path in sorted(store.glob("*.yml")):
        record = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        records[record["id"]] = record
    return records


def header_search(tab, query: str) -> list[dict]:
    """Type ``query`` into the header box; wait for its results; return title, snippet and href of each."""
    page = tab.page
    page.fill(SEARCH_INPUT, "")
    page.type(SEARCH_INPUT, query)
    page.wait_for_function(
        """(query) => {
            const box = document.querySelector('[data-pa-search] [data-pa-search-results]');
            return box && !box.hidden && box.dataset.query === query;
        }""",
        arg=query,
    )
    return page.eval_on_selector_all(
        "[data-pa-search] [data-pa-search-results] .pa-result",
        """results => results.map(r => ({
            href: r.querySelector('a.pa-result__link').href,
            title: r.querySelector('.pa-result__title').innerText,
            snippet: (r.querySelector('.pa-result__snippet') || {innerText: ''}).innerText,
        }))""",
    )


def title_words(title: str) -> str:
    """The title's three longest plain words: a query that should find the paper among the first hits."""
    words = sorted({w for w in re.findall(r"[A-Za-z]{4,}", title)}, key=lambda w: (-len(w), w))
    return " ".join(words[:3])


def paper_path(base_url: str, href: str) -> str:
    assert href.startswith(base_url), f"{href} is not under {base_url}"
    return href[len(base_url):]


# ---------------------------------------------------------------- featured days: the HF API fixtures


def featured_days(record: dict) -> dict[str, int]:
    """The days a stored paper was featured on, with its place: {"YYYY-MM-DD": place}."""
    return {str(s["listed"]): s["rank"] for s in record["sources"] if s.get("rank")}


def test_home_to_day_to_paper_and_back_by_its_breadcrumb(browser, featured_url, featured_store):
    papers = stored_papers(featured_store)
    with open_tab(browser, featured_url) as tab:
        page = tab.page
        assert tab.goto(featured_url).status == 200
        page.locator("#latest a").click()  # the latest day's heading
        page.wait_for_url(re.compile(r"/paperarchive/days/\d{4}-\d{2}-\d{2}/$"))
        day = page.url.rstrip("/").rsplit("/", 1)[-1]
        listed = page.locator(DAY_PAPER_LINKS).all_inner_texts()
        by_place = sorted((featured_days(r)[day], r["title"]) for r in papers.values() if day in featured_days(r))
        assert listed == [title for _place, title in by_place]  # the listing's order

        page.locator(DAY_PAPER_LINKS).first.click()
        page.wait_for_url(re.compile(r"/paperarchive/papers/[^/]+/$"))
        record = papers[page.url.rstrip("/").rsplit("/", 1)[-1]]
        assert page.inner_text(PAPER_TITLE) == record["title"] == listed[0]
        assert page.inner_text(PAPER_ABSTRACT) == record["abstract"]
        assert f"{int(day[8:])} " in page.inner_text(".pa-featured") and "(#1)" in page.inner_text(".pa-featured")

        crumbs = page.locator(".pa-paper .pa-crumbs a")
        assert crumbs.all_inner_texts()[:2] == ["Home", "Days"]
        crumbs.last.click()
        page.wait_for_url(f"{featured_url}days/{day}/")
        assert page.locator(DAY_PAPER_LINKS).first.inner_text() == record["title"]
        assert tab.dialogs == [] and tab.errors == []


def test_the_breadcrumb_shows_on_a_phone(browser, featured_url, featured_store):
    paper_id = next(iter(stored_papers(featured_store)))
    with open_tab(browser, featured_url) as tab:
        tab.page.set_viewport_size({"width": 390, "height": 844})
        tab.goto(f"{featured_url}papers/{paper_id}/")
        crumbs = tab.page.locator(".pa-paper .pa-crumbs")
        assert crumbs.is_visible()
        box = crumbs.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_a_week_page_links_its_days(browser, featured_url, featured_store):
    day = max(d for r in stored_papers(featured_store).values() for d in featured_days(r))
    with open_tab(browser, featured_url) as tab:
        tab.goto(f"{featured_url}days/{day}/")
        tab.page.locator(".pa-crumbs a", has_text="Week").click()
        tab.page.wait_for_url(re.compile(r"/paperarchive/weeks/\d{4}-W\d{2}/$"))
        tab.page.locator(f"h2 a[href$='days/{day}/']").click()
        tab.page.wait_for_url(f"{featured_url}days/{day}/")


# ---------------------------------------------------------------- the seeds site (no daily listing)


def test_seeds_home_says_it_has_no_featured_day_and_reaches_papers(browser, seed_url, seed_store):
    papers = stored_papers(seed_store)
    with open_tab(browser, seed_url) as tab:
        page = tab.page
        assert tab.goto(seed_url).status == 200
        assert page.locator(SEARCH_INPUT).is_visible()
        assert "no Daily Papers day" in page.inner_text(".pa-totals")
        first = page.locator("ol.pa-papers > li > a").first  # recently published
        listed_title = first.inner_text()
        first.click()
        page.wait_for_url(re.compile(r"/paperarchive/papers/[^/]+/$"))
        paper_id = page.url.rstrip("/").rsplit("/", 1)[-1]
        record = papers[paper_id]
        assert page.inner_text(PAPER_TITLE) == record["title"] == listed_title
        assert page.inner_text(PAPER_ABSTRACT) == record["abstract"]

        page.locator(".pa-paper .pa-crumbs a").last.click()  # its month of publication
        month = str(record["published"])[:7]
        page.wait_for_url(f"{seed_url}days/{month}/")
        assert record["title"] in page.locator(DAY_PAPER_LINKS).all_inner_texts()

        query = title_words(record["title"])
        hits = header_search(tab, query)
        assert hits, f"the header search found nothing for {query!r}"
        mine = [hit for hit in hits if paper_path(seed_url, hit["href"]) == f"papers/{paper_id}/"]
        assert mine, f"{query!r} did not list papers/{paper_id}/ among {[h['title'] for h in hits]}"
        assert mine[0]["title"] == record["title"]

        page.goto(seed_url)  # follow the hit from another page, as a reader would
        header_search(tab, query)
        page.locator(RESULT_LINK, has_text=record["title"][:40]).first.click()
        page.wait_for_url(f"{seed_url}papers/{paper_id}/")
        assert page.inner_text(PAPER_TITLE) == record["title"]
        assert tab.dialogs == [] and tab.errors == []


def test_missing_page_is_a_404_that_offers_the_search(browser, seed_url, seed_store):
    record = next(iter(stored_papers(seed_store).values()))
    with open_tab(browser, seed_url) as tab:
        response = tab.goto(f"{seed_url}papers/no-such-paper/deeper/")
        assert response.status == 404
        assert tab.page.locator(SEARCH_INPUT).is_visible()
        query = title_words(record["title"])
        hits = header_search(tab, query)
        assert any(hit["href"] == f"{seed_url}papers/{record['id']}/" for hit in hits), (query, hits)
        assert tab.dialogs == [] and tab.errors == []


# ---------------------------------------------------------------- the hostile site


@pytest.fixture(scope="module")
def hostile_cases(hostile_store) -> list[tuple[dict, str]]:
    """Each hostile case with the id its paper got in the store."""
    by_title = {record["title"]: paper_id for paper_id, record in stored_papers(hostile_store).items()}
    cases = hostile_fixture.cases()
    missing = [case["title"] for case in cases if case["title"] not in by_title]
    assert not missing, f"the store lost or altered these titles: {missing}"
    return [(case, by_title[case["title"]]) for case in cases]


def test_hostile_listing_is_what_render_py_writes():
    """cases.json is the truth; the committed listing must be rendered from it (render.py)."""
    written = hostile_fixture.LISTING.read_text(encoding="utf-8")
    assert written == hostile_fixture.render(hostile_fixture.cases())


def test_hostile_titles_and_abstracts_show_as_written_on_their_pages(browser, hostile_url, hostile_cases):
    with open_tab(browser, hostile_url) as tab:
        page = tab.page
        for case, paper_id in hostile_cases:
            response = tab.goto(f"{hostile_url}papers/{paper_id}/")
            assert response.status == 200, paper_id
            shown = cut(case["title"], TITLE_SHOWN_MAX)  # a title too long for a page is shortened there
            assert page.inner_text(PAPER_TITLE) == shown, paper_id
            assert page.eval_on_selector(PAPER_ABSTRACT, ABSTRACT_AS_WRITTEN) == case["abstract"], paper_id
            assert page.title().startswith(shown), (paper_id, page.title())
        assert tab.dialogs == [], tab.dialogs
        assert tab.errors == [], tab.errors


def test_hostile_titles_show_as_written_on_day_pages(browser, hostile_url, hostile_store, hostile_cases):
    days = sorted({f"days/{day}/" for record in stored_papers(hostile_store).values() for day in featured_days(record)})
    assert days, "the hostile listing is a daily listing: its papers are featured on its day"
    shown: list[str] = []
    with open_tab(browser, hostile_url) as tab:
        for day in days:
            assert tab.goto(hostile_url + day).status == 200, day
            shown += tab.page.locator(DAY_PAPER_LINKS).all_inner_texts()
        assert sorted(shown) == sorted(cut(case["title"], TITLE_SHOWN_MAX) for case, _ in hostile_cases)
        assert tab.dialogs == [] and tab.errors == []


def test_hostile_titles_and_snippets_show_as_written_in_search_results(browser, hostile_url, hostile_cases):
    with open_tab(browser, hostile_url) as tab:
        tab.goto(hostile_url)
        for case, paper_id in hostile_cases:
            marker = re.search(r"hcase[a-z]+", case["abstract"]).group()
            hits = header_search(tab, marker)
            assert [paper_path(hostile_url, h["href"]) for h in hits] == [f"papers/{paper_id}/"], (marker, hits)
            assert hits[0]["title"] == case["title"]
            # The snippet is the abstract's words around the match (the marker ends each abstract, and
            # what follows it in the index is not abstract): up to the marker it is the abstract verbatim.
            snippet = hits[0]["snippet"].removeprefix("… ")
            assert marker in snippet, (marker, snippet)
            shown = snippet[: snippet.index(marker) + len(marker)]
            assert len(shown) > len(marker) and shown in " ".join(case["abstract"].split()), (shown, case["abstract"])
        for case, _ in hostile_cases[:3]:  # the hostile text typed as a query runs nothing either
            tab.page.fill(SEARCH_INPUT, case["title"])
            tab.page.wait_for_timeout(400)
        assert tab.dialogs == [], tab.dialogs
        assert tab.errors == [], tab.errors
