"""Shared test fixtures: paths, and ../shared (the real corpus), which a stranger's clone lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "hf-daily"
SEEDS = SHARED / "seeds"


# Markers follow from what a test uses: `-m "not browser"` leaves out every test that opens Chromium,
# `-m corpus` runs every test that reads ../shared, without a decorator to forget on each.
BROWSER_FIXTURES = frozenset({"browser"})
CORPUS_FIXTURES = frozenset({"corpus"})


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & CORPUS_FIXTURES:
            item.add_marker(pytest.mark.corpus)


def require_shared(path: Path = SHARED) -> Path:
    """Skip the calling test, with the reason, when ../shared (CI's real data) is not beside the repo."""
    if not path.exists():
        pytest.skip(f"{path} is absent: real-corpus tests run only where ../shared sits beside the repo")
    return path


@pytest.fixture
def corpus() -> Path:
    return require_shared(CORPUS)


# --- Built fixture sites (session scope; built once per test run, shared by pytest-xdist workers) ---

import contextlib  # noqa: E402
import fcntl  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402

LISTINGS = ROOT / "content" / "listings"
HOSTILE = FIXTURES / "hostile"
MKDOCS_YML = ROOT / "mkdocs.yml"


def ingest_into(store: Path, files: list[Path]) -> Path:
    """Ingest listing files into a fresh store folder (the ingest stage's own entry point)."""
    from paperarchive import ingest

    store.mkdir(parents=True, exist_ok=True)
    status = ingest.ingest_files(sorted(files), store=store, listed_on=None, strict=False)
    papers = sorted(store.glob("*.yml"))
    assert papers, f"ingest of {len(files)} listings into {store} stored no paper (exit status {status})"
    return store


def build_into(store: Path, site_dir: Path, strict: bool = False) -> Path:
    """Build the site from ``store`` into ``site_dir`` (``paperarchive build``)."""
    from paperarchive import site

    status = site.build(config=MKDOCS_YML, store=store, site_dir=site_dir, strict=strict)
    assert status == 0, f"site.build exited {status} for store {store}"
    assert (site_dir / "index.html").is_file(), f"site.build wrote no {site_dir}/index.html"
    return site_dir


def _run_scratch(tmp_path_factory) -> Path:
    """A folder shared by every xdist worker of this run (each worker has its own basetemp inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _once(tmp_path_factory, name: str, make) -> Path:
    """``make(folder)`` once per test run, whichever worker asks first; the others wait and reuse it."""
    scratch = _run_scratch(tmp_path_factory)
    folder, done = scratch / name, scratch / f"{name}.done"
    with open(scratch / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            done.touch()
    return folder


@contextlib.contextmanager
def _without_date_env():
    """Fixture sites are built as a developer builds: no SOURCE_DATE_EPOCH from the caller's shell."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        yield


def _stored(tmp_path_factory, name: str, files) -> Path:
    """A store ingested once per test run from ``files``."""
    files = list(files)
    return _once(tmp_path_factory, name, lambda folder: ingest_into(folder, files))


def _built(tmp_path_factory, name: str, store: Path) -> Path:
    """The site built once per test run from ``store``."""
    with _without_date_env():
        return _once(tmp_path_factory, name, lambda folder: build_into(store, folder))


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Path:
    """The store ingested from the five shipped seed listings (content/listings/*.txt)."""
    return _stored(tmp_path_factory, "seed-store", LISTINGS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory, seed_store) -> Path:
    """The site built from ``seed_store`` (a site/ folder: index.html at its top)."""
    return _built(tmp_path_factory, "seed-site", seed_store)


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory) -> Path:
    """The store ingested from tests/fixtures/hostile/*.txt (titles and abstracts that try to be code)."""
    return _stored(tmp_path_factory, "hostile-store", HOSTILE.glob("*.txt"))


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory, hostile_store) -> Path:
    return _built(tmp_path_factory, "hostile-site", hostile_store)


@pytest.fixture(scope="session")
def featured_store(tmp_path_factory) -> Path:
    """The store ingested from tests/fixtures/hfapi/*.json: Daily Papers days, each paper with its place."""
    return _stored(tmp_path_factory, "featured-store", (FIXTURES / "hfapi").glob("*.json"))


@pytest.fixture(scope="session")
def featured_site(tmp_path_factory, featured_store) -> Path:
    return _built(tmp_path_factory, "featured-site", featured_store)


@pytest.fixture(scope="session")
def featured_url(featured_site) -> str:
    from browser import serve_site

    with serve_site(featured_site) as base:
        yield base


@pytest.fixture(scope="session")
def seed_url(seed_site) -> str:
    """``seed_site`` served on 127.0.0.1 under /paperarchive/; the base URL (ends in /)."""
    from browser import serve_site

    with serve_site(seed_site) as base:
        yield base


@pytest.fixture(scope="session")
def hostile_url(hostile_site) -> str:
    from browser import serve_site

    with serve_site(hostile_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright (skipped locally when missing, fails under CI=true)."""
    from browser import chromium

    with chromium() as launched:
        yield launched
