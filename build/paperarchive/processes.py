"""Whether this process may fork, and how work is shared between processes."""

from __future__ import annotations

import os


def fork_allowed() -> bool:
    import multiprocessing
    import threading

    if os.environ.get("PAPERARCHIVE_JOBS", "").strip() == "1" or (os.cpu_count() or 1) < 2:
        return False
    # a forked copy of a threaded process may find a lock held forever (serve builds from a thread)
    return hasattr(os, "fork") and threading.active_count() == 1 and not multiprocessing.current_process().daemon
