"""The golden-file helper itself: a difference fails with the file named, UPDATE_GOLDEN=1 rewrites."""

from __future__ import annotations

import pytest

from goldenfiles import check_golden_file, check_golden_tree


def test_a_difference_fails_and_names_the_file(tmp_path, monkeypatch):
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    golden = tmp_path / "page.md"
    golden.write_bytes(b"expected\n")
    check_golden_file(golden, b"expected\n")
    with pytest.raises(AssertionError, match=r"page\.md differs \(UPDATE_GOLDEN=1 to accept\)"):
        check_golden_file(golden, b"changed\n")


def test_update_golden_rewrites_and_only_1_means_update(tmp_path, monkeypatch):
    golden = tmp_path / "out" / "page.md"
    monkeypatch.setenv("UPDATE_GOLDEN", "yes")  # not "1": compares (and fails on the missing file)
    with pytest.raises(AssertionError, match="is missing"):
        check_golden_file(golden, b"new\n")
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    check_golden_file(golden, b"new\n")
    assert golden.read_bytes() == b"new\n"


def test_a_tree_with_a_file_more_or_less_fails(tmp_path, monkeypatch):
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    check_golden_tree(tmp_path, {"a.md": "a"})
    with pytest.raises(AssertionError, match="the set of files"):
        check_golden_tree(tmp_path, {"a.md": "a", "b.md": "b"})
