"""The one way to compare output with golden files: ``UPDATE_GOLDEN=1`` rewrites them, anything else compares."""

from __future__ import annotations

import os
from pathlib import Path

from paperarchive.foldersync import sync_folder


def updating() -> bool:
    return os.environ.get("UPDATE_GOLDEN") == "1"


def check_golden_file(path: Path, data: bytes) -> None:
    """``data`` must be the bytes of ``path``."""
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.is_file(), f"{path} is missing (UPDATE_GOLDEN=1 to write it)"
    assert data == path.read_bytes(), f"{path} differs (UPDATE_GOLDEN=1 to accept)"


def check_golden_tree(folder: Path, files: dict[str, str]) -> None:
    """``files`` ({relative path: text}) must be exactly what ``folder`` holds."""
    if updating():
        sync_folder(folder, {path: text.encode("utf-8") for path, text in files.items()})
    expected = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(expected), f"the set of files in {folder} changed (UPDATE_GOLDEN=1 to accept)"
    for path, text in files.items():
        assert text == expected[path], f"{path} differs from {folder / path} (UPDATE_GOLDEN=1 to accept)"
