"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 — valid to a parser, exact, and hostile text kept as text.

Regenerate the golden files with: UPDATE_GOLDEN=1 python3 -m pytest tests/test_feeds.py
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

import feedparser
import pytest

from goldenfiles import check_golden_file
from paperarchive.feeds import (
    FEED_SIZE,
    Channel,
    archive_channel,
    atom_feed,
    feed_documents,
    feed_papers,
    json_feed,
    org_channel,
    rss_feed,
    topic_channel,
)
from paperarchive.records import Paper, Source
from paperarchive.sitemodel import SiteIdentity

GOLDEN = Path(__file__).resolve().parent / "golden" / "extras"
FEEDS = {"rss": rss_feed, "atom": atom_feed, "json": json_feed}
SITE = "https://example.org/paperarchive/"


def Identity(**fields) -> SiteIdentity:  # noqa: N802  (reads as the record it makes)
    """The site model's identity (mkdocs.yml), at the test site's address unless told otherwise."""
    return SiteIdentity(**{"site_url": SITE, **fields})


IDENTITY = Identity(name="paperarchive", description="Hugging Face Daily Papers, archived.")
ARCHIVE = archive_channel(IDENTITY, site_url=SITE, newest=date(2025, 11, 26))
META = {"channel": ARCHIVE, "feed_url": "https://example.org/paperarchive/feed.xml"}
HOSTILE_TITLE = "<script>alert('x')</script> & ]]> <![CDATA[ \"quotes\" {{ jinja }} \u00e9\u4e2d\U0001f600"
HOSTILE_ABSTRACT = "a < b && c > d; ]]> </description></item> <b>bold</b> \t tab"

FIXTURE = [
    Paper(id="older-paper", title="An Older Paper", abstract="Older.", published=date(2025, 11, 20),
          first_seen=date(2025, 11, 21), sources=(Source(date(2025, 11, 21), "2025-11-21.txt"),)),
    Paper(id="newest-b", title="Newest B", abstract="Same day, seen later.", published=date(2025, 11, 24),
          first_seen=date(2025, 11, 26), organization="Example Lab", organization_id="example-lab"),
    Paper(id="newest-a", title="Newest A", abstract="Same day, seen earlier.", published=date(2025, 11, 24),
          first_seen=date(2025, 11, 25)),
    Paper(id="tie-z", title="Tie Z", abstract="Tie on both dates.", published=date(2025, 11, 22),
          first_seen=date(2025, 11, 22)),
    Paper(id="tie-a", title="Tie A", abstract="Tie on both dates.", published=date(2025, 11, 22),
          first_seen=date(2025, 11, 22)),
    Paper(id="undated", title="Undated", abstract="No date at all."),
]


def _check_golden(name: str, text: str) -> None:
    check_golden_file(GOLDEN / name, text.encode("utf-8"))


def test_items_are_newest_by_published_then_first_seen_then_id():
    assert [p.id for p in feed_papers(FIXTURE)] == ["newest-b", "newest-a", "tie-a", "tie-z", "older-paper", "undated"]
    assert [p.id for p in feed_papers(FIXTURE, limit=2)] == ["newest-b", "newest-a"]


@pytest.mark.parametrize("kind, suffix", [("rss", "xml"), ("atom", "xml"), ("json", "json")])
def test_golden_output(kind, suffix):
    _check_golden(f"feed-{kind}.{suffix}", FEEDS[kind](FIXTURE, **META))


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feedparser_reads_the_xml_feeds_without_complaint(kind):
    # feedparser 6 reads no JSON Feed: that one is checked against the spec's fields below
    parsed = feedparser.parse(FEEDS[kind](FIXTURE, **META))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == {"rss": "rss20", "atom": "atom10"}[kind]
    assert [e.link for e in parsed.entries] == [
        f"https://example.org/paperarchive/papers/{p.id}/" for p in feed_papers(FIXTURE)
    ]
    assert parsed.entries[0].published_parsed[:3] == (2025, 11, 24)


