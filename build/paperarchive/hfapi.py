"""The second input: Hugging Face ``api/daily_papers`` responses, read into ``Entry`` records.

Three shapes occur in the real archive and are accepted; anything else is refused
with one ``FILE:LINE: not a Hugging Face daily_papers response: ...`` problem:

1. a JSON list of paper objects (the endpoint's own response);
2. a JSON list whose entries are strings holding Python literals of those objects
   (one archive day was saved with ``str(dict)``); read with ``ast.literal_eval``;
3. an object wrapping the list: ``{"status": "success", "date": "YYYY-MM-DD",
   "count": N, "data": [...]}``.

Where each field comes from (checked against all eleven real files and the
truth records of the same listings in corpus/hf-daily/expected.jsonl):

* title: the top-level ``title``, whitespace collapsed.  ``paper.title`` is arXiv's
  raw title (hard line breaks, sometimes different markup such as ``\\textsc{}``
  dropped), and the listing page shows the top-level one.
* abstract: ``paper.summary`` (the top-level ``summary`` is missing from files
  before mid-2025), whitespace collapsed.
* published: the UTC date of ``paper.publishedAt``.  The top-level ``publishedAt``
  changed meaning over time (in older files the time it was put on the daily
  page, in newer ones a time-zone-shifted copy) and disagrees with the listing
  for 62 of the 173 real papers; ``paper.publishedAt`` agrees for all.
* organization / organization_id: ``organization.fullname`` / ``organization.name``
  (the object sits both at top level and inside ``paper`` from late 2025 on),
  made one line and stripped, as a listing's ``<org id> <display name>`` line
  shows them; inner double spaces are kept, because the listing keeps them.
* authors: every ``paper.authors[].name`` in order, hidden or not (``hidden``
  hides the paper from that user's profile, not the name from the paper);
  authors_count is their number.  The listing shows a count only for papers
  without an organization, so the text parser leaves it None for the others.
* ai_summary, keywords (``ai_keywords``), github_stars (``githubStars``): Hugging Face's own AI
  summary and keywords of the paper and its repository's stars at capture, where the file has them.
* author_profiles: the authors whose ``user`` object names a Hugging Face user (they claimed the
  paper): the author's name and ``user.user``.
* listed: the date at the start of the file name; else the caller's
  ``listed_on``; else the wrapper's ``date``; else the date of the paper's
  ``paper.submittedOnDailyAt``.  Never the top-level ``publishedAt`` (see above).

One bad value costs only itself: a date that cannot be (before 1990, after today,
a paper published after its listing's day, a time zone overflowing the calendar),
a number too long for Python to read, or a string holding a lone surrogate (a
``\ud800`` escape, which no UTF-8 file can hold) is left out or replaced by U+FFFD
with a warning naming the paper; the rest of the paper and of the file is read.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .parse import implausible_reason, latest_plausible, readable_name, shown_path
from .records import AuthorProfile, Entry, ParseResult, Problem

REFUSAL = "not a Hugging Face daily_papers response"

_JSON_WS = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"
_FILE_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_ARXIV_ID_RE = re.compile(r"^\d{4}\.\d{4,5}$")
_LINE_BREAKS_RE = re.compile(r"[^\S ]+")  # any whitespace except the plain space
# JSON "\ud800" escapes decode to lone surrogates, which no UTF-8 file can hold
_LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_SHOWN_CHARS = 60  # how much of an untrusted value a message quotes


# ---------------------------------------------------------------------------
# Detection


def looks_like_api_json(data: bytes) -> bool:
    """Whether ``data`` (a whole file, or its first bytes) is JSON rather than listing text.

    Decided by the content, not its first character: a listing's first title may read
    ``[1] Title``, ``[true story]`` or ``{Braces}``.  ``data`` is JSON when, after an optional
    UTF-8 BOM and whitespace, it starts with ``[`` or ``{`` and either parses as JSON, or is
    valid JSON up to its end (a truncated file, or the first bytes of a file), or has the shape
    of a damaged response: a list whose first entry is a whole object (or a string holding one),
    an object whose first member is a string key and its colon.  Those are refused as invalid
    JSON; anything else is listing text.
    """
    start = len(_BOM) if data.startswith(_BOM) else 0
    first = _skip_ws(data, start)
    if first >= len(data) or data[first : first + 1] not in (b"[", b"{"):
        return False
    text = data[first:].decode("utf-8", "replace")
    try:
        json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as error:
        return _json_ends_at(text, error.pos) or _response_shaped(text)
    except (RecursionError, MemoryError):
        return True  # nested past what Python reads: JSON, refused as too deeply nested
    return True


# The start of a number, or of a string never closed.
_TOKEN_START_RE = re.compile(r'-?[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]*)?|"(?:[^"\\]|\\.)*\\?')
_CUT_ESCAPE_RE = re.compile(r"u[0-9a-fA-F]{0,3}")  # what follows the "\\" of a \\uXXXX escape cut short


def _json_ends_at(text: str, pos: int) -> bool:
    """Whether a JSON error at ``pos`` is only the text running out (a truncated file, or a file's head).

    The decoder stops at the start of the token it could not read; the text ran out if what is
    left is the start of one token: part of a literal, a number, or a string never closed.
    """
    rest = text[pos:].rstrip(" \t\r\n")
    if not rest:
        return True
    if any(word.startswith(rest) for word in ("true", "false", "null")):
        return True
    if text[pos - 1] == "\\" and _CUT_ESCAPE_RE.fullmatch(rest):
        return True
    return _TOKEN_START_RE.fullmatch(rest) is not None


def _response_shaped(text: str) -> bool:
    try:
        if text[0] == "{":
            at = _WS_RE.match(text, 1).end()
            key, at = _DECODER.raw_decode(text, at)
            return isinstance(key, str) and text.startswith(":", _WS_RE.match(text, at).end())
        at = _WS_RE.match(text, 1).end()
        value, _ = _DECODER.raw_decode(text, at)
    except (json.JSONDecodeError, ValueError, RecursionError):
        return False
    return isinstance(value, dict) or (isinstance(value, str) and value.lstrip().startswith("{"))


def _skip_ws(data: bytes, index: int) -> int:
    while index < len(data) and data[index] in _JSON_WS:
        index += 1
    return index


# ---------------------------------------------------------------------------
# Reading a file


def read_api_file(path: Path, listed_on: date | None = None, today: date | None = None) -> ParseResult:
    """Read one daily_papers API file.  Never raises: what is wrong becomes a Problem.

    ``listed_on`` is the listing date to use when the file name starts with none; ``today``
    (default: the clock's) bounds plausible dates.
    """
    shown = shown_path(path)  # problems name the path as given, entries the file name
    name = readable_name(Path(path).name)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return _refused(shown, 1, f"cannot read the file: {exc.strerror or exc}", prefix=False)
    latest = latest_plausible(today)
    try:
        return _read_api_bytes(data, shown, name, listed_on, latest)
    except (RecursionError, MemoryError) as exc:  # absurd nesting or size: refuse, never crash the run
        return _refused(shown, 1, f"too deeply nested or too large to read ({type(exc).__name__})")


def _read_api_bytes(data: bytes, shown: str, name: str, listed_on: date | None, latest: date) -> ParseResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return _refused(shown, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line})")
    try:
        document = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        if not looks_like_api_json(data):
            return _refused(shown, 1, f"not JSON: it starts with {_shown(text.lstrip()[:_SHOWN_CHARS])}")
        return _refused(shown, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")

    problems: list[Problem] = []
    listed = _plausible(_date_from_file_name(name), latest, "the file name's date", shown, 1, problems) or (
        _plausible(listed_on, latest, "--listed-on", shown, 1, problems)
    )
    if isinstance(document, list):
        items = _located_items(text, document)
    elif isinstance(document, dict):
        wrapped = document.get("data")
        if not isinstance(wrapped, list):
            return _refused(shown, 1, f"a JSON object without a \"data\" list of papers (keys: {_keys(document)})")
        items = _located_items(text, wrapped, key="data")
        problems.extend(_check_wrapper(document, len(wrapped), shown))
        listed = listed or _plausible(_wrapper_date(document), latest, 'the "date"', shown, 1, problems)
    else:
        return _refused(shown, 1, f"a JSON {_kind(document)}, not a list of papers")

    return _read_items(items, shown, name, listed, latest, problems)


@dataclass(frozen=True)
class _Item:
    index: int
    line: int
    value: Any


def _read_items(
    items: list[_Item], shown: str, name: str, listed: date | None, latest: date, problems: list[Problem]
) -> ParseResult:
    papers: list[tuple[_Item, dict]] = []
    rejects: list[tuple[_Item, str]] = []
    for item in items:
        paper, why = _as_paper_object(item.value)
        if paper is None:
            rejects.append((item, why))
        else:
            papers.append((item, paper))
    if rejects and not papers:
        item, why = rejects[0]
        entries = f"{len(rejects)} entries" if len(rejects) > 1 else "1 entry"
        return _refused(shown, item.line, f"a list of {entries}, none of them a paper object (entry {item.index} is {why})")

    entries: list[Entry] = []
    for item, why in rejects:
        problems.append(Problem(shown, item.line, f"paper {item.index}: skipped, not a paper object: it is {why}"))
    for item, paper in papers:
        entry, found = _entry_from_paper(paper, shown, name, item, listed, latest)
        problems.extend(found)
        if entry is not None:
            # the API lists a day's papers in HF's order: every API file is a daily listing
            entries.append(dataclasses.replace(entry, rank=len(entries) + 1))
    problems.sort(key=lambda p: (p.line, p.message))
    return ParseResult(entries=tuple(entries), problems=tuple(problems))


def _refused(shown: str, line: int, why: str, prefix: bool = True) -> ParseResult:
    message = f"{REFUSAL}: {why}" if prefix else why
    return ParseResult(problems=(Problem(shown, line, message),))


# ---------------------------------------------------------------------------
# The three shapes


def _as_paper_object(value: Any) -> tuple[dict | None, str]:
    """The paper object an entry holds, or None and what the entry is instead."""
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return None, f"a string that is not a Python literal ({_shown(value[:_SHOWN_CHARS])})"
        if not isinstance(value, dict):
            return None, f"a string holding a Python {_kind(value)}"
    if not isinstance(value, dict):
        return None, f"a JSON {_kind(value)}"
    if not isinstance(value.get("paper"), dict):
        return None, f'an object without a "paper" object (keys: {_keys(value)})'
    return value, ""


def _check_wrapper(document: dict, found: int, shown: str) -> list[Problem]:
    problems = []
    status = document.get("status")
    if status is not None and status != "success":
        problems.append(Problem(shown, 1, f'the response says "status": {_shown(status)}', warning=True))
    count = document.get("count")
    if isinstance(count, int) and not isinstance(count, bool) and count != found:
        problems.append(Problem(shown, 1, f'"count" says {count} papers but "data" holds {found}', warning=True))
    return problems


def _wrapper_date(document: dict) -> date | None:
    value = document.get("date")
    return _iso_date(value) if isinstance(value, str) else None


# ---------------------------------------------------------------------------
# One paper


def _entry_from_paper(
    obj: dict, shown: str, name: str, item: _Item, listed: date | None, latest: date
) -> tuple[Entry | None, list[Problem]]:
    paper = obj["paper"]
    where = f"paper {item.index}"
    problems: list[Problem] = []

    def warn(message: str) -> None:
        problems.append(Problem(shown, item.line, f"{where}: {message}", warning=True))

    replaced = _fields_with_surrogates(obj)
    if replaced:
        fields = ", ".join(f'"{field}"' for field in replaced)
        warn(f"{fields}: lone surrogates (\\ud800-\\udfff escapes, not text) replaced by U+FFFD")
    title = _one_spaced(_first_text(obj.get("title"), paper.get("title")))
    abstract = _one_spaced(_first_text(paper.get("summary"), obj.get("summary")))
    missing = [field for field, value in (("title", title), ("summary", abstract)) if not value]
    if missing:
        problems.append(Problem(shown, item.line, f"{where}: skipped, it has no {' and no '.join(missing)}"))
        return None, problems

    authors, all_named = _author_names(paper.get("authors"))
    if not all_named:
        warn('"authors" is not a list of objects with a "name"; names that could not be read are left out')
    organization, organization_id = _organization(paper.get("organization") or obj.get("organization"))
    arxiv_id = _text(paper.get("id"))
    if arxiv_id is not None and not _ARXIV_ID_RE.fullmatch(arxiv_id):
        warn(f'"id" {_shown(arxiv_id)} is not an arXiv id; left out')
        arxiv_id = None
    if listed is None:
        listed = _date_field(paper.get("submittedOnDailyAt"), "submittedOnDailyAt", warn, latest)
    entry = Entry(
        listing=name,
        line=item.line,
        listed=listed,
        title=title,
        abstract=abstract,
        published=_date_field(paper.get("publishedAt"), "publishedAt", warn, latest, listed),
        comments=_count(obj.get("numComments"), "numComments", warn) or 0,
        authors_count=len(paper["authors"]) if isinstance(paper.get("authors"), list) else None,
        organization=organization,
        organization_id=organization_id,
        authors=authors,
        arxiv_id=arxiv_id,
        upvotes=_count(paper.get("upvotes"), "upvotes", warn),
        github=_web_link(paper.get("githubRepo"), "githubRepo", warn),
        project_page=_web_link(paper.get("projectPage"), "projectPage", warn),
        keywords=_keywords(paper.get("ai_keywords")),
        ai_summary=_one_spaced(paper.get("ai_summary")) or None,
        github_stars=_count(paper.get("githubStars"), "githubStars", warn),
        author_profiles=_author_profiles(paper.get("authors")),
    )
    return entry, problems


def _author_names(value: Any) -> tuple[tuple[str, ...], bool]:
    if value is None:
        return (), True
    if not isinstance(value, list):
        return (), False
    names = [_one_spaced(a.get("name")) if isinstance(a, dict) else "" for a in value]
    return tuple(n for n in names if n), all(names)


# a Hugging Face user name: letters, digits, "-", "_", "." (it becomes a path segment of huggingface.co)
_USER_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}")


def _author_profiles(value: Any) -> tuple[AuthorProfile, ...]:
    """The authors who claimed the paper: ``authors[].user.user`` (their Hugging Face user name), in order."""
    if not isinstance(value, list):
        return ()
    found = []
    for author in value:
        user = author.get("user") if isinstance(author, dict) else None
        name = _one_spaced(author.get("name")) if isinstance(author, dict) else ""
        handle = user.get("user") if isinstance(user, dict) else None
        if name and isinstance(handle, str) and _USER_NAME_RE.fullmatch(handle) and ".." not in handle:
            found.append(AuthorProfile(name, handle))
    return tuple(dict.fromkeys(found))


def _organization(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    org_id = _one_line(value.get("name"))
    display = _one_line(value.get("fullname")) or org_id
    return display, org_id


def _keywords(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    words = (_one_spaced(word) for word in value)
    return tuple(dict.fromkeys(word for word in words if word))


def _count(value: Any, field: str, warn) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    warn(f'"{field}" is {_shown(value)}, not a count; left out')
    return None


def _web_link(value: Any, field: str, warn) -> str | None:
    link = _text(value)
    if link is None:
        return None
    if _LONE_SURROGATE_RE.search(link):
        warn(f'"{field}" {_shown(link)} holds a lone surrogate (a \\ud800-\\udfff escape, not text); left out')
        return None
    if re.match(r"^https?://[^\s<>\"]+$", link, re.IGNORECASE):
        return link
    warn(f'"{field}" {_shown(link)} is not an http(s) link; left out')
    return None


# ---------------------------------------------------------------------------
# Small helpers


def _text(value: Any) -> str | None:
    """A non-empty stripped string, or None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _first_text(*values: Any) -> str:
    for value in values:
        if _text(value):
            return value
    return ""


def _one_spaced(value: Any) -> str:
    """Whitespace collapsed, as a listing page's single line shows a title or abstract."""
    if not isinstance(value, str):
        return ""
    return " ".join((value if value.isascii() else _LONE_SURROGATE_RE.sub("\ufffd", value)).split())


def _one_line(value: Any) -> str | None:
    """Line breaks and tabs made spaces, ends stripped, inner spacing kept (an organization line)."""
    if not isinstance(value, str):
        return None
    return _LINE_BREAKS_RE.sub(" ", _LONE_SURROGATE_RE.sub("\ufffd", value)).strip() or None


def _iso_date(value: Any) -> date | None:
    """The UTC date of an ISO 8601 timestamp or date, or None (also when it overflows the calendar in UTC)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):  # "9999-12-31T23:59:59-23:59" is in year 10000 in UTC
        return None
    return moment.date()


def _date_field(value: Any, field: str, warn, latest: date, listed: date | None = None) -> date | None:
    """A paper's date field: its UTC date, or None with a warning when it is not one or cannot be."""
    if value is None:
        return None
    day = _iso_date(value)
    if day is None:
        warn(f'"{field}" {_shown(value)} is not an ISO 8601 date and time this archive can hold; left out')
        return None
    why = implausible_reason(day, latest, listed)
    if why:
        warn(f'"{field}" {_shown(value)} is {why}; left out')
        return None
    return day


def _plausible(
    day: date | None, latest: date, what: str, shown: str, line: int, problems: list[Problem]
) -> date | None:
    """A listing date, or None with a warning when it cannot be one (see _implausible_why)."""
    why = implausible_reason(day, latest) if day is not None else None
    if why:
        problems.append(Problem(shown, line, f"{what} {day.isoformat()} is {why}: ignored", warning=True))
        return None
    return day


def _date_from_file_name(name: str) -> date | None:
    match = _FILE_DATE_RE.match(name)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


class _HugeNumber:
    """A JSON integer longer than Python reads (int() refuses over sys.get_int_max_str_digits() digits)."""

    def __init__(self, digits: int):
        self.digits = digits

    def __repr__(self) -> str:
        return f"a number of {self.digits:,} digits"


def _bounded_int(text: str) -> int | _HugeNumber:
    limit = sys.get_int_max_str_digits()
    digits = len(text) - text.startswith("-")
    return _HugeNumber(digits) if limit and digits > limit else int(text)


def _fields_with_surrogates(obj: dict) -> list[str]:
    """The fields an Entry takes from ``obj`` whose text holds a lone surrogate (in the order read)."""
    paper = obj["paper"]
    organization = paper.get("organization") or obj.get("organization")
    candidates = [
        ("title", obj.get("title")), ("paper.title", paper.get("title")),
        ("summary", obj.get("summary")), ("paper.summary", paper.get("summary")),
        ("paper.authors", [a.get("name") for a in paper["authors"] if isinstance(a, dict)]
         if isinstance(paper.get("authors"), list) else None),
        ("organization", [organization.get("name"), organization.get("fullname")]
         if isinstance(organization, dict) else None),
        ("paper.ai_keywords", paper.get("ai_keywords")),
        ("paper.ai_summary", paper.get("ai_summary")),
    ]
    found = []
    for field, value in candidates:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and not t.isascii() and _LONE_SURROGATE_RE.search(t) for t in texts):
            found.append(field)
    return found


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple, set)):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _keys(obj: dict) -> str:
    keys = [_shown(str(key)[:_SHOWN_CHARS]) for key in list(obj)[:6]]
    return ", ".join(keys) + (", ..." if len(obj) > 6 else "") if keys else "none"


def _shown(value: Any) -> str:
    """A value quoted for a one-line message: JSON-escaped, never raw control characters."""
    text = json.dumps(value, ensure_ascii=True) if isinstance(value, str) else repr(value)
    return text if len(text) <= _SHOWN_CHARS + 2 else text[:_SHOWN_CHARS] + "..."


# ---------------------------------------------------------------------------
# Line numbers of the list's entries


def _line_numbers(text: str, offsets: list[int]) -> list[int]:
    """1-based line of each (ascending) offset, counting newlines once through the text."""
    lines, line, previous = [], 1, 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        previous = offset
        lines.append(line)
    return lines


def _located_items(text: str, values: list, key: str | None = None) -> list[_Item]:
    """The list's entries with the line each starts on (1 for all when it cannot be found cheaply)."""
    try:
        offsets = _entry_offsets(text, key)
    except (ValueError, IndexError):
        offsets = []
    if len(offsets) != len(values):
        offsets = [0] * len(values)
    lines = _line_numbers(text, offsets)
    return [_Item(i, line, value) for i, (line, value) in enumerate(zip(lines, values, strict=False))]


_DECODER = json.JSONDecoder(parse_int=_bounded_int)  # reads what json.loads read, huge numbers too
_WS_RE = re.compile(r"[ \t\r\n]*")


def _entry_offsets(text: str, key: str | None) -> list[int]:
    """Character offsets of the top-level list's entries (of ``text[key]`` when wrapped).

    Walks one level with the C scanner (``raw_decode``), so it costs one more
    parse of the list; the text is already known to be valid JSON.
    """
    at = _WS_RE.match(text, 1 if text.startswith("\ufeff") else 0).end()
    if key is not None:
        at = _member_offset(text, at, key)
    return _element_offsets(text, at)


def _member_offset(text: str, at: int, key: str) -> int:
    if text[at] != "{":
        raise ValueError("not an object")
    found = -1
    at = _WS_RE.match(text, at + 1).end()
    while text[at] != "}":
        name, at = _DECODER.raw_decode(text, at)
        at = _WS_RE.match(text, at).end() + 1  # past ':'
        at = _WS_RE.match(text, at).end()
        if name == key:
            found = at  # json.loads keeps the last of duplicate keys; so do we
        _, at = _DECODER.raw_decode(text, at)
        at = _WS_RE.match(text, at).end()
        if text[at] == ",":
            at = _WS_RE.match(text, at + 1).end()
    if found < 0:
        raise ValueError("key not found")
    return found


def _element_offsets(text: str, at: int) -> list[int]:
    if text[at] != "[":
        raise ValueError("not a list")
    offsets = []
    at = _WS_RE.match(text, at + 1).end()
    while text[at] != "]":
        offsets.append(at)
        _, at = _DECODER.raw_decode(text, at)
        at = _WS_RE.match(text, at).end()
        if text[at] == ",":
            at = _WS_RE.match(text, at + 1).end()
    return offsets
