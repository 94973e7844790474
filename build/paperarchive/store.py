"""The durable store: one YAML file per paper in ``content/papers/<id>.yml`` (format: ``storefile.py``).

Loading (``load_store``), the lock that lets one ingest at a time write (``lock_store``), crash-safe
saving (``save_store``, ``recover_store``), and the parse cache that spares a load the YAML of files
it has seen before.

Saving is a small write-ahead batch.  Per-file temp + rename alone leaves a mix of old and new files
when an ingest dies half-way.  So a batch is: (1) every changed file written as ``.<name>.pending``
and synced; (2) ``COMMIT_MARKER`` naming them written atomically -- the commit point; (3) renames
into place and removals; (4) the marker removed.  Killed before (2): the next ingest deletes the
pending files (store as before).  Killed after (2): readers already see the batch through the
marker, and the next ingest finishes it (store as after).  A reader holds the store's shared lock
while it reads, so it never reads while a batch is being committed: it sees the store wholly
before or wholly after every batch.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import marshal
import os
import signal
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from . import cache, processes, storefile
from .cache import write_cache_file
from .merge import MergeResult
from .records import Paper, Problem, is_valid_id

STORE_SUFFIX = ".yml"
COMMIT_MARKER = ".commit.json"  # present only between a batch's commit point and its completion
PENDING_SUFFIX = ".pending"  # ".<id>.yml.pending": a batch's new file content, not yet in place
CACHE_MIN_PAPERS = 1000  # below this, parsing the YAML costs well under 0.3 s
PARALLEL_PARSE_MIN = 2000  # unknown files from which a second process parses half (forking costs ~20 ms)


@dataclass(frozen=True)
class Store:
    """The store as read: its papers by id (sorted), and the files it could not read.

    An unreadable file is reported, never rewritten nor removed, and its id is
    ``reserved`` so that no new paper takes it.
    """

    papers: Mapping[str, Paper] = field(default_factory=lambda: MappingProxyType({}))
    problems: tuple[Problem, ...] = ()
    reserved: frozenset[str] = frozenset()

    def by_alias(self) -> dict[str, str]:
        """Retired id -> the id of the paper that now carries it (for redirects)."""
        return {alias: p.id for p in self.papers.values() for alias in p.aliases}


class StoreWriteError(Exception):
    """The store could not be written (read-only, disk full...); the message says what state it is in."""


class _NotRegular(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


# --- locks ------------------------------------------------------------------------------------------

_HELD: dict[str, int] = {}  # store folders whose exclusive lock this process holds (how many times)


@contextlib.contextmanager
def lock_store(folder: Path) -> Iterator[None]:
    """Hold the store's exclusive lock (one writer at a time, no reader meanwhile); creates the folder."""
    folder = Path(folder)
    key = os.path.realpath(folder)
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def _reading(folder: Path) -> Iterator[None]:
    """Hold the store's shared lock while reading it, unless this process holds the exclusive one."""
    if _HELD.get(os.path.realpath(folder)):
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield  # listing the folder will say what is wrong
        return
    try:
        with contextlib.suppress(OSError):  # a file system without locks: read as is
            fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


# --- loading ----------------------------------------------------------------------------------------


