"""The entry pages: home, the days index, the topics index, the organizations index."""

from __future__ import annotations

from .. import plots
from ..escaping import esc, front_matter, href
from ..sitemodel import SiteContext
from ..urls import (
    ABOUT,
    DAYS_INDEX,
    HOME,
    ORGS_INDEX,
    POPULAR,
    TOPICS_INDEX,
    UNDATED,
    day_url,
    month_url,
    org_url,
    topic_url,
    year_url,
)
from .listings import LISTING_TEMPLATE, month_link, month_summary, paginated_listing
from .parts import (
    WEEKDAYS,
    feed_links,
    figure,
    long_date,
    month_title,
    paper_item,
    plural,
)

LATEST_DAYS_ON_HOME = 14
RECENT_ON_HOME = 15  # recently published papers on a home page without any featured day
ORGS_PER_INDEX_PAGE = 500


def home_page(ctx: SiteContext) -> str:
    here = HOME
    out = [
        front_matter(title="Home", template=LISTING_TEMPLATE),
        '<div class="pa-listing pa-home">\n',
        f'<h1 class="pa-home-title">{esc(ctx.identity.name)}</h1>\n',
        f'<p class="pa-description">{esc(ctx.identity.description)}</p>\n' if ctx.identity.description else "",
        _headline(ctx),
        (f'<p class="pa-browse">Search with the box at the top, browse by '
        f'<a href="{href(here, DAYS_INDEX)}">day</a>, by <a href="{href(here, TOPICS_INDEX)}">topic</a> or by '
        f'<a href="{href(here, ORGS_INDEX)}">organization</a>, see the <a href="{href(here, POPULAR)}">most upvoted</a>, '
        f'or read <a href="{href(here, ABOUT)}">about the archive</a>.</p>\n'),
        feed_links(here, ""),
    ]
    if ctx.days:
        out.append(_latest_day(ctx, here))
        counts = {d: len(ctx.by_day[d]) for d in ctx.days}
        out.append(figure(plots.calendar_heatmap_svg(
            counts, ctx.days[-1], link=lambda d: href(here, day_url(d)) if d in ctx.by_day else None)))
        latest = ctx.days[-LATEST_DAYS_ON_HOME:][::-1]
        items = "\n".join(
            f'<li><a href="{href(here, day_url(d))}">{WEEKDAYS[d.weekday()]}, {long_date(d)}</a> '
            f'({plural(len(ctx.by_day[d]), "paper")})</li>'
            for d in latest
        )
        out.append(f'<h2 id="latest-days">Latest days</h2>\n<ul class="pa-latest">\n{items}\n</ul>\n')
    else:
        out.append(_recently_published(ctx, here))
    out.append('<h2 id="topics">Topics</h2>\n')
    with_papers = [t for t in ctx.topics if ctx.by_topic[t.id]]  # an empty topic is listed on the topics index only
    items = "\n".join(
        f'<li><a href="{href(here, topic_url(t.id))}">{esc(t.name)}</a> ({len(ctx.by_topic[t.id]):,})</li>'
        for t in sorted(with_papers, key=lambda t: (-len(ctx.by_topic[t.id]), t.id))
    )
    out.append(f'<ul class="pa-home-topics">\n{items}\n</ul>\n' if items else "<p>No topic has papers yet.</p>\n")
    empty = len(ctx.topics) - len(with_papers)
    if empty:
        out.append(f'<p>{plural(empty, "topic")} without papers yet: <a href="{href(here, TOPICS_INDEX)}">all topics</a>.</p>\n')
    out.append("</div>\n")
    return "".join(out)


def _headline(ctx: SiteContext) -> str:
    """The archive in plain counts: papers, how many have a publication date, how many were featured."""
    featured = len(ctx.featured_on)
    span = f" from {long_date(ctx.days[0])} to {long_date(ctx.days[-1])}" if ctx.days else ""
    days = (f'{plural(featured, "paper")} featured on {plural(len(ctx.days), "Daily Papers day")}{span}'
            if ctx.days else "no Daily Papers day (no daily listing has been ingested)")
    return (
        f'<p class="pa-totals">{plural(len(ctx.papers), "paper")}: {ctx.dated_count:,} with a publication date, '
        f'{len(ctx.undated):,} without; {days}; {plural(len(ctx.topics), "topic")}.</p>\n'
    )


def _latest_day(ctx: SiteContext, here: str) -> str:
    d = ctx.days[-1]
    papers = ctx.by_day[d]
    items = "\n".join(paper_item(ctx, p, here, full=True) for p in papers)
    return (
        f'<h2 id="latest"><a href="{href(here, day_url(d))}">{WEEKDAYS[d.weekday()]}, {long_date(d)}</a></h2>\n'
        f'<p>The latest day in the archive: {plural(len(papers), "paper")} featured, in the listing\'s order.</p>\n'
        f'<ol class="pa-papers">\n{items}\n</ol>\n'
    )


