"""`paperarchive fetch` against a stand-in for the Hugging Face API on 127.0.0.1.

The stand-in serves each day's papers page by page (``limit``/``p``) and, for a (day, page), can
first answer with scripted failures: a status with headers, a hung connection, raw bytes. Retry
waits go to a list instead of sleeping, so no test waits out a backoff.
"""

from __future__ import annotations

import dataclasses
import io
import json
import threading
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from paperarchive import cli, fetch, hfapi, ingest
from paperarchive.store import load_store

DAY = "2025-11-21"


def paper(arxiv_id: str, title: str, upvotes: int = 1, comments: int = 0) -> dict:
    """A paper object as the endpoint returns it (the fields the ingest reads)."""
    return {
        "paper": {
            "id": arxiv_id,
            "authors": [{"_id": "a1", "name": "Ada Lovelace", "hidden": False}],
            "publishedAt": "2025-11-20T18:59:42.000Z",
            "submittedOnDailyAt": f"{DAY}T00:03:52.875Z",
            "title": title,
            "summary": f"We study {title.lower()}.",
            "upvotes": upvotes,
        },
        "title": title,
        "numComments": comments,
    }


PAPERS = [paper(f"2511.1000{n}", f"Paper number {n}", upvotes=10 - n) for n in range(5)]


class FakeAPI:
    """``GET /api/daily_papers?date=D&limit=N&p=K`` from ``days``; ``script[(D, K)]`` answers first:
    ``(status, headers, body)``, ``("hang",)`` or ``("raw", bytes)``."""

    def __init__(self) -> None:
        self.days: dict[str, list[dict]] = {}
        self.script: dict[tuple[str, int], list[tuple]] = {}
        self.requests: list[dict] = []
        self.release = threading.Event()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                api.answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.requests.append({"path": parts.path, "query": query,
                              "authorization": handler.headers.get("Authorization")})
        day, page, limit = query.get("date", ""), int(query.get("p", "0")), int(query.get("limit", "100"))
        queued = self.script.get((day, page))
        if queued:
            kind, *rest = queued.pop(0)
            if kind == "hang":
                self.release.wait(10)
                return
            if kind == "raw":
                handler.wfile.write(rest[0])
                handler.close_connection = True
                return
            headers, body = rest
            self.send(handler, kind, body, headers)
            return
        if parts.path != "/api/daily_papers":
            self.send(handler, 404, b'{"error": "Not Found"}')
            return
        papers = self.days.get(day, [])
        self.send(handler, 200, json.dumps(papers[page * limit : (page + 1) * limit]).encode())

    @staticmethod
    def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def pages_asked(self, day: str) -> list[int]:
        return [int(r["query"]["p"]) for r in self.requests if r["query"].get("date") == day]

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api():
    server = FakeAPI()
    yield server
    server.close()


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def settings(api, waits) -> fetch.Settings:
    """Timeouts long enough that a loaded machine never trips them, but for the hang tests' (``short``)."""
    return fetch.Settings(api_url=api.url, connect_timeout=10, read_timeout=10, attempts=3, backoff=1,
                          page_size=2, sleep=waits.append)


def short(settings: fetch.Settings) -> fetch.Settings:
    return dataclasses.replace(settings, read_timeout=1.0)


