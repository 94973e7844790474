"""BibTeX for the archive's papers: one entry per paper, the same on its page and in every ``.bib``
file (the paper's, its day's, its topic's, its organization's).

An entry is ``@misc`` (a preprint: ``@article`` would need a journal we do not know), as arXiv's own
export writes it: ``author`` only when the authors are known (an organization is never an author: it is
the ``institution``), ``year`` and the bare month macro (``month = feb``), and when the arXiv id is known
``eprint``, ``archivePrefix = {arXiv}`` and the arXiv DOI ``10.48550/arXiv.<id>``; ``url`` is the
paper's permanent page. ``primaryClass`` is left out: the store does not know a paper's category.

Whatever a title or a name holds, the entry stays one entry: every ``{`` and ``}`` of the text is
written as a command (``\\textbraceleft{}``), so the only braces in a field are balanced ones we wrote,
and a field can never end early (BibTeX counts braces and ignores backslashes). LaTeX's special
characters become their commands; other characters, non-ASCII included, are written as they are (UTF-8).
Control characters and runs of white space become one space: BibTeX has no way to write them.

Citation keys (``cite_keys``) read ``<first author's last name><year><first title word>``, or
``<first title word><year><second title word>`` when the authors are unknown: ASCII, lowercase.
The title words come from the paper's permanent id (the title's slug when it was first stored), not
from its current title, so a renamed paper keeps its key. The year is the publication year, else the
year it was first listed. When several papers make the same key, the one first listed keeps it and the
others get a, b, c, ... in the order (first listed date, id).

When a key can change (the rule is deterministic, so only when its inputs do):
- its own paper's first author or year becomes known or is corrected (a listing gives no author names;
  an API file ingested later does);
- a paper with the same key and an earlier (or the same) first-listed date is added later, e.g. an old
  listing ingested after newer ones: the papers after it in that order move one letter on.
Adding the day's new listing never changes an existing key: its papers are listed last. A key that
must never change would have to be stored with the paper when it is first ingested, like its id.
"""

from __future__ import annotations

import re
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from slugify import slugify

from .paperlinks import arxiv_id_of
from .records import Paper

BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Text -> LaTeX, each special character to a command whose own braces are balanced.
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_SPECIALS_RE = re.compile("|".join(re.escape(c) for c in LATEX_SPECIALS))
_BLANKS_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
# a name holding the word "and" or a comma would be split or reordered by BibTeX's name parser
_NAME_NEEDS_BRACES_RE = re.compile(r"\band\b|,", re.IGNORECASE)
# characters a url field may hold as they are; everything else is percent-encoded (no brace, backslash or blank)
_URL_SAFE = ":/?#[]@!$&'()*+,;=-._~%"

KEY_WORD_MAX = 20
# words that never make a key: "Towards a Theory of X" is cited as ...theory
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "in", "into",
    "is", "it", "its", "of", "on", "or", "our", "the", "their", "this", "to", "toward", "towards", "via", "vs",
    "we", "what", "when", "where", "which", "who", "why", "with", "without",
})  # fmt: skip
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


# ---------------------------------------------------------------- escaping


def bibtex_escape(text: str) -> str:
    """Text as the value of a braced BibTeX field: LaTeX specials as commands, blanks as one space."""
    text = _BLANKS_RE.sub(" ", text).strip()
    return _SPECIALS_RE.sub(lambda m: LATEX_SPECIALS[m.group()], text)


def _name(name: str) -> str:
    name = bibtex_escape(name)
    return f"{{{name}}}" if _NAME_NEEDS_BRACES_RE.search(name) else name


def _url(url: str) -> str:
    return urllib.parse.quote(url, safe=_URL_SAFE)


# ---------------------------------------------------------------- keys


def _ascii_word(text: str) -> str:
    return slugify(text, separator="", lowercase=True)[:KEY_WORD_MAX]


