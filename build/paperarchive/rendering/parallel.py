"""MkDocs' own page loop, run by several processes at once: each renders its share of the pages.

MkDocs renders every page on one core, three quarters of a build at 10,000 papers (Material's
templates). No step of MkDocs' build is copied here: ``ArchivePlugin.on_env`` (the last event before
MkDocs writes anything, when every page has been read and converted) calls ``PageShares.fork``, which
forks ``jobs - 1`` workers (processes.fork). Every process then goes on with MkDocs' own build from
that point, from the same state, so a page's HTML does not depend on which process wrote it
(tests/test_render.py compares the site with a plain ``mkdocs build`` byte for byte):

* page ``i`` of ``files.documentation_pages()`` belongs to process ``i % jobs`` (the parent is 0). Every
  process removes the other processes' pages from ``files`` (``Files.remove``): MkDocs' page loop, and
  its anchor checks after it, then go over this process's pages only, so each page is rendered, written
  and checked once. The pages stay in the navigation and keep their URLs (nav and links were made
  before on_env);
* a worker drops the static files and static templates from its copy of the build (the parent copies
  and renders those) and ends at ``on_post_build`` (or ``on_build_error``), sending its log records
  (its pages' warnings and anchor checks) back;
* the parent, at ``on_post_build``, waits for the workers and logs their records (so ``--strict`` and
  the build's warning count see them, each worker's after the parent's own pages), and fails when one
  failed. ``on_page(done)`` reports the pages rendered by all processes (the progress bar).

A plugin that gathers state in the page-rendering events (``on_page_context``, ``on_post_page``) would
see only its own process's pages, so the caller renders in parallel only when every plugin is one known
not to (``PARALLEL_SAFE_PLUGINS``). What this relies on in MkDocs is listed in audit.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from .. import processes

OnPage = Callable[[int], None]
PARALLEL_SAFE_PLUGINS = frozenset({"paperarchive"})  # plugins whose page events keep no state across pages


class WorkerFailed(Exception):
    """A page-rendering worker raised (its message) or died (its exit code)."""


class PageShares:
    """One build's split of the page loop between ``jobs`` processes (see the module docstring)."""

    def __init__(self, jobs: int, on_page: OnPage | None = None) -> None:
        self.jobs = jobs
        self.on_page = on_page
        self.number = 0  # this process's share: 0 in the parent
        self.own: frozenset[str] = frozenset()  # src_uri of this process's pages
        self.done = 0  # pages of this process rendered so far
        self.workers: list[processes.Forked] = []
        self.child: processes.Child | None = None
        self.counters: processes.SharedCounters | None = None
        self._collected: _Collect | None = None

    def fork(self, config, files) -> None:
        """At on_env: fork the workers; every process keeps its share of the pages."""
        from mkdocs.structure.files import InclusionLevel

        pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
        jobs = max(1, min(self.jobs, len(pages)))
        if jobs == 1:
            self.own = frozenset(file.src_uri for file in pages)
            return
        self.counters = processes.SharedCounters(jobs)
        for number in range(1, jobs):
            end = processes.fork("page rendering")
            if isinstance(end, processes.Child):
                self.number, self.child, self.workers = number, end, []
                self._become_worker(config, files)
                break
            self.workers.append(end)
        self.own = frozenset(file.src_uri for i, file in enumerate(pages) if i % jobs == self.number)
        for file in pages:
            if file.src_uri not in self.own:
                files.remove(file)

    def rendered(self, page) -> None:
        """At on_post_page: count this process's page."""
        if page.file.src_uri not in self.own:
            return
        self.done += 1
        if self.counters is not None:
            self.counters[self.number] = self.done
        if self.child is None and self.on_page is not None:
            self.on_page(self.counters.total() if self.counters is not None else self.done)

    def finish(self) -> None:
        """At on_post_build: a worker ends here; the parent waits for the workers and logs their records."""
        if self.child is not None:
            self.child.finish(self._collected.records)
        workers, self.workers = self.workers, []
        failures = []
        for worker in workers:
            try:
                records = worker.result()
            except processes.ForkedWorkFailed as exc:
                failures.append(str(exc))
                continue
            for record in records:
                logging.getLogger(record.name).handle(record)
        if workers and self.on_page is not None:
            self.on_page(self.counters.total())
        if failures:
            raise WorkerFailed("; ".join(failures))

    def failed(self, error: BaseException) -> None:
        """At on_build_error (and whenever MkDocs' build raises): a worker reports and ends; the parent stops the workers."""
        if self.child is not None:
            self.child.fail(error)
        for worker in self.workers:
            worker.cancel()
        self.workers = []

    def _become_worker(self, config, files) -> None:
        mkdocs_log = logging.getLogger("mkdocs")
        for handler in list(mkdocs_log.handlers):  # the parent's handlers print and count: they get the records later
            mkdocs_log.removeHandler(handler)
        self._collected = _Collect()
        mkdocs_log.addHandler(self._collected)
        mkdocs_log.propagate = False
        for file in [file for file in files if not file.is_documentation_page()]:
            files.remove(file)  # the parent copies the static files
        config.theme.static_templates.clear()  # and renders 404.html and the sitemap
        config.extra_templates = []


class _Collect(logging.Handler):
    """A worker's log records, made picklable, for the parent to log again."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
        self.records.append(record)


__all__ = ["PARALLEL_SAFE_PLUGINS", "OnPage", "PageShares", "WorkerFailed"]
