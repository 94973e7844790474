"""The listing parser: layouts (golden), real data (seeds, corpus slice), dates, malformed input, the CLI function.

Regenerate the golden files with:  UPDATE_GOLDEN=1 python3 -m pytest tests/test_parse.py
"""

from __future__ import annotations

import io
import json
import os
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEEDS, require_shared
from goldenfiles import check_golden_file, updating
from paperarchive.parse import (
    listing_date_from_name,
    parse_text,
    print_records,
    read_listing,
    render_listing,
)
from paperarchive.records import PARSE_FIELDS, Entry

LISTINGS = FIXTURES / "listings"
MALFORMED = LISTINGS / "malformed"
GOLDEN = ROOT / "tests" / "golden" / "parse"
REPO_SEEDS = ROOT / "content" / "listings"
LAYOUTS = sorted(path.name for path in LISTINGS.glob("*.txt"))


def run_parse(files: list[str], listed_on: str | None = None) -> tuple[int, str, str]:
    """print_records on paths relative to the repo root (as a user in the repo would type them)."""
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        status = print_records([Path(name) for name in files], listed_on, out, err)
    finally:
        os.chdir(cwd)
    return status, out.getvalue(), err.getvalue()


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def messages(path: Path, listed_on: date | None = None) -> list[str]:
    return [str(problem) for problem in read_listing(path, listed_on).problems]


# --- golden: one small listing per layout -> exact JSON Lines and messages -------------------------


def test_every_layout_has_a_golden_file():
    assert len(LAYOUTS) >= 7
    if updating():
        return
    expected = {f"{Path(name).stem}{suffix}" for name in LAYOUTS for suffix in (".jsonl", ".err")}
    assert {path.name for path in GOLDEN.iterdir()} == expected


@pytest.mark.parametrize("name", LAYOUTS)
def test_layout_golden(name):
    status, out, err = run_parse([relative(LISTINGS / name)])
    stem = Path(name).stem
    golden_out, golden_err = GOLDEN / f"{stem}.jsonl", GOLDEN / f"{stem}.err"
    check_golden_file(golden_out, out.encode("utf-8"))
    check_golden_file(golden_err, err.encode("utf-8"))
    assert status == (1 if err else 0)
    for line in out.splitlines():
        record = json.loads(line)
        assert sorted(record) == sorted(PARSE_FIELDS)


def test_standard_layout_fields():
    entries = read_listing(LISTINGS / "2025-11-25-standard.txt").entries
    by_title = {entry.title: entry for entry in entries}
    nemotron = by_title["Nemotron Elastic: Towards Efficient Many-in-One Reasoning LLMs"]
    assert (nemotron.line, nemotron.listed, nemotron.published, nemotron.comments) == (
        13, date(2025, 11, 25), date(2025, 11, 20), 2)
    assert (nemotron.organization_id, nemotron.organization, nemotron.authors_count) == ("nvidia", "NVIDIA", None)
    quantization = by_title["Layer-Wise Quantization: A Pragmatic and Effective Method"]
    assert quantization.abstract.endswith("6 authors agree.")  # "authors" inside an abstract is text
    assert (quantization.authors_count, quantization.published, quantization.comments) == (6, date(2024, 6, 25), 0)
    assert by_title["A Single-Author Study of Tokenizers"].authors_count == 1
    assert by_title["Counting Errors in Scraped Metadata"].authors_count == 1
    assert by_title["Counting Errors in Scraped Metadata"].comments == 11
    microsoft = by_title["Org Names With Spaces Survive"]
    assert (microsoft.organization_id, microsoft.organization) == ("MicrosoftResearch", "Microsoft Research")


def test_glued_boilerplate_is_cut_from_the_first_title():
    result = read_listing(LISTINGS / "glued-boilerplate.txt")
    assert result.problems == ()
    assert [entry.title for entry in result.entries] == [
        "AutoInt: Automatic Feature Interaction Learning via Self-Attentive Neural Networks",
        "Kronecker Attention Networks",
        "Exact Inference in High-order Structured Prediction",
    ]
    assert [entry.line for entry in result.entries] == [3, 5, 7]
    assert all(entry.listed is None and entry.published is None for entry in result.entries)


