"""The site stage end to end: MkDocs + Material builds of the seeds and of the hostile fixture papers.

Every build goes into tmp folders, never the repo's generated/ or site/.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import ROOT
from paperarchive import outputs, site
from paperarchive.pages.parts import TITLE_SHOWN_MAX, cut, first_sentence
from sitefixtures import fixture_papers, fixture_taxonomy

CONFIG = ROOT / "mkdocs.yml"
NAV = ["Home", "Days", "Topics", "Organizations", "About"]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def fixture_sites(tmp_path_factory):
    """The fixture papers built twice, into two folders, with SOURCE_DATE_EPOCH unset."""
    mp = pytest.MonkeyPatch()
    mp.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = tmp_path_factory.mktemp("fixture-site")
    reports, errs = [], []
    for name in ("a", "b"):
        err = io.StringIO()
        reports.append(
            site.build_site(CONFIG, fixture_papers(), fixture_taxonomy(), site_dir=root / name / "site",
                            strict=True, err=err)
        )
        errs.append(err.getvalue())
    mp.undo()
    return root, reports, errs


@pytest.fixture(scope="module")
def seeds_site(tmp_path_factory):
    """content/listings -> a tmp store (the ingest stage) -> site.build --strict."""
    from paperarchive import ingest

    root = tmp_path_factory.mktemp("seeds-site")
    store = root / "store"
    listings = sorted((ROOT / "content" / "listings").glob("*.txt"))
    assert ingest.ingest_files(listings, store=store, listed_on=None, strict=False) == 0
    err = io.StringIO()
    rc = site.build(CONFIG, store, site_dir=root / "site", strict=True, err=err)
    return root, rc, err.getvalue()


def page_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the seeds


def test_seeds_site_builds_strict_without_warnings(seeds_site):
    root, rc, err = seeds_site
    assert rc == 0, err
    assert "mkdocs: WARNING" not in err and "mkdocs: ERROR" not in err, err
    site_dir = root / "site"
    assert (site_dir / "index.html").is_file() and (site_dir / "about" / "index.html").is_file()
    assert (site_dir / "days" / "index.html").is_file() and (site_dir / "topics" / "index.html").is_file()
    assert len(list((site_dir / "papers").iterdir())) > 50
    assert not any(p.name.startswith("site.") for p in root.iterdir()), "staging folder left behind"


def test_nav_holds_home_days_topics_organizations_about_only(seeds_site):
    root, _rc, _err = seeds_site
    home = page_text(root / "site" / "index.html")
    start = home.index('data-md-type="navigation"')
    nav = home[start : home.index("</nav>", start)]
    # Material's nav (a span per title) or the listing pages' flat one (listing.html, the home page's too)
    links = re.findall(r'<a href="([^"#]*)" class="md-nav__link[^"]*">(?:\s*<span class="md-ellipsis">)?\s*([^<]*?)\s*<', nav)
    assert [title for _href, title in links] == NAV
    assert [href for href, _title in links] == [".", "days/", "topics/", "orgs/", "about/"]


def test_paper_pages_carry_no_navigation(seeds_site):
    root, _rc, _err = seeds_site
    paper = next((root / "site" / "papers").iterdir()) / "index.html"
    text = page_text(paper)
    assert "md-nav--primary" not in text and "md-sidebar" not in text
    assert "assets/search/archive-search.js" in text and "assets/paperarchive/paperarchive.css" in text


def test_no_html_page_exceeds_200_kb(seeds_site):
    root, _rc, _err = seeds_site
    for page in (root / "site").rglob("*.html"):
        assert page.stat().st_size <= 200_000, page


def test_internal_links_resolve(seeds_site):
    """Every relative href/src in the built pages points at a file of the site."""
    site_dir = seeds_site[0] / "site"
    for page in site_dir.rglob("*.html"):
        if page.name == "404.html":
            continue  # links from the site_url's path, checked by the link checker over a served site
        for link in re.findall(r'(?:href|src)="([^"#?]*)', page_text(page)):
            if not link or re.match(r"^[a-z]+:", link) or link.startswith("//"):
                continue
            target = (page.parent / html.unescape(link)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site_dir)} links to missing {link}"


# ---------------------------------------------------------------- the fixture papers (hostile, aliases)


def test_two_builds_give_byte_identical_trees(fixture_sites):
    """The whole published tree, the search index (search-index/) included."""
    root, reports, errs = fixture_sites
    assert all(r.warnings == 0 for r in reports), errs
    assert tree_digest(root / "a" / "site") == tree_digest(root / "b" / "site")


def test_sitemap_lastmod_comes_from_the_content(fixture_sites):
    """One <lastmod>, the home page's, and it is the content's newest date, never the build's."""
    root, _reports, _errs = fixture_sites
    sitemap = page_text(root / "a" / "site" / "sitemap.xml")
    assert re.findall(r"<url><loc>([^<]+)</loc><lastmod>([^<]+)</lastmod></url>", sitemap) == [
        ("https://paperarchive.github.io/paperarchive/", "2025-12-08")
    ]


