"""Records to Markdown: every page of the site, for MkDocs (``paperarchive build`` hands the pages to
it in memory; ``paperarchive generate`` writes them into docs_dir).

Read everything, then write: ``build_context(papers, taxonomy)`` computes every grouping once
(papers by day, month, topic; prev/next days; topics per paper) into a frozen ``SiteContext``;
``render_pages(ctx)`` turns it into ``{docs path: Markdown text}``; ``write_pages`` writes the files
whose bytes changed and removes stale ones.

Untrusted text (titles, abstracts, organisation and author names, URLs from abstracts) never reaches
Markdown as Markdown: page bodies are block-level raw HTML, which Python-Markdown stashes untouched,
and every untrusted string in them goes through ``esc`` (HTML-escaped, line breaks and control
characters as character references, so nothing can end the raw block or be re-read as Markdown).
Front matter values are YAML double-quoted strings (``yaml_string``; checked against PyYAML). The theme escapes
``page.title`` and the meta description (MkDocs renders templates without autoescape).

Every link is relative (``../../days/2025-11-20/``) so the site works under any sub-path.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable, Mapping, Protocol, Sequence

from slugify import slugify

from . import bibtex, headtags, mathtext, paperlinks, plots, related
from .escaping import esc, front_matter, safe_url, yaml_string  # noqa: F401  (yaml_string: re-exported)
from .records import Paper

SITE_NAME = "Daily Papers Archive"
PER_PAGE = 200  # papers per listing page: a day-style page of 200 is ~130 KB, below the 200 KB cap
LATEST_DAYS_ON_HOME = 14
FIRST_SENTENCE_MAX = 280
PAPER_TEMPLATE = "paper.html"
LISTING_TEMPLATE = "listing.html"
# Pages with these templates are a single block of raw HTML: Markdown would pass them through unchanged.
RAW_HTML_TEMPLATES = frozenset({PAPER_TEMPLATE, LISTING_TEMPLATE})
UNDATED_URL = "days/undated/"
RELATED_COUNT = 5
ORGS_PER_INDEX_PAGE = 500
# Feeds beside a listing page: (file name, MIME type, label), the same names at the root and per topic.
FEEDS = (
    ("feed.xml", "application/rss+xml", "RSS"),
    ("atom.xml", "application/atom+xml", "Atom"),
    ("feed.json", "application/feed+json", "JSON Feed"),
)

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

class TopicLike(Protocol):
    id: str
    name: str
    description: str


class TaxonomyLike(Protocol):
    topics: Sequence[TopicLike]

    def assign(self, title: str, abstract: str) -> tuple[str, ...]: ...


# ---------------------------------------------------------------- context


@dataclass(frozen=True)
class SiteContext:
    """Everything the pages need, computed once from the papers and the taxonomy."""

    papers: tuple[Paper, ...]  # by id
    topics: tuple[TopicLike, ...]  # taxonomy order
    topics_of: Mapping[str, tuple[str, ...]]  # paper id -> topic ids, taxonomy order
    days: tuple[date, ...]  # days that have papers, oldest first
    by_day: Mapping[date, tuple[Paper, ...]]  # each day's papers, by id
    by_month: Mapping[str, tuple[date, ...]]  # "YYYY-MM" -> its days, oldest first; months oldest first
    by_topic: Mapping[str, tuple[Paper, ...]]  # newest first, undated last
    undated: tuple[Paper, ...]  # by id
    redirects: Mapping[str, str]  # retired id -> kept id (never a live id)
    newest_date: date | None  # newest date the content knows (listed, first seen or published)
    per_page: int = PER_PAGE
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # paper id -> most similar ids, best first
    orgs: tuple["Org", ...] = ()  # most papers first, then by name
    by_org: Mapping[str, tuple[Paper, ...]] = field(default_factory=dict)  # org slug -> papers, newest first
    org_of: Mapping[str, str] = field(default_factory=dict)  # paper id -> org slug (papers with an organization)
    site_url: str | None = None  # mkdocs.yml site_url: feeds need absolute links
    site_name: str = SITE_NAME  # mkdocs.yml site_name: the publisher in a paper's head tags
    cite_keys: Mapping[str, str] = field(default_factory=dict)  # paper id -> BibTeX key, unique in the archive
    topic_by_id: Mapping[str, TopicLike] = field(default_factory=dict, repr=False, compare=False)
    day_index: Mapping[date, int] = field(default_factory=dict, repr=False, compare=False)
    paper_by_id: Mapping[str, Paper] = field(default_factory=dict, repr=False, compare=False)
    org_by_id: Mapping[str, "Org"] = field(default_factory=dict, repr=False, compare=False)

    def topic(self, topic_id: str) -> TopicLike:
        return self.topic_by_id[topic_id]

    def prev_day(self, day: date) -> date | None:
        i = self.day_index[day]
        return self.days[i - 1] if i > 0 else None

    def next_day(self, day: date) -> date | None:
        i = self.day_index[day]
        return self.days[i + 1] if i + 1 < len(self.days) else None

    def org(self, slug: str) -> "Org":
        return self.org_by_id[slug]

    def months_of_year(self) -> dict[str, tuple[str, ...]]:
        """"YYYY" -> its months that have papers ("YYYY-MM"), oldest first; years oldest first."""
        years: dict[str, list[str]] = defaultdict(list)
        for month in self.by_month:
            years[month[:4]].append(month)
        return {year: tuple(months) for year, months in years.items()}

    def month_papers(self, month: str) -> tuple[Paper, ...]:
        """A month's papers, newest day first (each day's papers by id)."""
        return tuple(p for d in reversed(self.by_month[month]) for p in self.by_day[d])

    def topic_names_of(self) -> dict[str, tuple[str, ...]]:
        """Paper id -> topic display names (what the search index shows)."""
        names = self.topic_by_id
        return {pid: tuple(names[t].name for t in tids) for pid, tids in self.topics_of.items()}


@dataclass(frozen=True)
class Org:
    """An organization as the site shows it: ``id`` is its URL slug (orgs/<id>/), ``name`` its display name."""

    id: str
    name: str


def org_slug(org_id: str) -> str:
    """The URL-safe, permanent slug of an organization id (Hugging Face ids are case-insensitive).

    Lowercase ASCII letters, digits and hyphens (python-slugify, transliterating the rest);
    a name with nothing transliterable gets a hash of itself; "index" would clash with orgs/index.
    """
    slug = slugify(org_id, lowercase=True, max_length=80, word_boundary=False)
    if not slug:
        return "org-" + hashlib.sha1(org_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return "index-org" if slug == "index" else slug


def _org_key(p: Paper) -> str | None:
    name = p.organization_id or p.organization
    return org_slug(name) if name and name.strip() else None


def build_context(
    papers: Iterable[Paper],
    taxonomy: TaxonomyLike,
    per_page: int = PER_PAGE,
    *,
    site_url: str | None = None,
    site_name: str = SITE_NAME,
) -> SiteContext:
    ordered = tuple(sorted(papers, key=lambda p: p.id))
    topics = tuple(taxonomy.topics)
    order = {t.id: i for i, t in enumerate(topics)}
    topics_of = {
        p.id: tuple(sorted(set(taxonomy.assign(p.title, p.abstract)), key=order.__getitem__)) for p in ordered
    }

    by_day: dict[date, list[Paper]] = defaultdict(list)
    undated: list[Paper] = []
    for p in ordered:
        (by_day[p.day].append(p) if p.day else undated.append(p))
    days = tuple(sorted(by_day))
    by_month: dict[str, list[date]] = defaultdict(list)
    for d in days:
        by_month[f"{d.year:04d}-{d.month:02d}"].append(d)

    newest_first = sorted(ordered, key=_newest_first_key)
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
        by_day=MappingProxyType({d: tuple(by_day[d]) for d in days}),
        by_month=MappingProxyType({m: tuple(v) for m, v in sorted(by_month.items())}),
        by_topic=MappingProxyType({k: tuple(v) for k, v in by_topic.items()}),
        undated=tuple(undated),
        redirects=MappingProxyType(dict(sorted(redirects.items()))),
        newest_date=_newest_date(ordered),
        per_page=per_page,
        related=MappingProxyType(related.related_papers(ordered, k=RELATED_COUNT)),
        orgs=tuple(orgs),
        by_org=MappingProxyType({o.id: tuple(by_org[o.id]) for o in orgs}),
        org_of=MappingProxyType(org_of),
        site_url=site_url,
        site_name=site_name,
        cite_keys=MappingProxyType(bibtex.cite_keys(ordered)),
        topic_by_id=MappingProxyType({t.id: t for t in topics}),
        day_index=MappingProxyType({d: i for i, d in enumerate(days)}),
        paper_by_id=MappingProxyType({p.id: p for p in ordered}),
        org_by_id=MappingProxyType({o.id: o for o in orgs}),
    )


def _org_named(slug: str, members: Sequence[Paper]) -> Org:
    # ids that differ only in case share a page; the name most of its papers give wins, ties by text
    names = Counter(" ".join((p.organization or p.organization_id or "").split()) for p in members)
    name = min(names, key=lambda n: (-names[n], n))
    return Org(id=slug, name=name or slug)


def _newest_first_key(p: Paper):
    # dated papers newest first, then undated; ties by id
    return (p.day is None, -(p.day.toordinal() if p.day else 0), p.id)


def _newest_date(papers: Sequence[Paper]) -> date | None:
    found = [d for p in papers for d in (p.published, p.first_seen, *(s.listed for s in p.sources)) if d]
    return max(found) if found else None


# ---------------------------------------------------------------- escaping and small pieces

def href(from_url: str, to_url: str) -> str:
    """Relative link between two site-relative directory URLs ('' is the home page)."""
    target = "../" * from_url.count("/") + to_url
    return target or "./"


def day_url(d: date) -> str:
    return f"days/{d.isoformat()}/"


def month_url(month: str) -> str:
    return f"days/{month}/"


def year_url(year: str) -> str:
    return f"days/{year}/"


def topic_url(topic_id: str) -> str:
    return f"topics/{topic_id}/"


def org_url(slug: str) -> str:
    return f"orgs/{slug}/"


def bib_path(url: str) -> str:
    """Where a page's BibTeX file lives: beside its index.html, named after its last segment."""
    return f"{url}{url.rstrip('/').rsplit('/', 1)[-1]}.bib"


