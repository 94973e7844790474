"""Pieces every kind of page uses: dates and counts as words, a paper in a list, topic links, figures."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date

from .. import bibtex, headtags
from ..escaping import esc, href
from ..records import Paper
from ..sitemodel import SiteContext
from ..urls import FEEDS, feed_url, paper_url, topic_url

FIRST_SENTENCE_MAX = 280
# What one paper may cost on a page: a longer title or abstract is cut (with an ellipsis) where it is
# shown; the store and the JSON API keep the whole text.
TITLE_SHOWN_MAX = 300
ABSTRACT_SHOWN_MAX = 5000
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def month_title(month: str) -> str:
    year, mon = month.split("-")
    return f"{MONTHS[int(mon) - 1]} {year}"


def short_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"


def cut(text: str, limit: int) -> str:
    """``text``, or its first ``limit`` characters and an ellipsis."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def title_html(title: str) -> str:
    """A title as shown in running text: bounded, escaped and isolated (<bdi>), so a bidi override in it
    (an unclosed U+202E) never reorders what follows it."""
    return f"<bdi>{esc(cut(title, TITLE_SHOWN_MAX))}</bdi>"


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


def first_sentence(text: str, limit: int = FIRST_SENTENCE_MAX) -> str:
    """The abstract's first sentence (cut at a word, with an ellipsis, when very long)."""
    text = spaced_head(text, limit + 3)  # a sentence end is a space between two characters
    match = _SENTENCE_END.search(text)
    sentence = text[: match.start()] if match else text
    if len(sentence) > limit:
        cut = sentence.rfind(" ", 0, limit)
        sentence = sentence[: cut if cut > limit // 2 else limit].rstrip() + "…"
    return sentence


def spaced_head(text: str, size: int) -> str:
    """``" ".join(text.split())``, or a prefix of it at least ``size`` long: all a first sentence of at most
    ``size - 3`` characters depends on (an abstract is ~1,400 characters, its first sentence ~170)."""
    head = " ".join(text[: 2 * size].split())
    return head if len(head) >= size or 2 * size >= len(text) else " ".join(text.split())


def topic_links(ctx: SiteContext, paper_id: str, from_url: str) -> str:
    return ", ".join(
        f'<a href="{href(from_url, topic_url(tid))}">{esc(ctx.topic(tid).name)}</a>'
        for tid in ctx.topics_of[paper_id]
    )


def coins(ctx: SiteContext, p: Paper) -> str:
    """The paper's COinS span, so a citation manager saves a whole list at once (title bounded like the page's)."""
    if len(p.title) > TITLE_SHOWN_MAX:
        p = dataclasses.replace(p, title=cut(p.title, TITLE_SHOWN_MAX))
    return headtags.coins(p, bibtex.page_url_of(ctx.site_url, paper_url(p.id)))


@dataclasses.dataclass(frozen=True)
class PaperParts:
    """What the pages show of a paper wherever it appears: made once per paper (``paper_parts``), since a
    paper is listed on ~5 pages and named on more (its neighbours' related papers, its week)."""

    title: str  # escaped and bounded, as running text shows it
    first_sentence: str  # the abstract's (not escaped)
    coins: str  # its COinS span


def paper_parts(ctx: SiteContext, p: Paper) -> PaperParts:
    """The paper's parts, made on first use and kept in the site model for the rest of the pages."""
    made = ctx.paper_parts.get(p.id)
    if made is None:
        made = ctx.paper_parts[p.id] = make_paper_parts(ctx, p)
    return made


def make_paper_parts(ctx: SiteContext, p: Paper) -> PaperParts:
    return PaperParts(esc(cut(p.title, TITLE_SHOWN_MAX)), first_sentence(p.abstract), coins(ctx, p))


def paper_item(ctx: SiteContext, p: Paper, here: str, full: bool) -> str:
    """One paper in a listing, with its publication date; day pages (full) add its first sentence,
    organization and topics."""
    made = paper_parts(ctx, p)
    published = p.published.isoformat() if p.published else "undated"
    head = (f'<li><a href="{href(here, paper_url(p.id))}"><bdi>{made.title}</bdi></a> <span class="pa-date">{published}</span>'
            f'{made.coins}')
    if not full:
        return head + "</li>"
    parts = [head, f"<br><bdi>{esc(made.first_sentence)}</bdi>"]
    extra = [f"<bdi>{esc(cut(p.organization, TITLE_SHOWN_MAX))}</bdi>"] if p.organization else []
    if ctx.topics_of[p.id]:
        extra.append(topic_links(ctx, p.id, here))
    if extra:
        parts.append(f'<br><span class="pa-topics">{" · ".join(extra)}</span>')
    parts.append("</li>")
    return "".join(parts)


def title_item(ctx: SiteContext, p: Paper, here: str) -> str:
    """A paper in a list of titles only (a week's days): alone in its item, so no isolation is needed."""
    return f'<li><a href="{href(here, paper_url(p.id))}">{paper_parts(ctx, p).title}</a></li>'


def feed_links(here: str, base: str, feeds: Sequence[tuple[str, str, str]] = FEEDS) -> str:
    """Visible links to the feeds in ``base`` (the site root, a topic's or an organization's folder)."""
    links = " · ".join(
        f'<a href="{href(here, feed_url(base, name))}" type="{kind}">{label}</a>' for name, kind, label in feeds
    )
    return f'<p class="pa-feeds">Feeds of the newest papers: {links}</p>\n'


def figure(svg: str) -> str:
    # <figure> is a block-level tag for Python-Markdown: the inline SVG (one line) passes through untouched
    return f'<figure class="pa-figure">{svg}</figure>\n'


def monthly_counts(papers: Sequence[Paper]) -> dict[str, int]:
    """Papers published per month ("YYYY-MM"), oldest first."""
    counts: dict[str, int] = {}
    for p in papers:
        if p.published:
            key = f"{p.published.year:04d}-{p.published.month:02d}"
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))