def run(tmp_path: Path, settings: fetch.Settings, *, day: str | None = DAY, since: str | None = None,
        until: str | None = None, do_ingest: bool = True, today: date = date(2025, 11, 25)) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = fetch.fetch_command(day, since, until, api_url=settings.api_url, out=tmp_path / "api",
                                 store=tmp_path / "papers", ingest=do_ingest, today=today, settings=settings,
                                 stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def saved(tmp_path: Path, day: str = DAY) -> list[dict]:
    return json.loads((tmp_path / "api" / f"{day}.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- pagination and saving


def test_pages_are_requested_until_a_short_page_and_the_day_is_saved_whole(tmp_path, api, settings):
    api.days[DAY] = PAPERS
    status, out, err = run(tmp_path, settings)
    assert status == 0, err
    assert api.pages_asked(DAY) == [0, 1, 2]
    assert {r["query"]["limit"] for r in api.requests} == {"2"}
    assert saved(tmp_path) == PAPERS
    assert err.splitlines()[0] == f"{DAY}: 5 papers, saved {tmp_path / 'api' / (DAY + '.json')}"
    assert out == "added 5, updated 0, unchanged 0, problems 0\n"


def test_a_day_of_an_exact_number_of_pages_stops_at_the_empty_page(tmp_path, api, settings):
    api.days[DAY] = PAPERS[:4]
    assert run(tmp_path, settings)[0] == 0
    assert api.pages_asked(DAY) == [0, 1, 2]
    assert len(saved(tmp_path)) == 4


def test_the_saved_file_is_what_the_ingest_reads(tmp_path, api, settings):
    api.days[DAY] = PAPERS
    run(tmp_path, settings, do_ingest=False)
    result = hfapi.read_api_file(tmp_path / "api" / f"{DAY}.json")
    assert result.problems == ()
    assert [e.arxiv_id for e in result.entries] == [p["paper"]["id"] for p in PAPERS]
    assert {e.listed for e in result.entries} == {date(2025, 11, 21)}
    assert not (tmp_path / "papers").exists()  # --no-ingest


def test_a_real_response_is_saved_as_it_came_and_reads_as_the_original(tmp_path, api, settings):
    from conftest import FIXTURES

    original = FIXTURES / "hfapi" / f"{DAY}.json"
    api.days[DAY] = json.loads(original.read_text(encoding="utf-8"))
    assert run(tmp_path, settings, do_ingest=False)[0] == 0
    assert saved(tmp_path) == api.days[DAY]

    def without_lines(path: Path) -> list[dict]:
        return [{**vars(e), "line": None} for e in hfapi.read_api_file(path).entries]

    assert without_lines(tmp_path / "api" / f"{DAY}.json") == without_lines(original)


def test_a_lone_surrogate_in_a_title_is_saved_escaped_and_ingested(tmp_path, api, settings):
    api.script[(DAY, 0)] = [(200, {}, json.dumps([paper("2511.40001", "Broken \ud800 title and caf\u00e9")]).encode())]
    status, out, err = run(tmp_path, settings)
    assert status == 0, err
    # the ingest stores the title with U+FFFD in the lone surrogate's place, and says so (one warning)
    assert out == "added 1, updated 0, unchanged 0, problems 1\n"
    assert "U+FFFD" in err, err
    text = (tmp_path / "api" / f"{DAY}.json").read_text(encoding="ascii")
    assert "Broken \\ud800 title and caf\\u00e9" in text
    assert [p.title for p in stored(tmp_path).values()] == ["Broken \ufffd title and caf\u00e9"]


def test_a_page_that_repeats_the_previous_one_ends_the_day(tmp_path, api, settings):
    """Were ``p`` counted from 1, page 0 and page 1 would be the same: the day still ends."""
    api.days[DAY] = PAPERS[:2]
    api.script[(DAY, 1)] = [(200, {}, json.dumps(PAPERS[:2]).encode())]
    assert run(tmp_path, settings)[0] == 0
    assert api.pages_asked(DAY) == [0, 1]
    assert saved(tmp_path) == PAPERS[:2]


def test_an_empty_day_is_fine_and_saves_no_file(tmp_path, api, settings):
    status, out, err = run(tmp_path, settings, day="2025-11-22")
    assert status == 0
    assert err.splitlines() == ["2025-11-22: no papers", "fetched 1 of 1 days, 0 files changed, 0 failed"]
    assert not (tmp_path / "api").exists()
    assert out == ""  # nothing to ingest


def test_the_token_is_sent_as_a_bearer_token_only_when_set(tmp_path, api, settings):
    run(tmp_path, settings, day="2025-11-22")
    run(tmp_path, fetch.Settings(**{**settings.__dict__, "token": "hf_secret"}), day="2025-11-23")
    assert [r["authorization"] for r in api.requests] == [None, "Bearer hf_secret"]


# ---------------------------------------------------------------- retries


def test_429_waits_as_long_as_retry_after_says(tmp_path, api, settings, waits):
    api.days[DAY] = PAPERS[:1]
    api.script[(DAY, 0)] = [(429, {"Retry-After": "7"}, b'{"error": "slow down"}')]
    status, _out, err = run(tmp_path, settings)
    assert status == 0, err
    assert waits == [7.0]
    assert len(saved(tmp_path)) == 1


def test_500_then_success_retries_with_backoff(tmp_path, api, settings, waits):
    api.days[DAY] = PAPERS[:1]
    api.script[(DAY, 0)] = [(500, {}, b"oops"), (503, {}, b"busy")]
    assert run(tmp_path, settings)[0] == 0
    assert waits == [1.0, 2.0]
    assert api.pages_asked(DAY) == [0, 0, 0]


def test_a_day_failing_every_attempt_is_reported_and_the_others_are_saved(tmp_path, api, settings, waits):
    api.days["2025-11-20"] = PAPERS[:1]
    api.days[DAY] = PAPERS[1:3]
    api.script[("2025-11-20", 0)] = [(502, {}, b"")] * 3
    status, out, err = run(tmp_path, settings, day=None, since="2025-11-20", until=DAY)
    assert status == 1
    url = f"{api.url}/api/daily_papers?date=2025-11-20&limit=2&p=0"
    assert err.splitlines()[0] == f"2025-11-20: failed: {url}: HTTP 502 (gave up after 3 attempts)"
    assert err.splitlines()[2] == "fetched 1 of 2 days, 1 files changed, 1 failed"
    assert waits == [1.0, 2.0]
    assert not (tmp_path / "api" / "2025-11-20.json").exists()
    assert len(saved(tmp_path)) == 2
    assert out == "added 2, updated 0, unchanged 0, problems 0\n"  # the saved day is still ingested


def test_a_hung_connection_times_out_and_is_retried(tmp_path, api, settings, waits):
    api.days["2025-11-20"] = PAPERS[:1]
    api.days[DAY] = PAPERS[1:2]
    api.script[(DAY, 0)] = [("hang",)] * 3
    status, _out, err = run(tmp_path, short(settings), day=None, since="2025-11-20", until=DAY)
    assert status == 1
    url = f"{api.url}/api/daily_papers?date={DAY}&limit=2&p=0"
    assert f"{DAY}: failed: {url}: no data for 1 s (gave up after 3 attempts)" in err.splitlines()
    assert (tmp_path / "api" / "2025-11-20.json").exists()


def test_one_hang_then_an_answer_saves_the_day(tmp_path, api, settings, waits):
    api.days[DAY] = PAPERS[:1]
    api.script[(DAY, 0)] = [("hang",)]
    assert run(tmp_path, short(settings))[0] == 0
    assert waits == [1.0]


def test_a_refused_connection_is_retried_then_reported(tmp_path, waits):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = fetch.Settings(api_url=f"http://127.0.0.1:{port}", attempts=2, backoff=1, sleep=waits.append)
    status, _out, err = run(tmp_path, settings)
    assert status == 1
    assert "cannot connect: Connection refused (gave up after 2 attempts)" in err
    assert waits == [1.0]


def test_a_retry_after_longer_than_ten_minutes_fails_the_day_at_once(tmp_path, api, settings, waits):
    api.script[(DAY, 0)] = [(429, {"Retry-After": "3600"}, b"")]
    status, _out, err = run(tmp_path, settings)
    assert status == 1
    url = f"{api.url}/api/daily_papers?date={DAY}&limit=2&p=0"
    assert err.splitlines()[0] == (f"{DAY}: failed: {url}: HTTP 429; the server asks to wait 3600 s, "
                                   "more than 600 s")
    assert waits == []


def test_a_client_error_is_not_retried(tmp_path, api, settings, waits):
    status, _out, err = run(tmp_path, fetch.Settings(**{**settings.__dict__, "api_url": api.url + "/nowhere"}))
    assert status == 1
    url = f"{api.url}/nowhere/api/daily_papers?date={DAY}&limit=2&p=0"
    assert err.splitlines()[0] == f'{DAY}: failed: {url}: HTTP 404: "Not Found"'
    assert waits == []


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("7", 7.0), (" 120 ", 120.0), ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0), ("soon", None), (None, None),
     ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0)],
)
def test_retry_after_reads_seconds_and_http_dates(value, seconds):
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert fetch.retry_after(value, now=now) == seconds


