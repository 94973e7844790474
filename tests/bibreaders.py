"""BibTeX read back by the two parsers reference managers build on (pybtex, bibtexparser): a test
support module, shared by the BibTeX tests and the site tests."""

from __future__ import annotations

import bibtexparser
import pybtex.database


def read_pybtex(text: str) -> dict[str, dict[str, str]]:
    data = pybtex.database.parse_string(text, "bibtex")
    return {key: {**dict(e.fields), **{role: " and ".join(map(str, people)) for role, people in e.persons.items()}}
            for key, e in data.entries.items()}


def read_bibtexparser(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    assert not library.comments, [c.comment for c in library.comments]  # no stray text outside entries
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}
