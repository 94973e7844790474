"""Escaping: untrusted text inert in HTML and front matter, only http(s) links, relative links."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from paperarchive.escaping import href, safe_url, yaml_string


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",))))
def test_yaml_string_reads_back_exactly(text):
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        assert yaml.load(f"title: {yaml_string(text)}\n", Loader=loader) == {"title": text}


def test_yaml_string_escapes_what_yaml_would_fold_or_refuse():
    tricky = "a\x85b\u2028c\u2029d\ufeffe\x7f\x9f\ufffe\"\\\n\t: #&*!|>'%@`{{ }}---"
    assert yaml.load(f"t: {yaml_string(tricky)}", Loader=yaml.SafeLoader) == {"t": tricky}
    assert "\n" not in yaml_string(tricky)


def test_only_http_links_become_links():
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url("https://github.com/a/b") == "https://github.com/a/b"


def test_relative_links():
    assert href("papers/x/", "days/2025-01-01/") == "../../days/2025-01-01/"
    assert href("", "days/") == "days/"
    assert href("", "") == "./"
    assert href("topics/a/page/2/", "topics/a/") == "../../../../topics/a/"
