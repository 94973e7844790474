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
* listed: the date at the start of the file name; else the caller's
  ``listed_on``; else the wrapper's ``date``; else the date of the paper's
  ``paper.submittedOnDailyAt``.  Never the top-level ``publishedAt`` (see above).
"""

from __future__ import annotations

import dataclasses

import ast
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from .records import Entry, ParseResult, Problem

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
    """Whether ``data`` (a file's bytes) is JSON rather than listing text.

    The first significant byte (after an optional UTF-8 BOM and JSON whitespace)
    must be ``[`` or ``{``, and the byte after it must be one JSON allows there,
    so a listing whose first title reads ``[Re] Reproducing ...`` stays text.
    """
    start = len(_BOM) if data.startswith(_BOM) else 0
    first = _skip_ws(data, start)
    if first >= len(data) or data[first : first + 1] not in (b"[", b"{"):
        return False
    second = _skip_ws(data, first + 1)
    follow = data[second : second + 1]
    if not follow:
        return True  # only "[" or "{": a truncated JSON file, refused as invalid JSON
    if data[first : first + 1] == b"{":
        return follow in (b'"', b"}")
    if follow in b'[{"]-0123456789':
        return True
    return data.startswith((b"true", b"false", b"null"), second)


def _skip_ws(data: bytes, index: int) -> int:
    while index < len(data) and data[index] in _JSON_WS:
        index += 1
    return index


# ---------------------------------------------------------------------------
# Reading a file


def read_api_file(path: Path, listed_on: date | None = None) -> ParseResult:
    """Read one daily_papers API file.  Never raises: what is wrong becomes a Problem.

    ``listed_on`` is the listing date to use when the file name starts with none.
    """
    shown = str(path)  # problems name the path as given, entries the file name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return _refused(shown, 1, f"cannot read the file: {exc.strerror or exc}", prefix=False)
    try:
        return _read_api_bytes(data, shown, listed_on)
    except (RecursionError, MemoryError) as exc:  # absurd nesting or size: refuse, never crash the run
        return _refused(shown, 1, f"too deeply nested or too large to read ({type(exc).__name__})")


def _read_api_bytes(data: bytes, shown: str, listed_on: date | None) -> ParseResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return _refused(shown, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line})")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if not looks_like_api_json(data):
            return _refused(shown, 1, f"not JSON: it starts with {_shown(text.lstrip()[:_SHOWN_CHARS])}")
        return _refused(shown, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")

    listed = _date_from_file_name(Path(shown).name) or listed_on
    problems: list[Problem] = []
    if isinstance(document, list):
        items = _located_items(text, document)
    elif isinstance(document, dict):
        wrapped = document.get("data")
        if not isinstance(wrapped, list):
            return _refused(shown, 1, f"a JSON object without a \"data\" list of papers (keys: {_keys(document)})")
        items = _located_items(text, wrapped, key="data")
        problems.extend(_check_wrapper(document, len(wrapped), shown))
        listed = listed or _wrapper_date(document)
    else:
        return _refused(shown, 1, f"a JSON {_kind(document)}, not a list of papers")

    return _read_items(items, shown, listed, problems)


@dataclass(frozen=True)
class _Item:
    index: int
    line: int
    value: Any


def _read_items(items: list[_Item], shown: str, listed: date | None, problems: list[Problem]) -> ParseResult:
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
        entry, found = _entry_from_paper(paper, shown, item, listed)
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


def _entry_from_paper(obj: dict, shown: str, item: _Item, listed: date | None) -> tuple[Entry | None, list[Problem]]:
    paper = obj["paper"]
    where = f"paper {item.index}"
    problems: list[Problem] = []

    def warn(message: str) -> None:
        problems.append(Problem(shown, item.line, f"{where}: {message}", warning=True))

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
    if arxiv_id is not None and not _ARXIV_ID_RE.match(arxiv_id):
        warn(f'"id" {_shown(arxiv_id)} is not an arXiv id; left out')
        arxiv_id = None
    entry = Entry(
        listing=Path(shown).name,
        line=item.line,
        listed=listed or _iso_date(paper.get("submittedOnDailyAt")),
        title=title,
        abstract=abstract,
        published=_iso_date(paper.get("publishedAt")),
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
    )
    return entry, problems


def _author_names(value: Any) -> tuple[tuple[str, ...], bool]:
    if value is None:
        return (), True
    if not isinstance(value, list):
        return (), False
    names = [_one_spaced(a.get("name")) if isinstance(a, dict) else "" for a in value]
    return tuple(n for n in names if n), all(names)


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
    """The UTC date of an ISO 8601 timestamp or date, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date()


def _date_from_file_name(name: str) -> date | None:
    match = _FILE_DATE_RE.match(name)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


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
    return [_Item(i, line, value) for i, (line, value) in enumerate(zip(lines, values))]


_DECODER = json.JSONDecoder()
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
