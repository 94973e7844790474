"""The links a paper page offers a reader first: its code, its PDF and its arXiv page.

``paper_links(paper)`` gives ``(label, url)`` pairs, in the order a reader looks for them:
"Code" when a repository is known (the API's ``github`` field, else the first GitHub or GitLab
repository URL found in the abstract), "PDF" and "arXiv" when the arXiv id is known. Every URL is
an absolute http(s) URL; the caller escapes it like any other text.
"""

from __future__ import annotations

import re
import urllib.parse

from .escaping import safe_url
from .records import Paper

# New-style arXiv ids (2007 on), with an optional version: 2501.01234, 2501.01234v2.
_ARXIV_ID_RE = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?")
# github.com/<owner>/<repo> or gitlab.com/<group>/.../<project>: a repository, not a profile or a page of the site
_REPOSITORY_RE = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com)/[^/?#\s]+/[^/?#\s]+", re.IGNORECASE)
_NOT_REPOSITORY_OWNERS = frozenset({"features", "topics", "about", "pricing", "marketplace", "sponsors", "explore"})


def arxiv_id_of(p: Paper) -> str | None:
    """The paper's arXiv id when it is a well-formed one, else None (a hand-edited store may hold anything)."""
    aid = (p.arxiv_id or "").strip()
    return aid if _ARXIV_ID_RE.fullmatch(aid) else None


def arxiv_abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{urllib.parse.quote(arxiv_id, safe='.')}"


def arxiv_pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{urllib.parse.quote(arxiv_id, safe='.')}"


def repository_url(p: Paper) -> str | None:
    """The paper's code repository: the API's github field, else the first repository URL in the abstract."""
    if p.github and safe_url(p.github):
        return safe_url(p.github)
    for url in p.links:
        match = _REPOSITORY_RE.match(url)
        if match and safe_url(url) and _owner(match.group()) not in _NOT_REPOSITORY_OWNERS:
            return url
    return None


def _owner(url: str) -> str:
    return urllib.parse.urlsplit(url).path.split("/")[1].lower()


def paper_links(p: Paper) -> tuple[tuple[str, str], ...]:
    """("Code", url), ("PDF", url), ("arXiv", url): those that are known, in that order."""
    links: list[tuple[str, str]] = []
    if code := repository_url(p):
        links.append(("Code", code))
    if aid := arxiv_id_of(p):
        links.append(("PDF", arxiv_pdf_url(aid)))
        links.append(("arXiv", arxiv_abs_url(aid)))
    return tuple(links)


__all__ = ["arxiv_abs_url", "arxiv_id_of", "arxiv_pdf_url", "paper_links", "repository_url"]
