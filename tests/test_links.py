"""Zero broken internal links and anchors in the built sites, checked by LinkChecker (a kept library).

The site is served over http under /paperarchive/ (tests/browser.py), as GitHub Pages serves it, and
LinkChecker crawls it from the home page (and the 404 page, which nothing links to) with its
AnchorCheck plugin on. External URLs are never fetched: LinkChecker checks only their syntax.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from browser import serve_site

# LinkChecker drops root privileges to `nobody` (seteuid) before it loads its plugins; where Python
# lives under /root (pyenv, as on this project's machines) `nobody` cannot list the plugin folder and
# AnchorCheck silently never runs. Run its own command-line entry point without that step.
LINKCHECKER = (
    "import sys, linkcheck.command.linkchecker as cli; "
    "cli.drop_privileges = lambda: None; sys.argv[0] = 'linkchecker'; cli.linkchecker()"
)
CONFIG = """\
[checking]
threads=4
timeout=30
# above 10/s only for a server that sends a `LinkChecker` header, as tests/browser.py does
maxrequestspersecond=1000
[filtering]
checkextern=0
[output]
status=0
[AnchorCheck]
"""
SUMMARY = re.compile(
    r"That's it\. (?P<links>\d+) links? in (?P<urls>\d+) URLs? checked\. "
    r"(?P<warnings>\d+) warnings? found\. (?P<errors>\d+) errors? found\."
)


@dataclass(frozen=True)
class LinkReport:
    status: int
    links: int
    urls: int
    warnings: int
    errors: int
    output: str


def check_links(base_url: str, config_dir: Path, extra: tuple[str, ...] = ()) -> LinkReport:
    """Crawl ``base_url`` (and ``extra`` pages under it) with LinkChecker; anchors included, no network."""
    config = config_dir / "linkcheckerrc"
    config.write_text(CONFIG)
    done = subprocess.run(
        [sys.executable, "-c", LINKCHECKER, "--config", str(config), "--no-status", "--no-robots",
         "--output", "text", base_url, *(base_url + page for page in extra)],
        check=False, capture_output=True, text=True, timeout=600,  # the status is asserted from the summary
    )
    summary = SUMMARY.search(done.stdout)
    assert summary, f"no LinkChecker summary (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    counts = {name: int(value) for name, value in summary.groupdict().items()}
    return LinkReport(status=done.returncode, output=done.stdout, **counts)


def problems(report: LinkReport) -> str:
    """Only LinkChecker's entries for bad URLs (its banner and statistics left out)."""
    body = report.output.split("Start checking at", 1)[-1].split("\nStatistics:", 1)[0]
    return body.strip()[:6000]


def assert_no_broken_links(report: LinkReport, at_least: int) -> None:
    assert (report.errors, report.warnings) == (0, 0), problems(report)
    assert report.status == 0, problems(report)
    assert report.urls >= at_least, f"LinkChecker reached only {report.urls} URLs: the crawl did not get far"


def test_link_checker_reports_a_broken_link_and_a_broken_anchor(tmp_path):
    """The check can fail: one missing page and one missing anchor are both reported."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<!doctype html><title>t</title><h1 id="top">t</h1>'
        '<a href="a/">fine</a> <a href="a/#here">fine anchor</a> <a href="#top">self</a> '
        '<a href="a/#nowhere">broken anchor</a> <a href="missing/">broken link</a> '
        '<a href="https://example.invalid/">external, not fetched</a>'
    )
    (site / "a" / "index.html").write_text('<!doctype html><title>a</title><h2 id="here">a</h2>')
    with serve_site(site) as base:
        report = check_links(base, tmp_path)
    assert report.status == 1
    assert (report.errors, report.warnings) == (1, 1), problems(report)
    assert "missing/" in report.output and "404 Not Found" in report.output
    assert "Anchor `nowhere' (decoded: `nowhere') not found." in " ".join(report.output.split())


def test_seed_site_has_no_broken_links_or_anchors(seed_site, tmp_path):
    papers = len(list((seed_site / "papers").glob("*/index.html")))
    assert papers >= 400, f"the seed site has {papers} paper pages"
    with serve_site(seed_site) as base:
        report = check_links(base, tmp_path, extra=("404.html",))
    assert_no_broken_links(report, at_least=papers)


def test_hostile_site_has_no_broken_links_or_anchors(hostile_site, tmp_path):
    papers = len(list((hostile_site / "papers").glob("*/index.html")))
    with serve_site(hostile_site) as base:
        report = check_links(base, tmp_path, extra=("404.html",))
    assert_no_broken_links(report, at_least=papers)
