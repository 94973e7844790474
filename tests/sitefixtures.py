"""The small site every page test renders: tests/fixtures/site/ (papers.yml, topics.yml), and a helper
that builds a SiteContext with every input given, as the build does."""

from __future__ import annotations

import yaml

from conftest import FIXTURES
from paperarchive import related, topics
from paperarchive.records import Paper
from paperarchive.sitemodel import PER_PAGE, RELATED_COUNT, SiteIdentity, build_context
from paperarchive.storefile import paper_from_dict

SITE_FIXTURES = FIXTURES / "site"
IDENTITY = SiteIdentity(
    name="Daily Papers Archive",
    description="A permanent, searchable archive of the Hugging Face Daily Papers listings.",
    site_url="https://paperarchive.github.io/paperarchive/",
)


def fixture_papers() -> list[Paper]:
    data = yaml.load((SITE_FIXTURES / "papers.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return [paper_from_dict(d) for d in data]


def fixture_taxonomy():
    return topics.load_taxonomy(SITE_FIXTURES / "topics.yml")


def make_context(papers, taxonomy, per_page: int = PER_PAGE, identity: SiteIdentity = IDENTITY):
    papers = list(papers)
    return build_context(papers, taxonomy, related=related.related_papers(papers, k=RELATED_COUNT),
                         identity=identity, per_page=per_page)