def test_feed_date_is_the_newest_item_never_the_clock():
    rss = ET.fromstring(rss_feed(FIXTURE, **META))
    assert rss.findtext("channel/lastBuildDate") == "Mon, 24 Nov 2025 00:00:00 GMT"
    atom = ET.fromstring(atom_feed(FIXTURE, **META))
    assert atom.findtext("{http://www.w3.org/2005/Atom}updated") == "2025-11-24T00:00:00Z"
    # a feed without a dated paper (an empty topic) is dated by the archive's newest date
    empty = ET.fromstring(atom_feed([], **META))
    assert empty.findtext("{http://www.w3.org/2005/Atom}updated") == "2025-11-26T00:00:00Z"
    undated = ET.fromstring(rss_feed([FIXTURE[-1]], **META))
    assert undated.findtext("channel/lastBuildDate") == "Wed, 26 Nov 2025 00:00:00 GMT"


def test_json_feed_has_the_fields_the_spec_requires():
    document = json.loads(json_feed(FIXTURE, **META))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(document["title"], str) and isinstance(document["items"], list)
    assert document["home_page_url"] == "https://example.org/paperarchive/"
    assert document["feed_url"] == META["feed_url"]
    for item in document["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert "content_text" in item or "content_html" in item
        if "date_published" in item:
            assert item["date_published"].endswith("T00:00:00Z")
    assert [i["id"].rsplit("/", 2)[-2] for i in document["items"]] == [p.id for p in feed_papers(FIXTURE)]


def test_only_the_newest_fifty_are_listed():
    many = [Paper(id=f"p{i:03d}", title=f"Paper {i}", abstract="x", published=date(2025, 1, 1 + i % 28))
            for i in range(120)]
    assert len(feedparser.parse(rss_feed(many, **META)).entries) == FEED_SIZE
    assert len(json.loads(json_feed(many, **META))["items"]) == FEED_SIZE
    topic = topic_channel(IDENTITY, site_url=SITE, page="topics/t/", name="T", about="", newest=None)
    assert len(json.loads(json_feed(many, topic, feed_url="x"))["items"]) == 30


HOSTILE = [Paper(id="hostile", title=HOSTILE_TITLE + "\x00\x0b\ufffe", abstract=HOSTILE_ABSTRACT + "\x1f",
                 published=date(2025, 11, 24), organization="R&D <Lab>")]


def test_hostile_text_round_trips_through_rss():
    parsed = feedparser.parse(rss_feed(HOSTILE, **META))
    assert parsed.bozo == 0
    entry = parsed.entries[0]
    assert entry.title == HOSTILE_TITLE  # only the characters XML cannot carry are gone
    assert "<script>" not in rss_feed(HOSTILE, **META)
    # RSS readers render <description> as HTML: it holds the abstract as escaped HTML text
    description = ET.fromstring(rss_feed(HOSTILE, **META)).findtext("channel/item/description")
    assert html.unescape(description) == f"<p>{HOSTILE_ABSTRACT}</p>"


def test_hostile_text_round_trips_through_atom():
    text = atom_feed(HOSTILE, **META)
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0
    assert parsed.entries[0].title == HOSTILE_TITLE
    assert parsed.entries[0].summary == HOSTILE_ABSTRACT
    assert parsed.entries[0].tags[0].term == "R&D <Lab>"


def test_hostile_text_round_trips_through_json_feed_unchanged():
    item = json.loads(json_feed(HOSTILE, **META))["items"][0]
    assert item["title"] == HOSTILE_TITLE + "\x00\x0b\ufffe"  # JSON carries every character
    assert item["content_text"] == HOSTILE_ABSTRACT + "\x1f"
    assert item["tags"] == ["R&D <Lab>"]


def test_carriage_return_survives_xml():
    paper = Paper(id="cr", title="line\r\nbreak", abstract="x", published=date(2025, 1, 1))
    root = ET.fromstring(atom_feed([paper], **META))
    assert root.findtext("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title") == "line\r\nbreak"


def test_output_does_not_depend_on_input_order():
    for make in FEEDS.values():
        assert make(FIXTURE, **META) == make(list(reversed(FIXTURE)), **META)


# ---------------------------------------------------------------- channels: a fork's identity, topics, organizations

FORK = Identity(name="Ånother <Archive> & Co", description="Papers a fork keeps.", author="Ada Lovelace",
                copyright="© 2026 Ada", site_url="https://fork.example/archive/")
FORK_URL = "https://fork.example/archive/"


def _fork_channels() -> list[Channel]:
    newest = date(2025, 11, 26)
    return [
        archive_channel(FORK, site_url=FORK_URL, newest=newest),
        topic_channel(FORK, site_url=FORK_URL, page="topics/agents/", name="Agents", about="Models that act.",
                      newest=newest),
        org_channel(FORK, site_url=FORK_URL, page="orgs/example-lab/", name="Example Lab", newest=newest),
    ]


def _head(path: str, text: str) -> dict:
    """A feed's title, description, page link, date and rights, whatever its format."""
    if path.endswith(".json"):
        doc = json.loads(text)
        return {"title": doc["title"], "description": doc["description"], "link": doc["home_page_url"],
                "author": doc["authors"][0]["name"]}
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    feed = parsed.feed
    description = feed.subtitle
    if feed.subtitle_detail.type == "text/html":  # RSS: HTML, as readers render it
        description = html.unescape(description)
    return {"title": feed.title, "description": description, "link": feed.link,
            "rights": feed.get("rights"), "updated": feed.get("updated_parsed")[:3],
            "author": feed.get("author")}


def test_a_forks_name_and_description_reach_every_feed():
    for channel in _fork_channels():
        documents = feed_documents(channel, FIXTURE)
        assert sorted(documents) == sorted(channel.page + name for name in ("feed.xml", "atom.xml", "feed.json"))
        for path, text in documents.items():
            head = _head(path, text)
            assert head["title"].startswith("Ånother <Archive> & Co"), (path, head)
            assert "Ånother <Archive> & Co" in head["description"] or channel.page == "", (path, head)
            assert "Daily Papers Archive" not in text and "paperarchive" not in head["title"]
            if not path.endswith(".json"):
                assert head["rights"] == "© 2026 Ada", path
            if path.endswith(("atom.xml", ".json")):
                assert head["author"] == "Ada Lovelace", path
    archive = feed_documents(_fork_channels()[0], FIXTURE)
    assert _head("feed.xml", archive["feed.xml"])["description"] == "Papers a fork keeps."


def test_topic_and_org_feeds_link_to_their_own_page():
    expected = {"": FORK_URL, "topics/agents/": FORK_URL + "topics/agents/", "orgs/example-lab/": FORK_URL + "orgs/example-lab/"}
    for channel in _fork_channels():
        for path, text in feed_documents(channel, FIXTURE).items():
            assert _head(path, text)["link"] == expected[channel.page], path
            if path.endswith(".json"):
                assert json.loads(text)["feed_url"] == FORK_URL + path
            else:
                assert f'href="{FORK_URL + path}" rel="self"' in text
    topic = _fork_channels()[1]
    assert topic.title == "Ånother <Archive> & Co: Agents"
    assert topic.description == "Ånother <Archive> & Co: the newest papers on Agents. Models that act."
    assert _fork_channels()[2].description == "Ånother <Archive> & Co: the newest papers of Example Lab."


def test_an_empty_topic_has_valid_feeds_dated_by_the_archive():
    channel = topic_channel(FORK, site_url=FORK_URL, page="topics/empty/", name="Empty", about="", newest=date(2026, 8, 20))
    documents = feed_documents(channel, [])
    for path, text in documents.items():
        if path.endswith(".json"):
            assert json.loads(text)["items"] == []
            continue
        head = _head(path, text)
        assert head["updated"] == (2026, 8, 20), path
        assert feedparser.parse(text).entries == []
    assert channel.description == "Ånother <Archive> & Co: the newest papers on Empty."


def test_hostile_identity_stays_text():
    hostile = replace(FORK, name=HOSTILE_TITLE, copyright="</rights><x>")
    channel = org_channel(hostile, site_url=FORK_URL, page="orgs/o/", name="R&D <Lab>", newest=None)
    for path, text in feed_documents(channel, HOSTILE).items():
        head = _head(path, text)
        assert head["title"] == f"{HOSTILE_TITLE}: R&D <Lab>", path
