"""The reading list's page and script as built: a shell out of the nav, no markup added to any other page,
and the weight the script and its styles add to every page (issue 18: at most 8 KB gzip)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from paperarchive.pages.readinglist import reading_list_page

ASSETS = Path(__file__).resolve().parents[1] / "build" / "paperarchive" / "theme" / "assets" / "paperarchive"
SCRIPT = ASSETS / "readinglist.js"
STYLES = ASSETS / "paperarchive.css"
CSS_SECTION = "/* ---- the reading list, "
BUDGET = 8 * 1024
SCRIPT_TAG = re.compile(r'<script src="(?:\.\./)*(?:\./)?assets/paperarchive/readinglist\.js" defer></script>')


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def _css_section() -> bytes:
    text = STYLES.read_text(encoding="utf-8")
    start = text.index(CSS_SECTION)
    following = text.find("\n/* ---- ", start + 1)
    return text[start: following if following >= 0 else len(text)].encode("utf-8")


def test_script_and_styles_add_at_most_8_kb_gzip():
    script, styles = _gzip_size(SCRIPT.read_bytes()), _gzip_size(_css_section())
    assert script + styles <= BUDGET, f"readinglist.js {script} B + its CSS {styles} B gzip > {BUDGET} B"


def test_page_is_a_shell_for_the_script():
    pages = reading_list_page()
    assert list(pages) == ["reading-list.md"]
    text = pages["reading-list.md"]
    assert text.startswith("---\n") and 'template: "listing.html"' in text
    assert '<div class="pa-rl" data-pa-reading-list>' in text
    assert "needs JavaScript" in text
    assert 'href="../about/#reading-list-and-keys"' in text


def test_built_site_has_the_page_out_of_the_nav(featured_site):
    page = (featured_site / "reading-list" / "index.html").read_text(encoding="utf-8")
    assert "data-pa-reading-list" in page
    home = (featured_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index("</nav>")]
    assert "reading-list" not in nav


def test_every_page_loads_the_script_and_carries_no_markup_for_it(featured_site):
    pages = [featured_site / "index.html", featured_site / "reading-list" / "index.html",
             *sorted((featured_site / "days").glob("????-??-??/index.html")),
             *sorted((featured_site / "papers").glob("*/index.html"))[:3],
             *sorted((featured_site / "topics").glob("*/index.html"))[:3]]
    assert len(pages) > 6
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert len(SCRIPT_TAG.findall(html)) == 1, path
        # the buttons, ids and marks are added by the script: the page without JavaScript is unchanged
        for marker in ('class="pa-save', "data-pa-id", "data-id=", '"pa-new"', "pa-rl-link", "pa-live"):
            assert marker not in html, (path, marker)


def test_about_page_explains_the_list_and_the_keys(featured_site):
    about = (featured_site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'id="reading-list-and-keys"' in about
    assert 'href="../reading-list/"' in about
    for key in ("<code>j</code>", "<code>k</code>", "<code>o</code>", "<code>x</code>", "<code>?</code>"):
        assert key in about, key