# ---------------------------------------------------------------- malformed answers


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b'[{"paper": {"id": "2511.1', "invalid JSON: Unterminated string starting at (line 1, column 19)"),
        (b"<html>busy</html>", "invalid JSON: Expecting value (line 1, column 1)"),
        (b'{"error": "Invalid date"}', "a JSON object, not a list of papers"),
        (b'[{"title": "no paper"}]', 'entry 0 is not an object with a "paper" that has an "id"'),
        (b"[\xff]", "not UTF-8 (byte 1)"),
    ],
)
def test_a_malformed_answer_is_refused_with_one_message_and_nothing_saved(tmp_path, api, settings, waits, body, why):
    api.days[DAY] = PAPERS
    api.script[(DAY, 1)] = [(200, {}, body)]  # the day's second page: the first must not be saved either
    status, out, err = run(tmp_path, settings)
    assert status == 1
    url = f"{api.url}/api/daily_papers?date={DAY}&limit=2&p=1"
    assert err.splitlines() == [f"{DAY}: failed: {url}: not a Hugging Face daily_papers response: {why}",
                                "fetched 0 of 1 days, 0 files changed, 1 failed"]
    assert not (tmp_path / "api").exists()
    assert waits == [] and out == ""


def test_a_truncated_answer_is_refused(tmp_path, api, settings, waits):
    api.script[(DAY, 0)] = [("raw", b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                    b"Content-Length: 100\r\n\r\n" + b'[{"paper": {"id": "2511.10000"')]
    status, _out, err = run(tmp_path, settings)
    assert status == 1
    url = f"{api.url}/api/daily_papers?date={DAY}&limit=2&p=0"
    assert err.splitlines()[0] == (f"{DAY}: failed: {url}: not a Hugging Face daily_papers response: "
                                   "truncated after 30 bytes")
    assert not (tmp_path / "api").exists()


