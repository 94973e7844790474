"""Two builds of the same content give byte-identical site/ trees.

The builds differ in everything that must not matter: the folder they are built in, the time they run
at, and the machine's time zone (UTC-12 against UTC+14, so that the local date always differs: any
`date.today()` in the output shows). SOURCE_DATE_EPOCH, when set, is the only date a build may use.
"""

from __future__ import annotations

import hashlib
import io
import time
from pathlib import Path

import pytest

from conftest import MKDOCS_YML, build_into
from paperarchive import site
from paperarchive.foldersync import SYNC_MANIFEST

EARLIEST_ZONE = "Etc/GMT+12"  # UTC-12 (POSIX signs are inverted)
LATEST_ZONE = "Pacific/Kiritimati"  # UTC+14
FIXED_EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by path relative to it."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def differences(first: dict[str, str], second: dict[str, str]) -> list[str]:
    only_first = sorted(first.keys() - second.keys())
    only_second = sorted(second.keys() - first.keys())
    changed = sorted(name for name in first.keys() & second.keys() if first[name] != second[name])
    return [f"only in first: {n}" for n in only_first] + [f"only in second: {n}" for n in only_second] + [
        f"differs: {n}" for n in changed
    ]


def assert_same(first: dict[str, str], second: dict[str, str]) -> None:
    found = differences(first, second)
    assert not found, f"{len(found)} files differ between two builds:\n" + "\n".join(found[:30])


def build_in_zone(store: Path, folder: Path, zone: str, epoch: str | None) -> Path:
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("TZ", zone)
            if epoch is None:
                patch.delenv("SOURCE_DATE_EPOCH", raising=False)
            else:
                patch.setenv("SOURCE_DATE_EPOCH", epoch)
            time.tzset()
            # the Markdown as `paperarchive generate` writes it (the build hands it to MkDocs in memory)
            assert site.generate_only(MKDOCS_YML, store, folder / "docs", err=io.StringIO()) == 0
            return build_into(store, folder / "site")
    finally:
        time.tzset()  # back to the zone the environment names again


def test_tree_digest_sees_a_changed_byte(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(b"<p>1</p>")
    before = tree_digest(tmp_path)
    (tmp_path / "a" / "index.html").write_bytes(b"<p>2</p>")
    assert differences(before, tree_digest(tmp_path)) == ["differs: a/index.html"]


def test_two_builds_without_source_date_epoch_are_identical(seed_store, seed_site, tmp_path):
    again = build_in_zone(seed_store, tmp_path / "again", LATEST_ZONE, epoch=None)
    first, second = tree_digest(seed_site), tree_digest(again)
    assert len(first) > 400
    assert_same(first, second)


def test_two_builds_with_source_date_epoch_are_identical(seed_store, tmp_path):
    one = build_in_zone(seed_store, tmp_path / "one", EARLIEST_ZONE, epoch=FIXED_EPOCH)
    two = build_in_zone(seed_store, tmp_path / "two", LATEST_ZONE, epoch=FIXED_EPOCH)
    assert_same(tree_digest(one), tree_digest(two))
    # the generated Markdown too, less the sync manifest: a cache of file sizes and mtimes, never published
    pages = lambda docs: {k: v for k, v in tree_digest(docs).items() if k != SYNC_MANIFEST}
    assert_same(pages(tmp_path / "one" / "docs"), pages(tmp_path / "two" / "docs"))
