"""Inline math in abstracts, rendered at build time to MathML (browsers draw it natively, no script).

``abstract_html(text)`` is the abstract as safe HTML: ``$...$`` spans that look like math and
``\\(...\\)`` spans become ``<math>`` elements when latex2mathml converts them into MathML we accept;
everything else, and every span that does not convert, is escaped text. No character is lost: each
``<math>`` carries its span exactly as written (delimiters included) in an
``<annotation encoding="application/x-tex">``, which browsers do not draw and text extraction reads.

What counts as math, for ``$``: the rule Pandoc uses (an opening ``$`` followed by a non-blank, a
closing ``$`` after a non-blank and not followed by a digit, so ``$5 and $10`` is prose), at most
``MAX_TEX`` characters, not ``$$``, plus one of TeX's signs (a command, ``^``, ``_``, ``=``, braces,
...) or a body of at most three characters (``$x$``, ``$N$``); a span with two or more plain words of
four letters or more is prose with its backslashes lost (``$textbf{a} and textbf{b}$``) and stays text.

The MathML is not trusted as it comes: it is parsed and written again with MathML elements and
presentation attributes only, every text node and attribute value escaped (``\\text{<b>x</b>}``
comes out of latex2mathml as raw markup inside ``<mtext>``). An element we do not know, or a script
with the wrong number of children (``\\frac{a``), makes the span stay text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import latex2mathml.converter

from .escaping import esc

MAX_TEX = 300
_MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"

# \(...\) anywhere; $...$ by Pandoc's rule (not \$, not $$)
_SPAN_RE = re.compile(
    r"\\\((?P<paren>.{1,MAX}?)\\\)"
    r"|(?<![\\$])\$(?![\s$])(?P<dollar>[^$]{1,MAX}?)(?<![\s\\])\$(?![\d$])".replace("MAX", str(MAX_TEX)),
    re.DOTALL,
)
_TEX_SIGN_RE = re.compile(r"[\\^_={}<>+|]")
_PLAIN_WORD_RE = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{4,}")

# MathML elements we pass on: presentation MathML (MathML Core and what latex2mathml writes)
_ELEMENTS = frozenset({
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup",
    "msubsup", "munder", "mover", "munderover", "mfrac", "msqrt", "mroot", "mstyle", "merror", "mpadded",
    "mphantom", "mtable", "mtr", "mtd", "mlabeledtr", "menclose", "mmultiscripts", "mprescripts", "none",
})  # fmt: skip
_CHILDREN = {"mfrac": 2, "msub": 2, "msup": 2, "msubsup": 3, "munder": 2, "mover": 2, "munderover": 3, "mroot": 2}
# presentation attributes only: nothing that holds a URL, a script or a style
_ATTRIBUTES = frozenset({
    "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "accent", "accentunder",
    "movablelimits", "minsize", "maxsize", "symmetric", "largeop", "form", "columnalign", "rowalign",
    "rowspacing", "columnspacing", "columnlines", "rowlines", "frame", "width", "height", "depth",
    "linethickness", "scriptlevel", "displaystyle", "notation", "columnspan", "rowspan", "voffset",
})  # fmt: skip


class NotMathML(ValueError):
    """latex2mathml gave something we do not pass on."""


def looks_like_math(tex: str) -> bool:
    """A $...$ body that is math rather than prose between two dollar signs."""
    if len(_PLAIN_WORD_RE.findall(tex)) >= 2:
        return False
    return bool(_TEX_SIGN_RE.search(tex)) or len(tex.strip()) <= 3


def _clean(node: ET.Element) -> str:
    """The element written again from the allowlists, every text escaped; NotMathML if it has no place here."""
    tag = node.tag.removeprefix(_MATHML_NS)
    if tag not in _ELEMENTS or tag in ("math", "semantics", "annotation"):
        raise NotMathML(tag)
    if tag in _CHILDREN and len(node) != _CHILDREN[tag]:
        raise NotMathML(f"{tag} with {len(node)} children")
    attributes = "".join(f' {name}="{esc(value)}"' for name, value in sorted(node.attrib.items()) if name in _ATTRIBUTES)
    inner = esc(node.text or "") + "".join(_clean(child) + esc(child.tail or "") for child in node)
    return f"<{tag}{attributes}>{inner}</{tag}>"


def tex_to_mathml(tex: str, source: str) -> str:
    """``tex`` as a <math> element whose annotation is ``source`` (the span as written); NotMathML if it does not convert."""
    try:
        root = ET.fromstring(latex2mathml.converter.convert(tex))
    except Exception as exc:  # noqa: BLE001  (untrusted TeX: latex2mathml raises its own, IndexError, KeyError, ...)
        raise NotMathML(str(exc)) from None
    if root.tag.removeprefix(_MATHML_NS) != "math" or (root.text or "").strip() or len(root) == 0:
        raise NotMathML("no math")
    body = "".join(_clean(child) + esc(child.tail or "") for child in root)
    if len(root) != 1:
        body = f"<mrow>{body}</mrow>"
    return f'<math><semantics>{body}<annotation encoding="application/x-tex">{esc(source)}</annotation></semantics></math>'


def abstract_html(text: str) -> str:
    """The abstract as safe HTML: text escaped, inline math as MathML where it converts."""
    if "$" not in text and "\\(" not in text:
        return esc(text)  # most abstracts: no regex scan (it cost 25 times the escaping)
    out: list[str] = []
    position = 0
    for match in _SPAN_RE.finditer(text):
        tex = match.group("paren") if match.group("paren") is not None else match.group("dollar")
        if match.group("dollar") is not None and not looks_like_math(tex):
            continue
        try:
            math = tex_to_mathml(tex, match.group())
        except NotMathML:
            continue
        out.append(esc(text[position : match.start()]))
        out.append(math)
        position = match.end()
    out.append(esc(text[position:]))
    return "".join(out)


def math_spans(text: str) -> int:
    """How many spans of the text abstract_html renders as MathML."""
    return abstract_html(text).count("<math>")


__all__ = ["abstract_html", "looks_like_math", "math_spans", "tex_to_mathml"]
