"""Property tests for the listing parser: render -> parse round trip (also as a browser saves the page, with
Unicode spaces in the layout), and fuzzing that never raises."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from paperarchive.parse import (
    BOILERPLATE,
    is_daily_listing,
    parse_text,
    read_listing,
    render_listing,
    unrenderable,
)
from paperarchive.records import Entry, ParseResult

# Text that must survive as written: markup, template and YAML syntax, emoji, CJK, RTL, combining
# marks, and the layout's own structure words (dates, "·", "• N authors", boilerplate).
NASTY = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "*", "**", "_", "`", "#", "|", "{{", "}}",
    "{% raw %}", "---", ": ", "&anchor", "!!python/object", "😀", "👩‍🔬", "漢字", "한국어",
    "עברית", "العربية",
    "\u202e", "e\u0301", "a\u0308\u0323", "·", "•", "• 3 authors", "  • 1 author", "Nov 25", "Jun 25, 2024 3",
    "new", "Subscribe", "Daily Papers", "byAK and the research community", "Get trending papers in your email inbox!",
    "nvidia NVIDIA", "https://github.com/x/y.", "\t", " ", "\u00a0", "\u2028", "\x0b", "\ufeff", "0",
]
# Whole fields that read like structure (they are legal, and only position tells them apart).
STRUCTURAL = ["·", "• 3 authors", "• 1 author", "Nov 25", "Dec 4, 2023", "Jun 25, 2024 3", "new", "Subscribe",
              "Daily Papers", "SubscribeAutoInt: X", "Get trending papers in your email inbox once a day!",
              "nvidia NVIDIA"]

# The layout has one line per field and strips every line: no line breaks (\n, \r) and no
# surrounding whitespace can be carried, and a field is never empty.  Surrogates are not text.
free_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"), min_size=1, max_size=40)
fragments = st.lists(st.one_of(st.sampled_from(NASTY), free_text), min_size=1, max_size=6).map("".join)
one_line = st.one_of(fragments, st.sampled_from(STRUCTURAL)).map(str.strip).filter(bool)
org_id = st.text(st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=20).filter(
    lambda text: len(text.split()) == 1 and text == text.strip() and not text.startswith("•"))
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))  # plausible ones (parse.EARLIEST)
TODAY = date(2100, 12, 31)

# What a browser's copy puts where the layout has an ASCII space (and at line ends).
UNICODE_SPACES = ["\u00a0", "\u2007", "\u202f", "\u2009", "\u3000", "\u2002", "\u205f", "\u1680", " ", "\t"]


@st.composite
def listings(draw):
    """(entries, header, file name, listed_on) for one listing that the layout can carry."""
    listed = draw(st.one_of(st.none(), dates))
    named = listed is not None and draw(st.booleans())
    name = f"{listed.isoformat()}-saved.txt" if named else "saved.txt"
    header = listed if listed is not None and draw(st.booleans()) else None
    entries = []
    previous = None
    for index in range(draw(st.integers(0, 6))):
        # The layout shows metadata only above "·" and a date, and the comment count only on the date line.
        published = draw(st.one_of(st.none(), dates.filter(lambda d: listed is None or d <= listed)))
        metadata = draw(st.sampled_from(["none", "authors", "org"])) if published else "none"
        entry = Entry(
            listing=name,
            line=0,
            listed=listed,
            title=draw(one_line),
            abstract=draw(one_line),
            published=published,
            comments=draw(st.integers(0, 10**6)) if published else 0,
            authors_count=draw(st.integers(0, 5000)) if metadata == "authors" else None,
            organization=draw(one_line) if metadata == "org" else None,
            organization_id=draw(org_id) if metadata == "org" else None,
        )
        # Only two neighbourhoods are ambiguous by position (see parse.unrenderable): a title "·" or
        # "• N authors" right after a paper with no metadata and no date, and a header-like first title
        # on a page without a header date.
        assume(unrenderable(entry, previous, first_without_header=index == 0 and header is None) is None)
        entries.append(entry)
        previous = entry
    return entries, header, name, (None if named else listed)


def line_roles(entries: list[Entry], header: date | None) -> list[str]:
    """What each line of render_listing(entries, header) is: "layout" (boilerplate, dates, "·", authors),
    "org" (an organization line), "field" (title, abstract) or "blank"."""
    roles = ["layout", "blank"] * len(BOILERPLATE) + (["layout", "blank"] if header is not None else [])
    for entry in entries:
        roles += ["field", "blank", "field", "blank"]
        if entry.authors_count is not None:
            roles.append("layout")
        elif entry.organization_id is not None:
            roles.append("org")
        if entry.published is not None:
            roles += ["layout", "layout"]
        roles.append("blank")
    return roles


def as_a_browser_saves(text: str, roles: list[str], rnd) -> str:
    """Any Unicode space where the layout has an ASCII space, and spaces at line ends."""
    lines = text.split("\n")
    assert len(lines) == len(roles)

    def pad() -> str:
        return "".join(rnd.choices(UNICODE_SPACES, k=rnd.choice((0, 0, 1, 2))))

    saved = []
    for line, role in zip(lines, roles, strict=False):
        if role == "layout":
            line = "".join(rnd.choice(UNICODE_SPACES) if ch == " " else ch for ch in line)
        elif role == "org":
            line = line.replace(" ", rnd.choice(UNICODE_SPACES), 1)  # between the one-word id and the name
        saved.append(pad() + line + pad())
    return "\n".join(saved)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(listings(), st.data())
@example(([Entry("saved.txt", 0, date(2025, 11, 25), "Nov 25", "·", date(2024, 12, 1), 3, None, "·", "x•"),
           Entry("saved.txt", 0, date(2025, 11, 25), "• 2 authors", "Dec 4, 2023", date(2025, 11, 25))],
          date(2025, 11, 25), "saved.txt", date(2025, 11, 25)), None)
def test_rendered_entries_parse_back_exactly(case, data):
    entries, header, name, listed_on = case
    if header is not None and is_daily_listing(entries[0].listed if entries else None, [e.published for e in entries]):
        entries = [dataclasses.replace(entry, rank=place) for place, entry in enumerate(entries, start=1)]
    text = render_listing(entries, header)
    result = parse_text(text, name, listed_on, today=TODAY)
    if data is not None:
        saved = as_a_browser_saves(text, line_roles(entries, header), data.draw(st.randoms(use_true_random=False)))
        assert parse_text(saved, name, listed_on, today=TODAY) == result, saved
    assert [dataclasses.replace(entry, line=0) for entry in result.entries] == entries
    lines = text.split("\n")
    assert [lines[entry.line - 1] for entry in result.entries] == [entry.title for entry in entries]
    if not entries:
        assert [problem.message for problem in result.problems] == [
            "no papers found: is this a Daily Papers listing page?"]
        return
    # Structure-looking fields may earn a "looks like" warning; nothing else may be reported.
    assert all(problem.warning and "looks like" in problem.message for problem in result.problems), result.problems


def check_result(result: ParseResult, text_lines: int) -> None:
    assert isinstance(result, ParseResult)
    assert result.entries or result.problems
    for entry in result.entries:
        assert entry.title and entry.title == entry.title.strip()
        assert entry.abstract and entry.abstract == entry.abstract.strip()
        assert 1 <= entry.line <= text_lines
        assert entry.comments >= 0
    for problem in result.problems:
        assert 1 <= problem.line <= max(text_lines, 1)
        assert problem.message


layout_lines = st.one_of(
    st.sampled_from(["", "·", "  • 2 authors", "• x authors", "Nov 20", "Nov 31 2", "Feb 29", "Jun 25, 2024 3",
                     "nvidia NVIDIA", "nvidia", "2025-11-20"] + list(BOILERPLATE)),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.text(), st.lists(layout_lines, max_size=30).map("\n".join)),
    st.sampled_from(["2025-01-01.txt", "2024-02-29-x.txt", "x.txt"]),
    st.one_of(st.none(), dates),
)
def test_random_text_never_raises(text, name, listed_on):
    result = parse_text(text, name, listed_on)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    check_result(result, lines)


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from([b"Nov 20\n", b"\xc2\xb7\n", b"  \xe2\x80\xa2 2 authors\n", b"\xef\xbb\xbf", b"\r\n",
                              b"\x93quoted\x94\n", b"\xff\xfe", b"\x00", b"Title\n", b"Abstract.\n"]),
             max_size=20).map(b"".join),
))
def test_random_bytes_never_raise(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "2025-11-25.txt"
        path.write_bytes(data)
        result = read_listing(path)
    if b"\0" in data:
        assert result.entries == () and len(result.problems) == 1 and result.problems[0].line == 1
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    check_result(result, lines)