# ---------------------------------------------------------------- a later capture of the same day


def stored(tmp_path: Path) -> dict[str, object]:
    return {p.arxiv_id: p for p in load_store(tmp_path / "papers").papers.values()}


def test_a_later_capture_updates_counts_adds_papers_and_erases_nothing(tmp_path, api, settings):
    api.days[DAY] = [paper("2511.20001", "Early bird", upvotes=5, comments=1), paper("2511.20002", "Second")]
    assert run(tmp_path, settings)[0] == 0
    first = (tmp_path / "api" / f"{DAY}.json").read_bytes()

    # the same capture again: the file is left as it is
    status, out, err = run(tmp_path, settings)
    assert status == 0 and f"{DAY}: 2 papers, unchanged" in err
    assert (tmp_path / "api" / f"{DAY}.json").read_bytes() == first
    assert out == "added 0, updated 0, unchanged 2, problems 0\n"

    # later that day: more upvotes and comments, a paper listed later; "Second" has left the listing
    api.days[DAY] = [paper("2511.20001", "Early bird", upvotes=30, comments=4), paper("2511.20003", "Late")]
    status, out, err = run(tmp_path, settings)
    assert status == 0 and f"{DAY}: 3 papers, saved" in err
    assert [p["paper"]["id"] for p in saved(tmp_path)] == ["2511.20001", "2511.20003", "2511.20002"]
    papers = stored(tmp_path)
    assert sorted(papers) == ["2511.20001", "2511.20002", "2511.20003"]
    assert (papers["2511.20001"].upvotes, papers["2511.20001"].comments) == (30, 4)
    # "Second" is kept, now third in the saved day: its place in the listing is updated too
    assert out == "added 1, updated 2, unchanged 0, problems 0\n"


