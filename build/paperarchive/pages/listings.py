"""Listing pages: a day, a week, a month, a year, a topic, an organization, the undated papers.

Every listing is one scaffold (``listing_page``: front matter, heading, body), paginated by
``paginated_listing``; days, weeks, months and years link their neighbours with ``prev_next``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from .. import plots
from ..escaping import esc, front_matter, href
from ..sitemodel import Org, SiteContext, TopicLike, month_of, week_of
from ..urls import (
    DAYS_INDEX,
    ORG_FEEDS,
    ORGS_INDEX,
    UNDATED,
    bib_path,
    day_url,
    month_url,
    org_url,
    page_url,
    src_for_url,
    topic_url,
    week_url,
    year_url,
)
from .parts import (
    MONTHS,
    WEEKDAYS,
    feed_links,
    figure,
    long_date,
    month_title,
    monthly_counts,
    paper_item,
    plural,
    title_item,
)

LISTING_TEMPLATE = "listing.html"

Item = TypeVar("Item")


# ---------------------------------------------------------------- the scaffold


def listing_page(title: str, heading: str, body: str, meta: Mapping[str, str] | None = None) -> str:
    """A listing page: front matter, one raw-HTML block with the heading and the body."""
    return "".join([
        front_matter(title=title, template=LISTING_TEMPLATE, **(meta or {})),
        '<div class="pa-listing">\n',
        f"<h1>{esc(heading)}</h1>\n",
        body,
        "</div>\n",
    ])  # fmt: skip


def paginated_listing(
    base: str,
    title: str,
    heading: str,
    intro: Callable[[str], str],
    items: Sequence[Item],
    item_html: Callable[[Item, str], str],
    per_page: int,
    *,
    list_class: str = "pa-papers",
    list_attrs: str = "",
    empty: str = "<p>No papers yet.</p>\n",
    meta: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """``items`` ``per_page`` to a page (base, base/page/2/, ...), each page headed by ``intro(here)``
    and a pager; ``item_html(item, here)`` is one list item."""
    pages: dict[str, str] = {}
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [items]
    for number, chunk in enumerate(chunks, start=1):
        here = page_url(base, number)
        suffix = f" (page {number} of {len(chunks)})" if len(chunks) > 1 else ""
        pager = _pager(here, base, number, len(chunks))
        rows = "\n".join(item_html(item, here) for item in chunk)
        start = (number - 1) * per_page + 1
        listing = f'<ol class="{list_class}"{list_attrs} start="{start}">\n{rows}\n</ol>\n' if chunk else empty
        body = "".join([intro(here), pager, listing, pager])
        pages[src_for_url(here)] = listing_page(title + suffix, heading + suffix, body, meta)
    return pages


def _pager(from_url: str, base: str, number: int, pages: int) -> str:
    if pages <= 1:
        return ""
    parts = []
    if number > 1:
        parts.append(f'<a rel="prev" href="{href(from_url, page_url(base, number - 1))}">← Previous page</a>')
    parts.append(f"<span>Page {number} of {pages}</span>")
    if number < pages:
        parts.append(f'<a rel="next" href="{href(from_url, page_url(base, number + 1))}">Next page →</a>')
    return f'<nav class="pa-pager">{" ".join(parts)}</nav>\n'


def prev_next(here: str, prev: tuple[str, str] | None, following: tuple[str, str] | None) -> str:
    """Links to the previous and next page of a series (days, months, years): each (url, label)."""
    links = []
    if prev:
        links.append(f'<a rel="prev" href="{href(here, prev[0])}">← {prev[1]}</a>')
    if following:
        links.append(f'<a rel="next" href="{href(here, following[0])}">{following[1]} →</a>')
    return f'<nav class="pa-days">{" · ".join(links)}</nav>\n' if links else ""


def _neighbours(series: Sequence[str], current: str) -> tuple[str | None, str | None]:
    i = series.index(current)
    return (series[i - 1] if i > 0 else None), (series[i + 1] if i + 1 < len(series) else None)


def crumbs(here: str, year: str | None = None, month: str | None = None, week: str | None = None) -> str:
    """All days › 2025 › November 2025 › Week 48: where a day, week, month or year page sits."""
    links = [f'<a href="{href(here, DAYS_INDEX)}">All days</a>']
    if year:
        links.append(f'<a href="{href(here, year_url(year))}">{year}</a>')
    if month:
        links.append(f'<a href="{href(here, month_url(month))}">{month_title(month)}</a>')
    if week:
        links.append(f'<a href="{href(here, week_url(week))}">{week_title(week)}</a>')
    return f'<nav class="pa-crumbs">{" › ".join(links)}</nav>\n'


def week_title(week: str) -> str:
    return f"Week {int(week[6:])} of {week[:4]}"


def _bib_link(here: str, url: str, what: str) -> str:
    return f'<p class="pa-cite"><a href="{href(here, bib_path(url))}" download>BibTeX of {what}</a></p>\n'


def _paper_listing(ctx: SiteContext, base: str, title: str, heading: str, intro: Callable[[str], str],
                   papers, full: bool, meta: Mapping[str, str] | None = None) -> dict[str, str]:
    return paginated_listing(base, title, heading, intro, papers, lambda p, here: paper_item(ctx, p, here, full),
                             ctx.per_page, meta=meta)


def hugging_face_day_url(d: date) -> str:
    return f"https://huggingface.co/papers/date/{d.isoformat()}"


# ---------------------------------------------------------------- days, weeks, months, years


def day_pages(ctx: SiteContext, d: date) -> dict[str, str]:
    """The papers a Daily Papers listing featured on day ``d``, in the listing's order."""
    prev, following = ctx.prev_day(d), ctx.next_day(d)
    papers = ctx.by_day[d]

    def intro(here: str) -> str:
        days = prev_next(here, prev and (day_url(prev), long_date(prev)),
                         following and (day_url(following), long_date(following)))
        return "".join([
            crumbs(here, str(d.year), month_of(d), week_of(d)),
            days,
            (f'<p>{plural(len(papers), "paper")} featured on Hugging Face Daily Papers this day, in the listing\'s order '
            f'(<a href="{hugging_face_day_url(d)}" rel="nofollow">the day on Hugging Face</a>), '
            'each with its publication date.</p>\n'),
            _bib_link(here, day_url(d), "this day's papers"),
        ])  # fmt: skip

    heading = f"{WEEKDAYS[d.weekday()]}, {long_date(d)}"
    return _paper_listing(ctx, day_url(d), f"Papers of {long_date(d)}", heading, intro, papers, full=True)


