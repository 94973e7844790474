"""One paper's store file (``content/papers/<id>.yml``), and the flat row the store cache keeps of it.

Nothing here names a field of ``Paper`` except where a field needs more than its type says
(``id`` and ``aliases`` hold ids).  The file's keys are ``Paper``'s fields in their order; each
field's type gives its kind, and the kind says how the value is written, read back, checked and
flattened for the cache.  A new field of a type already used needs no change in this module.
"""

from __future__ import annotations

import re
import typing
from dataclasses import MISSING, dataclass, fields
from datetime import date

import yaml

from .records import AuthorProfile, Paper, Source, UpvoteCount, is_valid_id, iso_date
from .storelayout import LayoutReader

_YAML_WIDTH = 1 << 30  # never fold a line: one field per line keeps diffs readable
# Dates a store file may hold.  The last one is the last day whose midnight (UTC) fits the unsigned
# 32-bit timestamps of gzip and zip headers; the site writes some dates there.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2106, 2, 6)
_DATE_LIKE = re.compile(r"[0-9]{4,6}-[0-9]{2}-[0-9]{2}")


class StoreFormatError(ValueError):
    """A store file that is not a valid paper record; ``line`` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class FieldError(ValueError):
    """A field's value is wrong; ``index`` (an item of a list) and ``key`` (of that item) locate it."""

    def __init__(self, message: str, name: str, index: int | None = None, key: str | None = None):
        super().__init__(message)
        self.name, self.index, self.key = name, index, key


@dataclass(frozen=True)
class FileWarning:
    """Something read as unknown rather than refused (the rest of the paper is good)."""

    line: int
    message: str


# --- kinds: how a value of each type is checked, written and flattened ---------------------------

_KIND_OF_TYPE = {
    str: "text",
    str | None: "optional text",
    int: "count",
    int | None: "optional number",
    date | None: "date",
    tuple[str, ...]: "texts",
    tuple[Source, ...]: "sources",
    tuple[AuthorProfile, ...]: "profiles",
    tuple[UpvoteCount, ...]: "counts",
}
_KIND_OF_FIELD = {"id": "id", "aliases": "ids"}  # where the type alone says too little


@dataclass(frozen=True)
class _Field:
    name: str
    kind: str
    default: object  # MISSING: the field must be present
    when_known: bool = False  # written only when its value is not the default


def _paper_fields() -> tuple[_Field, ...]:
    hints = typing.get_type_hints(Paper)
    found = []
    for f in fields(Paper):
        kind = _KIND_OF_FIELD.get(f.name) or _KIND_OF_TYPE.get(hints[f.name])
        if kind is None:
            raise TypeError(f"Paper.{f.name}: no store kind for type {hints[f.name]}")
        found.append(_Field(f.name, kind, f.default, bool(f.metadata.get("when_known"))))
    return tuple(found)


FIELDS = _paper_fields()
FIELD_NAMES = tuple(f.name for f in FIELDS)
_FIELD_SET = frozenset(FIELD_NAMES)


# --- plain data (what YAML holds) ------------------------------------------------------------------


def _source_dict(s: Source) -> dict:
    # "rank" only when known, so the files of papers stored before it existed keep their bytes
    found = {"listing": s.listing, "listed": iso_date(s.listed)}
    if s.rank is not None:
        found["rank"] = s.rank
    return found


_TO_PLAIN = {
    "texts": list,
    "ids": list,
    "date": iso_date,
    "sources": lambda value: [_source_dict(s) for s in value],
    "profiles": lambda value: [{"name": a.name, "user": a.user} for a in value],
    "counts": lambda value: [{"day": iso_date(c.day), "upvotes": c.upvotes} for c in value],
}


def paper_to_dict(p: Paper) -> dict:
    """The paper as plain data, keys in the store's order, dates as ISO strings."""
    found = {}
    for f in FIELDS:
        value = getattr(p, f.name)
        if f.when_known and value == f.default:
            continue
        convert = _TO_PLAIN.get(f.kind)
        found[f.name] = convert(value) if convert else value
    return found


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise FieldError(f"field {name!r} must be text", name)
    return value


def _check_id(name: str, value: object) -> str:
    _check_text(name, value)
    if not is_valid_id(value):
        raise FieldError(f"field {name!r} is not a valid id: {value!r}", name)
    return value


