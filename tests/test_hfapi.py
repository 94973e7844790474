"""The Hugging Face daily_papers API JSON input (issue 7): hfapi.looks_like_api_json / read_api_file."""

from __future__ import annotations

import ast
import collections
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SHARED, require_shared
from paperarchive.hfapi import REFUSAL, looks_like_api_json, read_api_file
from paperarchive.records import AuthorProfile, Entry, Problem

HFAPI = FIXTURES / "hfapi"
BAD = HFAPI / "bad"
API_CORPUS = SHARED / "corpus" / "hf-api"
EXPECTED = SHARED / "corpus" / "hf-daily" / "expected.jsonl"
LISTINGS = SHARED / "corpus" / "hf-daily" / "listings"

VREASON_TITLE = "V-ReasonBench: Toward Unified Reasoning Benchmark Suite for Video Generation Models"
VREASON_ABSTRACT = (
    "Recent progress in generative video models, such as Veo-3, has shown surprising zero-shot reasoning "
    "abilities. We introduce V-ReasonBench, a benchmark designed to assess video reasoning across four key dimensions."
)


# ---------------------------------------------------------------------------
# Detection


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'[{"paper": {}}]', True),
        (b'\xef\xbb\xbf \r\n\t{"status": "success"}', True),
        (b"[]", True),
        (b"{}", True),
        (b"[\n  \"{'paper': {}}\"\n]", True),
        (b"[1, 2, 3]", True),
        (b"[-1]", True),
        (b"[true]", True),
        (b"[null]", True),
        (b"", False),
        (b"\xef\xbb\xbf  \n", False),
        (b"new\n\nDaily Papers\n", False),
        (b"[Re] Reproducing a diffusion paper\nabstract\n", False),
        (b"[tricks] for training\n", False),
        (b"{Title in braces}\n", False),
        (b"\x89PNG\r\n\x1a\n", False),
        (b"   ", False),
        (b"[", True),  # truncated: refused as invalid JSON, not read as listing text
        (b" {\n", True),
    ],
)
def test_looks_like_api_json(data: bytes, expected: bool) -> None:
    assert looks_like_api_json(data) is expected


def test_fixture_files_are_detected_by_content() -> None:
    for path in [*HFAPI.glob("*.json"), *BAD.glob("*.json")]:
        assert looks_like_api_json(path.read_bytes()) is (path.name != "binary.json"), path.name
    assert not looks_like_api_json((HFAPI / "2025-11-21.txt").read_bytes())


# ---------------------------------------------------------------------------
# The three shapes, on small fixtures


def test_list_of_paper_objects() -> None:
    result = read_api_file(HFAPI / "2025-11-21.json")
    assert result.problems == ()
    assert result.entries == (
        Entry(
            listing="2025-11-21.json",
            line=2,
            listed=date(2025, 11, 21),
            title=VREASON_TITLE,  # the top-level title; paper.title has arXiv's line break
            abstract=VREASON_ABSTRACT,  # paper.summary, its line break collapsed
            published=date(2025, 11, 20),  # paper.publishedAt, not the top-level (shifted) one
            comments=1,
            authors_count=3,
            organization=None,
            organization_id=None,
            authors=("Yang Luo", "Xuanlei Zhao", "Baijiong Lin"),  # a hidden author keeps their name
            arxiv_id="2511.16668",
            upvotes=29,
            rank=1,
            github="https://github.com/yangluo7/V-ReasonBench",
            project_page="https://oahzxl.github.io/VReasonBench/",
            keywords=("generative video models", "Veo-3", "zero-shot reasoning"),  # duplicate dropped
            ai_summary="V-ReasonBench evaluates generative video models.",
            github_stars=4,
            # the one author whose "user" names a Hugging Face account (a claimed paper)
            author_profiles=(AuthorProfile("Xuanlei Zhao", "oahzxl"),),
        ),
        Entry(
            listing="2025-11-21.json",
            line=60,
            listed=date(2025, 11, 21),
            title="First Frame Is the Place to Go for Video Content Customization",
            abstract="What role does the first frame play in video generation models? We show it is a memory buffer.",
            published=date(2025, 11, 19),
            comments=2,
            authors_count=2,
            # trailing space stripped, the inner double space kept: what the listing line shows
            organization="University of Maryland  College Park",
            organization_id="UMCP",
            authors=("Jingxuan Wei", "Caijin Zhou"),
            arxiv_id="2511.15700",
            upvotes=27,
            rank=2,
        ),
    )


