"""cache.py: one cache folder, one name and key per cache; PAPERARCHIVE_CACHE_DIR=none turns every cache off."""

from __future__ import annotations

import io

from conftest import MKDOCS_YML
from paperarchive import cache, related, site, topics
from paperarchive import store as paper_store


def test_a_value_is_read_back_only_under_its_key(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", str(tmp_path))
    path = cache.cache_file(cache.RELATED)
    assert path == tmp_path / "related.marshal"
    cache.write(path, b"key", {"a": ("b",)})
    assert cache.read(path, b"key") == {"a": ("b",)}
    assert cache.read(path, b"other key") is None
    path.write_bytes(b"\x00not marshal")
    assert cache.read(path, b"key") is None
    assert [p.name for p in tmp_path.iterdir()] == ["related.marshal"]  # no temporary file left


def test_the_code_key_changes_with_the_code(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("x = 1\n")
    before = cache.code_key(module)
    module.write_text("x = 2\n")
    assert cache.code_key(module) != before
    assert cache.content_key("a", 1) == cache.content_key("a", 1) != cache.content_key("a", 2)


def test_none_turns_caching_off(monkeypatch, tmp_path):
    for off in ("none", "off", "0", ""):
        monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", off)
        assert cache.cache_dir() is None and cache.cache_file(cache.TOPICS) is None
        assert cache.store_file(tmp_path) is None
    cache.write(None, b"key", 1)
    assert cache.read(None, b"key") is None
    monkeypatch.delenv("PAPERARCHIVE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "paperarchive"


def test_a_build_writes_every_cache_in_the_cache_folder_and_none_with_caching_off(seed_store, tmp_path, monkeypatch):
    for module in (paper_store, related, topics):  # the seeds are small: cache them anyway
        monkeypatch.setattr(module, "CACHE_MIN_PAPERS", 1)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    assert site.build(MKDOCS_YML, seed_store, site_dir=tmp_path / "site", err=io.StringIO()) == 0
    names = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert names == sorted([cache.RELATED, cache.TOPICS, cache.store_file(seed_store).name])
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", "none")
    assert site.build(MKDOCS_YML, seed_store, site_dir=tmp_path / "site", err=io.StringIO()) == 0
    assert not (tmp_path / "home-cache").exists()