def long_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def month_title(month: str) -> str:
    year, mon = month.split("-")
    return f"{MONTHS[int(mon) - 1]} {year}"


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


def first_sentence(text: str, limit: int = FIRST_SENTENCE_MAX) -> str:
    """The abstract's first sentence (cut at a word, with an ellipsis, when very long)."""
    text = " ".join(text.split())
    match = _SENTENCE_END.search(text)
    sentence = text[: match.start()] if match else text
    if len(sentence) > limit:
        cut = sentence.rfind(" ", 0, limit)
        sentence = sentence[: cut if cut > limit // 2 else limit].rstrip() + "…"
    return sentence


def _src_for_url(url: str) -> str:
    """The docs path MkDocs turns into this URL (use_directory_urls)."""
    if url == "":
        return "index.md"
    if url in ("days/", "topics/", "orgs/"):
        return url + "index.md"
    return url.rstrip("/") + ".md"


def _page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


# ---------------------------------------------------------------- paper page


def hugging_face_url(p: Paper) -> str:
    if p.arxiv_id:
        return "https://huggingface.co/papers/" + urllib.parse.quote(p.arxiv_id, safe=".")
    return "https://huggingface.co/papers?q=" + urllib.parse.quote_plus(p.title)


def arxiv_urls(p: Paper) -> tuple[tuple[str, str], ...]:
    if p.arxiv_id:
        aid = urllib.parse.quote(p.arxiv_id, safe="./")
        return (("arXiv", f"https://arxiv.org/abs/{aid}"), ("PDF", f"https://arxiv.org/pdf/{aid}"))
    query = urllib.parse.urlencode({"query": p.title, "searchtype": "title"})
    return (("arXiv search", f"https://arxiv.org/search/?{query}"),)


def paper_bibtex(ctx: SiteContext, p: Paper) -> str:
    """The paper's BibTeX entry, as on its page and in every .bib file that lists it."""
    return bibtex.entry(p, ctx.cite_keys[p.id], bibtex.page_url_of(ctx.site_url, p.url))


def _pre_text(text: str) -> str:
    """Escaped text for a <pre> block: line breaks kept (no line is blank), all else inert."""
    return "\n".join(esc(line) for line in text.rstrip("\n").split("\n"))


def _topic_links(ctx: SiteContext, paper_id: str, from_url: str) -> str:
    return ", ".join(
        f'<a href="{href(from_url, f"topics/{tid}/")}">{esc(ctx.topic(tid).name)}</a>'
        for tid in ctx.topics_of[paper_id]
    )


def _external(url: str, label: str | None = None) -> str:
    return f'<a href="{esc(url)}" rel="nofollow">{esc(label or url)}</a>'


def _absolute(ctx: SiteContext, url: str) -> str | None:
    return bibtex.page_url_of(ctx.site_url, url)


def _paper_head(ctx: SiteContext, p: Paper) -> str:
    """The page's head tags: already escaped HTML, which paper.html outputs as it is."""
    return headtags.paper_head(p, page_url=_absolute(ctx, p.url), description=first_sentence(p.abstract),
                               site_name=ctx.site_name)


def _paper_actions(p: Paper) -> str:
    links = paperlinks.paper_links(p)
    if not links:
        return ""
    return f'<p class="pa-actions">{" · ".join(_external(url, label) for label, url in links)}</p>\n'


def paper_page(ctx: SiteContext, p: Paper) -> str:
    here = p.url
    facts: list[str] = []
    if p.day:
        facts.append(f'<a href="{href(here, day_url(p.day))}"><time datetime="{p.day.isoformat()}">{long_date(p.day)}</time></a>')
    else:
        facts.append(f'<a href="{href(here, UNDATED_URL)}">date unknown</a>')
    if p.organization and p.id in ctx.org_of:
        facts.append(f'<a href="{href(here, org_url(ctx.org_of[p.id]))}">{esc(p.organization)}</a>')
    elif p.organization:
        facts.append(esc(p.organization))
    if p.authors_count is not None:
        facts.append(_plural(p.authors_count, "author"))
    if p.comments:
        facts.append(_plural(p.comments, "comment"))
    if p.upvotes is not None:
        facts.append(_plural(p.upvotes, "upvote"))

    out = [
        # no description: it repeated the abstract's first words (176 bytes a paper), which the page
        # itself shows a few lines down; paper.html leaves the meta description out
        front_matter(title=p.title, template=PAPER_TEMPLATE, head=_paper_head(ctx, p)),
        '<div class="pa-paper">\n',
        f'<h1 class="pa-title">{esc(p.title)}</h1>\n',
        f'<p class="pa-facts">{" · ".join(facts)}</p>\n',
        _paper_actions(p),
    ]
    if p.authors:
        out.append(f'<p class="pa-authors">{esc(", ".join(p.authors))}</p>\n')
    if ctx.topics_of[p.id]:
        out.append(f'<p class="pa-topics">Topics: {_topic_links(ctx, p.id, here)}</p>\n')
    out.append(f'<h2 id="abstract">Abstract</h2>\n<p class="pa-abstract">{mathtext.abstract_html(p.abstract)}</p>\n')

    links: list[str] = []
    for label, value in (("Code", p.github), ("Project page", p.project_page)):
        if value and safe_url(value):
            links.append(f"<li>{label}: {_external(value)}</li>")
    in_abstract = [u for u in p.links if safe_url(u) and u not in (p.github, p.project_page)]
    links += [f"<li>Link in the abstract: {_external(u)}</li>" for u in in_abstract]
    lookups = [_external(hugging_face_url(p), "Hugging Face" if p.arxiv_id else "Hugging Face search")]
    lookups += [_external(url, label) for label, url in arxiv_urls(p)]
    links.append(f"<li>{' · '.join(lookups)}</li>")
    out.append(f'<h2 id="links">Links</h2>\n<ul class="pa-links">\n{chr(10).join(links)}\n</ul>\n')

    out.append(
        f'<h2 id="cite">Cite</h2>\n<pre><code class="language-bibtex">{_pre_text(paper_bibtex(ctx, p))}</code></pre>\n'
        f'<p><a href="{esc(p.id)}.bib" download>Download BibTeX</a></p>\n'
    )
    related_ids = ctx.related.get(p.id, ())
    if related_ids:
        items = "".join(
            f'<li><a href="../{other.id}/">{esc(other.title)}</a></li>'  # a sibling: papers/<id>/
            for other in map(ctx.paper_by_id.__getitem__, related_ids)
        )
        out.append(f'<h2 id="related">Related papers</h2>\n<ul class="pa-related">{items}</ul>\n')

    if p.sources:
        listed = ", ".join(
            (f"{s.listed.isoformat()} " if s.listed else "") + f"({esc(s.listing)})" for s in p.sources
        )
        out.append(f'<p class="pa-sources">Listed on: {listed}</p>\n')
    out.append("</div>\n")
    return "".join(out)


# ---------------------------------------------------------------- listings (days, topics, undated)


def _pager(from_url: str, base: str, number: int, pages: int) -> str:
    if pages <= 1:
        return ""
    parts = []
    if number > 1:
        parts.append(f'<a rel="prev" href="{href(from_url, _page_url(base, number - 1))}">← Previous page</a>')
    parts.append(f"<span>Page {number} of {pages}</span>")
    if number < pages:
        parts.append(f'<a rel="next" href="{href(from_url, _page_url(base, number + 1))}">Next page →</a>')
    return f'<nav class="pa-pager">{" ".join(parts)}</nav>\n'


def _chunks(items: Sequence[Paper], size: int) -> list[Sequence[Paper]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]


def _paper_item(ctx: SiteContext, p: Paper, here: str, full: bool) -> str:
    """One paper in a listing; day pages (full) add its first sentence and topics, topic pages its date."""
    title = f'<li><a href="{href(here, p.url)}">{esc(p.title)}</a>{headtags.coins(p, _absolute(ctx, p.url))}'
    if not full:
        return f'{title} <span class="pa-date">{p.day.isoformat() if p.day else "undated"}</span></li>'
    parts = [title, f"<br>{esc(first_sentence(p.abstract))}"]
    if ctx.topics_of[p.id]:
        parts.append(f'<br><span class="pa-topics">{_topic_links(ctx, p.id, here)}</span>')
    parts.append("</li>")
    return "".join(parts)


def _listing_pages(
    ctx: SiteContext,
    base: str,
    title: str,
    heading: str,
    intro: Callable[[str], str],
    papers: Sequence[Paper],
    full: bool,
    meta: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """A list of papers, PER_PAGE to a page: base, base/page/2/, ...; intro(here) heads each page."""
    pages: dict[str, str] = {}
    chunks = _chunks(papers, ctx.per_page)
    for number, chunk in enumerate(chunks, start=1):
        here = _page_url(base, number)
        suffix = f" (page {number} of {len(chunks)})" if len(chunks) > 1 else ""
        pager = _pager(here, base, number, len(chunks))
        items = "\n".join(_paper_item(ctx, p, here, full) for p in chunk)
        listing = (
            f'<ol class="pa-papers" start="{(number - 1) * ctx.per_page + 1}">\n{items}\n</ol>\n'
            if chunk
            else "<p>No papers yet.</p>\n"
        )
        pages[_src_for_url(here)] = "".join(
            [
                front_matter(title=title + suffix, template=LISTING_TEMPLATE, **(meta or {})),
                '<div class="pa-listing">\n',
                f"<h1>{esc(heading)}{esc(suffix)}</h1>\n",
                intro(here),
                pager,
                listing,
                pager,
                "</div>\n",
            ]
        )
    return pages


def _crumbs(here: str, month: str | None) -> str:
    """Days › 2025 › November 2025: where a day or month page sits in the archive."""
    links = [f'<a href="{href(here, "days/")}">All days</a>']
    if month:
        links.append(f'<a href="{href(here, year_url(month[:4]))}">{month[:4]}</a>')
        links.append(f'<a href="{href(here, month_url(month))}">{month_title(month)}</a>')
    return f'<nav class="pa-crumbs">{" › ".join(links)}</nav>\n'


def _bib_link(here: str, url: str, what: str) -> str:
    return f'<p class="pa-cite"><a href="{href(here, bib_path(url))}" download>BibTeX of {what}</a></p>\n'


def day_pages(ctx: SiteContext, d: date) -> dict[str, str]:
    month = f"{d.year:04d}-{d.month:02d}"

    def intro(here: str) -> str:
        links = []
        if (prev := ctx.prev_day(d)) is not None:
            links.append(f'<a rel="prev" href="{href(here, day_url(prev))}">← {long_date(prev)}</a>')
        if (nxt := ctx.next_day(d)) is not None:
            links.append(f'<a rel="next" href="{href(here, day_url(nxt))}">{long_date(nxt)} →</a>')
        days = f'<nav class="pa-days">{" · ".join(links)}</nav>\n' if links else ""
        return _crumbs(here, month) + days + _bib_link(here, day_url(d), "this day's papers")

    heading = f"{WEEKDAYS[d.weekday()]}, {long_date(d)}"
    return _listing_pages(ctx, day_url(d), f"Papers of {long_date(d)}", heading, intro, ctx.by_day[d], full=True)


def undated_pages(ctx: SiteContext) -> dict[str, str]:
    def intro(here: str) -> str:
        return (
            "<p>These papers were listed without a publication date; they are part of the archive "
            f'like every other paper. <a href="{href(here, "days/")}">All days</a></p>\n'
        )

    title = "Papers without a date"
    return _listing_pages(ctx, UNDATED_URL, title, title, intro, ctx.undated, full=True)


def feed_links(here: str, base: str) -> str:
    """Visible links to the feeds in ``base`` (the site root or a topic's folder)."""
    links = " · ".join(f'<a href="{href(here, base + name)}" type="{kind}">{label}</a>' for name, kind, label in FEEDS)
    return f'<p class="pa-feeds">Feeds of the newest papers: {links}</p>\n'


def _monthly_counts(papers: Iterable[Paper]) -> dict[str, int]:
    counts: Counter[str] = Counter(f"{p.day.year:04d}-{p.day.month:02d}" for p in papers if p.day)
    return dict(sorted(counts.items()))


def _figure(svg: str) -> str:
    # <figure> is a block-level tag for Python-Markdown: the inline SVG (one line) passes through untouched
    return f'<figure class="pa-figure">{svg}</figure>\n'


def topic_pages(ctx: SiteContext, topic: TopicLike) -> dict[str, str]:
    base = topic_url(topic.id)
    papers = ctx.by_topic[topic.id]
    counts = _monthly_counts(papers)

    def intro(here: str) -> str:
        parts = [
            f'<p class="pa-description">{esc(topic.description)}</p>\n<p>{_plural(len(papers), "paper")}, newest first.</p>\n',
            feed_links(here, base),
            _bib_link(here, base, "this topic's papers"),
        ]
        if here == base and counts:
            parts.append(_figure(plots.monthly_bars_svg(counts, title=f"{topic.name}: papers per month")))
        return "".join(parts)

    # main.html links the topic's feeds with <link rel="alternate"> from these two fields
    meta = {"feeds": base, "feeds_title": f"{SITE_NAME}: {topic.name}"}
    return _listing_pages(ctx, base, topic.name, topic.name, intro, papers, full=False, meta=meta)


def org_pages(ctx: SiteContext, org: Org) -> dict[str, str]:
    base = org_url(org.id)
    papers = ctx.by_org[org.id]

    def intro(here: str) -> str:
        return (
            f'<p>{_plural(len(papers), "paper")} listed with this organization, newest first. '
            f'<a href="{href(here, "orgs/")}">All organizations</a></p>\n'
        )

    return _listing_pages(ctx, base, org.name, org.name, intro, papers, full=False)


def orgs_index_pages(ctx: SiteContext) -> dict[str, str]:
    base = "orgs/"
    with_org = sum(len(v) for v in ctx.by_org.values())
    chunks = [ctx.orgs[i : i + ORGS_PER_INDEX_PAGE] for i in range(0, len(ctx.orgs), ORGS_PER_INDEX_PAGE)] or [()]
    pages: dict[str, str] = {}
    for number, chunk in enumerate(chunks, start=1):
        here = _page_url(base, number)
        suffix = f" (page {number} of {len(chunks)})" if len(chunks) > 1 else ""
        pager = _pager(here, base, number, len(chunks))
        items = "\n".join(
            f'<li><a href="{href(here, org_url(o.id))}">{esc(o.name)}</a> <span>({len(ctx.by_org[o.id]):,})</span></li>'
            for o in chunk
        )
        listing = f'<ol class="pa-orgs" start="{(number - 1) * ORGS_PER_INDEX_PAGE + 1}">\n{items}\n</ol>\n' if chunk else "<p>No organizations yet.</p>\n"
        pages[_src_for_url(here)] = "".join([
            front_matter(title="Organizations" + suffix, template=LISTING_TEMPLATE),
            '<div class="pa-listing">\n',
            f"<h1>Organizations{esc(suffix)}</h1>\n",
            f"<p>{_plural(len(ctx.orgs), 'organization')} with {_plural(with_org, 'paper')}, "
            "most papers first (papers listed with an author count instead have no organization).</p>\n",
            pager,
            listing,
            pager,
            "</div>\n",
        ])  # fmt: skip
    return pages


def month_pages(ctx: SiteContext, month: str) -> dict[str, str]:
    """A month: its days with their counts (newest first), linked. The papers themselves are on the
    day pages: listing them here again cost a third of days/ (issue 8), and a month page stays small."""
    here = month_url(month)
    days = ctx.by_month[month]
    count = sum(len(ctx.by_day[d]) for d in days)
    months = list(ctx.by_month)
    i = months.index(month)
    links = []
    if i > 0:
        links.append(f'<a rel="prev" href="{href(here, month_url(months[i - 1]))}">← {month_title(months[i - 1])}</a>')
    if i + 1 < len(months):
        links.append(f'<a rel="next" href="{href(here, month_url(months[i + 1]))}">{month_title(months[i + 1])} →</a>')
    title = month_title(month)
    page = "".join([
        front_matter(title=title, template=LISTING_TEMPLATE),
        '<div class="pa-listing">\n',
        f"<h1>{esc(title)}</h1>\n",
        _crumbs(here, month),
        f'<nav class="pa-days">{" · ".join(links)}</nav>\n' if links else "",
        f'<p class="pa-month-total">{_plural(count, "paper")} on {_plural(len(days), "day")}, newest day first.</p>\n',
        _day_list(ctx, here, days),
        "</div>\n",
    ])  # fmt: skip
    return {_src_for_url(here): page}


def _day_list(ctx: SiteContext, here: str, days: Sequence[date]) -> str:
    items = " ".join(
        f'<li><a href="{href(here, day_url(d))}">{d.day} {MONTHS[d.month - 1][:3]}</a> <span>({len(ctx.by_day[d])})</span></li>'
        for d in reversed(days)
    )
    return f'<ul class="pa-day-list">{items}</ul>\n'


def year_page(ctx: SiteContext, year: str, months: Sequence[str]) -> str:
    here = year_url(year)
    years = list(ctx.months_of_year())
    i = years.index(year)
    counts = {m: sum(len(ctx.by_day[d]) for d in ctx.by_month[m]) for m in months}
    links = []
    if i > 0:
        links.append(f'<a rel="prev" href="{href(here, year_url(years[i - 1]))}">← {years[i - 1]}</a>')
    if i + 1 < len(years):
        links.append(f'<a rel="next" href="{href(here, year_url(years[i + 1]))}">{years[i + 1]} →</a>')
    rows = "\n".join(
        f'<li><a href="{href(here, month_url(m))}">{month_title(m)}</a> <span>({_plural(counts[m], "paper")} on '
        f'{_plural(len(ctx.by_month[m]), "day")})</span></li>'
        for m in reversed(months)
    )
    return "".join([
        front_matter(title=f"Papers of {year}", template=LISTING_TEMPLATE),
        '<div class="pa-listing">\n',
        f"<h1>{year}</h1>\n",
        _crumbs(here, None),
        f'<nav class="pa-days">{" · ".join(links)}</nav>\n' if links else "",
        f'<p class="pa-month-total">{_plural(sum(counts.values()), "paper")} in {_plural(len(months), "month")}.</p>\n',
        f'<ul class="pa-months">\n{rows}\n</ul>\n',
        _figure(plots.monthly_bars_svg(counts, title=f"Papers per month in {year}")),
        "</div>\n",
    ])  # fmt: skip


# ---------------------------------------------------------------- indexes and home


def days_index(ctx: SiteContext) -> str:
    """Every year and month with its counts, linked to the year and month pages (which list the days):
    bounded by the number of months, where a list of every day grew to 359 KB at 50,000 papers."""
    here = "days/"
    out = [
        front_matter(title="Days"),
        "# Days\n\n",
        f'<p>{_plural(len(ctx.papers) - len(ctx.undated), "dated paper")} on {_plural(len(ctx.days), "day")}, newest month first.',
    ]
    if ctx.undated:
        out.append(f' <a href="{href(here, UNDATED_URL)}">{_plural(len(ctx.undated), "paper")} without a date</a>.')
    out.append("</p>\n\n")
    if ctx.by_month:
        counts = {m: sum(len(ctx.by_day[d]) for d in days) for m, days in ctx.by_month.items()}
        out.append(_figure(plots.monthly_bars_svg(counts)) + "\n")
        for year, months in reversed(ctx.months_of_year().items()):
            total = sum(counts[m] for m in months)
            out.append(
                f'<h2 id="y{year}"><a href="{href(here, year_url(year))}">{year}</a></h2>\n'
                f'<p class="pa-month-total">{_plural(total, "paper")} in {_plural(len(months), "month")}</p>\n'
            )
            items = "\n".join(
                f'<li><a href="{href(here, month_url(m))}">{month_title(m)}</a> '
                f'<span>({_plural(counts[m], "paper")} on {_plural(len(ctx.by_month[m]), "day")})</span></li>'
                for m in reversed(months)
            )
            out.append(f'<ul class="pa-months">\n{items}\n</ul>\n\n')
    return "".join(out)


def topics_index(ctx: SiteContext) -> str:
    here = "topics/"
    rows = "\n".join(
        f'<tr><td><a href="{href(here, f"topics/{t.id}/")}">{esc(t.name)}</a></td>'
        f"<td>{len(ctx.by_topic[t.id]):,}</td><td>{esc(t.description)}</td></tr>"
        for t in ctx.topics
    )
    untopical = sum(1 for p in ctx.papers if not ctx.topics_of[p.id])
    return "".join(
        [
            front_matter(title="Topics"),
            "# Topics\n\n",
            f"<p>{_plural(len(ctx.topics), 'topic')}, matched on each paper's title and abstract; "
            f"a paper may belong to several. {_plural(untopical, 'paper')} match no topic.</p>\n\n",
            '<table class="pa-topics-table">\n<thead><tr><th>Topic</th><th>Papers</th><th>About</th></tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>\n",
        ]
    )


def home_page(ctx: SiteContext) -> str:
    here = ""
    latest = ctx.days[-LATEST_DAYS_ON_HOME:][::-1]
    span = f" from {long_date(ctx.days[0])} to {long_date(ctx.days[-1])}" if ctx.days else ""
    out = [
        front_matter(title="Home"),
        "# Daily Papers Archive\n\n",
        f'<p class="pa-totals">{_plural(len(ctx.papers), "paper")} on {_plural(len(ctx.days), "day")}{span}, '
        f'in {_plural(len(ctx.topics), "topic")}. Search them with the box at the top, browse them by '
        f'<a href="{href(here, "days/")}">day</a>, by <a href="{href(here, "topics/")}">topic</a> or by '
        f'<a href="{href(here, "orgs/")}">organization</a>, '
        f'or read <a href="{href(here, "about/")}">about the archive</a>.</p>\n',
        feed_links(here, ""),
        "\n",
    ]
    if ctx.days:
        counts = {d: len(ctx.by_day[d]) for d in ctx.days}
        out.append(_figure(plots.calendar_heatmap_svg(counts, ctx.days[-1])) + "\n")
    out.append("## Latest days\n\n")
    if latest:
        items = "\n".join(
            f'<li><a href="{href(here, day_url(d))}">{WEEKDAYS[d.weekday()]}, {long_date(d)}</a> ({_plural(len(ctx.by_day[d]), "paper")})</li>'
            for d in latest
        )
        out.append(f'<ul class="pa-latest">\n{items}\n</ul>\n\n')
    else:
        out.append("<p>No dated papers yet.</p>\n\n")
    out.append("## Topics\n\n")
    items = "\n".join(
        f'<li><a href="{href(here, f"topics/{t.id}/")}">{esc(t.name)}</a> ({len(ctx.by_topic[t.id]):,})</li>'
        for t in sorted(ctx.topics, key=lambda t: (-len(ctx.by_topic[t.id]), t.id))
    )
    out.append(f'<ul class="pa-home-topics">\n{items}\n</ul>\n')
    return "".join(out)


# ---------------------------------------------------------------- all pages, and writing them


def render_pages(ctx: SiteContext) -> dict[str, str]:
    """Every generated page: docs-relative path -> Markdown text."""
    pages: dict[str, str] = {
        "index.md": home_page(ctx),
        "days/index.md": days_index(ctx),
        "topics/index.md": topics_index(ctx),
    }
    pages.update(undated_pages(ctx))
    for d in ctx.days:
        pages.update(day_pages(ctx, d))
    for t in ctx.topics:
        pages.update(topic_pages(ctx, t))
    for year, months in ctx.months_of_year().items():
        pages[_src_for_url(year_url(year))] = year_page(ctx, year, months)
    for month in ctx.by_month:
        pages.update(month_pages(ctx, month))
    pages.update(orgs_index_pages(ctx))
    for o in ctx.orgs:
        pages.update(org_pages(ctx, o))
    for p in ctx.papers:
        pages[_src_for_url(p.url)] = paper_page(ctx, p)
    return pages


def site_pages(ctx: SiteContext, extra_files: Mapping[str, bytes] | None = None) -> dict[str, str | bytes]:
    """Every generated page (text) and the extra files (bytes, e.g. the hand-written pages), by docs path."""
    pages: dict[str, str | bytes] = dict(render_pages(ctx))
    for path, data in (extra_files or {}).items():
        if path in pages:
            raise ValueError(f"{path}: a hand-written page cannot replace a generated one")
        pages[path] = data
    return pages


def write_pages(ctx: SiteContext, out_dir: Path, extra_files: Mapping[str, bytes] | None = None) -> int:
    """Write every page (and extra files, e.g. the hand-written pages) into out_dir.

    Only files whose bytes differ are written; files in out_dir that are no longer
    part of the site are removed. Returns the number of files the folder now holds.
    """
    wanted = {path: data.encode("utf-8") if isinstance(data, str) else data
              for path, data in site_pages(ctx, extra_files).items()}
    return sync_folder(out_dir, wanted, manifest=True)


# What sync_folder last wrote: {path: [size, mtime_ns, sha1]}. A dotfile, so MkDocs never publishes it.
SYNC_MANIFEST = ".paperarchive-sync.json"


def sync_folder(out_dir: Path, wanted: Mapping[str, bytes], *, manifest: bool = False) -> int:
    """Make out_dir hold exactly ``wanted`` ({relative path: bytes}), writing only what differs.

    With ``manifest``, a file whose size and mtime are those recorded at the last sync is known by
    the recorded hash of its bytes, so an unchanged folder is checked without reading it back
    (reading 10,000 pages back took 1.9 s). Any other file is compared byte for byte.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    existing = _existing_files(out_dir)
    known = _read_manifest(out_dir) if manifest else {}
    if manifest:
        existing.pop(SYNC_MANIFEST, None)
    for rel in sorted(existing.keys() - wanted.keys()):
        (out_dir / rel).unlink()
    record: dict[str, list] = {}
    made_dirs: set[str] = set()
    for rel, data in wanted.items():
        target = out_dir / rel
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest() if manifest else ""
        stat = existing.get(rel)
        if stat is not None:
            if manifest and known.get(rel) == [*stat, digest]:
                record[rel] = [*stat, digest]
                continue
            if stat[0] == len(data) and _same_bytes(target, data):
                record[rel] = [*stat, digest]
                continue
        parent = os.path.dirname(rel)
        if parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(parent)
        # docs_dir is disposable (regenerated every build): a plain write, no temp file + rename
        target.write_bytes(data)
        if manifest:
            after = target.stat()
            record[rel] = [after.st_size, after.st_mtime_ns, digest]
    _remove_empty_dirs(out_dir)
    if manifest:
        _write_manifest(out_dir, record)
    return len(wanted)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _read_manifest(out_dir: Path) -> dict[str, list]:
    try:
        found = json.loads((out_dir / SYNC_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _write_manifest(out_dir: Path, record: Mapping[str, list]) -> None:
    temporary = out_dir / f"{SYNC_MANIFEST}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(record, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, out_dir / SYNC_MANIFEST)


def _existing_files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root: relative path -> (size, mtime_ns)."""
    found: dict[str, tuple[int, int]] = {}
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((rel + "/", entry.path))
                else:
                    st = entry.stat(follow_symlinks=False)
                    found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def _remove_empty_dirs(root: Path) -> None:
    for dirpath, dirs, files in os.walk(root, topdown=False):
        if Path(dirpath) != root and not os.listdir(dirpath):
            os.rmdir(dirpath)


__all__ = [
    "FEEDS",
    "PER_PAGE",
    "SITE_NAME",
    "Org",
    "SiteContext",
    "bib_path",
    "paper_bibtex",
    "build_context",
    "org_slug",
    "esc",
    "first_sentence",
    "render_pages",
    "site_pages",
    "write_pages",
]
