"""The build pipeline: store -> site model -> pages -> MkDocs + the other files -> site/.

Like MkDocs' own build, it first gathers and checks everything, then writes:

1. gather: the store's papers, the taxonomy, mkdocs.yml (rendering.load_config), the related papers
   (on a second core: related.Prefetch) and each paper's topics, the site model (sitemodel.build_context),
   the pages' Markdown (pages.site_pages); check the redirects. Nothing is written yet but caches.
2. write, into a new folder beside the site: MkDocs renders the pages from memory on every core
   (rendering.render) while a forked side job writes the files MkDocs does not render
   (outputs.side_files: API, feeds, BibTeX files, search index; it starts making them as soon as the
   topics are known); then the redirects are written, and the new site takes the old one's place in
   one atomic step
   (``swap_in``): a build that fails or is killed leaves the previous site as it was, and the next
   build removes what a killed one left (``remove_leftovers``).

Every input is passed in: nothing is collected through globals or read back from the output.

Determinism: when SOURCE_DATE_EPOCH is unset, MkDocs gets one derived from the content (the newest
plausible date it knows: ``site_epoch``), so the sitemap never carries the wall clock.

Paths in mkdocs.yml (docs_dir, site_dir, custom_dir) are relative to the config file; so are the
taxonomy (content/topics.yml) and the hand-written pages (content/pages/).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Self, TextIO

from . import cache, outputs, processes, related, rendering, sitemap
from .pages import site_pages, write_pages
from .progress import Progress, summary
from .records import Paper
from .sitemodel import RELATED_COUNT, SiteContext, SiteIdentity, build_context

TAXONOMY = Path("content/topics.yml")
PAGES = Path("content/pages")


class BuildFailed(Exception):
    """The build cannot go on; the message says why (``FILE:LINE: message`` where there is one)."""


@dataclass(frozen=True)
class BuildReport:
    papers: int
    pages: int  # Markdown pages generated (hand-written ones included)
    redirects: int
    warnings: int
    generate_seconds: float  # store + topics + related papers + Markdown
    mkdocs_seconds: float  # MkDocs + Material rendering
    extras_seconds: float  # after MkDocs: waiting for the side job, redirects
    swap_seconds: float  # putting the new site in place and deleting the old one
    side_seconds: float = 0.0  # the side job's own time (search index, API, feeds): beside MkDocs when parallel
    side_in_parallel: bool = False


# ---------------------------------------------------------------- the commands (called by cli.py)


def generate_only(config: Path, store: Path, out: Path | None = None, *, err: TextIO | None = None) -> int:
    """Write the site's Markdown (no MkDocs run) into ``out`` or the config's docs_dir."""
    err = err or sys.stderr
    try:
        papers = load_papers(store, strict=False, err=err)
        taxonomy = load_taxonomy_for(config)
        mkdocs_config = _load_config(Path(config), docs_dir=None, site_dir=None, strict=False)
        docs_dir = Path(out) if out else Path(mkdocs_config.docs_dir)
        ctx = context_without_related(papers, taxonomy, mkdocs_config)
        ctx = with_related(ctx, related.related_papers(papers, k=RELATED_COUNT))
        pages = write_pages(ctx, docs_dir, hand_written_pages(config))
    except BuildFailed as exc:
        print(f"paperarchive generate: {exc}", file=err)
        return 1
    except OSError as exc:
        print(f"paperarchive generate: {_os_error_text(exc)}", file=err)
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
        except (BuildFailed, OSError) as exc:
            bar.close()
            message = _os_error_text(exc) if isinstance(exc, OSError) else str(exc)
            print(f"paperarchive build: {message}", file=err)
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
    """Preview with live reload: any change to the store, taxonomy, pages, theme or config rebuilds.

    The rebuilds run in the server's thread, so they never fork (processes.fork_allowed)."""
    config = Path(config)
    root = Path(tempfile.mkdtemp(prefix="paperarchive-serve-"))
    served = root / "site"

    def builder() -> None:
        try:
            papers = load_papers(store, strict=False, err=sys.stderr)
            report = build_site(config, papers, load_taxonomy_for(config), site_dir=served, err=sys.stderr)
            print(f"paperarchive serve: built {report.papers} papers, {report.pages} pages", file=sys.stderr)
        except (BuildFailed, OSError) as exc:
            print(f"paperarchive serve: {_os_error_text(exc) if isinstance(exc, OSError) else exc}", file=sys.stderr)

    try:
        builder()
        mkdocs_config = _load_config(config, docs_dir=None, site_dir=served, strict=False)
        watched = (Path(store), config, _base(config) / TAXONOMY, _base(config) / PAGES,
                   Path(mkdocs_config.theme.custom_dir or config.parent))
        rendering.serve_folder(served, builder, watched, dev_addr, mkdocs_config.site_url)
    except BuildFailed as exc:
        print(f"paperarchive serve: {exc}", file=sys.stderr)
        return 1
    finally:
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
) -> BuildReport:
    """Papers -> site_dir, atomically: raises BuildFailed (or OSError) and leaves site_dir as it was on any failure."""
    err = err or sys.stderr
    bar = progress or Progress(err)
    config = Path(config)
    t0 = started if started is not None else time.perf_counter()
    papers = tuple(papers)

    with tempfile.TemporaryDirectory(prefix="paperarchive-docs-") as empty_docs:
        # 1. gather and check; the related papers are computed meanwhile on a second core
        mkdocs_config = _load_config(config, docs_dir=Path(empty_docs), site_dir=site_dir, strict=strict)
        final_site = Path(mkdocs_config.site_dir)
        bar.stage("generating pages")
        prefetch = related.Prefetch.start(papers, RELATED_COUNT)
        side: SideJob | None = None
        staging = None
        try:
            ctx = context_without_related(papers, taxonomy, mkdocs_config)
            try:
                outputs.check_redirects(ctx)
            except outputs.OutputError as exc:
                raise BuildFailed(str(exc)) from None
            final_site.parent.mkdir(parents=True, exist_ok=True)
            remove_leftovers(final_site)
            staging = _new_folder(final_site, "building")
            # the side files need no related papers: their job starts now, on the core the topics left free
            side = SideJob.start(staging, ctx)
            ctx = with_related(ctx, prefetch.result())
            pages = site_pages(ctx, hand_written_pages(config))
            t1 = time.perf_counter()

            # 2. write: MkDocs renders on every core, the side job writes once MkDocs has emptied the folder
            mkdocs_config.site_dir = str(staging)
            bar.stage("rendering pages", len(pages))
            with _MkDocsLog(err) as log, _source_date_epoch(site_epoch(ctx.papers)):
                rendering.render(mkdocs_config, pages, jobs=processes.process_count(), site_dir_ready=side.go,
                                 on_page=lambda done: bar.advance(done - bar.done), err=err)
            t2 = time.perf_counter()
            rendering.drop_unused_theme_files(staging)
            epoch = site_epoch(ctx.papers)  # the newest plausible date: one paper dated 2999 moves nothing
            newest = datetime.fromtimestamp(epoch, UTC).date() if epoch else None
            sitemap.write_sitemap(staging, pages, mkdocs_config.site_url, newest)
            bar.stage("search index and extras")
            side_seconds = side.wait()
            redirects = outputs.write_redirects(staging, ctx)
            t3 = time.perf_counter()
            bar.stage("swapping the new site in")
            old_site = swap_in(staging, final_site)
            staging = None
            if old_site is not None:
                delete_in_background(old_site)
            t4 = time.perf_counter()
        except rendering.RenderingFailed as exc:
            raise BuildFailed(str(exc)) from exc
        finally:
            prefetch.cancel()
            if side is not None:
                side.cancel()
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    return BuildReport(
        papers=len(ctx.papers),
        pages=len(pages),
        redirects=redirects,
        warnings=log.warnings,
        generate_seconds=t1 - t0,
        mkdocs_seconds=t2 - t1,
        extras_seconds=t3 - t2,
        swap_seconds=t4 - t3,
        side_seconds=side_seconds,
        side_in_parallel=side.parallel,
    )


