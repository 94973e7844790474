"""The files of the site that MkDocs does not render: JSON API, feeds, BibTeX files, search index, the data
set (``data/``), redirects.

Each is made from the site model (``SiteContext``) alone, never from the rendered pages.
``side_files`` makes all but the redirects in memory (site path -> bytes); ``write_files`` writes
them into the site being built (new and private to the build, so a plain write is enough). The
redirects are written after MkDocs into the rendered site (so the sitemap lists live pages only),
and checked before anything is written (``check_redirects``).
"""

from __future__ import annotations

import gc
import os
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import bibtex, dataset, urls
from .records import is_valid_id
from .sitemodel import SiteContext


class OutputError(Exception):
    """An output cannot be made from this context; the message says why."""


def side_files(ctx: SiteContext) -> dict[str, bytes]:
    """Everything made from the context alone: API, feeds, BibTeX files, search index."""
    with _collector_paused():
        files = api_files(ctx)
        files.update(feed_files(ctx, ctx.site_url or "/"))
        files.update(bibtex_files(ctx))
        files.update(search_index_files(ctx))
        files.update(dataset.dataset_files(ctx.papers, ctx.topics_of))
    return files


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while: the side files make short-lived containers by
    the hundred thousand, none in a cycle, and the collector's passes over them and the whole site
    model cost a tenth of their CPU seconds."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def write_files(site_dir: Path, files: dict[str, bytes]) -> None:
    made: set[str] = set()
    for path, data in files.items():
        folder = posixpath.dirname(path)
        if folder not in made:
            os.makedirs(os.path.join(site_dir, folder), exist_ok=True)
            made.add(folder)
        with open(os.path.join(site_dir, path), "wb") as out:
            out.write(data)


def api_files(ctx: SiteContext) -> dict[str, bytes]:
    from . import api

    documents = [(urls.api_paper_path(p.id), api.paper_document(p, ctx.topics_of[p.id])) for p in ctx.papers]
    documents += [(urls.api_day_path(day), api.day_document(day, ctx.by_day[day])) for day in ctx.days]
    documents += [(urls.api_topic_path(t.id), api.topic_document(t.id, t.name, t.description, ctx.by_topic.get(t.id, ())))
                  for t in ctx.topics]
    documents += [(urls.api_org_path(o.id), api.org_document(o.id, o.name, ctx.by_org[o.id])) for o in ctx.orgs]
    return {str(path): api.encode_json(document) for path, document in documents}


def feed_files(ctx: SiteContext, site_url: str) -> dict[str, bytes]:
    """The newest papers of the archive (feed.xml, atom.xml, feed.json at the root), of each topic
    (topics/<id>/feed.xml, ...) and of each organization (orgs/<id>/...), titled with the site's name,
    with absolute links from site_url (feed readers need them)."""
    from . import feeds

    identity, newest = ctx.identity, ctx.newest_date
    channels = [(feeds.archive_channel(identity, site_url=site_url, newest=newest), ctx.papers)]
    channels += [(feeds.topic_channel(identity, site_url=site_url, page=urls.topic_url(t.id), name=t.name,
                                      about=t.description, newest=newest), ctx.by_topic[t.id]) for t in ctx.topics]
    org_feeds = [name for name, _kind, _label in urls.ORG_FEEDS]
    channels = [(channel, papers, None) for channel, papers in channels]
    channels += [(feeds.org_channel(identity, site_url=site_url, page=urls.org_url(o.id), name=o.name,
                                    newest=newest), ctx.by_org[o.id], org_feeds) for o in ctx.orgs]
    channels += [(channel, papers, None) for channel, papers in _top_channels(ctx, site_url)]
    files = {}
    for channel, papers, names in channels:
        for path, text in feeds.feed_documents(channel, papers, names).items():
            files[path] = text.encode("utf-8", "backslashreplace")
    return files


def _top_channels(ctx: SiteContext, site_url: str) -> list:
    """The top-of-the-week and top-of-the-month feeds, beside ``popular/weeks/`` and ``popular/months/``
    (none when no upvotes are known: the pages are not made either)."""
    from . import feeds, popularity

    weeks = popularity.top_of_weeks(ctx)
    if not weeks:
        return []
    months = popularity.top_of_months(ctx)
    return [(feeds.top_channel(ctx.identity, site_url=site_url, page=page, period=period, newest=ctx.newest_date),
             popularity.feed_selection(tops))
            for page, period, tops in ((urls.POPULAR_WEEKS, "week", weeks), (urls.POPULAR_MONTHS, "month", months))]


def bibtex_files(ctx: SiteContext) -> dict[str, bytes]:
    """papers/<id>/<id>.bib, and one file of the papers of each day, topic and organization."""
    entries = bibtex.entries_by_id(ctx.papers, ctx.cite_keys, ctx.site_url)
    groups = [(urls.paper_url(p.id), (p,)) for p in ctx.papers]
    groups += [(urls.day_url(d), ctx.by_day[d]) for d in ctx.days]
    groups += [(urls.topic_url(t.id), ctx.by_topic[t.id]) for t in ctx.topics]
    groups += [(urls.org_url(o.id), ctx.by_org[o.id]) for o in ctx.orgs]
    return {str(urls.bib_path(url)): bibtex.bibtex_file(entries[p.id] for p in papers).encode("utf-8", "backslashreplace")
            for url, papers in groups}


def topic_names(ctx: SiteContext) -> dict[str, str]:
    """Topic id -> name, for the topics some paper has (by id): what the search index names."""
    return {t.id: t.name for t in sorted(ctx.topics, key=lambda t: t.id) if ctx.by_topic.get(t.id)}


def search_index_files(ctx: SiteContext) -> dict[str, bytes]:
    from . import search

    try:
        files = search.index_files(search.search_records(ctx.papers, ctx.topic_names_of()), topic_names(ctx))
    except Exception as exc:  # one clear line; the previous site stays in place
        raise OutputError(f"search index: {type(exc).__name__}: {exc}") from exc
    return {f"{search.INDEX_DIR}/{path}": data for path, data in files.items()}


def check_redirects(ctx: SiteContext) -> None:
    """Every retired id and the id it points to are valid paper ids (they become folder names)."""
    for alias, kept in ctx.redirects.items():
        if not (is_valid_id(alias) and is_valid_id(kept)):
            raise OutputError(f"paper {kept!r}: alias {alias!r} is not a valid paper id")


def write_redirects(site_dir: Path, ctx: SiteContext) -> int:
    """papers/<retired id>/index.html -> the kept paper (after MkDocs, so the sitemap lists live pages only);
    the ids were checked before anything was written (check_redirects)."""
    written = 0
    for alias, kept in ctx.redirects.items():
        target = site_dir / urls.paper_url(alias) / "index.html"
        if target.exists():
            continue  # a live page always wins (build_context already drops live ids)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(redirect_html(kept, ctx.site_url), encoding="utf-8")
        written += 1
    return written


def redirect_html(kept: str, site_url: str | None) -> str:
    relative = f"../{kept}/"
    canonical = f"{site_url.rstrip('/')}/{urls.paper_url(kept)}" if site_url else relative
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


__all__ = ["OutputError", "api_files", "bibtex_files", "check_redirects", "feed_files", "redirect_html",
           "search_index_files", "side_files", "topic_names", "write_files", "write_redirects"]
