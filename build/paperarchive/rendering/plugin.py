"""The archive's MkDocs plugin, registered as ``paperarchive`` (entry point in pyproject.toml).

It is listed in mkdocs.yml ``plugins:``, so a bare ``mkdocs build`` of the generated pages (written
by ``paperarchive generate``) renders exactly what ``paperarchive build`` renders.

``paperarchive build`` hands the plugin its pages in memory (``pages``): they become MkDocs files
in the order MkDocs would have found them on disk, so nothing is written only to be read back
(11,600 files at 10k papers). Without ``pages`` (a bare ``mkdocs build``) the plugin adds nothing.

Shortcuts for the generated pages; the output is the same as without them:

* Paper and listing pages (pages.RAW_HTML_TEMPLATES) are one block of raw HTML, which
  Python-Markdown passes through unchanged (tests/test_pages.py checks that): handing it
  to the page directly skips two HTML parses per page, 40 % of MkDocs' time.
* For those pages MkDocs would still build a Python-Markdown parser with every extension,
  only to convert an empty text (a fifth of MkDocs' time at 10k papers, profiled): the page
  gets instead what that conversion gives (``render_empty``: no content, an empty table of
  contents, no anchors). Only on the MkDocs version audit.py was checked against.
* Every page loses Material's template indentation (collapse_whitespace).

``paperarchive build`` also gives the plugin ``shares`` (parallel.PageShares): the events that
mark the page loop (on_env, on_post_page, on_post_build, on_build_error) let several processes
share it.
"""

from __future__ import annotations

import logging
import os
import re
import types
from collections.abc import Callable, Mapping

from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from ..pages import RAW_HTML_TEMPLATES
from . import audit
from .parallel import PageShares

SITEMAP = "sitemap.xml"  # written by sitemap.py, never by MkDocs
_MKDOCS_LOG = logging.getLogger("mkdocs.structure.pages")  # the logger Page.render consults
_BLANKS = re.compile(r"\n\s+")
_VERBATIM = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)


def collapse_whitespace(page_html: str) -> str:
    """Drop the template indentation and blank lines (a third of a paper page), never inside <pre>/<textarea>."""
    pieces = _VERBATIM.split(page_html)
    # split() with two groups yields: text, verbatim, tag name, text, verbatim, tag name, ...
    out = []
    for i in range(0, len(pieces), 3):
        out.append(_BLANKS.sub("\n", pieces[i]))
        if i + 1 < len(pieces):
            out.append(pieces[i + 1])
    return "".join(out).lstrip()


def render_empty(page, config, files) -> None:
    """What mkdocs.structure.pages.Page.render sets for an empty Markdown text (Python-Markdown
    returns "" for a blank text before running any processor), without building a parser; the
    title it would extract is None, as a new Page's already is."""
    page.content = ""
    page.toc = get_toc([])
    page.present_anchor_ids = set()
    if _MKDOCS_LOG.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = {}


def walk_order(src_uri: str) -> tuple:
    """Where MkDocs' get_files meets a docs file: folders sorted by name, a folder's files (index
    first, then by name) before its sub-folders. The sitemap lists pages in this order."""
    *folders, name = src_uri.split("/")
    return (*((1, folder) for folder in folders), (0, os.path.splitext(name)[0] not in ("index", "README"), name))


def as_read_from_disk(src_uri: str, content: str | bytes) -> str | bytes:
    """A page's text as MkDocs reads its file (text mode: universal newlines, a UTF-8 BOM dropped);
    other files' bytes as they are."""
    if not src_uri.endswith(".md"):
        return content
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


class ArchivePlugin(BasePlugin):
    """In-memory docs (``pages``); raw-HTML pages skip Markdown; every page's whitespace is collapsed."""

    def __init__(self) -> None:
        self.raw_html: dict[str, str] = {}
        self.pages: Mapping[str, str | bytes] | None = None  # docs path -> content, set by paperarchive build
        self.shares: PageShares | None = None  # the page loop shared between processes, set by paperarchive build
        self.site_dir_ready: Callable[[], None] | None = None  # called once MkDocs has cleaned site_dir
        self.shortcuts = audit.supported()

    def on_config(self, config):
        # The archive writes its sitemap itself (sitemap.py), like its feeds: the theme's template is
        # not rendered (here) and not copied as a plain file either (on_files).
        config.theme.static_templates.discard(SITEMAP)
        return config

    def on_files(self, files: Files, config) -> Files:
        if self.site_dir_ready is not None:
            self.site_dir_ready()
        theme_sitemap = files.get_file_from_path(SITEMAP)
        if theme_sitemap is not None:
            files.remove(theme_sitemap)
        if self.pages is None:
            return files
        made = [
            File.generated(config, src_uri, content=as_read_from_disk(src_uri, self.pages[src_uri]))
            for src_uri in sorted(self.pages, key=walk_order)
        ]
        return Files([*made, *files])  # docs files first, then the theme's, as get_files + add_files_from_theme

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if self.shortcuts and page.meta.get("template") in RAW_HTML_TEMPLATES:
            self.raw_html[page.file.src_uri] = markdown
            page.render = types.MethodType(render_empty, page)
            return ""
        return markdown

    def on_env(self, env, config, files):
        if self.shares is not None:
            self.shares.fork(config, files)
        return env

    def on_page_content(self, html: str, page, config, files) -> str:
        raw = self.raw_html.pop(page.file.src_uri, None)
        return html if raw is None else raw.rstrip("\n")

    def on_post_page(self, output: str, page, config) -> str:
        if self.shares is not None:
            self.shares.rendered(page)
        return collapse_whitespace(output)

    def on_post_build(self, config) -> None:
        if self.shares is not None:
            self.shares.finish()

    def on_build_error(self, error: Exception) -> None:
        if self.shares is not None:
            self.shares.failed(error)


__all__ = ["ArchivePlugin", "as_read_from_disk", "collapse_whitespace", "walk_order"]
