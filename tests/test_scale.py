"""Scale bounds that must hold whatever the archive's size: listings paginate, no page grows without bound.

Small and fast: 1,000 synthetic papers, all in one topic and one per day for ~3 years, rendered
to Markdown (no MkDocs run). The budget is 200 KB of HTML per page; the theme's shell around a
page's content is ~25 KB, so the generated Markdown of a page must stay under 150 KB.
(benchmarks/build.py reports the largest HTML page of the real 10k and a 50k build.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from paperarchive.pages import render_pages
from paperarchive.records import Paper
from paperarchive.sitemodel import PER_PAGE
from sitefixtures import make_context

PAPERS = 1000
MARKDOWN_LIMIT = 150_000


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    description: str


class OneTopic:
    topics = (Topic("everything", "Everything", "Every paper."),)

    def assign(self, title: str, abstract: str) -> tuple[str, ...]:
        return ("everything",)


def synthetic_papers(count: int) -> list[Paper]:
    """Long titles and abstracts (the corpus' 99th percentile), one paper per day."""
    start = date(2023, 1, 2)
    title = "Scaling Laws for Sparse Mixture-of-Experts Vision-Language Models with Long Context <&> "
    sentence = "We study how retrieval, reasoning and alignment interact at scale in multimodal agents. "
    return [
        Paper(id=f"paper-{i:05d}", title=f"{title}{i}", abstract=sentence * 20, published=start + timedelta(days=i),
              comments=i % 7, authors_count=1 + i % 30, organization=f"Org {i % 40}", organization_id=f"org-{i % 40}")
        for i in range(count)
    ]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    ctx = make_context(synthetic_papers(PAPERS), OneTopic())
    return render_pages(ctx)


def test_a_1000_paper_topic_is_split_into_pages_of_per_page_papers(pages):
    topic_pages = sorted(p for p in pages if p == "topics/everything.md" or p.startswith("topics/everything/"))
    assert len(topic_pages) == math.ceil(PAPERS / PER_PAGE)
    for path in topic_pages:
        assert pages[path].count("<li>") <= PER_PAGE, path


def test_no_generated_page_exceeds_the_markdown_bound(pages):
    largest = max(pages, key=lambda path: len(pages[path].encode("utf-8")))
    assert len(pages[largest].encode("utf-8")) <= MARKDOWN_LIMIT, (largest, len(pages[largest]))


def test_every_paper_page_is_small_and_the_same_size_whatever_the_archive(pages):
    sizes = [len(text.encode("utf-8")) for path, text in pages.items() if path.startswith("papers/")]
    assert len(sizes) == PAPERS
    assert max(sizes) <= 12_000


# ---------------------------------------------------------------- the side job (search index, API, feeds beside MkDocs)

import io  # noqa: E402

from conftest import ROOT  # noqa: E402
from paperarchive import cache, outputs, processes, site, storefile  # noqa: E402
from paperarchive import store as paper_store  # noqa: E402


@pytest.mark.parametrize("parallel", [True, False], ids=["forked", "inline"])
def test_a_failing_side_job_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch, parallel):
    monkeypatch.setattr(processes, "fork_allowed", lambda: parallel)  # even beside a session fixture's server thread
    papers = synthetic_papers(12)
    site_dir = tmp_path / "site"
    monkeypatch.setattr(outputs, "search_index_files", lambda ctx: {"index-stub.txt": b"x"})
    first = site.build_site(ROOT / "mkdocs.yml", papers, OneTopic(), site_dir=site_dir, err=io.StringIO())
    assert first.side_in_parallel == parallel
    assert (site_dir / "index-stub.txt").read_text() == "x"  # the side job writes into the new site
    assert (site_dir / "papers" / "paper-00000" / "index.html").is_file()
    before = sorted(p.relative_to(site_dir) for p in site_dir.rglob("*"))

    def broken(ctx):
        raise OSError("disk full")

    monkeypatch.setattr(outputs, "search_index_files", broken)
    with pytest.raises(site.BuildFailed, match="search index and extras: OSError: disk full"):
        site.build_site(ROOT / "mkdocs.yml", papers, OneTopic(), site_dir=site_dir, err=io.StringIO())
    assert sorted(p.relative_to(site_dir) for p in site_dir.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left


# ---------------------------------------------------------------- the caches and the second process behind a fast build

import marshal  # noqa: E402
import os  # noqa: E402

from paperarchive import topics  # noqa: E402
from sitefixtures import fixture_papers, fixture_taxonomy  # noqa: E402


def _store_with_problems(folder):
    """20 good papers, one file that is not YAML, one whose id does not match its name."""
    folder.mkdir()
    for paper in synthetic_papers(20):
        (folder / f"{paper.id}.yml").write_text(storefile.dump_paper_yaml(paper), "utf-8")
    (folder / "broken.yml").write_text("id: broken\ntitle: [unclosed\n", "utf-8")
    (folder / "other.yml").write_text(storefile.dump_paper_yaml(synthetic_papers(1)[0]), "utf-8")
    return folder


def test_a_forked_store_parse_reads_exactly_what_one_process_reads(tmp_path, monkeypatch):
    folder = _store_with_problems(tmp_path / "papers")
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", "none")
    monkeypatch.setenv("PAPERARCHIVE_JOBS", "1")
    serial = paper_store.load_store(folder)
    assert len(serial.papers) == 20 and len(serial.problems) == 2
    monkeypatch.delenv("PAPERARCHIVE_JOBS")
    monkeypatch.setattr(paper_store, "PARALLEL_PARSE_MIN", 2)
    monkeypatch.setattr(processes, "fork_allowed", lambda: True)  # even under a threaded test runner
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    forked = paper_store.load_store(folder)
    assert forks == [1]
    assert forked == serial  # papers, problems (same order, same lines) and reserved ids


def test_the_parse_cache_gives_back_every_field_exactly(tmp_path, monkeypatch):
    monkeypatch.setattr(paper_store, "CACHE_MIN_PAPERS", 1)
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "papers"
    folder.mkdir()
    papers = fixture_papers()
    for paper in papers:
        (folder / f"{paper.id}.yml").write_text(storefile.dump_paper_yaml(paper), "utf-8")
    first = paper_store.load_store(folder)
    assert list((tmp_path / "cache").iterdir()), "the cache was written"
    monkeypatch.setattr(storefile, "read_paper_file", lambda text: pytest.fail("parsed although cached"))
    again = paper_store.load_store(folder)
    assert again == first and dict(again.papers) == {p.id: p for p in papers}
    for paper in papers:
        assert storefile.paper_of_row(marshal.loads(marshal.dumps(storefile.row_of(paper)))) == paper


def test_remembered_topics_equal_the_matcher_and_are_not_matched_again(tmp_path, monkeypatch):
    monkeypatch.setattr(topics, "CACHE_MIN_PAPERS", 1)
    taxonomy = fixture_taxonomy()
    papers = fixture_papers()
    expected = [taxonomy.assign(p.title, p.abstract) for p in papers]
    first = topics.RememberedTaxonomy(taxonomy, tmp_path / cache.TOPICS)
    assert [first.assign(p.title, p.abstract) for p in papers] == expected
    assert first.topics == taxonomy.topics
    first.save()
    second = topics.RememberedTaxonomy(taxonomy, tmp_path / cache.TOPICS)
    monkeypatch.setattr(topics.Taxonomy, "assign", lambda self, title, abstract: pytest.fail("matched again"))
    assert [second.assign(p.title, p.abstract) for p in papers] == expected
    monkeypatch.undo()
    monkeypatch.setattr(topics, "CACHE_MIN_PAPERS", 1)
    # an edited abstract misses; another taxonomy never reads this one's answers
    edited = papers[0].abstract + " diffusion transformer reinforcement learning"
    assert second.assign(papers[0].title, edited) == taxonomy.assign(papers[0].title, edited)
    other = topics.parse_taxonomy(
        "topics:\n  - id: everything\n    name: Everything\n    description: All.\n    min_score: 1\n    keywords: [the]\n")
    assert topics.RememberedTaxonomy(other, tmp_path / cache.TOPICS)._known == {}


def test_remembered_topics_ignore_a_corrupt_cache(tmp_path):
    (tmp_path / cache.TOPICS).write_bytes(b"{not marshal")
    taxonomy = fixture_taxonomy()
    paper = fixture_papers()[0]
    assert topics.RememberedTaxonomy(taxonomy, tmp_path / cache.TOPICS).assign(paper.title, paper.abstract) == \
        taxonomy.assign(paper.title, paper.abstract)
