"""Pages with charts as a reader sees them, on a desktop (1280x800) and a phone (390x844).

Headless Chromium (tests/browser.py) opens the seed site served under /paperarchive/. The charts'
marks link to their day and month pages; no label leaves its chart's box; on a phone the charts
stay readable (text of at least 8 px) and scroll inside their figure, never the page; the header
keeps the site name readable; no request fails on the way to a topic page (Material's language
handler used to ask for a sitemap.xml beside each topic feed); the organizations index gets its
filter box, also after an instant navigation.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from browser import open_tab

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}

# Per chart: its box, the scale its labels render at, each label's box against the viewBox, and the
# figure's scroll box.
CHART_FACTS = """
(svg) => {
  const box = svg.getBoundingClientRect();
  const view = svg.viewBox.baseVal;
  const texts = [...svg.querySelectorAll('text')].map((t) => {
    const b = t.getBBox();
    return {text: t.textContent, x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height};
  });
  const figure = svg.parentElement;
  return {width: box.width, height: box.height, view: [view.width, view.height],
          fontPx: parseFloat(getComputedStyle(svg).fontSize) * box.width / view.width,
          texts, figureScroll: figure.scrollWidth, figureWidth: figure.clientWidth,
          links: [...svg.querySelectorAll('a')].map((a) => a.href.baseVal)};
}
"""

PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _chart_pages(seed_site) -> list[str]:
    """The home page, the days index, a topic and an organization with a chart."""
    def first_with_chart(folder: str) -> str:
        for page in sorted((seed_site / folder).glob("*/index.html")):
            if "pa-plot" in page.read_text("utf-8"):
                return f"{folder}/{page.parent.name}/"
        raise AssertionError(f"no page of {folder}/ has a chart")

    return ["", "days/", first_with_chart("topics"), first_with_chart("orgs")]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_charts_fit_their_labels_and_stay_readable(browser, featured_url, featured_site, viewport):
    with open_tab(browser, featured_url) as tab:
        tab.page.set_viewport_size(viewport)
        for path in _chart_pages(featured_site):
            tab.goto(featured_url + path)
            assert tab.page.evaluate(PAGE_OVERFLOW) <= 0, f"{path}: the page scrolls sideways"
            charts = tab.page.locator("svg.pa-plot")
            assert charts.count() >= 1, path
            for index in range(charts.count()):
                facts = charts.nth(index).evaluate(CHART_FACTS)
                width, height = facts["view"]
                for text in facts["texts"]:
                    assert text["x"] >= 0 and text["right"] <= width, (path, text, width)
                    assert text["y"] >= 0 and text["bottom"] <= height, (path, text, height)
                assert 7.99 <= facts["fontPx"] <= 12.51, (path, facts["fontPx"])
                assert facts["height"] <= 240, (path, facts["height"])
                assert facts["figureWidth"] <= viewport["width"]
            assert tab.errors == [], path


def test_a_one_month_chart_is_small(browser, seed_url, seed_site):
    """A chart of one month is a chart of one bar: about as tall as it is wide, not a 220 px slab."""
    for page in sorted((seed_site / "orgs").glob("*/index.html")):
        svg = re.search(r'<svg [^>]*class="pa-plot pa-plot--bars"[^>]*>', page.read_text("utf-8"))
        if svg and len(re.findall(r"<rect ", page.read_text("utf-8"))) == 1:
            break
    else:
        pytest.skip("no organization of the seeds has papers in one month only")
    with open_tab(browser, seed_url) as tab:
        tab.page.set_viewport_size(DESKTOP)
        tab.goto(seed_url + f"orgs/{page.parent.name}/")
        facts = tab.page.locator("svg.pa-plot").first.evaluate(CHART_FACTS)
        assert facts["height"] <= 140 and facts["width"] <= 140, facts


def test_heat_map_starts_scrolled_to_the_newest_weeks_on_a_phone(browser, featured_url):
    with open_tab(browser, featured_url) as tab:
        tab.page.set_viewport_size(PHONE)
        tab.goto(featured_url)
        figure = tab.page.locator("figure.pa-figure:has(svg.pa-plot--calendar)")
        scroll = figure.evaluate("(f) => ({width: f.scrollWidth, client: f.clientWidth})")
        assert scroll["width"] > scroll["client"], "at 390 px the heat map scrolls inside its figure"
        # the right end (newest week) is in view: the last cell's right edge is inside the figure
        # cells are drawn grouped by level: the newest day is the cell with the greatest date in its title
        cell = tab.page.locator("svg.pa-plot--calendar rect").evaluate_all("""(rects) => {
            const dated = rects.filter((r) => /^\\d{4}-\\d\\d-\\d\\d:/.test(r.textContent));
            const newest = dated.reduce((a, b) => (a.textContent > b.textContent ? a : b));
            const box = newest.getBoundingClientRect();
            return {x: box.x, width: box.width};
        }""")
        frame = figure.bounding_box()
        assert frame["x"] <= cell["x"] and cell["x"] + cell["width"] <= frame["x"] + frame["width"] + 0.5


def test_a_heat_map_cell_and_a_bar_lead_to_their_day_and_month(browser, featured_url, featured_site):
    with open_tab(browser, featured_url) as tab:
        tab.goto(featured_url)
        links = tab.page.locator("svg.pa-plot--calendar a")
        hrefs = tab.page.locator("svg.pa-plot--calendar").evaluate(CHART_FACTS)["links"]
        assert hrefs and all(re.fullmatch(r"days/\d{4}/\d\d/\d\d/|days/\d{4}-\d\d-\d\d/", h) for h in hrefs), hrefs[:3]
        for href in hrefs:  # only days that have a page are linked
            assert (featured_site / href / "index.html").is_file(), href
        newest = links.last
        target = urljoin(featured_url, newest.evaluate("(a) => a.href.baseVal"))
        newest.locator("rect").click()
        tab.page.wait_for_url(target)
        assert tab.page.locator("h1").count() == 1

        tab.goto(featured_url + "days/")
        bars = tab.page.locator("svg.pa-plot--bars a")
        month_hrefs = [bars.nth(i).evaluate("(a) => a.href.baseVal") for i in range(bars.count())]
        assert month_hrefs and all((featured_site / "days" / h / "index.html").is_file() for h in month_hrefs)
        target = urljoin(featured_url + "days/", month_hrefs[-1])
        bars.last.locator("rect").click()
        tab.page.wait_for_url(target)
        assert tab.errors == []


def _failed_requests(page) -> list[str]:
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    return failed


def test_no_request_fails_on_the_way_to_a_topic_page(browser, seed_url, seed_site):
    topic = _chart_pages(seed_site)[2]
    with open_tab(browser, seed_url) as tab:
        failed = _failed_requests(tab.page)
        tab.goto(seed_url + topic)  # straight to it
        tab.page.wait_for_load_state("networkidle")
        assert tab.page.locator('link[rel=alternate][href$="feed.xml"]').count() == 2  # the archive's and the topic's
        tab.goto(seed_url + "topics/")  # and through the topics index, by Material's instant navigation
        tab.page.wait_for_load_state("networkidle")
        tab.page.locator(f'.pa-topics-table a[href$="/{topic}"]').click()  # Material made the hrefs absolute
        tab.page.wait_for_url(seed_url + topic)
        tab.page.wait_for_load_state("networkidle")
        assert tab.page.evaluate("location.pathname").endswith(topic)
        assert failed == []
        assert tab.errors == []


def test_the_site_name_stays_readable_in_a_phones_header(browser, seed_url):
    with open_tab(browser, seed_url) as tab:
        tab.page.set_viewport_size(PHONE)
        tab.goto(seed_url + "days/")
        name = tab.page.locator(".md-header__topic .md-ellipsis")
        shown = name.evaluate("(e) => ({width: e.clientWidth, needed: e.scrollWidth, lines: e.getClientRects().length,"
                              " height: e.clientHeight, full: e.scrollHeight})")
        assert shown["width"] >= shown["needed"] and shown["height"] >= shown["full"], shown  # nothing cut off
        search = tab.page.locator(".pa-search__input")
        assert search.bounding_box()["width"] <= 48  # a magnifier until used
        search.click()  # then across the header, once its width transition ends
        tab.page.wait_for_function("document.querySelector('.pa-search__input').getBoundingClientRect().width >= 300")
        assert tab.page.evaluate(PAGE_OVERFLOW) <= 0


def test_organizations_index_filter(browser, seed_url, seed_site):
    source = (seed_site / "orgs" / "index.html").read_text("utf-8")
    assert 'data-pa-filter="organizations"' in source and "pa-filter__input" not in source  # no JS: just the list
    with open_tab(browser, seed_url) as tab:
        tab.goto(seed_url)
        tab.page.locator('.md-content a[href$="/orgs/"]').first.click()  # instant navigation: the script is not run again
        tab.page.wait_for_url(seed_url + "orgs/")
        box = tab.page.locator(".pa-filter__input")
        box.wait_for()
        items = tab.page.locator("ol.pa-orgs > li")
        names = [items.nth(i).locator("a").inner_text() for i in range(items.count())]
        assert len(names) >= 2
        box.fill(names[-1][:4].upper())
        visible = [n for i, n in enumerate(names) if items.nth(i).is_visible()]
        assert visible == [n for n in names if names[-1][:4].lower() in n.lower()]
        assert tab.page.locator(".pa-filter__status").inner_text() == f"{len(visible)} of {len(names)} shown"
        box.fill("")
        assert all(items.nth(i).is_visible() for i in range(len(names)))
        assert tab.errors == []


# ---------------------------------------------------------------- a fork's header: its name and its repository

FORK_NAME = "Ånother Very Long Forked Archive Name"
FORK_REPO = "https://github.com/someone/fork"


@pytest.fixture(scope="module")
def fork_url(tmp_path_factory, seed_store):
    """The seed site built from a forked mkdocs.yml (another site_name, a repo_url), served."""
    from browser import serve_site
    from conftest import MKDOCS_YML, ROOT

    folder = tmp_path_factory.mktemp("fork")
    config = MKDOCS_YML.read_text("utf-8")
    config = re.sub(r"(?m)^(repo_url|repo_name): .*\n", "", config)
    config = re.sub(r"(?m)^site_name: .*$", f"site_name: {FORK_NAME}\nrepo_url: {FORK_REPO}\nrepo_name: someone/fork", config)
    config = re.sub(r"(?m)^  custom_dir: .*$", f"  custom_dir: {ROOT / 'build/paperarchive/theme'}", config)
    config = re.sub(r"(?m)^docs_dir: .*$", f"docs_dir: {folder / 'docs'}", config)
    (folder / "mkdocs.yml").write_text(config, "utf-8")
    (folder / "content").mkdir()
    (folder / "content" / "topics.yml").write_bytes((ROOT / "content" / "topics.yml").read_bytes())
    from paperarchive import site

    assert site.build(config=folder / "mkdocs.yml", store=seed_store, site_dir=folder / "site", strict=False) == 0
    with serve_site(folder / "site") as base:
        yield base


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_forks_name_and_repository_show_in_the_header(browser, fork_url, viewport):
    with open_tab(browser, fork_url) as tab:
        tab.page.set_viewport_size(viewport)
        elsewhere: list[str] = []
        tab.page.on("request", lambda r: "127.0.0.1" not in r.url and elsewhere.append(r.url))
        for path in ("", "topics/"):
            tab.goto(fork_url + path)
            tab.page.wait_for_load_state("networkidle")
            name = tab.page.locator(".md-header__topic .md-ellipsis")
            assert name.inner_text() == FORK_NAME
            box = name.bounding_box()
            assert box["width"] >= 120 and box["height"] >= 14, box  # shown, on one line or two
            repo = tab.page.locator("a.pa-repo")
            assert repo.get_attribute("href") == FORK_REPO and repo.is_visible()
            assert tab.page.evaluate(PAGE_OVERFLOW) <= 0
        # Material's source widget would ask GitHub's API for stars: the archive asks no third party
        assert elsewhere == []
        assert tab.page.locator("[data-md-component=source]").count() == 0
        assert tab.errors == []
