"""Inline math in abstracts as MathML (build/paperarchive/mathtext.py): nothing lost, nothing unsafe."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperarchive import mathtext

MATH_ELEMENTS = mathtext._ELEMENTS | {"math", "semantics", "annotation"}


class Reading(HTMLParser):
    """The text a reader's copy would hold if each <math> showed its annotation, and every tag met."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags, self.attributes, self.depth, self.in_annotation = [], [], [], 0, False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]
        self.depth += tag == "math"
        self.in_annotation = tag == "annotation"

    def handle_endtag(self, tag):
        self.depth -= tag == "math"
        self.in_annotation = False if tag == "annotation" else self.in_annotation

    def handle_data(self, data):
        if self.depth == 0 or self.in_annotation:
            self.text.append(data)


def read(html: str) -> Reading:
    reader = Reading()
    reader.feed(html)
    reader.close()
    return reader


def test_math_becomes_mathml_with_its_tex_kept():
    html = mathtext.abstract_html("We set $s_i = \\sigma(w^\\top h_i)$ for each $i$.")
    assert html == (
        "We set <math><semantics><mrow><msub><mi>s</mi><mi>i</mi></msub><mo>=</mo><mi>σ</mi>"
        '<mo stretchy="false">(</mo><msup><mi>w</mi><mo>⊤</mo></msup><msub><mi>h</mi><mi>i</mi></msub>'
        '<mo stretchy="false">)</mo></mrow><annotation encoding="application/x-tex">$s_i = \\sigma(w^\\top h_i)$'
        "</annotation></semantics></math> for each <math><semantics><mrow><mi>i</mi></mrow>"
        '<annotation encoding="application/x-tex">$i$</annotation></semantics></math>.'
    )


@pytest.mark.parametrize("text", [
    "It costs $5 and $10 per run.",
    "Prices from $5-$10.",
    "Use \\$x\\$ literally.",
    "Display $$x^2$$ stays text.",
    "$textbf{specialist} and textbf{generalist}$ lost their backslashes.",
    "$ x$ and $x $ are not math.",
    "Unbalanced $\\frac{a$ stays text.",
    "Raw markup $\\text{<b>x</b>}$ stays text.",
])  # fmt: skip
def test_what_is_not_math_or_does_not_convert_stays_escaped_text(text):
    html = mathtext.abstract_html(text)
    assert "<math>" not in html
    assert "".join(read(html).text) == text


def test_parenthesised_math_and_escaping_inside_it():
    html = mathtext.abstract_html("a \\(x < y \\& z\\) b")
    assert "<mo>&lt;</mo>" in html and "x &lt; y \\&amp; z" in html
    assert "".join(read(html).text) == "a \\(x < y \\& z\\) b"


TEXT = st.lists(
    st.one_of(
        st.sampled_from(["$", "$x$", "$x^2$", "\\(", "\\)", "\\frac{a}{b}", "\\text{", "<", ">", "&", "}", "{", "_", "^",
                         "\\", " ", "5", "</math>", "<script>", "\n", "\u2028", "é", "\\sigma", "$5 and $10"]),
        st.characters(blacklist_categories=("Cs", "Cc")),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_no_character_is_lost_and_only_mathml_comes_out(text):
    html = mathtext.abstract_html(text)
    reading = read(html)
    assert "".join(reading.text) == text
    assert set(reading.tags) <= MATH_ELEMENTS
    assert set(reading.attributes) <= mathtext._ATTRIBUTES | {"encoding"}
    assert "\n" not in html
