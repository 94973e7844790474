"""A paper's permanent page (papers/<id>/)."""

from __future__ import annotations

import dataclasses
import urllib.parse

from .. import bibtex, headtags, mathtext, paperlinks
from ..escaping import esc, front_matter, href, pre_text, query_string, quote_plus, safe_url
from ..records import Paper
from ..sitemodel import SiteContext, month_of
from ..urls import (
    DAYS_INDEX,
    HOME,
    UNDATED,
    api_paper_path,
    day_url,
    month_url,
    org_url,
    paper_url,
)
from .parts import (
    ABSTRACT_SHOWN_MAX,
    TITLE_SHOWN_MAX,
    cut,
    long_date,
    month_title,
    paper_parts,
    plural,
    short_date,
    topic_links,
)

PAPER_TEMPLATE = "paper.html"
BIBTEX_SHOWN_MAX = 2 * TITLE_SHOWN_MAX + 3000  # a title, many authors, the other fields


def _title_query(p: Paper) -> str:
    # a search needs the title's beginning only; a huge title would make every link as long
    return p.title[:TITLE_SHOWN_MAX]


def hugging_face_url(p: Paper) -> str:
    if p.arxiv_id:
        return "https://huggingface.co/papers/" + urllib.parse.quote(p.arxiv_id, safe=".")
    return "https://huggingface.co/papers?q=" + quote_plus(_title_query(p))


def arxiv_urls(p: Paper) -> tuple[tuple[str, str], ...]:
    if p.arxiv_id:
        aid = urllib.parse.quote(p.arxiv_id, safe="./")
        return (("arXiv", f"https://arxiv.org/abs/{aid}"), ("PDF", f"https://arxiv.org/pdf/{aid}"))
    query = query_string([("query", _title_query(p)), ("searchtype", "title")])
    return (("arXiv search", f"https://arxiv.org/search/?{query}"),)


def _external(url: str, label: str | None = None) -> str:
    return f'<a href="{esc(url)}" rel="nofollow">{esc(label or url)}</a>'


def abstract_html(p: Paper, here: str) -> str:
    """The abstract as shown on the paper page: escaped, inline math as MathML where it converts,
    bounded (the JSON API has the whole text)."""
    if len(p.abstract) <= ABSTRACT_SHOWN_MAX:
        return f'<p class="pa-abstract">{mathtext.abstract_html(p.abstract)}</p>\n'
    full = f'<a href="{href(here, api_paper_path(p.id))}">the whole abstract ({len(p.abstract):,} characters, JSON)</a>'
    return (f'<p class="pa-abstract">{esc(cut(p.abstract, ABSTRACT_SHOWN_MAX))}</p>\n'
            f'<p class="pa-cut">Shortened here: {full}.</p>\n')


def bounded(p: Paper) -> Paper:
    """The paper as its head tags and COinS describe it: the title bounded like the page's."""
    return p if len(p.title) <= TITLE_SHOWN_MAX else dataclasses.replace(p, title=cut(p.title, TITLE_SHOWN_MAX))


def head_tags(ctx: SiteContext, p: Paper) -> str:
    """The page's head tags (description, Open Graph, Highwire citation_*, JSON-LD): already escaped
    HTML, which paper.html outputs as it is."""
    return headtags.paper_head(bounded(p), page_url=bibtex.page_url_of(ctx.site_url, paper_url(p.id)),
                               description=paper_parts(ctx, p).first_sentence, site_name=ctx.identity.name)


def _actions(p: Paper) -> str:
    """Code, PDF and arXiv, where known: what a reader of a paper page looks for first."""
    links = paperlinks.paper_links(p)
    if not links:
        return ""
    return f'<p class="pa-actions">{" · ".join(_external(url, label) for label, url in links)}</p>\n'


def breadcrumb(ctx: SiteContext, p: Paper, here: str) -> str:
    """Home › Days › the day the paper was last featured (or its month of publication, or the undated list)."""
    featured = ctx.featured_on.get(p.id, ())
    if featured:
        day = featured[-1][0]
        place = (day_url(day), short_date(day))
    elif p.published:
        month = month_of(p.published)
        place = (month_url(month), month_title(month))
    else:
        place = (UNDATED, "Undated")
    links = [f'<a href="{href(here, HOME)}">Home</a>', f'<a href="{href(here, DAYS_INDEX)}">Days</a>',
             f'<a href="{href(here, place[0])}">{place[1]}</a>']
    return f'<nav class="pa-crumbs" aria-label="Breadcrumb">{" › ".join(links)}</nav>\n'


def _facts(ctx: SiteContext, p: Paper, here: str) -> str:
    facts: list[str] = []
    if p.published:
        when = f'<time datetime="{p.published.isoformat()}">{long_date(p.published)}</time>'
        facts.append(f'Published <a href="{href(here, month_url(month_of(p.published)))}">{when}</a>')
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
        facts.append(_upvotes(p))
    if p.github_stars is not None:
        facts.append(plural(p.github_stars, "GitHub star"))
    return f'<p class="pa-facts">{" · ".join(facts)}</p>\n'


def _upvotes(p: Paper) -> str:
    """The upvote count, and how it changed when several captures gave different counts:
    "24 upvotes on 4 March 2025, 31 later" (a later capture of the same day), "..., 40 on 5 March 2025"."""
    history = p.upvote_history
    if not history:
        return plural(p.upvotes, "upvote")
    first, rest = history[0], history[1:]
    said = [plural(first.upvotes, "upvote") + (f" on {long_date(first.day)}" if first.day else "")]
    previous = first.day
    for point in rest:
        same_day = point.day == previous or point.day is None
        said.append(f"{point.upvotes:,} later" if same_day else f"{point.upvotes:,} on {long_date(point.day)}")
        previous = point.day
    return ", ".join(said)