def load_store(folder: Path) -> Store:
    """Read every ``<id>.yml`` in ``folder`` (a pure read: a read-only store loads).

    A batch committed by an ingest that was killed before it finished is read as completed (its
    pending files stand in for the live ones).  Only regular files are read: a FIFO or a device
    named ``<id>.yml`` is reported, never opened for reading.

    Cost: files the parse cache knows (by their exact bytes) are not parsed; when many are
    unknown (a cold cache: ~0.5 CPU s at 10k papers, most files read without the YAML parser by
    ``storelayout``), a forked process parses half of them.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return Store()
    with _reading(folder):
        files, skipped = _store_files(folder)
        contents: dict[str, bytes] = {}
        failures: dict[str, Problem] = {}
        for name in sorted(files):
            try:
                contents[name] = _read_regular(files[name])
            except _NotRegular as exc:
                failures[name] = _not_regular(folder / name, exc.kind)
            except OSError as exc:
                failures[name] = Problem(os.path.join(folder, name), 1, f"cannot read store file: {exc.strerror or exc}")
    parsed = _StoreCache.open(folder, len(files))
    outcomes: dict[str, tuple[Paper | None, tuple[tuple[int, str, bool], ...]]] = {}
    unknown: list[tuple[str, bytes]] = []
    for name, data in contents.items():
        paper = parsed.get(data)
        if paper is None:
            unknown.append((name, data))
        else:
            outcomes[name] = (paper, ())
    for name, outcome in _parse_store_files(unknown).items():
        outcomes[name] = outcome
        paper, problems = outcome
        if paper is not None and not problems:
            parsed.put(contents[name], paper)
    parsed.save()
    return _assemble(folder, sorted(set(files) | set(skipped)), outcomes, failures, skipped, contents)


def _assemble(folder, names, outcomes, failures, skipped, contents) -> Store:
    papers: dict[str, Paper] = {}
    problems: list[Problem] = []
    reserved: set[str] = set()
    for name in names:
        stem = name[: -len(STORE_SUFFIX)]
        if name in skipped or name in failures:
            problems.append(skipped.get(name) or failures[name])
            reserved.add(stem)
            continue
        paper, found = outcomes[name]
        if found:
            problems.extend(Problem(os.path.join(folder, name), line, message, warning) for line, message, warning in found)
        if paper is None:
            reserved.add(stem)
        elif paper.id != stem:
            line = storefile.line_of(contents[name].decode("utf-8"), "id")
            problems.append(Problem(os.path.join(folder, name), line, f"id {paper.id!r} does not match the file name"))
            reserved.add(stem)
        else:
            papers[stem] = paper
    return Store(papers=MappingProxyType(papers), problems=tuple(problems), reserved=frozenset(reserved))


def _store_files(folder: Path) -> tuple[dict[str, str], dict[str, Problem]]:
    """The files to read (a committed batch's pending files in place of live ones), and those skipped."""
    files: dict[str, str] = {}
    skipped: dict[str, Problem] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if not name.endswith(STORE_SUFFIX) or name.startswith("."):
                continue
            if entry.is_file():  # a regular file, or a link to one (no stat call for a plain file)
                files[name] = entry.path
                continue
            kind = _kind_of(entry.path)
            if kind is None:
                files[name] = entry.path
            elif kind != "missing":  # gone since the listing: nothing to read
                skipped[name] = _not_regular(folder / name, kind)
    marker = _read_marker(folder)
    if marker is not None:
        for name in marker["remove"]:
            files.pop(name, None)
            skipped.pop(name, None)
        for name in marker["write"]:
            pending = os.path.join(folder, _pending_name(name))
            if _kind_of(pending) is None:
                files[name] = pending
                skipped.pop(name, None)
    return files, skipped


def _kind_of(path: str) -> str | None:
    """None for a regular file (or a link to one), else what it is."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a link to nothing" if os.path.islink(path) else "missing"
    except OSError as exc:
        return f"not readable: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a socket" if stat.S_ISSOCK(mode) else "not a file"


def _not_regular(path: Path, kind: str) -> Problem:
    return Problem(str(path), 0, f"not a regular file ({kind}): not read")


def _read_regular(path: str | Path) -> bytes:
    """The bytes of a regular file; never blocks on a FIFO nor reads a device swapped in after the check."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular("a FIFO" if stat.S_ISFIFO(info.st_mode) else "not a file")
        chunks = [os.read(fd, info.st_size + 1)]
        if len(chunks[0]) <= info.st_size:
            return chunks[0]
        while chunks[-1]:  # a file that grew since fstat: read on to its end
            chunks.append(os.read(fd, 1 << 16))
        return b"".join(chunks)
    finally:
        os.close(fd)


def _parse_store_files(files: list[tuple[str, bytes]]) -> dict[str, tuple]:
    """name -> (Paper or None, ((line, message, warning), ...)) for each file; from PARALLEL_PARSE_MIN
    unknown files, a forked process parses half of them (processes.in_two_processes)."""
    if len(files) < PARALLEL_PARSE_MIN:
        return {name: _parse_one(data) for name, data in files}
    half = len(files) // 2

    def first_half() -> dict[str, tuple]:
        return {name: _parse_one(data) for name, data in files[:half]}

    def second_half_as_rows() -> list[tuple]:  # flat tuples cross the pipe faster than Papers
        return [(name, storefile.row_of(paper) if paper is not None else None, problems)
                for name, data in files[half:] for paper, problems in (_parse_one(data),)]

    try:
        found, rows = processes.in_two_processes(first_half, second_half_as_rows, "parsing the store")
    except processes.ForkedWorkFailed:  # whatever went wrong there, this process parses it all again
        return {name: _parse_one(data) for name, data in files}
    for name, row, problems in rows:
        found[name] = (storefile.paper_of_row(row) if row is not None else None, tuple(map(tuple, problems)))
    return found


def _parse_one(data: bytes) -> tuple[Paper | None, tuple[tuple[int, str, bool], ...]]:
    try:
        paper, warnings = storefile.read_paper_file(data.decode("utf-8"))
    except storefile.StoreFormatError as exc:
        return None, ((exc.line, exc.message, False),)
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        return None, ((line, f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x})", False),)
    return paper, tuple((w.line, w.message, True) for w in warnings)


class _StoreCache:
    """Parsed store files keyed by a hash of their exact bytes (outside the repo).

    Parsing 10,000 store files costs ~0.5 CPU s (~1.9 s when all go through the YAML parser); the
    cache spares most of it to an ingest with nothing new.  It is keyed by content, so it can never
    disagree with the files: an edited file simply misses and is parsed.  One marshal file of
    flat rows (``storefile.row_of``): reading and writing it costs a few tens of ms at 10k.
    Set PAPERARCHIVE_CACHE_DIR=none to turn it off.  A file with a warning is never cached.
    """

    def __init__(self, path: Path | None, entries: dict[bytes, tuple]):
        self.path = path
        self.old = entries
        self.new: dict[bytes, tuple] = {}
        self.dirty = False

    @classmethod
    def open(cls, folder: Path, papers: int) -> _StoreCache:
        # small stores (tests, fresh archives) parse fast: no cache file for them
        path = cache.store_file(folder) if papers >= CACHE_MIN_PAPERS else None
        entries: dict[bytes, tuple] = {}
        if path is not None:
            try:
                version, found = marshal.loads(path.read_bytes())
                if version == _cache_version() and isinstance(found, dict):
                    entries = found
            except (OSError, ValueError, EOFError, TypeError):
                entries = {}
        return cls(path, entries)

    def get(self, data: bytes) -> Paper | None:
        if not self.old:
            return None
        key = hashlib.blake2b(data, digest_size=16).digest()
        found = self.old.get(key)
        if found is None:
            return None
        try:
            paper = storefile.paper_of_row(found)
        except (ValueError, TypeError):
            return None
        self.new[key] = found
        return paper

    def put(self, data: bytes, paper: Paper) -> None:
        if self.path is None:  # no cache file to keep it in
            return
        self.new[hashlib.blake2b(data, digest_size=16).digest()] = storefile.row_of(paper)
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not (self.dirty or len(self.new) != len(self.old)):
            return
        write_cache_file(self.path, marshal.dumps((_cache_version(), self.new)))


_CACHE_VERSION: str | None = None


def _cache_version() -> str:
    """Changes whenever the model or the file format does, so a new reader never trusts an old cache."""
    global _CACHE_VERSION
    if _CACHE_VERSION is None:
        here = Path(storefile.__file__).parent
        _CACHE_VERSION = cache.code_key(*(here / name for name in ("storefile.py", "storelayout.py", "records.py"))).hex()
    return _CACHE_VERSION


# --- saving -----------------------------------------------------------------------------------------


def _pending_name(name: str) -> str:
    return f".{name}{PENDING_SUFFIX}"


def _read_marker(folder: Path) -> dict | None:
    try:
        raw = json.loads(_read_regular(folder / COMMIT_MARKER).decode("utf-8"))
    except (OSError, ValueError, _NotRegular):
        return None
    if not isinstance(raw, dict):
        return None
    return {"write": [n for n in raw.get("write", []) if _safe_name(n)],
            "remove": [n for n in raw.get("remove", []) if _safe_name(n)]}


def _safe_name(name: object) -> bool:
    return isinstance(name, str) and name.endswith(STORE_SUFFIX) and is_valid_id(name[: -len(STORE_SUFFIX)])


def recover_store(folder: Path) -> None:
    """Finish a committed batch, or throw away an uncommitted one (call under lock_store)."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    marker = _read_marker(folder)
    if marker is not None:
        for name in marker["write"]:
            pending = folder / _pending_name(name)
            if pending.exists():
                os.replace(pending, folder / name)
        for name in marker["remove"]:
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
        _fsync_dir(folder)
    for leftover in folder.iterdir():
        if leftover.name.startswith(".") and (
            leftover.name.endswith(PENDING_SUFFIX) or leftover.name == COMMIT_MARKER + ".tmp"
        ):
            leftover.unlink()
    if os.path.lexists(folder / COMMIT_MARKER):
        (folder / COMMIT_MARKER).unlink()
        _fsync_dir(folder)


def save_store(folder: Path, before: Store, result: MergeResult) -> int:
    """Write the papers that changed and remove retired ones, as one crash-safe batch.

    Returns the number of files written or removed (0 when nothing changed: no
    file is touched then).  Unreadable files in ``before`` are never touched.
    Raises StoreWriteError when the store cannot be written (read-only, disk full).
    """
    folder = Path(folder)
    # A paper equal to the one read back from its file needs no write: dump and
    # load are exact inverses (tested), so equal objects mean equal bytes.
    writes = {
        f"{pid}{STORE_SUFFIX}": storefile.dump_paper_yaml(paper).encode("utf-8")
        for pid, paper in result.papers.items()
        if before.papers.get(pid) != paper and pid not in before.reserved
    }
    removes = sorted(
        f"{pid}{STORE_SUFFIX}" for pid in before.papers if pid not in result.papers and pid not in before.reserved
    )
    if not writes and not removes:
        return 0
    progress = {"committed": False}
    try:
        with lock_store(folder):
            recover_store(folder)
            try:
                _write_batch(folder, writes, removes, progress)
            except OSError:
                if not progress["committed"]:
                    _drop_uncommitted(folder, writes)
                raise
    except OSError as exc:
        if not progress["committed"]:
            raise StoreWriteError(f"cannot write the store {folder}: {exc.strerror or exc}; nothing in it was changed") from None
        raise StoreWriteError(f"cannot write the store {folder}: {exc.strerror or exc}; "
                              "its new state is committed and the next ingest completes it") from None
    _remember_written(folder, result, writes)
    return len(writes) + len(removes)


def _write_batch(folder: Path, writes: dict[str, bytes], removes: list[str], progress: dict) -> None:
    for name, data in writes.items():
        _checkpoint("pending")
        with open(folder / _pending_name(name), "wb") as out:
            out.write(data)
    _sync_folder(folder)
    _checkpoint("commit")
    tmp = folder / (COMMIT_MARKER + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump({"write": sorted(writes), "remove": removes}, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, folder / COMMIT_MARKER)
    progress["committed"] = True
    _fsync_dir(folder)
    for name in sorted(writes):
        _checkpoint("rename")
        os.replace(folder / _pending_name(name), folder / name)
    for name in removes:
        _checkpoint("rename")
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    _fsync_dir(folder)
    _checkpoint("finish")
    (folder / COMMIT_MARKER).unlink()
    _fsync_dir(folder)


def _drop_uncommitted(folder: Path, writes: dict[str, bytes]) -> None:
    """Remove what a batch that failed before its commit point wrote (best effort: the next ingest does it too)."""
    for name in [*(_pending_name(n) for n in writes), COMMIT_MARKER + ".tmp"]:
        with contextlib.suppress(OSError):
            (folder / name).unlink()


def _remember_written(folder: Path, result: MergeResult, writes: dict[str, bytes]) -> None:
    """Put the files just written into the parse cache, so the next load needs no YAML parsing."""
    parsed = _StoreCache.open(folder, len(result.papers))
    if parsed.path is None:
        return
    parsed.new = dict(parsed.old)
    for name, data in writes.items():
        parsed.put(data, result.papers[name[: -len(STORE_SUFFIX)]])
    parsed.save()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Flush every pending file to disk at once (one syncfs, not one fsync per file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syncfs(fd) != 0:
            os.sync()
    except (OSError, AttributeError):
        os.sync()
    finally:
        os.close(fd)


def _checkpoint(phase: str) -> None:
    """Test hook for the crash test: PAPERARCHIVE_KILL_AT=phase:N kills this process at the N-th such step."""
    spec = os.environ.get("PAPERARCHIVE_KILL_AT")
    if not spec:
        return
    want, _, count = spec.partition(":")
    if want != phase:
        return
    _CHECKPOINTS[phase] = _CHECKPOINTS.get(phase, 0) + 1
    if _CHECKPOINTS[phase] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)


_CHECKPOINTS: dict[str, int] = {}