def context_without_related(papers: tuple[Paper, ...], taxonomy, mkdocs_config) -> SiteContext:
    """The site model but its related papers, with the site's identity from mkdocs.yml; each paper's
    topics are matched here (cached: cache.TOPICS)."""
    remembered = _remembering(taxonomy)
    ctx = build_context(papers, taxonomy if remembered is None else remembered, related={},
                        identity=SiteIdentity.from_config(mkdocs_config))
    if remembered is not None:
        remembered.save()
    return ctx


def with_related(ctx: SiteContext, neighbours: Mapping[str, tuple[str, ...]]) -> SiteContext:
    return dataclasses.replace(ctx, related=MappingProxyType({p.id: tuple(neighbours.get(p.id, ())) for p in ctx.papers}))


class SideJob:
    """The files MkDocs does not render (outputs.side_files), made by a forked process (processes.run_forked)
    from the start and written into the new site once MkDocs has emptied it (``go``); or made and written
    in this process, after MkDocs, where processes.fork_allowed() says no (one core, a threaded caller such
    as ``serve``, PAPERARCHIVE_JOBS=1 to profile a build in one process)."""

    def __init__(self, site_dir: Path, ctx: SiteContext, worker: processes.Forked | None,
                 gate: processes.Gate | None) -> None:
        self.site_dir, self.ctx, self.worker, self.gate = site_dir, ctx, worker, gate
        self.parallel = worker is not None

    @classmethod
    def start(cls, site_dir: Path, ctx: SiteContext) -> SideJob:
        if not processes.fork_allowed():
            return cls(site_dir, ctx, None, None)
        gate = processes.Gate()
        worker = processes.run_forked(lambda: _side_files_after(gate, site_dir, ctx), "search index and extras")
        gate.forked()
        return cls(site_dir, ctx, worker, gate)

    def go(self) -> None:
        """The new site may be written now."""
        if self.gate is not None:
            self.gate.open()

    def wait(self) -> float:
        """The job's own seconds; raises BuildFailed with the job's one-line message when it failed."""
        if self.worker is None:
            try:
                return _timed_side_files(self.site_dir, self.ctx)
            except outputs.OutputError as exc:
                raise BuildFailed(str(exc)) from exc
            except Exception as exc:  # the same one line as from the forked job
                raise BuildFailed(f"search index and extras: {type(exc).__name__}: {exc}") from exc
        worker, self.worker = self.worker, None
        try:
            return worker.result()
        except processes.ForkedWorkFailed as exc:
            raise BuildFailed(str(exc)) from None

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
        if self.gate is not None:
            self.gate.close()


