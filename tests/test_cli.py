"""The `paperarchive` command line itself: help without arguments, --version, every command listed."""

from __future__ import annotations

import pytest

from paperarchive import __version__, cli

COMMANDS = ("fetch", "parse", "ingest", "generate", "build", "serve", "search")


def test_no_arguments_prints_the_help_and_succeeds(capsys):
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: paperarchive [-h] [--version] COMMAND ...")
    for command in COMMANDS:
        assert f"\n    {command} " in out, command


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"paperarchive {__version__}\n"


def test_fetch_help_names_every_option(capsys):
    with pytest.raises(SystemExit):
        cli.main(["fetch", "--help"])
    out = capsys.readouterr().out
    for option in ("--date", "--since", "--until", "--api-url", "--out", "--store", "--no-ingest", "HF_TOKEN"):
        assert option in out, option