def test_entry_lines_point_at_the_objects() -> None:
    for name in ("2025-11-21.json", "2024-12-20.json", "2025-01-10.json"):
        lines = (HFAPI / name).read_text(encoding="utf-8").splitlines()
        for entry in read_api_file(HFAPI / name).entries:
            assert lines[entry.line - 1].strip().startswith(("{", "\"{'paper'")), (name, entry.line)


def test_list_of_python_literal_strings() -> None:
    raw = json.loads((HFAPI / "2024-12-20.json").read_text(encoding="utf-8"))
    assert all(isinstance(item, str) for item in raw)
    result = read_api_file(HFAPI / "2024-12-20.json")
    assert result.problems == ()
    first, second = result.entries
    assert (first.line, second.line) == (2, 3)
    assert first.title == "Thinking in Space: How Multimodal Large Language Models See, Remember, and Recall Spaces"
    assert first.abstract == "Humans possess the visual-spatial intelligence to remember spaces from sequential visual observations."
    assert first.published == date(2024, 12, 18)  # the top-level publishedAt says 2024-12-19 (the daily-page time)
    assert first.listed == date(2024, 12, 20)
    assert (first.comments, first.upvotes, first.authors_count) == (3, 20, 3)
    assert first.github == "https://github.com/vision-x-nyu/thinking-in-space"
    assert (first.project_page, first.keywords, first.organization) == (None, (), None)
    assert second.abstract.endswith("e.g. \"quotes\" and 'apostrophes'.")
    assert second.comments == 0


def test_object_wrapping_the_list() -> None:
    result = read_api_file(HFAPI / "2025-01-10.json")
    assert result.problems == ()
    assert [e.arxiv_id for e in result.entries] == ["2501.05366", "2501.05441"]
    assert [e.line for e in result.entries] == [6, 7]
    assert result.entries[0].title == "Search-o1: Agentic Search-Enhanced Large Reasoning Models"
    assert {e.listed for e in result.entries} == {date(2025, 1, 10)}


def test_listed_date_without_a_dated_file_name(tmp_path: Path) -> None:
    shutil.copy(HFAPI / "2025-01-10.json", tmp_path / "wrapped.json")
    shutil.copy(HFAPI / "2025-11-21.json", tmp_path / "latest.json")
    # the wrapper's own "date"
    assert {e.listed for e in read_api_file(tmp_path / "wrapped.json").entries} == {date(2025, 1, 10)}
    # a bare list: each paper's submittedOnDailyAt
    assert {e.listed for e in read_api_file(tmp_path / "latest.json").entries} == {date(2025, 11, 21)}
    # the caller's --listed-on wins over both, the file name over it
    given_date = date(2026, 1, 2)
    assert {e.listed for e in read_api_file(tmp_path / "wrapped.json", listed_on=given_date).entries} == {given_date}
    assert {e.listed for e in read_api_file(HFAPI / "2025-01-10.json", listed_on=given_date).entries} == {
        date(2025, 1, 10)
    }


def test_older_papers_without_a_submission_date_have_no_listed_date(tmp_path: Path) -> None:
    shutil.copy(HFAPI / "2024-12-20.json", tmp_path / "old.json")
    assert {e.listed for e in read_api_file(tmp_path / "old.json").entries} == {None}


def test_wrapper_count_and_status_are_checked(tmp_path: Path) -> None:
    document = json.loads((HFAPI / "2025-01-10.json").read_text(encoding="utf-8"))
    document.update(count=9, status="partial")
    path = tmp_path / "2025-01-10.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = read_api_file(path)
    assert len(result.entries) == 2
    assert [str(p) for p in result.problems] == [
        f'{path}:1: "count" says 9 papers but "data" holds 2',
        f'{path}:1: the response says "status": "partial"',
    ]
    assert all(p.warning for p in result.problems)


def test_an_empty_response_is_a_day_without_papers(tmp_path: Path) -> None:
    (tmp_path / "2025-01-11.json").write_text("[]\n")
    (tmp_path / "2025-01-12.json").write_text('{"status": "success", "date": "2025-01-12", "count": 0, "data": []}')
    for name in ("2025-01-11.json", "2025-01-12.json"):
        result = read_api_file(tmp_path / name)
        assert (result.entries, result.problems) == ((), ())