def _side_files_after(gate: processes.Gate, site_dir: Path, ctx: SiteContext) -> float:
    start = time.perf_counter()
    files = outputs.side_files(ctx)
    if not gate.wait():
        raise BuildFailed("the build stopped before its pages were rendered")
    outputs.write_files(site_dir, files)
    return time.perf_counter() - start


def _timed_side_files(site_dir: Path, ctx: SiteContext) -> float:
    start = time.perf_counter()
    outputs.write_files(site_dir, outputs.side_files(ctx))
    return time.perf_counter() - start


def load_papers(store: Path, strict: bool, err: TextIO) -> tuple[Paper, ...]:
    from . import store as paper_store

    if not Path(store).is_dir():
        raise BuildFailed(f"{store}: no such store folder (ingest listings first: paperarchive ingest FILES --store {store})")
    loaded = paper_store.load_store(Path(store))
    problems = tuple(getattr(loaded, "problems", ()))
    for problem in problems:
        print(str(problem), file=err)
    if strict and problems:
        raise BuildFailed(f"{len(problems)} problem(s) in the store {store} (--strict)")
    return tuple(loaded.papers.values())


def _remembering(taxonomy):
    """The taxonomy with its answers cached across builds (topics.RememberedTaxonomy, cache.TOPICS); None
    when it is not a topics.Taxonomy (a test's stand-in) or caching is off (PAPERARCHIVE_CACHE_DIR=none)."""
    from . import topics

    path = cache.cache_file(cache.TOPICS)
    if path is None or not isinstance(taxonomy, topics.Taxonomy):
        return None
    return topics.RememberedTaxonomy(taxonomy, path)


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


# ---------------------------------------------------------------- timestamps