def test_retired_ids_redirect_and_the_sitemap_lists_live_pages_only(fixture_sites):
    root, reports, _errs = fixture_sites
    site_dir = root / "a" / "site"
    assert reports[0].redirects == 1
    redirect = page_text(site_dir / "papers" / "small-language-models-are-enough" / "index.html")
    assert 'content="0; url=../small-language-models/"' in redirect
    assert 'rel="canonical" href="https://' in redirect and "/papers/small-language-models/" in redirect
    sitemap = page_text(site_dir / "sitemap.xml")
    assert "small-language-models-are-enough" not in sitemap
    base = re.search(r"<loc>(.*?)</loc>", sitemap).group(1)
    for loc in re.findall(r"<loc>(.*?)</loc>", sitemap):
        page = site_dir / loc[len(base) :] / "index.html"
        assert page.is_file() and "http-equiv=\"refresh\"" not in page_text(page), loc


def test_hostile_title_shows_exactly_as_written(fixture_sites):
    root, _reports, _errs = fixture_sites
    paper = next(p for p in fixture_papers() if p.id.startswith("script-alert"))
    text = page_text(root / "a" / "site" / "papers" / paper.id / "index.html")
    assert html.unescape(re.search(r"<title>(.*?)</title>", text, re.DOTALL).group(1)) == (
        f"{paper.title} - Daily Papers Archive"
    )
    assert html.unescape(re.search(r'<h1 class="pa-title">(.*?)</h1>', text).group(1)) == paper.title
    abstract = re.search(r'<p class="pa-abstract">(.*?)</p>', text).group(1)
    # inline math shows as MathML, whose annotation holds the TeX as written
    abstract = re.sub(r"<math>.*?<annotation encoding=\"application/x-tex\">(.*?)</annotation></semantics></math>",
                      r"\1", abstract)
    assert html.unescape(abstract) == paper.abstract
    descriptions = re.findall(r'<meta name="description" content="([^"]*)">', text)
    assert [html.unescape(d) for d in descriptions] == [first_sentence(paper.abstract)]
    assert "<script>alert" not in text and "<img src=x" not in text and "<strong>" not in text


def test_every_fixture_title_reaches_its_page(fixture_sites):
    root, _reports, _errs = fixture_sites
    for paper in fixture_papers():
        text = page_text(root / "a" / "site" / "papers" / paper.id / "index.html")
        shown = html.unescape(re.search(r'<h1 class="pa-title">(.*?)</h1>', text, re.DOTALL).group(1))
        assert shown == cut(paper.title, TITLE_SHOWN_MAX), paper.id  # a very long title is shortened


def test_undated_papers_have_a_reachable_page(fixture_sites):
    root, _reports, _errs = fixture_sites
    site_dir = root / "a" / "site"
    assert 'href="../days/undated/"' in page_text(site_dir / "days" / "index.html")
    undated = page_text(site_dir / "days" / "undated" / "index.html")
    assert "../../papers/undated-paper/" in undated and "../../papers/paper-1a2b3c4d/" in undated


def test_custom_404_offers_the_search(fixture_sites):
    root, _reports, _errs = fixture_sites
    text = page_text(root / "a" / "site" / "404.html")
    assert "Page not found" in text
    assert re.search(r'<form class="pa-search-form" action="/([^"]*/)?search/" method="get"', text)


def test_failed_build_keeps_the_previous_site(fixture_sites, tmp_path):
    root, _reports, _errs = fixture_sites
    site_dir = tmp_path / "site"
    shutil.copytree(root / "a" / "site", site_dir)
    before = tree_digest(site_dir)
    broken = tmp_path / "mkdocs.yml"
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "build" / "paperarchive" / "theme", theme)
    (theme / "paper.html").write_text('{% extends "main.html" %}{% block content %}{{ page.nope( }}{% endblock %}')
    config = CONFIG.read_text(encoding="utf-8")
    broken.write_text(config.replace("custom_dir: build/paperarchive/theme", f"custom_dir: {theme}"), encoding="utf-8")
    shutil.copytree(ROOT / "content" / "pages", tmp_path / "content" / "pages")
    err = io.StringIO()
    with pytest.raises(site.BuildFailed, match="TemplateSyntaxError"):
        site.build_site(broken, fixture_papers(), fixture_taxonomy(), site_dir=site_dir,
                        strict=True, err=err)
    assert tree_digest(site_dir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "mkdocs.yml", "site", "theme"]


