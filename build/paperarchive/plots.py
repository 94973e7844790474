"""Plots as SVG strings, made at build time, to be inlined into pages.

Readable in both Material colour schemes: text and axes are ``currentColor`` (the page's text
colour) and marks use Material's CSS custom properties, each with a fallback for an SVG viewed on
its own.  Accessible: ``role="img"`` with a ``<title>`` and a ``<desc>`` that states the numbers,
and a ``<title>`` on every mark.  Compact: colours are set once per group, never per mark, and
coordinates carry at most one decimal.  Deterministic: no clock, no randomness, fixed English
month names.  No ``<style>`` element and no ids, because an inlined SVG's style would leak into
the page and its ids could collide with the page's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from xml.sax.saxutils import escape

# The link colour: Material picks it for contrast on each scheme (slate lightens it).
PRIMARY = "fill:var(--md-typeset-a-color,var(--md-primary-fg-color,#4051b5))"
EMPTY_CELL = "fill:var(--md-default-fg-color--lightest,#00000012)"
GRID = 'stroke="currentColor" stroke-opacity=".2"'
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = {1: "Mon", 3: "Wed", 5: "Fri"}  # rows labelled, GitHub-style (row 0 is Sunday)
LEVEL_OPACITY = ("", ".3", ".55", ".8", "1")  # heat map levels 1-4; level 0 is EMPTY_CELL

# monthly bars: drawing area in viewBox units
BAR_WIDTH, BAR_HEIGHT = 720, 180
BAR_LEFT, BAR_RIGHT, BAR_TOP, BAR_BOTTOM = 40, 4, 8, 20
BAR_MAX = 48  # widest bar, so that a few months do not make slabs
# calendar heat map
WEEKS = 53
CELL, GAP = 10, 2
CAL_LEFT, CAL_TOP = 28, 14


def monthly_bars_svg(counts: Mapping[str, int], *, title: str = "Papers per month") -> str:
    """A bar per month from the first to the last key ("YYYY-MM"), months without papers as 0."""
    months = _month_range(counts)
    values = [counts.get(month, 0) for month in months]
    summary = ", ".join(f"{month}: {value}" for month, value in zip(months, values))
    desc = f"{sum(values)} papers in {len(months)} months. {summary}." if months else "No papers."
    parts = [_open(BAR_WIDTH, BAR_HEIGHT, title, desc)]
    if months:
        parts += _bars(months, values)
    parts.append("</svg>")
    return "".join(parts)


def calendar_heatmap_svg(
    counts: Mapping[date, int], end: date, *, title: str = "Papers per day over the last year"
) -> str:
    """GitHub-style heat map of the 53 weeks (Sunday to Saturday) ending with the week of ``end``.

    Days after ``end`` are not drawn; counts outside the window are ignored.
    """
    start = end - timedelta(days=(end.weekday() + 1) % 7 + 7 * (WEEKS - 1))
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    values = [counts.get(day, 0) for day in days]
    bounds = _level_bounds(values)
    width = CAL_LEFT + WEEKS * (CELL + GAP)
    height = CAL_TOP + 7 * (CELL + GAP) + 18
    parts = [_open(width, height, title, _calendar_desc(days, values))]
    parts += _month_labels(days)
    parts.append('<g fill="currentColor" font-size="9" fill-opacity=".7">')
    parts += [
        f'<text x="0" y="{CAL_TOP + row * (CELL + GAP) + CELL - 1}">{name}</text>'
        for row, name in WEEKDAYS.items()
    ]
    parts.append("</g>")
    by_level: list[list[str]] = [[] for _ in LEVEL_OPACITY]
    for index, (day, value) in enumerate(zip(days, values)):
        x = CAL_LEFT + (index // 7) * (CELL + GAP)
        y = CAL_TOP + (index % 7) * (CELL + GAP)
        by_level[_level(value, bounds)].append(
            f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}">'
            f"<title>{day.isoformat()}: {_papers(value)}</title></rect>"
        )
    legend_text, swatches = _legend(width, height, bounds)
    for level, cells in enumerate(by_level):
        parts.append(f"{_level_group(level)}{''.join(cells)}{swatches[level]}</g>")
    parts.append(legend_text)
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="pa-plot" font-size="10"><title>{escape(title)}</title><desc>{escape(desc)}</desc>'
    )


def _month_range(counts: Mapping[str, int]) -> list[str]:
    if not counts:
        return []
    keys = sorted(counts)
    for key in keys:
        if len(key) != 7 or key[4] != "-" or not (key[:4] + key[5:]).isdigit() or not 1 <= int(key[5:]) <= 12:
            raise ValueError(f"monthly_bars_svg: month key {key!r} is not YYYY-MM")
    (year, month), (last_year, last_month) = map(_year_month, (keys[0], keys[-1]))
    months = []
    while (year, month) <= (last_year, last_month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _year_month(key: str) -> tuple[int, int]:
    return int(key[:4]), int(key[5:])


def _bars(months: list[str], values: list[int]) -> list[str]:
    top, step = _axis(max(values))
    plot_width = BAR_WIDTH - BAR_LEFT - BAR_RIGHT
    plot_height = BAR_HEIGHT - BAR_TOP - BAR_BOTTOM
    baseline = BAR_TOP + plot_height
    slot = plot_width / len(months)
    bar = min(BAR_MAX, max(slot * 0.8, min(slot, 1)))

    def y_of(value: float) -> float:
        return baseline - plot_height * value / top

    ticks = range(0, top + 1, step)
    parts = [f"<g {GRID}>"]
    parts += [f'<path d="M{BAR_LEFT} {_n(y_of(t))}H{BAR_WIDTH - BAR_RIGHT}"/>' for t in ticks]
    parts.append('</g><g fill="currentColor" text-anchor="end">')
    parts += [f'<text x="{BAR_LEFT - 4}" y="{_n(y_of(t) + 3.5)}">{t}</text>' for t in ticks]
    parts.append('</g><g fill="currentColor" text-anchor="middle">')
    for index, month in _month_labels_for_bars(months):
        parts.append(f'<text x="{_n(BAR_LEFT + slot * (index + 0.5))}" y="{BAR_HEIGHT - 6}">{month}</text>')
    parts.append(f'</g><g style="{PRIMARY}">')
    for index, (month, value) in enumerate(zip(months, values)):
        x = BAR_LEFT + slot * index + (slot - bar) / 2
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(y_of(value))}" width="{_n(bar)}" height="{_n(baseline - y_of(value))}">'
            f"<title>{month}: {_papers(value)}</title></rect>"
        )
    parts.append("</g>")
    return parts


def _month_labels_for_bars(months: list[str]) -> list[tuple[int, str]]:
    """Every month when there are at most 12; else each January and, if room, the first month."""
    if len(months) <= 12:
        return list(enumerate(months))
    januaries = [i for i, month in enumerate(months) if month.endswith("-01")]
    labels = [(i, months[i][:4]) for i in januaries]
    if not januaries or januaries[0] >= max(3, len(months) // 12):
        labels.insert(0, (0, months[0]))
    return labels


def _axis(largest: int) -> tuple[int, int]:
    """A round top for the value axis and its tick step (1, 2 or 5 times a power of ten), 1-5 intervals."""
    if largest <= 0:
        return 1, 1
    power = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * power
            if math.ceil(largest / step) <= 5:
                return step * math.ceil(largest / step), step
        power *= 10


def _calendar_desc(days: list[date], values: list[int]) -> str:
    total = sum(values)
    active = sum(1 for value in values if value)
    monthly: dict[str, int] = {}
    for day, value in zip(days, values):
        monthly[day.strftime("%Y-%m")] = monthly.get(day.strftime("%Y-%m"), 0) + value
    text = f"{total} papers on {active} days from {days[0].isoformat()} to {days[-1].isoformat()}."
    if total:
        best = max(values)
        best_day = days[values.index(best)]
        text += f" Busiest day {best_day.isoformat()}: {_papers(best)}."
    return text + " Per month: " + ", ".join(f"{m}: {v}" for m, v in monthly.items()) + "."


def _month_labels(days: list[date]) -> list[str]:
    parts = ['<g fill="currentColor" font-size="9" fill-opacity=".7">']
    previous = -99
    for index, day in enumerate(days):
        column = index // 7
        if day.day == 1 and column - previous >= 3 and column <= WEEKS - 2:
            x = CAL_LEFT + column * (CELL + GAP)
            parts.append(f'<text x="{x}" y="{CAL_TOP - 4}">{MONTHS[day.month - 1]}</text>')
            previous = column
    parts.append("</g>")
    return parts


def _level_bounds(values: list[int]) -> tuple[int, int, int, int]:
    """Highest count of levels 1-4: the quartiles of the days with papers (GitHub's scheme)."""
    busy = sorted(value for value in values if value > 0)
    if not busy:
        return (0, 0, 0, 0)
    return tuple(busy[(len(busy) * q - 1) // 4] for q in (1, 2, 3)) + (busy[-1],)


def _level(value: int, bounds: tuple[int, int, int, int]) -> int:
    if value <= 0:
        return 0
    return next(level for level, highest in enumerate(bounds, start=1) if value <= highest)


def _level_group(level: int) -> str:
    if level == 0:
        return f'<g style="{EMPTY_CELL}">'
    return f'<g style="{PRIMARY}" fill-opacity="{LEVEL_OPACITY[level]}">'


def _legend(width: int, height: int, bounds: tuple[int, int, int, int]) -> tuple[str, list[str]]:
    """The legend's words, and one swatch per level (drawn inside that level's group)."""
    y = height - CELL - 2
    x = width - 5 * (CELL + GAP) - 30
    text = (
        f'<g fill="currentColor" font-size="9" fill-opacity=".7"><text x="{x - 4}" y="{y + CELL - 1}" '
        f'text-anchor="end">Less</text><text x="{x + 5 * (CELL + GAP) + 2}" y="{y + CELL - 1}">More</text></g>'
    )
    lows = (0, 1) + tuple(highest + 1 for highest in bounds[:3])
    highs = (0,) + bounds
    swatches = []
    for level, (lowest, highest) in enumerate(zip(lows, highs)):
        if lowest > highest:
            label = "no day at this level"
        elif lowest == highest:
            label = _papers(lowest)
        else:
            label = f"{lowest}-{highest} papers"
        swatches.append(
            f'<rect x="{x + level * (CELL + GAP)}" y="{y}" width="{CELL}" height="{CELL}"><title>{label}</title></rect>'
        )
    return text, swatches


def _papers(value: int) -> str:
    return f"{value} paper" if value == 1 else f"{value} papers"


def _n(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
