"""The reading list, "new since your last visit" and the list keys in headless Chromium (issue 18), on the
site built from tests/fixtures/hfapi (three Daily Papers days), served under /paperarchive/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bibreaders import read_bibtexparser, read_pybtex
from browser import PREFIX, open_tab, serve_site
from paperarchive import outputs

pytestmark = pytest.mark.browser

KEY = f"paperarchive:reading-list:v1:{PREFIX}"
VISIT = f"paperarchive:visit:v1:{PREFIX}"
REASON = "v-reasonbench-toward-unified-reasoning-benchmark-suite-for-video-generation"
FRAME = "first-frame-is-the-place-to-go-for-video-content-customization"
GAN = "the-gan-is-dead-long-live-the-gan-a-modern-gan-baseline"
NEWEST_DAY, OLDER_DAY, OLDEST_DAY = "2025-11-21", "2025-01-10", "2024-12-20"


@pytest.fixture
def tab(featured_url, browser):
    with open_tab(browser, featured_url) as tab:
        yield tab
    assert tab.errors == []


def visit(tab, url: str, ready: str = ".pa-rl-link"):
    """Open a page and wait for the script to have run on it."""
    tab.goto(url)
    tab.page.wait_for_selector(ready, state="attached")


def saved_ids(page) -> list[str]:
    value = page.evaluate("key => localStorage.getItem(key)", KEY)
    return [p["id"] for p in json.loads(value)["papers"]] if value else []


def set_storage(page, key: str, value: str) -> None:
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, value])


def stored(ids: list[str]) -> str:
    return json.dumps({"v": 1, "papers": [{"id": i, "t": n} for n, i in enumerate(ids)]})


def save_button(page, paper_id: str):
    return page.locator(f'[data-pa-id="{paper_id}"] > .pa-save')


def reading_list(page) -> list[dict]:
    """The reading-list page's items once its list is drawn and every item filled: [{id, title, text}].

    The list itself is waited for because after instant navigation the URL changes before Material swaps
    the page in, when "every item is filled" holds of no item."""
    page.wait_for_function("""() => {
        const list = document.querySelector('.pa-rl-list');
        return list && [...list.children].every(li => li.querySelector('.pa-date'));
    }""")
    return page.evaluate("""() => [...document.querySelectorAll('.pa-rl-list > li')].map(li => ({
        id: li.dataset.paId, title: li.querySelector('a').textContent, text: li.textContent}))""")


def live_text(page) -> str:
    return page.locator(".pa-live").text_content()


# ---------------------------------------------------------------- saving, the list, export


def test_save_three_papers_from_three_kinds_of_page_reload_and_export(featured_url, featured_site, tab):
    page = tab.page
    visit(tab, featured_url + f"days/{NEWEST_DAY}/", ".pa-save")
    save_button(page, REASON).click()
    assert save_button(page, REASON).get_attribute("aria-pressed") == "true"
    visit(tab, featured_url + "orgs/umcp/", ".pa-save")
    save_button(page, FRAME).click()
    visit(tab, featured_url + f"papers/{GAN}/", ".pa-save--wide")
    page.locator(".pa-save--wide").click()
    assert page.locator(".pa-save--wide").get_attribute("aria-pressed") == "true"
    assert page.locator(".pa-rl-link").get_attribute("data-count") == "3"

    visit(tab, featured_url + "reading-list/")
    page.reload()
    items = reading_list(page)
    assert [i["id"] for i in items] == [REASON, FRAME, GAN]
    api = {i: json.loads((featured_site / "api" / "papers" / f"{i}.json").read_text(encoding="utf-8"))
           for i in (REASON, FRAME, GAN)}
    assert [i["title"] for i in items] == [api[i]["title"] for i in (REASON, FRAME, GAN)]
    frame = items[1]["text"]
    assert api[FRAME]["published"] in frame and api[FRAME]["organization"] in frame
    assert "What role does the first frame play in video generation models?" in frame
    assert "We show it" not in frame  # the first sentence only

    with page.expect_download() as download:
        page.locator("[data-pa-action=bibtex]").click()
    assert download.value.suggested_filename == "reading-list.bib"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    expected = {}
    for i in (REASON, FRAME, GAN):
        expected.update(read_pybtex((featured_site / "papers" / i / f"{i}.bib").read_text(encoding="utf-8")))
    assert read_pybtex(text) == expected and len(expected) == 3
    assert read_bibtexparser(text).keys() == expected.keys()

    with page.expect_download() as download:
        page.locator("[data-pa-action=json]").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["site"] == featured_url
    assert [p["id"] for p in data["papers"]] == [REASON, FRAME, GAN]
    assert [p["url"] for p in data["papers"]] == [f"{featured_url}papers/{i}/" for i in (REASON, FRAME, GAN)]
    assert all(p["saved"].endswith("Z") for p in data["papers"])

    page.locator(f'[data-pa-remove="{FRAME}"]').click()
    assert [i["id"] for i in reading_list(page)] == [REASON, GAN]
    assert saved_ids(page) == [REASON, GAN]


def test_every_kind_of_list_has_save_buttons(featured_url, tab):
    page = tab.page
    for url in (f"days/{NEWEST_DAY}/", "topics/video/", "orgs/umcp/", "weeks/2025-W47/", "days/2025-11/", ""):
        visit(tab, featured_url + url, ".pa-save")
        items = page.locator(".pa-papers > li")
        assert items.count() > 0 and page.locator(".pa-papers > li > .pa-save").count() == items.count(), url
    visit(tab, featured_url + f"papers/{REASON}/", ".pa-related .pa-save")
    related = page.locator(".pa-related > li")
    assert page.locator(".pa-related > li > .pa-save").count() == related.count() > 0
    other = related.first.get_attribute("data-pa-id")
    related.first.locator(".pa-save").click()
    visit(tab, featured_url + "search/?q=video", "li.pa-result .pa-save")
    results = page.locator("li.pa-result")
    assert page.locator("li.pa-result > .pa-save").count() == results.count() > 1
    result = results.filter(has_not=page.locator(f'[data-pa-save="{other}"]')).first
    result.locator(".pa-save").click()
    assert saved_ids(page) == [other, result.get_attribute("data-pa-id")]


def test_share_link_imports_into_a_fresh_browser_context(featured_url, browser, tab):
    page = tab.page
    visit(tab, featured_url)
    set_storage(page, KEY, stored([GAN, REASON, FRAME]))
    visit(tab, featured_url + "reading-list/", ".pa-rl-list")
    page.locator("[data-pa-action=share]").click()
    link = page.locator(".pa-rl-share input").input_value()
    assert link == f"{featured_url}reading-list/#papers={GAN},{REASON},{FRAME}"

    with open_tab(browser, featured_url) as fresh:
        fresh.page.on("request", lambda r: fresh.errors.append(r.url) if "reading-list/#" in r.url else None)
        visit(fresh, featured_url)
        set_storage(fresh.page, KEY, stored([REASON]))  # already saved: not added twice
        visit(fresh, link, ".pa-rl-import")
        offer = fresh.page.locator(".pa-rl-import")
        assert "shares a reading list of 3 papers" in offer.text_content()
        assert saved_ids(fresh.page) == [REASON]  # nothing is imported without asking
        offer.locator("[data-pa-action=import]").click()
        assert [i["id"] for i in reading_list(fresh.page)] == [REASON, GAN, FRAME]
        assert fresh.page.evaluate("location.hash") == ""
        fresh.page.reload()
        assert [i["id"] for i in reading_list(fresh.page)] == [REASON, GAN, FRAME]
        assert fresh.errors == []

    with open_tab(browser, featured_url) as declined:
        visit(declined, link, ".pa-rl-import")
        declined.page.locator("[data-pa-action=dismiss]").click()
        assert "Your reading list is empty." in declined.page.locator("[data-pa-reading-list]").text_content()
        assert saved_ids(declined.page) == []
        assert declined.errors == []


def test_a_malformed_share_link_offers_only_its_valid_ids(featured_url, tab):
    visit(tab, featured_url + f"reading-list/#papers=%E0%A4%A,{FRAME},..%2F..,{FRAME},Bad%20Id", ".pa-rl-import")
    assert "shares a reading list of 1 paper." in tab.page.locator(".pa-rl-import").text_content()
    tab.page.locator("[data-pa-action=import]").click()
    assert saved_ids(tab.page) == [FRAME]


@pytest.mark.parametrize("value", [
    "{not json",
    "[1, 2, 3]",
    '"a string"',
    "null",
    '{"v": 2, "papers": [{"id": "x"}]}',
    '{"v": 1, "papers": "everything"}',
    '{"v": 1, "papers": [5, null, {"id": "../../etc"}, {"id": "<img src=x onerror=alert(1)>"}, {"t": 3}]}',
])
def test_a_corrupt_or_foreign_value_is_ignored(featured_url, tab, value):
    page = tab.page
    visit(tab, featured_url)
    set_storage(page, KEY, value)
    set_storage(page, VISIT, value)
    visit(tab, featured_url + f"days/{NEWEST_DAY}/", ".pa-save")
    assert page.locator(".pa-save[aria-pressed=true]").count() == 0
    assert page.locator(".pa-rl-link").get_attribute("data-count") == ""
    visit(tab, featured_url + "reading-list/")
    assert "Your reading list is empty." in page.locator("[data-pa-reading-list]").text_content()
    visit(tab, featured_url + f"days/{NEWEST_DAY}/", ".pa-save")
    save_button(page, FRAME).click()
    assert saved_ids(page) == [FRAME]
    assert tab.dialogs == []


def test_duplicates_and_bad_ids_in_storage_are_dropped(featured_url, tab):
    page = tab.page
    visit(tab, featured_url)
    set_storage(page, KEY, json.dumps({"v": 1, "papers": [
        {"id": FRAME, "t": 1}, 7, {"id": "Not An Id"}, {"id": FRAME, "t": 2}, {"id": GAN, "t": "soon"}]}))
    visit(tab, featured_url + "reading-list/", ".pa-rl-list")
    assert [i["id"] for i in reading_list(page)] == [FRAME, GAN]


@pytest.fixture
def renamed_site(featured_site, tmp_path) -> Path:
    """The featured site with GAN's former id retired: the redirect page a merge leaves (outputs.redirect_html)."""
    site = tmp_path / "site"
    shutil.copytree(featured_site, site)
    (site / "papers" / "old-gan-id").mkdir()
    (site / "papers" / "old-gan-id" / "index.html").write_text(outputs.redirect_html(GAN, None), encoding="utf-8")
    return site


