"""BibTeX entries of papers: one per paper page and ``.bib`` file, and a list's file of several."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable

from .records import Paper

BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIALS))


def bibtex_escape(text: str) -> str:
    text = " ".join(text.split())
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIALS[m.group()], text)


def _bibtex_name(name: str) -> str:
    name = bibtex_escape(name)
    # a name that contains the word "and" or a comma would be split or reordered by BibTeX
    return f"{{{name}}}" if re.search(r"\band\b|,", name, re.IGNORECASE) else name


def bibtex(p: Paper) -> str:
    """A BibTeX entry for the paper; the key is its permanent id."""
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(p.title) + "}")]
    if p.authors:
        fields.append(("author", " and ".join(_bibtex_name(a) for a in p.authors)))
    elif p.organization:
        fields.append(("author", "{" + bibtex_escape(p.organization) + "}"))
    if p.published:
        fields.append(("year", str(p.published.year)))
        fields.append(("month", BIBTEX_MONTHS[p.published.month - 1]))
    if p.arxiv_id:
        fields.append(("eprint", bibtex_escape(p.arxiv_id)))
        fields.append(("archivePrefix", "arXiv"))
        fields.append(("url", f"https://arxiv.org/abs/{urllib.parse.quote(p.arxiv_id, safe='./')}"))
    # No "note = {Hugging Face Daily Papers}": the entry cites the paper, not the listing that showed it,
    # and the line was 36 bytes in each of five copies of every entry (page, .bib of paper, day, topics).
    lines = [f"@misc{{{p.id},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


def bibtex_file(papers: Iterable[Paper]) -> str:
    """Several entries, one blank line apart (a day's or a topic's .bib file)."""
    return "\n".join(bibtex(p) for p in papers)
