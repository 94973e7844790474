"""Popularity: the most upvoted papers of each ISO week and month, where upvotes are known.

Only the Hugging Face API gives upvotes.  A paper counts for a week (a month) when a Daily Papers
listing featured it on a day of that week (month); its count is the newest one captured
(``Paper.upvotes``), dated by ``Paper.upvotes_on``: the listing day of the API file that gave it.
That is what is knowable: a file saved on a later day for that listing day (``paperarchive fetch``
re-fetches the last three days) is still named by its listing day, and the moment of the capture
itself is kept nowhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .records import Paper
from .sitemodel import SiteContext, month_of, week_of

TOP_SIZE = 20  # papers on a week's or a month's page
FEED_PERIODS = 4  # the newest weeks (months) whose top papers the feed carries
FEED_TOP = 10  # of each


@dataclass(frozen=True)
class Ranked:
    """A paper in a period's top list: its count, the day the count was captured, a day it was featured."""

    paper: Paper
    upvotes: int
    counted_on: date | None
    featured: date  # the first day of the period that featured it


def _top(featured: Mapping[str, date], ctx: SiteContext) -> tuple[Ranked, ...]:
    ranked = [Ranked(p, p.upvotes, p.upvotes_on, featured[pid])
              for pid, p in ((pid, ctx.paper_by_id[pid]) for pid in featured) if p.upvotes is not None]
    ranked.sort(key=lambda r: (-r.upvotes, r.featured, r.paper.id))
    return tuple(ranked[:TOP_SIZE])


def _featured(ctx: SiteContext, period_of) -> dict[str, dict[str, date]]:
    """Period -> the papers featured in it, each with its first day there."""
    featured: dict[str, dict[str, date]] = defaultdict(dict)
    for pid, days in ctx.featured_on.items():
        for day, _ in days:
            featured[period_of(day)].setdefault(pid, day)
    return featured


def featured_counts(ctx: SiteContext, period: str) -> tuple[int, int]:
    """(papers featured in ``period``, a week "2025-W10" or a month "2025-03"; those of them with known upvotes)."""
    period_of = week_of if "-W" in period else month_of
    papers = _featured(ctx, period_of).get(period, {})
    return len(papers), sum(ctx.paper_by_id[pid].upvotes is not None for pid in papers)


def _tops(ctx: SiteContext, period_of) -> dict[str, tuple[Ranked, ...]]:
    found = {period: _top(papers, ctx) for period, papers in sorted(_featured(ctx, period_of).items())}
    return {period: top for period, top in found.items() if top}


def top_of_weeks(ctx: SiteContext) -> dict[str, tuple[Ranked, ...]]:
    """ISO week ("2025-W47") -> its most upvoted featured papers, most first; weeks without counts left out."""
    return _tops(ctx, week_of)


def top_of_months(ctx: SiteContext) -> dict[str, tuple[Ranked, ...]]:
    """Month ("2025-11") -> its most upvoted featured papers, most first; months without counts left out."""
    return _tops(ctx, month_of)


def feed_selection(tops: Mapping[str, tuple[Ranked, ...]]) -> tuple[Paper, ...]:
    """What a top feed carries: the ``FEED_TOP`` most upvoted of each of the newest ``FEED_PERIODS`` periods."""
    chosen: dict[str, Paper] = {}
    for period in list(tops)[-FEED_PERIODS:]:
        for r in tops[period][:FEED_TOP]:
            chosen.setdefault(r.paper.id, r.paper)
    return tuple(chosen.values())
