"""`paperarchive fetch`: save Hugging Face ``api/daily_papers`` days into content/api/, then ingest them.

One request per page: ``GET {api_url}/api/daily_papers?date=YYYY-MM-DD&limit=N&p=K`` (``p``
counts pages from 0; the endpoint honours a ``limit`` up to 100), until a page is short or brings
no paper not seen already (were ``p`` counted from 1, pages 0 and 1 would be the same). A day is saved
as ``content/api/YYYY-MM-DD.json``: a JSON list of the endpoint's paper objects, the shape
hfapi.read_api_file reads. The file is written atomically and only when its content changed; a
later capture keeps the papers the earlier one had and the new one lacks, so nothing saved is
ever lost. The saved days are then ingested (ingest.ingest_files), which updates counts
(upvotes, comments) and adds papers without erasing any.

Network behaviour: separate connect and read timeouts and a whole-response deadline; 429 and
5xx answers and dropped connections are retried with exponential backoff, honouring
``Retry-After``; a day that still fails is reported and the other days are saved; a response that
is not a well-formed daily_papers list (invalid JSON, truncated, another shape) is refused with
one message and nothing of that day is saved.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import ssl
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlencode, urlsplit

from . import __version__

API_URL = "https://huggingface.co"
REFETCH_DAYS = 3  # HF adds papers and upvotes during a day: the newest stored day and the two before it
PAGE_SIZE = 100  # the endpoint's largest page
MAX_PAGES = 50
MAX_BYTES = 64 * 1024 * 1024
MAX_RETRY_AFTER = 600.0  # seconds; a server asking for a longer wait fails the day instead


class FetchError(Exception):
    """A day could not be fetched; the message says why (one line)."""


@dataclass(frozen=True)
class Settings:
    """How to talk to the API. ``sleep`` is injectable so that tests do not wait out the backoff."""

    api_url: str = API_URL
    token: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 120.0  # for a whole response, however slowly it drips in
    attempts: int = 5
    backoff: float = 2.0  # first wait; doubled after each failed attempt
    max_backoff: float = 60.0
    page_size: int = PAGE_SIZE
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


@dataclass(frozen=True)
class DayOutcome:
    day: date
    papers: int = 0
    saved: Path | None = None  # the day's file, when it exists after this run
    changed: bool = False
    error: str | None = None


# ---------------------------------------------------------------- the command


def fetch_command(
    day: str | None,
    since: str | None,
    until: str | None,
    api_url: str,
    out: Path,
    store: Path,
    ingest: bool,
    *,
    today: date | None = None,
    settings: Settings | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Fetch the days asked for (default: see ``default_range``), save them, ingest them.

    Exit status 1 when any day failed or the ingest reported an error; every other day is saved.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    today = today or datetime.now(UTC).date()
    try:
        days = days_to_fetch(day, since, until, store, today)
    except ValueError as exc:
        print(f"paperarchive fetch: {exc}", file=stderr)
        return 2
    settings = settings or Settings(api_url=api_url, token=os.environ.get("HF_TOKEN") or None)
    outcomes = [fetch_and_save(d, settings, Path(out), stderr) for d in days]
    failed = [o for o in outcomes if o.error]
    saved = [o.saved for o in outcomes if o.saved is not None]
    changed = sum(o.changed for o in outcomes)
    print(f"fetched {len(days) - len(failed)} of {len(days)} days, {changed} files changed, "
          f"{len(failed)} failed", file=stderr)
    status = 1 if failed else 0
    if ingest and saved:
        from . import ingest as ingest_stage

        status = max(status, ingest_stage.ingest_files(saved, store=store, listed_on=None, strict=False,
                                                        out=stdout, err=stderr))
    return status


def days_to_fetch(day: str | None, since: str | None, until: str | None, store: Path, today: date) -> list[date]:
    """The days to fetch, oldest first. Raises ValueError with a one-line message for bad options."""
    if day is not None:
        if until is not None:
            raise ValueError("--until goes with --since, not with --date")
        return [_parse_day("--date", day)]
    if since is not None:
        start = _parse_day("--since", since)
    else:
        start = default_range(newest_featured_day(store), today)[0]
    end = _parse_day("--until", until) if until is not None else today
    if start > end:
        raise ValueError(f"the range starts after it ends: {start.isoformat()} > {end.isoformat()}")
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def default_range(newest: date | None, today: date) -> tuple[date, date]:
    """From REFETCH_DAYS before the newest stored day (or before today, for an empty store) to today."""
    anchor = newest if newest is not None and newest <= today else today
    return anchor - timedelta(days=REFETCH_DAYS - 1), today


def newest_featured_day(store: Path) -> date | None:
    """The newest date a stored paper was listed on, by an API file or a daily listing page."""
    from .store import load_store

    listed = (
        source.listed
        for paper in load_store(Path(store)).papers.values()
        for source in paper.sources
        if source.listed is not None and source.listing.endswith((".json", ".txt"))
    )
    return max(listed, default=None)


def _parse_day(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{option}: not a YYYY-MM-DD date: {value!r}") from None


# ---------------------------------------------------------------- one day


def fetch_and_save(day: date, settings: Settings, out: Path, progress: TextIO) -> DayOutcome:
    """Fetch one day and save it; prints one progress line. Never raises for a network or data problem."""
    path = out / f"{day.isoformat()}.json"
    try:
        papers = fetch_day(day, settings)
    except FetchError as exc:
        print(f"{day.isoformat()}: failed: {exc}", file=progress)
        return DayOutcome(day, error=str(exc), saved=path if path.is_file() else None)
    if not papers:
        print(f"{day.isoformat()}: no papers", file=progress)
        return DayOutcome(day, saved=path if path.is_file() else None)
    try:
        changed, count = save_day(path, papers)
    except OSError as exc:
        message = f"cannot save {path}: {exc.strerror or exc}"
        print(f"{day.isoformat()}: failed: {message}", file=progress)
        return DayOutcome(day, error=message)
    state = f"saved {path}" if changed else f"unchanged {path}"
    print(f"{day.isoformat()}: {count} papers, {state}", file=progress)
    return DayOutcome(day, papers=count, saved=path, changed=changed)


def fetch_day(day: date, settings: Settings) -> list[dict]:
    """Every paper object of one day, in the API's order, each paper once. Raises FetchError."""
    papers: list[dict] = []
    seen: set[str] = set()
    for page in range(MAX_PAGES):
        url = day_url(settings.api_url, day, settings.page_size, page)
        items = papers_of_response(get_json(url, settings), url)
        new = [item for item in items if item["paper"]["id"] not in seen]
        seen.update(item["paper"]["id"] for item in new)
        papers.extend(new)
        if len(items) < settings.page_size or not new:
            return papers
    raise FetchError(f"more than {MAX_PAGES} pages of {settings.page_size} papers for {day.isoformat()}")


