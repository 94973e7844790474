"""What a paper page tells link previews, search engines and citation managers, in its ``<head>``;
and COinS, which lets a citation manager save every paper of a list page at once.

``paper_head`` gives the head's HTML: the meta description, Open Graph and Twitter card tags, the
Highwire ``citation_*`` tags that Zotero and Google Scholar read, and a schema.org
``ScholarlyArticle`` as JSON-LD. ``coins`` gives the ``<span class="Z3988">`` placed beside a paper
in day, topic and organization lists.

Every value goes through escaping.esc (attributes) or escaping.script_json (the JSON-LD), so the HTML
made here is safe to output as it is: the theme prints it without a second escaping.
"""

from __future__ import annotations

import re
from datetime import date

from .escaping import esc, query_string, safe_url, script_json
from .paperlinks import arxiv_abs_url, arxiv_id_of, arxiv_pdf_url
from .records import Paper

_SURROGATES_RE = re.compile("[\ud800-\udfff]")


def _meta(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{name}" content="{esc(content)}">'


def _highwire_date(d: date) -> str:
    return f"{d.year:04d}/{d.month:02d}/{d.day:02d}"


def _names(p: Paper) -> list[str]:
    return [a for a in p.authors if a.strip()]


def paper_head(p: Paper, *, page_url: str | None, description: str, site_name: str) -> str:
    """The head tags of the paper's page (one per line). ``page_url`` is the page's canonical absolute
    URL (None when the site's address is unknown), ``description`` the abstract's first sentence,
    ``site_name`` mkdocs.yml's site_name (the publisher)."""
    aid = arxiv_id_of(p)
    url = safe_url(page_url) if page_url else None
    tags = [
        _meta("name", "description", description),
        _meta("property", "og:type", "article"),
        _meta("property", "og:title", p.title),
        _meta("property", "og:description", description),
    ]
    if url:
        tags.append(_meta("property", "og:url", url))
    tags.append(_meta("property", "og:site_name", site_name))
    tags.append(_meta("name", "twitter:card", "summary"))  # title and description: read from og:*
    tags.append(_meta("name", "citation_title", p.title))
    tags += [_meta("name", "citation_author", name) for name in _names(p)]
    if p.published:
        tags.append(_meta("name", "citation_publication_date", _highwire_date(p.published)))
    if p.first_seen:
        tags.append(_meta("name", "citation_online_date", _highwire_date(p.first_seen)))
    if aid:
        tags.append(_meta("name", "citation_arxiv_id", aid))
        tags.append(_meta("name", "citation_pdf_url", arxiv_pdf_url(aid)))
    if url:
        tags.append(_meta("name", "citation_abstract_html_url", url))
    tags.append(f'<script type="application/ld+json">{script_json(scholarly_article(p, url, site_name))}</script>')
    return "\n".join(tags)


def scholarly_article(p: Paper, page_url: str | None, site_name: str) -> dict:
    """The paper as a schema.org ScholarlyArticle (JSON-LD)."""
    # no description: the meta and og:description tags carry it, 180 bytes a page not repeated
    article: dict = {"@context": "https://schema.org", "@type": "ScholarlyArticle", "headline": p.title}
    if page_url:
        article["url"] = page_url
    if p.published:
        article["datePublished"] = p.published.isoformat()
    if names := _names(p):
        article["author"] = [{"@type": "Person", "name": name} for name in names]
    if p.organization and p.organization.strip():
        article["sourceOrganization"] = {"@type": "Organization", "name": p.organization}
    if aid := arxiv_id_of(p):
        article["identifier"] = {"@type": "PropertyValue", "propertyID": "arXiv", "value": aid}
        article["sameAs"] = arxiv_abs_url(aid)
    article["publisher"] = {"@type": "Organization", "name": site_name}
    return article


def coins_fields(p: Paper, page_url: str | None) -> list[tuple[str, str]]:
    """The paper as an OpenURL ContextObject (Z39.88-2004, journal format, genre preprint)."""
    aid = arxiv_id_of(p)
    fields = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
        ("rft.genre", "preprint"),
        ("rft.atitle", p.title),
    ]
    if aid:
        fields.append(("rft.jtitle", "arXiv"))
    if p.published:
        fields.append(("rft.date", p.published.isoformat()))
    fields += [("rft.au", name) for name in _names(p)]
    if aid:
        fields.append(("rft_id", f"info:arxiv/{aid}"))
    if page_url and safe_url(page_url):
        fields.append(("rft_id", page_url))
    return fields


def coins(p: Paper, page_url: str | None) -> str:
    """The COinS span of a paper (empty and invisible; citation managers read its title attribute)."""
    query = query_string(
        ((name, _SURROGATES_RE.sub("\ufffd", value)) for name, value in coins_fields(p, page_url)), safe=":/"
    )
    return f'<span class="Z3988" title="{esc(query)}"></span>'


__all__ = ["coins", "coins_fields", "paper_head", "scholarly_article"]
