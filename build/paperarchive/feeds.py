"""Feeds of the newest papers: RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents, as strings.

A ``Channel`` says what one set of the three feeds is about (the whole archive, a topic, an
organization) and where it lives; it is made from the site's identity (mkdocs.yml: a fork's name
reaches every feed's title and description) by ``archive_channel``, ``topic_channel`` and
``org_channel``, and ``feed_documents`` writes the three files of a channel.

Deterministic: items are the newest ``limit`` papers (by published date, then first seen, then
id), each dated by its publication day at midnight UTC, and the feed's own date is its newest
item's, or the archive's newest date for a feed without a dated item, never the clock.  Text goes
through ElementTree or json, never through string formatting, so a title is always text: in XML
only the characters XML 1.0 cannot carry at all are dropped.  RSS readers render ``<description>``
as HTML, so there the abstract is HTML-escaped first; Atom and JSON Feed say explicitly that their
text is plain text.
"""

from __future__ import annotations

import html
import json
import operator
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from typing import Protocol

from .records import Paper

FEED_SIZE = 50  # the whole archive's feeds: its newest 50 papers
# A topic's feeds hold its newest 30: a week of the busiest topic in the corpus (agents: its 30 newest
# papers span 7 days; the median topic's, 7 weeks), so a reader polling weekly misses nothing, and the
# 28 topics' three feeds each cost 5 MB instead of 8.5 MB (issue 8: 350 bytes per paper at 10,000).
TOPIC_FEED_SIZE = 30
ORG_FEED_SIZE = TOPIC_FEED_SIZE  # an organization's feeds, like a topic's
GENERATOR = "paperarchive"
ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EPOCH = date(1970, 1, 1)  # the date of a feed when the whole archive has no date at all

# Characters XML 1.0 forbids outright (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class SiteIdentity(Protocol):
    """Who publishes the site (mkdocs.yml: site_name, site_description, site_author, repo_url,
    copyright, site_url); an empty string or None is a value the site does not set."""

    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def repo_url(self) -> str: ...
    @property
    def copyright(self) -> str: ...
    @property
    def site_url(self) -> str | None: ...


@dataclass(frozen=True)
class Channel:
    """One set of feeds: what they are about, and where they live.

    ``home`` is the site's absolute URL (ends in "/"); ``page`` the site-relative URL of the page the
    feeds stand for ("" for the home page, "topics/<id>/"): the feeds link to it and sit in its folder.
    """

    title: str
    description: str
    home: str
    page: str
    limit: int
    fallback_date: date  # the feed's date when none of its papers has one
    author: str
    copyright: str

    @property
    def link(self) -> str:
        return self.home + self.page

    def feed_url(self, name: str) -> str:
        return self.home + self.page + name


def archive_channel(identity: SiteIdentity, *, site_url: str, newest: date | None) -> Channel:
    """The whole archive's feeds, at the site root. ``newest``: the archive's newest date."""
    description = identity.description or f"The newest papers of {identity.name}."
    return _channel(identity, identity.name, description, site_url, "", FEED_SIZE, newest)


def topic_channel(
    identity: SiteIdentity, *, site_url: str, page: str, name: str, about: str, newest: date | None
) -> Channel:
    """A topic's feeds, in its page's folder ``page``; ``about`` is the topic's description."""
    description = f"{identity.name}: the newest papers on {name}. {about}".strip()
    return _channel(identity, f"{identity.name}: {name}", description, site_url, page, TOPIC_FEED_SIZE, newest)


def org_channel(identity: SiteIdentity, *, site_url: str, page: str, name: str, newest: date | None) -> Channel:
    """An organization's feeds, in its page's folder ``page``."""
    description = f"{identity.name}: the newest papers of {name}."
    return _channel(identity, f"{identity.name}: {name}", description, site_url, page, ORG_FEED_SIZE, newest)


def top_channel(identity: SiteIdentity, *, site_url: str, page: str, period: str, newest: date | None) -> Channel:
    """The feeds of the most upvoted papers of the newest weeks (``period`` "week") or months."""
    description = f"{identity.name}: the most upvoted papers of each of the newest {period}s."
    return _channel(identity, f"{identity.name}: top of the {period}", description, site_url, page, FEED_SIZE, newest)


def _channel(
    identity: SiteIdentity, title: str, description: str, site_url: str, page: str, limit: int, newest: date | None
) -> Channel:
    return Channel(
        title=title,
        description=description,
        home=_home(site_url),
        page=page,
        limit=limit,
        fallback_date=newest or EPOCH,
        author=identity.author or identity.name,
        copyright=identity.copyright or "",
    )


