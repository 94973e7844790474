"""Every URL and path of the site and of its JSON API, site-relative (no leading slash).

Pages are directory URLs (``papers/<id>/``, MkDocs' use_directory_urls); ``src_for_url`` gives the
docs path MkDocs turns into each. Nothing here may change once published: a paper's URL is permanent.
"""

from __future__ import annotations

import hashlib
from datetime import date

from slugify import slugify

HOME = ""
DAYS_INDEX = "days/"
TOPICS_INDEX = "topics/"
ORGS_INDEX = "orgs/"
ABOUT = "about/"
UNDATED = "days/undated/"
READING_LIST = "reading-list/"
POPULAR = "popular/"
POPULAR_WEEKS = "popular/weeks/"  # the top-of-the-week feeds live here
POPULAR_MONTHS = "popular/months/"
# Feeds beside a listing page: (file name, MIME type, label), the same names at the root and per topic.
FEEDS = (
    ("feed.xml", "application/rss+xml", "RSS"),
    ("atom.xml", "application/atom+xml", "Atom"),
    ("feed.json", "application/feed+json", "JSON Feed"),
)
# An organization's feed: Atom only. Hundreds of organizations, most with a few papers, each paper's
# abstract in three formats cost 1.7 KB a paper of the published site; one format serves every reader.
ORG_FEEDS = FEEDS[1:2]


def paper_url(paper_id: str) -> str:
    return f"papers/{paper_id}/"


def day_url(d: date) -> str:
    return f"days/{d.isoformat()}/"


def week_url(week: str) -> str:
    """``week`` is an ISO week, "2026-W34" (as Hugging Face names its week pages)."""
    return f"weeks/{week}/"


def month_url(month: str) -> str:
    """``month`` is "YYYY-MM"."""
    return f"days/{month}/"


def year_url(year: str) -> str:
    return f"days/{year}/"


def popular_week_url(week: str) -> str:
    """The most upvoted papers of an ISO week ("2026-W34")."""
    return f"{POPULAR_WEEKS}{week}/"


def popular_month_url(month: str) -> str:
    """The most upvoted papers of a month ("YYYY-MM")."""
    return f"{POPULAR_MONTHS}{month}/"


def topic_url(topic_id: str) -> str:
    return f"topics/{topic_id}/"


def org_url(slug: str) -> str:
    return f"orgs/{slug}/"


def page_url(base: str, number: int) -> str:
    """Page ``number`` of a paginated listing whose first page is ``base``."""
    return base if number == 1 else f"{base}page/{number}/"


def feed_url(base: str, name: str) -> str:
    """A feed file (a name of FEEDS) of the listing at ``base`` ("" for the whole archive)."""
    return base + name


def bib_path(url: str) -> str:
    """Where a page's BibTeX file lives: beside its index.html, named after its last segment."""
    return f"{url}{url.rstrip('/').rsplit('/', 1)[-1]}.bib"


def src_for_url(url: str) -> str:
    """The docs path MkDocs turns into this URL (use_directory_urls)."""
    if url == HOME:
        return "index.md"
    if url in (DAYS_INDEX, TOPICS_INDEX, ORGS_INDEX, POPULAR):
        return url + "index.md"
    return url.rstrip("/") + ".md"


def org_slug(org_id: str) -> str:
    """The URL-safe, permanent slug of an organization id (Hugging Face ids are case-insensitive).

    Lowercase ASCII letters, digits and hyphens (python-slugify, transliterating the rest);
    a name with nothing transliterable gets a hash of itself; "index" would clash with orgs/index.
    """
    slug = slugify(org_id, lowercase=True, max_length=80, word_boundary=False)
    if not slug:
        return "org-" + hashlib.sha1(org_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return "index-org" if slug == "index" else slug


# ---------------------------------------------------------------- the JSON API


def api_paper_path(paper_id: str) -> str:
    return f"api/papers/{paper_id}.json"


def api_day_path(day: date) -> str:
    return f"api/days/{day.isoformat()}.json"


def api_topic_path(topic_id: str) -> str:
    return f"api/topics/{topic_id}.json"


def api_org_path(org_slug: str) -> str:
    return f"api/orgs/{org_slug}.json"
