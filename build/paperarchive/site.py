"""The site stage: store -> Markdown (generate.py) -> MkDocs + Material -> site/.

``build`` renders into a temporary folder beside ``site/`` and swaps it in only when everything
succeeded, so a failed build leaves the previous site intact. After MkDocs, the same folder gets
the search index (search.write_index) and one redirect page per retired paper id.

Determinism: when SOURCE_DATE_EPOCH is unset, the MkDocs run gets one derived from the content
(the newest date it knows), so the sitemap's lastmod and sitemap.xml.gz never carry the wall clock.

Paths in mkdocs.yml (docs_dir, site_dir, custom_dir) are relative to the config file; so are the
taxonomy (content/topics.yml) and the hand-written pages (content/pages/).
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from . import generate
from .records import Paper

TAXONOMY = Path("content/topics.yml")
PAGES = Path("content/pages")
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class BuildFailed(Exception):
    """The build cannot go on; the message says why (``FILE:LINE: message`` where there is one)."""


@dataclass(frozen=True)
class BuildReport:
    papers: int
    pages: int  # Markdown pages generated (hand-written ones included)
    redirects: int
    warnings: int
    generate_seconds: float  # store + topics + Markdown
    mkdocs_seconds: float  # MkDocs + Material rendering
    extras_seconds: float  # search index, redirects
    swap_seconds: float  # putting the new site in place and deleting the old one


# ---------------------------------------------------------------- public API (called by cli.py)


def generate_only(config: Path, store: Path, out: Path | None = None, *, err: TextIO | None = None) -> int:
    """Write the site's Markdown (no MkDocs run) into ``out`` or the config's docs_dir."""
    err = err or sys.stderr
    try:
        papers = load_papers(store, strict=False, err=err)
        taxonomy = load_taxonomy_for(config)
        docs_dir = Path(out) if out else _docs_dir_of(config)
        ctx = generate.build_context(papers, taxonomy)
        pages = generate.write_pages(ctx, docs_dir, hand_written_pages(config))
    except BuildFailed as exc:
        print(f"paperarchive generate: {exc}", file=err)
        return 1
    print(f"generated {pages} pages for {len(ctx.papers)} papers in {docs_dir}", file=err)
    return 0


def build(
    config: Path,
    store: Path,
    site_dir: Path | None = None,
    strict: bool = False,
    docs_dir: Path | None = None,
    *,
    err: TextIO | None = None,
) -> int:
    """Generate the pages and render the site; 0 on success, 1 when the build failed (site/ untouched)."""
    err = err or sys.stderr
    start = time.perf_counter()
    try:
        papers = load_papers(store, strict=strict, err=err)
        taxonomy = load_taxonomy_for(config)
        report = build_site(config, papers, taxonomy, site_dir=site_dir, strict=strict, docs_dir=docs_dir, err=err,
                            started=start)
    except BuildFailed as exc:
        print(f"paperarchive build: {exc}", file=err)
        print("paperarchive build: failed; the previous site was left as it was", file=err)
        return 1
    print(
        f"built {report.papers} papers, {report.pages} pages, {report.redirects} redirects in "
        f"{time.perf_counter() - start:.1f} s (generate {report.generate_seconds:.1f} s, "
        f"mkdocs {report.mkdocs_seconds:.1f} s, extras {report.extras_seconds:.1f} s, "
        f"swap {report.swap_seconds:.1f} s)",
        file=err,
    )
    return 0


def serve(config: Path, store: Path, dev_addr: str = "127.0.0.1:8000") -> int:
    """Preview with live reload: any change to the store, taxonomy, pages, theme or config rebuilds."""
    from urllib.parse import urlsplit

    from mkdocs.livereload import LiveReloadServer

    config = Path(config)
    host, _, port = dev_addr.rpartition(":")
    root = Path(tempfile.mkdtemp(prefix="paperarchive-serve-"))
    served = root / "site"

    def builder() -> None:
        try:
            papers = load_papers(store, strict=False, err=sys.stderr)
            report = build_site(config, papers, load_taxonomy_for(config), site_dir=served, err=sys.stderr)
            print(f"paperarchive serve: built {report.papers} papers, {report.pages} pages", file=sys.stderr)
        except BuildFailed as exc:
            print(f"paperarchive serve: {exc}", file=sys.stderr)

    builder()
    mkdocs_config = _load_mkdocs_config(config, docs_dir=None, site_dir=served, strict=False)
    mount_path = urlsplit(mkdocs_config.site_url or "/").path or "/"
    server = LiveReloadServer(builder=builder, host=host or "127.0.0.1", port=int(port), root=str(served),
                              mount_path=mount_path)
    for path in (Path(store), config, _base(config) / TAXONOMY, _base(config) / PAGES,
                 Path(mkdocs_config.theme.custom_dir or config.parent)):
        if path.exists():
            server.watch(str(path))
    print(f"paperarchive serve: http://{host or '127.0.0.1'}:{port}{mount_path}", file=sys.stderr)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(root, ignore_errors=True)
    return 0


# ---------------------------------------------------------------- the pipeline


def build_site(
    config: Path,
    papers: Iterable[Paper],
    taxonomy,
    site_dir: Path | None = None,
    strict: bool = False,
    docs_dir: Path | None = None,
    *,
    err: TextIO | None = None,
    started: float | None = None,
) -> BuildReport:
    """Papers -> site_dir, atomically: raises BuildFailed and leaves site_dir as it was on any failure."""
    err = err or sys.stderr
    config = Path(config)
    t0 = started if started is not None else time.perf_counter()
    with _MkDocsLog(err) as log:
        mkdocs_config = _load_mkdocs_config(config, docs_dir=docs_dir, site_dir=site_dir, strict=strict)
        final_site = Path(mkdocs_config.site_dir)
        docs = Path(mkdocs_config.docs_dir)
        ctx = generate.build_context(papers, taxonomy)
        pages = generate.write_pages(ctx, docs, hand_written_pages(config))
        t1 = time.perf_counter()

        final_site.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{final_site.name}.building-", dir=final_site.parent))
        try:
            os.chmod(staging, 0o755)
            mkdocs_config.site_dir = str(staging)
            mkdocs_config.plugins["paperarchive"] = _archive_plugin()
            with _source_date_epoch(ctx.newest_date):
                _run_mkdocs(mkdocs_config)
            if strict and log.warnings:
                raise BuildFailed(f"{log.warnings} MkDocs warning(s) in strict mode")
            t2 = time.perf_counter()
            drop_unused_theme_files(staging)
            write_extras(staging, ctx)
            write_search_index(staging, ctx)
            redirects = write_redirects(staging, ctx, mkdocs_config.site_url)
            t3 = time.perf_counter()
            _swap_in(staging, final_site)
            t4 = time.perf_counter()
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return BuildReport(
        papers=len(ctx.papers),
        pages=pages,
        redirects=redirects,
        warnings=log.warnings,
        generate_seconds=t1 - t0,
        mkdocs_seconds=t2 - t1,
        extras_seconds=t3 - t2,
        swap_seconds=t4 - t3,
    )


def load_papers(store: Path, strict: bool, err: TextIO) -> tuple[Paper, ...]:
    from . import records

    if not Path(store).is_dir():
        raise BuildFailed(f"{store}: no such store folder (ingest listings first: paperarchive ingest FILES --store {store})")
    loaded = records.load_store(Path(store))
    problems = tuple(getattr(loaded, "problems", ()))
    for problem in problems:
        print(str(problem), file=err)
    if strict and problems:
        raise BuildFailed(f"{len(problems)} problem(s) in the store {store} (--strict)")
    return tuple(loaded.papers.values())


def load_taxonomy_for(config: Path):
    from . import topics

    path = _base(config) / TAXONOMY
    try:
        return topics.load_taxonomy(path)
    except topics.TaxonomyError as exc:
        raise BuildFailed(str(exc)) from None


def hand_written_pages(config: Path) -> dict[str, bytes]:
    """content/pages/** as docs-relative path -> bytes (about.md, search.md, ...)."""
    folder = _base(config) / PAGES
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def write_extras(site_dir: Path, ctx: generate.SiteContext) -> None:
    """Files beside the pages, written straight into the staging site: the static JSON API."""
    from . import api

    for paper in ctx.papers:
        topics = [(t, ctx.topic(t).name) for t in ctx.topics_of[paper.id]]
        api.write_json(site_dir / api.paper_path(paper.id), api.paper_document(paper, topics))
    for day in ctx.days:
        api.write_json(site_dir / api.day_path(day), api.day_document(day, ctx.by_day[day]))
    for topic in ctx.topics:
        papers = ctx.by_topic.get(topic.id, ())
        api.write_json(site_dir / api.topic_path(topic.id), api.topic_document(topic.id, topic.name, topic.description, papers))


def write_search_index(site_dir: Path, ctx: generate.SiteContext) -> None:
    # The search stage is optional only while it is being written; once present, its errors are real.
    if importlib.util.find_spec(f"{__package__}.search") is None:
        return
    from . import search

    try:
        search.write_index(site_dir, ctx.papers, ctx.topic_names_of())
    except Exception as exc:  # one clear line; the previous site stays in place
        raise BuildFailed(f"search index: {type(exc).__name__}: {exc}") from exc


def write_redirects(site_dir: Path, ctx: generate.SiteContext, site_url: str | None) -> int:
    """papers/<retired id>/index.html -> the kept paper (after MkDocs, so the sitemap lists live pages only)."""
    written = 0
    for alias, kept in ctx.redirects.items():
        if not (_SAFE_ID.match(alias) and _SAFE_ID.match(kept)):
            raise BuildFailed(f"paper {kept!r}: alias {alias!r} is not a valid paper id")
        target = site_dir / "papers" / alias / "index.html"
        if target.exists():
            continue  # a live page always wins (build_context already drops live ids)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(redirect_html(kept, site_url), encoding="utf-8")
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


# ---------------------------------------------------------------- MkDocs


def _load_mkdocs_config(config: Path, docs_dir: Path | None, site_dir: Path | None, strict: bool):
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    overrides = {"strict": strict}
    if docs_dir is not None:
        Path(docs_dir).mkdir(parents=True, exist_ok=True)
        overrides["docs_dir"] = str(Path(docs_dir).resolve())
    else:
        # docs_dir is generated: MkDocs refuses a config whose docs_dir does not exist yet
        _configured_docs_dir(config).mkdir(parents=True, exist_ok=True)
    if site_dir is not None:
        overrides["site_dir"] = str(Path(site_dir).resolve())
    try:
        return load_config(config_file=str(config), **overrides)
    except (MkDocsException, OSError) as exc:
        raise BuildFailed(f"{config}: {exc}") from None


def _configured_docs_dir(config: Path) -> Path:
    import yaml

    class _Loader(yaml.SafeLoader):  # mkdocs.yml may use !ENV and other tags: read docs_dir only
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(Path(config).read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise BuildFailed(f"{config}: {exc}") from None
    return _base(config) / str(data.get("docs_dir") or "docs")


def _run_mkdocs(mkdocs_config) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    try:
        mkdocs_build(mkdocs_config)
    except MkDocsException as exc:
        raise BuildFailed(f"MkDocs: {exc}") from None
    except Exception as exc:  # a template error, a bad file: still one clear line, and site/ untouched
        raise BuildFailed(f"MkDocs: {type(exc).__name__}: {exc}") from exc


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


def _archive_plugin():
    """The in-process MkDocs plugin (its class is made here: importing site.py must not import MkDocs)."""
    from mkdocs.plugins import BasePlugin

    class ArchivePlugin(BasePlugin):
        """Two shortcuts for the generated pages; the output is the same as without them.

        * Paper and listing pages (generate.RAW_HTML_TEMPLATES) are one block of raw HTML, which
          Python-Markdown passes through unchanged (tests/test_generate.py checks that): handing it
          to the page directly skips two HTML parses per page, 40 % of MkDocs' time.
        * Every page loses Material's template indentation (collapse_whitespace).
        """

        def __init__(self) -> None:
            self.raw_html: dict[str, str] = {}

        def on_page_markdown(self, markdown: str, page, config, files) -> str:
            if page.meta.get("template") in generate.RAW_HTML_TEMPLATES:
                self.raw_html[page.file.src_uri] = markdown
                return ""
            return markdown

        def on_page_content(self, html: str, page, config, files) -> str:
            raw = self.raw_html.pop(page.file.src_uri, None)
            return html if raw is None else raw.rstrip("\n")

        def on_post_page(self, output: str, page, config) -> str:
            return collapse_whitespace(output)

    return ArchivePlugin()


# Material's own search (its worker and lunr's language files) is off; nothing loads these.
UNUSED_THEME_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers")


def drop_unused_theme_files(site_dir: Path) -> None:
    for rel in UNUSED_THEME_FILES:
        shutil.rmtree(site_dir / rel, ignore_errors=True)
    for source_map in (site_dir / "assets").rglob("*.map"):
        source_map.unlink()


class _MkDocsLog(logging.Handler):
    """Shows MkDocs' warnings and errors on err and counts them (for --strict and for the tests)."""

    def __init__(self, err: TextIO):
        super().__init__(level=logging.WARNING)
        self.err = err
        self.warnings = 0
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings += 1
        message = f"mkdocs: {record.levelname}: {record.getMessage()}"
        self.messages.append(message)
        print(message, file=self.err)

    def __enter__(self) -> "_MkDocsLog":
        self._logger = logging.getLogger("mkdocs")
        self._saved = (self._logger.level, self._logger.propagate)
        self._logger.addHandler(self)
        self._logger.setLevel(logging.WARNING)
        self._logger.propagate = False
        return self

    def __exit__(self, *exc) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._saved[0])
        self._logger.propagate = self._saved[1]


@contextlib.contextmanager
def _source_date_epoch(newest: date | None) -> Iterator[None]:
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    moment = datetime(*(newest or date(1970, 1, 1)).timetuple()[:3], tzinfo=timezone.utc)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _swap_in(staging: Path, final_site: Path) -> None:
    old = None
    if final_site.exists():
        old = final_site.with_name(f"{final_site.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(final_site, old)
    os.rename(staging, final_site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _base(config: Path) -> Path:
    return Path(config).resolve().parent


def _docs_dir_of(config: Path) -> Path:
    return Path(_load_mkdocs_config(Path(config), docs_dir=None, site_dir=None, strict=False).docs_dir)


__all__ = ["BuildFailed", "BuildReport", "build", "build_site", "generate_only", "serve"]
