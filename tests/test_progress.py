"""The progress bar: drawn on a terminal only, erased at the end; the one-line summaries."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from conftest import ROOT
from paperarchive import ingest
from paperarchive.progress import Progress, is_terminal, summary

LISTINGS = sorted((ROOT / "content" / "listings").glob("*.txt"))


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_nothing_is_written_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    with Progress(stream, "reading listings", 3) as bar:
        bar.advance()
        bar.stage("merging")
    assert stream.getvalue() == ""
    assert not bar.active


def test_the_bar_is_redrawn_in_place_at_most_once_per_interval_and_erased_at_the_end():
    stream, clock = FakeTerminal(), Clock()
    bar = Progress(stream, interval=0.1, clock=clock)
    bar.stage("rendering pages", 4)
    bar.advance()  # 0.0 s after the stage was drawn: not redrawn
    clock.now = 0.2
    bar.advance()
    assert stream.getvalue() == (
        "\rrendering pages [" + "." * 24 + "] 0/4"
        "\rrendering pages [" + "#" * 12 + "." * 12 + "] 2/4"
    )
    bar.stage("swapping")  # shorter: padded over the old text
    assert stream.getvalue().endswith("\rswapping ..." + " " * (len("rendering pages [] 2/4") + 24 - len("swapping ...")))
    bar.close()
    assert stream.getvalue().endswith("\r" + " " * len("swapping ...") + "\r")


def test_counts_past_the_total_stay_a_full_bar():
    bar = Progress(FakeTerminal(), "x", 2)
    bar.done = 5
    assert bar.line() == "x [" + "#" * 24 + "] 5/2"


def test_is_terminal_survives_streams_without_or_with_a_broken_isatty():
    class Broken(io.StringIO):
        def isatty(self):
            raise ValueError("I/O operation on closed file")

    assert not is_terminal(None)
    assert not is_terminal(object())
    assert not is_terminal(Broken())
    assert is_terminal(FakeTerminal())


def test_summary_line():
    assert summary("built", 9877, 10512, 41.24) == "built 9,877 papers, 10,512 pages in 41.2 s"
    assert summary("ingested", 12, None, 0.04, "5 files") == "ingested 12 papers in 0.0 s (5 files)"


def test_ingest_on_a_terminal_shows_the_bar_then_one_timed_summary(tmp_path):
    out, err = io.StringIO(), FakeTerminal()
    assert ingest.ingest_files(LISTINGS, tmp_path / "store", None, False, out=out, err=err) == 0
    assert out.getvalue().startswith("added ")  # stdout unchanged for scripts
    shown = err.getvalue()
    assert "\rreading listings [" in shown and f"{len(LISTINGS)}/{len(LISTINGS)}" not in shown.split("\r")[0]
    last = shown.rsplit("\r", 1)[-1]
    assert last.startswith("ingested ") and " papers in " in last and last.endswith(" updated 0)\n")
    assert last.count("\n") == 1


def test_ingest_is_quiet_on_stderr_when_it_is_not_a_terminal(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert ingest.ingest_files(LISTINGS, tmp_path / "store", None, False, out=out, err=err) == 0
    assert err.getvalue() == ""


def test_the_real_command_draws_on_a_pseudo_terminal_and_not_in_a_pipe(tmp_path):
    command = [sys.executable, "-m", "paperarchive", "ingest", "--store", str(tmp_path / "store"), *map(str, LISTINGS)]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "build"))
    piped = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""

    leader, follower = pty.openpty()
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=follower, timeout=120)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal has no writer left
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    text = shown.decode()
    assert "ingested " in text and " papers in " in text  # the second run: every paper unchanged