def day_url(api_url: str, day: date, limit: int, page: int) -> str:
    query = urlencode({"date": day.isoformat(), "limit": limit, "p": page})
    return f"{api_url.rstrip('/')}/api/daily_papers?{query}"


def papers_of_response(document: Any, url: str) -> list[dict]:
    """The response's paper objects; FetchError unless it is a list of objects with a ``paper`` id."""
    if not isinstance(document, list):
        kind = _JSON_KINDS.get(type(document), type(document).__name__)
        raise FetchError(f"{url}: not a Hugging Face daily_papers response: a JSON {kind}, not a list of papers")
    for index, item in enumerate(document):
        paper = item.get("paper") if isinstance(item, dict) else None
        if not isinstance(paper, dict) or not isinstance(paper.get("id"), str):
            raise FetchError(f"{url}: not a Hugging Face daily_papers response: "
                             f'entry {index} is not an object with a "paper" that has an "id"')
    return document


_JSON_KINDS = {dict: "object", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


# ---------------------------------------------------------------- saving


def save_day(path: Path, papers: list[dict]) -> tuple[bool, int]:
    """Write the day's papers (with the ones only an earlier capture had); (changed, papers in the file)."""
    previous = _saved_papers(path)
    merged = merged_capture(previous, papers) if previous is not None else papers
    if merged == previous:
        return False, len(merged)
    write_atomically(path, day_file_bytes(merged))
    return True, len(merged)


def day_file_bytes(papers: list[dict]) -> bytes:
    """The day's file: UTF-8 JSON; escaped (\\uXXXX) only when a text holds a lone surrogate, which
    JSON can carry (``"\\ud800"``) but UTF-8 cannot."""
    try:
        return (json.dumps(papers, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(papers, ensure_ascii=True, indent=1) + "\n").encode("ascii")


def merged_capture(previous: list[dict], latest: list[dict]) -> list[dict]:
    """The latest capture, then the papers of the previous one it lacks (HF never drops one on purpose)."""
    ids = {item["paper"]["id"] for item in latest}
    kept = [item for item in previous if _paper_id(item) not in ids]
    return latest + kept


def _saved_papers(path: Path) -> list | None:
    try:
        document = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return []  # an unreadable earlier file is replaced by the new capture
    return document if isinstance(document, list) else []


def _paper_id(item: Any) -> str | None:
    paper = item.get("paper") if isinstance(item, dict) else None
    return paper.get("id") if isinstance(paper, dict) else None


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- HTTP


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


class _Retryable(Exception):
    def __init__(self, message: str, wait: float | None = None):
        super().__init__(message)
        self.wait = wait


def get_json(url: str, settings: Settings) -> Any:
    """GET ``url`` as JSON, retrying 429, 5xx and dropped connections. Raises FetchError."""
    delay = settings.backoff
    for attempt in range(1, settings.attempts + 1):
        try:
            return _get_json_once(url, settings)
        except _Retryable as exc:
            if attempt == settings.attempts:
                raise FetchError(f"{url}: {exc} (gave up after {attempt} attempts)") from None
            wait = exc.wait if exc.wait is not None else delay
            if wait > MAX_RETRY_AFTER:
                raise FetchError(f"{url}: {exc}; the server asks to wait {wait:.0f} s, more than "
                                 f"{MAX_RETRY_AFTER:.0f} s") from None
            settings.sleep(wait)
            delay = min(delay * 2, settings.max_backoff)
    raise FetchError(f"{url}: no attempt made (attempts={settings.attempts})")


def _get_json_once(url: str, settings: Settings) -> Any:
    answer = _request(url, settings)
    if answer.status == 429 or 500 <= answer.status <= 599:
        raise _Retryable(f"HTTP {answer.status}", retry_after(answer.headers.get("Retry-After")))
    if answer.status != 200:
        raise FetchError(f"{url}: HTTP {answer.status}{_reason(answer.body)}")
    try:
        return json.loads(answer.body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FetchError(f"{url}: not a Hugging Face daily_papers response: not UTF-8 "
                         f"(byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FetchError(f"{url}: not a Hugging Face daily_papers response: invalid JSON: {exc.msg} "
                         f"(line {exc.lineno}, column {exc.colno})") from None


def _request(url: str, settings: Settings) -> _Answer:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: not an http(s) address")
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Accept": "application/json", "User-Agent": f"paperarchive/{__version__}"}
    if settings.token:
        headers["Authorization"] = f"Bearer {settings.token}"
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=settings.connect_timeout, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=settings.connect_timeout)
    try:
        try:
            connection.connect()
        except TimeoutError:
            raise _Retryable(f"no connection within {settings.connect_timeout:g} s") from None
        except ssl.SSLError as exc:
            raise FetchError(f"{url}: TLS failed: {exc.reason or exc}") from None
        except OSError as exc:
            raise _Retryable(f"cannot connect: {exc.strerror or exc}") from None
        connection.sock.settimeout(settings.read_timeout)
        try:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            body = _read_body(response, url, settings)
        except TimeoutError:
            raise _Retryable(f"no data for {settings.read_timeout:g} s") from None
        except http.client.IncompleteRead as exc:
            raise FetchError(f"{url}: not a Hugging Face daily_papers response: truncated after "
                             f"{len(exc.partial)} bytes") from None
        except (http.client.HTTPException, OSError) as exc:
            raise _Retryable(f"connection lost: {type(exc).__name__}: {exc}") from None
        return _Answer(response.status, response.headers, body)
    finally:
        connection.close()


def _read_body(response: http.client.HTTPResponse, url: str, settings: Settings) -> bytes:
    ends = time.monotonic() + settings.deadline
    chunks, size = [], 0
    while chunk := response.read(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(f"{url}: a response of more than {MAX_BYTES // 2**20} MB refused")
        if time.monotonic() > ends:
            raise _Retryable(f"the response took more than {settings.deadline:g} s")
    declared = response.getheader("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) != size:
        raise http.client.IncompleteRead(b"".join(chunks), int(declared) - size)
    return b"".join(chunks)


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _reason(body: bytes) -> str:
    """A short quote of an error body (the Hub answers {"error": "..."})."""
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError, UnicodeDecodeError):
        return ""
    return f": {json.dumps(error)[:120]}" if isinstance(error, str) else ""
