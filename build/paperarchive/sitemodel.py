"""The site model: everything the pages (and the files beside them) need, computed once.

``build_context`` takes every input explicitly (the papers, the taxonomy, the related papers, the site's
identity) and computes every grouping once into a frozen ``SiteContext``. Nothing is read from globals or
from the output.

A day is a day Hugging Face Daily Papers featured papers: a paper's source with a ``rank`` (an API file,
or a saved page that ``parse.is_daily_listing`` accepts) puts it on day ``listed`` at that place. Weeks
(ISO) and months gather those days; months also gather the papers published in them, which is how a
paper never featured is reached by date.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from . import bibtex
from .records import Paper
from .urls import org_slug

if TYPE_CHECKING:
    from .pages.parts import PaperParts

PER_PAGE = 200  # papers per listing page: a day-style page of 200 is ~130 KB, below the 200 KB cap
RELATED_COUNT = 5  # related papers shown on a paper page


class TopicLike(Protocol):
    id: str
    name: str
    description: str


class TaxonomyLike(Protocol):
    topics: Sequence[TopicLike]

    def assign(self, title: str, abstract: str) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class SiteIdentity:
    """Who publishes the site, from mkdocs.yml: a fork names itself there and nowhere else."""

    name: str
    description: str = ""
    author: str = ""
    repo_url: str = ""
    copyright: str = ""
    site_url: str | None = None  # absolute; feeds need it

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SiteIdentity:
        """From a loaded mkdocs.yml (``site_name``, ``site_description``, ``site_author``, ``repo_url``,
        ``copyright``, ``site_url``); a missing value is empty."""
        def text(key: str) -> str:
            return str(config.get(key) or "")

        return cls(
            name=text("site_name"),
            description=text("site_description"),
            author=text("site_author"),
            repo_url=text("repo_url"),
            copyright=text("copyright"),
            site_url=text("site_url") or None,
        )


@dataclass(frozen=True)
class Org:
    """An organization as the site shows it: ``id`` is its URL slug (orgs/<id>/), ``name`` its display name."""

    id: str
    name: str


@dataclass(frozen=True)
class SiteContext:
    """Everything the pages need, computed once from the papers and the taxonomy."""

    papers: tuple[Paper, ...]  # by id
    topics: tuple[TopicLike, ...]  # taxonomy order
    topics_of: Mapping[str, tuple[str, ...]]  # paper id -> topic ids, taxonomy order
    days: tuple[date, ...]  # days a Daily Papers listing featured papers on, oldest first
    by_day: Mapping[date, tuple[Paper, ...]]  # each featured day's papers, in the listing's order
    featured_on: Mapping[str, tuple[tuple[date, int], ...]]  # paper id -> (day, place), oldest first
    weeks: tuple[str, ...]  # ISO weeks ("2026-W34") with featured days, oldest first
    by_week: Mapping[str, tuple[date, ...]]  # week -> its featured days, oldest first
    months: tuple[str, ...]  # "YYYY-MM" with a featured day or a published paper, oldest first
    by_month: Mapping[str, tuple[date, ...]]  # month -> its featured days (maybe none), oldest first
    published_in: Mapping[str, tuple[Paper, ...]]  # month -> papers published then, newest first
    by_topic: Mapping[str, tuple[Paper, ...]]  # newest published first, undated last
    undated: tuple[Paper, ...]  # papers without a publication date, by id
    redirects: Mapping[str, str]  # retired id -> kept id (never a live id)
    newest_date: date | None  # newest date the content knows (listed, first seen or published)
    identity: SiteIdentity
    per_page: int = PER_PAGE
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # paper id -> most similar ids, best first
    cite_keys: Mapping[str, str] = field(default_factory=dict)  # paper id -> BibTeX key, unique in the archive
    orgs: tuple[Org, ...] = ()  # most papers first, then by name
    by_org: Mapping[str, tuple[Paper, ...]] = field(default_factory=dict)  # org slug -> papers, newest first
    org_of: Mapping[str, str] = field(default_factory=dict)  # paper id -> org slug (papers with an organization)
    topic_by_id: Mapping[str, TopicLike] = field(default_factory=dict, repr=False, compare=False)
    day_index: Mapping[date, int] = field(default_factory=dict, repr=False, compare=False)
    paper_by_id: Mapping[str, Paper] = field(default_factory=dict, repr=False, compare=False)
    org_by_id: Mapping[str, Org] = field(default_factory=dict, repr=False, compare=False)
    # what the pages show of each paper wherever it appears (pages.parts.paper_parts), made once per paper
    # as the pages are made; new (empty) in every context, dataclasses.replace included
    paper_parts: dict[str, PaperParts] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    @property
    def site_url(self) -> str | None:
        return self.identity.site_url

    def topic(self, topic_id: str) -> TopicLike:
        return self.topic_by_id[topic_id]

    def prev_day(self, day: date) -> date | None:
        i = self.day_index[day]
        return self.days[i - 1] if i > 0 else None

    def next_day(self, day: date) -> date | None:
        i = self.day_index[day]
        return self.days[i + 1] if i + 1 < len(self.days) else None

    def org(self, slug: str) -> Org:
        return self.org_by_id[slug]

    def months_of_year(self) -> dict[str, tuple[str, ...]]:
        """"YYYY" -> its months ("YYYY-MM", see ``months``), oldest first; years oldest first."""
        years: dict[str, list[str]] = defaultdict(list)
        for month in self.months:
            years[month[:4]].append(month)
        return {year: tuple(months) for year, months in years.items()}

    def weeks_of_year(self, year: str) -> tuple[str, ...]:
        """The ISO weeks with featured days whose week-year is ``year``, oldest first."""
        return tuple(w for w in self.weeks if w[:4] == year)

    def featured_count(self, days: Iterable[date]) -> int:
        return sum(len(self.by_day[d]) for d in days)

    @property
    def dated_count(self) -> int:
        """Papers with a publication date."""
        return len(self.papers) - len(self.undated)

    def topic_names_of(self) -> dict[str, tuple[str, ...]]:
        """Paper id -> topic display names (what the search index shows)."""
        names = self.topic_by_id
        return {pid: tuple(names[t].name for t in tids) for pid, tids in self.topics_of.items()}


def build_context(
    papers: Iterable[Paper],
    taxonomy: TaxonomyLike,
    *,
    related: Mapping[str, tuple[str, ...]],
    identity: SiteIdentity,
    per_page: int = PER_PAGE,
) -> SiteContext:
    """The site model of ``papers``: ``related`` maps a paper id to its most similar ids, best first
    (``related.related_papers``); ``identity`` is the site's name and addresses (mkdocs.yml)."""
    ordered = tuple(sorted(papers, key=lambda p: p.id))
    topics = tuple(taxonomy.topics)
    order = {t.id: i for i, t in enumerate(topics)}
    topics_of = {
        p.id: tuple(sorted(set(taxonomy.assign(p.title, p.abstract)), key=order.__getitem__)) for p in ordered
    }

    featured_on = {p.id: _featured_days(p) for p in ordered}
    ranked: dict[date, list[tuple[int, str, Paper]]] = defaultdict(list)
    for p in ordered:
        for day, place in featured_on[p.id]:
            ranked[day].append((place, p.id, p))
    days = tuple(sorted(ranked))
    by_week: dict[str, list[date]] = defaultdict(list)
    for d in days:
        by_week[week_of(d)].append(d)

    newest_first = sorted(ordered, key=_newest_first_key)
    published_in: dict[str, list[Paper]] = defaultdict(list)
    for p in newest_first:
        if p.published:
            published_in[month_of(p.published)].append(p)
    by_month: dict[str, list[date]] = {m: [] for m in published_in}
    for d in days:
        by_month.setdefault(month_of(d), []).append(d)
    months = tuple(sorted(by_month))
    undated = [p for p in ordered if p.published is None]

    by_topic: dict[str, list[Paper]] = {t.id: [] for t in topics}
    for p in newest_first:
        for tid in topics_of[p.id]:
            by_topic[tid].append(p)

    live = {p.id for p in ordered}
    redirects = {alias: p.id for p in ordered for alias in p.aliases if alias not in live and alias != p.id}

    org_of = {p.id: slug for p in ordered if (slug := _org_key(p))}
    by_org: dict[str, list[Paper]] = defaultdict(list)
    for p in newest_first:
        if p.id in org_of:
            by_org[org_of[p.id]].append(p)
    orgs = sorted((_org_named(slug, members) for slug, members in by_org.items()),
                  key=lambda o: (-len(by_org[o.id]), o.name.casefold(), o.id))

    return SiteContext(
        papers=ordered,
        topics=topics,
        topics_of=MappingProxyType(topics_of),
        days=days,
        by_day=MappingProxyType({d: tuple(p for _, _, p in sorted(ranked[d], key=lambda r: r[:2])) for d in days}),
        featured_on=MappingProxyType({pid: found for pid, found in featured_on.items() if found}),
        weeks=tuple(sorted(by_week)),
        by_week=MappingProxyType({w: tuple(v) for w, v in sorted(by_week.items())}),
        months=months,
        by_month=MappingProxyType({m: tuple(by_month[m]) for m in months}),
        published_in=MappingProxyType({m: tuple(published_in.get(m, ())) for m in months}),
        by_topic=MappingProxyType({k: tuple(v) for k, v in by_topic.items()}),
        undated=tuple(undated),
        redirects=MappingProxyType(dict(sorted(redirects.items()))),
        newest_date=_newest_date(ordered),
        identity=identity,
        per_page=per_page,
        related=MappingProxyType({p.id: tuple(related.get(p.id, ())) for p in ordered}),
        cite_keys=MappingProxyType(bibtex.cite_keys(ordered)),
        orgs=tuple(orgs),
        by_org=MappingProxyType({o.id: tuple(by_org[o.id]) for o in orgs}),
        org_of=MappingProxyType(org_of),
        topic_by_id=MappingProxyType({t.id: t for t in topics}),
        day_index=MappingProxyType({d: i for i, d in enumerate(days)}),
        paper_by_id=MappingProxyType({p.id: p for p in ordered}),
        org_by_id=MappingProxyType({o.id: o for o in orgs}),
    )


