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

from paperarchive import generate
from paperarchive.records import Paper

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
    ctx = generate.build_context(synthetic_papers(PAPERS), OneTopic())
    return generate.render_pages(ctx)


def test_a_1000_paper_topic_is_split_into_pages_of_per_page_papers(pages):
    topic_pages = sorted(p for p in pages if p == "topics/everything.md" or p.startswith("topics/everything/"))
    assert len(topic_pages) == math.ceil(PAPERS / generate.PER_PAGE)
    for path in topic_pages:
        assert pages[path].count("<li>") <= generate.PER_PAGE, path


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

from paperarchive import site  # noqa: E402


@pytest.mark.parametrize("parallel", [True, False], ids=["forked", "inline"])
def test_a_failing_side_job_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch, parallel):
    papers = synthetic_papers(12)
    site_dir, docs = tmp_path / "site", tmp_path / "docs"
    monkeypatch.setattr(site, "write_search_index", lambda out_dir, ctx: (out_dir / "index-stub.txt").write_text("x"))
    first = site.build_site(ROOT / "mkdocs.yml", papers, OneTopic(), site_dir=site_dir, docs_dir=docs,
                            err=io.StringIO(), side_job=parallel)
    assert first.side_in_parallel == parallel
    assert (site_dir / "index-stub.txt").read_text() == "x"  # the side job's files are moved into the site
    assert (site_dir / "papers" / "paper-00000" / "index.html").is_file()
    before = sorted(p.relative_to(site_dir) for p in site_dir.rglob("*"))

    def broken(out_dir, ctx):
        raise OSError("disk full")

    monkeypatch.setattr(site, "write_search_index", broken)
    with pytest.raises(site.BuildFailed, match="search index and extras: OSError: disk full"):
        site.build_site(ROOT / "mkdocs.yml", papers, OneTopic(), site_dir=site_dir, docs_dir=docs,
                        err=io.StringIO(), side_job=parallel)
    assert sorted(p.relative_to(site_dir) for p in site_dir.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "site"]  # no staging or side folder left
