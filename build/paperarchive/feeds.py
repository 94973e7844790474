"""Feeds of the newest papers: RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents, as strings.

Deterministic: items are the newest ``limit`` papers (by published date, then first seen, then
id), each dated by its publication day at midnight UTC, and the feed's own date is its newest
item's, never the clock.  Text goes through ElementTree or json, never through string
formatting, so a title is always text: in XML only the characters XML 1.0 cannot carry at all are
dropped.  RSS readers render ``<description>`` as HTML, so there the abstract is HTML-escaped
first; Atom and JSON Feed say explicitly that their text is plain text.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date, datetime, time, timezone
from email.utils import format_datetime

from .records import Paper

FEED_SIZE = 50  # the whole archive's feeds: its newest 50 papers
# A topic's feeds hold its newest 30: a week of the busiest topic in the corpus (agents: its 30 newest
# papers span 7 days; the median topic's, 7 weeks), so a reader polling weekly misses nothing, and the
# 28 topics' three feeds each cost 5 MB instead of 8.5 MB (issue 8: 350 bytes per paper at 10,000).
TOPIC_FEED_SIZE = 30
GENERATOR = "paperarchive"
ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EPOCH = date(1970, 1, 1)  # the date of a feed with no dated item

# Characters XML 1.0 forbids outright (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def feed_papers(papers: Iterable[Paper], limit: int = FEED_SIZE) -> list[Paper]:
    """The newest ``limit`` papers: by published date, then first seen (newest first), then id."""
    by_id = sorted(papers, key=lambda paper: paper.id)
    by_id.sort(key=lambda paper: (paper.published or date.min, paper.first_seen or date.min), reverse=True)
    return by_id[:limit]


def rss_feed(
    papers: Iterable[Paper], *, title: str, site_url: str, feed_url: str, description: str,
    limit: int = FEED_SIZE,
) -> str:
    """An RSS 2.0 document (with an atom:link to itself, as validators ask)."""
    items = feed_papers(papers, limit)
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", title)
    _text(channel, "link", _home(site_url))
    _text(channel, "description", description)
    ET.SubElement(channel, "atom:link", {"href": _xml(feed_url), "rel": "self", "type": "application/rss+xml"})
    _text(channel, "language", "en")
    _text(channel, "generator", GENERATOR)
    _text(channel, "lastBuildDate", _rfc822(_feed_date(items)))
    for paper in items:
        item = ET.SubElement(channel, "item")
        link = paper_link(site_url, paper)
        _text(item, "title", paper.title)
        _text(item, "link", link)
        _text(item, "guid", link).set("isPermaLink", "true")
        if _item_date(paper):
            _text(item, "pubDate", _rfc822(_item_date(paper)))
        if paper.organization:
            _text(item, "category", paper.organization)
        _text(item, "description", f"<p>{html.escape(paper.abstract, quote=False)}</p>")
    return _serialise(rss)


def atom_feed(
    papers: Iterable[Paper], *, title: str, site_url: str, feed_url: str, description: str,
    limit: int = FEED_SIZE,
) -> str:
    """An Atom 1.0 document; every text construct is ``type="text"``."""
    items = feed_papers(papers, limit)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "en"})
    _text(feed, "id", feed_url)
    _text(feed, "title", title).set("type", "text")
    _text(feed, "subtitle", description).set("type", "text")
    _text(feed, "updated", _rfc3339(_feed_date(items)))
    ET.SubElement(feed, "link", {"href": _xml(feed_url), "rel": "self", "type": "application/atom+xml"})
    ET.SubElement(feed, "link", {"href": _xml(_home(site_url)), "rel": "alternate", "type": "text/html"})
    _text(ET.SubElement(feed, "author"), "name", title)
    _text(feed, "generator", GENERATOR)
    for paper in items:
        entry = ET.SubElement(feed, "entry")
        link = paper_link(site_url, paper)
        _text(entry, "id", link)
        _text(entry, "title", paper.title).set("type", "text")
        ET.SubElement(entry, "link", {"href": _xml(link), "rel": "alternate", "type": "text/html"})
        stamp = _item_date(paper) or _feed_date(items)
        _text(entry, "published", _rfc3339(stamp))
        _text(entry, "updated", _rfc3339(stamp))
        if paper.organization:
            ET.SubElement(entry, "category", {"term": _xml(paper.organization)})
        _text(entry, "summary", paper.abstract).set("type", "text")
    return _serialise(feed)


def json_feed(
    papers: Iterable[Paper], *, title: str, site_url: str, feed_url: str, description: str,
    limit: int = FEED_SIZE,
) -> str:
    """A JSON Feed 1.1 document (compact, keys sorted, UTF-8 text, trailing newline)."""
    items = []
    for paper in feed_papers(papers, limit):
        link = paper_link(site_url, paper)
        item: dict = {"id": link, "url": link, "title": paper.title, "content_text": paper.abstract}
        if _item_date(paper):
            item["date_published"] = _rfc3339(_item_date(paper))
        if paper.organization:
            item["tags"] = [paper.organization]
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": _home(site_url),
        "feed_url": feed_url,
        "description": description,
        "language": "en",
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def paper_link(site_url: str, paper: Paper) -> str:
    """The absolute URL of a paper's page."""
    return _home(site_url) + paper.url


def _home(site_url: str) -> str:
    return site_url.rstrip("/") + "/"


def _item_date(paper: Paper) -> date | None:
    return paper.published or paper.first_seen


def _feed_date(items: list[Paper]) -> date:
    return max((d for d in map(_item_date, items) if d), default=EPOCH)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc)


def _rfc822(day: date) -> str:
    return format_datetime(_midnight(day), usegmt=True)


def _rfc3339(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _xml(text)
    return element


def _serialise(root: ET.Element) -> str:
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    # ElementTree leaves a carriage return in text raw, and a parser would read it as a newline.
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body.replace("\r", "&#13;") + "\n"