def title_words(paper_id: str) -> list[str]:
    """The significant words of the paper's permanent id (its first title's slug), in order."""
    words = [w for w in paper_id.lower().split("-") if w and not w.isdigit()]
    significant = [w for w in words if w not in STOPWORDS]
    return [w[:KEY_WORD_MAX] for w in (significant or words or ["paper"])]


def last_name(author: str) -> str:
    """The last name of "First Last" or "Last, First", as a lowercase ASCII word ('' if none)."""
    if "," in author:
        return _ascii_word(author.split(",", 1)[0])
    tokens = [t for t in author.split() if t.strip(".").lower() not in _NAME_SUFFIXES]
    return _ascii_word(tokens[-1]) if tokens else ""


def _year(p: Paper) -> str:
    known = p.published or p.first_seen
    return f"{known.year:04d}" if known else ""


def base_key(p: Paper) -> str:
    """The key the paper gets when no other paper makes the same one."""
    words = title_words(p.id)
    author = last_name(p.authors[0]) if p.authors else ""
    if author:
        return f"{author}{_year(p)}{words[0]}"
    return f"{words[0]}{_year(p)}{words[1] if len(words) > 1 else ''}"


def letter_suffix(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: the suffix of the n-th paper after the first with the same key."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def cite_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Paper id -> its citation key, unique across the given papers (the whole archive)."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for p in papers:
        groups[base_key(p)].append(p)
    taken = set(groups)
    keys: dict[str, str] = {}
    for base in sorted(groups):
        members = sorted(groups[base], key=lambda p: (p.first_seen or date.max, p.id))
        keys[members[0].id] = base
        n = 0
        for p in members[1:]:
            n += 1
            while base + letter_suffix(n) in taken:
                n += 1
            keys[p.id] = base + letter_suffix(n)
            taken.add(keys[p.id])
    return keys


# ---------------------------------------------------------------- entries


def entry(p: Paper, key: str, page_url: str | None) -> str:
    """The paper's BibTeX entry under ``key``; ``page_url`` is its permanent page (absolute), if known."""
    fields: list[tuple[str, str]] = [("title", "{{" + bibtex_escape(p.title) + "}}")]
    if p.authors:
        fields.append(("author", "{" + " and ".join(_name(a) for a in p.authors) + "}"))
    if p.organization and p.organization.strip():
        fields.append(("institution", "{" + bibtex_escape(p.organization) + "}"))
    if p.published:
        fields.append(("year", f"{{{p.published.year}}}"))
        fields.append(("month", BIBTEX_MONTHS[p.published.month - 1]))
    if aid := arxiv_id_of(p):
        fields.append(("eprint", f"{{{aid}}}"))
        fields.append(("archivePrefix", "{arXiv}"))
        fields.append(("doi", f"{{10.48550/arXiv.{aid}}}"))
    if page_url:
        fields.append(("url", "{" + _url(page_url) + "}"))
    lines = [f"@misc{{{key},"]
    lines += [f"  {name} = {value}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


def bibtex_file(entries: Iterable[str]) -> str:
    """Several entries, one blank line apart (a day's, a topic's or an organization's .bib file)."""
    return "\n".join(entries)


def page_url_of(site_url: str | None, paper_url: str) -> str | None:
    """The absolute URL of a site-relative one, or None when the site's address is unknown."""
    return site_url.rstrip("/") + "/" + paper_url if site_url else None


def entries_by_id(papers: Iterable[Paper], keys: Mapping[str, str], site_url: str | None) -> dict[str, str]:
    """Paper id -> its entry: made once, then joined into every .bib file that lists the paper."""
    return {p.id: entry(p, keys[p.id], page_url_of(site_url, p.url)) for p in papers}


__all__ = [
    "BIBTEX_MONTHS",
    "LATEX_SPECIALS",
    "base_key",
    "bibtex_escape",
    "bibtex_file",
    "cite_keys",
    "entries_by_id",
    "entry",
    "last_name",
    "letter_suffix",
    "page_url_of",
    "title_words",
]