def test_boilerplate_words_glued_to_a_real_word_stay():
    text = "new\nDaily Papers\nSubscribers Prefer Short Titles\nAn abstract.\n"
    assert [entry.title for entry in parse_text(text, "x.txt").entries] == ["Subscribers Prefer Short Titles"]


def test_no_blank_lines_with_metadata():
    entries = read_listing(LISTINGS / "2024-06-01-no-blank-lines.txt").entries
    assert [(e.title[:12], e.authors_count, e.organization, e.published, e.comments) for e in entries] == [
        ("ConvLLaVA: H", 9, None, date(2024, 5, 24), 3),
        ("The Road Les", None, "AI at Meta", date(2024, 5, 24), 0),
        ("Grokked Tran", None, None, None, 0),
    ]


# --- real data -------------------------------------------------------------------------------------


def seed_totals(paths: list[Path]) -> tuple[int, int]:
    entries = [entry for path in paths for entry in read_listing(path).entries]
    return len(entries), len({entry.title for entry in entries})


def test_repo_seeds_give_470_records_and_434_titles():
    paths = sorted(REPO_SEEDS.glob("*.txt"))
    assert len(paths) == 5
    assert seed_totals(paths) == (470, 434)
    for path in paths:
        assert read_listing(path).problems == (), path.name


def test_repo_seed_dates():
    listed = {path.name: {e.listed for e in read_listing(path).entries} for path in REPO_SEEDS.glob("*.txt")}
    assert listed == {
        "2025-12-08-seed-000.txt": {date(2025, 12, 8)},
        "2025-12-12-seed-001.txt": {date(2025, 12, 12)},
        "2025-11-25-seed-002.txt": {date(2025, 11, 25)},
        "undated-seed-003.txt": {None},
        "undated-seed-004.txt": {None},
    }


def test_shared_seeds_give_470_records_and_434_titles():
    paths = sorted(require_shared(SEEDS).glob("*.txt"))
    assert seed_totals(paths) == (470, 434)


def test_shared_seed_dates_are_inferred_from_headers_with_a_warning():
    seeds = require_shared(SEEDS)
    for prefix, listed in (("000", date(2025, 12, 8)), ("001", date(2025, 12, 12)), ("002", date(2025, 11, 25))):
        (path,) = seeds.glob(f"{prefix}_*.txt")
        result = read_listing(path)
        assert {entry.listed for entry in result.entries} == {listed}
        (problem,) = result.problems
        assert problem.warning and problem.line == 11
        assert f"assumed {listed.year}, one past the newest year on the page" in problem.message


def test_repo_seeds_match_shared_seeds():
    seeds = require_shared(SEEDS)
    for path in REPO_SEEDS.glob("*.txt"):
        number = path.stem.rsplit("-", 1)[1]
        (original,) = seeds.glob(f"{number}_*.txt")
        strip = lambda result: [(e.title, e.abstract, e.published, e.comments, e.authors_count,
                                 e.organization, e.organization_id) for e in result.entries]
        listed = read_listing(path).entries[0].listed
        assert strip(read_listing(path)) == strip(read_listing(original, listed)), path.name


@pytest.mark.corpus
def test_corpus_slice_is_exact(corpus):
    expected: dict[str, list[dict]] = {}
    for line in (corpus / "expected.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        expected.setdefault(record["listing"], []).append(record)
    listings = sorted((corpus / "listings").glob("*.txt"))[::10]
    assert len(listings) == 58
    fields = [field for field in PARSE_FIELDS if field != "line"]
    checked = 0
    for path in listings:
        result = read_listing(path)
        assert result.problems == (), path.name
        got = [{field: entry.parse_json()[field] for field in fields} for entry in result.entries]
        want = [{field: record[field] for field in fields} for record in expected[path.name]]
        assert got == want, path.name
        checked += len(got)
    assert checked > 900


# --- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, listed",
    [
        ("2025-11-21.txt", date(2025, 11, 21)),
        ("2025-12-08-seed-000.txt", date(2025, 12, 8)),
        ("2024-02-29_saved.txt", date(2024, 2, 29)),
        ("2025-02-29.txt", None),  # no such day
        ("2025-13-01.txt", None),
        ("20251121.txt", None),
        ("2025-11-210.txt", None),
        ("seed-2025-11-21.txt", None),  # the date must start the name
        ("undated-seed-003.txt", None),
        ("", None),
    ],
)
def test_listing_date_from_name(name, listed):
    assert listing_date_from_name(name) == listed


