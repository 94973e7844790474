"""The store's file format and folder handling: YAML round trip, unreadable files, saving, the parse cache.

Golden file: tests/fixtures/store/golden/paper.yml (regenerate: UPDATE_GOLDEN=1 python3 -m pytest tests/test_store.py).
"""

from __future__ import annotations

import errno
import os
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from goldenfiles import check_golden_file
from paperarchive.merge import merge
from paperarchive.records import Entry, Paper, Source, fold_title
from paperarchive.store import (
    COMMIT_MARKER,
    Store,
    load_store,
    recover_store,
    save_store,
)
from paperarchive.storefile import (
    StoreFormatError,
    dump_paper_yaml,
    load_paper_yaml,
    paper_from_dict,
    paper_to_dict,
)

GOLDEN = FIXTURES / "store" / "golden" / "paper.yml"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", str(tmp_path / "cache"))


HOSTILE = [
    "---",
    "--- \n...",
    "key: value",
    "a: b: c",
    "&anchor *anchor",
    "!!python/object:os.system",
    "!!python/object/apply:os.system ['rm -rf /']",
    "{{ page.title }} {% raw %}",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "[link](javascript:alert(1)) | a | b |\n# heading *em* _u_",
    "null",
    "~",
    "yes",
    "0x1F",
    "1e3",
    "2025-11-20",
    " leading and trailing ",
    "#comment",
    "'\"quotes\"'",
    "tab\there",
    "line\nbreak\r\nand\rcarriage",
    "\x00\x01\x07\x1b\x7f control",
    "\x85 \u2028 \u2029 \ufeff",
    "emoji 🧪👍🏽👩‍👩‍👧",
    "CJK 中文标题 日本語",
    "RTL עברית العربية \u202e",
    "combining e\u0301 a\u0308 \u0301",
    "x" * 500,
]

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
hostile_text = st.lists(text | st.sampled_from(HOSTILE), max_size=4).map("".join)
dates = st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
ids = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,6}){0,3}", fullmatch=True)
optional = st.none() | hostile_text


@st.composite
def papers(draw) -> Paper:
    ranks = st.none() | st.integers(1, 500)
    sources = tuple(sorted(set(draw(st.lists(st.builds(Source, dates, hostile_text, ranks), max_size=3))),
                           key=lambda s: (s.listed or date.min, s.listing, s.rank or 0)))
    return Paper(
        id=draw(ids),
        title=draw(hostile_text),
        abstract=draw(hostile_text),
        published=draw(dates),
        comments=draw(st.integers(0, 10**6)),
        authors_count=draw(st.none() | st.integers(0, 5000)),
        organization=draw(optional),
        organization_id=draw(optional),
        authors=tuple(draw(st.lists(hostile_text, max_size=3))),
        arxiv_id=draw(optional),
        upvotes=draw(st.none() | st.integers(0, 10**6)),
        github=draw(optional),
        project_page=draw(optional),
        keywords=tuple(draw(st.lists(hostile_text, max_size=3))),
        links=tuple(draw(st.lists(hostile_text, max_size=2))),
        sources=sources,
        first_seen=draw(dates),
        aliases=tuple(draw(st.lists(ids, max_size=2))),
        former_titles=tuple(draw(st.lists(hostile_text, max_size=2))),
    )


@settings(max_examples=400, deadline=None)
@given(papers())
def test_any_paper_survives_yaml(paper):
    assert load_paper_yaml(dump_paper_yaml(paper)) == paper
    assert paper_from_dict(paper_to_dict(paper)) == paper


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_round_trips_exactly(value):
    paper = Paper(id="p", title=value, abstract=value, authors=(value,), organization=value)
    dumped = dump_paper_yaml(paper)
    back = load_paper_yaml(dumped)
    assert back.title == value and back.abstract == value and back.authors == (value,)
    assert dumped.count("\n") == dumped.rstrip("\n").count("\n") + 1  # exactly one final newline