def _recently_published(ctx: SiteContext, here: str) -> str:
    recent = [p for p in sorted(ctx.papers, key=_newest_published) if p.published][:RECENT_ON_HOME]
    if not recent:
        return "<p>No paper has a publication date yet.</p>\n"
    items = "\n".join(paper_item(ctx, p, here, full=True) for p in recent)
    return (
        '<h2 id="recent">Recently published</h2>\n'
        "<p>No Daily Papers listing is in the archive yet, so no day shows what Hugging Face featured. "
        f'The {plural(len(recent), "paper")} published most recently:</p>\n'
        f'<ol class="pa-papers">\n{items}\n</ol>\n'
    )


def _newest_published(p):
    return (-(p.published.toordinal() if p.published else 0), p.id)


def days_index(ctx: SiteContext) -> str:
    """Every year and month with its counts, linked to the year and month pages (which list the days):
    bounded by the number of months, where a list of every day grew to 359 KB at 50,000 papers."""
    here = DAYS_INDEX
    featured = len(ctx.featured_on)
    out = [
        front_matter(title="Days"),
        "# Days\n\n",
        (f'<p>{plural(featured, "paper")} featured on {plural(len(ctx.days), "Daily Papers day")}; '
        f'{plural(ctx.dated_count, "paper")} with a publication date, by month of publication, newest month first.'),
    ]
    if ctx.undated:
        out.append(f' <a href="{href(here, UNDATED)}">{plural(len(ctx.undated), "paper")} without a date</a>.')
    out.append("</p>\n\n")
    if ctx.months:
        if ctx.days:
            counts = {m: ctx.featured_count(days) for m, days in ctx.by_month.items()}
            title = "Papers featured per month"
        else:
            counts = {m: len(papers) for m, papers in ctx.published_in.items()}
            title = "Papers published per month"
        out.append(figure(plots.monthly_bars_svg(counts, title=title, link=month_link(ctx, here))) + "\n")
        for year, months in reversed(ctx.months_of_year().items()):
            out.append(
                f'<h2 id="y{year}"><a href="{href(here, year_url(year))}">{year}</a></h2>\n'
            )
            items = "\n".join(
                f'<li><a href="{href(here, month_url(m))}">{month_title(m)}</a> <span>({month_summary(ctx, m)})</span></li>'
                for m in reversed(months)
            )
            out.append(f'<ul class="pa-months">\n{items}\n</ul>\n\n')
    return "".join(out)


def topics_index(ctx: SiteContext) -> str:
    here = TOPICS_INDEX
    rows = "\n".join(
        (f'<tr><td><a href="{href(here, topic_url(t.id))}">{esc(t.name)}</a></td>'
         f"<td>{len(ctx.by_topic[t.id]):,}</td><td>{esc(t.description)}</td></tr>") if ctx.by_topic[t.id] else
        (f'<tr class="pa-topic--empty"><td><a href="{href(here, topic_url(t.id))}">{esc(t.name)}</a></td>'
         f"<td>none yet</td><td>{esc(t.description)}</td></tr>")
        for t in ctx.topics
    )
    untopical = sum(1 for p in ctx.papers if not ctx.topics_of[p.id])
    return "".join(
        [
            front_matter(title="Topics"),
            "# Topics\n\n",
            (f"<p>{plural(len(ctx.topics), 'topic')}, matched on each paper's title and abstract; "
            f"a paper may belong to several. {plural(untopical, 'paper')} match no topic.</p>\n\n"),
            ('<table class="pa-topics-table">\n<thead><tr><th>Topic</th><th>Papers</th><th>About</th></tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>\n"),
        ]
    )


def orgs_index_pages(ctx: SiteContext) -> dict[str, str]:
    with_org = sum(len(v) for v in ctx.by_org.values())
    intro = (
        f"<p>{plural(len(ctx.orgs), 'organization')} with {plural(with_org, 'paper')}, "
        "most papers first (papers listed with an author count instead have no organization).</p>\n"
    )

    def item(org, here: str) -> str:
        return f'<li><a href="{href(here, org_url(org.id))}">{esc(org.name)}</a> <span>({len(ctx.by_org[org.id]):,})</span></li>'

    return paginated_listing(ORGS_INDEX, "Organizations", "Organizations", lambda here: intro, ctx.orgs, item,
                             ORGS_PER_INDEX_PAGE, list_class="pa-orgs", list_attrs=' data-pa-filter="organizations"',
                             empty="<p>No organizations yet.</p>\n")