def one_paper(header: str, paper_date: str) -> str:
    return f"new\n\nDaily Papers\n\n{header}\n\nA Title\n\nAn abstract.\n\n  • 2 authors\n·\n{paper_date}\n"


def test_year_less_dates_take_the_listing_year_or_the_year_before():
    for paper_date, published in (("Jan 3", date(2025, 1, 3)), ("Jan 4", date(2024, 1, 4)),
                                  ("Dec 30", date(2024, 12, 30)), ("Mar 1, 2023", date(2023, 3, 1))):
        (entry,) = parse_text(one_paper("Jan 3", paper_date), "2025-01-03.txt").entries
        assert entry.published == published, paper_date


def test_listed_on_is_used_when_the_name_has_no_date():
    result = parse_text(one_paper("Nov 25", "Nov 20 4"), "saved.txt", listed_on=date(2025, 11, 25))
    assert result.problems == ()
    ((listed, published, comments),) = [(e.listed, e.published, e.comments) for e in result.entries]
    assert (listed, published, comments) == (date(2025, 11, 25), date(2025, 11, 20), 4)


def test_the_name_date_wins_and_a_disagreeing_header_is_reported():
    result = parse_text(one_paper("Nov 25", "Nov 20"), "2025-11-21.txt", listed_on=date(2024, 1, 1))
    assert result.entries[0].listed == date(2025, 11, 21)
    assert [str(p) for p in result.problems] == [
        ('2025-11-21.txt:5: the header says "Nov 25" but the listing\'s date is 2025-11-21 (from the file name): '
        "using 2025-11-21")
    ]
    assert result.problems[0].warning


def test_header_year_is_inferred_one_past_the_newest_explicit_year():
    result = parse_text(one_paper("Nov 25", "Jun 25, 2024") + "B\n\nb.\n\n  • 1 author\n·\nNov 20\n", "saved.txt")
    assert [(e.listed, e.published) for e in result.entries] == [
        (date(2025, 11, 25), date(2024, 6, 25)), (date(2025, 11, 25), date(2025, 11, 20))]
    assert [str(p) for p in result.problems] == [
        ('saved.txt:5: the header "Nov 25" has no year: assumed 2025, one past the newest year on the page; '
        "name the file 2025-11-25-....txt or pass --listed-on to be sure")
    ]


def test_a_header_with_nothing_to_date_it_leaves_listed_empty_silently():
    result = parse_text("new\n\nMar 13\n\nA Title\n\nAn abstract.\n", "undated.txt")
    assert [(e.listed, e.published) for e in result.entries] == [(None, None)]
    assert result.problems == ()


def test_a_page_without_header_or_name_date_is_undated_silently():
    result = parse_text("Daily Papers\nA Title\nAn abstract.\nB\nb.\n", "undated.txt")
    assert [e.listed for e in result.entries] == [None, None]
    assert result.problems == ()


# --- malformed input: exact messages ---------------------------------------------------------------


def test_truncated_file_keeps_good_records_and_names_the_title():
    result = read_listing(MALFORMED / "2025-11-25-truncated.txt")
    assert [entry.title for entry in result.entries] == [
        "Nemotron Elastic: Towards Efficient Many-in-One Reasoning LLMs"]
    assert [str(p) for p in result.problems] == [
        (f'{MALFORMED}/2025-11-25-truncated.txt:17: title "Layer-Wise Quantization: A Pragmatic and Effective '
        'Method" has no abstract (file ends): paper skipped')
    ]
    assert not result.problems[0].warning


def test_binary_file_is_refused_with_one_message():
    assert (MALFORMED / "binary.txt").read_bytes().count(b"\0") == 1
    result = read_listing(MALFORMED / "binary.txt")
    assert result.entries == ()
    assert [str(p) for p in result.problems] == [
        f"{MALFORMED}/binary.txt:1: binary file (NUL byte at offset 34), not a listing page: skipped"
    ]


