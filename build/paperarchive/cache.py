"""The cache folder and every cache's name and key: what the build keeps to skip recomputing.

One folder (``cache_dir``: PAPERARCHIVE_CACHE_DIR, else ~/.cache/paperarchive; PAPERARCHIVE_CACHE_DIR=none
turns every cache off), one marshal file per cache: ``(key, value)``. A cache is keyed by everything its
value depends on, the code that computed it included (``code_key``), so it can never disagree with its
inputs: a changed input or a new version of the code simply misses. A cache that cannot be read is a
miss; one that cannot be written is not written.

The caches: ``store_file`` (each store folder's parsed files, by their bytes), ``RELATED`` (the related
papers of the last corpus), ``TOPICS`` (each paper's topics, by its title and abstract).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

RELATED = "related.marshal"
TOPICS = "topics.marshal"


def cache_dir() -> Path | None:
    """Where the build's caches live (outside the repo): PAPERARCHIVE_CACHE_DIR, else
    ~/.cache/paperarchive; None when PAPERARCHIVE_CACHE_DIR=none turns caching off."""
    base = os.environ.get("PAPERARCHIVE_CACHE_DIR")
    if base is not None and base.strip().lower() in ("", "none", "off", "0"):
        return None
    if base is None:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "paperarchive")
    return Path(base)


def cache_file(name: str) -> Path | None:
    """The path of the cache ``name``; None when caching is off."""
    base = cache_dir()
    return None if base is None else base / name


def store_file(store: Path) -> Path | None:
    """The parse cache of one store folder (named by its absolute path); None when caching is off."""
    where = hashlib.sha256(str(Path(store).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return cache_file(f"store-{where}.marshal")


def code_key(*source_files: str | Path) -> bytes:
    """A digest of these source files: it changes whenever the code that computes a cached value does."""
    digest = hashlib.blake2b(digest_size=16)
    for path in source_files:
        digest.update(Path(path).read_bytes())
    return digest.digest()


def content_key(*parts: Any) -> bytes:
    """A digest of marshal-able values (texts, ids, versions)."""
    return hashlib.blake2b(marshal.dumps(parts), digest_size=32).digest()


def read(path: Path | None, key: Any) -> Any | None:
    """The value cached at ``path`` under ``key``; None when absent, damaged, or under another key."""
    if path is None:
        return None
    try:
        stored_key, value = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return value if stored_key == key else None


def write(path: Path | None, key: Any, value: Any) -> None:
    """Cache ``value`` under ``key`` at ``path`` (nothing when caching is off)."""
    if path is not None:
        write_cache_file(path, marshal.dumps((key, value)))


def write_cache_file(path: Path, data: bytes) -> None:
    """Replace a cache file atomically; a cache that cannot be written is simply not written."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)


__all__ = ["RELATED", "TOPICS", "cache_dir", "cache_file", "code_key", "content_key", "read", "store_file", "write",
           "write_cache_file"]
