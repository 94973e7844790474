"""The site stage: store -> Markdown (generate.py) -> MkDocs + Material -> site/.

``build`` renders into a temporary folder beside ``site/`` and swaps it in only when everything
succeeded, so a failed build leaves the previous site intact. Beside MkDocs, the same folder gets
the search index (search.write_index), the JSON API, feeds and citations; after it, one redirect
page per retired paper id.

Determinism: when SOURCE_DATE_EPOCH is unset, the MkDocs run gets one derived from the content
(the newest date it knows), so the sitemap's lastmod and sitemap.xml.gz never carry the wall clock.

Paths in mkdocs.yml (docs_dir, site_dir, custom_dir) are relative to the config file; so are the
taxonomy (content/topics.yml) and the hand-written pages (content/pages/).
"""

from __future__ import annotations

import contextlib
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

from . import generate, related, render, sitemap
from .progress import Progress, summary
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
    extras_seconds: float  # after MkDocs: waiting for the side job, merging its files, redirects
    swap_seconds: float  # putting the new site in place and deleting the old one
    side_seconds: float = 0.0  # the side job's own time (search index, API, feeds): beside MkDocs when parallel
    side_in_parallel: bool = False


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
    *,
    err: TextIO | None = None,
) -> int:
    """Generate the pages and render the site; 0 on success, 1 when the build failed (site/ untouched)."""
    err = err or sys.stderr
    start = time.perf_counter()
    with Progress(err, "loading the store") as bar:
        try:
            papers = load_papers(store, strict=strict, err=err)
            taxonomy = load_taxonomy_for(config)
            report = build_site(config, papers, taxonomy, site_dir=site_dir, strict=strict, err=err,
                                started=start, progress=bar)
        except BuildFailed as exc:
            bar.close()
            print(f"paperarchive build: {exc}", file=err)
            print("paperarchive build: failed; the previous site was left as it was", file=err)
            return 1
    detail = (
        f"{report.redirects} redirects; generate {report.generate_seconds:.1f} s, "
        f"mkdocs {report.mkdocs_seconds:.1f} s, extras {report.extras_seconds:.1f} s "
        f"(side job {report.side_seconds:.1f} s, {'beside MkDocs' if report.side_in_parallel else 'after MkDocs'}), "
        f"swap {report.swap_seconds:.1f} s"
    )
    print(summary("built", report.papers, report.pages, time.perf_counter() - start, detail), file=err)
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
            report = build_site(config, papers, load_taxonomy_for(config), site_dir=served, err=sys.stderr,
                                side_job=False)
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
    *,
    err: TextIO | None = None,
    started: float | None = None,
    progress: Progress | None = None,
    side_job: bool = True,
) -> BuildReport:
    """Papers -> site_dir, atomically: raises BuildFailed and leaves site_dir as it was on any failure.

    Both cores work: MkDocs' page rendering is split over processes (render.py), and the files
    that only need the context, not the rendered pages (search index, JSON API, feeds, citations:
    ``write_side_files``), are written by a forked side job into the same staging folder while
    the pages are made and MkDocs runs; the two never write the same path. The pages reach
    MkDocs in memory (ArchivePlugin.pages), so its docs_dir is an empty temporary folder.
    ``side_job=False`` does everything in this process, the side files after MkDocs (``serve``
    does: it builds from a server thread, and forking a threaded process is unsafe).
    """
    err = err or sys.stderr
    bar = progress or Progress(err)
    config = Path(config)
    t0 = started if started is not None else time.perf_counter()
    papers = tuple(papers)
    # related papers (seconds at 10k) on the second core while topics are matched; build_context takes the result
    prefetch = related.Prefetch.start(papers, generate.RELATED_COUNT)
    try:
        with _MkDocsLog(err) as log, tempfile.TemporaryDirectory(prefix="paperarchive-docs-") as empty_docs:
            return _build_site(config, papers, taxonomy, site_dir, strict, Path(empty_docs), t0, bar, side_job, log)
    finally:
        if prefetch is not None:
            prefetch.cancel()