def month_of(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def week_of(d: date) -> str:
    """The ISO week of a day, as Hugging Face names its week pages: "2026-W34"."""
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _featured_days(p: Paper) -> tuple[tuple[date, int], ...]:
    """(day, place) for every day a Daily Papers listing featured the paper (its best place that day)."""
    best: dict[date, int] = {}
    for s in p.sources:
        if s.rank is not None and s.listed is not None:
            best[s.listed] = min(s.rank, best.get(s.listed, s.rank))
    return tuple(sorted(best.items()))


def _org_key(p: Paper) -> str | None:
    name = p.organization_id or p.organization
    return org_slug(name) if name and name.strip() else None


def _org_named(slug: str, members: Sequence[Paper]) -> Org:
    # ids that differ only in case share a page; the name most of its papers give wins, ties by text
    names = Counter(" ".join((p.organization or p.organization_id or "").split()) for p in members)
    name = min(names, key=lambda n: (-names[n], n))
    return Org(id=slug, name=name or slug)


def _newest_first_key(p: Paper):
    # papers with a publication date newest first, then the others; ties by id
    return (p.published is None, -(p.published.toordinal() if p.published else 0), p.id)


def _newest_date(papers: Sequence[Paper]) -> date | None:
    found = [d for p in papers for d in (p.published, p.first_seen, *(s.listed for s in p.sources)) if d]
    return max(found) if found else None