def feed_documents(channel: Channel, papers: Iterable[Paper], names: Iterable[str] | None = None) -> dict[str, str]:
    """The channel's feeds (all three, or those ``names``): site-relative path -> document."""
    papers = feed_papers(papers, channel.limit)  # sorted once: each feed's own choice among these is the same
    wanted = set(names) if names is not None else {name for name, _make in FEED_FILES}
    return {channel.page + name: make(papers, channel, feed_url=channel.feed_url(name))
            for name, make in FEED_FILES if name in wanted}


def feed_papers(papers: Iterable[Paper], limit: int = FEED_SIZE) -> list[Paper]:
    """The newest ``limit`` papers: by published date, then first seen (newest first), then id."""
    by_id = sorted(papers, key=_ID)
    by_id.sort(key=lambda paper: (paper.published or date.min, paper.first_seen or date.min), reverse=True)
    return by_id[:limit]


_ID = operator.attrgetter("id")


def rss_feed(papers: Iterable[Paper], channel: Channel, *, feed_url: str) -> str:
    """An RSS 2.0 document (with an atom:link to itself, as validators ask)."""
    items = feed_papers(papers, channel.limit)
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS})
    head = ET.SubElement(rss, "channel")
    _text(head, "title", channel.title)
    _text(head, "link", channel.link)
    _text(head, "description", html.escape(channel.description, quote=False))  # read as HTML, like an item's
    ET.SubElement(head, "atom:link", {"href": _xml(feed_url), "rel": "self", "type": "application/rss+xml"})
    _text(head, "language", "en")
    if channel.copyright:
        _text(head, "copyright", channel.copyright)
    _text(head, "generator", GENERATOR)
    _text(head, "lastBuildDate", _rfc822(_feed_date(items, channel)))
    for paper in items:
        item = ET.SubElement(head, "item")
        link = paper_link(channel.home, paper)
        _text(item, "title", paper.title)
        _text(item, "link", link)
        _text(item, "guid", link).set("isPermaLink", "true")
        if _item_date(paper):
            _text(item, "pubDate", _rfc822(_item_date(paper)))
        if paper.organization:
            _text(item, "category", paper.organization)
        _text(item, "description", f"<p>{html.escape(paper.abstract, quote=False)}</p>")
    return _serialise(rss)


def atom_feed(papers: Iterable[Paper], channel: Channel, *, feed_url: str) -> str:
    """An Atom 1.0 document; every text construct is ``type="text"``."""
    items = feed_papers(papers, channel.limit)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "en"})
    _text(feed, "id", feed_url)
    _text(feed, "title", channel.title).set("type", "text")
    _text(feed, "subtitle", channel.description).set("type", "text")
    _text(feed, "updated", _rfc3339(_feed_date(items, channel)))
    ET.SubElement(feed, "link", {"href": _xml(feed_url), "rel": "self", "type": "application/atom+xml"})
    ET.SubElement(feed, "link", {"href": _xml(channel.link), "rel": "alternate", "type": "text/html"})
    _text(ET.SubElement(feed, "author"), "name", channel.author)
    if channel.copyright:
        _text(feed, "rights", channel.copyright).set("type", "text")
    _text(feed, "generator", GENERATOR)
    for paper in items:
        entry = ET.SubElement(feed, "entry")
        link = paper_link(channel.home, paper)
        _text(entry, "id", link)
        _text(entry, "title", paper.title).set("type", "text")
        ET.SubElement(entry, "link", {"href": _xml(link), "rel": "alternate", "type": "text/html"})
        stamp = _item_date(paper) or _feed_date(items, channel)
        _text(entry, "published", _rfc3339(stamp))
        _text(entry, "updated", _rfc3339(stamp))
        if paper.organization:
            ET.SubElement(entry, "category", {"term": _xml(paper.organization)})
        _text(entry, "summary", paper.abstract).set("type", "text")
    return _serialise(feed)


def json_feed(papers: Iterable[Paper], channel: Channel, *, feed_url: str) -> str:
    """A JSON Feed 1.1 document (compact, keys sorted, UTF-8 text, trailing newline)."""
    items = []
    for paper in feed_papers(papers, channel.limit):
        link = paper_link(channel.home, paper)
        item: dict = {"id": link, "url": link, "title": paper.title, "content_text": paper.abstract}
        if _item_date(paper):
            item["date_published"] = _rfc3339(_item_date(paper))
        if paper.organization:
            item["tags"] = [paper.organization]
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION,
        "title": channel.title,
        "home_page_url": channel.link,
        "feed_url": feed_url,
        "description": channel.description,
        "authors": [{"name": channel.author}],
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


def _feed_date(items: list[Paper], channel: Channel) -> date:
    return max((d for d in map(_item_date, items) if d), default=channel.fallback_date)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


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


# Each channel's files, in its page's folder (the pages link them as feed.xml, atom.xml, feed.json).
FEED_FILES: tuple[tuple[str, Callable[..., str]], ...] = (
    ("feed.xml", rss_feed),
    ("atom.xml", atom_feed),
    ("feed.json", json_feed),
)