def test_utf16_file_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "2025-11-25.txt"
    path.write_bytes("A Title\r\nAn abstract.\r\n".encode("utf-16"))
    result = read_listing(path)
    assert result.entries == ()
    assert [str(p) for p in result.problems] == [
        f"{path}:1: UTF-16 text, not UTF-8: save the page as UTF-8 to read it; skipped"]


def test_windows_1252_warning_names_the_line_whatever_the_line_ends(tmp_path):
    path = tmp_path / "2025-11-25.txt"
    path.write_bytes(b"Subscribe\rTitle one\rAbstract one.\r\nTitle \x93two\x94\rAbstract two.\r")
    result = read_listing(path)
    assert [e.title for e in result.entries] == ["Title one", "Title \u201ctwo\u201d"]
    assert [(p.line, p.warning) for p in result.problems] == [(4, True)]


def test_a_file_name_with_an_impossible_date_is_reported():
    result = parse_text("Daily Papers\nA Title\nAn abstract.\n", "2025-02-30-saved.txt")
    assert result.entries[0].listed is None
    assert [str(p) for p in result.problems] == [
        "2025-02-30-saved.txt:1: the file name starts with '2025-02-30', which is not a real date: ignored"]


def test_empty_file_gets_one_message():
    assert (MALFORMED / "empty.txt").stat().st_size == 0
    result = read_listing(MALFORMED / "empty.txt")
    assert result.entries == ()
    assert [str(p) for p in result.problems] == [f"{MALFORMED}/empty.txt:1: the file is empty: no listing to read"]


def test_blank_file_says_no_papers_found():
    result = parse_text("\n \n\t\n", "blank.txt")
    assert result.entries == ()
    assert [str(p) for p in result.problems] == ["blank.txt:1: no papers found: is this a Daily Papers listing page?"]
    assert result.problems[0].warning


def test_unreadable_paths_are_problems(tmp_path):
    missing = tmp_path / "missing.txt"
    assert [str(p) for p in read_listing(missing).problems] == [
        f"{missing}:1: cannot read the file: No such file or directory"]
    assert [str(p) for p in read_listing(tmp_path).problems] == [f"{tmp_path}:1: cannot read the file: Is a directory"]


def test_windows_1252_is_read_with_a_warning():
    data = (MALFORMED / "2025-11-25-cp1252.txt").read_bytes()
    assert b"\x93" in data and b"\xe9" in data  # the fixture really is Windows-1252
    result = read_listing(MALFORMED / "2025-11-25-cp1252.txt")
    (entry,) = result.entries
    assert entry.title == "Café Society: “Smart Quotes” in Titles"
    assert entry.abstract == "Saved by an old tool in Windows-1252 — naïve résumé €5."
    assert (entry.authors_count, entry.published) == (2, date(2025, 11, 20))
    assert [str(p) for p in result.problems] == [
        f"{MALFORMED}/2025-11-25-cp1252.txt:7: not valid UTF-8 (byte 0xE9 on this line): read as Windows-1252"
    ]
    assert result.problems[0].warning


