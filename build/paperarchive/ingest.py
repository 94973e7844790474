"""`paperarchive ingest`: read listing pages and API files, merge them into the store.

Read everything first (every file, every problem), then merge once and save once
as one crash-safe batch (store.save_store).  A file that cannot be read costs
only its own records.  With --strict, any problem (a warning too) means nothing is written.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import TextIO

from .merge import MergeNote, MergeResult, merge
from .progress import Progress, is_terminal, summary
from .records import Entry, Problem
from .store import StoreWriteError, load_store, lock_store, recover_store, save_store

_PEEK = 4096


def ingest_files(
    files: list[Path],
    store: Path,
    listed_on: str | None,
    strict: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Merge ``files`` into the store folder; print problems (stderr) and the summary (stdout).

    Exit status 1 when any error (or, with ``strict``, any warning) was found; the
    good records are stored either way, except under ``strict``, where a problem
    means nothing is written.  A store that cannot be written (read-only, disk
    full) is one ``paperarchive ingest: ...`` line and exit status 1.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    day, problems = _listed_on_date(listed_on)
    if problems:
        _report(problems, None, {}, out, err)
        return 1
    started = time.perf_counter()
    try:
        with Progress(err) as bar:
            entries, problems = read_inputs(files, day, err, progress=bar)
            bar.stage("merging into the store")
            with lock_store(store):
                recover_store(store)
                before = load_store(store)
                result = merge(before, entries)
                problems = before.problems + problems + _warnings(result.notes, files)
                refused = strict and bool(problems)
                if not refused:
                    save_store(store, before, result)
    except (OSError, StoreWriteError) as exc:
        print(f"paperarchive ingest: {_failure(exc, store)}", file=err)
        return 1
    _report(problems, result, _paths(files), out, err)
    if refused:
        print(f"paperarchive ingest: nothing written: {len(problems)} problem(s) and --strict", file=err)
    if is_terminal(err):  # the timed line for people; stdout's summary stays the same in scripts and tests
        print(summary("ingested", len(result.papers), None, time.perf_counter() - started,
                      f"{len(files):,} files into the store; added {result.added:,}, updated {result.updated:,}"), file=err)
    failed = any(strict or not p.warning for p in problems)
    return 1 if failed else 0


def _failure(exc: Exception, store: Path) -> str:
    if isinstance(exc, StoreWriteError):
        return str(exc)
    where = exc.filename if isinstance(exc, OSError) and exc.filename else store
    return f"cannot use the store {store}: {where}: {exc.strerror or exc}"


def _paths(files: list[Path]) -> dict[str, str]:
    """A listing's name (as entries carry it) -> the path it was given as (the first one of that name)."""
    found: dict[str, str] = {}
    for path in files:
        found.setdefault(Path(path).name, str(path))
    return found


def _warnings(notes: tuple[MergeNote, ...], files: list[Path]) -> tuple[Problem, ...]:
    paths = _paths(files)
    return tuple(Problem(paths.get(n.listing, n.listing), n.line, n.message, warning=True) for n in notes if n.warning)


def read_inputs(
    files: list[Path], listed_on: date | None, err: TextIO | None = None, progress: Progress | None = None
) -> tuple[list[Entry], tuple[Problem, ...]]:
    """Every entry and every problem of every file, the files in the order given."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    bar = progress or Progress(err or sys.stderr)
    bar.stage("reading listings", len(files))
    for path in files:
        result_entries, result_problems = _read_one(Path(path), listed_on)
        entries.extend(result_entries)
        problems.extend(result_problems)
        bar.advance()
    if progress is None:
        bar.close()
    return entries, tuple(problems)


def _read_one(path: Path, listed_on: date | None) -> tuple[tuple[Entry, ...], tuple[Problem, ...]]:
    try:
        with open(path, "rb") as handle:
            head = handle.read(_PEEK)
    except OSError as exc:
        return (), (Problem(str(path), 1, f"cannot read the file: {exc.strerror or exc}"),)
    try:
        if is_api_json(head):
            from . import hfapi

            result = hfapi.read_api_file(path, listed_on)
        else:
            from . import parse

            result = parse.read_listing(path, listed_on=listed_on)
    except Exception as exc:  # noqa: BLE001 -- one unreadable file must never cost the others
        return (), (Problem(str(path), 1, f"could not be read ({type(exc).__name__}: {exc})"),)
    return tuple(result.entries), tuple(result.problems)


def is_api_json(head: bytes) -> bool:
    """Detect an API file by content (its first bytes): see hfapi.looks_like_api_json.

    A listing page starts with boilerplate or a title; a title such as ``[1] ...`` or
    ``[Re] Reproducing ...`` is told apart because the text is not JSON from there on.
    """
    from . import hfapi

    return hfapi.looks_like_api_json(head)



def _listed_on_date(listed_on: str | None) -> tuple[date | None, tuple[Problem, ...]]:
    if listed_on is None:
        return None, ()
    try:
        return date.fromisoformat(listed_on), ()
    except (TypeError, ValueError):
        return None, (Problem("--listed-on", 1, f"not a YYYY-MM-DD date: {listed_on!r}"),)


def _report(problems: tuple[Problem, ...], result: MergeResult | None, paths: dict[str, str], out: TextIO, err: TextIO) -> None:
    """Problems on stderr; on stdout the counts, then every rename, join and title-only match the merge made."""
    for problem in problems:
        print(problem, file=err)
    added = updated = unchanged = 0
    if result is not None:
        added, updated, unchanged = result.added, result.updated, result.unchanged
    print(f"added {added}, updated {updated}, unchanged {unchanged}, problems {len(problems)}", file=out)
    for note in result.notes if result is not None else ():
        if not note.warning:
            print(f"{paths.get(note.listing, note.listing)}:{note.line}: {note.message}", file=out)
