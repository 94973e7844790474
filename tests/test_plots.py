"""SVG plots: exact golden output, well-formed, accessible, colour-scheme-neutral, and the right cells.

Regenerate the golden files with: UPDATE_GOLDEN=1 python3 -m pytest tests/test_plots.py
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldenfiles import check_golden_file
from paperarchive.plots import (
    calendar_heatmap_svg,
    monthly_bars_svg,
    papers_per_month_svg,
)

GOLDEN = Path(__file__).resolve().parent / "golden" / "extras"
SVG = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"  # xlink:href: see plots._linked
MONTHS = {"2025-09": 3, "2025-11": 17, "2025-12": 1}
END = date(2025, 11, 20)  # a Thursday
DAYS = {date(2025, 11, 20): 17, date(2025, 11, 19): 4, date(2025, 11, 18): 1, date(2025, 1, 6): 9,
        date(2024, 11, 16): 2, date(2024, 11, 17): 5, date(2025, 11, 21): 99, date(2024, 1, 1): 99}


def _check_golden(name: str, text: str) -> None:
    check_golden_file(GOLDEN / name, text.encode("utf-8"))


def _cells(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {rect.findtext(f"{SVG}title").split(":")[0]: rect for rect in root.iter(f"{SVG}rect")}


def test_monthly_bars_golden():
    _check_golden("plot-monthly.svg", monthly_bars_svg(MONTHS, link=lambda m: None if m == "2025-10" else f"{m}/"))


def test_calendar_heatmap_golden():
    _check_golden("plot-calendar.svg", calendar_heatmap_svg(DAYS, END, link=lambda d: f"{d}/" if d in DAYS else None))


def test_monthly_bars_fill_the_months_between_first_and_last():
    root = ET.fromstring(monthly_bars_svg(MONTHS))
    titles = [rect.findtext(f"{SVG}title") for rect in root.iter(f"{SVG}rect")]
    assert titles == ["2025-09: 3 papers", "2025-10: 0 papers", "2025-11: 17 papers", "2025-12: 1 paper"]
    assert root.findtext(f"{SVG}desc") == "21 papers in 4 months. 2025-09: 3, 2025-10: 0, 2025-11: 17, 2025-12: 1."


def test_monthly_bars_heights_are_proportional():
    root = ET.fromstring(monthly_bars_svg({"2024-01": 10, "2024-02": 5}))
    heights = [float(rect.get("height")) for rect in root.iter(f"{SVG}rect")]
    assert heights == [80.0, 40.0]  # axis top 10; two months: the smallest plot height, 80


def test_monthly_bars_label_years_when_many_months():
    counts = {f"{2023 + i // 12}-{i % 12 + 1:02d}": i for i in range(5, 30)}
    labels = [t.text for t in ET.fromstring(monthly_bars_svg(counts)).iter(f"{SVG}text")]
    assert [label for label in labels if label.startswith("202")] == ["2023-06", "2024", "2025"]


def test_monthly_bars_reject_bad_keys_and_accept_nothing():
    with pytest.raises(ValueError, match="'2025-13' is not YYYY-MM"):
        monthly_bars_svg({"2025-13": 1})
    empty = ET.fromstring(monthly_bars_svg({}))
    assert empty.findtext(f"{SVG}desc") == "No papers."


@pytest.mark.parametrize("end, cells", [(date(2025, 11, 20), 52 * 7 + 5), (date(2025, 11, 22), 53 * 7),
                                        (date(2025, 11, 23), 52 * 7 + 1)])
def test_calendar_has_53_weeks_up_to_end(end, cells):
    days = _cells(calendar_heatmap_svg({}, end))
    dated = sorted(key for key in days if re.fullmatch(r"\d{4}-\d\d-\d\d", key))
    assert len(dated) == cells
    assert dated[-1] == end.isoformat()
    assert date.fromisoformat(dated[0]).weekday() == 6  # a Sunday
    assert (end - date.fromisoformat(dated[0])).days == cells - 1


def test_calendar_cells_state_their_count_and_level():
    root = ET.fromstring(calendar_heatmap_svg(DAYS, END))
    titles = {rect.findtext(f"{SVG}title") for rect in root.iter(f"{SVG}rect")}
    assert {"2025-11-20: 17 papers", "2025-11-18: 1 paper", "2024-11-17: 5 papers", "2025-11-19: 4 papers"} <= titles
    assert not any(t.startswith(("2025-11-21", "2024-11-16", "2024-01-01")) for t in titles)  # outside the window
    # the busiest day sits in the full-strength group, an empty day in the empty-cell group
    for group in root.iter(f"{SVG}g"):
        names = {r.findtext(f"{SVG}title") for r in group.iter(f"{SVG}rect")}
        if "2025-11-20: 17 papers" in names:
            assert group.get("fill-opacity") == "1"
        if "2025-11-17: 0 papers" in names:
            assert "lightest" in group.get("style")
    assert root.findtext(f"{SVG}desc").startswith(
        "36 papers on 5 days from 2024-11-17 to 2025-11-20. Busiest day 2025-11-20: 17 papers. Per month: 2024-11: 5,")


@pytest.mark.parametrize("kind", ["monthly", "calendar"])
def test_accessible_and_colour_scheme_neutral(kind):
    svg = monthly_bars_svg(MONTHS) if kind == "monthly" else calendar_heatmap_svg(DAYS, END)
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("viewBox")
    assert next(iter(root)).tag == f"{SVG}title" and list(root)[1].tag == f"{SVG}desc"
    colours = re.findall(r"#[0-9a-fA-F]{3,8}", svg)
    # every literal colour is a fallback inside var(); everything else is currentColor
    assert len(colours) == svg.count("var(--md-") - svg.count("var(--md-primary")
    assert "<style" not in svg and " id=" not in svg
    # once per group, never per mark; and the root's natural width for the stylesheet
    assert svg.count("style=") - svg.count('style="--pa-w:') <= 5
    assert root.get("style") == f"--pa-w:{root.get('width')}px"


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
                       st.integers(min_value=0, max_value=10_000), max_size=60),
       st.dates(min_value=date(2021, 1, 1), max_value=date(2030, 12, 31)))
def test_any_counts_make_well_formed_deterministic_svg(counts, end):
    svg = calendar_heatmap_svg(counts, end)
    assert svg == calendar_heatmap_svg(dict(reversed(list(counts.items()))), end)
    in_window = {d: c for d, c in counts.items() if end - timedelta(days=371) < d <= end}
    cells = _cells(svg)
    for day, count in in_window.items():
        if day.isoformat() in cells:
            noun = "paper" if count == 1 else "papers"
            assert cells[day.isoformat()].findtext(f"{SVG}title") == f"{day.isoformat()}: {count} {noun}"
    months = {f"{d.year:04d}-{d.month:02d}": c for d, c in counts.items()}
    ET.fromstring(monthly_bars_svg(months))


# ---------------------------------------------------------------- links, sizes, labels inside the box

# A label's width, independent of the plotting code's own bound: DejaVu Sans (Chromium's fallback here,
# wider than Arial and Roboto) advances .636 em for a digit, at most .64 for the month names' other
# letters and .862 for "M". The browser test measures the real boxes.
def _label_extent(text: ET.Element, size: float) -> tuple[float, float]:
    words = text.text or ""
    width = sum(0.862 if ch in "MW" else 0.636 for ch in words) * size
    x = float(text.get("x"))
    anchor = text.get("text-anchor") or _inherited_anchor(text)
    start = {"end": x - width, "middle": x - width / 2}.get(anchor, x)
    return start, start + width


_PARENTS: dict[ET.Element, ET.Element] = {}


def _inherited_anchor(text: ET.Element) -> str | None:
    node = _PARENTS.get(text)
    while node is not None:
        if node.get("text-anchor"):
            return node.get("text-anchor")
        node = _PARENTS.get(node)
    return None


def _assert_labels_inside(svg: str) -> None:
    root = ET.fromstring(svg)
    _PARENTS.clear()
    _PARENTS.update({child: parent for parent in root.iter() for child in parent})
    _, _, width, height = map(float, root.get("viewBox").split())
    assert (float(root.get("width")), float(root.get("height"))) == (width, height)
    size = float(root.get("font-size"))
    for text in root.iter(f"{SVG}text"):
        left, right = _label_extent(text, size)
        y = float(text.get("y"))
        assert left >= 0 and right <= width + 0.01, (text.text, left, right, width)
        assert y - size * 0.8 >= 0 and y + size * 0.25 <= height, (text.text, y, height)
    for rect in root.iter(f"{SVG}rect"):
        assert float(rect.get("x")) >= 0 and float(rect.get("x")) + float(rect.get("width")) <= width + 0.01
        assert float(rect.get("y")) + float(rect.get("height")) <= height


def _links(svg: str) -> dict[str, str]:
    """The title of each linked mark -> its href."""
    root = ET.fromstring(svg)
    return {a.find(f"{SVG}rect").findtext(f"{SVG}title"): a.get(HREF) for a in root.iter(f"{SVG}a")}


def test_bars_link_to_the_months_the_caller_names():
    svg = monthly_bars_svg(MONTHS, link=lambda month: None if month == "2025-10" else f"../../days/{month}/")
    assert _links(svg) == {"2025-09: 3 papers": "../../days/2025-09/", "2025-11: 17 papers": "../../days/2025-11/",
                           "2025-12: 1 paper": "../../days/2025-12/"}
    assert all(a.get("tabindex") == "-1" for a in ET.fromstring(svg).iter(f"{SVG}a"))
    assert "<a " not in monthly_bars_svg(MONTHS)


def test_heat_map_links_days_with_a_page_and_only_those():
    svg = calendar_heatmap_svg(DAYS, END, link=lambda day: f"../days/{day.isoformat()}/" if day in DAYS else None)
    links = _links(svg)
    assert links == {"2025-11-20: 17 papers": "../days/2025-11-20/", "2025-11-19: 4 papers": "../days/2025-11-19/",
                     "2025-11-18: 1 paper": "../days/2025-11-18/", "2025-01-06: 9 papers": "../days/2025-01-06/",
                     "2024-11-17: 5 papers": "../days/2024-11-17/"}


def test_a_hostile_href_stays_an_attribute():
    href = '"><script>alert(1)</script>&x'
    root = ET.fromstring(monthly_bars_svg({"2025-01": 1}, link=lambda month: href))
    assert [a.get(HREF) for a in root.iter(f"{SVG}a")] == [href]
    assert not list(root.iter(f"{SVG}script"))


def test_the_last_years_label_is_not_cut_off():
    # 2024-03 .. 2026-01: the last bar is January 2026, labelled "2026" at the right edge
    counts = {f"{2024 + (i + 2) // 12}-{(i + 2) % 12 + 1:02d}": 5 for i in range(23)}
    svg = monthly_bars_svg(counts)
    labels = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert labels[-1] == "2026"
    _assert_labels_inside(svg)


@pytest.mark.parametrize("months", [1, 2, 5, 12, 13, 30, 140])
def test_bars_fit_their_labels_and_their_size_follows_the_months(months):
    counts = {f"{2015 + i // 12}-{i % 12 + 1:02d}": (i * 7919) % 97 for i in range(months)}
    svg = monthly_bars_svg(counts)
    _assert_labels_inside(svg)
    root = ET.fromstring(svg)
    width, height = float(root.get("width")), float(root.get("height"))
    assert 100 <= height <= 180
    if months == 1:
        assert width < 120 and height < 120  # one bar: a small chart, not a 220 px slab
    if months >= 12:
        assert 680 <= width <= 760 and height == 180


def test_one_bar_is_small_and_labelled():
    svg = monthly_bars_svg({"2026-01": 1}, title="One")
    root = ET.fromstring(svg)
    assert float(root.get("height")) == 108 and float(root.get("width")) < 100
    assert root.findtext(f"{SVG}desc") == "1 paper in 1 month. 2026-01: 1."
    _assert_labels_inside(svg)


def test_heat_map_labels_stay_inside():
    _assert_labels_inside(calendar_heatmap_svg(DAYS, END))
    for end in (date(2026, 1, 3), date(2026, 8, 31), date(2025, 2, 28)):  # months starting near either edge
        _assert_labels_inside(calendar_heatmap_svg({}, end))


def test_papers_per_month_counts_dates_and_skips_undated():
    days = [date(2025, 3, 2), date(2025, 3, 30), None, date(2025, 5, 1)]
    svg = papers_per_month_svg(days, title="Example Lab: papers per month")
    root = ET.fromstring(svg)
    assert root.findtext(f"{SVG}title") == "Example Lab: papers per month"
    assert [r.findtext(f"{SVG}title") for r in root.iter(f"{SVG}rect")] == [
        "2025-03: 2 papers", "2025-04: 0 papers", "2025-05: 1 paper"]
    assert ET.fromstring(papers_per_month_svg([None], title="t")).findtext(f"{SVG}desc") == "No papers."
