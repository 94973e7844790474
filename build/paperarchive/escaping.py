"""Untrusted text made inert for the pages: HTML escaping, safe links, front matter, relative links.

Untrusted text (titles, abstracts, organisation and author names, URLs from abstracts) never reaches
Markdown as Markdown: page bodies are block-level raw HTML, which Python-Markdown stashes untouched,
and every untrusted string in them goes through ``esc`` (HTML-escaped, line breaks and control
characters as character references, so nothing can end the raw block or be re-read as Markdown).
JSON-LD goes through ``script_json``. Front matter values are YAML double-quoted strings (``yaml_string``;
checked against PyYAML). The theme
escapes ``page.title`` and the meta description (MkDocs renders templates without autoescape).
"""

from __future__ import annotations

import functools
import json
import json.encoder
import re
import urllib.parse
from collections.abc import Iterable

# Tabs (Python-Markdown expands them), line breaks and C0 controls (Python-Markdown's own placeholders
# are \x02 and \x03) become character references, which browsers decode to the same characters.
# C1 controls stay raw: browsers would read &#x80;..&#x9F; as Windows-1252.
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
_ESCAPE_RE = re.compile(r"[&<>\"'\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]")


def _escape_one(match: re.Match) -> str:
    ch = match.group()
    return _ESCAPES.get(ch) or f"&#x{ord(ch):X};"


def esc(text: str) -> str:
    """Text as inert HTML: escaped, and no character that could end a raw HTML block or a line."""
    if text.isprintable():  # no control, line separator or surrogate: five C-level replaces, not a call per match
        return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
                .replace("'", "&#x27;"))
    return _ESCAPE_RE.sub(_escape_one, text)


def pre_text(text: str) -> str:
    """Escaped text for a <pre> block: line breaks kept (no line is blank), all else inert."""
    return "\n".join(esc(line) for line in text.rstrip("\n").split("\n"))


def safe_url(url: str) -> str | None:
    """An http(s) URL, or None: nothing else (javascript:, data:) ever becomes a link."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


# Characters a YAML double-quoted scalar must not hold raw: non-printable ones (PyYAML refuses them)
# and YAML's extra line breaks (NEL, LS, PS), which it would fold. JSON escapes C0 controls itself.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar that reads back exactly as ``text`` (JSON escapes are YAML escapes)."""
    quoted = json.encoder.encode_basestring(text)  # json.dumps(text, ensure_ascii=False), without its encoder object
    if quoted.isprintable():  # JSON escaped the C0 controls; nothing _YAML_UNSAFE holds is printable
        return quoted
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def front_matter(**fields: str | None) -> str:
    """Front matter with every value a quoted string (yaml.safe_dump does the same, 10 times slower)."""
    lines = "".join(f"{name}: {yaml_string(value)}\n" for name, value in fields.items() if value is not None)
    return f"---\n{lines}---\n\n"


# Inside <script> the HTML parser looks for "</script" and "<!--" in the raw text, whatever JSON
# means by it; U+2028/9 end a line in older JavaScript; lone surrogates cannot be written as UTF-8.
_SCRIPT_JSON_RE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")
# json.dumps(value, ensure_ascii=False, separators=(",", ":")) without a new encoder per call
_SCRIPT_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def script_json(value: object) -> str:
    """JSON for a ``<script type="application/ld+json">`` element: json.loads of the element's text
    gives ``value`` back, and no text in it can end the element or open a comment."""
    text = _SCRIPT_JSON_ENCODER.encode(value)
    return _SCRIPT_JSON_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# urllib.parse.quote never escapes these; a query value's spaces become "+"
_QUOTE_ALWAYS_SAFE = "A-Za-z0-9_.\\-~"
_PERCENT = {chr(c): f"%{c:02X}" for c in range(128)}


@functools.cache
def _unquoted_re(safe: str) -> re.Pattern:
    return re.compile(f"[^{_QUOTE_ALWAYS_SAFE}{re.escape(safe)} ]")


def _percent_one(match: re.Match) -> str:
    ch = match.group()
    return _PERCENT.get(ch) or "%" + ch.encode("utf-8").hex("%").upper()


def quote_plus(text: str, safe: str = "") -> str:
    """``urllib.parse.quote_plus(text, safe)``, the same text (UTF-8, upper-case hex, spaces as "+"), made
    by one regex pass instead of a Python call per byte: a COinS span quotes a dozen values per paper."""
    return _unquoted_re(safe).sub(_percent_one, text).replace(" ", "+")


def query_string(fields: Iterable[tuple[str, str]], safe: str = "") -> str:
    """``urllib.parse.urlencode(fields, quote_via=...)`` with every name and value through ``quote_plus(_, safe)``."""
    return "&".join(f"{quote_plus(name, safe)}={quote_plus(value, safe)}" for name, value in fields)


def href(from_url: str, to_url: str) -> str:
    """Relative link between two site-relative directory URLs ('' is the home page): the site works
    under any sub-path."""
    target = "../" * from_url.count("/") + to_url
    return target or "./"
