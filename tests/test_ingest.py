"""`paperarchive ingest`: files in, store out, problems reported, good records always kept."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, require_shared
from paperarchive.ingest import ingest_files, is_api_json
from paperarchive.records import fold_title
from paperarchive.store import load_store

LISTINGS = FIXTURES / "store" / "listings"
API = FIXTURES / "store" / "api"
DAY1, DAY2, EXTRA = LISTINGS / "2025-11-20.txt", LISTINGS / "2025-11-21.txt", LISTINGS / "2025-11-21-extra.txt"
BINARY = LISTINGS / "2025-11-22-binary.txt"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", str(tmp_path / "cache"))


def run(files, store: Path, strict=False, listed_on=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = ingest_files([Path(f) for f in files], store=store, listed_on=listed_on, strict=strict, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_listings_merge_into_one_record_per_paper(tmp_path):
    store = tmp_path / "papers"
    summary = ("added 5, updated 0, unchanged 0, problems 0\n"
               f"{DAY2}:23: renamed 'graph-transformers-revisited' from 'Graph Transformers Revisited' "
               "to 'Graph Transformers Revisited: Random Walks Are All You Need' (same abstract)\n")
    assert run([DAY1, DAY2], store) == (0, summary, "")
    papers = load_store(store).papers
    assert sorted(papers) == ["cafe-models", "cafe-models-2", "graph-transformers-revisited",
                              "sparse-mixtures-of-experts-at-scale", "tiny-recurrent-models"]
    sparse = papers["sparse-mixtures-of-experts-at-scale"]
    assert (sparse.title, sparse.comments, sparse.organization) == ("Sparse mixtures of experts at scale", 5, "Acme Research")
    assert sparse.links == ("https://github.com/example/smoe",)
    tiny = papers["tiny-recurrent-models"]  # the later listing shows no metadata: nothing erased
    assert (tiny.authors_count, str(tiny.published), tiny.comments) == (4, "2025-11-19", 0)
    graph = papers["graph-transformers-revisited"]  # title corrected, same abstract: same id
    assert graph.title == "Graph Transformers Revisited: Random Walks Are All You Need"
    assert (str(graph.published), graph.comments) == ("2025-11-16", 1)  # the later listing's date
    assert graph.links == ("https://example.org/gt",)
    assert papers["cafe-models-2"].title == "Café Models"


def test_argument_order_and_run_split_give_the_same_bytes(tmp_path):
    together, reversed_, split = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    run([DAY1, DAY2, EXTRA, *sorted(API.iterdir())], together)
    run([*sorted(API.iterdir(), reverse=True), EXTRA, DAY2, DAY1], reversed_)
    run([DAY1], split)
    run([DAY2, EXTRA], split)
    run(sorted(API.iterdir()), split)
    assert files_of(together) == files_of(reversed_) == files_of(split)


def test_second_ingest_changes_no_byte_and_writes_no_file(tmp_path):
    store = tmp_path / "papers"
    run([DAY1, DAY2, EXTRA, *sorted(API.iterdir())], store)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in store.iterdir()}
    code, out, err = run([DAY2, DAY1, EXTRA, *sorted(API.iterdir())], store)
    assert (code, out, err) == (0, "added 0, updated 0, unchanged 6, problems 0\n", "")
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in store.iterdir()} == before


def test_an_api_record_whose_abstract_and_title_name_two_papers_renames_the_abstracts_paper(tmp_path):
    # "Tiny Recurrent Models" and "Less is More..." (each with its own abstract) are two papers; the API
    # record carries the first one's abstract under the second one's title: the abstract wins.
    store = tmp_path / "papers"
    run([DAY1, DAY2, EXTRA], store)
    before = load_store(store).papers["less-is-more-recursive-reasoning-with-tiny-networks"]
    code, out, err = run([API / "2025-11-23.json"], store)
    assert (code, out) == (0, "added 0, updated 1, unchanged 0, problems 1\n")
    assert err == (f"{API / '2025-11-23.json'}:2: renamed 'tiny-recurrent-models' from 'Tiny Recurrent Models' to "
                   "'Less is More: Recursive Reasoning with Tiny Networks': its abstract matches, while the title matches "
                   "'less-is-more-recursive-reasoning-with-tiny-networks' ('Less is More: Recursive Reasoning with Tiny "
                   "Networks'), whose abstract clearly differs\n")
    papers = load_store(store).papers
    assert papers["less-is-more-recursive-reasoning-with-tiny-networks"] == before  # untouched
    kept = papers["tiny-recurrent-models"]
    assert kept.former_titles == ("Tiny Recurrent Models",) and kept.aliases == ()
    assert (kept.arxiv_id, kept.authors, kept.upvotes) == ("2511.04321", ("Ada Lovelace", "Alan Turing"), 42)
    assert (kept.comments, kept.organization, kept.github) == (3, None, "https://github.com/example/trm")
    code, out, err = run([API / "2025-11-24.json"], store)  # matched by arXiv id only: the title follows, the id stays
    assert (code, err) == (0, "")
    assert out == ("added 0, updated 1, unchanged 0, problems 0\n"
                   f"{API / '2025-11-24.json'}:2: renamed 'tiny-recurrent-models' from 'Less is More: Recursive Reasoning "
                   "with Tiny Networks' to 'TRM: Recursive Reasoning with Tiny Networks' (same arXiv id)\n")
    kept = load_store(store).papers["tiny-recurrent-models"]
    assert (kept.title, kept.upvotes, kept.comments) == ("TRM: Recursive Reasoning with Tiny Networks", 57, 3)


def test_a_broken_listing_costs_only_itself(tmp_path):
    store = tmp_path / "papers"
    code, out, err = run([BINARY, DAY1], store)
    assert code == 1
    assert out == "added 4, updated 0, unchanged 0, problems 1\n"
    assert err == f"{BINARY}:1: binary file (NUL byte at offset 0), not a listing page: skipped\n"
    assert len(load_store(store).papers) == 4
    code, out, err = run([tmp_path / "missing.txt"], store)
    assert (code, out) == (1, "added 0, updated 0, unchanged 0, problems 1\n")
    assert err.startswith(f"{tmp_path / 'missing.txt'}:1: cannot read the file: ")


def test_a_corrupt_store_file_is_reported_and_preserved(tmp_path):
    store = tmp_path / "papers"
    run([DAY1], store)
    damaged = "id: cafe-models\ntitle: 'unclosed\n"
    (store / "cafe-models.yml").write_text(damaged, "utf-8")
    code, out, err = run([DAY1, DAY2], store)
    assert code == 1
    assert err == f"{store}/cafe-models.yml:3: not valid YAML: found unexpected end of stream\n"
    assert out.splitlines()[0] == "added 2, updated 3, unchanged 0, problems 1"
    assert (store / "cafe-models.yml").read_text("utf-8") == damaged
    assert load_store(store).papers["cafe-models-2"].title == "Cafe Models"


def test_warnings_fail_only_under_strict(tmp_path):
    undated = tmp_path / "listing.txt"
    undated.write_text("Daily Papers\n\nMar 13\n\nA Title\n\nAn abstract.\n", "utf-8")
    code, out, err = run([undated], tmp_path / "a")
    assert out == f"added 1, updated 0, unchanged 0, problems {err.count(chr(10))}\n"
    if err:  # the parser warns about the inferred year
        assert code == 0 and run([undated], tmp_path / "b", strict=True)[0] == 1
    bad = run([undated], tmp_path / "c", listed_on="13 March")
    assert bad == (1, "added 0, updated 0, unchanged 0, problems 1\n", "--listed-on:1: not a YYYY-MM-DD date: '13 March'\n")


def test_listed_on_dates_an_undated_listing(tmp_path):
    undated = tmp_path / "listing.txt"
    shutil.copy(DAY1, undated)
    run([undated], tmp_path / "papers", listed_on="2025-11-20")
    papers = load_store(tmp_path / "papers").papers
    assert {str(p.first_seen) for p in papers.values()} == {"2025-11-20"}


@pytest.mark.parametrize(
    ("head", "is_json"),
    [
        (b'[{"paper": {}}]', True),
        (b'\xef\xbb\xbf  \n{"data": []}', True),
        (b"[]", True),
        (b'[\n  "{\'paper\': 1}"]', True),
        (b"[Re] Reproducing a paper\n\nAbstract.", False),
        (b"{Title in braces}\n", False),
        (b"new\n\nSubscribe\n", False),
        (b"", False),
    ],
)
def test_api_files_are_detected_by_content(head, is_json):
    assert is_api_json(head) is is_json


def test_json_named_txt_is_read_as_api(tmp_path):
    renamed = tmp_path / "2025-11-23-api.txt"
    shutil.copy(API / "2025-11-23.json", renamed)
    code, out, _ = run([renamed], tmp_path / "papers")
    assert (code, out) == (0, "added 1, updated 0, unchanged 0, problems 0\n")
    assert load_store(tmp_path / "papers").papers["less-is-more-recursive-reasoning-with-tiny-networks"].arxiv_id == "2511.04321"


def test_seeds_give_one_record_per_distinct_title(tmp_path):
    seeds = sorted((ROOT / "content" / "listings").glob("*.txt"))
    _, out, _ = run(seeds, tmp_path / "papers")
    assert out == "added 434, updated 0, unchanged 0, problems 0\n"
    assert run(seeds, tmp_path / "papers")[1] == "added 0, updated 0, unchanged 434, problems 0\n"


@pytest.mark.corpus
def test_corpus_slice_gives_one_record_per_distinct_folded_title(corpus, tmp_path):
    listings = sorted((corpus / "listings").glob("*.txt"))[::20]
    names = {p.name for p in listings}
    truth = [r for r in map(json.loads, (corpus / "expected.jsonl").read_text("utf-8").splitlines()) if r["listing"] in names]
    code, _, err = run(listings, tmp_path / "papers")
    assert (code, err) == (0, "")
    papers = load_store(tmp_path / "papers").papers
    assert len(papers) == len({fold_title(r["title"]) for r in truth})
    by_key = {p.key: p for p in papers.values()}
    for record in truth:
        paper = by_key[fold_title(record["title"])]
        assert paper.abstract == record["abstract"] and paper.comments == record["comments"]
        assert (paper.organization, paper.authors_count) == (record["organization"], record["authors_count"])


@pytest.mark.corpus
def test_real_api_files_merge_with_their_listings(tmp_path):
    api = require_shared(ROOT.parent / "shared" / "corpus" / "hf-api")
    listings = require_shared(ROOT.parent / "shared" / "corpus" / "hf-daily" / "listings")
    days = sorted(p.stem for p in api.glob("*.json"))
    texts = [listings / f"{day}.txt" for day in days if (listings / f"{day}.txt").exists()]
    store = tmp_path / "papers"
    run(texts, store)
    count = len(load_store(store).papers)
    run(sorted(api.glob("*.json")), store)
    papers = load_store(store).papers
    with_arxiv = [p for p in papers.values() if p.arxiv_id]
    assert with_arxiv and all(p.authors for p in with_arxiv)
    merged = [p for p in with_arxiv if any(s.listing.endswith(".txt") for s in p.sources)]
    assert merged, "API records must land on the listing records of the same papers"
    assert len(papers) - count == len([p for p in with_arxiv if p not in merged])


# --- issue 16: strict, faults, hostile store folders, merge reports --------------------------------


def test_strict_writes_nothing_when_any_problem_was_reported(tmp_path):
    typo = tmp_path / "2025-13-45-typo.txt"
    shutil.copy(DAY1, typo)
    store = tmp_path / "papers"
    code, out, err = run([typo, DAY1], store, strict=True)
    assert (code, out) == (1, "added 4, updated 0, unchanged 0, problems 2\n")
    assert err == (f"{typo}:1: the file name starts with '2025-13-45', which is not a real date: ignored\n"
                   f'{typo}:17: paper date "Nov 18" has no year and the listing\'s year is unknown (and 2 more): '
                   "published left empty; name the file YYYY-MM-DD-....txt or pass --listed-on\n"
                   "paperarchive ingest: nothing written: 2 problem(s) and --strict\n")
    assert list(store.iterdir()) == []
    assert run([DAY1], store, strict=True) == (0, "added 4, updated 0, unchanged 0, problems 0\n", "")
    assert len(load_store(store).papers) == 4
    # without --strict the same warning stores the good records
    code, out, _ = run([typo], store)
    assert (code, out) == (0, "added 0, updated 4, unchanged 0, problems 2\n")


def test_strict_refuses_a_rename_warning(tmp_path):
    store = tmp_path / "papers"
    run([DAY1, DAY2, EXTRA], store)
    before = files_of(store)
    code, out, err = run([API / "2025-11-23.json"], store, strict=True)
    assert (code, out) == (1, "added 0, updated 1, unchanged 0, problems 1\n")
    assert err.endswith("whose abstract clearly differs\npaperarchive ingest: nothing written: 1 problem(s) and --strict\n")
    assert files_of(store) == before


def _fail_writes(monkeypatch, error: int) -> None:
    from paperarchive import store as store_module

    def refuse(phase):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(store_module, "_checkpoint", refuse)


@pytest.mark.parametrize(("error", "reason"), [(errno.EROFS, "Read-only file system"), (errno.ENOSPC, "No space left on device")])
def test_an_unwritable_store_is_one_line_and_a_failure(tmp_path, monkeypatch, error, reason):
    store = tmp_path / "papers"
    run([DAY1], store)
    before = files_of(store)
    _fail_writes(monkeypatch, error)
    code, out, err = run([DAY1, DAY2], store)
    assert (code, out) == (1, "")
    assert err == f"paperarchive ingest: cannot write the store {store}: {reason}; nothing in it was changed\n"
    assert files_of(store) == before
    # nothing to write: the same listing again succeeds on a store that cannot be written
    assert run([DAY1], store) == (0, "added 0, updated 0, unchanged 4, problems 0\n", "")


def test_a_store_that_cannot_be_created_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    code, out, err = run([DAY1], blocker / "papers")
    assert (code, out) == (1, "")
    assert err == f"paperarchive ingest: cannot use the store {blocker / 'papers'}: {blocker / 'papers'}: Not a directory\n"


def test_a_fifo_or_a_device_in_the_store_hangs_nothing(tmp_path):
    store = tmp_path / "papers"
    run([DAY1], store)
    os.mkfifo(store / "waiting.yml")
    os.symlink("/dev/zero", store / "endless.yml")
    code, out, err = run([DAY2], store)
    assert err == (f"{store}/endless.yml: not a regular file (a device): not read\n"
                   f"{store}/waiting.yml: not a regular file (a FIFO): not read\n")
    assert code == 1 and out.startswith("added 1, updated 3, unchanged 0, problems 2\n")
    assert stat.S_ISFIFO((store / "waiting.yml").lstat().st_mode)  # reported, never touched


def test_a_corrected_listing_corrects_an_implausible_stored_date(tmp_path):
    store = tmp_path / "papers"
    run([DAY1], store)
    path = store / "tiny-recurrent-models.yml"
    path.write_text(path.read_text("utf-8").replace("published: '2025-11-19'", "published: '2999-01-01'"), "utf-8")
    code, out, err = run([DAY1], store)
    assert (code, out) == (0, "added 0, updated 1, unchanged 3, problems 1\n")
    assert err == f"{path}:5: field 'published' is not a plausible date (2999-01-01): read as unknown\n"
    assert "published: '2025-11-19'" in path.read_text("utf-8")
    assert run([DAY1], store) == (0, "added 0, updated 0, unchanged 4, problems 0\n", "")


def test_swapped_titles_are_reported_and_both_papers_kept(tmp_path):
    first, later = tmp_path / "2025-11-20.txt", tmp_path / "2025-11-21.txt"
    alpha = ("We study alpha decay in heavy nuclei with a new detector and measure the half-lives of forty isotopes "
             "precisely, finding two shell closures that current mean-field models fail to predict at all, and we "
             "release the data.")
    beta = ("A beta release of our compiler vectorizes loops automatically and speeds up twelve numerical kernels by "
            "half, while a cost model learned from profiles decides when unrolling pays off on each target, "
            "with no annotations.")
    first.write_text(f"Daily Papers\n\nNov 20\n\nAlpha Models\n\n{alpha}\n\nBeta Models\n\n{beta}\n", "utf-8")
    later.write_text(f"Daily Papers\n\nNov 21\n\nBeta Models\n\n{alpha}\n\nAlpha Models\n\n{beta}\n", "utf-8")
    store = tmp_path / "papers"
    run([first], store)
    code, out, err = run([later], store)
    assert (code, out) == (0, "added 0, updated 2, unchanged 0, problems 2\n")
    assert err == (
        f"{later}:5: renamed 'alpha-models' from 'Alpha Models' to 'Beta Models': its abstract matches, while the title "
        "matches 'beta-models' ('Beta Models'), whose abstract clearly differs\n"
        f"{later}:9: renamed 'beta-models' from 'Beta Models' to 'Alpha Models': its abstract matches, while the title "
        "matches 'alpha-models' ('Beta Models'), another entry of this listing\n")
    papers = load_store(store).papers
    assert {pid: (p.title, p.abstract) for pid, p in papers.items()} == {
        "alpha-models": ("Beta Models", alpha), "beta-models": ("Alpha Models", beta)}


def test_symbol_titles_are_two_papers_and_the_split_is_reported(tmp_path):
    first, later = tmp_path / "2025-11-20.txt", tmp_path / "2025-11-21.txt"
    one = ("The dominant sequence transduction models are based on recurrent networks; we propose a new simple "
           "architecture based solely on attention mechanisms, dispensing with recurrence and convolutions entirely.")
    two = ("We revisit the claim that self-attention suffices and show that, without feed-forward layers and skip "
           "connections, pure attention loses rank doubly exponentially with depth in deep transformer stacks.")
    first.write_text(f"Daily Papers\n\nNov 20\n\nAttention Is All You Need!\n\n{one}\n\nIs P = NP?\n\nShort.\n", "utf-8")
    later.write_text(f"Daily Papers\n\nNov 21\n\nAttention is all you need?\n\n{two}\n\nIs P ≠ NP?\n\nShort.\n", "utf-8")
    store = tmp_path / "papers"
    code, out, err = run([first, later], store)
    assert (code, err) == (0, "")
    assert out == ("added 4, updated 0, unchanged 0, problems 0\n"
                   f"{later}:5: stored as a new paper 'attention-is-all-you-need-2': its title matches "
                   "'attention-is-all-you-need' ('Attention Is All You Need!'), whose abstract clearly differs\n")
    assert sorted(load_store(store).papers) == ["attention-is-all-you-need", "attention-is-all-you-need-2", "is-p-np", "is-p-np-2"]


def test_a_paper_titled_index_gets_another_id(tmp_path):
    listing = tmp_path / "2025-11-20.txt"
    listing.write_text("Daily Papers\n\nNov 20\n\nIndex\n\nAn index of everything.\n", "utf-8")
    run([listing], tmp_path / "papers")
    assert list(load_store(tmp_path / "papers").papers) == ["index-paper"]
