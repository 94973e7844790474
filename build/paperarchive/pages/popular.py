"""The most upvoted papers: ``popular/`` (every week and month with counts), ``popular/weeks/<week>/``
and ``popular/months/<month>/`` (its top papers, most upvoted first, each count with its capture day)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..escaping import esc, href
from ..popularity import TOP_SIZE, Ranked, featured_counts, top_of_months, top_of_weeks
from ..sitemodel import SiteContext
from ..urls import (
    FEEDS,
    POPULAR,
    POPULAR_MONTHS,
    POPULAR_WEEKS,
    day_url,
    feed_url,
    month_url,
    paper_url,
    popular_month_url,
    popular_week_url,
    src_for_url,
    week_url,
)
from .listings import listing_page, prev_next, week_title
from .parts import TITLE_SHOWN_MAX, cut, long_date, month_title, plural, title_html

COUNTS_NOTE = ("Upvotes are Hugging Face's, as its API gave them: each count is the newest the archive "
               "captured, dated by the listing day of the capture. Papers known only from saved listing pages "
               "have no count and are not ranked.")


def popular_pages(ctx: SiteContext) -> dict[str, str]:
    """The index (saying so when no upvotes are known) and a page per week and per month that has papers
    with known upvotes."""
    weeks, months = top_of_weeks(ctx), top_of_months(ctx)
    pages = {src_for_url(POPULAR): _index(POPULAR, weeks, months)}
    if not weeks:
        return pages
    pages[src_for_url(POPULAR_WEEKS)] = _index(POPULAR_WEEKS, weeks, None)
    pages[src_for_url(POPULAR_MONTHS)] = _index(POPULAR_MONTHS, None, months)
    pages.update(_period_pages(ctx, weeks, popular_week_url, week_title, week_url, "week"))
    pages.update(_period_pages(ctx, months, popular_month_url, month_title, month_url, "month"))
    return pages


def ranked_item(ctx: SiteContext, r: Ranked, here: str) -> str:
    counted = f', counted on <time datetime="{r.counted_on.isoformat()}">{long_date(r.counted_on)}</time>' if r.counted_on else ""
    return (f'<li><a href="{href(here, paper_url(r.paper.id))}">{title_html(r.paper.title)}</a><br>'
            f'<span class="pa-upvotes"><strong>{plural(r.upvotes, "upvote")}</strong>{counted}</span>'
            f' · featured <a href="{href(here, day_url(r.featured))}">{long_date(r.featured)}</a></li>')


def _period_pages(ctx: SiteContext, tops: Mapping[str, tuple[Ranked, ...]], url_of: Callable[[str], str],
                  title_of: Callable[[str], str], listing_of: Callable[[str], str], kind: str) -> dict[str, str]:
    periods: Sequence[str] = list(tops)
    pages = {}
    for i, period in enumerate(periods):
        here = url_of(period)
        prev = periods[i - 1] if i else None
        following = periods[i + 1] if i + 1 < len(periods) else None
        title = f"Top of the {kind}: {title_of(period)}"
        rows = "\n".join(ranked_item(ctx, r, here) for r in tops[period])
        body = "".join([
            f'<nav class="pa-crumbs"><a href="{href(here, POPULAR)}">Most upvoted</a></nav>\n',
            prev_next(here, prev and (url_of(prev), title_of(prev)), following and (url_of(following), title_of(following))),
            _intro(ctx, here, period, listing_of, title_of(period)),
            f'<ol class="pa-papers pa-top">\n{rows}\n</ol>\n',
        ])  # fmt: skip
        pages[src_for_url(here)] = listing_page(title, title, body)
    return pages


def _intro(ctx: SiteContext, here: str, period: str, listing_of: Callable[[str], str], title: str) -> str:
    featured, counted = featured_counts(ctx, period)
    if counted == 1:
        which = "1 has a known upvote count, shown here."
    elif counted <= TOP_SIZE:
        which = f"{counted:,} have a known upvote count, here most upvoted first."
    else:
        which = f"{counted:,} have a known upvote count: here the {TOP_SIZE} most upvoted, most first."
    return (f'<p>Of the {plural(featured, "paper")} featured in <a href="{href(here, listing_of(period))}">{title}</a>, '
            f"{which} {COUNTS_NOTE}</p>\n")


def _index(here: str, weeks: Mapping[str, tuple[Ranked, ...]] | None, months: Mapping[str, tuple[Ranked, ...]] | None) -> str:
    """``popular/`` (weeks and months), ``popular/weeks/`` or ``popular/months/`` (the page of their feeds)."""

    def section(heading: str, anchor: str, tops: Mapping[str, tuple[Ranked, ...]], url_of, title_of, feeds: str) -> str:
        items = "\n".join(
            f'<li><a href="{href(here, url_of(period))}">{title_of(period)}</a>: '
            f'<a href="{href(here, paper_url(top[0].paper.id))}"><bdi>{esc(cut(top[0].paper.title, TITLE_SHOWN_MAX))}</bdi></a>'
            f" ({plural(top[0].upvotes, 'upvote')})</li>"
            for period, top in reversed(tops.items())
        )
        links = " · ".join(f'<a href="{href(here, feed_url(feeds, name))}" type="{mime}">{label}</a>'
                           for name, mime, label in FEEDS)
        return (f'<h2 id="{anchor}">{heading}</h2>\n<p class="pa-feeds">Feeds of the top papers of the newest {anchor}: '
                f"{links}</p>\n<ul>\n{items}\n</ul>\n")

    crumb = "" if here == POPULAR else f'<nav class="pa-crumbs"><a href="{href(here, POPULAR)}">Most upvoted</a></nav>\n'
    none = "" if weeks or months else "<p>No upvotes are known yet: only papers from the Hugging Face API have them.</p>\n"
    body = "".join([
        crumb,
        f"<p>The papers of each week and month with the most upvotes on Hugging Face. {COUNTS_NOTE}</p>\n",
        none,
        section("Top of the week", "weeks", weeks, popular_week_url, week_title, POPULAR_WEEKS) if weeks else "",
        section("Top of the month", "months", months, popular_month_url, month_title, POPULAR_MONTHS) if months else "",
    ])  # fmt: skip
    title = {POPULAR: "Most upvoted", POPULAR_WEEKS: "Top of the week", POPULAR_MONTHS: "Top of the month"}[here]
    return listing_page(title, title, body)
