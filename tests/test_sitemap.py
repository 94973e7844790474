"""The sitemap the archive writes itself (sitemap.py): MkDocs' page addresses, deterministic gzip."""

from __future__ import annotations

import dataclasses
import gzip
import io
import re
import struct
from datetime import date

from conftest import ROOT
from paperarchive import site, sitemap
from paperarchive.records import Source
from sitefixtures import fixture_papers, fixture_taxonomy

BASE = "https://example.org/archive/"


def test_pages_are_listed_in_mkdocs_order_with_directory_urls():
    paths = ["papers/b/index.md", "about.md", "index.md", "days/2025-11/index.md", "papers/a.md",
             "assets/logo.png", "days/index.md", "search.md", "guide/README.md"]
    assert sitemap.sitemap_xml(paths, BASE, "2025-11-21").splitlines() == [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        f"<url><loc>{BASE}</loc><lastmod>2025-11-21</lastmod></url>",
        f"<url><loc>{BASE}about/</loc></url>",
        f"<url><loc>{BASE}search/</loc></url>",
        f"<url><loc>{BASE}days/</loc></url>",
        f"<url><loc>{BASE}days/2025-11/</loc></url>",
        f"<url><loc>{BASE}guide/</loc></url>",
        f"<url><loc>{BASE}papers/a/</loc></url>",
        f"<url><loc>{BASE}papers/b/</loc></url>",
        "</urlset>",
    ]


def test_addresses_are_quoted_and_escaped():
    text = sitemap.sitemap_xml(["a b&<c>.md"], "https://example.org/?x=1&y='2'", None)
    assert "<url><loc>https://example.org/a%20b%26%3Cc%3E/</loc></url>" in text
    assert sitemap.sitemap_xml(["index.md"], "https://example.org/a&b/", None).splitlines()[2] == (
        "<url><loc>https://example.org/a&amp;b/</loc></url>")


def test_without_a_site_url_no_page_is_listed():
    assert sitemap.sitemap_xml(["index.md", "about.md"], "", "2025-11-21") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        "</urlset>\n")


def test_the_gzip_copy_holds_no_time_and_survives_dates_after_2106(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    sitemap.write_sitemap(tmp_path, ["index.md"], BASE, date(2200, 1, 1))
    data = (tmp_path / "sitemap.xml").read_bytes()
    packed = (tmp_path / "sitemap.xml.gz").read_bytes()
    assert b"<lastmod>2200-01-01</lastmod>" in data
    assert gzip.decompress(packed) == data
    assert struct.unpack("<I", packed[4:8]) == (0,)  # mtime
    assert packed[10:22] == b"sitemap.xml\0"  # the bare name, never the build's temporary folder


def test_source_date_epoch_sets_the_home_pages_lastmod(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert sitemap.home_lastmod(date(2025, 1, 1)) == "2023-11-14"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert sitemap.home_lastmod(date(2025, 1, 1)) == "2025-01-01"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert sitemap.home_lastmod(None) == "1970-01-01"


def test_a_site_whose_newest_paper_is_dated_after_2106_builds(tmp_path, monkeypatch):
    """MkDocs' own sitemap put the content's newest date in a 32-bit gzip field: 2106 broke the build."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    papers = fixture_papers()
    future = dataclasses.replace(papers[0], published=date(2200, 3, 1),
                                 sources=(Source(date(2200, 3, 2), "2200-03-02.json"),), first_seen=date(2200, 3, 2))
    site.build_site(ROOT / "mkdocs.yml", [future, *papers[1:]], fixture_taxonomy(), site_dir=tmp_path / "site",
                    err=io.StringIO())
    text = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    newest = max(d for p in papers[1:] for d in (p.published, p.first_seen, *(s.listed for s in p.sources)) if d)
    # the home page's date is the newest plausible one: a paper dated 2200 neither breaks nor moves it
    assert re.findall(r"<lastmod>([^<]+)</lastmod>", text) == [newest.isoformat()]
    assert f"/papers/{future.id}/</loc>" in text
    assert gzip.decompress((tmp_path / "site" / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text