def week_pages(ctx: SiteContext, week: str) -> dict[str, str]:
    """An ISO week: its featured days, each with its papers (titles only; the day page has the rest)."""
    here = week_url(week)
    days = ctx.by_week[week]
    prev, following = _neighbours(ctx.weeks, week)
    sections = "".join(
        f'<h2 id="d{d.isoformat()}"><a href="{href(here, day_url(d))}">{WEEKDAYS[d.weekday()]}, {long_date(d)}</a></h2>\n'
        f'<ol class="pa-papers">\n' + "\n".join(title_item(ctx, p, here) for p in ctx.by_day[d]) + "\n</ol>\n"
        for d in days
    )
    body = "".join([
        crumbs(here, week[:4]),
        prev_next(here, prev and (week_url(prev), week_title(prev)), following and (week_url(following), week_title(following))),
        f'<p class="pa-month-total">{plural(ctx.featured_count(days), "paper")} featured {_days_span(days)}.</p>\n',
        sections,
    ])  # fmt: skip
    title = week_title(week)
    return {src_for_url(here): listing_page(title, title, body)}


def _days_span(days: Sequence[date]) -> str:
    if len(days) == 1:
        return f"on {long_date(days[0])}"
    return f"on {plural(len(days), 'day')}, from {long_date(days[0])} to {long_date(days[-1])}"


def undated_pages(ctx: SiteContext) -> dict[str, str]:
    def intro(here: str) -> str:
        return (
            "<p>These papers were listed without a publication date; they are part of the archive "
            f'like every other paper. <a href="{href(here, DAYS_INDEX)}">All days</a></p>\n'
        )

    title = "Papers without a date"
    return _paper_listing(ctx, UNDATED, title, title, intro, ctx.undated, full=True)


def month_pages(ctx: SiteContext, month: str) -> dict[str, str]:
    """A month: its featured days with their counts (the papers are on the day pages), then the papers
    published that month, newest first, paginated."""
    base = month_url(month)
    days = ctx.by_month[month]
    published = ctx.published_in[month]
    prev, following = _neighbours(ctx.months, month)

    def intro(here: str) -> str:
        parts = [
            crumbs(here, month[:4]),
            prev_next(here, prev and (month_url(prev), month_title(prev)),
                      following and (month_url(following), month_title(following))),
        ]
        if here == base:
            if days:
                parts.append(f'<p class="pa-month-total">{plural(ctx.featured_count(days), "paper")} featured on '
                             f'{plural(len(days), "day")}, newest day first.</p>\n')
                parts.append(_day_list(ctx, here, days))
            else:
                parts.append('<p class="pa-month-total">No Daily Papers listing of this month is in the archive.</p>\n')
        parts.append(f'<h2 id="published">Published in {month_title(month)}</h2>\n'
                     f'<p>{plural(len(published), "paper")}, newest first.</p>\n')
        return "".join(parts)

    title = month_title(month)
    return _paper_listing(ctx, base, title, title, intro, published, full=False)