def _build_site(config: Path, papers: tuple[Paper, ...], taxonomy, site_dir: Path | None, strict: bool,
                empty_docs: Path, t0: float, bar: Progress, side_job: bool, log: "_MkDocsLog") -> BuildReport:
    mkdocs_config = _load_mkdocs_config(config, docs_dir=empty_docs, site_dir=site_dir, strict=strict)
    final_site = Path(mkdocs_config.site_dir)
    bar.stage("generating pages")
    # site_url in the context: the side job's feeds need it and run before index.html exists
    remembered = _remembering(taxonomy)
    ctx = generate.build_context(papers, taxonomy if remembered is None else remembered,
                                 site_url=mkdocs_config.site_url or None)
    if remembered is not None:
        remembered.save()
    final_site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{final_site.name}.building-", dir=final_site.parent))
    plugin = _archive_plugin_of(mkdocs_config)
    side: SideJob | None = None
    try:
        # the side job needs the context only: it starts before the pages are made, and writes
        # into the staging folder beside MkDocs (its files and MkDocs' never share a path)
        side = SideJob.start(staging, ctx, parallel=side_job)
        plugin.pages = generate.site_pages(ctx, hand_written_pages(config))
        pages = len(plugin.pages)
        t1 = time.perf_counter()
        os.chmod(staging, 0o755)
        mkdocs_config.site_dir = str(staging)
        bar.stage("rendering pages", pages)
        with _source_date_epoch(ctx.newest_date):
            _run_mkdocs(mkdocs_config, jobs=render.default_jobs() if side_job else 1,
                        on_page=lambda done: bar.advance(done - bar.done))  # --strict: fails on a warning
        t2 = time.perf_counter()
        drop_unused_theme_files(staging)
        sitemap.write_sitemap(staging, plugin.pages, mkdocs_config.site_url, ctx.newest_date)
        bar.stage("search index and extras")
        side_seconds = side.wait()
        redirects = write_redirects(staging, ctx, mkdocs_config.site_url)
        t3 = time.perf_counter()
        bar.stage("swapping the new site in")
        _swap_in(staging, final_site)
        t4 = time.perf_counter()
    except BaseException:
        if side is not None:
            side.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        plugin.pages = None
    return BuildReport(
        papers=len(ctx.papers),
        pages=pages,
        redirects=redirects,
        warnings=log.warnings,
        generate_seconds=t1 - t0,
        mkdocs_seconds=t2 - t1,
        extras_seconds=t3 - t2,
        swap_seconds=t4 - t3,
        side_seconds=side_seconds,
        side_in_parallel=side.parallel,
    )


def write_side_files(out_dir: Path, ctx: generate.SiteContext) -> None:
    """Everything written from the context alone, not from the rendered pages."""
    write_extras(out_dir, ctx)
    write_search_index(out_dir, ctx)


class SideJob:
    """``write_side_files`` in a forked process, or inline where records.fork_allowed() says no
    (one core, no fork, a threaded caller, or PAPERARCHIVE_JOBS=1 to profile a build in one process).
    """

    def __init__(self, out_dir: Path, ctx: generate.SiteContext, parallel: bool = True) -> None:
        self.out_dir, self.ctx = out_dir, ctx
        self.process = None
        self.conn = None
        from . import records

        self.parallel = parallel and records.fork_allowed()

    @classmethod
    def start(cls, out_dir: Path, ctx: generate.SiteContext, parallel: bool = True) -> "SideJob":
        job = cls(out_dir, ctx, parallel)
        if job.parallel:
            import multiprocessing

            fork = multiprocessing.get_context("fork")
            job.conn, child_end = fork.Pipe(duplex=False)
            job.process = fork.Process(target=_side_job_main, args=(out_dir, ctx, child_end), daemon=True)
            job.process.start()
            child_end.close()
        return job

    def wait(self) -> float:
        """The job's own seconds; raises BuildFailed with the job's message when it failed."""
        if self.process is None:
            start = time.perf_counter()
            try:
                write_side_files(self.out_dir, self.ctx)
            except BuildFailed:
                raise
            except Exception as exc:  # the same one line as from the forked job
                raise BuildFailed(f"search index and extras: {type(exc).__name__}: {exc}") from exc
            return time.perf_counter() - start
        try:
            outcome = self.conn.recv()
        except EOFError:
            outcome = None
        self.process.join()
        self.conn.close()
        if outcome is None:
            raise BuildFailed(f"search index and extras: the side job died (exit code {self.process.exitcode})")
        seconds, failure = outcome
        if failure is not None:
            raise BuildFailed(failure)
        return seconds

    def cancel(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()


def _side_job_main(out_dir: Path, ctx: generate.SiteContext, conn) -> None:
    start = time.perf_counter()
    failure = None
    try:
        write_side_files(out_dir, ctx)
    except BuildFailed as exc:
        failure = str(exc)
    except BaseException as exc:  # noqa: BLE001 -- reported by the parent as one line; the old site stays
        failure = f"search index and extras: {type(exc).__name__}: {exc}"
    conn.send((time.perf_counter() - start, failure))
    conn.close()


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


def _remembering(taxonomy):
    """The taxonomy with its answers cached across builds (topics.RememberedTaxonomy); None when
    it is not a topics.Taxonomy (a test's stand-in) or caching is off (PAPERARCHIVE_CACHE_DIR=none)."""
    from . import records, topics

    folder = records.cache_dir()
    if folder is None or not isinstance(taxonomy, topics.Taxonomy):
        return None
    return topics.RememberedTaxonomy(taxonomy, folder)


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
    """Files beside the pages, written straight into the staging site (not through MkDocs):
    the static JSON API, the feeds (RSS, Atom, JSON Feed) and the BibTeX files."""
    write_api(site_dir, ctx)
    write_feeds(site_dir, ctx, ctx.site_url or site_url_of(site_dir))
    write_bibtex(site_dir, ctx)


def write_api(site_dir: Path, ctx: generate.SiteContext) -> None:
    from . import api

    documents = [(api.paper_path(p.id), api.paper_document(p, ctx.topics_of[p.id])) for p in ctx.papers]
    documents += [(api.day_path(day), api.day_document(day, ctx.by_day[day])) for day in ctx.days]
    documents += [(api.topic_path(t.id), api.topic_document(t.id, t.name, t.description, ctx.by_topic.get(t.id, ())))
                  for t in ctx.topics]
    documents += [(api.org_path(o.id), api.org_document(o.id, o.name, ctx.by_org[o.id])) for o in ctx.orgs]
    for path, document in documents:
        _write_file(site_dir / path, api.encode_json(document))


def write_feeds(site_dir: Path, ctx: generate.SiteContext, site_url: str) -> None:
    """The newest papers of the archive (feed.xml, atom.xml, feed.json at the root: FEED_SIZE) and of
    each topic (topics/<id>/feed.xml, ...: TOPIC_FEED_SIZE), with absolute links from site_url (feed
    readers need them)."""
    from . import feeds

    makers = {"feed.xml": feeds.rss_feed, "atom.xml": feeds.atom_feed, "feed.json": feeds.json_feed}
    home = site_url.rstrip("/") + "/"
    channels = [("", generate.SITE_NAME, "The newest papers of the Hugging Face Daily Papers archive.", ctx.papers, feeds.FEED_SIZE)]
    channels += [
        (generate.topic_url(t.id), f"{generate.SITE_NAME}: {t.name}", t.description, ctx.by_topic[t.id], feeds.TOPIC_FEED_SIZE)
        for t in ctx.topics
    ]
    for base, title, description, papers, limit in channels:
        for name, _kind, _label in generate.FEEDS:
            text = makers[name](
                papers, title=title, site_url=home, feed_url=home + base + name, description=description, limit=limit
            )
            _write_file(site_dir / base / name, text.encode("utf-8", "backslashreplace"))


def write_bibtex(site_dir: Path, ctx: generate.SiteContext) -> None:
    """papers/<id>/<id>.bib, days/<date>/<date>.bib and topics/<id>/<id>.bib (each entry as on the paper page)."""
    entries = {p.id: generate.bibtex(p) for p in ctx.papers}
    groups = [(p.url, (p,)) for p in ctx.papers]
    groups += [(generate.day_url(d), ctx.by_day[d]) for d in ctx.days]
    groups += [(generate.topic_url(t.id), ctx.by_topic[t.id]) for t in ctx.topics]
    for url, papers in groups:
        text = "\n".join(entries[p.id] for p in papers)
        _write_file(site_dir / generate.bib_path(url), text.encode("utf-8", "backslashreplace"))


def _write_file(path: Path, data: bytes) -> None:
    # the staging folder is new and private to this build: a plain write is atomic enough (it is swapped in whole)
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)"')