# ---------------------------------------------------------------------------
# Refusals: one clear problem, nothing read


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "not-a-response.json",
            f'not-a-response.json:1: {REFUSAL}: a JSON object without a "data" list of papers (keys: "error")',
        ),
        (
            "numbers.json",
            f"numbers.json:1: {REFUSAL}: a list of 3 entries, none of them a paper object (entry 0 is a JSON number)",
        ),
        ("invalid.json", f"invalid.json:14: {REFUSAL}: invalid JSON: Expecting value (column 21)"),
        (
            "literal-not-dict.json",
            (f"literal-not-dict.json:2: {REFUSAL}: a list of 2 entries, none of them a paper object "
            "(entry 0 is a string holding a Python list)"),
        ),
        ("binary.json", f"binary.json:1: {REFUSAL}: not UTF-8 text (byte 0x89 at line 1)"),
    ],
)
def test_refusals(name: str, expected: str) -> None:
    result = read_api_file(BAD / name)
    assert result.entries == ()
    assert [str(p) for p in result.problems] == [f"{BAD}/{expected}"]  # problems name the path as given
    assert not result.problems[0].warning


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('"a string"', f"x.json:1: {REFUSAL}: a JSON string, not a list of papers"),
        ("42", f"x.json:1: {REFUSAL}: a JSON number, not a list of papers"),
        ("", f"x.json:1: {REFUSAL}: not JSON: it starts with \"\""),
        ("[", f"x.json:1: {REFUSAL}: invalid JSON: Expecting value (column 2)"),
        ('[\n  {"paper": {}},\n  {"paper": }\n]', f"x.json:3: {REFUSAL}: invalid JSON: Expecting value (column 13)"),
        ('{"data": {"paper": {}}}', f'x.json:1: {REFUSAL}: a JSON object without a "data" list of papers (keys: "data")'),
        ('[{"paper": "2501.0001"}]', (f'x.json:1: {REFUSAL}: a list of 1 entry, none of them a paper object '
         '(entry 0 is an object without a "paper" object (keys: "paper"))')),
        ('["{\'paper\': "]', (f"x.json:1: {REFUSAL}: a list of 1 entry, none of them a paper object "
         "(entry 0 is a string that is not a Python literal (\"{'paper': \"))")),
        ('["__import__(\'os\').system(\'echo no\')"]', (f"x.json:1: {REFUSAL}: a list of 1 entry, none of them a "
         "paper object (entry 0 is a string that is not a Python literal (\"__import__('os').system('echo no')\"))")),
        ("[" * 100_000, f"x.json:1: {REFUSAL}: too deeply nested or too large to read (RecursionError)"),
        ("Daily Papers\nbyAK\n", f'x.json:1: {REFUSAL}: not JSON: it starts with "Daily Papers\\nbyAK\\n"'),
    ],
)
def test_other_refusals(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "x.json").write_text(content, encoding="utf-8")
    result = read_api_file(tmp_path / "x.json")
    assert result.entries == ()
    assert [str(p) for p in result.problems] == [f"{tmp_path}/{expected}"]


def test_a_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    result = read_api_file(tmp_path / "gone.json")
    assert [str(p) for p in result.problems] == [f"{tmp_path}/gone.json:1: cannot read the file: No such file or directory"]


def test_bad_papers_in_a_good_list_are_skipped_and_named() -> None:
    result = read_api_file(BAD / "2025-01-10-partly-bad.json")
    assert [str(p).removeprefix(f"{BAD}/") for p in result.problems] == [
        ('2025-01-10-partly-bad.json:47: paper 1: skipped, not a paper object: it is an object without a "paper" '
        'object (keys: "title", "numComments")'),
        "2025-01-10-partly-bad.json:51: paper 2: skipped, it has no summary",
        "2025-01-10-partly-bad.json:80: paper 3: skipped, not a paper object: it is a JSON number",
        '2025-01-10-partly-bad.json:81: paper 4: "githubRepo" "javascript:alert(1)" is not an http(s) link; left out',
        '2025-01-10-partly-bad.json:81: paper 4: "id" "not-an-id" is not an arXiv id; left out',
        '2025-01-10-partly-bad.json:81: paper 4: "numComments" is -1, not a count; left out',
        '2025-01-10-partly-bad.json:81: paper 4: "upvotes" is "3", not a count; left out',
    ]
    assert [p.warning for p in result.problems] == [False, False, False, True, True, True, True]
    good, odd = result.entries
    assert (good.arxiv_id, good.line) == ("2501.05366", 2)
    assert (odd.title, odd.abstract, odd.line) == ("Odd Fields But Readable", "An abstract.", 81)
    assert (odd.arxiv_id, odd.github, odd.comments, odd.upvotes) == (None, None, 0, None)


