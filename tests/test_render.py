"""rendering/: MkDocs' build with the page loop shared by several processes, and pages handed over in memory.

The parallel build must write exactly what a plain ``mkdocs build`` of the same pages (written to
disk by ``paperarchive generate``) writes; a worker's failure or warning must reach the build like
the parent's own; what it relies on in MkDocs' source must be what was audited (rendering/audit.py).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

from conftest import MKDOCS_YML
from paperarchive import processes, rendering, site
from paperarchive.rendering import audit
from paperarchive.rendering import build as rendering_build
from paperarchive.rendering.plugin import ArchivePlugin, as_read_from_disk, walk_order

FIXED_EPOCH = "1700000000"
THEME_FILES_DROPPED = tuple(rendering_build.UNUSED_THEME_FILES)  # paperarchive build deletes these; a bare build keeps them


def allow_forking(patch: pytest.MonkeyPatch) -> None:
    """Fork even if this test process runs a thread (a session fixture's HTTP server may): the
    build would otherwise stay in one process (processes.fork_allowed) and test nothing here."""
    patch.setattr(processes, "fork_allowed", lambda: True)


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def bare_mkdocs_build(docs: Path, site_dir: Path) -> None:
    config = load_config(config_file=str(MKDOCS_YML), docs_dir=str(docs), site_dir=str(site_dir))
    mkdocs_build.build(config)


@pytest.fixture(scope="module")
def builds(seed_store, tmp_path_factory):
    """The seeds built three ways: ``mkdocs build`` of generated files, and paperarchive build with 1 and 3 jobs."""
    root = tmp_path_factory.mktemp("render")
    with pytest.MonkeyPatch.context() as patch:
        allow_forking(patch)
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        assert site.generate_only(MKDOCS_YML, seed_store, root / "docs", err=io.StringIO()) == 0
        bare_mkdocs_build(root / "docs", root / "bare")
        for jobs in ("1", "3"):
            patch.setenv("PAPERARCHIVE_JOBS", jobs)
            assert site.build(MKDOCS_YML, seed_store, site_dir=root / f"jobs-{jobs}", err=io.StringIO()) == 0
    return root


def test_three_processes_write_the_same_site_as_one(builds):
    one, three = files_under(builds / "jobs-1"), files_under(builds / "jobs-3")
    assert len(one) > 1000
    assert one.keys() == three.keys()
    assert [path for path in one if one[path] != three[path]] == []


def test_every_file_of_a_plain_mkdocs_build_is_written_byte_for_byte(builds):
    bare, ours = files_under(builds / "bare"), files_under(builds / "jobs-3")
    kept = {p: data for p, data in bare.items()
            if not p.startswith(THEME_FILES_DROPPED) and not p.endswith(".map")}
    assert sum(p.endswith("index.html") for p in kept) > 500
    assert [p for p in kept if p not in ours] == []
    assert [p for p in kept if ours[p] != kept[p]] == []


def test_what_only_paperarchive_writes_is_the_side_files(builds):
    bare, ours = files_under(builds / "bare"), files_under(builds / "jobs-3")
    extra = {p for p in ours if p not in bare}
    side_file = lambda p: (p.startswith(("api/", "search-index/", "data/"))
                           or p.endswith((".bib", "feed.xml", "atom.xml", "feed.json", "sitemap.xml", "sitemap.xml.gz")))
    assert [p for p in sorted(extra) if not side_file(p)] == []


def test_pages_in_memory_are_met_in_mkdocs_disk_order():
    paths = ["papers/b/index.md", "index.md", "about.md", "papers/index.md", "days/2025-01-01/index.md",
             "days/index.md", "search.md", "papers/a/index.md"]
    assert sorted(paths, key=walk_order) == [
        "index.md", "about.md", "search.md", "days/index.md", "days/2025-01-01/index.md",
        "papers/index.md", "papers/a/index.md", "papers/b/index.md",
    ]


def test_pages_in_memory_read_as_mkdocs_reads_files():
    assert as_read_from_disk("a.md", "\ufeff---\r\nx\rY\n") == "---\nx\nY\n"
    assert as_read_from_disk("a.md", b"\xef\xbb\xbfT\r\n") == "T\n"
    assert as_read_from_disk("logo.png", b"\x89PNG\r\n") == b"\x89PNG\r\n"


# ---------------------------------------------------------------- workers' failures and warnings


def _fail_on(page_src: str, monkeypatch, action) -> None:
    original = mkdocs_build._build_page

    def build_page(page, config, *args, **kwargs):
        if page.file.src_uri == page_src:
            action()  # in the process whose page it is: the only one that builds it
        return original(page, config, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", build_page)


# rendered by the second process of two (page i goes to process i % jobs; docs order: index.md, about.md, ...)
WORKER_PAGE = "about.md"


def test_a_failing_worker_fails_the_build_and_keeps_the_old_site(builds, seed_store, tmp_path, monkeypatch):
    site_dir = tmp_path / "site"
    allow_forking(monkeypatch)
    monkeypatch.setenv("PAPERARCHIVE_JOBS", "2")
    assert site.build(MKDOCS_YML, seed_store, site_dir=site_dir, err=io.StringIO()) == 0
    before = files_under(site_dir)

    def broken():
        raise OSError("disk full")

    _fail_on(WORKER_PAGE, monkeypatch, broken)
    err = io.StringIO()
    assert site.build(MKDOCS_YML, seed_store, site_dir=site_dir, err=err) == 1
    assert "paperarchive build: MkDocs: WorkerFailed: page rendering: OSError: disk full" in err.getvalue()
    assert files_under(site_dir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_workers_warning_reaches_the_build_and_strict_fails(seed_store, tmp_path, monkeypatch):
    allow_forking(monkeypatch)
    monkeypatch.setenv("PAPERARCHIVE_JOBS", "2")
    _fail_on(WORKER_PAGE, monkeypatch,
             lambda: logging.getLogger("mkdocs.commands.build").warning("odd page, from a worker"))
    err = io.StringIO()
    assert site.build(MKDOCS_YML, seed_store, site_dir=tmp_path / "site", err=err) == 0
    assert "mkdocs: WARNING: odd page, from a worker" in err.getvalue().splitlines()
    err = io.StringIO()
    assert site.build(MKDOCS_YML, seed_store, site_dir=tmp_path / "strict", strict=True, err=err) == 1
    assert "odd page, from a worker" in err.getvalue()
    assert not (tmp_path / "strict").exists()


def test_a_broken_anchor_on_a_workers_page_is_reported_once(seed_store, tmp_path, monkeypatch):
    import shutil

    allow_forking(monkeypatch)
    monkeypatch.setenv("PAPERARCHIVE_JOBS", "2")
    shutil.copytree(MKDOCS_YML.parent / "content" / "pages", tmp_path / "content" / "pages")
    shutil.copy(MKDOCS_YML.parent / "content" / "topics.yml", tmp_path / "content" / "topics.yml")
    about = tmp_path / "content" / "pages" / WORKER_PAGE
    about.write_text(about.read_text(encoding="utf-8") + "\n[Nowhere](#no-such-anchor)\n", encoding="utf-8")
    config = MKDOCS_YML.read_text(encoding="utf-8")
    config = config.replace("custom_dir: build/paperarchive/theme", f"custom_dir: {MKDOCS_YML.parent / 'build/paperarchive/theme'}")
    config = config.replace("  links:\n    not_found: warn", "  links:\n    not_found: warn\n    anchors: warn")
    assert "anchors: warn" in config
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    err = io.StringIO()
    assert site.build(tmp_path / "mkdocs.yml", seed_store, site_dir=tmp_path / "site", err=err) == 0, err.getvalue()
    warnings = [line for line in err.getvalue().splitlines() if "no-such-anchor" in line]
    assert warnings == ["mkdocs: WARNING: Doc file 'about.md' contains a link '#no-such-anchor', "
                        "but there is no such anchor on this page."]


def test_progress_counts_every_page_of_every_process(seed_store, tmp_path):
    assert site.generate_only(MKDOCS_YML, seed_store, tmp_path / "docs", err=io.StringIO()) == 0
    config = load_config(config_file=str(MKDOCS_YML), docs_dir=str(tmp_path / "docs"), site_dir=str(tmp_path / "site"))
    seen: list[int] = []
    rendering.render(config, jobs=2, on_page=seen.append)
    pages = sum(1 for _ in (tmp_path / "docs").rglob("*.md"))
    assert seen == sorted(seen) and seen[-1] == pages
    assert len(seen) >= pages // 2  # the parent reports after each of its own pages


def test_default_jobs_follows_the_environment(monkeypatch):
    allow_forking(monkeypatch)
    monkeypatch.setenv("PAPERARCHIVE_JOBS", "1")
    assert processes.process_count() == 1
    monkeypatch.setenv("PAPERARCHIVE_JOBS", "3")
    assert processes.process_count() == 3


def test_an_unknown_plugin_keeps_the_rendering_in_one_process(seed_store, tmp_path, monkeypatch):
    allow_forking(monkeypatch)
    assert site.generate_only(MKDOCS_YML, seed_store, tmp_path / "docs", err=io.StringIO()) == 0
    config = load_config(config_file=str(MKDOCS_YML), docs_dir=str(tmp_path / "docs"), site_dir=str(tmp_path / "site"))
    config.plugins["stateful"] = BasePlugin()
    monkeypatch.setattr(processes, "fork", lambda what: pytest.fail("forked"))
    rendering.render(config, jobs=2)
    assert (tmp_path / "site" / "about" / "index.html").is_file()


# ---------------------------------------------------------------- what we rely on in MkDocs


def test_the_mkdocs_source_we_rely_on_is_the_one_audited():
    changed = audit.changed()
    assert not changed, "MkDocs changed where paperarchive relies on it; re-audit, then record the new digests " \
        "in build/paperarchive/rendering/audit.py:\n" + "\n".join(
            f"- {name} (now {audit.source_digest(name)}): {why}" for name, why in changed.items())


def test_the_installed_mkdocs_is_the_audited_version():
    import mkdocs

    assert mkdocs.__version__ == audit.MKDOCS_VERSION, (
        f"MkDocs {mkdocs.__version__} is installed, rendering/audit.py was checked against {audit.MKDOCS_VERSION}: "
        "re-audit what RELIED_ON lists, then update MKDOCS_VERSION (and the pin in pyproject.toml)")


def test_another_mkdocs_version_renders_on_one_core_without_shortcuts_and_warns_once(
        builds, seed_store, tmp_path, monkeypatch):
    allow_forking(monkeypatch)
    monkeypatch.setattr(audit, "MKDOCS_VERSION", "0.0.1")
    monkeypatch.setattr(rendering_build, "_warned_version", False)
    fork = processes.fork
    monkeypatch.setattr(processes, "fork", lambda what: pytest.fail("pages rendered by a fork") if what == "page rendering"
                        else fork(what))  # the side job still forks
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    assert ArchivePlugin().shortcuts is False
    err = io.StringIO()
    assert site.build(MKDOCS_YML, seed_store, site_dir=tmp_path / "a", err=err) == 0
    assert site.build(MKDOCS_YML, seed_store, site_dir=tmp_path / "b", err=err) == 0
    warnings = [line for line in err.getvalue().splitlines() if "warning" in line]
    import mkdocs

    assert warnings == [
        (f"paperarchive: warning: MkDocs {mkdocs.__version__} is installed, the rendering was checked against 0.0.1 "
        "(build/paperarchive/rendering/audit.py): rendering on one core with MkDocs' own build")]
    assert files_under(tmp_path / "a") == files_under(builds / "jobs-1")
