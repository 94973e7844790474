"""Plots as SVG strings, made at build time, to be inlined into pages.

Readable in both Material colour schemes: text and axes are ``currentColor`` (the page's text
colour) and marks use Material's CSS custom properties, each with a fallback for an SVG viewed on
its own.  Accessible: ``role="img"`` with a ``<title>`` and a ``<desc>`` that states the numbers,
and a ``<title>`` on every mark.  Compact: colours are set once per group, never per mark, and
coordinates carry at most one decimal.  Deterministic: no clock, no randomness, fixed English
month names.  No ``<style>`` element and no ids, because an inlined SVG's style would leak into
the page and its ids could collide with the page's.

Sized to their content: a box that fits every label (margins from an upper bound of the label
widths), bars whose width and height follow the number of months, drawn at their natural size
(``--pa-w``), which the stylesheet scales between 80 % and 125 %.  Linked: the caller's ``link``
maps a day or a month to the href of its page (relative to the page the plot is inlined in), so a
heat-map cell or a bar leads to its day or month.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import TypeVar
from xml.sax.saxutils import escape, quoteattr

K = TypeVar("K")
# The caller's URL maker: a mark's key (a date, or a "YYYY-MM" month) -> the href to put on it, already
# relative to the page the plot is inlined in, or None for a mark without a page.
Linker = Callable[[K], "str | None"]

# The link colour: Material picks it for contrast on each scheme (slate lightens it).
PRIMARY = "fill:var(--md-typeset-a-color,var(--md-primary-fg-color,#4051b5))"
EMPTY_CELL = "fill:var(--md-default-fg-color--lightest,#00000012)"
GRID = 'stroke="currentColor" stroke-opacity=".2"'
XLINK = "http://www.w3.org/1999/xlink"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = {1: "Mon", 3: "Wed", 5: "Fri"}  # rows labelled, GitHub-style (row 0 is Sunday)
LEVEL_OPACITY = ("", ".3", ".55", ".8", "1")  # heat map levels 1-4; level 0 is EMPTY_CELL

FONT = 10  # every label, in viewBox units
# Upper bounds of a label character's width, in em, over the common sans-serif fonts (DejaVu Sans, the
# widest and Chromium's fallback on Linux: digits .636, "M" .862; Arial, Roboto, Helvetica are narrower),
# so that a margin computed from them never cuts a label off whichever font the reader's system picks.
CHAR_EM, WIDE_EM = 0.64, 0.9
WIDE_CHARS = frozenset("MWmw")

# monthly bars: viewBox units
SLOT_MAX = 60  # a month's slot when there are few months: a single month is not a 700-unit slab
PLOT_MAX_WIDTH = 680  # the bars' area when there are many months
PLOT_HEIGHT_MIN, PLOT_HEIGHT_MAX = 80, 152  # the bars' height follows their area's width between these
BAR_TOP, BAR_BOTTOM = 8, 20
# calendar heat map
WEEKS = 53
CELL, GAP = 10, 2
CAL_LEFT, CAL_TOP = 28, 14


def monthly_bars_svg(
    counts: Mapping[str, int], *, title: str = "Papers per month", link: Linker[str] | None = None
) -> str:
    """A bar per month from the first to the last key ("YYYY-MM"), months without papers as 0.

    ``link(month)`` gives the href of a month's bar (None: no link).
    """
    months = _month_range(counts)
    values = [counts.get(month, 0) for month in months]
    if not months:
        return _empty(title)
    summary = ", ".join(f"{month}: {value}" for month, value in zip(months, values, strict=False))
    count = f"{len(months)} month" if len(months) == 1 else f"{len(months)} months"
    desc = f"{_papers(sum(values))} in {count}. {summary}."
    return _bars(months, values, title, desc, link)


def papers_per_month_svg(
    days: Iterable[date | None], *, title: str, link: Linker[str] | None = None
) -> str:
    """Monthly bars of papers given by their dates (None, an undated paper, is left out): the chart of
    a topic's or an organization's page."""
    counts = Counter(f"{day.year:04d}-{day.month:02d}" for day in days if day is not None)
    return monthly_bars_svg(dict(sorted(counts.items())), title=title, link=link)


def calendar_heatmap_svg(
    counts: Mapping[date, int],
    end: date,
    *,
    title: str = "Papers per day over the last year",
    link: Linker[date] | None = None,
) -> str:
    """GitHub-style heat map of the 53 weeks (Sunday to Saturday) ending with the week of ``end``.

    Days after ``end`` are not drawn; counts outside the window are ignored. ``link(day)`` gives the
    href of a day's cell (None: no link).
    """
    start = end - timedelta(days=(end.weekday() + 1) % 7 + 7 * (WEEKS - 1))
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    values = [counts.get(day, 0) for day in days]
    bounds = _level_bounds(values)
    width = CAL_LEFT + WEEKS * (CELL + GAP)
    height = CAL_TOP + 7 * (CELL + GAP) + CELL + 8
    parts = [_open(width, height, title, _calendar_desc(days, values), "pa-plot--calendar")]
    parts += _month_labels(days, width)
    parts.append('<g fill="currentColor" fill-opacity=".7">')
    parts += [
        f'<text x="0" y="{CAL_TOP + row * (CELL + GAP) + CELL - 1}">{name}</text>'
        for row, name in WEEKDAYS.items()
    ]
    parts.append("</g>")
    by_level: list[list[str]] = [[] for _ in LEVEL_OPACITY]
    for index, (day, value) in enumerate(zip(days, values, strict=False)):
        x = CAL_LEFT + (index // 7) * (CELL + GAP)
        y = CAL_TOP + (index % 7) * (CELL + GAP)
        cell = (
            f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}">'
            f"<title>{day.isoformat()}: {_papers(value)}</title></rect>"
        )
        by_level[_level(value, bounds)].append(_linked(cell, link(day) if link else None))
    legend_text, swatches = _legend(width, height, bounds)
    for level, cells in enumerate(by_level):
        parts.append(f"{_level_group(level)}{''.join(cells)}{swatches[level]}</g>")
    parts.append(legend_text)
    parts.append("</svg>")
    return "".join(parts)


def text_width(text: str, size: float = FONT) -> float:
    """An upper bound of the width of ``text`` at font size ``size`` (viewBox units)."""
    return sum(WIDE_EM if char in WIDE_CHARS else CHAR_EM for char in text) * size


def _open(width: float, height: float, title: str, desc: str, kind: str) -> str:
    """The root element, with its natural size (one viewBox unit per CSS pixel) as width and height and
    as --pa-w, from which the stylesheet scales it to the page (paperarchive.css: between 80 % and 125 %)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="{XLINK}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" '
        f'height="{_n(height)}" role="img" class="pa-plot {kind}" font-size="{FONT}" '
        f'style="--pa-w:{_n(width)}px"><title>{escape(title)}</title><desc>{escape(desc)}</desc>'
    )