# gzip headers (sitemap.xml.gz) hold 32-bit seconds; a paper dated past them, or before the web, says nothing
PLAUSIBLE_DATES = (date(1990, 1, 1), date(2106, 2, 6))


def site_epoch(papers: Iterable[Paper], today: date | None = None) -> int:
    """SOURCE_DATE_EPOCH of the content: midnight UTC of the newest date it knows (listed, first seen or
    published) that is plausible (within PLAUSIBLE_DATES and not after ``today``, UTC); 0 without one.
    A paper dated 2999 or year 1 is ignored, so one bad date can neither break a timestamp nor move it."""
    latest = min(PLAUSIBLE_DATES[1], today or datetime.now(UTC).date())
    found = [d for p in papers for d in (p.published, p.first_seen, *(s.listed for s in p.sources))
             if d and PLAUSIBLE_DATES[0] <= d <= latest]
    if not found:
        return 0
    return int(datetime(*max(found).timetuple()[:3], tzinfo=UTC).timestamp())


@contextlib.contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


# ---------------------------------------------------------------- folders

_LEFTOVER = re.compile(r"\.(?:building|old)-(\d+)-")


def _new_folder(final_site: Path, kind: str) -> Path:
    """A new, empty folder beside the site, named for this process (``site.building-<pid>-...``)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{final_site.name}.{kind}-{os.getpid()}-", dir=final_site.parent))
    os.chmod(folder, 0o755)
    return folder


def remove_leftovers(final_site: Path) -> list[Path]:
    """Delete the folders beside the site that a killed build left (its process is gone); the removed ones."""
    removed = []
    prefix = final_site.name + "."
    try:
        entries = list(os.scandir(final_site.parent))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        match = _LEFTOVER.match(entry.name, len(final_site.name))
        if match is None or _process_alive(int(match.group(1))):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def swap_in(staging: Path, final_site: Path) -> Path | None:
    """Put ``staging`` in the place of ``final_site`` in one step: at every moment ``final_site`` is either
    the old site or the new one. Returns the old site, renamed ``site.old-<pid>-<time>`` beside the new
    one, for the caller to delete (``delete_in_background``); None when there was none."""
    if not os.path.lexists(final_site):
        os.rename(staging, final_site)
        return None
    old = final_site.with_name(f"{final_site.name}.old-{os.getpid()}-{time.time_ns()}")
    if _exchange(staging, final_site):
        os.rename(staging, old)  # the old site, now at the staging path
        return old
    # no atomic exchange here: two renames (a crash between them leaves the old site as site.old-*,
    # which the next build deletes)
    os.rename(final_site, old)
    os.rename(staging, final_site)
    return old


def delete_in_background(folder: Path) -> None:
    """Delete ``folder`` in a detached process, so that a rebuild ends when its new site is in place, not
    when the 40,000 files of the old one are gone. The folder is named as a leftover (``site.old-<pid>-``):
    should the deleting process be killed, the next build deletes what is left (``remove_leftovers``)."""
    try:
        subprocess.Popen([sys.executable, "-c", _DELETE, os.fspath(folder)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:  # no process to spare: delete it here
        shutil.rmtree(folder, ignore_errors=True)


_DELETE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where the call is missing or refused."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    import ctypes

    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # an old kernel, or a file system without exchange
    raise OSError(code, os.strerror(code), str(b))


def _renameat2():
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):  # not glibc 2.28+, not Linux
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


# ---------------------------------------------------------------- MkDocs' configuration and log


def _load_config(config: Path, docs_dir: Path | None, site_dir: Path | None, strict: bool):
    try:
        return rendering.load_config(config, docs_dir=docs_dir, site_dir=site_dir, strict=strict)
    except rendering.ConfigFailed as exc:
        raise BuildFailed(str(exc)) from None


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

    def __enter__(self) -> Self:
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


def _os_error_text(exc: OSError) -> str:
    """``PATH: reason`` of a failed write or read (a read-only folder, a full disk)."""
    where = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or str(exc)
    return f"{where}: {reason}" if where else reason


def _base(config: Path) -> Path:
    return Path(config).resolve().parent


__all__ = ["BuildFailed", "BuildReport", "build", "build_site", "delete_in_background", "generate_only", "serve", "site_epoch",
           "swap_in"]