# ---------------------------------------------------------------- which days


def store_with_day(tmp_path: Path, listed: str) -> Path:
    api_dir = tmp_path / "seed"
    api_dir.mkdir()
    (api_dir / f"{listed}.json").write_text(json.dumps([paper("2511.30001", "Seed")]), encoding="utf-8")
    assert ingest.ingest_files([api_dir / f"{listed}.json"], store=tmp_path / "papers", listed_on=None,
                               strict=False, out=io.StringIO(), err=io.StringIO()) == 0
    return tmp_path / "papers"


def test_the_default_range_refetches_the_newest_stored_day_and_the_two_before(tmp_path):
    store = store_with_day(tmp_path, "2025-11-21")
    assert fetch.newest_featured_day(store) == date(2025, 11, 21)
    days = fetch.days_to_fetch(None, None, None, store, today=date(2025, 11, 24))
    assert [d.isoformat() for d in days] == ["2025-11-19", "2025-11-20", "2025-11-21", "2025-11-22",
                                             "2025-11-23", "2025-11-24"]


def test_an_empty_store_fetches_the_last_three_days(tmp_path):
    days = fetch.days_to_fetch(None, None, None, tmp_path / "none", today=date(2025, 11, 24))
    assert [d.isoformat() for d in days] == ["2025-11-22", "2025-11-23", "2025-11-24"]


def test_the_newest_day_comes_from_text_listings_too(tmp_path):
    from conftest import FIXTURES, ingest_into

    listings = [FIXTURES / "listings" / name for name in ("2025-01-03-new-year.txt", "2025-11-25-standard.txt")]
    store = ingest_into(tmp_path / "papers", listings)
    assert fetch.newest_featured_day(store) == date(2025, 11, 25)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", None, None), "--date: not a YYYY-MM-DD date: 'x'"),
        ((None, "2025-13-01", None), "--since: not a YYYY-MM-DD date: '2025-13-01'"),
        ((None, "2025-11-21", "2025-11-20"), "the range starts after it ends: 2025-11-21 > 2025-11-20"),
        ((DAY, None, "2025-11-22"), "--until goes with --since, not with --date"),
    ],
)
def test_bad_dates_are_refused_before_any_request(tmp_path, api, settings, args, message):
    day, since, until = args
    status, _out, err = run(tmp_path, settings, day=day, since=since, until=until)
    assert status == 2
    assert err == f"paperarchive fetch: {message}\n"
    assert api.requests == []


# ---------------------------------------------------------------- the command line


def test_the_command_line_fetches_and_ingests(tmp_path, api, monkeypatch, capsys):
    api.days[DAY] = PAPERS[:2]
    monkeypatch.setenv("HF_TOKEN", "hf_from_env")
    status = cli.main(["fetch", "--date", DAY, "--api-url", api.url, "--out", str(tmp_path / "api"),
                       "--store", str(tmp_path / "papers")])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert captured.out == "added 2, updated 0, unchanged 0, problems 0\n"
    assert api.requests[0]["authorization"] == "Bearer hf_from_env"
    assert api.requests[0]["query"] == {"date": DAY, "limit": "100", "p": "0"}
    assert len(saved(tmp_path)) == 2


def test_date_and_since_cannot_be_combined(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["fetch", "--date", DAY, "--since", DAY])
    assert exit_info.value.code == 2
    assert "argument --since: not allowed with argument --date" in capsys.readouterr().err
