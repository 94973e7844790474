"""SVG plots: exact golden output, well-formed, accessible, colour-scheme-neutral, and the right cells.

Regenerate the golden files with: UPDATE_GOLDEN=1 python3 -m pytest tests/test_plots.py
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperarchive.plots import calendar_heatmap_svg, monthly_bars_svg

GOLDEN = Path(__file__).resolve().parent / "golden" / "extras"
SVG = "{http://www.w3.org/2000/svg}"
MONTHS = {"2025-09": 3, "2025-11": 17, "2025-12": 1}
END = date(2025, 11, 20)  # a Thursday
DAYS = {date(2025, 11, 20): 17, date(2025, 11, 19): 4, date(2025, 11, 18): 1, date(2025, 1, 6): 9,
        date(2024, 11, 16): 2, date(2024, 11, 17): 5, date(2025, 11, 21): 99, date(2024, 1, 1): 99}


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8")


def _cells(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {rect.findtext(f"{SVG}title").split(":")[0]: rect for rect in root.iter(f"{SVG}rect")}


def test_monthly_bars_golden():
    _check_golden("plot-monthly.svg", monthly_bars_svg(MONTHS))


def test_calendar_heatmap_golden():
    _check_golden("plot-calendar.svg", calendar_heatmap_svg(DAYS, END))


def test_monthly_bars_fill_the_months_between_first_and_last():
    root = ET.fromstring(monthly_bars_svg(MONTHS))
    titles = [rect.findtext(f"{SVG}title") for rect in root.iter(f"{SVG}rect")]
    assert titles == ["2025-09: 3 papers", "2025-10: 0 papers", "2025-11: 17 papers", "2025-12: 1 paper"]
    assert root.findtext(f"{SVG}desc") == "21 papers in 4 months. 2025-09: 3, 2025-10: 0, 2025-11: 17, 2025-12: 1."


def test_monthly_bars_heights_are_proportional():
    root = ET.fromstring(monthly_bars_svg({"2024-01": 10, "2024-02": 5}))
    heights = [float(rect.get("height")) for rect in root.iter(f"{SVG}rect")]
    assert heights == [152.0, 76.0]  # axis top 10, plot height 152


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
    assert list(root)[0].tag == f"{SVG}title" and list(root)[1].tag == f"{SVG}desc"
    colours = re.findall(r"#[0-9a-fA-F]{3,8}", svg)
    # every literal colour is a fallback inside var(); everything else is currentColor
    assert len(colours) == svg.count("var(--md-") - svg.count("var(--md-primary")
    assert "<style" not in svg and " id=" not in svg
    assert svg.count("style=") <= 5  # once per group, never per mark


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