def _day_list(ctx: SiteContext, here: str, days: Sequence[date]) -> str:
    items = " ".join(
        f'<li><a href="{href(here, day_url(d))}">{d.day} {MONTHS[d.month - 1][:3]}</a> <span>({len(ctx.by_day[d])})</span></li>'
        for d in reversed(days)
    )
    return f'<ul class="pa-day-list">{items}</ul>\n'


def month_summary(ctx: SiteContext, month: str) -> str:
    """"12 papers featured on 3 days, 40 published": a month's counts, as the year and days index show them."""
    days = ctx.by_month[month]
    featured = f'{plural(ctx.featured_count(days), "paper")} featured on {plural(len(days), "day")}, ' if days else ""
    return f"{featured}{len(ctx.published_in[month]):,} published"


def year_page(ctx: SiteContext, year: str, months: Sequence[str]) -> dict[str, str]:
    here = year_url(year)
    featured = {m: ctx.featured_count(ctx.by_month[m]) for m in months}
    published = {m: len(ctx.published_in[m]) for m in months}
    prev, following = _neighbours(list(ctx.months_of_year()), year)
    rows = "\n".join(
        f'<li><a href="{href(here, month_url(m))}">{month_title(m)}</a> <span>({month_summary(ctx, m)})</span></li>'
        for m in reversed(months)
    )
    weeks = ctx.weeks_of_year(year)
    week_links = " ".join(f'<li><a href="{href(here, week_url(w))}">W{w[6:]}</a></li>' for w in reversed(weeks))
    counts, chart = (featured, "featured") if any(featured.values()) else (published, "published")
    body = "".join([
        crumbs(here),
        prev_next(here, prev and (year_url(prev), prev), following and (year_url(following), following)),
        (f'<p class="pa-month-total">{plural(sum(featured.values()), "paper")} featured on Daily Papers, '
        f'{plural(sum(published.values()), "paper")} published, in {plural(len(months), "month")}.</p>\n'),
        f'<ul class="pa-months">\n{rows}\n</ul>\n',
        f'<h2 id="weeks">Weeks</h2>\n<ul class="pa-day-list">{week_links}</ul>\n' if weeks else "",
        figure(plots.monthly_bars_svg(counts, title=f"Papers {chart} per month in {year}", link=month_link(ctx, here))),
    ])  # fmt: skip
    return {src_for_url(here): listing_page(f"Papers of {year}", year, body)}


# ---------------------------------------------------------------- topics and organizations


def topic_pages(ctx: SiteContext, topic: TopicLike) -> dict[str, str]:
    base = topic_url(topic.id)
    papers = ctx.by_topic[topic.id]
    counts = monthly_counts(papers)

    def intro(here: str) -> str:
        parts = [
            f'<p class="pa-description">{esc(topic.description)}</p>\n<p>{plural(len(papers), "paper")}, newest first.</p>\n',
            feed_links(here, base),
            _bib_link(here, base, "this topic's papers"),
        ]
        if here == base and counts:
            parts.append(figure(plots.monthly_bars_svg(counts, title=f"{topic.name}: papers per month",
                                                       link=month_link(ctx, here))))
        return "".join(parts)

    # main.html links the topic's feeds with <link rel="alternate"> from these two fields
    meta = {"feeds": base, "feeds_title": f"{ctx.identity.name}: {topic.name}"}
    return _paper_listing(ctx, base, topic.name, topic.name, intro, papers, full=False, meta=meta)


def org_pages(ctx: SiteContext, org: Org) -> dict[str, str]:
    base = org_url(org.id)
    papers = ctx.by_org[org.id]

    def intro(here: str) -> str:
        parts = [
            f'<p>{plural(len(papers), "paper")} listed with this organization, newest first. '
            f'<a href="{href(here, ORGS_INDEX)}">All organizations</a></p>\n',
            feed_links(here, base, ORG_FEEDS),
            _bib_link(here, base, "this organization's papers"),
        ]
        if here == base:
            parts.append(figure(plots.papers_per_month_svg(
                (p.published for p in papers), title=f"{org.name}: papers per month", link=month_link(ctx, here))))
        return "".join(parts)

    meta = {"feeds": base, "feeds_title": f"{ctx.identity.name}: {org.name}", "feeds_only": ORG_FEEDS[0][0]}
    return _paper_listing(ctx, base, org.name, org.name, intro, papers, full=False, meta=meta)


def month_link(ctx: SiteContext, here: str):
    """A chart's link maker: a month's bar links to its month page, where there is one."""
    months = set(ctx.months)
    return lambda m: href(here, month_url(m)) if m in months else None