def test_untrusted_text_is_kept_as_written(tmp_path: Path) -> None:
    paper = {
        "paper": {"id": "2501.00001", "authors": [{"name": "{{ author }}"}], "summary": "<script>alert(1)</script> *x* {% raw %}"},
        "title": "  # Not a heading:\n [link](javascript:x) \ud800 ",
        "numComments": 0,
    }
    (tmp_path / "2025-01-01.json").write_text(json.dumps([paper]), encoding="utf-8")
    (entry,) = read_api_file(tmp_path / "2025-01-01.json").entries
    assert entry.title == "# Not a heading: [link](javascript:x) \ufffd"  # a lone surrogate cannot be stored as UTF-8
    assert entry.abstract == "<script>alert(1)</script> *x* {% raw %}"
    assert entry.authors == ("{{ author }}",)
    assert entry.title.encode("utf-8")


def _json_values():
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(
            ["paper", "title", "summary", "id", "authors", "name", "organization", "fullname", "numComments",
             "upvotes", "publishedAt", "githubRepo", "ai_keywords", "data", "count", "date"]), children, max_size=6),
        max_leaves=25,
    )


@settings(max_examples=300, deadline=None)
@given(value=_json_values())
def test_any_json_gives_entries_or_problems_never_an_exception(tmp_path_factory, value) -> None:
    path = tmp_path_factory.mktemp("h") / "2025-02-03.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    result = read_api_file(path)
    for entry in result.entries:
        assert entry.title and entry.abstract
        assert entry.title == " ".join(entry.title.split())
        assert entry.listed == date(2025, 2, 3)
    for problem in result.problems:
        assert "\n" not in problem.message
    empty_response = value == [] or (isinstance(value, dict) and value.get("data") == [])
    if not result.entries and not empty_response:
        assert result.problems


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_any_bytes_never_raise(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("b") / "x.json"
    path.write_bytes(data)
    result = read_api_file(path)
    assert all(isinstance(p, Problem) and "\n" not in str(p) for p in result.problems)


# ---------------------------------------------------------------------------
# The eleven real files


REAL_COUNTS = {
    "2024-05-27.json": 13,
    "2024-12-20.json": 16,
    "2025-01-10.json": 9,
    "2025-03-04.json": 13,
    "2025-06-26.json": 8,
    "2025-10-03.json": 39,
    "2025-11-20.json": 8,
    "2025-11-21.json": 16,
    "2026-01-05.json": 11,
    "2026-04-01.json": 23,
    "2026-08-21.json": 17,
}


@pytest.fixture(scope="module")
def real() -> dict[str, tuple[Entry, ...]]:
    require_shared(API_CORPUS)
    results = {}
    for path in sorted(API_CORPUS.glob("*.json")):
        result = read_api_file(path)
        assert result.problems == (), [str(p) for p in result.problems]
        results[path.name] = result.entries
    return results


@pytest.mark.corpus
def test_real_files_counts(real) -> None:
    assert {name: len(entries) for name, entries in real.items()} == REAL_COUNTS


@pytest.mark.corpus
def test_real_files_come_in_three_shapes(real) -> None:
    shapes = {}
    for name in REAL_COUNTS:
        document = json.loads((API_CORPUS / name).read_text(encoding="utf-8"))
        items = document["data"] if isinstance(document, dict) else document
        shapes[name] = (type(document).__name__, type(items[0]).__name__)
    assert shapes.pop("2024-12-20.json") == ("list", "str")
    # the wrapper's list holds Python-literal strings too
    assert shapes.pop("2025-01-10.json") == ("dict", "str")
    assert set(shapes.values()) == {("list", "dict")}
    wrapper = json.loads((API_CORPUS / "2025-01-10.json").read_text(encoding="utf-8"))
    assert (wrapper["status"], wrapper["date"], wrapper["count"]) == ("success", "2025-01-10", 9)


@pytest.mark.corpus
def test_real_files_are_detected_by_content(real) -> None:
    assert all(looks_like_api_json(path.read_bytes()) for path in API_CORPUS.glob("*.json"))
    require_shared(LISTINGS)
    assert not any(looks_like_api_json(path.read_bytes()) for path in LISTINGS.glob("*.txt"))


@pytest.mark.corpus
def test_real_files_fields(real) -> None:
    for name, entries in real.items():
        lines = (API_CORPUS / name).read_text(encoding="utf-8").splitlines()
        for entry in entries:
            assert entry.listed == date.fromisoformat(name[:10])
            assert entry.arxiv_id and entry.published and entry.title and entry.abstract
            assert entry.authors and entry.authors_count == len(entry.authors)
            assert entry.upvotes is not None and entry.upvotes >= 0
            assert lines[entry.line - 1].lstrip().startswith(("{", '"{')), (name, entry.line)
        assert len({e.line for e in entries}) == len(entries)
    have = collections.defaultdict(set)
    for name, entries in real.items():
        for field in ("github", "project_page", "keywords", "organization"):
            if any(getattr(e, field) for e in entries):
                have[field].add(name)
    # older responses lack these fields altogether: keywords from mid-2025, organizations from autumn 2025
    assert min(have["keywords"]) == "2025-06-26.json"
    assert min(have["organization"]) == "2025-10-03.json"
    assert min(have["github"]) == "2025-03-04.json"
    assert len(have["project_page"]) >= 8


@pytest.mark.corpus
def test_real_title_comes_from_the_listing_not_arxiv(real) -> None:
    (autocoder,) = [e for e in real["2024-05-27.json"] if e.arxiv_id == "2405.14906"]
    assert autocoder.title == "AutoCoder: Enhancing Code Large Language Model with \\textsc{AIEV-Instruct}"


COMPARED = ("title", "abstract", "published", "comments", "authors_count", "organization", "organization_id")


@pytest.mark.corpus
def test_real_files_agree_with_the_listing_truth(real) -> None:
    """Every API paper against the truth record of the listing of the same date (matched by arXiv id).

    Measured: 173 of 173 papers found, all seven fields equal, with one legitimate
    difference: the listing shows an author count only for papers without an
    organization (the organization line takes its place), so its truth has
    authors_count None for the 66 organization papers while the API entry counts
    the authors.  Also checked here, so it stays fixed: the one organization whose
    API fullname has a trailing space ("University of California, Irvine ") and
    the one whose name has an inner double space ("university of science and
    technology  of china"), both as the listing shows them.
    """
    require_shared(EXPECTED)
    truth = {}
    with EXPECTED.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            truth[(record["listing"], record["arxiv_id"])] = record
    compared = matched = 0
    mismatches, count_hidden_by_organization = [], 0
    for name, entries in real.items():
        for entry in entries:
            record = truth.get((name[:10] + ".txt", entry.arxiv_id))
            assert record is not None, (name, entry.arxiv_id)
            compared += 1
            got = {field: getattr(entry, field) for field in COMPARED}
            got["published"] = got["published"].isoformat()
            if record["authors_count"] is None and record["organization"] is not None:
                assert entry.organization == record["organization"]
                count_hidden_by_organization += 1
                got["authors_count"] = None
            differing = [field for field in COMPARED if got[field] != record[field]]
            if differing:
                mismatches.append((name, entry.arxiv_id, differing))
            else:
                matched += 1
            assert entry.upvotes == record["upvotes_early"]
    print(f"hfapi vs expected.jsonl: {matched}/{compared} papers match on {', '.join(COMPARED)}")
    assert (compared, matched, mismatches) == (173, 173, [])
    assert count_hidden_by_organization == 66
    organizations = {e.organization for entries in real.values() for e in entries}
    assert {"University of California, Irvine", "university of science and technology  of china"} <= organizations


@pytest.mark.corpus
def test_real_literal_strings_are_read_without_eval(real) -> None:
    raw = json.loads((API_CORPUS / "2024-12-20.json").read_text(encoding="utf-8"))
    ids = [ast.literal_eval(item)["paper"]["id"] for item in raw]
    assert [e.arxiv_id for e in real["2024-12-20.json"]] == ids


# ---------------------------------------------------------------------------
# One paper from listing text and from the API: one record in the store


def _ingest_module():
    from paperarchive import ingest

    return ingest


def _stored(store: Path) -> list[dict]:
    return [yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for path in sorted(store.glob("*.yml"))]


def test_text_and_api_entries_of_one_paper_make_one_record(tmp_path: Path) -> None:
    ingest = _ingest_module()
    store = tmp_path / "papers"
    store.mkdir()
    text, api = HFAPI / "2025-11-21.txt", HFAPI / "2025-11-21.json"
    assert ingest.ingest_files([text], store=store, listed_on=None, strict=False) == 0
    (before,) = _stored(store)
    assert ingest.ingest_files([api], store=store, listed_on=None, strict=False) == 0

    records = [r for r in _stored(store) if r["title"] == VREASON_TITLE]
    assert len(records) == 1, records
    (record,) = records
    assert record["id"] == before["id"]  # the id never changes when the arXiv id becomes known
    assert record["abstract"] == VREASON_ABSTRACT
    assert str(record["published"]) == "2025-11-20"
    assert (record["comments"], record["authors_count"]) == (1, 3)
    assert record["arxiv_id"] == "2511.16668"
    assert list(record["authors"]) == ["Yang Luo", "Xuanlei Zhao", "Baijiong Lin"]
    assert record["upvotes"] == 29
    assert record["github"] == "https://github.com/yangluo7/V-ReasonBench"
    sources = json.dumps(record["sources"], default=str)
    assert "2025-11-21.txt" in sources and "2025-11-21.json" in sources
    assert len(_stored(store)) == 2  # plus "First Frame ...", which only the API file lists


@pytest.mark.corpus
def test_real_listing_and_api_file_of_one_day_merge_paper_by_paper(tmp_path: Path) -> None:
    ingest = _ingest_module()
    require_shared(API_CORPUS)
    require_shared(LISTINGS)
    store = tmp_path / "papers"
    store.mkdir()
    files = [LISTINGS / "2025-11-21.txt", API_CORPUS / "2025-11-21.json"]
    assert ingest.ingest_files(files, store=store, listed_on=None, strict=False) == 0
    records = _stored(store)
    api = {e.arxiv_id: e for e in read_api_file(API_CORPUS / "2025-11-21.json").entries}
    assert len(records) == len(api) == 16
    for record in records:
        entry = api[record["arxiv_id"]]
        assert (record["title"], record["abstract"]) == (entry.title, entry.abstract)
        assert list(record["authors"]) == list(entry.authors)
        assert sorted(s["listing"] for s in record["sources"]) == ["2025-11-21.json", "2025-11-21.txt"]


def test_unreadable_author_names_are_left_out_with_a_warning(tmp_path: Path) -> None:
    paper = {
        "paper": {"id": "2501.00002", "authors": [{"name": " Ada\nLovelace "}, "Bob", {"_id": "x"}], "summary": "S."},
        "title": "T",
        "organization": {"name": "acme", "fullname": ""},
    }
    path = tmp_path / "2025-01-02.json"
    path.write_text(json.dumps([paper]), encoding="utf-8")
    result = read_api_file(path)
    (entry,) = result.entries
    assert (entry.authors, entry.authors_count) == (("Ada Lovelace",), 3)
    assert (entry.organization, entry.organization_id) == ("acme", "acme")  # no display name: the id, as on the page
    assert [str(p) for p in result.problems] == [
        f'{path}:1: paper 0: "authors" is not a list of objects with a "name"; names that could not be read are left out'
    ]
    assert result.problems[0].warning


# ---------------------------------------------------------------------------
# One bad value costs only itself (issue 16)

TODAY = date(2026, 11, 30)


def one_paper(**fields) -> dict:
    paper = {
        "id": "2511.00001",
        "authors": [{"name": "Ada Lovelace"}],
        "publishedAt": "2025-11-20T18:59:42.000Z",
        "submittedOnDailyAt": "2025-11-21T00:03:52.875Z",
        "title": "A Paper",
        "summary": "An abstract.",
        "upvotes": 3,
    }
    paper.update(fields)
    return {"paper": paper, "title": paper["title"], "numComments": 1}


def write_papers(path: Path, *papers: dict) -> Path:
    path.write_text(json.dumps(list(papers), indent=1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"[1] Scaling Laws for Everything\n\nWe study scaling.\n", False),
        (b"[true story] of a benchmark\n\nAn abstract.\n", False),
        (b"[1]\n\nA title that is only a footnote mark.\n", False),
        (b'["quoted" words] in a title\n', False),
        (b'[{"paper": {}}, garbage]', True),  # a damaged response: refused as invalid JSON
        (b'{"status": "success" oops}', True),
        (b'[{"paper": {"title": "cut in a str', True),  # the first bytes of a file (ingest peeks at 4 KB)
        (b'[{"paper": {"title": "cut in an escape \\u00', True),
        (b'[{"paper": {"upvotes": 12', True),
        (b'[{"paper": {"hidden": fal', True),
        (b"[" * 5000, True),  # nested past what Python reads: refused as too deeply nested
        (b'{"date": "2025-01-10"', True),
        (b"{Braces} and a colon: here\n", False),
    ],
)
def test_json_is_told_by_content_not_by_the_first_character(data: bytes, expected: bool) -> None:
    from paperarchive.ingest import is_api_json

    assert looks_like_api_json(data) is expected
    assert is_api_json(data) is expected


