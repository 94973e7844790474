"""A paper's permanent page (papers/<id>/)."""

from __future__ import annotations

import urllib.parse

from ..bibtex import bibtex
from ..escaping import esc, front_matter, href, pre_text, safe_url
from ..records import Paper
from ..sitemodel import SiteContext
from ..urls import UNDATED, day_url, org_url, paper_url
from .parts import long_date, plural, topic_links

PAPER_TEMPLATE = "paper.html"


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


def _external(url: str, label: str | None = None) -> str:
    return f'<a href="{esc(url)}" rel="nofollow">{esc(label or url)}</a>'


def paper_page(ctx: SiteContext, p: Paper) -> str:
    here = paper_url(p.id)
    facts: list[str] = []
    if p.day:
        facts.append(f'<a href="{href(here, day_url(p.day))}"><time datetime="{p.day.isoformat()}">{long_date(p.day)}</time></a>')
    else:
        facts.append(f'<a href="{href(here, UNDATED)}">date unknown</a>')
    if p.organization and p.id in ctx.org_of:
        facts.append(f'<a href="{href(here, org_url(ctx.org_of[p.id]))}">{esc(p.organization)}</a>')
    elif p.organization:
        facts.append(esc(p.organization))
    if p.authors_count is not None:
        facts.append(plural(p.authors_count, "author"))
    if p.comments:
        facts.append(plural(p.comments, "comment"))
    if p.upvotes is not None:
        facts.append(plural(p.upvotes, "upvote"))

    out = [
        # no description: it repeated the abstract's first words (176 bytes a paper), which the page
        # itself shows a few lines down; paper.html leaves the meta description out
        front_matter(title=p.title, template=PAPER_TEMPLATE),
        '<div class="pa-paper">\n',
        f'<h1 class="pa-title">{esc(p.title)}</h1>\n',
        f'<p class="pa-facts">{" · ".join(facts)}</p>\n',
    ]
    if p.authors:
        out.append(f'<p class="pa-authors">{esc(", ".join(p.authors))}</p>\n')
    if ctx.topics_of[p.id]:
        out.append(f'<p class="pa-topics">Topics: {topic_links(ctx, p.id, here)}</p>\n')
    out.append(f'<h2 id="abstract">Abstract</h2>\n<p class="pa-abstract">{esc(p.abstract)}</p>\n')

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
        f'<h2 id="cite">Cite</h2>\n<pre><code class="language-bibtex">{pre_text(bibtex(p))}</code></pre>\n'
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