def _authors(p: Paper) -> str:
    """The authors, each who claimed the paper on Hugging Face linked to their profile there."""
    profiles = {a.name: a for a in p.author_profiles}
    names = [_external(profiles[name].url, name) if name in profiles else esc(name) for name in p.authors]
    return f'<p class="pa-authors">{", ".join(names)}</p>\n'


def hf_summary(p: Paper) -> str:
    """Hugging Face's AI summary and keywords, labelled as theirs; nothing when the API gave neither."""
    if not p.ai_summary and not p.keywords:
        return ""
    heading = "AI summary by Hugging Face" if p.ai_summary else "AI keywords by Hugging Face"
    out = ['<section class="pa-hf-summary" aria-labelledby="hf-summary">\n', f'<h2 id="hf-summary">{heading}</h2>\n']
    if p.ai_summary:
        out.append(f'<p class="pa-ai-summary">{esc(cut(p.ai_summary, ABSTRACT_SHOWN_MAX))}</p>\n')
    if p.keywords:
        out.append(f'<p class="pa-ai-keywords">Keywords: {esc(", ".join(p.keywords))}</p>\n')
    out.append('<p class="pa-note">Generated by Hugging Face\'s AI from the paper, not written by its authors.</p>\n')
    out.append("</section>\n")
    return "".join(out)


def _featured(ctx: SiteContext, p: Paper, here: str) -> str:
    days = ctx.featured_on.get(p.id, ())
    if not days:
        return ""
    links = ", ".join(
        f'<a href="{href(here, day_url(d))}">{short_date(d)}</a> (#{place})'
        for d, place in days
    )
    return f'<p class="pa-featured">Featured on Daily Papers: {links}</p>\n'


def paper_bibtex(ctx: SiteContext, p: Paper) -> str:
    """The paper's BibTeX entry, as on its page and in every .bib file that lists it."""
    return bibtex.entry(p, ctx.cite_keys[p.id], bibtex.page_url_of(ctx.site_url, paper_url(p.id)))


def _cite(ctx: SiteContext, p: Paper) -> str:
    """The BibTeX entry to copy, and its file; an entry too long to show (a huge title) is in the file only."""
    entry = paper_bibtex(ctx, p)
    shown = (f'<pre><code class="language-bibtex">{pre_text(entry)}</code></pre>\n' if len(entry) <= BIBTEX_SHOWN_MAX
             else f"<p>The entry is {len(entry):,} characters long: download it.</p>\n")
    return f'<h2 id="cite">Cite</h2>\n{shown}<p><a href="{esc(p.id)}.bib" download>Download BibTeX</a></p>\n'


def paper_page(ctx: SiteContext, p: Paper) -> str:
    here = paper_url(p.id)
    out = [
        # no description: it repeated the abstract's first words (176 bytes a paper), which the page
        # itself shows a few lines down; paper.html leaves the meta description out
        front_matter(title=cut(p.title, TITLE_SHOWN_MAX), template=PAPER_TEMPLATE, head=head_tags(ctx, p)),
        '<div class="pa-paper">\n',
        breadcrumb(ctx, p, here),
        f'<h1 class="pa-title">{paper_parts(ctx, p).title}</h1>\n',
        _facts(ctx, p, here),
        _actions(p),
    ]
    if p.authors:
        out.append(_authors(p))
    out.append(_featured(ctx, p, here))
    if ctx.topics_of[p.id]:
        out.append(f'<p class="pa-topics">Topics: {topic_links(ctx, p.id, here)}</p>\n')
    out.append(f'<h2 id="abstract">Abstract</h2>\n{abstract_html(p, here)}')
    out.append(hf_summary(p))

    links: list[str] = []
    code = paperlinks.repository_url(p)
    if p.project_page and safe_url(p.project_page):
        links.append(f"<li>Project page: {_external(p.project_page)}</li>")
    in_abstract = [u for u in p.links if safe_url(u) and u not in (code, p.project_page)]
    links += [f"<li>Link in the abstract: {_external(u)}</li>" for u in in_abstract]
    lookups = [_external(hugging_face_url(p), "Hugging Face" if p.arxiv_id else "Hugging Face search")]
    if not paperlinks.arxiv_id_of(p):  # the actions line has arXiv and PDF when the id is known
        lookups += [_external(url, label) for label, url in arxiv_urls(p)]
    links.append(f"<li>{' · '.join(lookups)}</li>")
    out.append(f'<h2 id="links">Links</h2>\n<ul class="pa-links">\n{chr(10).join(links)}\n</ul>\n')

    out.append(_cite(ctx, p))
    related_ids = ctx.related.get(p.id, ())
    if related_ids:
        items = "".join(
            # a sibling (papers/<id>/); alone in its item, so a bidi override in it reaches nothing else
            f'<li><a href="../{other.id}/">{paper_parts(ctx, other).title}</a></li>'
            for other in map(ctx.paper_by_id.__getitem__, related_ids)
        )
        out.append(f'<h2 id="related">Related papers</h2>\n<ul class="pa-related">{items}</ul>\n')
    out.append("</div>\n")
    return "".join(out)