def _empty(title: str) -> str:
    message = "No papers."
    width, height = text_width(message) + 8, FONT + 8
    return (
        _open(width, height, title, message, "pa-plot--bars")
        + f'<text x="4" y="{FONT + 2}" fill="currentColor">{message}</text></svg>'
    )


def _linked(mark: str, href: str | None) -> str:
    """``mark`` inside a link to ``href`` (as is when None).

    The link is xlink:href, not SVG 2's href: Material's instant navigation rewrites every relative
    ``[href]`` of a page by assigning ``element.href``, which an SVG link has as a getter only (a
    TypeError on every page with a linked plot). Out of the tab order, as the plot is one image to
    assistive technology (role="img"): the pages it links to are linked from the lists beside it,
    where a keyboard reaches them in reading order.
    """
    if href is None:
        return mark
    return f'<a xlink:href={quoteattr(href)} tabindex="-1">{mark}</a>'


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


def _bars(months: list[str], values: list[int], title: str, desc: str, link: Linker[str] | None) -> str:
    """The bars, their value axis and month labels, in a box sized to fit every label."""
    top, step = _axis(max(values))
    ticks = range(0, top + 1, step)
    slot = min(SLOT_MAX, PLOT_MAX_WIDTH / len(months))
    bar = min(slot * 0.8, 48) if slot >= 2 else slot
    plot_width = slot * len(months)
    plot_height = min(PLOT_HEIGHT_MAX, max(PLOT_HEIGHT_MIN, plot_width / 4))
    labels = _month_labels_for_bars(months, slot)
    # margins wide enough for the longest tick label on the left and for month labels centred on
    # their slot: the first and the last may stick out of the bars' area
    left = text_width(str(top)) + 6
    right = 4.0
    if labels:
        first_index, first = labels[0]
        left = max(left, text_width(first) / 2 - slot * (first_index + 0.5) + 2)
        last_index, last = labels[-1]
        right = max(right, text_width(last) / 2 - slot * (len(months) - last_index - 0.5) + 2)
    left, right = math.ceil(left), math.ceil(right)
    width = left + plot_width + right
    height = BAR_TOP + plot_height + BAR_BOTTOM
    baseline = BAR_TOP + plot_height

    def y_of(value: float) -> float:
        return baseline - plot_height * value / top

    parts = [_open(width, height, title, desc, "pa-plot--bars"), f"<g {GRID}>"]
    parts += [f'<path d="M{left} {_n(y_of(t))}H{_n(left + plot_width)}"/>' for t in ticks]
    parts.append('</g><g fill="currentColor" text-anchor="end">')
    parts += [f'<text x="{left - 4}" y="{_n(y_of(t) + 3.5)}">{t}</text>' for t in ticks]
    parts.append('</g><g fill="currentColor" text-anchor="middle">')
    for index, month in labels:
        parts.append(f'<text x="{_n(left + slot * (index + 0.5))}" y="{_n(height - 6)}">{month}</text>')
    parts.append(f'</g><g style="{PRIMARY}">')
    for index, (month, value) in enumerate(zip(months, values, strict=False)):
        x = left + slot * index + (slot - bar) / 2
        mark = (
            f'<rect x="{_n(x)}" y="{_n(y_of(value))}" width="{_n(bar)}" height="{_n(baseline - y_of(value))}">'
            f"<title>{month}: {_papers(value)}</title></rect>"
        )
        parts.append(_linked(mark, link(month) if link else None))
    parts.append("</g></svg>")
    return "".join(parts)


