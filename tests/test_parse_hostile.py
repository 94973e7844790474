"""Listing input a user can get wrong or an attacker can craft (issue 16): pages as browsers save them,
implausible dates, files that are no listing, file names that are not UTF-8, control characters in messages."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import json
import os
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEEDS, require_shared
from paperarchive.parse import escape_controls, parse_text, print_records, read_listing
from paperarchive.records import PARSE_FIELDS

TODAY = date(2026, 11, 30)
LISTINGS = FIXTURES / "listings"
spec = importlib.util.spec_from_file_location("parse_benchmark", ROOT / "benchmarks" / "parse.py")
benchmark = importlib.util.module_from_spec(spec)
spec.loader.exec_module(benchmark)

PAGE = "Daily Papers\n\nNov 25\n\n{title}\n\nAn abstract.\n\n  • 3 authors\n·\n{date}\n"


def messages(result) -> list[str]:
    return [str(problem) for problem in result.problems]


# --- pages as browsers save them --------------------------------------------------------------------


def test_a_browser_saved_page_parses_exactly_as_the_plain_one():
    plain = read_listing(LISTINGS / "2025-11-25-standard.txt", today=TODAY)
    saved = read_listing(LISTINGS / "2025-11-25-browser-spaces.txt", today=TODAY)
    text = (LISTINGS / "2025-11-25-browser-spaces.txt").read_text(encoding="utf-8")
    assert all(space in text for space in ("•\u00a06\u00a0authors", "Nov\u00a020", "\u00a0·\u00a0", "\u3000", "\u202f"))
    assert [dataclasses.replace(e, listing="") for e in saved.entries] == [
        dataclasses.replace(e, listing="") for e in plain.entries]
    assert saved.problems == plain.problems == ()


@pytest.mark.parametrize("space", ["\u00a0", "\u2007", "\u202f", "\u2009", "\u3000"])
def test_every_unicode_space_reads_as_the_layout_space(space):
    text = (f"Daily{space}Papers\n\nNov{space}25{space}\n\nA Title{space}\n\nAn abstract.\n\n"
            f"{space}{space}•{space}5{space}authors{space}\n{space}·{space}\nJun{space}25,{space}2024{space}3{space}\n")
    (entry,) = parse_text(text, "2025-11-25.txt", today=TODAY).entries
    assert (entry.title, entry.authors_count, entry.published, entry.comments, entry.rank) == (
        "A Title", 5, date(2024, 6, 25), 3, None)


@pytest.mark.corpus
def test_the_corpus_saved_by_a_browser_is_exact(corpus):
    """All 580 listings with Unicode spaces in their layout give all 9,877 expected records."""
    expected: dict[str, list[dict]] = {}
    for line in (corpus / "expected.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        expected.setdefault(record["listing"], []).append(record)
    fields = [field for field in PARSE_FIELDS if field != "line"]
    listings = sorted((corpus / "listings").glob("*.txt"))
    assert len(listings) == 580
    checked = 0
    for seed, path in enumerate(listings):
        text = path.read_text(encoding="utf-8")
        plain = parse_text(text, path.name)
        saved = parse_text(benchmark.as_a_browser_saves_it(text, plain.entries, seed), path.name)
        assert saved == plain, path.name
        got = [{field: entry.parse_json()[field] for field in fields} for entry in saved.entries]
        assert got == [{field: record[field] for field in fields} for record in expected[path.name]], path.name
        checked += len(got)
    assert checked == 9877


def test_the_seeds_saved_by_a_browser_parse_as_the_plain_ones():
    for path in sorted(require_shared(SEEDS).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        plain = parse_text(text, path.name)
        assert parse_text(benchmark.as_a_browser_saves_it(text, plain.entries, 7), path.name) == plain, path.name


# --- implausible dates ------------------------------------------------------------------------------


def test_a_paper_date_far_in_the_future_is_left_empty():
    result = parse_text(PAGE.format(title="From the Future", date="Jan 1, 2999"), "2025-11-25.txt", today=TODAY)
    assert [(e.title, e.published, e.authors_count) for e in result.entries] == [("From the Future", None, 3)]
    assert messages(result) == [
        '2025-11-25.txt:11: paper date "Jan 1, 2999" is 2999-01-01, after today (2026-11-30): left empty']
    assert result.problems[0].warning


def test_a_typo_year_does_not_date_the_listing():
    text = ("Daily Papers\n\nNov 25\n\nA\n\na.\n\n  • 3 authors\n·\nJan 1, 2999\n\n"
            "B\n\nb.\n\n  • 2 authors\n·\nJun 25, 2024\n\nC\n\nc.\n\n  • 1 author\n·\nNov 20\n")
    result = parse_text(text, "saved.txt", today=TODAY)
    assert [(e.listed, e.published) for e in result.entries] == [
        (date(2025, 11, 25), None), (date(2025, 11, 25), date(2024, 6, 25)), (date(2025, 11, 25), date(2025, 11, 20))]
    assert messages(result) == [
        ('saved.txt:3: the header "Nov 25" has no year: assumed 2025, one past the newest year on the page; '
        "name the file 2025-11-25-....txt or pass --listed-on to be sure"),
        'saved.txt:11: paper date "Jan 1, 2999" is 2999-01-01, after today (2026-11-30): left empty',
    ]


def test_a_year_one_paper_date_is_left_empty():
    result = parse_text(PAGE.format(title="Ancient", date="Jan 1, 0001"), "2025-11-25.txt", today=TODAY)
    assert [e.published for e in result.entries] == [None]
    assert messages(result) == ['2025-11-25.txt:11: paper date "Jan 1, 0001" is 0001-01-01, before 1990: left empty']


def test_a_paper_published_after_its_listing_is_left_empty():
    result = parse_text(PAGE.format(title="Early Bird", date="Dec 4, 2025 2"), "2025-11-25.txt", today=TODAY)
    assert [(e.published, e.comments) for e in result.entries] == [(None, 2)]
    assert messages(result) == [
        ("2025-11-25.txt:11: paper date \"Dec 4, 2025\" is 2025-12-04, after the listing's date (2025-11-25): "
        "left empty")]


def test_a_file_name_dated_after_today_is_ignored_and_the_header_dates_the_listing():
    """A typo'd name is ignored rather than the file refused: its papers are still good, and the header (or
    --listed-on) dates it as for a name without a date."""
    text = "Daily Papers\n\nNov 25\n\nA Title\n\nAn abstract.\n\n  • 3 authors\n·\nNov 20, 2025\n"
    result = parse_text(text, "2205-11-25.txt", today=TODAY)
    assert [(e.listed, e.published) for e in result.entries] == [(date(2026, 11, 25), date(2025, 11, 20))]
    assert messages(result) == [
        "2205-11-25.txt:1: the file name's date is 2205-11-25, after today (2026-11-30): ignored",
        ('2205-11-25.txt:3: the header "Nov 25" has no year: assumed 2026, one past the newest year on the page; '
        "name the file 2026-11-25-....txt or pass --listed-on to be sure"),
    ]
    with_option = parse_text(text, "2205-11-25.txt", listed_on=date(2025, 11, 25), today=TODAY)
    assert {e.listed for e in with_option.entries} == {date(2025, 11, 25)}


def test_a_listed_on_date_after_today_is_ignored():
    text = "Daily Papers\n\nA Title\n\nAn abstract.\n\n  • 3 authors\n·\nNov 20, 2025\n"
    result = parse_text(text, "saved.txt", listed_on=date(2999, 1, 1), today=TODAY)
    assert [e.listed for e in result.entries] == [None]
    assert messages(result) == ["saved.txt:1: --listed-on is 2999-01-01, after today (2026-11-30): ignored"]


def test_a_header_year_after_today_leaves_the_listing_date_empty():
    text = "Daily Papers\n\nNov 25, 2999\n\nA Title\n\nAn abstract.\n\n  • 3 authors\n·\nNov 20\n"
    result = parse_text(text, "saved.txt", today=TODAY)
    assert [(e.listed, e.published) for e in result.entries] == [(None, None)]
    assert messages(result) == [
        'saved.txt:3: the header date "Nov 25, 2999" is 2999-11-25, after today (2026-11-30): ignored',
        ("saved.txt:11: paper date \"Nov 20\" has no year and the listing's year is unknown: published left empty; "
        "name the file YYYY-MM-DD-....txt or pass --listed-on"),
    ]


def test_today_is_injectable_and_has_a_day_of_grace():
    text = PAGE.format(title="T", date="Nov 20")
    assert parse_text(text, "2025-11-25.txt", today=date(2025, 11, 24)).problems == ()  # time zones
    result = parse_text(text, "2025-11-25.txt", today=date(2025, 11, 23))
    assert [(e.listed, e.published) for e in result.entries] == [(None, None)]
    assert messages(result) == [
        "2025-11-25.txt:1: the file name's date is 2025-11-25, after today (2025-11-23): ignored",
        ("2025-11-25.txt:11: paper date \"Nov 20\" has no year and the listing's year is unknown: published left "
        "empty; name the file YYYY-MM-DD-....txt or pass --listed-on"),
    ]


def test_today_can_be_set_for_a_whole_run(monkeypatch):
    """A synthetic archive dated ahead of the clock (benchmarks/synth.py at 50,000 papers) sets
    PAPERARCHIVE_TODAY for its ingest."""
    text = PAGE.format(title="T", date="Nov 20")
    monkeypatch.setenv("PAPERARCHIVE_TODAY", "2040-01-01")
    assert [e.listed for e in parse_text(text, "2035-11-25.txt").entries] == [date(2035, 11, 25)]
    monkeypatch.setenv("PAPERARCHIVE_TODAY", "2035-11-23")
    assert messages(parse_text(text, "2035-11-25.txt"))[0] == (
        "2035-11-25.txt:1: the file name's date is 2035-11-25, after today (2035-11-23): ignored")
    monkeypatch.setenv("PAPERARCHIVE_TODAY", "not a date")  # ignored: the clock's today
    assert messages(parse_text(text, "2999-11-25.txt"))[0].startswith(
        "2999-11-25.txt:1: the file name's date is 2999-11-25, after today (")


# --- files that are no listing ----------------------------------------------------------------------


def test_a_text_file_without_any_listing_structure_is_refused_with_one_message(tmp_path):
    path = tmp_path / "passwd"
    path.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                    "bin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\n")
    result = read_listing(path, today=TODAY)
    assert result.entries == ()
    assert messages(result) == [
        (f'{path}:1: no listing structure (no header, no "• N authors" or organization line, no paper date): '
        "not a Daily Papers listing page; skipped")]
    assert not result.problems[0].warning


def test_etc_passwd_is_refused():
    passwd = Path("/etc/passwd")
    if not passwd.is_file():
        pytest.skip("no /etc/passwd on this machine")
    result = read_listing(passwd, today=TODAY)
    assert (result.entries, [p.line for p in result.problems]) == ((), [1])
    assert "no listing structure" in result.problems[0].message


def test_any_one_piece_of_structure_is_enough():
    for text in ("Subscribe\n\nA Title\n\nAn abstract.\n", "A Title\n\nAn abstract.\n\n  • 2 authors\n·\nNov 20\n",
                 "A Title\n\nAn abstract.\n\nnvidia NVIDIA\n·\nNov 20\n", "Nov 25\n\nA Title\n\nAn abstract.\n"):
        assert [e.title for e in parse_text(text, "2025-11-25.txt", today=TODAY).entries] == ["A Title"], text


# --- untrusted names and text in messages -----------------------------------------------------------


def test_control_characters_and_bidi_overrides_are_escaped_in_messages():
    title = "Evil \x1b[2J\x1b]0;pwned\x07 \u202egnp.exe\u2066 \u2028line \x00 end"
    result = parse_text(f"Daily Papers\n\nNov 25\n\n{title}", "2025-11-25.txt", today=TODAY)
    (message,) = messages(result)
    assert message == (
        '2025-11-25.txt:5: title "Evil \\x1b[2J\\x1b]0;pwned\\x07 \\u202egnp.exe\\u2066 \\u2028line \\x00 end" '
        "has no abstract (file ends): paper skipped")
    assert all(ch.isprintable() for ch in message)


def test_print_records_writes_no_raw_control_character_to_stderr(tmp_path):
    path = tmp_path / "2025-11-25-\x1b[31mred\u202e.txt"
    path.write_text("Daily Papers\n\nNov 25\n\nTitle \x1b[31m\u202e\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert print_records([path], None, out, err) == 1
    assert err.getvalue() == (
        f'{tmp_path}/2025-11-25-\\x1b[31mred\\u202e.txt:5: title "Title \\x1b[31m\\u202e" has no abstract (file ends): '
        "paper skipped\n"
        "paperarchive parse: 1 error, 0 warnings in 1 of 1 file; 0 papers printed\n")


def test_escape_controls_keeps_ordinary_text():
    assert escape_controls("Café 漢字 😀 «quotes» tab\there") == "Café 漢字 😀 «quotes» tab\\x09here"


def test_a_file_name_that_is_not_utf8_gives_valid_text_everywhere(tmp_path):
    raw = os.fsencode(tmp_path) + b"/2025-11-25-\xff\xfe.txt"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(PAGE.format(title="Named Badly", date="Jan 1, 2999"))
    result = read_listing(Path(os.fsdecode(raw)), today=TODAY)
    assert [e.listing for e in result.entries] == ["2025-11-25-\ufffd\ufffd.txt"]
    assert messages(result) == [
        (f'{tmp_path}/2025-11-25-\ufffd\ufffd.txt:11: paper date "Jan 1, 2999" is 2999-01-01, after today (2026-11-30): '
        "left empty")]
    for entry in result.entries:
        json.dumps(entry.parse_json(), ensure_ascii=False).encode("utf-8")


def test_ingest_stores_a_listing_whose_name_is_not_utf8(tmp_path, monkeypatch):
    from paperarchive.ingest import ingest_files
    from paperarchive.store import load_store

    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    raw = os.fsencode(tmp_path) + b"/2025-11-25-\xff.txt"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(PAGE.format(title="Named Badly", date="Nov 20"))
    good = tmp_path / "2025-11-24.txt"
    good.write_text(PAGE.format(title="Named Well", date="Nov 20").replace("Nov 25", "Nov 24"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = ingest_files([Path(os.fsdecode(raw)), good], store=tmp_path / "papers", listed_on=None, strict=False,
                        out=out, err=err)
    assert (code, out.getvalue(), err.getvalue()) == (0, "added 2, updated 0, unchanged 0, problems 0\n", "")
    papers = load_store(tmp_path / "papers").papers
    assert sorted(p.title for p in papers.values()) == ["Named Badly", "Named Well"]
    listings = {source.listing for p in papers.values() for source in p.sources}
    assert listings == {"2025-11-25-\ufffd.txt", "2025-11-24.txt"}


def test_every_problem_reaches_a_terminal_escaped():
    """Problem.__str__ escapes at the cause, whichever stage quoted the untrusted text (topics, ingest, merge)."""
    from paperarchive.records import Problem

    assert str(Problem("a\x1b[31m.txt", 3, "title '\u202eevil\u2028'")) == "a\\x1b[31m.txt:3: title '\\u202eevil\\u2028'"
    assert str(Problem("b.yml", 0, "not a regular file\x07")) == "b.yml: not a regular file\\x07"
    assert str(Problem("c.txt", 1, "caf\u00e9 \\x1b stays")) == "c.txt:1: caf\u00e9 \\x1b stays"  # escaping twice changes nothing
