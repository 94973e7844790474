"""MkDocs' build, with the page rendering spread over the machine's cores.

MkDocs renders every page on one core: at 10,000 papers that is three quarters of the build
(Material's templates; profiled in README). ``build`` runs the same steps as
``mkdocs.commands.build.build`` (MkDocs 1.6, pinned in pyproject.toml) in the same order, with
the same plugin events, up to the loop that renders the pages; there, the process forks
``jobs - 1`` workers and every process renders its share of the pages (page ``i`` goes to
process ``i % jobs``), then the parent waits for them and finishes as MkDocs does.

Every page is rendered from the same state in every process: the files, the navigation, every
page's content and the template environment are all built before the fork, so a page's HTML
does not depend on which process wrote it (tests/test_render.py compares the site with a plain
``mkdocs build`` byte for byte).

What differs from MkDocs, on purpose:

* the site folder is not cleaned (``clean=False``): ``paperarchive build`` renders into a new,
  empty staging folder and writes its own files (search index, API, feeds) into it meanwhile;
* warnings logged by a worker are logged again by the parent after its own pages, so the
  parent's handlers (``--strict``, the build's message count) see all of them, in page order
  per process rather than interleaved;
* ``on_page(done)`` reports the pages rendered so far by all processes (the progress bar).

A plugin that gathers state in the page-rendering events (``on_page_context``, ``on_post_page``)
would see only its own process's pages, so the pages are rendered in parallel only when every
plugin of the config is one known not to (``PARALLEL_SAFE_PLUGINS``); otherwise in one process.
"""

from __future__ import annotations

import logging
import os
from typing import Callable, Sequence

log = logging.getLogger("mkdocs.commands.build")

OnPage = Callable[[int], None]
# plugins whose page-rendering events keep no state across pages (mkdocs.yml lists only these)
PARALLEL_SAFE_PLUGINS = frozenset({"paperarchive"})


class WorkerFailed(Exception):
    """A rendering worker raised (its message) or died (its exit code)."""


def default_jobs() -> int:
    """Processes that render pages: PAPERARCHIVE_JOBS, else the CPUs this process may use; 1 when forking is unsafe."""
    from .processes import fork_allowed

    if not fork_allowed():
        return 1
    wanted = os.environ.get("PAPERARCHIVE_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return int(wanted)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def build(config, *, jobs: int = 1, clean: bool = True, on_page: OnPage | None = None) -> None:
    """``mkdocs build`` of ``config`` (a loaded MkDocsConfig), its pages rendered by ``jobs`` processes."""
    from mkdocs.commands.build import _build_extra_template, _build_theme_template, _populate_page
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils import CountHandler, clean_directory

    warnings = CountHandler()  # as MkDocs does: --strict fails the build on any warning
    warnings.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(warnings)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        if clean:
            clean_directory(config.site_dir)

        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)

        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
            _populate_page(file.page, config, files)

        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(inclusion=InclusionLevel.is_included)
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)

        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        if not PARALLEL_SAFE_PLUGINS.issuperset(config.plugins):
            jobs = 1
        _render_pages(doc_files, files, config, nav, env, max(1, min(jobs, len(doc_files))), on_page)

        config.plugins.on_post_build(config=config)
        if counts := warnings.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{n} {level.lower()}s' for level, n in counts)} in strict mode!")
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        if isinstance(exc, BuildError):
            log.error(str(exc))
            raise Abort("Aborted with a BuildError!") from exc
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)


def _render_pages(doc_files: Sequence, files, config, nav, env, jobs: int, on_page: OnPage | None) -> None:
    if jobs == 1:
        _render_share(doc_files, doc_files, files, config, nav, env, on_page or (lambda done: None))
        return
    import multiprocessing

    fork = multiprocessing.get_context("fork")
    counters = [fork.RawValue("l", 0) for _ in range(jobs - 1)]
    workers = []
    try:
        for number in range(1, jobs):
            conn, child_end = fork.Pipe(duplex=False)
            share = doc_files[number::jobs]
            process = fork.Process(
                target=_worker_main,
                args=(share, doc_files, files, config, nav, env, counters[number - 1], child_end),
                daemon=True,
            )
            process.start()
            child_end.close()
            workers.append((process, conn))

        def progress(own: int) -> None:
            if on_page is not None:
                on_page(own + sum(counter.value for counter in counters))

        _render_share(doc_files[0::jobs], doc_files, files, config, nav, env, progress)
        outcomes = [_wait(process, conn) for process, conn in workers]
    except BaseException:
        for process, _conn in workers:
            if process.is_alive():
                process.kill()
            process.join()
        raise
    if on_page is not None:
        on_page(len(doc_files))
    failures = []
    for records, failure in outcomes:
        for record in records:
            logging.getLogger(record.name).handle(record)
        if failure:
            failures.append(failure)
    if failures:
        raise WorkerFailed("; ".join(failures))


def _render_share(share: Sequence, doc_files: Sequence, files, config, nav, env, progress: OnPage) -> None:
    """MkDocs' page loop (render, then check anchor links) over this process's pages."""
    from mkdocs.commands.build import _build_page

    for done, file in enumerate(share, 1):
        _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
        progress(done)
    anchors_level = config.validation.links.anchors
    for file in share:
        file.page.validate_anchor_links(files=files, log_level=anchors_level)


class _Collect(logging.Handler):
    """A worker's log records, made picklable, for the parent to log again."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
        self.records.append(record)


def _worker_main(share, doc_files, files, config, nav, env, counter, conn) -> None:
    mkdocs_log = logging.getLogger("mkdocs")
    for handler in list(mkdocs_log.handlers):  # the parent's handlers print and count: they see the records later
        mkdocs_log.removeHandler(handler)
    collected = _Collect()
    mkdocs_log.addHandler(collected)
    mkdocs_log.propagate = False
    failure = None

    def progress(done: int) -> None:
        counter.value = done

    try:
        _render_share(share, doc_files, files, config, nav, env, progress)
    except BaseException as exc:  # noqa: BLE001 -- sent to the parent as one line
        failure = f"{type(exc).__name__}: {exc}"
    conn.send((collected.records, failure))
    conn.close()


def _wait(process, conn) -> tuple[list[logging.LogRecord], str | None]:
    try:
        outcome = conn.recv()
    except EOFError:
        outcome = None
    process.join()
    conn.close()
    if outcome is None:
        return [], f"a page-rendering worker died (exit code {process.exitcode})"
    return outcome


__all__ = ["WorkerFailed", "build", "default_jobs"]