def _month_labels_for_bars(months: list[str], slot: float) -> list[tuple[int, str]]:
    """Every month when there are at most 12; else each January (as its year) and the first month,
    when its label clears the first January's."""
    if len(months) <= 12:
        return list(enumerate(months))
    januaries = [i for i, month in enumerate(months) if month.endswith("-01")]
    labels = [(i, months[i][:4]) for i in januaries]
    room = (januaries[0] * slot) if januaries else math.inf
    if room >= (text_width(months[0]) + text_width("0000")) / 2 + 4:
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
    for day, value in zip(days, values, strict=False):
        monthly[day.strftime("%Y-%m")] = monthly.get(day.strftime("%Y-%m"), 0) + value
    text = f"{total} papers on {active} days from {days[0].isoformat()} to {days[-1].isoformat()}."
    if total:
        best = max(values)
        best_day = days[values.index(best)]
        text += f" Busiest day {best_day.isoformat()}: {_papers(best)}."
    return text + " Per month: " + ", ".join(f"{m}: {v}" for m, v in monthly.items()) + "."


def _month_labels(days: list[date], width: float) -> list[str]:
    """A month's name over the week of its first day, when it clears the previous name and the right edge."""
    parts = ['<g fill="currentColor" fill-opacity=".7">']
    free_from = 0.0
    for index, day in enumerate(days):
        x = CAL_LEFT + (index // 7) * (CELL + GAP)
        name = MONTHS[day.month - 1]
        if day.day == 1 and x >= free_from and x + text_width(name) <= width:
            parts.append(f'<text x="{x}" y="{CAL_TOP - 4}">{name}</text>')
            free_from = x + text_width(name) + 4
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
    """The legend's words, and one swatch per level (drawn inside that level's group), at the right edge."""
    y = height - CELL - 4
    more = width - math.ceil(text_width("More"))
    x = more - 4 - 5 * (CELL + GAP)
    text = (
        f'<g fill="currentColor" fill-opacity=".7"><text x="{x - 4}" y="{y + CELL - 1}" '
        f'text-anchor="end">Less</text><text x="{more}" y="{y + CELL - 1}">More</text></g>'
    )
    lows = (0, 1) + tuple(highest + 1 for highest in bounds[:3])
    highs = (0,) + bounds
    swatches = []
    for level, (lowest, highest) in enumerate(zip(lows, highs, strict=False)):
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
    return text.removesuffix(".0")
