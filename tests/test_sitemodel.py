"""The site model: papers grouped once by day, month, topic and organization, from inputs given explicitly."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import ROOT
from paperarchive.records import Paper, Source
from paperarchive.sitemodel import SiteContext, SiteIdentity
from sitefixtures import fixture_papers, fixture_taxonomy, make_context


@pytest.fixture(scope="module")
def ctx() -> SiteContext:
    return make_context(fixture_papers(), fixture_taxonomy(), per_page=2)


def test_context_groups_papers(ctx):
    assert ctx.days == (date(2025, 10, 31), date(2025, 11, 25), date(2025, 12, 8))  # featured days only
    assert [p.id for p in ctx.by_day[date(2025, 10, 31)]] == ["nvidia-upper-case-id", "api-paper"]  # by place
    assert [p.id for p in ctx.undated] == ["paper-1a2b3c4d", "undated-paper"]
    assert ctx.months == ("2025-10", "2025-11", "2025-12")
    assert ctx.by_month["2025-12"] == (date(2025, 12, 8),)
    assert [p.id for p in ctx.published_in["2025-11"]] == [
        "a-very-long-title", "hostile-org-paper", "seeing-video-models", "small-language-models",
    ]  # newest first, ties by id
    assert ctx.by_week == {"2025-W44": (date(2025, 10, 31),), "2025-W48": (date(2025, 11, 25),),
                           "2025-W50": (date(2025, 12, 8),)}
    assert ctx.prev_day(date(2025, 11, 25)) == date(2025, 10, 31)
    assert ctx.next_day(date(2025, 12, 8)) is None
    assert ctx.redirects == {"small-language-models-are-enough": "small-language-models"}
    assert ctx.newest_date == date(2025, 12, 8)
    newest_first = [p.published for p in ctx.by_topic["language"]]
    dated = [d for d in newest_first if d]
    assert dated == sorted(dated, reverse=True)
    assert newest_first == dated + [None] * (len(newest_first) - len(dated))  # undated papers last
    assert None in newest_first
    assert ctx.by_topic["robots"] == ()


def test_a_paper_featured_twice_on_one_day_keeps_its_best_place():
    twice = Paper(id="p", title="P", abstract="x", sources=(
        Source(date(2025, 1, 3), "2025-01-03.json", 4), Source(date(2025, 1, 3), "2025-01-03.txt", 2),
        Source(date(2025, 1, 1), "search.txt"),  # not a daily listing: no place, no featured day
    ))
    ctx = make_context([twice], fixture_taxonomy())
    assert ctx.featured_on == {"p": ((date(2025, 1, 3), 2),)}
    assert ctx.days == (date(2025, 1, 3),) and ctx.months == ("2025-01",) and ctx.undated == (twice,)


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


def test_a_forked_mkdocs_yml_names_the_site_on_the_home_page(tmp_path):
    from mkdocs.config import load_config

    from paperarchive.pages import render_pages

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path), site_name="Lab Reading Group",
                         repo_url="https://example.org/lab/papers", copyright="© Lab")
    identity = SiteIdentity.from_config(config)
    assert (identity.name, identity.repo_url, identity.copyright) == ("Lab Reading Group", "https://example.org/lab/papers", "© Lab")
    assert identity.description and identity.site_url  # the shipped description and address stay
    home = render_pages(make_context(fixture_papers(), fixture_taxonomy(), identity=identity))["index.md"]
    assert '<h1 class="pa-home-title">Lab Reading Group</h1>' in home and "Daily Papers Archive" not in home