def _fold_by_character(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


@given(hostile_text)
def test_fold_title_folds_every_character_that_is_not_a_letter_or_digit(value):
    assert fold_title(value) == _fold_by_character(value)


def test_dump_is_the_golden_file():
    paper = Paper(
        id="sparse-experts",
        title="Sparse: Experts {{ at }} Scale",
        abstract="Code at https://github.com/x/y. <b>bold</b>",
        published=date(2025, 11, 18),
        comments=3,
        organization="Acme Lab",
        organization_id="acme",
        authors=("Ada Lovelace", "李雷"),
        arxiv_id="2511.01234",
        upvotes=0,
        keywords=("moe",),
        links=("https://github.com/x/y",),
        sources=(Source(None, "undated.txt"), Source(date(2025, 11, 20), "2025-11-20.txt")),
        first_seen=date(2025, 11, 20),
        aliases=("sparse-experts-old",),
        former_titles=("Sparse Experts",),
    )
    text = dump_paper_yaml(paper)
    check_golden_file(GOLDEN, text.encode("utf-8"))
    assert load_paper_yaml(text) == paper


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("id: p\ntitle: [unclosed\nabstract: x\n", 3, "not valid YAML: did not find expected ',' or ']'"),
        ("id: p\ntitle: t\nabstract: a\ntitel: typo\n", 4, "unknown field 'titel'"),
        ("id: p\ntitle: t\nabstract: a\ncomments: many\n", 4, "field 'comments' must be a whole number >= 0"),
        ("id: p\ntitle: t\nabstract: a\npublished: 20 Nov\n", 4, "field 'published' must be a YYYY-MM-DD date or null"),
        ("id: p\nabstract: a\n", 1, "field 'title' must be text"),
        ("id: ../etc\ntitle: t\nabstract: a\n", 1, "field 'id' is not a valid id: '../etc'"),
        ("- just\n- a list\n", 1, "expected a mapping of paper fields, got list"),
        ("id: p\ntitle: t\nabstract: a\n---\nid: q\n", 4, "not valid YAML: expected a single document in the stream but found another document"),
    ],
)
def test_bad_store_text_names_its_line(text, line, message):
    with pytest.raises(StoreFormatError) as caught:
        load_paper_yaml(text)
    assert (caught.value.line, caught.value.message) == (line, message)


def _entry(title, listed="2025-11-20", listing=None, **kw) -> Entry:
    day = date.fromisoformat(listed) if listed else None
    return Entry(listing=listing or f"{listed}.txt", line=1, listed=day, title=title, abstract=kw.pop("abstract", "A."), **kw)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in sorted(folder.iterdir())}


