"""The reading-list page (``reading-list/``): the papers a reader saved, kept in their browser.

The page is a shell: ``theme/assets/paperarchive/readinglist.js`` fills ``[data-pa-reading-list]``
from the browser's ``localStorage`` and each paper's ``api/papers/<id>.json``, and reads a shared list
from the address's fragment. Without JavaScript the shell says so; nothing about the list ever reaches
the site's server.
"""

from __future__ import annotations

from ..escaping import front_matter, href
from ..urls import ABOUT, READING_LIST, src_for_url
from .listings import LISTING_TEMPLATE

TITLE = "Reading list"


def reading_list_page() -> dict[str, str]:
    """The reading-list page, by docs path."""
    here = READING_LIST
    body = "".join([
        front_matter(title=TITLE, template=LISTING_TEMPLATE),
        '<div class="pa-listing pa-reading">\n',
        f"<h1>{TITLE}</h1>\n",
        ("<p>Save a paper with the bookmark button beside it in any list, or on its page, and it is listed here, "
         "in the order you saved it. The list is kept in this browser only: nothing is sent anywhere. "
         "Download it as BibTeX or JSON, or share it as a link that carries the papers in its address. "
         f'<a href="{href(here, ABOUT)}#reading-list-and-keys">More, and the keys of list pages</a>.</p>\n'),
        ('<div class="pa-rl" data-pa-reading-list>\n'
         "<p>The reading list needs JavaScript, which is off or failed to load in this browser.</p>\n</div>\n"),
        "</div>\n",
    ])  # fmt: skip
    return {src_for_url(here): body}
