"""Listing pages (plain text, layout in ../shared/FORMAT.md) -> ``Entry`` records.

One pass over the lines with a small state machine.  A line's meaning comes from
where it stands, not only from how it looks, so that any title or abstract text
survives (a title may read "Nov 25" or "• 3 authors"):

* header: boilerplate lines (each phrase once), then at most one date line, the
  listing's own month and day.  A boilerplate phrase glued to the first title
  (``SubscribeAutoInt: ...``) is cut off when that phrase has no line of its own.
* then papers: a title line, an abstract line, and optionally the metadata block
  ``[metadata line] / "·" / date line``.  Right after an abstract, a line is
  metadata when it is ``• N authors`` or when the very next line is ``·`` (an
  organization line ``<org id> <display name>``); anything else starts the next
  paper.  After ``·`` (or after metadata) a date line is the paper's date.

Where the layout has a space, any Unicode space is read as one (a browser's copy holds
U+00A0 and others): in boilerplate, dates, ``• N authors``, around ``·``, between an
organization's id and name, at line ends.  Titles and abstracts keep theirs.

Dates: the listing's date is a ``YYYY-MM-DD`` at the start of the file name, else
``--listed-on``, else the header (its year inferred as one past the newest explicit
paper year, with a warning).  A year-less paper date takes the listing's year, or
the year before when that would put it after the listing's date.  A date before
1990 or after today (``today`` is a parameter, for tests), or a paper date after
its listing's, is a typo: ignored or left empty with a warning.

No header and no dated name leaves ``listed`` empty without a message: nothing is
guessed, and nothing on the page depends on it unless a paper date lacks its year,
which is then reported (the user can pass --listed-on).  A file with no listing
structure at all (no boilerplate, no header date, no ``·``, metadata or paper date)
is refused with one message: it is some other text file.

Messages quote the input with control, format (bidi) and line-separator characters
escaped (``escape_controls``), and name files with undecodable bytes as U+FFFD.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from .records import Entry, ParseResult, Problem, escape_controls

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBER = {name: number for number, name in enumerate(MONTHS, start=1)}

# Where the layout has a space, a saved page may hold any Unicode space (U+00A0 from a browser's copy,
# U+2009, U+202F, U+3000, ...): ``\s`` matches them all, as str.strip and str.split do.
# Digits are bounded so int() never meets a 5,000-digit string (it would raise).
_DATE_RE = re.compile(
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s{1,3}([0-9]{1,2})(?:,\s{1,3}([0-9]{4}))?"
    r"(?:\s{1,3}([0-9]{1,9}))?"
)
_AUTHORS_RE = re.compile(r"•\s{0,8}([0-9]{1,9})\s{1,8}authors?")
# A damaged date line (where a date must stand) rather than the next paper's title:
# "Nov 31", "November 20", "2025-11-20", "20/11/2025"; short, and not "Novel ..." or "3D ...".
_DATEISH_RE = re.compile(
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+[0-9].{0,24}"
    r"|[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}.{0,16}"
)
_NAME_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")
_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# First characters of lines that read like structure ("·", "• N authors", a date): a title or
# abstract reading like that is kept, with a warning, as it may mean a line was lost above it.
_STRUCTURE_FIRST_CHARS = frozenset("·•JFMASOND")
_STRUCTURE_MAX = 48  # longer than any date or authors line ("Sep 29, 2023 999999999", "• 999999999 authors")

SEPARATOR = "·"

# Boilerplate lines, in the order a saved page shows them (render_listing writes these).
BOILERPLATE = (
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
)
# Variants seen in other saves.
_BOILERPLATE_VARIANTS = ("Get trending papers in your email inbox once a day!",)
_BOILERPLATE_SET = frozenset(BOILERPLATE + _BOILERPLATE_VARIANTS)
# Longest first, so that a phrase is never cut short by a shorter one it starts with.
_GLUABLE = tuple(sorted(_BOILERPLATE_SET, key=len, reverse=True))
# The same phrases with any Unicode space where they have a space (a browser's copy).
_BOILERPLATE_RES = tuple((phrase, re.compile(re.escape(phrase).replace(r"\ ", r"\s+"))) for phrase in _GLUABLE)

# Dates no listing can carry: Daily Papers began in 2023, arXiv in 1991.  A date before EARLIEST or
# after today is a typo (``Jan 1, 2999``, ``Jan 1, 0001``) that would sit at either end of every
# timeline, so it is left empty with a warning.  A saved page's day may run one day ahead of the
# reader's clock (time zones), hence the day of grace.
EARLIEST = date(1990, 1, 1)
_GRACE = timedelta(days=1)

# Windows-1252 leaves five bytes undefined; map them to the same code point (as browsers do)
# so that decoding never fails.
_CP1252 = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))
_CP1252_TABLE = {b: ch for b, ch in enumerate(_CP1252) if ord(ch) != b}

_TITLE, _ABSTRACT, _AFTER_ABSTRACT, _AFTER_META, _AFTER_SEPARATOR = range(5)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


DAILY_RECENT_DAYS = 31  # a Daily Papers listing features papers published in the month before its day
DAILY_RECENT_SHARE = 0.5


def is_daily_listing(listed: date | None, published: Sequence[date | None]) -> bool:
    """Whether a dated page with a listing header is one day's Daily Papers, judged by its papers' dates.

    HF's daily listing features recent papers; a search-results page saved the same way (same header,
    same layout) lists papers of any year. So: at least half of the dated papers were published within
    DAILY_RECENT_DAYS before the listing's day, and none after it. A page with no dated paper is not
    (nothing shows it is recent: seed 004 has a header and no paper dates, and its papers are years old).
    """
    if listed is None:
        return False
    dated = [d for d in published if d is not None]
    if not dated or any(d > listed for d in dated):
        return False
    recent = sum(1 for d in dated if (listed - d).days <= DAILY_RECENT_DAYS)
    return recent >= DAILY_RECENT_SHARE * len(dated)


TODAY_VARIABLE = "PAPERARCHIVE_TODAY"  # YYYY-MM-DD: the day taken as today (synthetic archives dated ahead, tests)


def latest_plausible(today: date | None = None) -> date:
    """The last day a listing or a paper can carry: today, plus a day of grace.

    Today is ``today`` when given, else $PAPERARCHIVE_TODAY when it holds a date, else the clock's.
    """
    if today is None:
        today = _parse_iso_date(os.environ.get(TODAY_VARIABLE, "")) or date.today()
    return today + _GRACE


def implausible_reason(day: date, latest: date, listed: date | None = None) -> str | None:
    """Why ``day`` cannot be a listing's (or, given ``listed``, a paper's) date, or None when it can."""
    if day < EARLIEST:
        return f"before {EARLIEST.year}"
    if day > latest:
        return f"after today ({(latest - _GRACE).isoformat()})"
    if listed is not None and day > listed:
        return f"after the listing's date ({listed.isoformat()})"
    return None


def listing_date_from_name(name: str) -> date | None:
    """The date a file name starts with (``2025-11-21.txt``, ``2025-12-08-seed-000.txt``), else None."""
    match = _NAME_DATE_RE.match(name)
    if not match:
        return None
    return _make_date(int(match[1]), int(match[2]), int(match[3]))


def read_listing(path: Path, listed_on: date | None = None, today: date | None = None) -> ParseResult:
    """Read one listing file.  Never raises: whatever is wrong comes back as Problems.

    Entries are named by the file's name; problems by the path as given (see ``shown_path``).
    ``today`` (default: the clock's) bounds plausible dates.
    """
    shown = shown_path(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or error.__class__.__name__
        return ParseResult(problems=(Problem(shown, 1, f"cannot read the file: {reason}"),))
    if not data:
        return ParseResult(problems=(Problem(shown, 1, "the file is empty: no listing to read"),))
    nul = data.find(b"\0")
    if nul >= 0:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            message = "UTF-16 text, not UTF-8: save the page as UTF-8 to read it; skipped"
        else:
            message = f"binary file (NUL byte at offset {nul}), not a listing page: skipped"
        return ParseResult(problems=(Problem(shown, 1, message),))
    text, decode_problem = _decode(data, shown)
    result = _parse(text, readable_name(Path(path).name), shown, listed_on, today)
    if decode_problem is None:
        return result
    return ParseResult(result.entries, (decode_problem, *result.problems))


def parse_text(text: str, listing: str, listed_on: date | None = None, today: date | None = None) -> ParseResult:
    """Parse the text of one listing; ``listing`` is its file name (for Entry.listing and messages).

    ``today`` (default: the clock's) bounds plausible dates.
    """
    text = text.removeprefix("\ufeff")
    return _parse(text, listing, shown_path(listing), listed_on, today)


def readable_name(name: str | Path) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 (held as surrogates) become U+FFFD."""
    text = str(name)
    if text.isascii():
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system decoding makes
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def shown_path(path: str | Path) -> str:
    """A path as a message shows it: valid Unicode, no control character or bidi override raw."""
    return escape_controls(readable_name(path))


def print_records(files: list[Path], listed_on: str | None, out: TextIO, err: TextIO) -> int:
    """`paperarchive parse`: JSON Lines on ``out``, ``FILE:LINE: message`` on ``err``.

    Exit status 1 when any file had a problem (error or warning), 2 for a bad option, else 0.
    """
    listed_date = None
    if listed_on is not None:
        listed_date = _parse_iso_date(listed_on)
        if listed_date is None:
            err.write(f"paperarchive parse: --listed-on wants a date like 2025-11-21, not {listed_on!r}\n")
            return 2
    damaged = 0
    errors = warnings = printed = 0
    for path in files:
        result = read_listing(Path(path), listed_date)
        if result.entries:
            out.write(
                "".join(
                    json.dumps(entry.parse_json(), sort_keys=True, ensure_ascii=False) + "\n"
                    for entry in result.entries
                )
            )
            printed += len(result.entries)
        for problem in result.problems:
            err.write(f"{problem}\n")
            if problem.warning:
                warnings += 1
            else:
                errors += 1
        damaged += bool(result.problems)
    if damaged:
        err.write(
            f"paperarchive parse: {_count(errors, 'error')}, {_count(warnings, 'warning')} "
            f"in {damaged} of {_count(len(files), 'file')}; {_count(printed, 'paper')} printed\n"
        )
        return 1
    return 0


def render_listing(entries: Sequence[Entry], header: date | None) -> str:
    """Write entries in the listing layout so that parse_text gives them back.

    Dates are written without a year when they are in the listing's year and not after
    it (as the site does).  Raises ValueError for an entry the layout cannot carry
    (see ``unrenderable``).
    """
    lines: list[str] = []
    for phrase in BOILERPLATE:
        lines += [phrase, ""]
    if header is not None:
        lines += [f"{MONTHS[header.month - 1]} {header.day}", ""]
    previous: Entry | None = None
    for index, entry in enumerate(entries):
        reason = unrenderable(entry, previous, first_without_header=index == 0 and header is None)
        if reason:
            raise ValueError(f"cannot render paper {index + 1} ({entry.title[:60]!r}): {reason}")
        lines += [entry.title, "", entry.abstract, ""]
        metadata = _metadata_line(entry)
        if metadata is not None:
            lines.append(metadata)
        if entry.published is not None:
            lines += [SEPARATOR, _date_line(entry.published, entry.comments, entry.listed)]
        lines.append("")
        previous = entry
    return "\n".join(lines)


def unrenderable(entry: Entry, previous: Entry | None = None, first_without_header: bool = False) -> str | None:
    """Why the listing layout cannot carry this entry (after ``previous``), or None when it can.

    The layout has one line per field, strips lines, shows one metadata line (authors OR
    an organization) only above a "·" and a date, and carries comments on the date line.
    Two cases are ambiguous by position alone: after a paper with neither metadata nor
    date, a title "·" or "• N authors" reads as that paper's metadata; and on a page
    with no header date, a first title that is a date or boilerplate reads as header.
    """
    for name in ("title", "abstract"):
        text = getattr(entry, name)
        if not text or text != text.strip() or "\n" in text or "\r" in text:
            return f"the {name} must be one non-empty line without surrounding spaces"
    has_org = entry.organization is not None or entry.organization_id is not None
    if has_org:
        org, org_id = entry.organization, entry.organization_id
        if not org or not org_id:
            return "an organization needs both its id and its display name"
        if org != org.strip() or "\n" in org or "\r" in org:
            return "the organization must be one line without surrounding spaces"
        if len(org_id.split()) != 1 or org_id != org_id.strip() or org_id.startswith("•"):
            return "the organization id must be one word, not starting with •"
        if entry.authors_count is not None:
            return "one paper shows either an author count or an organization, not both"
    if entry.authors_count is not None and entry.authors_count < 0:
        return "the author count cannot be negative"
    if entry.comments < 0:
        return "the comment count cannot be negative"
    if entry.published is None and (has_org or entry.authors_count is not None or entry.comments):
        return "metadata and comments appear only above/with a paper date"
    if (
        previous is not None
        and previous.published is None
        and (entry.title == SEPARATOR or _AUTHORS_RE.fullmatch(entry.title))
    ):
        return "after a paper with no metadata and no date, this title would read as metadata"
    if first_without_header:
        scan = _scan_header(list(BOILERPLATE) + [entry.title])
        if scan.header is not None or scan.first_title != entry.title:
            return "with no header date, this first title would read as part of the header"
    return None


# ---------------------------------------------------------------------------
# Reading bytes
# ---------------------------------------------------------------------------


def _decode(data: bytes, shown: str) -> tuple[str, Problem | None]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1  # as _parse counts lines
        bad = data[error.start]
        text = data.decode("latin-1").translate(_CP1252_TABLE)
        return text, Problem(
            shown, line, f"not valid UTF-8 (byte 0x{bad:02X} on this line): read as Windows-1252", warning=True
        )


# ---------------------------------------------------------------------------
# Parsing text
# ---------------------------------------------------------------------------


class _Header:
    __slots__ = ("boilerplate", "first_title", "header", "header_line", "start")

    def __init__(self, start: int, header, header_line: int, first_title: str | None, boilerplate: bool):
        self.start = start  # index of the first line after the header
        self.header = header  # the header's date match, or None
        self.header_line = header_line
        self.first_title = first_title  # the first title when it was glued to boilerplate (or scanned)
        self.boilerplate = boilerplate  # whether any boilerplate phrase was found


def _scan_header(lines: list[str]) -> _Header:
    """Find where the papers start: skip boilerplate (each phrase once) up to one date line."""
    seen: set[str] = set()
    for index, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            continue
        phrase = _boilerplate_phrase(text)
        if phrase is not None and phrase not in seen:
            seen.add(phrase)
            continue
        match = _DATE_RE.fullmatch(text)
        if match:
            return _Header(index + 1, match, index + 1, None, bool(seen))
        unglued = _unglue(text, seen)
        if unglued != text:
            match = _DATE_RE.fullmatch(unglued)
            if match:
                return _Header(index + 1, match, index + 1, None, True)
        # The first title starts here (possibly with boilerplate cut off its front).
        return _Header(index, None, 0, unglued, bool(seen))
    return _Header(len(lines), None, 0, None, bool(seen))


def _boilerplate_phrase(text: str) -> str | None:
    """The boilerplate phrase a (stripped) line is, whatever Unicode spaces it holds, else None."""
    if text in _BOILERPLATE_SET:
        return text
    for phrase, pattern in _BOILERPLATE_RES:
        if pattern.fullmatch(text):
            return phrase
    return None


def _unglue(text: str, seen: set[str]) -> str:
    """Cut boilerplate phrases glued to the front of a line, when the phrase has no line of its own."""
    changed = True
    while changed:
        changed = False
        for phrase, pattern in _BOILERPLATE_RES:
            glued = pattern.match(text) if phrase not in seen else None
            if glued and glued.end() < len(text):
                rest = text[glued.end() :]
                # "Subscribers..." or "newly..." are words, not glued boilerplate.
                if rest[0].islower() or not rest.strip():
                    continue
                seen.add(phrase)
                text = rest.strip()
                changed = True
                break
    return text


def _parse(text: str, name: str, shown: str, listed_on: date | None, today: date | None) -> ParseResult:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    problems: list[Problem] = []
    head = _scan_header(lines)
    latest = latest_plausible(today)

    # Raw papers: [line, title, abstract, authors, org, org_id, date_match, date_line]
    raw: list[list] = []
    newest_year = 0
    authors_re = _AUTHORS_RE.fullmatch
    date_re = _DATE_RE.fullmatch
    structure_chars = _STRUCTURE_FIRST_CHARS

    state = _TITLE
    current: list = []
    separators = 0
    count = len(lines)
    index = head.start
    if head.first_title is not None:
        # The header scan already read the first title (maybe unglued from boilerplate).
        current = [index + 1, head.first_title, None, None, None, None, None, 0]
        if head.first_title[0] in structure_chars:
            _check_structure(head.first_title, "title", index + 1, shown, problems)
        state = _ABSTRACT
        index += 1

    while index < count:
        text = lines[index].strip()
        index += 1
        if not text:
            continue
        if state == _AFTER_ABSTRACT:
            first = text[0]
            if first == "·" and text == SEPARATOR:
                separators += 1
                state = _AFTER_SEPARATOR
                continue
            if first == "•":
                match = authors_re(text)
                if match:
                    current[3] = int(match[1])
                    state = _AFTER_META
                    continue
            if index < count and lines[index].strip() == SEPARATOR:
                _read_metadata(text, current, index, shown, problems)
                state = _AFTER_META
                continue
            raw.append(current)
            state = _TITLE
        elif state == _AFTER_META or state == _AFTER_SEPARATOR:
            if state == _AFTER_META and text == SEPARATOR:
                separators += 1
                state = _AFTER_SEPARATOR
                continue
            match = date_re(text)
            if match:
                current[6] = match
                current[7] = index
                if match[3] and newest_year < int(match[3]) <= latest.year:  # a typo'd year dates nothing
                    newest_year = int(match[3])
                raw.append(current)
                state = _TITLE
                continue
            raw.append(current)
            if state == _AFTER_SEPARATOR and _DATEISH_RE.fullmatch(text):
                problems.append(
                    Problem(
                        shown,
                        index,
                        f"paper date {_q(text)} is not like \"Nov 20\" or \"Jun 25, 2024\" (then the comment "
                        "count, if any): published left empty",
                    )
                )
                state = _TITLE
                continue
            what = '"·"' if state == _AFTER_SEPARATOR else f"metadata {_q(_metadata_text(current))}"
            problems.append(
                Problem(
                    shown,
                    index,
                    f"paper {_q(current[1])} has {what} but no date after it (this line is read as the next "
                    "title): published left empty",
                )
            )
            state = _TITLE
        if state == _TITLE:
            current = [index, text, None, None, None, None, None, 0]
            if len(text) < _STRUCTURE_MAX and text[0] in structure_chars:
                _check_structure(text, "title", index, shown, problems)
            state = _ABSTRACT
        else:  # _ABSTRACT
            current[2] = text
            if len(text) < _STRUCTURE_MAX and text[0] in structure_chars:
                _check_structure(text, "abstract of " + _q(current[1]), index, shown, problems)
            state = _AFTER_ABSTRACT

    if state == _ABSTRACT:
        problems.append(
            Problem(shown, current[0], f"title {_q(current[1])} has no abstract (file ends): paper skipped")
        )
    elif state == _AFTER_ABSTRACT:
        raw.append(current)
    elif state == _AFTER_META or state == _AFTER_SEPARATOR:
        what = '"·"' if state == _AFTER_SEPARATOR else f"metadata {_q(_metadata_text(current))}"
        problems.append(
            Problem(
                shown,
                current[0],
                f"paper {_q(current[1])} has {what} but no date after it (file ends): published left empty",
            )
        )
        raw.append(current)

    if (raw or problems) and not _has_structure(head, separators, raw):
        message = (
            'no listing structure (no header, no "• N authors" or organization line, no paper date): '
            "not a Daily Papers listing page; skipped"
        )
        return ParseResult((), (Problem(shown, 1, message),))
    listed = _listing_date(name, shown, listed_on, head, newest_year, latest, problems)
    entries = _entries(raw, name, shown, listed, latest, problems)
    if head.header is not None and is_daily_listing(listed, [e.published for e in entries]):
        entries = [dataclasses.replace(e, rank=place) for place, e in enumerate(entries, start=1)]
    if not entries and not problems:
        problems.append(Problem(shown, 1, "no papers found: is this a Daily Papers listing page?", warning=True))
    problems.sort(key=lambda problem: problem.line)
    return ParseResult(tuple(entries), tuple(problems))


def _has_structure(head: _Header, separators: int, raw: list[list]) -> bool:
    """Whether anything on the page is listing layout: boilerplate, a header date, "·", metadata or a date."""
    return bool(head.boilerplate or head.header or separators) or any(
        r[3] is not None or r[5] or r[6] for r in raw
    )


def _read_metadata(text: str, current: list, line: int, shown: str, problems: list[Problem]) -> None:
    """An organization line ``<org id> <display name>`` (the line above a "·")."""
    parts = text.split(None, 1)
    if text[0] == "•" or len(parts) < 2:
        problems.append(
            Problem(
                shown,
                line,
                f"metadata line {_q(text)} is neither \"• N authors\" nor \"<org id> <display name>\": "
                "metadata left empty",
            )
        )
        return
    current[4] = parts[1].strip()
    current[5] = parts[0]


def _metadata_text(current: list) -> str:
    if current[3] is not None:
        return f"• {current[3]} author{'' if current[3] == 1 else 's'}"
    if current[5] is not None:
        return f"{current[5]} {current[4]}"
    return ""


def _check_structure(text: str, what: str, line: int, shown: str, problems: list[Problem]) -> None:
    if text == SEPARATOR:
        looks = 'the "·" separator'
    elif _AUTHORS_RE.fullmatch(text):
        looks = "an authors line"
    elif _DATE_RE.fullmatch(text):
        looks = "a paper date"
    else:
        return
    message = f"{what} {_q(text)} looks like {looks}: is a line missing above it?"
    problems.append(Problem(shown, line, message, warning=True))


def _listing_date(
    name: str,
    shown: str,
    listed_on: date | None,
    head: _Header,
    newest_year: int,
    latest: date,
    problems: list[Problem],
) -> date | None:
    """The listing's date: from the file name, else --listed-on, else the header; an implausible one is ignored.

    A file name dated after today (``2205-11-25.txt``, a typo) is ignored with a warning rather than
    refusing the file: its papers, abstracts and metadata are still good, and the listing is then dated
    as if its name carried no date (--listed-on, or the header); re-ingesting it under the right name
    dates it.
    """
    from_name = listing_date_from_name(name)
    if from_name is None and _NAME_DATE_RE.match(name):
        message = f"the file name starts with {name[:10]!r}, which is not a real date: ignored"
        problems.append(Problem(shown, 1, message, warning=True))
    if from_name is not None and _implausible(from_name, latest, problems, shown, 1, "the file name's date"):
        from_name = None
    if listed_on is not None and _implausible(listed_on, latest, problems, shown, 1, "--listed-on"):
        listed_on = None
    listed, source = (from_name, "the file name") if from_name else (listed_on, "--listed-on")
    match = head.header
    if match is None:
        return listed
    month, day = _MONTH_NUMBER[match[1]], int(match[2])
    header_text = _date_text(match)
    if listed is not None:
        if (month, day) != (listed.month, listed.day) or (match[3] and int(match[3]) != listed.year):
            problems.append(
                Problem(
                    shown,
                    head.header_line,
                    f"the header says {_q(header_text)} but the listing's date is {listed.isoformat()} "
                    f"(from {source}): using {listed.isoformat()}",
                    warning=True,
                )
            )
        return listed
    if match[3]:
        year = int(match[3])
    elif newest_year:
        year = newest_year + 1
    else:
        return None  # a month and day of an unknown year: nothing to guess from
    listed = _make_date(year, month, day)
    if listed is None:
        message = f"the header date {_q(header_text)} does not exist in {year}: listing date left empty"
        problems.append(Problem(shown, head.header_line, message))
    elif _implausible(listed, latest, problems, shown, head.header_line, f"the header date {_q(header_text)}"):
        return None
    elif not match[3]:
        problems.append(
            Problem(
                shown,
                head.header_line,
                f"the header {_q(header_text)} has no year: assumed {year}, one past the newest year on the page; "
                f"name the file {listed.isoformat()}-....txt or pass --listed-on to be sure",
                warning=True,
            )
        )
    return listed


def _entries(
    raw: list[list], name: str, shown: str, listed: date | None, latest: date, problems: list[Problem]
) -> list[Entry]:
    entries = []
    unresolved: list[tuple[int, str]] = []
    month_number = _MONTH_NUMBER
    for line, title, abstract, authors, org, org_id, match, date_line in raw:
        published = None
        comments = 0
        if match is not None:
            month_name, day, year, count = match.groups()
            if count:
                comments = int(count)
            if year is None and listed is not None:
                # The common case, inline: a year-less date in (or just before) the listing's year.
                try:
                    published = date(listed.year, month_number[month_name], int(day))
                except ValueError:
                    published = None
                if published is None or published > listed:
                    published = _published(match, listed, date_line, shown, problems, unresolved)
            else:
                published = _published(match, listed, date_line, shown, problems, unresolved)
            # (a listing's own date is never after ``latest``: _listing_date checked it)
            if published is not None and not EARLIEST <= published <= (listed or latest):
                what = f"paper date {_q(_date_text(match))}"
                _implausible(published, latest, problems, shown, date_line, what, listed)
                published = None
        entries.append(
            Entry(
                listing=name,
                line=line,
                listed=listed,
                title=title,
                abstract=abstract,
                published=published,
                comments=comments,
                authors_count=authors,
                organization=org,
                organization_id=org_id,
            )
        )
    if unresolved:
        more = f" (and {len(unresolved) - 1} more)" if len(unresolved) > 1 else ""
        problems.append(
            Problem(
                shown,
                unresolved[0][0],
                f"paper date {_q(unresolved[0][1])} has no year and the listing's year is unknown{more}: "
                "published left empty; name the file YYYY-MM-DD-....txt or pass --listed-on",
                warning=True,
            )
        )
    return entries


def _implausible(
    day: date, latest: date, problems: list[Problem], shown: str, line: int, what: str, listed: date | None = None
) -> bool:
    """Whether ``day`` cannot be a real listing's or paper's date; if so, say why (a warning)."""
    why = implausible_reason(day, latest, listed)
    if why is None:
        return False
    left = "left empty" if what.startswith("paper date") else "ignored"
    problems.append(Problem(shown, line, f"{what} is {day.isoformat()}, {why}: {left}", warning=True))
    return True


def _published(match, listed, line, shown, problems, unresolved) -> date | None:
    month, day = _MONTH_NUMBER[match[1]], int(match[2])
    if match[3]:
        year = int(match[3])
        published = _make_date(year, month, day)
    elif listed is None:
        unresolved.append((line, _date_text(match)))
        return None
    else:
        year = listed.year
        published = _make_date(year, month, day)
        if published is not None and published > listed:
            year -= 1
            published = _make_date(year, month, day)
    if published is None:
        message = f"paper date {_q(_date_text(match))} does not exist in {year}: published left empty"
        problems.append(Problem(shown, line, message))
    return published


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def _metadata_line(entry: Entry) -> str | None:
    if entry.authors_count is not None:
        word = "author" if entry.authors_count == 1 else "authors"
        return f"  • {entry.authors_count} {word}"
    if entry.organization_id is not None:
        return f"{entry.organization_id} {entry.organization}"
    return None


def _date_line(published: date, comments: int, listed: date | None) -> str:
    text = f"{MONTHS[published.month - 1]} {published.day}"
    if listed is None or published.year != listed.year or published > listed:
        text += f", {published.year:04d}"
    if comments:
        text += f" {comments}"
    return text


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _date_text(match) -> str:
    """The date part of a date line, without the comment count."""
    return f"{match[1]} {match[2]}, {match[3]}" if match[3] else f"{match[1]} {match[2]}"


def _make_date(year: int, month: int, day: int) -> date | None:
    if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 30 February and the like
        return None


def _parse_iso_date(text: str) -> date | None:
    if not _ISO_DATE_RE.fullmatch(text):
        return None
    return _make_date(int(text[:4]), int(text[5:7]), int(text[8:]))


def _q(text: str, limit: int = 60) -> str:
    """Quote a piece of the input for a message, shortened, with control and bidi characters escaped."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{escape_controls(text)}"'


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
