"""The site model: papers grouped once by day, month, topic and organization, from inputs given explicitly."""

from __future__ import annotations

from datetime import date

import pytest
from paperarchive.sitemodel import SiteContext, SiteIdentity
from sitefixtures import fixture_papers, fixture_taxonomy, make_context


@pytest.fixture(scope="module")
def ctx() -> SiteContext:
    return make_context(fixture_papers(), fixture_taxonomy(), per_page=2)


def test_context_groups_papers(ctx):
    assert ctx.days == (date(2025, 10, 31), date(2025, 11, 20), date(2025, 11, 21), date(2025, 12, 1))
    assert [p.id for p in ctx.undated] == ["paper-1a2b3c4d", "undated-paper"]
    assert list(ctx.by_month) == ["2025-10", "2025-11", "2025-12"]
    assert ctx.prev_day(date(2025, 11, 20)) == date(2025, 10, 31)
    assert ctx.next_day(date(2025, 12, 1)) is None
    assert ctx.redirects == {"small-language-models-are-enough": "small-language-models"}
    assert ctx.newest_date == date(2025, 12, 8)
    newest_first = [p.day for p in ctx.by_topic["language"]]
    dated = [d for d in newest_first if d]
    assert dated == sorted(dated, reverse=True)
    assert newest_first == dated + [None] * (len(newest_first) - len(dated))  # undated papers last
    assert None in newest_first
    assert ctx.by_topic["robots"] == ()

def test_context_groups_organizations(ctx):
    assert [(o.id, o.name, len(ctx.by_org[o.id])) for o in ctx.orgs] == [
        ("nvidia", "NVIDIA", 2),
        ("evil", "<b>Evil & Co</b> {{ org }}", 1),
        ("i-org-i-x-1-frag", '<i>Org</i> & "Friends"', 1),
    ]
    assert [p.id for p in ctx.by_org["nvidia"]] == ["small-language-models", "nvidia-upper-case-id"]  # newest first
    assert ctx.org_of["nvidia-upper-case-id"] == "nvidia" and "api-paper" not in ctx.org_of


def test_identity_comes_from_the_mkdocs_config_and_missing_values_are_empty():
    identity = SiteIdentity.from_config({"site_name": "My Papers", "repo_url": "https://example.org/r", "copyright": None})
    assert identity == SiteIdentity(name="My Papers", repo_url="https://example.org/r")
    assert identity.site_url is None and identity.author == ""