def test_a_listing_whose_first_title_starts_with_a_bracket_is_read_as_a_listing(tmp_path: Path) -> None:
    from paperarchive.ingest import read_inputs

    path = tmp_path / "2025-11-25.txt"
    path.write_text("[1] Scaling Laws\n\nWe study scaling.\n\n  • 3 authors\n·\nNov 20\n\n"
                    "[true story] Benchmarks\n\nAn abstract.\n", encoding="utf-8")
    entries, problems = read_inputs([path], None)
    assert [(e.title, e.authors_count) for e in entries] == [("[1] Scaling Laws", 3), ("[true story] Benchmarks", None)]
    assert problems == ()


def test_a_lone_surrogate_is_left_out_or_replaced_with_a_warning(tmp_path: Path) -> None:
    bad = one_paper(githubRepo="https://github.com/a/\ud800b", projectPage="https://x.org/\udfff",
                    title="Lone \udc80 Surrogate", authors=[{"name": "Ad\ud800a"}])
    path = write_papers(tmp_path / "2025-11-21.json", one_paper(title="Fine"), bad)
    result = read_api_file(path, today=TODAY)
    assert [e.title for e in result.entries] == ["Fine", "Lone \ufffd Surrogate"]
    entry = result.entries[1]
    assert (entry.github, entry.project_page, entry.authors) == (None, None, ("Ad\ufffda",))
    for entry in result.entries:  # everything an Entry holds can be written as UTF-8
        json.dumps(entry.parse_json(), ensure_ascii=False).encode("utf-8")
    assert [str(p) for p in result.problems] == [
        (f'{path}:19: paper 1: "githubRepo" "https://github.com/a/\\ud800b" holds a lone surrogate (a \\ud800-\\udfff '
        "escape, not text); left out"),
        (f'{path}:19: paper 1: "projectPage" "https://x.org/\\udfff" holds a lone surrogate (a \\ud800-\\udfff '
        "escape, not text); left out"),
        (f'{path}:19: paper 1: "title", "paper.title", "paper.authors": lone surrogates (\\ud800-\\udfff escapes, '
        "not text) replaced by U+FFFD"),
    ]


