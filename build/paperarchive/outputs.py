"""The files of the site that MkDocs does not render: JSON API, feeds, BibTeX files, search index, redirects.

Each is written from the site model (``generate.SiteContext``) alone, never from the rendered pages,
into a new folder private to the build (it is moved into the site whole), so a plain write is enough.
``write_side_files`` writes everything but the redirects, which are written after MkDocs into the
rendered site (so the sitemap lists live pages only) and checked before anything is written
(``check_redirects``).
"""

from __future__ import annotations

import re
from pathlib import Path

from . import generate

_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class OutputError(Exception):
    """An output cannot be written from this context; the message says why."""


def write_side_files(out_dir: Path, ctx: generate.SiteContext) -> None:
    """Everything written from the context alone: API, feeds, BibTeX files, search index."""
    write_api(out_dir, ctx)
    write_feeds(out_dir, ctx, ctx.site_url or "/")
    write_bibtex(out_dir, ctx)
    write_search_index(out_dir, ctx)


def write_api(site_dir: Path, ctx: generate.SiteContext) -> None:
    from . import api

    documents = [(api.paper_path(p.id), api.paper_document(p, ctx.topics_of[p.id])) for p in ctx.papers]
    documents += [(api.day_path(day), api.day_document(day, ctx.by_day[day])) for day in ctx.days]
    documents += [(api.topic_path(t.id), api.topic_document(t.id, t.name, t.description, ctx.by_topic.get(t.id, ())))
                  for t in ctx.topics]
    documents += [(api.org_path(o.id), api.org_document(o.id, o.name, ctx.by_org[o.id])) for o in ctx.orgs]
    for path, document in documents:
        write_file(site_dir / path, api.encode_json(document))


def write_feeds(site_dir: Path, ctx: generate.SiteContext, site_url: str) -> None:
    """The newest papers of the archive (feed.xml, atom.xml, feed.json at the root: FEED_SIZE) and of
    each topic (topics/<id>/feed.xml, ...: TOPIC_FEED_SIZE), with absolute links from site_url (feed
    readers need them)."""
    from . import feeds

    makers = {"feed.xml": feeds.rss_feed, "atom.xml": feeds.atom_feed, "feed.json": feeds.json_feed}
    home = site_url.rstrip("/") + "/"
    channels = [("", generate.SITE_NAME, "The newest papers of the Hugging Face Daily Papers archive.", ctx.papers,
                 feeds.FEED_SIZE)]
    channels += [
        (generate.topic_url(t.id), f"{generate.SITE_NAME}: {t.name}", t.description, ctx.by_topic[t.id],
         feeds.TOPIC_FEED_SIZE)
        for t in ctx.topics
    ]
    for base, title, description, papers, limit in channels:
        for name, _kind, _label in generate.FEEDS:
            text = makers[name](
                papers, title=title, site_url=home, feed_url=home + base + name, description=description, limit=limit
            )
            write_file(site_dir / base / name, text.encode("utf-8", "backslashreplace"))


def write_bibtex(site_dir: Path, ctx: generate.SiteContext) -> None:
    """papers/<id>/<id>.bib, days/<date>/<date>.bib and topics/<id>/<id>.bib (each entry as on the paper page)."""
    entries = {p.id: generate.bibtex(p) for p in ctx.papers}
    groups = [(p.url, (p,)) for p in ctx.papers]
    groups += [(generate.day_url(d), ctx.by_day[d]) for d in ctx.days]
    groups += [(generate.topic_url(t.id), ctx.by_topic[t.id]) for t in ctx.topics]
    for url, papers in groups:
        text = "\n".join(entries[p.id] for p in papers)
        write_file(site_dir / generate.bib_path(url), text.encode("utf-8", "backslashreplace"))


def topic_names(ctx: generate.SiteContext) -> dict[str, str]:
    """Topic id -> name, for the topics some paper has (by id): what the search index names."""
    return {t.id: t.name for t in sorted(ctx.topics, key=lambda t: t.id) if ctx.by_topic.get(t.id)}


def write_search_index(site_dir: Path, ctx: generate.SiteContext) -> None:
    from . import search

    try:
        search.write_index(site_dir, ctx.papers, ctx.topic_names_of(), topic_names(ctx))
    except Exception as exc:  # one clear line; the previous site stays in place
        raise OutputError(f"search index: {type(exc).__name__}: {exc}") from exc


def check_redirects(ctx: generate.SiteContext) -> None:
    """Every retired id and the id it points to are valid paper ids (they become folder names)."""
    for alias, kept in ctx.redirects.items():
        if not (_SAFE_ID.match(alias) and _SAFE_ID.match(kept)):
            raise OutputError(f"paper {kept!r}: alias {alias!r} is not a valid paper id")


def write_redirects(site_dir: Path, ctx: generate.SiteContext) -> int:
    """papers/<retired id>/index.html -> the kept paper (after MkDocs, so the sitemap lists live pages only)."""
    check_redirects(ctx)
    written = 0
    for alias, kept in ctx.redirects.items():
        target = site_dir / "papers" / alias / "index.html"
        if target.exists():
            continue  # a live page always wins (build_context already drops live ids)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(redirect_html(kept, ctx.site_url), encoding="utf-8")
        written += 1
    return written


def redirect_html(kept: str, site_url: str | None) -> str:
    relative = f"../{kept}/"
    canonical = f"{site_url.rstrip('/')}/papers/{kept}/" if site_url else relative
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved: {kept}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f'<meta http-equiv="refresh" content="0; url={relative}">\n'
        f'<script>location.replace("{relative}" + location.hash)</script>\n'
        "</head>\n<body>\n"
        f'<p>This paper now lives at <a href="{relative}">papers/{kept}/</a>.</p>\n'
        "</body>\n</html>\n"
    )


def write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


__all__ = ["OutputError", "check_redirects", "redirect_html", "topic_names", "write_api", "write_bibtex",
           "write_feeds", "write_redirects", "write_search_index", "write_side_files"]