def test_undefined_windows_1252_bytes_never_fail(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_bytes(b"Subscribe\nA Title \x81\x8d\x8f\x90\x9d\nAn abstract \xff.\n")
    result = read_listing(path)
    assert [entry.title for entry in result.entries] == ["A Title \x81\x8d\x8f\x90\x9d"]
    assert result.entries[0].abstract == "An abstract ÿ."
    assert [p.line for p in result.problems] == [2]


def test_crlf_is_read_like_lf():
    crlf = MALFORMED / "2025-11-25-crlf.txt"
    assert b"\r\n" in crlf.read_bytes()  # the fixture kept its CRLF line ends
    result = read_listing(crlf)
    assert result.problems == ()
    lf = parse_text(crlf.read_bytes().decode("utf-8").replace("\r\n", "\n"), crlf.name)
    assert result.entries == lf.entries
    assert [(e.title, e.line, e.authors_count, e.published, e.comments) for e in result.entries] == [
        ("Windows Line Endings Are Read Correctly", 9, 3, date(2025, 11, 24), 1),
        ("A Second Paper", 17, None, None, 0),
    ]


def test_bom_is_not_part_of_the_text():
    bom = MALFORMED / "2025-11-25-bom.txt"
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    result = read_listing(bom)
    assert result.problems == ()
    (entry,) = result.entries
    assert (entry.title, entry.organization, entry.published) == (
        "Byte Order Marks Are Not Part of the Text", "NVIDIA", date(2025, 11, 21))
    assert parse_text(bom.read_text(encoding="utf-8"), bom.name).entries == result.entries


def test_headerless_file():
    result = read_listing(MALFORMED / "headerless.txt")
    assert [(e.title, e.listed, e.published, e.comments) for e in result.entries] == [
        ("A Header-less Page", None, None, 1),
        ("Second Paper Keeps Its Year", None, date(2024, 6, 25), 0),
        ("Third Paper Has No Year", None, None, 0),
    ]
    assert [str(p) for p in result.problems] == [
        (f'{MALFORMED}/headerless.txt:6: paper date "Nov 20" has no year and the listing\'s year is unknown '
        "(and 1 more): published left empty; name the file YYYY-MM-DD-....txt or pass --listed-on")
    ]
    dated = read_listing(MALFORMED / "headerless.txt", listed_on=date(2025, 11, 25))
    assert dated.problems == ()
    assert [e.published for e in dated.entries] == [date(2025, 11, 20), date(2024, 6, 25), date(2025, 11, 18)]


def test_garbage_metadata_lines():
    result = read_listing(MALFORMED / "2025-11-25-garbage-metadata.txt")
    shown = f"{MALFORMED}/2025-11-25-garbage-metadata.txt"
    assert [str(p) for p in result.problems] == [
        (f'{shown}:11: metadata line "• many authors" is neither "• N authors" nor "<org id> <display name>": '
        "metadata left empty"),
        (f'{shown}:19: metadata line "nvidia" is neither "• N authors" nor "<org id> <display name>": '
        "metadata left empty"),
        f'{shown}:29: paper date "Nov 31" does not exist in 2025: published left empty',
        (f'{shown}:37: paper date "2025-11-20" is not like "Nov 20" or "Jun 25, 2024" (then the comment count, '
        "if any): published left empty"),
        (f'{shown}:45: paper "Separator Without a Date" has "·" but no date after it (this line is read as the '
        "next title): published left empty"),
    ]
    assert not any(p.warning for p in result.problems)
    assert [(e.title, e.authors_count, e.organization, e.published, e.comments) for e in result.entries] == [
        ("Authors Line Without a Number", None, None, date(2025, 11, 20), 0),
        ("Organization Line Without a Display Name", None, None, date(2025, 11, 21), 2),
        ("A Date That Does Not Exist", 3, None, None, 0),
        ("An ISO Date Instead of the Site's Format", 3, None, None, 0),
        ("Separator Without a Date", 2, None, None, 0),
        ("Next Paper After a Lost Date", None, None, None, 0),
    ]


def test_metadata_without_separator_or_date_at_file_end():
    result = parse_text("Nov 25\n\nA Title\n\nAn abstract.\n\n  • 2 authors\n", "2025-11-25.txt")
    assert [(e.title, e.authors_count, e.published) for e in result.entries] == [("A Title", 2, None)]
    assert [str(p) for p in result.problems] == [
        ('2025-11-25.txt:3: paper "A Title" has metadata "• 2 authors" but no date after it (file ends): '
        "published left empty")
    ]


def test_a_separator_is_optional_between_metadata_and_date():
    result = parse_text("A Title\nAn abstract.\n  • 2 authors\nNov 20 3\n", "2025-11-25.txt")
    assert [(e.authors_count, e.published, e.comments) for e in result.entries] == [(2, date(2025, 11, 20), 3)]
    assert result.problems == ()


def test_a_title_that_looks_like_structure_is_kept_with_a_warning():
    text = "Nov 25\n\nA\n\na.\n\n  • 1 author\n·\nNov 20\n\n·\n\nThe abstract of a paper titled with a dot.\n"
    result = parse_text(text, "2025-11-25.txt")
    assert [e.title for e in result.entries] == ["A", "·"]
    assert [str(p) for p in result.problems] == [
        '2025-11-25.txt:11: title "·" looks like the "·" separator: is a line missing above it?'
    ]


# --- the `paperarchive parse` function -------------------------------------------------------------


def test_print_records_clean_file():
    status, out, err = run_parse([relative(LISTINGS / "2025-11-25-standard.txt")])
    assert (status, err) == (0, "")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 5
    assert records[0] == {
        "listing": "2025-11-25-standard.txt", "line": 13, "listed": "2025-11-25",
        "title": "Nemotron Elastic: Towards Efficient Many-in-One Reasoning LLMs",
        "abstract": "Training a family of large language models targeting multiple scales is expensive; we embed "
                    "nested submodels in one parent model.",
        "published": "2025-11-20", "comments": 2, "authors_count": None,
        "organization": "NVIDIA", "organization_id": "nvidia",
    }
    assert out.splitlines()[0].startswith('{"abstract": ')  # sorted keys


def test_print_records_damaged_files_still_print_their_good_records():
    status, out, err = run_parse([
        relative(MALFORMED / "2025-11-25-truncated.txt"),
        relative(MALFORMED / "empty.txt"),
        relative(LISTINGS / "2025-11-25-standard.txt"),
    ])
    assert status == 1
    assert [json.loads(line)["listing"] for line in out.splitlines()] == (
        ["2025-11-25-truncated.txt"] + ["2025-11-25-standard.txt"] * 5)
    assert err == (
        'tests/fixtures/listings/malformed/2025-11-25-truncated.txt:17: title "Layer-Wise Quantization: A '
        'Pragmatic and Effective Method" has no abstract (file ends): paper skipped\n'
        "tests/fixtures/listings/malformed/empty.txt:1: the file is empty: no listing to read\n"
        "paperarchive parse: 2 errors, 0 warnings in 2 of 3 files; 6 papers printed\n"
    )


def test_print_records_warnings_alone_fail_too():
    status, out, err = run_parse([relative(MALFORMED / "2025-11-25-cp1252.txt")])
    assert status == 1
    assert len(out.splitlines()) == 1
    assert err.endswith("paperarchive parse: 0 errors, 1 warning in 1 of 1 file; 1 paper printed\n")


def test_print_records_listed_on():
    status, out, err = run_parse([relative(MALFORMED / "headerless.txt")], listed_on="2025-11-25")
    assert (status, err) == (0, "")
    assert {json.loads(line)["listed"] for line in out.splitlines()} == {"2025-11-25"}


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01", "2025-02-30", "20251125", "2025-1-5", ""])
def test_print_records_bad_listed_on_is_a_usage_error(value):
    status, out, err = run_parse([relative(LISTINGS / "2025-11-25-standard.txt")], listed_on=value)
    assert (status, out) == (2, "")
    assert err == f"paperarchive parse: --listed-on wants a date like 2025-11-21, not {value!r}\n"


def test_print_records_keeps_unicode_readable():
    _status, out, _ = run_parse([relative(MALFORMED / "2025-11-25-cp1252.txt")])
    assert "“Smart Quotes”" in out and "\\u" not in out


# --- render_listing --------------------------------------------------------------------------------


def test_render_listing_layout():
    entries = [
        Entry("x.txt", 0, date(2025, 1, 3), "Org Paper", "Abstract one.", date(2024, 12, 30), 2, None,
              "Microsoft Research", "MicrosoftResearch"),
        Entry("x.txt", 0, date(2025, 1, 3), "Authors Paper", "Abstract two.", date(2025, 1, 2), 0, 1),
        Entry("x.txt", 0, date(2025, 1, 3), "Bare Paper", "Abstract three."),
    ]
    assert render_listing(entries, date(2025, 1, 3)) == (
        "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
        "byAK and the research community\n\nJan 3\n\n"
        "Org Paper\n\nAbstract one.\n\nMicrosoftResearch Microsoft Research\n·\nDec 30, 2024 2\n\n"
        "Authors Paper\n\nAbstract two.\n\n  • 1 author\n·\nJan 2\n\n"
        "Bare Paper\n\nAbstract three.\n\n"
    )
    parsed = parse_text(render_listing(entries, date(2025, 1, 3)), "x.txt", date(2025, 1, 3))
    assert parsed.problems == ()
    assert [(e.title, e.published, e.comments, e.authors_count, e.organization_id) for e in parsed.entries] == [
        (e.title, e.published, e.comments, e.authors_count, e.organization_id) for e in entries]


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"title": " padded"}, "the title must be one non-empty line without surrounding spaces"),
        ({"abstract": "two\nlines"}, "the abstract must be one non-empty line without surrounding spaces"),
        ({"title": ""}, "the title must be one non-empty line without surrounding spaces"),
        ({"organization": "NVIDIA"}, "an organization needs both its id and its display name"),
        ({"organization": "A", "organization_id": "two words"}, "the organization id must be one word"),
        ({"organization": "A", "organization_id": "a", "authors_count": 2},
         "either an author count or an organization"),
        ({"authors_count": 3, "published": None}, "metadata and comments appear only above/with a paper date"),
        ({"comments": 2, "published": None}, "metadata and comments appear only above/with a paper date"),
        ({"comments": -1}, "the comment count cannot be negative"),
    ],
)
def test_render_listing_refuses_what_the_layout_cannot_carry(changes, reason):
    fields = {"listing": "x.txt", "line": 0, "listed": None, "title": "T", "abstract": "A", "published": date(2024, 1, 1)}
    fields.update(changes)
    with pytest.raises(ValueError, match=reason):
        render_listing([Entry(**fields)], None)