def test_an_overflowing_date_or_a_huge_number_costs_only_that_field(tmp_path: Path) -> None:
    huge = "9" * 5000
    text = json.dumps([one_paper(title="Fine"), one_paper(title="Overflow", publishedAt="9999-12-31T23:59:59-23:59"),
                       one_paper(title="Huge", upvotes=0)], indent=1).replace('"upvotes": 0', f'"upvotes": {huge}')
    path = tmp_path / "2025-11-21.json"
    path.write_text(text, encoding="utf-8")
    result = read_api_file(path, today=TODAY)
    assert [(e.title, e.published, e.upvotes) for e in result.entries] == [
        ("Fine", date(2025, 11, 20), 3), ("Overflow", None, 3), ("Huge", date(2025, 11, 20), None)]
    assert [str(p) for p in result.problems] == [
        (f'{path}:19: paper 1: "publishedAt" "9999-12-31T23:59:59-23:59" is not an ISO 8601 date and time this '
        "archive can hold; left out"),
        f'{path}:36: paper 2: "upvotes" is a number of 5,000 digits, not a count; left out',
    ]


def test_implausible_dates_are_left_out_with_a_warning(tmp_path: Path) -> None:
    path = write_papers(
        tmp_path / "2205-11-25.json",  # a typo: the listing date comes from submittedOnDailyAt instead
        one_paper(title="Year One", publishedAt="0001-01-01T00:00:00Z"),
        one_paper(title="Far Future", publishedAt="2999-01-01T00:00:00Z"),
        one_paper(title="After Its Listing", publishedAt="2025-11-22T00:00:00Z"),
        one_paper(title="Listed Later Than Today", submittedOnDailyAt="2027-01-01T00:00:00Z"),
    )
    result = read_api_file(path, today=TODAY)
    assert [(e.title, e.listed, e.published) for e in result.entries] == [
        ("Year One", date(2025, 11, 21), None),
        ("Far Future", date(2025, 11, 21), None),
        ("After Its Listing", date(2025, 11, 21), None),
        ("Listed Later Than Today", None, date(2025, 11, 20)),
    ]
    assert [str(p) for p in result.problems] == [
        f"{path}:1: the file name's date 2205-11-25 is after today (2026-11-30): ignored",
        f'{path}:2: paper 0: "publishedAt" "0001-01-01T00:00:00Z" is before 1990; left out',
        f'{path}:19: paper 1: "publishedAt" "2999-01-01T00:00:00Z" is after today (2026-11-30); left out',
        f'{path}:36: paper 2: "publishedAt" "2025-11-22T00:00:00Z" is after the listing\'s date (2025-11-21); left out',
        f'{path}:53: paper 3: "submittedOnDailyAt" "2027-01-01T00:00:00Z" is after today (2026-11-30); left out',
    ]
    assert all(p.warning for p in result.problems)


