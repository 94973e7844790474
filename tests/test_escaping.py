"""Escaping: untrusted text inert in HTML and front matter, only http(s) links, relative links."""

from __future__ import annotations

import json
import urllib.parse

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from paperarchive import escaping
from paperarchive.escaping import esc, href, query_string, quote_plus, safe_url, yaml_string

ANY_TEXT = st.text(st.characters(blacklist_categories=()))  # surrogates and controls included
URL_TEXT = st.text(st.characters(blacklist_categories=("Cs",)))  # what UTF-8 can encode


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


@settings(max_examples=500, deadline=None)
@given(text=ANY_TEXT)
def test_esc_is_its_regex_whatever_the_text(text):
    # the fast path (printable text, str.replace) must give what the one regex gives
    assert esc(text) == escaping._ESCAPE_RE.sub(escaping._escape_one, text)


def test_every_character_esc_turns_into_a_reference_is_unprintable_or_html_syntax():
    # what esc's fast path relies on: printable text holds no character but & < > " ' to escape
    escaped = [chr(c) for c in range(0x110000) if escaping._ESCAPE_RE.match(chr(c))]
    assert {ch for ch in escaped if ch.isprintable()} == set(escaping._ESCAPES)
    assert esc("a\x00\u2028\ud800<'&\">") == "a&#x0;&#x2028;&#xD800;&lt;&#x27;&amp;&quot;&gt;"


@settings(max_examples=500, deadline=None)
@given(text=ANY_TEXT)
def test_yaml_string_is_json_with_yamls_unsafe_characters_escaped(text):
    reference = escaping._YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))
    assert yaml_string(text) == reference


def test_every_character_yaml_string_escapes_is_unprintable():
    assert not any(chr(c).isprintable() for c in range(0x110000) if escaping._YAML_UNSAFE.match(chr(c)))


@settings(max_examples=500, deadline=None)
@given(text=URL_TEXT, safe=st.sampled_from(["", ":/", "./", "/"]))
def test_quote_plus_is_urllibs(text, safe):
    assert quote_plus(text, safe) == urllib.parse.quote_plus(text, safe)


def test_quote_plus_refuses_a_lone_surrogate_like_urllib():
    for quote in (quote_plus, urllib.parse.quote_plus):
        with pytest.raises(UnicodeEncodeError):
            quote("a\ud800")


@settings(max_examples=300, deadline=None)
@given(fields=st.lists(st.tuples(URL_TEXT, URL_TEXT), max_size=6), safe=st.sampled_from(["", ":/"]))
def test_query_string_is_urlencode(fields, safe):
    def quote_via(text, _safe, encoding, errors):
        return urllib.parse.quote_plus(text, safe, encoding, errors)

    assert query_string(fields, safe) == urllib.parse.urlencode(fields, quote_via=quote_via)