def test_renamed_ids_follow_their_redirect_and_missing_ones_can_be_removed(renamed_site, browser):
    with serve_site(renamed_site) as base, open_tab(browser, base) as tab:
        page = tab.page
        visit(tab, base)
        set_storage(page, KEY, stored(["old-gan-id", "no-such-paper", REASON, GAN]))
        visit(tab, base + "reading-list/", ".pa-rl-list")
        page.wait_for_function(f"() => JSON.parse(localStorage.getItem({json.dumps(KEY)})).papers[0].id === {json.dumps(GAN)}")
        items = reading_list(page)
        assert [i["id"] for i in items] == [GAN, "no-such-paper", REASON]
        assert "is no longer in the archive" in items[1]["text"]
        assert saved_ids(page) == [GAN, "no-such-paper", REASON]
        page.locator('[data-pa-remove="no-such-paper"]').click()
        assert saved_ids(page) == [GAN, REASON]
        with page.expect_download() as download:
            page.locator("[data-pa-action=bibtex]").click()
        assert len(read_pybtex(Path(download.value.path()).read_text(encoding="utf-8"))) == 2
        assert tab.errors == []


# ---------------------------------------------------------------- keys


def focused_id(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.dataset.paId || null")


def test_keys_move_save_and_open_on_a_day_page(featured_url, browser):
    with open_tab(browser, featured_url) as tab:
        page = tab.page
        page.set_viewport_size({"width": 390, "height": 500})
        visit(tab, featured_url + f"days/{NEWEST_DAY}/", ".pa-save")
        ids = page.evaluate("[...document.querySelectorAll('.pa-papers > li')].map(li => li.dataset.paId)")
        assert ids == [REASON, FRAME]
        assert page.locator(".pa-live").get_attribute("aria-live") == "polite"
        page.keyboard.press("j")
        assert focused_id(page) == REASON and live_text(page).startswith("1 of 2: V-ReasonBench")
        page.keyboard.press("j")
        assert focused_id(page) == FRAME and live_text(page).startswith("2 of 2: First Frame")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        box = page.locator(f'[data-pa-id="{FRAME}"]').bounding_box()
        assert 0 <= box["y"] < 500  # scrolled into view
        page.keyboard.press("x")
        assert saved_ids(page) == [FRAME] and live_text(page).startswith("Saved to your reading list")
        page.keyboard.press("k")
        assert focused_id(page) == REASON
        page.keyboard.press("?")
        assert page.locator("dialog.pa-keys").evaluate("d => d.open")
        page.keyboard.press("Escape")
        assert not page.locator("dialog.pa-keys").evaluate("d => d.open")

        # never while typing in a field
        page.locator("[data-pa-search-input]").focus()
        page.keyboard.type("jx")
        assert focused_id(page) is None and saved_ids(page) == [FRAME]
        page.locator("[data-pa-search-input]").fill("")
        page.locator("h1").click()

        page.keyboard.press("j")
        page.keyboard.press("o")
        page.wait_for_url(featured_url + f"papers/{REASON}/")
        page.go_back()
        page.wait_for_selector(".pa-save")
        page.keyboard.press("j")
        page.keyboard.press("j")
        page.keyboard.press("Enter")
        page.wait_for_url(featured_url + f"papers/{FRAME}/")
        assert tab.errors == []


# ---------------------------------------------------------------- new since your last visit


def test_new_since_the_last_visit_on_day_pages_and_home(featured_url, tab):
    page = tab.page
    visit(tab, featured_url)
    assert page.locator(".pa-new").count() == 0  # a first visit marks nothing
    state = json.loads(page.evaluate("key => localStorage.getItem(key)", VISIT))
    assert state["seen"] == NEWEST_DAY and state["prev"] is None

    # the previous visit, two hours ago, saw the site up to OLDER_DAY
    set_storage(page, VISIT, json.dumps({"v": 1, "prev": None, "seen": OLDER_DAY,
                                         "t": page.evaluate("Date.now()") - 2 * 3600 * 1000}))
    visit(tab, featured_url + f"days/{NEWEST_DAY}/", ".pa-save")
    assert page.locator(".pa-papers > li .pa-new").count() == 2
    visit(tab, featured_url + f"days/{OLDER_DAY}/", ".pa-save")
    assert page.locator(".pa-new").count() == 0
    visit(tab, featured_url, ".pa-save")  # the same visit: the marks stay
    assert page.locator(".pa-home .pa-papers > li .pa-new").count() == 2
    latest = page.evaluate("[...document.querySelectorAll('.pa-latest > li')].map(li => [li.querySelector('a').getAttribute('href'), !!li.querySelector('.pa-new')])")
    assert [new for href, new in latest if NEWEST_DAY in href] == [True]
    assert [new for href, new in latest if OLDER_DAY in href or OLDEST_DAY in href] == [False, False]

    # the next visit has seen everything
    state = json.loads(page.evaluate("key => localStorage.getItem(key)", VISIT))
    set_storage(page, VISIT, json.dumps({**state, "t": state["t"] - 3600 * 1000}))
    visit(tab, featured_url, ".pa-save")
    assert page.locator(".pa-new").count() == 0


# ---------------------------------------------------------------- requests, instant navigation, no JavaScript


def test_nothing_is_fetched_before_the_reader_opens_the_list(featured_url, tab):
    page = tab.page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    visit(tab, featured_url + f"days/{NEWEST_DAY}/", ".pa-save")
    save_button(page, REASON).click()
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("?")
    page.keyboard.press("Escape")
    visit(tab, featured_url + f"papers/{GAN}/", ".pa-save--wide")
    page.locator(".pa-save--wide").click()
    assert [u for u in requests if "/api/" in u or u.endswith(".bib") or "reading-list" in u] == []
    visit(tab, featured_url + "reading-list/", ".pa-rl-list")
    reading_list(page)
    assert sorted(u for u in requests if "/api/" in u) == sorted(
        f"{featured_url}api/papers/{i}.json" for i in (REASON, FRAME, GAN))


@pytest.fixture
def instant_url(featured_site, tmp_path):
    """The featured site served with a sitemap naming the served address, as the published site's names
    its own: Material's instant navigation follows only links the sitemap lists, and matches them without
    the port (so the fixture site's sitemap, naming site_url, turns every click into a full load)."""
    site = tmp_path / "site"
    shutil.copytree(featured_site, site)
    with serve_site(site) as base:
        sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
        (site / "sitemap.xml").write_text(sitemap.replace("https://paperarchive.github.io/paperarchive/", base),
                                          encoding="utf-8")
        yield base


def test_instant_navigation_keeps_the_controls(instant_url, browser):
    with open_tab(browser, instant_url) as tab:
        check_instant_navigation(instant_url, tab)
        assert tab.errors == []


def check_instant_navigation(featured_url, tab):
    page = tab.page
    visit(tab, featured_url + f"days/{NEWEST_DAY}/", ".pa-save")
    page.wait_for_load_state("networkidle")  # Material has read the sitemap
    page.evaluate("window.paStillHere = true")
    page.locator(f'[data-pa-id="{REASON}"] .pa-topics a').first.click()
    page.wait_for_url("**/topics/**")
    page.wait_for_selector(".pa-papers > li > .pa-save")
    assert page.evaluate("window.paStillHere === true")  # Material swapped the page, no reload
    assert page.locator(".pa-rl-link").count() == 1
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert len(saved_ids(page)) == 1
    page.locator(".pa-rl-link").click()
    page.wait_for_url(featured_url + "reading-list/")
    assert page.evaluate("window.paStillHere === true")
    assert len(reading_list(page)) == 1


def test_without_javascript_the_pages_are_unchanged(featured_url, featured_site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(featured_url + f"days/{NEWEST_DAY}/")
        assert page.locator(".pa-save, .pa-rl-link, .pa-new").count() == 0
        html = (featured_site / "days" / NEWEST_DAY / "index.html").read_text(encoding="utf-8")
        assert page.locator(".pa-papers > li").count() == html.count("<li><a href=\"../../papers/")
        page.goto(featured_url + "reading-list/")
        assert "needs JavaScript" in page.locator("[data-pa-reading-list]").text_content()
    finally:
        context.close()
