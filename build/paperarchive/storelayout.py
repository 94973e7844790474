"""A store file read without a YAML parser, when it is in the layout ``storefile`` writes.

Every store file is written by libyaml in one block layout: a top-level key per line in the order of
``Paper``'s fields, scalars plain, single-quoted or double-quoted on that line, a list either ``[]`` or
``- item`` lines, a list item either a scalar or a mapping of ``key: scalar`` lines.  ``LayoutReader``
reads exactly that subset, line by line, and returns what the YAML loader returns for it.  For any
text it is not certain about (a comment, a flow collection, a key out of order or unknown, a value
spread over lines, a character YAML reads as a line break, a plain scalar YAML would read as a
boolean...) it returns None, and the caller parses the file with the full YAML loader, so a file's
meaning, its problems and their messages never depend on which reader read it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml
from yaml.resolver import BaseResolver

# Characters the reader does not take as they stand: all but newline, printable ASCII and the printable
# non-ASCII planes.  Out go tab, carriage return and the other controls, NEL (U+0085), the line and
# paragraph separators (YAML 1.1 line breaks), the byte-order mark, non-characters and surrogates.
_UNSURE_CHARACTER = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# A plain scalar may not start with an indicator (nor with "-", "?" or ":", which some contexts allow).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\(?:[0abtnvfre"\\N_LP]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*)"')
_ESCAPE = re.compile(r'\\(?:([0abtnvfre"\\N_LP])|x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_ESCAPED = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b",
            '"': '"', "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,17}")  # what a plain YAML int is with no octal, sign, "_" or ":" reading
_KEY = re.compile(r"[a-z][a-z_]*")
_STR, _INT, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:null"


class _Unsure(Exception):
    """The text is not in the layout this module reads with certainty."""


class LayoutReader:
    """Reads store files in the written layout as ``loader`` (a PyYAML loader class) would read them.

    ``keys``: the top-level keys, in the only order they may appear (each at most once).
    """

    def __init__(self, keys: Sequence[str], loader: type) -> None:
        self._loader = loader
        self._plain: dict[str, object] = {}  # plain scalars already resolved (null, counts, common words)
        self._keys: dict[str, bool] = {}  # item keys already checked
        resolvers = loader.yaml_implicit_resolvers
        if loader.yaml_path_resolvers or None in resolvers:  # resolvers _resolved_plain does not consult: read nothing
            keys = ()
        self._resolved_first = frozenset(resolvers)  # first characters a plain scalar may be resolved by
        # a key the loader would read as something else than its text is left to the loader
        self._place = {key: i for i, key in enumerate(keys) if self._plain_or_none(key) == key}

    def read(self, text: str) -> dict | None:
        """The mapping ``yaml.load(text, Loader=loader)`` returns, or None when unsure of it."""
        if not text.endswith("\n"):
            return None
        try:
            return self._mapping(text[:-1].split("\n"))
        except _Unsure:
            return None

    def _mapping(self, lines: list[str]) -> dict:
        found: dict = {}
        next_place = 0
        items: list | None = None  # the block list being read (after a "key:" line)
        item: dict | None = None  # the list's last item, when it is a mapping
        place_of, known, scalar = self._place.get, self._plain.get, self._scalar
        for line in lines:
            if not line.isprintable() and _UNSURE_CHARACTER.search(line):
                raise _Unsure
            if items is not None:
                start = line[:2]
                if start == "- ":
                    key, colon, rest = line[2:].partition(": ")
                    if colon and self._is_key(key):
                        item = {key: scalar(rest)}
                        items.append(item)
                    else:
                        item = None
                        items.append(scalar(line[2:]))
                    continue
                if start == "  ":
                    key, colon, rest = line[2:].partition(": ")
                    if item is None or not colon or key in item or not self._is_key(key):
                        raise _Unsure
                    item[key] = scalar(rest)
                    continue
                if not items:
                    raise _Unsure  # "key:" alone is null, or holds a block this reader does not take
                items = item = None
            key, colon, rest = line.partition(": ")
            if not colon:
                if line[-1:] != ":":
                    raise _Unsure
                key = line[:-1]
            place = place_of(key)
            if place is None or place < next_place:
                raise _Unsure
            next_place = place + 1
            if not colon:
                found[key] = items = []
            elif rest == "[]":
                found[key] = []
            else:
                value = known(rest, _Unsure)
                found[key] = scalar(rest) if value is _Unsure else value
        if not found or items == []:
            raise _Unsure
        return found

    def _is_key(self, text: str) -> bool:
        """Whether ``text`` is a key this reader takes: a plain word YAML reads as that word."""
        known = self._keys.get(text)
        if known is None:
            known = self._keys[text] = _KEY.fullmatch(text) is not None and self._plain_or_none(text) == text
        return known

    def _scalar(self, text: str) -> object:
        found = self._plain.get(text, _Unsure)
        if found is not _Unsure:
            return found
        first = text[:1]
        if first == "'":
            inner = text[1:-1]
            # every quote inside is one of a doubled pair (pairs taken left to right, as YAML does)
            if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
                raise _Unsure
            return inner.replace("''", "'")
        if first == '"':
            quoted = _DOUBLE_QUOTED.fullmatch(text)
            if quoted is None:
                raise _Unsure
            return _ESCAPE.sub(_unescape, quoted[1])
        return self._resolved_plain(text)

    def _plain_or_none(self, text: str) -> object:
        try:
            return self._scalar(text)
        except _Unsure:
            return None

    def _resolved_plain(self, text: str) -> object:
        if not text or text[0] in _INDICATORS or ": " in text or " #" in text or text[-1] in ": ":
            raise _Unsure
        if text[0] in self._resolved_first:
            tag = BaseResolver.resolve(self._loader, yaml.ScalarNode, text, (True, False))
        else:  # what resolve() returns when no implicit resolver is registered for this first character
            tag = _STR
        if tag == _STR:
            value: object = text
        elif tag == _INT and _DECIMAL.fullmatch(text):
            value = int(text)
        elif tag == _NULL and text == "null":
            value = None
        else:
            raise _Unsure
        if len(text) <= 16 and len(self._plain) < 4096:
            self._plain[text] = value
        return value


def _unescape(escape: re.Match) -> str:
    letter, *codes = escape.groups()
    if letter is not None:
        return _ESCAPED[letter]
    code = int(next(c for c in codes if c is not None), 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:  # libyaml refuses these: the YAML reader says so
        raise _Unsure
    return chr(code)
