"""The archive's MkDocs plugin, registered as ``paperarchive`` (entry point in pyproject.toml).

It is listed in mkdocs.yml ``plugins:``, so a bare ``mkdocs build`` of the generated pages renders
exactly what ``paperarchive build`` renders, at the same cost: the build's own work is then the
difference between the two (benchmarks/build.py prints both).

Two shortcuts for the generated pages; the output is the same as without them:

* Paper and listing pages (generate.RAW_HTML_TEMPLATES) are one block of raw HTML, which
  Python-Markdown passes through unchanged (tests/test_generate.py checks that): handing it
  to the page directly skips two HTML parses per page, 40 % of MkDocs' time.
* For those pages MkDocs would still build a Python-Markdown parser with every extension,
  only to convert an empty text (a fifth of MkDocs' time at 10k papers, profiled): the page
  gets instead what that conversion gives (``_render_empty``: no content, an empty table of
  contents, no title, no anchors).
* Every page loses Material's template indentation (collapse_whitespace).

``paperarchive build`` also sets ``on_page`` to advance its progress bar (one step per page).
"""

from __future__ import annotations

import logging
import re
import types
from typing import Callable

from mkdocs.plugins import BasePlugin
from mkdocs.structure.toc import get_toc

from .generate import RAW_HTML_TEMPLATES

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


def _render_empty(page, config, files) -> None:
    """What mkdocs.structure.pages.Page.render sets for an empty Markdown text (Python-Markdown
    returns "" for a blank text before running any processor), without building a parser."""
    page.content = ""
    page.toc = get_toc([])
    page._title_from_render = None
    page.present_anchor_ids = set()
    if _MKDOCS_LOG.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = {}


class ArchivePlugin(BasePlugin):
    """Raw-HTML pages skip Markdown; every page's whitespace is collapsed."""

    def __init__(self) -> None:
        self.raw_html: dict[str, str] = {}
        self.on_page: Callable[[], None] | None = None

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if page.meta.get("template") in RAW_HTML_TEMPLATES:
            self.raw_html[page.file.src_uri] = markdown
            page.render = types.MethodType(_render_empty, page)
            return ""
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        raw = self.raw_html.pop(page.file.src_uri, None)
        return html if raw is None else raw.rstrip("\n")

    def on_post_page(self, output: str, page, config) -> str:
        if self.on_page is not None:
            self.on_page()
        return collapse_whitespace(output)


__all__ = ["ArchivePlugin", "collapse_whitespace"]
