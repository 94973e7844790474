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
    TOPICS_INDEX,
    UNDATED,
    day_url,
    month_url,
    org_url,
    topic_url,
    year_url,
)
from .listings import paginated_listing
from .parts import WEEKDAYS, feed_links, figure, long_date, month_title, plural

LATEST_DAYS_ON_HOME = 14
ORGS_PER_INDEX_PAGE = 500


def home_page(ctx: SiteContext) -> str:
    here = HOME
    latest = ctx.days[-LATEST_DAYS_ON_HOME:][::-1]
    span = f" from {long_date(ctx.days[0])} to {long_date(ctx.days[-1])}" if ctx.days else ""
    out = [
        front_matter(title="Home"),
        f"# {esc(ctx.identity.name)}\n\n",
        (f'<p class="pa-totals">{plural(len(ctx.papers), "paper")} on {plural(len(ctx.days), "day")}{span}, '
        f'in {plural(len(ctx.topics), "topic")}. Search them with the box at the top, browse them by '
        f'<a href="{href(here, DAYS_INDEX)}">day</a>, by <a href="{href(here, TOPICS_INDEX)}">topic</a> or by '
        f'<a href="{href(here, ORGS_INDEX)}">organization</a>, '
        f'or read <a href="{href(here, ABOUT)}">about the archive</a>.</p>\n'),
        feed_links(here, ""),
        "\n",
    ]
    if ctx.days:
        counts = {d: len(ctx.by_day[d]) for d in ctx.days}
        out.append(figure(plots.calendar_heatmap_svg(counts, ctx.days[-1])) + "\n")
    out.append("## Latest days\n\n")
    if latest:
        items = "\n".join(
            f'<li><a href="{href(here, day_url(d))}">{WEEKDAYS[d.weekday()]}, {long_date(d)}</a> ({plural(len(ctx.by_day[d]), "paper")})</li>'
            for d in latest
        )
        out.append(f'<ul class="pa-latest">\n{items}\n</ul>\n\n')
    else:
        out.append("<p>No dated papers yet.</p>\n\n")
    out.append("## Topics\n\n")
    items = "\n".join(
        f'<li><a href="{href(here, topic_url(t.id))}">{esc(t.name)}</a> ({len(ctx.by_topic[t.id]):,})</li>'
        for t in sorted(ctx.topics, key=lambda t: (-len(ctx.by_topic[t.id]), t.id))
    )
    out.append(f'<ul class="pa-home-topics">\n{items}\n</ul>\n')
    return "".join(out)


def days_index(ctx: SiteContext) -> str:
    """Every year and month with its counts, linked to the year and month pages (which list the days):
    bounded by the number of months, where a list of every day grew to 359 KB at 50,000 papers."""
    here = DAYS_INDEX
    out = [
        front_matter(title="Days"),
        "# Days\n\n",
        f'<p>{plural(len(ctx.papers) - len(ctx.undated), "dated paper")} on {plural(len(ctx.days), "day")}, newest month first.',
    ]
    if ctx.undated:
        out.append(f' <a href="{href(here, UNDATED)}">{plural(len(ctx.undated), "paper")} without a date</a>.')
    out.append("</p>\n\n")
    if ctx.by_month:
        counts = {m: sum(len(ctx.by_day[d]) for d in days) for m, days in ctx.by_month.items()}
        out.append(figure(plots.monthly_bars_svg(counts)) + "\n")
        for year, months in reversed(ctx.months_of_year().items()):
            total = sum(counts[m] for m in months)
            out.append(
                f'<h2 id="y{year}"><a href="{href(here, year_url(year))}">{year}</a></h2>\n'
                f'<p class="pa-month-total">{plural(total, "paper")} in {plural(len(months), "month")}</p>\n'
            )
            items = "\n".join(
                f'<li><a href="{href(here, month_url(m))}">{month_title(m)}</a> '
                f'<span>({plural(counts[m], "paper")} on {plural(len(ctx.by_month[m]), "day")})</span></li>'
                for m in reversed(months)
            )
            out.append(f'<ul class="pa-months">\n{items}\n</ul>\n\n')
    return "".join(out)


def topics_index(ctx: SiteContext) -> str:
    here = TOPICS_INDEX
    rows = "\n".join(
        f'<tr><td><a href="{href(here, topic_url(t.id))}">{esc(t.name)}</a></td>'
        f"<td>{len(ctx.by_topic[t.id]):,}</td><td>{esc(t.description)}</td></tr>"
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
                             ORGS_PER_INDEX_PAGE, list_class="pa-orgs", empty="<p>No organizations yet.</p>\n")