def test_render_listing_refuses_ambiguous_neighbours():
    bare = Entry("x.txt", 0, None, "Bare", "No metadata, no date.")
    with pytest.raises(ValueError, match="would read as metadata"):
        render_listing([bare, Entry("x.txt", 0, None, "• 3 authors", "An abstract.")], None)
    with pytest.raises(ValueError, match="would read as part of the header"):
        render_listing([Entry("x.txt", 0, None, "Nov 25", "An abstract.")], None)
    # With a header date line, the same first title is unambiguous.
    text = render_listing([Entry("x.txt", 0, date(2025, 11, 25), "Nov 25", "An abstract.")], date(2025, 11, 25))
    assert parse_text(text, "2025-11-25.txt").entries[0].title == "Nov 25"


def test_a_daily_listing_gives_each_paper_its_place(tmp_path):
    result = read_listing(FIXTURES / "listings" / "2025-11-25-standard.txt")
    assert [e.rank for e in result.entries] == list(range(1, len(result.entries) + 1))


def test_a_page_of_old_papers_under_a_listing_header_is_not_a_daily_listing():
    from paperarchive.parse import is_daily_listing

    day = date(2025, 12, 8)
    assert is_daily_listing(day, [date(2025, 12, 5), date(2025, 11, 20), None])
    assert not is_daily_listing(day, [date(2021, 3, 1), date(2024, 6, 2), date(2025, 12, 1)])
    assert not is_daily_listing(day, [date(2025, 12, 9)])  # published after the listing's day
    assert not is_daily_listing(None, [date(2025, 12, 1)])
    # No dated paper: nothing shows the page is recent (seed 004: a header, no paper dates, old papers).
    assert not is_daily_listing(day, [None, None])
    assert not is_daily_listing(day, [])


def test_the_rule_for_daily_listings_against_the_evidence():
    """Every corpus listing is one day's Daily Papers; no seed is (their papers are years old, FORMAT.md)."""
    corpus = require_shared(SEEDS.parent / "corpus" / "hf-daily" / "listings")
    for path in sorted(corpus.glob("*.txt")):
        ranks = [e.rank for e in read_listing(path).entries]
        assert ranks == list(range(1, len(ranks) + 1)), path.name
    for path in [*SEEDS.glob("*.txt"), *REPO_SEEDS.glob("*.txt")]:
        assert {e.rank for e in read_listing(path).entries} == {None}, path.name
    # the seed 004 layout with a date: a header, no paper dates, nothing shows its papers are recent
    assert {e.rank for e in read_listing(LISTINGS / "2025-03-13-no-metadata.txt").entries} == {None}
