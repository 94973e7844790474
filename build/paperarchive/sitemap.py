"""The site's ``sitemap.xml`` and ``sitemap.xml.gz``, written by the archive like its feeds.

One ``<url>`` line per page, in the order MkDocs reads the pages (rendering.plugin.walk_order), each
page's address as MkDocs gives it (``use_directory_urls``: ``about.md`` -> ``about/``). Only the
home page carries ``<lastmod>``: every page would carry the same date, the content's newest, which
tells a crawler nothing per page and costs 30 bytes a page. The gzip copy's header holds no time
(mtime 0) and no folder, so it is the same for the same pages, whatever their dates.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote, urljoin
from xml.sax.saxutils import escape

from .rendering.plugin import walk_order

PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # what MkDocs renders as a page
_XML_QUOTES = {'"': "&quot;", "'": "&apos;"}


def write_sitemap(site_dir: Path, docs_paths: Iterable[str], site_url: str | None, newest: date | None) -> None:
    """``sitemap.xml`` and ``sitemap.xml.gz`` for the pages at ``docs_paths`` (docs-relative)."""
    data = sitemap_xml(docs_paths, site_url, home_lastmod(newest)).encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(data)
    (site_dir / "sitemap.xml.gz").write_bytes(gzip_without_time(data, "sitemap.xml.gz"))


def sitemap_xml(docs_paths: Iterable[str], site_url: str | None, lastmod: str | None) -> str:
    """The sitemap text; without a site_url, MkDocs knows no absolute address and lists no page."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        for path in sorted((p for p in docs_paths if p.endswith(PAGE_SUFFIXES)), key=walk_order):
            url = page_url(path)
            stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod and url == "" else ""
            lines.append(f"<url><loc>{escape(urljoin(base, url), _XML_QUOTES)}</loc>{stamp}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def page_url(docs_path: str) -> str:
    """A page's address relative to the site root, as MkDocs makes it with use_directory_urls."""
    *folders, name = docs_path.split("/")
    stem = os.path.splitext(name)[0]
    parts = folders if stem in ("index", "README") else [*folders, stem]
    return quote("/".join(parts) + "/") if parts else ""


def home_lastmod(newest: date | None) -> str | None:
    """The build date MkDocs would give the home page: SOURCE_DATE_EPOCH when set, else the content's newest day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            pass
    return (newest or date(1970, 1, 1)).isoformat()


def gzip_without_time(data: bytes, name: str) -> bytes:
    """gzip bytes whose header holds mtime 0 (a 32-bit field no date can overflow) and the bare file name."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buffer, mtime=0) as out:
        out.write(data)
    return buffer.getvalue()
