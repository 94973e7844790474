"""The cache folder: where the build keeps what it can recompute (outside the repo), and how files get there."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def cache_dir() -> Path | None:
    """Where the build's caches live (outside the repo): PAPERARCHIVE_CACHE_DIR, else
    ~/.cache/paperarchive; None when PAPERARCHIVE_CACHE_DIR=none turns caching off."""
    base = os.environ.get("PAPERARCHIVE_CACHE_DIR")
    if base is not None and base.strip().lower() in ("", "none", "off", "0"):
        return None
    if base is None:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "paperarchive")
    return Path(base)


def write_cache_file(path: Path, data: bytes) -> None:
    """Replace a cache file atomically; a cache that cannot be written is simply not written."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