def _check_optional_text(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise FieldError(f"field {name!r} must be text or null", name)
    return value


def _check_count(name: str, value: object) -> int:
    if not _is_int(value) or value < 0:
        raise FieldError(f"field {name!r} must be a whole number >= 0", name)
    return value


def _check_optional_number(name: str, value: object) -> int | None:
    if value is not None and not _is_int(value):
        raise FieldError(f"field {name!r} must be a whole number or null", name)
    return value


def _check_texts(name: str, value: object) -> tuple[str, ...]:
    value = value or []
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise FieldError(f"field {name!r} must be a list of text", name)
    return tuple(value)


def _check_ids(name: str, value: object) -> tuple[str, ...]:
    items = _check_texts(name, value)
    for index, item in enumerate(items):
        if not is_valid_id(item):
            raise FieldError(f"field {name!r} holds a value that is not a valid id: {item!r}", name, index)
    return items


def _check_profiles(name: str, value: object) -> tuple[AuthorProfile, ...]:
    value = value or []
    if not isinstance(value, list) or not all(
        isinstance(a, dict) and set(a) == {"name", "user"} and all(isinstance(x, str) and x for x in a.values())
        for a in value
    ):
        raise FieldError(f"field {name!r} must be a list of {{name, user}} (non-empty text)", name)
    return tuple(AuthorProfile(a["name"], a["user"]) for a in value)


_PLAUSIBLE_DAYS: dict[str, date] = {}  # date texts already read (a store holds a few thousand distinct days)
_PLAUSIBLE_DAYS_KEPT = 1 << 16


class _Reading:
    """One file's dates read as unknown (implausible), to be reported as warnings."""

    def __init__(self) -> None:
        self.implausible: list[tuple[str, int | None, str | None, str]] = []

    def date(self, value: object, name: str, index: int | None = None, key: str | None = None) -> date | None:
        if value is None:
            return None
        if value.__class__ is str and value in _PLAUSIBLE_DAYS:
            return _PLAUSIBLE_DAYS[value]
        shown = key or name
        if isinstance(value, date) and not hasattr(value, "hour"):
            found: date | None = value
        elif isinstance(value, str) and _DATE_LIKE.fullmatch(value) and not _impossible_day(value):
            found = _calendar_date(value)
        else:
            raise FieldError(f"field {shown!r} must be a YYYY-MM-DD date or null", name, index, key)
        if found is None or not EARLIEST_DATE <= found <= LATEST_DATE:
            written = value.isoformat() if isinstance(value, date) else value
            self.implausible.append((name, index, key, f"field {shown!r} is not a plausible date ({written}): read as unknown"))
            return None
        if value.__class__ is str and len(_PLAUSIBLE_DAYS) < _PLAUSIBLE_DAYS_KEPT:
            _PLAUSIBLE_DAYS[value] = found
        return found

    def date_field(self, name: str, value: object) -> date | None:
        return self.date(value, name)

    def counts(self, name: str, value: object) -> tuple[UpvoteCount, ...]:
        value = value or []
        if not isinstance(value, list) or not all(
            isinstance(c, dict) and set(c) == {"day", "upvotes"} and _is_int(c["upvotes"]) and c["upvotes"] >= 0
            for c in value
        ):
            raise FieldError(f"field {name!r} must be a list of {{day, upvotes (a whole number >= 0)}}", name)
        return tuple(UpvoteCount(self.date(c["day"], name, i, "day"), c["upvotes"]) for i, c in enumerate(value))

    def sources(self, name: str, value: object) -> tuple[Source, ...]:
        value = value or []
        if not isinstance(value, list) or not all(_valid_source(s) for s in value):
            raise FieldError(f"field {name!r} must be a list of {{listing, listed, rank (optional, >= 1)}}", name)
        return tuple(Source(self.date(s["listed"], name, i, "listed"), s["listing"], s.get("rank")) for i, s in enumerate(value))


def _calendar_date(value: str) -> date | None:
    """The date ``value`` names, or None when no calendar of ours has it (year 0, year 10000, Feb 30)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _impossible_day(value: str) -> bool:
    """A month or day that no calendar has (``2025-13-40``): a typo to refuse, not a date to doubt."""
    _, month, day = value.rsplit("-", 2)
    return not (1 <= int(month) <= 12 and 1 <= int(day) <= 31)


def _valid_source(s: object) -> bool:
    return (
        isinstance(s, dict)
        and set(s) in ({"listing", "listed"}, {"listing", "listed", "rank"})
        and isinstance(s["listing"], str)
        and (s.get("rank") is None or (_is_int(s["rank"]) and s["rank"] >= 1))
    )


_CHECKS = {
    "id": _check_id,
    "ids": _check_ids,
    "text": _check_text,
    "optional text": _check_optional_text,
    "count": _check_count,
    "optional number": _check_optional_number,
    "texts": _check_texts,
    "profiles": _check_profiles,
}


_READING_CHECKS = {"date": _Reading.date_field, "sources": _Reading.sources, "counts": _Reading.counts}
# (name, default, check, whether the check takes the _Reading) for each field, in order
_FIELD_CHECKS = tuple(
    (f.name, f.default, _READING_CHECKS[f.kind], True) if f.kind in _READING_CHECKS
    else (f.name, f.default, _CHECKS[f.kind], False)
    for f in FIELDS
)


def _read_dict(d: object, reading: _Reading) -> Paper:
    if not isinstance(d, dict):
        raise ValueError(f"expected a mapping of paper fields, got {type(d).__name__}")  # noqa: TRY004 -- a file's content
    if not _FIELD_SET.issuperset(d):
        # refuse rather than drop: a rewrite would silently lose the unknown field
        unknown = sorted(str(k) for k in d if k not in FIELD_NAMES)
        raise FieldError(f"unknown field {unknown[0]!r}", unknown[0])
    values = {}
    for name, default, check, reads in _FIELD_CHECKS:
        if name not in d and default is not MISSING:
            values[name] = default
        elif reads:
            values[name] = check(reading, name, d.get(name))
        else:
            values[name] = check(name, d.get(name))
    return Paper(**values)


def paper_from_dict(d: object) -> Paper:
    """The inverse of paper_to_dict; raises ValueError naming the bad field (implausible dates read as None)."""
    return _read_dict(d, _Reading())


# --- the file ----------------------------------------------------------------------------------------


class _Loader(yaml.CSafeLoader):
    """Safe YAML where a date stays text: the reader checks it, so an impossible date is a message, not a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


_LAYOUT = LayoutReader(FIELD_NAMES, _Loader)


def dump_paper_yaml(p: Paper) -> str:
    """The paper's store file: safe YAML (libyaml), keys in fixed order, every string exact."""
    return yaml.dump(
        paper_to_dict(p),
        Dumper=yaml.CSafeDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=_YAML_WIDTH,
    )


def load_paper_yaml(text: str) -> Paper:
    """Read one store file; raises StoreFormatError with the line that is wrong."""
    return read_paper_file(text)[0]


def read_paper_file(text: str) -> tuple[Paper, tuple[FileWarning, ...]]:
    """One store file: the paper, and what in it was read as unknown; raises StoreFormatError.

    A file in the layout ``dump_paper_yaml`` writes is read without the YAML parser (for about a fifth
    of the parser's CPU), to the same data; any other text goes through the parser.
    """
    data = _LAYOUT.read(text)
    if data is None:
        data = _yaml_data(text)
    reading = _Reading()
    try:
        paper = _read_dict(data, reading)
    except FieldError as exc:
        raise StoreFormatError(line_of(text, exc.name, exc.index, exc.key), str(exc)) from None
    except ValueError as exc:
        raise StoreFormatError(1, str(exc)) from None
    warnings = tuple(FileWarning(line_of(text, name, index, key), message) for name, index, key, message in reading.implausible)
    return paper, warnings


def _yaml_data(text: str) -> object:
    """What the YAML parser reads from ``text``; raises StoreFormatError with the line that is wrong."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or str(exc)
        if what.startswith("but ") and exc.context:
            what = f"{exc.context} {what}"
        raise StoreFormatError(line, f"not valid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise StoreFormatError(1, f"not valid YAML: {exc}") from None


def line_of(text: str, name: str, index: int | None = None, key: str | None = None) -> int:
    """The 1-based line of field ``name`` (of its item ``index``, of that item's ``key``), else 1."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError):
        return 1
    if not isinstance(root, yaml.MappingNode):
        return 1
    for field_node, value in root.value:
        if field_node.value != name:
            continue
        if index is None or not isinstance(value, yaml.SequenceNode) or index >= len(value.value):
            return field_node.start_mark.line + 1
        item = value.value[index]
        if key is not None and isinstance(item, yaml.MappingNode):
            for key_node, _ in item.value:
                if key_node.value == key:
                    return key_node.start_mark.line + 1
        return item.start_mark.line + 1
    return 1


# --- the store cache's rows: flat tuples of marshal-able values (dates as ordinals) ----------------


def _ordinal(value: date | None) -> int | None:
    return value.toordinal() if value is not None else None


def _day_of(value: int | None) -> date | None:
    return date.fromordinal(value) if value is not None else None


_TO_ROW = {
    "date": _ordinal,
    "sources": lambda value: tuple((_ordinal(s.listed), s.listing, s.rank) for s in value),
    "profiles": lambda value: tuple((a.name, a.user) for a in value),
    "counts": lambda value: tuple((_ordinal(c.day), c.upvotes) for c in value),
}
_FROM_ROW = {
    "date": _day_of,
    "sources": lambda value: tuple(Source(_day_of(d), listing, rank) for d, listing, rank in value),
    "profiles": lambda value: tuple(AuthorProfile(name, user) for name, user in value),
    "counts": lambda value: tuple(UpvoteCount(_day_of(d), n) for d, n in value),
}
_ROW_OUT = tuple((i, _TO_ROW[f.kind]) for i, f in enumerate(FIELDS) if f.kind in _TO_ROW)
_ROW_IN = tuple((i, _FROM_ROW[f.kind]) for i, f in enumerate(FIELDS) if f.kind in _FROM_ROW)


def row_of(p: Paper) -> tuple:
    """A paper as a flat tuple, fields in the store's order."""
    values = [getattr(p, name) for name in FIELD_NAMES]
    for i, convert in _ROW_OUT:
        values[i] = convert(values[i])
    return tuple(values)


def paper_of_row(row: tuple) -> Paper:
    """The inverse of row_of; raises ValueError or TypeError on a row of another shape."""
    if len(row) != len(FIELD_NAMES):
        raise ValueError("a cache row of another shape")
    values = list(row)
    for i, convert in _ROW_IN:
        values[i] = convert(values[i])
    return Paper(**dict(zip(FIELD_NAMES, values, strict=False)))
