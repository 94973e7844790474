"""Every fork of the package: whether this process may fork, how many processes to use, and forked work.

A fork is allowed when the platform has ``os.fork``, there are two CPUs or more, PAPERARCHIVE_JOBS
is not 1, this process runs one thread (a forked copy of a threaded process may find a lock held
forever: ``paperarchive serve`` builds from a server thread), and this process is not itself a
forked child (no process forks twice down: the machine's cores are already shared out).

``fork`` starts a child that goes on from the same point as the parent (the page-rendering workers
go on with MkDocs' own page loop); ``run_forked`` runs one function in a child; ``in_two_processes``
runs two functions, one in a child, and returns both results (e.g. parse these files in two halves).
The parent reads a child's outcome with ``Forked.result()``: its value, or ``ForkedWorkFailed`` with
the child's one-line error (its traceback is printed when PAPERARCHIVE_DEBUG=1).
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, NoReturn, TypeVar

T = TypeVar("T")
U = TypeVar("U")

_forked_child = False  # set in every child: a child never forks again


class ForkedWorkFailed(Exception):
    """Forked work raised (its one-line message) or its process died (its exit code)."""

    def __init__(self, message: str, child_traceback: str = "") -> None:
        super().__init__(message)
        self.child_traceback = child_traceback


def debugging() -> bool:
    """PAPERARCHIVE_DEBUG=1: print the traceback of a failure a child reports."""
    return os.environ.get("PAPERARCHIVE_DEBUG", "").strip() not in ("", "0")


def fork_allowed() -> bool:
    if _forked_child or os.environ.get("PAPERARCHIVE_JOBS", "").strip() == "1" or _cpus() < 2:
        return False
    return hasattr(os, "fork") and threading.active_count() == 1


def in_forked_child() -> bool:
    """True in a process forked by this module: the machine's other cores are busy with its siblings."""
    return _forked_child


def process_count() -> int:
    """Processes to share CPU-bound work: PAPERARCHIVE_JOBS, else the CPUs this process may use; 1 when forking is not allowed."""
    if not fork_allowed():
        return 1
    wanted = os.environ.get("PAPERARCHIVE_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return int(wanted)
    return _cpus()


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class Forked(Generic[T]):
    """The parent's end of a forked child: ``result()`` once, or ``cancel()``."""

    def __init__(self, what: str, pid: int, pipe: int) -> None:
        self.what, self.pid, self.pipe = what, pid, pipe
        self.finished = False

    def result(self) -> T:
        """The child's value; raises ForkedWorkFailed when it raised or died."""
        try:
            with os.fdopen(self.pipe, "rb") as pipe:
                payload = pipe.read()
        finally:
            _, status = os.waitpid(self.pid, 0)
            self.finished = True
        try:
            outcome = pickle.loads(payload)
        except Exception:  # noqa: BLE001 -- a child killed mid-write leaves a cut payload
            outcome = None
        if outcome is None:
            raise ForkedWorkFailed(f"{self.what}: the process died ({_status_text(status)})")
        ok, value, child_traceback = outcome
        if ok:
            return value
        if debugging():
            print(f"{self.what}: traceback of the forked process:\n{child_traceback}", end="", file=sys.stderr)
        raise ForkedWorkFailed(f"{self.what}: {value}", child_traceback)

    def cancel(self) -> None:
        """Stop the child if it is still running, and reap it."""
        if self.finished:
            return
        self.finished = True
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.pipe)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


class Child:
    """A forked child's end: it ends with ``finish(value)`` or ``fail(exc)``, which never return."""

    def __init__(self, pipe: int) -> None:
        self.pipe = pipe

    def finish(self, value: Any = None) -> NoReturn:
        self._send((True, value, ""))

    def fail(self, exc: BaseException) -> NoReturn:
        self._send((False, f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc))))

    def run(self, work: Callable[[], Any]) -> NoReturn:
        try:
            value = work()
        except BaseException as exc:  # noqa: BLE001 -- sent to the parent, which raises it
            self.fail(exc)
        self.finish(value)

    def _send(self, outcome: tuple) -> NoReturn:
        code = 1
        try:
            try:
                payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # noqa: BLE001 -- an unpicklable value is the child's failure
                payload = pickle.dumps((False, f"cannot send the result: {type(exc).__name__}: {exc}", ""))
            with os.fdopen(self.pipe, "wb") as out:
                out.write(payload)
            code = 0
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)


def fork(what: str) -> Forked | Child:
    """Fork: the parent gets a Forked, the child (going on from here) a Child. Check fork_allowed() first.

    ``what`` names the work in the parent's messages (``search index and extras: ValueError: ...``).
    """
    read_end, write_end = os.pipe()
    parent = os.getpid()
    # The child's collector leaves the objects it inherits alone: walking them would cost it CPU and
    # copy every page it touches (copy-on-write), for objects the parent owns and frees.
    gc.freeze()
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()
    if pid == 0:
        global _forked_child
        _forked_child = True
        _die_with(parent)
        os.close(read_end)
        return Child(write_end)
    os.close(write_end)
    return Forked(what, pid, read_end)


def run_forked(work: Callable[[], T], what: str) -> Forked[T]:
    """``work()`` in a forked child; its value (picklable) comes back through ``result()``."""
    end = fork(what)
    if isinstance(end, Child):
        end.run(work)
    return end


def in_two_processes(here: Callable[[], T], there: Callable[[], U], what: str) -> tuple[T, U]:
    """``(here(), there())``, ``there`` in a forked child meanwhile when forking is allowed."""
    if not fork_allowed():
        return here(), there()
    child = run_forked(there, what)
    try:
        mine = here()
    except BaseException:
        child.cancel()
        raise
    return mine, child.result()


class Gate:
    """A one-time go from the parent to a forked child. Make it before forking; the child ``wait()``s
    (False when the parent ended without ``open()``), the parent calls ``forked()`` and later ``open()``."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()

    def forked(self) -> None:
        """In the parent, once the child exists."""
        self._close("_read")

    def open(self) -> None:
        if self._write is not None:
            with contextlib.suppress(BrokenPipeError):  # the child has ended already: its result says how
                os.write(self._write, b"1")
            self._close("_write")

    def wait(self) -> bool:
        """In the child: block until the parent opens the gate."""
        self._close("_write")  # so that the parent's end, closed, ends the wait
        try:
            return os.read(self._read, 1) == b"1"
        finally:
            self._close("_read")

    def close(self) -> None:
        self._close("_read")
        self._close("_write")

    def _close(self, name: str) -> None:
        fd = getattr(self, name)
        if fd is not None:
            setattr(self, name, None)
            with contextlib.suppress(OSError):
                os.close(fd)


class SharedCounters:
    """Integers every forked child can write and the parent read (each child writes only its own)."""

    def __init__(self, count: int) -> None:
        self._memory = mmap.mmap(-1, max(1, count) * 8)
        self._values = memoryview(self._memory).cast("q")

    def __getitem__(self, i: int) -> int:
        return self._values[i]

    def __setitem__(self, i: int, value: int) -> None:
        self._values[i] = value

    def total(self) -> int:
        return sum(self._values)


def _die_with(parent: int) -> None:
    """A child ends when its parent does (Linux), so a killed build leaves no worker writing into its folders."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _status_text(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


__all__ = [
    "Child", "Forked", "ForkedWorkFailed", "Gate", "SharedCounters", "debugging", "fork", "fork_allowed",
    "in_forked_child", "in_two_processes", "process_count", "run_forked",
]
