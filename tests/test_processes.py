"""processes.py: may we fork, how many processes, and forked work with its failures reported."""

from __future__ import annotations

import os
import threading

import pytest

from paperarchive import processes


@pytest.fixture
def forking(monkeypatch):
    """Fork even if this test process runs a thread (a session fixture's HTTP server may)."""
    monkeypatch.setattr(processes.threading, "active_count", lambda: 1, raising=False)
    monkeypatch.setattr(processes, "_cpus", lambda: 2)
    monkeypatch.delenv("PAPERARCHIVE_JOBS", raising=False)


def test_forked_work_sends_its_value_back(forking):
    assert processes.fork_allowed()
    assert processes.run_forked(lambda: {"pid": os.getpid(), "data": [1, 2]}, "work").result()["data"] == [1, 2]
    assert processes.run_forked(lambda: os.getpid(), "work").result() != os.getpid()


def test_in_two_processes_returns_both_results_in_order(forking):
    assert processes.in_two_processes(lambda: "here", lambda: "there", "halves") == ("here", "there")


def test_a_failure_in_the_child_is_one_line_and_its_traceback_prints_under_the_debug_switch(forking, monkeypatch, capfd):
    def broken():
        raise ValueError("bad row 7")

    monkeypatch.delenv("PAPERARCHIVE_DEBUG", raising=False)
    with pytest.raises(processes.ForkedWorkFailed, match=r"^parse: ValueError: bad row 7$") as caught:
        processes.run_forked(broken, "parse").result()
    assert "in broken" in caught.value.child_traceback
    assert "Traceback" not in capfd.readouterr().err

    monkeypatch.setenv("PAPERARCHIVE_DEBUG", "1")
    with pytest.raises(processes.ForkedWorkFailed):
        processes.run_forked(broken, "parse").result()
    err = capfd.readouterr().err
    assert err.startswith("parse: traceback of the forked process:\nTraceback (most recent call last):")
    assert 'raise ValueError("bad row 7")' in err


def test_a_child_that_dies_is_reported_with_its_exit_code(forking):
    with pytest.raises(processes.ForkedWorkFailed, match=r"^side job: the process died \(exit code 3\)$"):
        processes.run_forked(lambda: os._exit(3), "side job").result()


def test_a_cancelled_child_is_killed_and_reaped(forking):
    import time

    child = processes.run_forked(lambda: time.sleep(60), "slow")
    child.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)


def test_no_fork_from_a_threaded_process_a_child_or_with_one_job(monkeypatch):
    monkeypatch.setattr(processes, "_cpus", lambda: 2)
    monkeypatch.delenv("PAPERARCHIVE_JOBS", raising=False)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not processes.fork_allowed()  # serve rebuilds from its server's thread
        assert processes.process_count() == 1
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr(processes.threading, "active_count", lambda: 1, raising=False)
    assert processes.fork_allowed()
    assert processes.run_forked(processes.fork_allowed, "nested").result() is False
    monkeypatch.setenv("PAPERARCHIVE_JOBS", "1")
    assert not processes.fork_allowed()
    monkeypatch.setattr(processes, "_cpus", lambda: 1)
    monkeypatch.delenv("PAPERARCHIVE_JOBS")
    assert not processes.fork_allowed()


def test_in_two_processes_without_fork_runs_both_here(monkeypatch):
    monkeypatch.setenv("PAPERARCHIVE_JOBS", "1")
    assert processes.in_two_processes(os.getpid, os.getpid, "halves") == (os.getpid(), os.getpid())


def test_a_gate_holds_the_child_until_opened_and_tells_it_when_the_parent_never_opened_it(forking, tmp_path):
    gate = processes.Gate()
    child = processes.run_forked(lambda: (gate.wait(), (tmp_path / "seen").exists()), "gated")
    gate.forked()
    (tmp_path / "seen").write_text("written before the gate opened")
    gate.open()
    assert child.result() == (True, True)

    gate = processes.Gate()
    child = processes.run_forked(gate.wait, "gated")
    gate.forked()
    gate.close()
    assert child.result() is False


def test_shared_counters_add_up_what_children_wrote(forking):
    counters = processes.SharedCounters(3)
    counters[0] = 5
    processes.run_forked(lambda: counters.__setitem__(2, 7), "count").result()
    assert counters.total() == 12


def test_the_child_leaves_the_objects_it_inherits_to_the_parent_s_collector(forking):
    import gc

    worker = processes.run_forked(gc.get_freeze_count, "freeze count")
    assert worker.result() > 0  # frozen in the child: its collector never walks them
    assert gc.get_freeze_count() == 0  # the parent collects its own objects as before
