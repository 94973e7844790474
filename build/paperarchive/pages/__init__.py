"""Every page of the site as Markdown, for MkDocs (``paperarchive build`` hands the pages to it in
memory; ``paperarchive generate`` writes them into docs_dir).

``render_pages(ctx)`` turns the site model into ``{docs path: Markdown text}``: the paper pages
(``paper.py``), the listings (``listings.py``: days, weeks, months, years, topics, organizations), the
entry pages (``indexes.py``), the most upvoted papers (``popular.py``) and the reading list's shell
(``readinglist.py``). Every link is relative (``../../days/2025-11-20/``), so the site works under any sub-path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from ..foldersync import sync_folder
from ..sitemodel import SiteContext
from ..urls import DAYS_INDEX, TOPICS_INDEX, paper_url, src_for_url
from .indexes import days_index, home_page, orgs_index_pages, topics_index
from .listings import (
    LISTING_TEMPLATE,
    day_pages,
    month_pages,
    org_pages,
    topic_pages,
    undated_pages,
    week_pages,
    year_page,
)
from .paper import PAPER_TEMPLATE, paper_page
from .popular import popular_pages
from .readinglist import reading_list_page

# Pages with these templates are a single block of raw HTML: Markdown would pass them through unchanged.
RAW_HTML_TEMPLATES = frozenset({PAPER_TEMPLATE, LISTING_TEMPLATE})


def render_pages(ctx: SiteContext) -> dict[str, str]:
    """Every generated page: docs-relative path -> Markdown text."""
    # a context of this rendering's own: what the pages make once per paper (SiteContext.paper_parts) goes with it
    ctx = dataclasses.replace(ctx)
    pages: dict[str, str] = {
        "index.md": home_page(ctx),
        src_for_url(DAYS_INDEX): days_index(ctx),
        src_for_url(TOPICS_INDEX): topics_index(ctx),
    }
    pages.update(reading_list_page())
    pages.update(undated_pages(ctx))
    for d in ctx.days:
        pages.update(day_pages(ctx, d))
    for t in ctx.topics:
        pages.update(topic_pages(ctx, t))
    for week in ctx.weeks:
        pages.update(week_pages(ctx, week))
    for year, months in ctx.months_of_year().items():
        pages.update(year_page(ctx, year, months))
    for month in ctx.months:
        pages.update(month_pages(ctx, month))
    pages.update(popular_pages(ctx))
    pages.update(orgs_index_pages(ctx))
    for o in ctx.orgs:
        pages.update(org_pages(ctx, o))
    for p in ctx.papers:
        pages[src_for_url(paper_url(p.id))] = paper_page(ctx, p)
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