def test_a_failing_search_index_keeps_the_previous_site(fixture_sites, tmp_path, monkeypatch):
    root, _reports, _errs = fixture_sites
    site_dir = tmp_path / "site"
    shutil.copytree(root / "a" / "site", site_dir)
    before = tree_digest(site_dir)

    def broken_index(ctx):
        raise outputs.OutputError("search index: broken on purpose")

    monkeypatch.setattr(outputs, "search_index_files", broken_index)
    with pytest.raises(site.BuildFailed, match="broken on purpose"):
        site.build_site(CONFIG, fixture_papers(), fixture_taxonomy(), site_dir=site_dir,
                        err=io.StringIO())
    assert tree_digest(site_dir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_missing_store_is_one_clear_message(tmp_path):
    err = io.StringIO()
    rc = site.build(CONFIG, tmp_path / "nope", site_dir=tmp_path / "site", err=err)
    assert rc == 1
    assert f"paperarchive build: {tmp_path / 'nope'}: no such store folder" in err.getvalue()
    assert not (tmp_path / "site").exists()


def test_skipping_the_markdown_parser_for_raw_html_pages_changes_no_byte(fixture_sites, tmp_path, monkeypatch):
    """rendering.plugin.render_empty stands in for MkDocs' own render of an empty text: same site."""
    from mkdocs.structure.pages import Page

    from paperarchive.rendering import plugin as mkdocs_plugin

    root, _reports, _errs = fixture_sites
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    calls = []
    monkeypatch.setattr(mkdocs_plugin, "render_empty",
                        lambda page, config, files: calls.append(1) or Page.render(page, config, files))
    site.build_site(CONFIG, fixture_papers(), fixture_taxonomy(), site_dir=tmp_path / "site",
                    strict=True, err=io.StringIO())
    assert calls, "the fixture has raw-HTML pages"
    assert tree_digest(tmp_path / "site") == tree_digest(root / "a" / "site")


# ---------------------------------------------------------------- the site folder: leftovers, atomic swap, write errors


def dead_pid() -> int:
    import os

    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_what_killed_builds_left_is_removed_by_the_next_build(fixture_sites, tmp_path):
    gone = dead_pid()
    leftovers = [tmp_path / f"site.building-{gone}-x1y2", tmp_path / f"site.old-{gone}-1764000000"]
    live = tmp_path / "site.building-1-abcd"  # process 1 is alive: a build still running
    for folder in (*leftovers, live):
        (folder / "papers").mkdir(parents=True)
    (tmp_path / "site.notes").write_text("not ours")
    site.build_site(CONFIG, fixture_papers(), fixture_taxonomy(), site_dir=tmp_path / "site", err=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.building-1-abcd", "site.notes"]


def test_the_new_site_is_swapped_in_atomically_and_the_old_one_handed_back(tmp_path, monkeypatch):
    new, final = tmp_path / "new", tmp_path / "site"
    for folder, text in ((new, "new"), (final, "old")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    exchanged = []
    exchange = site._exchange
    monkeypatch.setattr(site, "_exchange", lambda a, b: exchanged.append((a, b)) or exchange(a, b))
    old = site.swap_in(new, final)
    assert exchanged == [(new, final)]
    assert (final / "index.html").read_text() == "new"
    assert (old / "index.html").read_text() == "old"
    assert old.name.startswith(f"site.old-{os.getpid()}-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", old.name]


def test_without_renameat2_the_swap_falls_back_to_two_renames(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "_renameat2", lambda: None)
    new, final = tmp_path / "new", tmp_path / "site"
    for folder, text in ((new, "new"), (final, "old")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    old = site.swap_in(new, final)
    assert (final / "index.html").read_text() == "new"
    assert (old / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", old.name]
    newer = tmp_path / "newer"
    newer.mkdir()
    assert site.swap_in(newer, tmp_path / "first") is None  # no site yet: one rename
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first", "site", old.name]


def gone_within(path: Path, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return not path.exists()


def test_the_old_site_is_deleted_by_a_process_that_outlives_the_build(tmp_path):
    old = tmp_path / f"site.old-{os.getpid()}-1"
    (old / "papers" / "x").mkdir(parents=True)
    (old / "papers" / "x" / "index.html").write_text("old")
    started = time.monotonic()
    site.delete_in_background(old)
    assert time.monotonic() - started < 5  # it does not wait for the deletion
    assert gone_within(old)


def test_a_rebuild_puts_the_new_site_in_place_and_the_old_one_goes(fixture_sites, tmp_path):
    site_dir = tmp_path / "site"
    for _ in range(2):
        site.build_site(CONFIG, fixture_papers(), fixture_taxonomy(), site_dir=site_dir, err=io.StringIO())
    assert (site_dir / "index.html").is_file()
    assert all(gone_within(p) for p in tmp_path.iterdir() if p.name != "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_site_folder_that_cannot_be_written_is_one_line_and_no_traceback(seed_store, tmp_path, monkeypatch):
    import errno
    import os

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path))

    monkeypatch.setattr(site.tempfile, "mkdtemp", read_only)
    err = io.StringIO()
    assert site.build(CONFIG, seed_store, site_dir=tmp_path / "site", err=err) == 1
    assert err.getvalue().splitlines() == [
        f"paperarchive build: {tmp_path}: Permission denied",
        "paperarchive build: failed; the previous site was left as it was",
    ]


@pytest.mark.parametrize("forked", [True, False], ids=["side job forked", "side job inline"])
def test_a_full_disk_is_one_line_and_the_old_site_stays(seed_store, tmp_path, monkeypatch, forked):
    import errno
    import os

    from paperarchive import processes

    monkeypatch.setattr(processes, "fork_allowed", lambda: forked)
    assert site.build(CONFIG, seed_store, site_dir=tmp_path / "site", err=io.StringIO()) == 0
    before = tree_digest(tmp_path / "site")

    def full(site_dir, files):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(site_dir / "api"))

    monkeypatch.setattr(outputs, "write_files", full)
    err = io.StringIO()
    assert site.build(CONFIG, seed_store, site_dir=tmp_path / "site", err=err) == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == 2 and "Traceback" not in err.getvalue()
    assert lines[0].startswith("paperarchive build: search index and extras: OSError: [Errno 28] No space left on device: ")
    assert tree_digest(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_build_never_writes_into_the_store(seed_store, tmp_path):
    def state():
        return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in seed_store.iterdir()}

    before = state()
    assert site.build(CONFIG, seed_store, site_dir=tmp_path / "site", err=io.StringIO()) == 0
    assert state() == before  # so a read-only store builds: its caches live in the cache folder


# ---------------------------------------------------------------- timestamps from the content


def test_the_site_epoch_ignores_dates_no_timestamp_can_hold_or_no_listing_can_have():
    from datetime import date

    from paperarchive.records import Paper, Source

    today = date(2026, 11, 30)
    good = Paper(id="good", title="Good", abstract="x", published=date(2025, 3, 4))
    future = Paper(id="typo", title="Typo", abstract="y", sources=(Source(date(2999, 1, 1), "2999-01-01.txt"),))
    ancient = Paper(id="ancient", title="Ancient", abstract="z", published=date(1, 1, 1))
    tomorrow = Paper(id="tomorrow", title="Tomorrow", abstract="w", first_seen=date(2026, 12, 1))
    assert site.site_epoch([good, future, ancient, tomorrow], today=today) == 1741046400  # 2025-03-04 00:00 UTC
    assert site.site_epoch([future, ancient], today=today) == 0
    assert site.site_epoch([], today=today) == 0


def test_a_paper_dated_2999_builds_and_moves_no_timestamp(tmp_path, monkeypatch):
    import dataclasses
    import gzip
    from datetime import date

    from paperarchive.records import Source

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    papers = fixture_papers()
    typo = dataclasses.replace(papers[0], sources=(*papers[0].sources, Source(date(2999, 1, 1), "2999-01-01.txt")),
                               published=date(2999, 1, 1))
    site.build_site(CONFIG, [typo, *papers[1:]], fixture_taxonomy(), site_dir=tmp_path / "site", err=io.StringIO())
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text()
    assert "<lastmod>2999" not in sitemap and "<lastmod>" in sitemap
    assert gzip.decompress((tmp_path / "site" / "sitemap.xml.gz").read_bytes()).decode() == sitemap


def test_a_build_killed_with_sigkill_leaves_folders_the_next_build_removes(seed_store, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    command = [sys.executable, "-m", "paperarchive", "build", "--config", str(CONFIG), "--store", str(seed_store),
               "--site-dir", str(tmp_path / "site")]
    build = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob("site.building-*/assets")) and time.monotonic() < deadline:
        time.sleep(0.05)  # MkDocs is writing into the new folder
    build.send_signal(signal.SIGKILL)
    build.wait()
    time.sleep(0.5)  # its children die with it (processes._die_with)
    assert [p.name.split("-")[0] for p in tmp_path.iterdir()] == ["site.building"]
    assert site.build(CONFIG, seed_store, site_dir=tmp_path / "site", err=io.StringIO()) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert os.path.isfile(tmp_path / "site" / "index.html")
