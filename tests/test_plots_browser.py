"""The build-time SVG plots render in a real browser, readable in both colour schemes.

Headless Chromium (tests/browser.py) opens sites served under /paperarchive/: the calendar heat map of
featured days on the home page and papers featured per month on the days index (the site of
tests/fixtures/hfapi, which has Daily Papers days), papers per month on a topic page (the seed site). For each plot,
in the light scheme and after switching to the dark one with the header's palette toggle: the
plot has a non-zero box, the right number of bars or cells (counted from the JSON API the site
publishes, not from the plotting code), a <title> tooltip on every mark, and marks and text that
stand out from the page background.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from browser import open_tab

# Per plot: how many marks of each kind, and the tooltip of each.
PLOT_FACTS = """
(svg) => {
  const box = svg.getBoundingClientRect();
  const marks = [...svg.querySelectorAll('rect')].map((r) => {
    const b = r.getBoundingClientRect();
    const title = r.querySelector('title');
    return {tooltip: title ? title.textContent : null, width: b.width, height: b.height,
            fill: getComputedStyle(r).fill, opacity: getComputedStyle(r).fillOpacity};
  });
  const text = svg.querySelector('text');
  return {width: box.width, height: box.height, marks,
          textColor: text ? getComputedStyle(text).fill : null,
          background: getComputedStyle(document.body).backgroundColor,
          scheme: document.body.getAttribute('data-md-color-scheme'),
          title: svg.querySelector(':scope > title').textContent};
}
"""


def _rgb(css: str) -> tuple[float, float, float]:
    values = [float(v) for v in re.findall(r"[\d.]+", css)[:3]]
    assert len(values) == 3, css
    return tuple(values)  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(_rgb(a)), _luminance(_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def day_counts(site_dir: Path) -> dict[date, int]:
    """Papers per day, from the site's own JSON API (api/days/<date>.json)."""
    counts = {}
    for path in (site_dir / "api" / "days").glob("*.json"):
        doc = json.loads(path.read_text("utf-8"))
        counts[date.fromisoformat(doc["date"])] = doc["count"]
    return counts


def months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def switch_scheme(tab, to_dark: bool) -> None:
    """Click the header's palette toggle (as a reader does) until the page has the wanted scheme."""
    wanted = "slate" if to_dark else "default"
    page = tab.page
    if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != wanted:
        page.locator("form[data-md-component=palette] label:not([hidden])").first.click()
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{wanted}'")


def check_readable(facts: dict, dark: bool) -> None:
    assert facts["scheme"] == ("slate" if dark else "default")
    assert facts["textColor"], "the plot has no text"
    assert contrast(facts["textColor"], facts["background"]) >= 4.5, facts
    bars = [m for m in facts["marks"] if m["opacity"] in ("1", "") and m["fill"] != facts["background"]]
    strongest = max(bars, key=lambda m: contrast(m["fill"], facts["background"]))
    assert contrast(strongest["fill"], facts["background"]) >= 3, (strongest, facts["background"])


@pytest.fixture(scope="module")
def counts(featured_site):
    found = day_counts(featured_site)
    assert len(found) >= 3
    return found


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_calendar_heat_map_on_home(browser, featured_url, counts, dark):
    end = max(counts)
    start = end - timedelta(days=(end.weekday() + 1) % 7 + 7 * 52)
    cells = (end - start).days + 1
    with open_tab(browser, featured_url) as tab:
        tab.goto(featured_url)
        switch_scheme(tab, dark)
        plots = tab.page.locator("svg.pa-plot")
        assert plots.count() == 1
        facts = plots.first.evaluate(PLOT_FACTS)
        assert facts["scheme"] == ("slate" if dark else "default")
        assert facts["width"] > 300 and facts["height"] > 50, facts
        days = [m for m in facts["marks"] if re.match(r"\d{4}-\d{2}-\d{2}: ", m["tooltip"] or "")]
        assert len(days) == cells
        assert len(facts["marks"]) == cells + 5  # and the five legend swatches, each with a tooltip
        assert all(m["tooltip"] for m in facts["marks"])
        assert all(m["width"] > 0 and m["height"] > 0 for m in facts["marks"])
        shown = {d["tooltip"].split(":")[0]: d["tooltip"].split(": ")[1] for d in days}
        for day, n in counts.items():
            if day >= start:
                assert shown[day.isoformat()] == (f"{n} paper" if n == 1 else f"{n} papers")
        check_readable(facts, dark)
        assert tab.errors == [] and tab.dialogs == []


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_papers_per_month_on_the_days_index(browser, featured_url, counts, dark):
    monthly = Counter(f"{d.year:04d}-{d.month:02d}" for d, n in counts.items() for _ in range(n))
    with open_tab(browser, featured_url) as tab:
        tab.goto(featured_url + "days/")
        switch_scheme(tab, dark)
        facts = tab.page.locator("svg.pa-plot").first.evaluate(PLOT_FACTS)
        assert facts["width"] > 300 and facts["height"] > 50, facts
        assert len(facts["marks"]) == months_between(min(counts), max(counts))
        tooltips = [m["tooltip"] for m in facts["marks"]]
        for month, n in monthly.items():
            assert f"{month}: {n} paper" + ("" if n == 1 else "s") in tooltips
        assert all(m["width"] > 0 for m in facts["marks"])
        assert all(m["height"] > 0 for m in facts["marks"] if not m["tooltip"].endswith(": 0 papers"))
        check_readable(facts, dark)
        assert tab.errors == []


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_topics_papers_per_month(browser, seed_url, seed_site, dark):
    topics = {}
    for path in (seed_site / "api" / "topics").glob("*.json"):
        doc = json.loads(path.read_text("utf-8"))
        # a topic document lists paper ids; each paper's document has its date
        papers = [json.loads((seed_site / "api" / "papers" / f"{pid}.json").read_text("utf-8")) for pid in doc["papers"]]
        topics[doc["id"]] = [date.fromisoformat(p["published"]) for p in papers if p["published"]]
    topic, days = max(topics.items(), key=lambda item: (len(item[1]), item[0]))
    with open_tab(browser, seed_url) as tab:
        tab.goto(seed_url + f"topics/{topic}/")
        switch_scheme(tab, dark)
        facts = tab.page.locator("svg.pa-plot").first.evaluate(PLOT_FACTS)
        assert facts["title"].endswith(": papers per month")
        assert facts["width"] > 300 and facts["height"] > 50, facts
        assert len(facts["marks"]) == months_between(min(days), max(days))
        assert sum(int(m["tooltip"].split(": ")[1].split()[0]) for m in facts["marks"]) == len(days)
        check_readable(facts, dark)
        assert tab.errors == []