def site_url_of(site_dir: Path) -> str:
    """The site's absolute URL, from the home page MkDocs wrote (its canonical link is site_url).

    Only a fallback for a SiteContext made without site_url; "/" when mkdocs.yml has none.
    """
    import html

    try:
        match = _CANONICAL.search((site_dir / "index.html").read_text(encoding="utf-8"))
    except OSError:
        match = None
    return html.unescape(match.group(1)) if match else "/"


def write_search_index(site_dir: Path, ctx: generate.SiteContext) -> None:
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


def _archive_plugin_of(mkdocs_config):
    """The config's paperarchive plugin (mkdocs.yml lists it); added when a config does not."""
    from .mkdocs_plugin import ArchivePlugin

    plugin = mkdocs_config.plugins.get("paperarchive")
    if not isinstance(plugin, ArchivePlugin):
        plugin = mkdocs_config.plugins["paperarchive"] = ArchivePlugin()
    return plugin


def _run_mkdocs(mkdocs_config, jobs: int, on_page: render.OnPage) -> None:
    """MkDocs' build into the new (empty, so not cleaned) staging folder, its pages rendered by ``jobs`` processes."""
    from mkdocs.exceptions import MkDocsException

    try:
        render.build(mkdocs_config, jobs=jobs, clean=False, on_page=on_page)
    except MkDocsException as exc:
        raise BuildFailed(f"MkDocs: {exc}") from None
    except Exception as exc:  # a template error, a bad file: still one clear line, and site/ untouched
        raise BuildFailed(f"MkDocs: {type(exc).__name__}: {exc}") from exc


# Material's own search (its worker and lunr's language files) is off; nothing loads these.
UNUSED_THEME_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers")


def drop_unused_theme_files(site_dir: Path) -> None:
    for rel in UNUSED_THEME_FILES:
        shutil.rmtree(site_dir / rel, ignore_errors=True)
    for source_map in (site_dir / "assets").rglob("*.map"):
        source_map.unlink()


class _MkDocsLog(logging.Handler):
    """Shows MkDocs' warnings and errors on err and counts them (the build report's count)."""

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