def test_save_writes_only_what_changed(tmp_path):
    folder = tmp_path / "papers"
    first = merge(Store(), [_entry("Alpha"), _entry("Beta")])
    assert save_store(folder, Store(), first) == 2
    before = _snapshot(folder)
    store = load_store(folder)
    assert dict(store.papers) == dict(first.papers) and store.problems == ()

    again = merge(store, [_entry("Alpha"), _entry("Beta")])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert save_store(folder, store, again) == 0
    assert _snapshot(folder) == before

    later = merge(store, [_entry("Beta", "2025-11-21", comments=4)])
    assert save_store(folder, store, later) == 1
    after = _snapshot(folder)
    assert after["alpha.yml"] == before["alpha.yml"]
    assert after["beta.yml"][0] != before["beta.yml"][0]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_unreadable_store_file_is_reported_kept_and_its_id_reserved(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    broken = "id: alpha\ntitle: [Alpha\nabstract: A.\n"
    (folder / "alpha.yml").write_text(broken, "utf-8")
    (folder / "beta.yml").write_text("id: gamma\ntitle: Beta\nabstract: B.\n", "utf-8")
    (folder / "delta.yml").write_bytes(b"id: delta\ntitle: \xff\xfe\n")
    store = load_store(folder)
    assert [str(p) for p in store.problems] == [
        f"{folder}/alpha.yml:3: not valid YAML: did not find expected ',' or ']'",
        f"{folder}/beta.yml:1: id 'gamma' does not match the file name",
        f"{folder}/delta.yml:2: not UTF-8 text (byte 0xff)",
    ]
    assert store.papers == {} and store.reserved == {"alpha", "beta", "delta"}

    result = merge(store, [_entry("Alpha"), _entry("Beta")])
    assert sorted(result.papers) == ["alpha-2", "beta-2"]
    save_store(folder, store, result)
    assert (folder / "alpha.yml").read_text("utf-8") == broken
    assert (folder / "beta.yml").exists() and (folder / "delta.yml").exists()


def test_cache_never_disagrees_with_the_files(tmp_path, monkeypatch):
    monkeypatch.setattr("paperarchive.store.CACHE_MIN_PAPERS", 1)
    folder = tmp_path / "papers"
    result = merge(Store(), [_entry("Alpha")])
    save_store(folder, Store(), result)
    assert load_store(folder).papers["alpha"].title == "Alpha"
    assert list((tmp_path / "cache").iterdir()), "the first save fills the cache"
    path = folder / "alpha.yml"
    path.write_text(path.read_text("utf-8").replace("title: Alpha", "title: Edited by hand"), "utf-8")
    assert load_store(folder).papers["alpha"].title == "Edited by hand"
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", "none")
    assert load_store(folder).papers["alpha"].title == "Edited by hand"


def test_corrupt_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr("paperarchive.store.CACHE_MIN_PAPERS", 1)
    folder = tmp_path / "papers"
    save_store(folder, Store(), merge(Store(), [_entry("Alpha")]))
    for cached in (tmp_path / "cache").iterdir():
        cached.write_text("{not json", "utf-8")
    assert load_store(folder).papers["alpha"].title == "Alpha"


def _half_done_batch(tmp_path, committed: bool) -> tuple[Path, Store, Store]:
    """A store, and the files of a batch left behind by a killed ingest (before or after its commit point)."""
    folder = tmp_path / "papers"
    first = merge(Store(), [_entry("Alpha"), _entry("Beta")])
    save_store(folder, Store(), first)
    before = load_store(folder)
    result = merge(before, [_entry("Alpha", "2025-11-21", comments=2), _entry("Gamma", "2025-11-21")])
    after = Store(papers=result.papers)
    for pid in ("alpha", "gamma"):
        (folder / f".{pid}.yml.pending").write_text(dump_paper_yaml(result.papers[pid]), "utf-8")
    if committed:
        (folder / COMMIT_MARKER).write_text('{"write": ["alpha.yml", "gamma.yml"], "remove": []}', "utf-8")
        os.replace(folder / ".alpha.yml.pending", folder / "alpha.yml")  # killed after the first rename
    return folder, before, after


def test_committed_batch_reads_as_done_and_recovery_finishes_it(tmp_path):
    folder, _, after = _half_done_batch(tmp_path, committed=True)
    assert dict(load_store(folder).papers) == dict(after.papers)
    recover_store(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["alpha.yml", "beta.yml", "gamma.yml"]
    assert dict(load_store(folder).papers) == dict(after.papers)


def test_uncommitted_batch_is_ignored_and_recovery_drops_it(tmp_path):
    folder, before, _ = _half_done_batch(tmp_path, committed=False)
    assert dict(load_store(folder).papers) == dict(before.papers)
    recover_store(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["alpha.yml", "beta.yml"]
    assert dict(load_store(folder).papers) == dict(before.papers)


def test_missing_store_folder_is_an_empty_store(tmp_path):
    assert load_store(tmp_path / "nowhere") == Store()


def test_aliases_must_be_ids_like_the_id(tmp_path):
    text = "id: p\ntitle: t\nabstract: a\naliases:\n- old-id\n- Old Title\n"
    with pytest.raises(StoreFormatError) as caught:
        load_paper_yaml(text)
    assert (caught.value.line, caught.value.message) == (6, "field 'aliases' holds a value that is not a valid id: 'Old Title'")
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "p.yml").write_text(text, "utf-8")
    store = load_store(folder)
    assert [str(p) for p in store.problems] == [f"{folder}/p.yml:6: field 'aliases' holds a value that is not a valid id: 'Old Title'"]
    assert store.papers == {} and store.reserved == {"p"}


@pytest.mark.parametrize(
    ("field_text", "line", "message"),
    [
        ("published: '2999-01-01'\n", 4, "field 'published' is not a plausible date (2999-01-01): read as unknown"),
        ("published: 2107-01-01\n", 4, "field 'published' is not a plausible date (2107-01-01): read as unknown"),
        ("published: '0001-01-01'\n", 4, "field 'published' is not a plausible date (0001-01-01): read as unknown"),
        ("published: '0000-01-01'\n", 4, "field 'published' is not a plausible date (0000-01-01): read as unknown"),
        ("published: '12025-01-01'\n", 4, "field 'published' is not a plausible date (12025-01-01): read as unknown"),
        ("first_seen: '1989-12-31'\n", 4, "field 'first_seen' is not a plausible date (1989-12-31): read as unknown"),
        ("sources:\n- listing: a.txt\n  listed: '2025-11-20'\n- listing: b.txt\n  listed: '2205-11-25'\n", 8,
         "field 'listed' is not a plausible date (2205-11-25): read as unknown"),
    ],
)
def test_an_implausible_date_is_read_as_unknown_with_a_warning(tmp_path, field_text, line, message):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "p.yml").write_text(f"id: p\ntitle: t\nabstract: a\n{field_text}", "utf-8")
    store = load_store(folder)
    assert [(str(p), p.warning) for p in store.problems] == [(f"{folder}/p.yml:{line}: {message}", True)]
    paper = store.papers["p"]
    assert paper.published is None and paper.first_seen is None
    assert [s.listed for s in paper.sources] in ([], [date(2025, 11, 20), None])


def test_a_date_no_calendar_has_is_refused():
    with pytest.raises(StoreFormatError) as caught:
        load_paper_yaml("id: p\ntitle: t\nabstract: a\npublished: '2025-13-40'\n")
    assert (caught.value.line, caught.value.message) == (4, "field 'published' must be a YYYY-MM-DD date or null")


def test_an_unquoted_date_like_title_stays_text():
    assert load_paper_yaml("id: p\ntitle: 2025-11-20\nabstract: a\npublished: 2025-11-18\n").title == "2025-11-20"


def test_only_regular_files_are_read(tmp_path):
    folder = tmp_path / "papers"
    save_store(folder, Store(), merge(Store(), [_entry("Alpha")]))
    os.mkfifo(folder / "fifo.yml")
    os.symlink("/dev/zero", folder / "zero.yml")
    os.symlink(folder / "alpha.yml", folder / "linked.yml")  # a link to a regular file is read
    os.symlink(folder / "nowhere", folder / "broken.yml")
    (folder / "folder.yml").mkdir()
    store = load_store(folder)
    assert [str(p) for p in store.problems] == [
        f"{folder}/broken.yml: not a regular file (a link to nothing): not read",
        f"{folder}/fifo.yml: not a regular file (a FIFO): not read",
        f"{folder}/folder.yml: not a regular file (a folder): not read",
        f"{folder}/linked.yml:1: id 'alpha' does not match the file name",
        f"{folder}/zero.yml: not a regular file (a device): not read",
    ]
    assert list(store.papers) == ["alpha"] and store.reserved == {"broken", "fifo", "folder", "linked", "zero"}


def test_a_fifo_as_commit_marker_or_pending_file_blocks_nothing(tmp_path):
    folder = tmp_path / "papers"
    save_store(folder, Store(), merge(Store(), [_entry("Alpha")]))
    os.mkfifo(folder / COMMIT_MARKER)
    assert list(load_store(folder).papers) == ["alpha"]
    os.unlink(folder / COMMIT_MARKER)
    (folder / COMMIT_MARKER).write_text('{"write": ["alpha.yml"], "remove": []}', "utf-8")
    os.mkfifo(folder / ".alpha.yml.pending")
    assert list(load_store(folder).papers) == ["alpha"]  # the live file stands in for a pending one that is no file
    recover_store(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["alpha.yml"]


def _failing_at(monkeypatch, phase: str, number: int, error: int) -> None:
    """The save's N-th step of ``phase`` fails with OSError ``error`` (a full disk, a read-only file system)."""
    from paperarchive import store as store_module

    seen = []

    def checkpoint(name):
        if name == phase:
            seen.append(name)
            if len(seen) >= number:
                raise OSError(error, os.strerror(error))

    monkeypatch.setattr(store_module, "_checkpoint", checkpoint)


def test_a_full_disk_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    from paperarchive.store import StoreWriteError

    folder = tmp_path / "papers"
    save_store(folder, Store(), merge(Store(), [_entry("Alpha"), _entry("Beta")]))
    before = _snapshot(folder)
    store = load_store(folder)
    _failing_at(monkeypatch, "pending", 2, errno.ENOSPC)
    with pytest.raises(StoreWriteError) as caught:
        save_store(folder, store, merge(store, [_entry("Alpha", "2025-11-21", comments=1), _entry("Gamma")]))
    assert str(caught.value) == f"cannot write the store {folder}: No space left on device; nothing in it was changed"
    assert _snapshot(folder) == before


def test_a_failure_after_the_commit_point_is_completed_by_the_next_ingest(tmp_path, monkeypatch):
    from paperarchive.store import StoreWriteError

    folder = tmp_path / "papers"
    save_store(folder, Store(), merge(Store(), [_entry("Alpha"), _entry("Beta")]))
    store = load_store(folder)
    result = merge(store, [_entry("Alpha", "2025-11-21", comments=1), _entry("Gamma")])
    _failing_at(monkeypatch, "rename", 2, errno.EIO)
    with pytest.raises(StoreWriteError) as caught:
        save_store(folder, store, result)
    assert str(caught.value) == (f"cannot write the store {folder}: Input/output error; "
                                 "its new state is committed and the next ingest completes it")
    assert dict(load_store(folder).papers) == dict(result.papers)
    recover_store(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["alpha.yml", "beta.yml", "gamma.yml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder: the ingest tests simulate it")
def test_a_read_only_store_loads_and_refuses_writes(tmp_path):
    from paperarchive.store import StoreWriteError

    folder = tmp_path / "papers"
    save_store(folder, Store(), merge(Store(), [_entry("Alpha")]))
    folder.chmod(0o555)
    try:
        store = load_store(folder)
        assert list(store.papers) == ["alpha"] and store.problems == ()
        assert save_store(folder, store, merge(store, [_entry("Alpha")])) == 0
        with pytest.raises(StoreWriteError, match="Permission denied; nothing in it was changed"):
            save_store(folder, store, merge(store, [_entry("Beta")]))
    finally:
        folder.chmod(0o755)
