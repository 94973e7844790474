"""Every URL of the site: organization slugs, BibTeX file paths."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from paperarchive.urls import bib_path, org_slug


def test_org_slugs_are_url_safe_lowercase_and_permanent():
    assert org_slug("ByteDance-Seed") == "bytedance-seed"
    assert org_slug("SJTU-DENG-Lab") == org_slug("SJTU-Deng-Lab") == "sjtu-deng-lab"
    assert org_slug("../<i>Org</i>?x=1#frag") == "i-org-i-x-1-frag"
    assert org_slug("index") == "index-org"  # orgs/index is the index of organizations
    assert org_slug("清华") == "qing-hua"
    assert org_slug("???") == "org-" + __import__("hashlib").sha1(b"???").hexdigest()[:10]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_org_id_gets_a_safe_slug(org_id):
    slug = org_slug(org_id)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug) and slug != "index"
    assert org_slug(org_id) == slug


def test_bib_files_sit_beside_their_page():
    assert bib_path("papers/a/") == "papers/a/a.bib"
    assert bib_path("days/2025-01-02/") == "days/2025-01-02/2025-01-02.bib"
