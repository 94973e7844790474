"""records.links_in: the code links of an abstract, linear in the text's length (issue 16)."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from paperarchive.records import _TRAILING, _URL_RE, links_in


def quadratic_links_in(text: str) -> tuple[str, ...]:
    """The former implementation (re-counting brackets and re-slicing at every trailing character): the reference."""
    found: list[str] = []
    for match in _URL_RE.finditer(text):
        url = match.group(0)
        while url and url[-1] in _TRAILING:
            closer = url[-1]
            opener = {")": "(", "]": "[", "}": "{"}.get(closer)
            if opener and url.count(opener) >= url.count(closer):
                break
            url = url[:-1]
        url = url.replace("{", "").replace("}", "")
        if len(url) > len("https://") and url not in found:
            found.append(url)
    return tuple(found)


pieces = st.sampled_from(["https://", "http://", "github.com/a/b", "x.org", "(", ")", "[", "]", "{", "}", ".", ",",
                          ";", ":", "!", "?", ">", "<", "'", '"', "*", "_", " ", "/", "wiki/Foo_(bar)", "\u00a0", "é"])
abstracts = st.lists(st.one_of(pieces, st.text(max_size=6)), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(abstracts)
def test_same_links_as_the_former_implementation(text):
    assert links_in(text) == quadratic_links_in(text)


def test_brackets_closed_inside_the_url_are_kept():
    text = "Code: https://en.wikipedia.org/wiki/Foo_(bar)). See (https://github.com/a/b), {https://x.org/{y}}."
    assert links_in(text) == ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://github.com/a/b", "https://x.org/y")


def test_two_hundred_thousand_closing_brackets_take_linear_time():
    text = "see https://x.org/a" + ")" * 200_000 + " and https://y.org/(b) ok"
    start = time.perf_counter()
    assert links_in(text) == ("https://x.org/a", "https://y.org/(b)")
    assert time.perf_counter() - start < 1.0  # quadratic: 13 s on the same machine


def test_many_distinct_links_take_linear_time():
    text = " ".join(f"https://x.org/{number}" for number in range(20_000))
    start = time.perf_counter()
    assert len(links_in(text)) == 20_000
    assert time.perf_counter() - start < 1.0