def test_today_is_injectable(tmp_path: Path) -> None:
    path = write_papers(tmp_path / "2025-11-21.json", one_paper())
    assert read_api_file(path, today=date(2025, 11, 21)).problems == ()
    assert read_api_file(path, today=date(2025, 11, 20)).problems == ()  # a day of grace for time zones
    assert [str(p) for p in read_api_file(path, today=date(2025, 11, 19)).problems] == [
        f"{path}:1: the file name's date 2025-11-21 is after today (2025-11-19): ignored",
        f'{path}:2: paper 0: "submittedOnDailyAt" "2025-11-21T00:03:52.875Z" is after today (2025-11-19); left out',
    ]


def test_a_file_name_that_is_not_utf8_is_shown_with_replacement_characters(tmp_path: Path) -> None:
    import os

    raw = os.fsencode(tmp_path) + b"/2025-11-21-\xff\xfe.json"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(json.dumps([one_paper(githubRepo="ftp://x.org")]))
    path = Path(os.fsdecode(raw))
    result = read_api_file(path, today=TODAY)
    assert [e.listing for e in result.entries] == ["2025-11-21-\ufffd\ufffd.json"]
    assert [str(p) for p in result.problems] == [
        f'{tmp_path}/2025-11-21-\ufffd\ufffd.json:1: paper 0: "githubRepo" "ftp://x.org" is not an http(s) link; left out']
    missing = read_api_file(Path(os.fsdecode(raw + b".gone")), today=TODAY)
    assert [str(p) for p in missing.problems] == [
        f"{tmp_path}/2025-11-21-\ufffd\ufffd.json.gone:1: cannot read the file: No such file or directory"]


def test_a_wrapper_date_after_today_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"status": "success", "date": "2999-01-10", "count": 1, "data": [one_paper()]}))
    result = read_api_file(path, today=TODAY)
    assert [e.listed for e in result.entries] == [date(2025, 11, 21)]  # from submittedOnDailyAt
    assert [str(p) for p in result.problems] == [f'{path}:1: the "date" 2999-01-10 is after today (2026-11-30): ignored']


def test_deep_nesting_is_refused_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    result = read_api_file(path, today=TODAY)
    assert result.entries == ()
    assert [str(p) for p in result.problems] == [
        f"{path}:1: {REFUSAL}: too deeply nested or too large to read (RecursionError)"]
