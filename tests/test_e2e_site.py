"""End-to-end: the built site in headless Chromium, served under /paperarchive/ as GitHub Pages serves it.

Seeds site: home -> a day -> a paper -> the header search -> the hit -> the paper's permanent page.
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


def _load_hostile_fixture():
    """tests/fixtures/hostile/render.py: the hostile cases, and the listing rendered from them."""
    spec = importlib.util.spec_from_file_location("hostile_fixture_render", HOSTILE / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hostile_fixture = _load_hostile_fixture()

pytestmark = pytest.mark.browser

# The search UI's published hooks (build/paperarchive/theme/partials/search.html, archive-search.js).
SEARCH_INPUT = "[data-pa-search] [data-pa-search-input]"
SEARCH_RESULTS = "[data-pa-search] [data-pa-search-results]"
RESULT_LINK = f"{SEARCH_RESULTS} a.pa-result__link"
PAPER_TITLE = ".pa-paper .pa-title"
PAPER_ABSTRACT = ".pa-paper .pa-abstract"
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


# ---------------------------------------------------------------- the seeds site


def test_home_to_day_to_paper_to_search_to_permanent_page(browser, seed_url, seed_store):
    papers = stored_papers(seed_store)
    with open_tab(browser, seed_url) as tab:
        page = tab.page
        response = tab.goto(seed_url)
        assert response.status == 200
        assert page.locator(SEARCH_INPUT).is_visible()

        page.locator("a[href*='days/2']").first.click()
        page.wait_for_url(re.compile(r"/paperarchive/days/\d{4}-\d{2}-\d{2}/$"))
        day = page.url.rstrip("/").rsplit("/", 1)[-1]

        first = page.locator(DAY_PAPER_LINKS).first
        listed_title = first.inner_text()
        first.click()
        page.wait_for_url(re.compile(r"/paperarchive/papers/[^/]+/$"))
        paper_id = page.url.rstrip("/").rsplit("/", 1)[-1]
        record = papers[paper_id]
        assert page.inner_text(PAPER_TITLE) == record["title"] == listed_title
        assert page.inner_text(PAPER_ABSTRACT) == record["abstract"]
        assert str(record["published"]) == day

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
            assert page.inner_text(PAPER_TITLE) == case["title"], paper_id
            assert page.inner_text(PAPER_ABSTRACT) == case["abstract"], paper_id
            assert page.title().startswith(case["title"]), (paper_id, page.title())
        assert tab.dialogs == [], tab.dialogs
        assert tab.errors == [], tab.errors


def test_hostile_titles_show_as_written_on_day_pages(browser, hostile_url, hostile_cases):
    days = sorted({f"days/{hostile_fixture_day(case)}/" for case, _ in hostile_cases})
    shown: list[str] = []
    with open_tab(browser, hostile_url) as tab:
        for day in days:
            assert tab.goto(hostile_url + day).status == 200, day
            shown += tab.page.locator(DAY_PAPER_LINKS).all_inner_texts()
        assert sorted(shown) == sorted(case["title"] for case, _ in hostile_cases)
        assert tab.dialogs == [] and tab.errors == []


def hostile_fixture_day(case: dict) -> str:
    """The paper's day (YYYY-MM-DD) from its date line: `Jun 11 2` is 2025-06-11 in this June listing."""
    month, day = case["date"].split()[:2]
    assert month == "Jun"
    return f"2025-06-{int(day):02d}"


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
