"""The topic taxonomy (content/topics.yml) and the matcher that assigns topics to papers.

A topic matches a paper when the paper's title and abstract score enough points
against the topic's patterns (the rule language is documented at the top of
content/topics.yml):

* a ``keywords`` or ``strong`` pattern found in the title scores ``TITLE_POINTS``;
* a ``title_only`` pattern found in the title scores ``TITLE_POINTS`` (never the abstract);
* each occurrence of a ``keywords`` pattern in the abstract scores 1 point,
  at most ``ABSTRACT_CAP`` points per pattern (one word said ten times is not ten signals);
* each occurrence of a ``strong`` pattern in the abstract scores ``STRONG_POINTS``,
  at most ``STRONG_CAP`` occurrences per pattern;
* the topic is assigned when its score reaches ``min_score`` and no ``exclude``
  pattern occurs in the title or the abstract.

Patterns are case-insensitive regular expressions matched at word boundaries,
each counted on its own.  Running ~700 regexes over every abstract would take
seconds per thousand papers, so the patterns are indexed by the words their
matches start with (worked out from the parsed regex): a paper's words pick the
few rules worth running, and one-word patterns are counted without any regex.
tests/test_topics.py checks the index against the plain one-regex-per-pattern
reading of the rules.

A taxonomy that cannot be read is fatal: the build cannot go on without one.
``load_taxonomy`` reads the whole file, collects every problem as
``FILE:LINE: message`` and raises one ``TaxonomyError`` listing them all.
"""

from __future__ import annotations

import hashlib
import marshal
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .records import Problem

try:  # the regex parser, used to index patterns by the words they start with
    from re import _constants as _sre_constants
    from re import _parser as _sre_parser
except ImportError:  # Python < 3.11
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parser  # type: ignore[no-redef]

TITLE_POINTS = 3
ABSTRACT_CAP = 3
STRONG_POINTS = 2
STRONG_CAP = 2
DEFAULT_MIN_SCORE = 3

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PATTERN_KINDS = ("keywords", "strong", "title_only", "exclude")
_TOPIC_KEYS = ("id", "name", "description", "min_score", *_PATTERN_KINDS)
_FLAGS = re.IGNORECASE


class TaxonomyError(Exception):
    """content/topics.yml cannot be used; ``str()`` lists every problem as ``FILE:LINE: message``."""

    def __init__(self, problems: tuple[Problem, ...]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Topic:
    id: str  # permanent: the page lives at urls.topic_url(id)
    name: str
    description: str
    min_score: int = DEFAULT_MIN_SCORE
    keywords: tuple[str, ...] = ()
    strong: tuple[str, ...] = ()
    title_only: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Rule:
    """One pattern of one topic, of one kind (keywords, strong, title_only, exclude)."""

    topic: int  # index into Taxonomy.topics
    kind: str
    pattern: str
    finder: _Finder


class _Finder:
    """Counts the word-bounded, case-insensitive matches of one pattern in lowercased text.

    Fast path: the pattern's source is lowercased and compiled without IGNORECASE and
    without a leading \b, so the regex engine can jump to its literal prefix; the
    left word boundary is checked by hand.  Patterns with character escapes (\x41)
    cannot be lowercased safely and keep the plain IGNORECASE form.
    """

    __slots__ = ("regex", "check_left")

    def __init__(self, pattern: str):
        lowered = _lowercase_source(pattern)
        if lowered is None:
            self.regex = re.compile(rf"\b(?:{pattern})\b", _FLAGS)
            self.check_left = False
        else:
            self.regex = re.compile(rf"(?:{lowered})\b")
            self.check_left = True

    def count(self, low: str, cap: int) -> int:
        found = 0
        pos = 0
        search = self.regex.search
        while found < cap:
            match = search(low, pos)
            if match is None:
                break
            start = match.start()
            if self.check_left and start and _is_word_char(low[start - 1]):
                pos = start + 1
                continue
            found += 1
            pos = match.end()
        return found


@dataclass(frozen=True)
class _Index:
    """Which rules can match a text, looked up by the words the text contains.

    ``single`` maps a word to the rules whose every match is exactly that one word
    (their count is the word's count: no regex runs).  ``pairs`` maps two adjacent
    words, and ``first`` one word, to the rules whose matches may start with them
    (``pairs`` also lists the further words such a match needs); those rules are
    confirmed by running their regex.  ``always`` holds the rules
    whose first words cannot be known: they run on every text.
    """

    single: dict
    first: dict
    pairs: dict
    always: tuple[int, ...]
    keys: frozenset
    pair_keys: frozenset

    def matches(self, rules: tuple[_Rule, ...], text: str) -> dict[int, int]:
        """rule number -> number of matches (verified rules stop counting at ABSTRACT_CAP)."""
        low = _lower(text)
        words = _words(low)
        counts = Counter(words)
        found: dict[int, int] = {}
        verify = set(self.always)
        for word in self.keys.intersection(counts):
            for rule in self.single.get(word, ()):
                found[rule] = found.get(rule, 0) + counts[word]
            verify.update(self.first.get(word, ()))
        present = counts.keys()
        for pair in self.pair_keys.intersection(zip(words, words[1:], strict=False)):
            for rule, rests in self.pairs[pair]:
                if rule not in verify and (not rests or any(present >= rest for rest in rests)):
                    verify.add(rule)
        for rule in verify:
            n = rules[rule].finder.count(low, ABSTRACT_CAP)
            if n:
                found[rule] = n
        return found


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    _rules: tuple[_Rule, ...] = field(default=(), repr=False, compare=False)
    _index: _Index | None = field(default=None, repr=False, compare=False)
    _by_id: dict = field(default_factory=dict, repr=False, compare=False)

    def by_id(self, topic_id: str) -> Topic:
        """The topic with this id; KeyError names the id when there is none."""
        try:
            return self._by_id[topic_id]
        except KeyError:
            raise KeyError(f"no topic with id {topic_id!r}") from None

    def scores(self, title: str, abstract: str) -> dict[str, int]:
        """Every topic's score for a paper (0 when vetoed by an exclude pattern)."""
        points, vetoed = self._points(title, abstract)
        return {t.id: 0 if i in vetoed else points[i] for i, t in enumerate(self.topics)}

    def assign(self, title: str, abstract: str) -> tuple[str, ...]:
        """The ids of the topics the paper belongs to, in taxonomy order."""
        points, vetoed = self._points(title, abstract)
        return tuple(
            t.id for i, t in enumerate(self.topics) if i not in vetoed and points[i] >= t.min_score
        )

    def _points(self, title: str, abstract: str) -> tuple[list[int], set[int]]:
        rules = self._rules
        points = [0] * len(self.topics)
        vetoed: set[int] = set()
        title_patterns: set[tuple[int, str]] = set()
        for number in self._index.matches(rules, title):
            rule = rules[number]
            if rule.kind == "exclude":
                vetoed.add(rule.topic)
            else:
                title_patterns.add((rule.topic, rule.pattern))
        for topic, _ in title_patterns:
            points[topic] += TITLE_POINTS
        for number, n in self._index.matches(rules, abstract).items():
            rule = rules[number]
            if rule.kind == "keywords":
                points[rule.topic] += min(n, ABSTRACT_CAP)
            elif rule.kind == "strong":
                points[rule.topic] += STRONG_POINTS * min(n, STRONG_CAP)
            elif rule.kind == "exclude":
                vetoed.add(rule.topic)
        return points, vetoed


class RememberedTaxonomy:
    """A Taxonomy whose ``assign`` reuses the answers of earlier builds (a cache file).

    A paper's topics depend on its title, its abstract and the taxonomy only, so the answers
    are keyed by the exact (title, abstract) under a key of the taxonomy (its topics and this
    module's source): an unchanged paper is never matched again (1.1 s at 10k papers), an
    edited one simply misses. ``save()`` keeps the answers used in this run; everything else
    is the wrapped taxonomy's.
    """

    def __init__(self, taxonomy: Taxonomy, path: Path | None):
        self.taxonomy = taxonomy
        self.topics = taxonomy.topics
        self._key = _taxonomy_key(taxonomy)
        self._path = path  # the cache file (cache.TOPICS); None: nothing kept
        self._known = self._read()
        self._used: dict[bytes, tuple[str, ...]] = {}
        self._missed = 0

    def assign(self, title: str, abstract: str) -> tuple[str, ...]:
        key = hashlib.blake2b(marshal.dumps((title, abstract)), digest_size=16).digest()
        found = self._known.get(key)
        if found is None:
            found = self.taxonomy.assign(title, abstract)
            self._missed += 1
        self._used[key] = found
        return found

    def __getattr__(self, name: str):
        if name == "taxonomy":  # not set yet (e.g. while being copied)
            raise AttributeError(name)
        return getattr(self.taxonomy, name)

    def save(self) -> None:
        """Write the answers used in this run (when there are enough to be worth it and some are new)."""
        from . import cache

        if self._path is None or not self._missed and len(self._used) == len(self._known):
            return
        if len(self._used) >= CACHE_MIN_PAPERS:
            cache.write(self._path, self._key, self._used)

    def _read(self) -> dict[bytes, tuple[str, ...]]:
        from . import cache

        known = cache.read(self._path, self._key)
        return known if isinstance(known, dict) else {}


CACHE_MIN_PAPERS = 1000  # below this, matching costs well under 0.2 s


def _taxonomy_key(taxonomy: Taxonomy) -> bytes:
    from . import cache

    return cache.content_key(cache.code_key(__file__), repr(taxonomy.topics).encode("utf-8", "surrogatepass"))


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and check content/topics.yml; raise TaxonomyError listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError((Problem(name, 1, f"cannot read the taxonomy: {exc}"),)) from None
    return parse_taxonomy(text, name)


def parse_taxonomy(text: str, name: str = "topics.yml") -> Taxonomy:
    """The taxonomy in ``text`` (YAML); ``name`` is the file name used in error messages."""
    problems: list[Problem] = []
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise TaxonomyError((Problem(name, line, f"not valid YAML: {reason}"),)) from None
    topic_nodes = _topic_nodes(root, name, problems)
    topics: list[Topic] = []
    first_line: dict[str, int] = {}
    for node in topic_nodes:
        built = _read_topic(node, name, problems)
        if built is None:
            continue
        topic = built
        line = node.start_mark.line + 1
        if topic.id in first_line:
            problems.append(
                Problem(name, line, f"duplicate topic id '{topic.id}' (first defined at line {first_line[topic.id]})")
            )
            continue
        first_line[topic.id] = line
        topics.append(topic)
    if not topics and not problems:
        problems.append(Problem(name, 1, "the taxonomy has no topics"))
    if problems:
        raise TaxonomyError(tuple(problems))
    rules = tuple(
        _Rule(number, kind, pattern, _Finder(pattern))
        for number, topic in enumerate(topics)
        for kind in _PATTERN_KINDS
        for pattern in getattr(topic, kind)
    )
    return Taxonomy(tuple(topics), rules, _build_index(rules), {t.id: t for t in topics})


def _topic_nodes(root, name: str, problems: list[Problem]) -> list:
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1 if root is not None else 1
        problems.append(Problem(name, line, "expected a mapping with a 'topics' list at the top level"))
        return []
    for key, value in root.value:
        if key.value == "topics":
            if not isinstance(value, yaml.SequenceNode):
                problems.append(Problem(name, value.start_mark.line + 1, "'topics' must be a list of topics"))
                return []
            return list(value.value)
    problems.append(Problem(name, root.start_mark.line + 1, "no 'topics' list at the top level"))
    return []


def _read_topic(node, name: str, problems: list[Problem]) -> Topic | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(name, line, "a topic must be a mapping (id, name, description, rules)"))
        return None
    before = len(problems)
    fields = {}
    for key, value in node.value:
        if key.value not in _TOPIC_KEYS:
            problems.append(
                Problem(name, key.start_mark.line + 1, f"unknown key '{key.value}' (expected one of: {', '.join(_TOPIC_KEYS)})")
            )
        elif key.value in fields:
            problems.append(Problem(name, key.start_mark.line + 1, f"key '{key.value}' given twice"))
        else:
            fields[key.value] = value
    topic_id = _scalar(fields.get("id"))
    label = f"topic '{topic_id}'" if topic_id else f"topic at line {line}"
    if not topic_id:
        problems.append(Problem(name, line, "topic has no id"))
    elif not _ID_RE.match(topic_id):
        problems.append(
            Problem(
                name,
                fields["id"].start_mark.line + 1,
                f"topic id '{topic_id}' is not a URL-safe slug (lowercase letters and digits joined by single hyphens)",
            )
        )
    for key in ("name", "description"):
        if not _scalar(fields.get(key)):
            problems.append(Problem(name, line, f"{label} has no {key}"))
    min_score = _read_min_score(fields.get("min_score"), label, name, problems)
    patterns = {kind: _read_patterns(fields.get(kind), kind, label, name, problems) for kind in _PATTERN_KINDS}
    seen: dict[str, str] = {}
    for kind in ("keywords", "strong", "title_only"):
        for pattern, pattern_line in patterns[kind]:
            if pattern in seen:
                where = kind if seen[pattern] == kind else f"{seen[pattern]} and {kind}"
                problems.append(Problem(name, pattern_line, f"{label}: pattern '{pattern}' is listed twice ({where})"))
            seen.setdefault(pattern, kind)
    if not any(kind in fields for kind in ("keywords", "strong", "title_only")):
        problems.append(Problem(name, line, f"{label} has no rules (keywords, strong or title_only)"))
    if len(problems) > before:
        return None
    return Topic(
        id=topic_id,
        name=_scalar(fields["name"]),
        description=_scalar(fields["description"]),
        min_score=min_score,
        **{kind: tuple(p for p, _ in patterns[kind]) for kind in _PATTERN_KINDS},
    )


def _scalar(node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return " ".join(str(node.value).split())
    return ""


def _read_min_score(node, label: str, name: str, problems: list[Problem]) -> int:
    if node is None:
        return DEFAULT_MIN_SCORE
    text = _scalar(node)
    if not text.isdigit() or int(text) < 1:
        message = f"{label}: min_score must be a positive whole number, not '{text}'"
        problems.append(Problem(name, node.start_mark.line + 1, message))
        return DEFAULT_MIN_SCORE
    return int(text)


def _read_patterns(node, kind: str, label: str, name: str, problems: list[Problem]) -> list[tuple[str, int]]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(Problem(name, node.start_mark.line + 1, f"{label}: '{kind}' must be a list of patterns"))
        return []
    found = []
    for item in node.value:
        line = item.start_mark.line + 1
        pattern = item.value if isinstance(item, yaml.ScalarNode) else None
        if isinstance(item, yaml.MappingNode):
            message = f"{label}: a '{kind}' entry is a mapping, not a pattern (quote patterns that contain ': ')"
            problems.append(Problem(name, line, message))
            continue
        if not isinstance(pattern, str) or not pattern.strip():
            problems.append(Problem(name, line, f"{label}: '{kind}' entries must be non-empty strings"))
            continue
        message = _pattern_problem(pattern)
        if message:
            problems.append(Problem(name, line, f"{label}: bad pattern '{pattern}' in {kind}: {message}"))
            continue
        found.append((pattern, line))
    return found


def _pattern_problem(pattern: str) -> str | None:
    try:
        compiled = re.compile(pattern, _FLAGS)
    except re.error as exc:
        return str(exc)
    if compiled.groups:
        return "capturing groups are not allowed, write (?:...)"
    if compiled.match(""):
        return "it matches the empty string"
    return None


def _build_index(rules: tuple[_Rule, ...]) -> _Index:
    single: dict[str, list[int]] = {}
    first: dict[str, list[int]] = {}
    pairs: dict[tuple[str, str], dict[int, set[frozenset[str]]]] = {}
    always: list[int] = []
    for number, rule in enumerate(rules):
        words = _single_words(rule.pattern)
        if words is not None:
            for word in words:
                single.setdefault(word, []).append(number)
            continue
        leads = _lead_words(rule.pattern)
        if leads is None:
            always.append(number)
            continue
        for lead in leads:
            if len(lead) == 1:
                first.setdefault(lead[0], []).append(number)
            else:
                pairs.setdefault(lead[:2], {}).setdefault(number, set()).add(frozenset(lead[2:]))
    return _Index(
        single={w: tuple(r) for w, r in single.items()},
        first={w: tuple(r) for w, r in first.items()},
        pairs={pair: tuple(_needs(rule, rests) for rule, rests in by_rule.items()) for pair, by_rule in pairs.items()},
        always=tuple(always),
        keys=frozenset(single) | frozenset(first),
        pair_keys=frozenset(pairs),
    )


def _needs(rule: int, rests: set[frozenset[str]]) -> tuple[int, tuple[frozenset[str], ...]]:
    """A rule with the sets of further words one of which a text must hold; () when none is needed."""
    if frozenset() in rests:
        return rule, ()
    return rule, tuple(rests)


# Word splitting that agrees with the regex engine's \w: below U+3000 a translate
# table turns every non-word character into a space; rarer text uses the regex.
_WORD_RE = re.compile(r"\w+")
_SPLIT_LIMIT = "\u3000"
_NON_WORD = {c: " " for c in range(ord(_SPLIT_LIMIT)) if not _WORD_RE.match(chr(c))}


def _words(low: str) -> list[str]:
    if not low:
        return []
    if low.isascii() or max(low) < _SPLIT_LIMIT:
        return low.translate(_NON_WORD).split()
    return _WORD_RE.findall(low)


def _lower(text: str) -> str:
    """Lowercase, one character for one: a character whose lowercase is longer
    (U+0130 'İ' -> 'i' + combining dot) is kept, so word boundaries stay where they were."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_CHAR_ESCAPE = re.compile(r"\\[xuUN0-7]")


def _lowercase_source(pattern: str) -> str | None:
    """The pattern with its literal letters lowercased (escapes kept), or None if unsafe."""
    if _CHAR_ESCAPE.search(pattern):
        return None
    out = []
    escaped = False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    lowered = "".join(out)
    try:
        re.compile(lowered)
    except re.error:
        return None
    return lowered


# Expanding a pattern into the strings it matches, as far as that is finite and small:
# enough to know the word every match starts with, or that every match is one word.
_LIMIT = 512
_WORD_ONLY = re.compile(r"^\w+$")
_NON_WORD_CHAR = re.compile(r"\W")
_COMPLETE_WORD = re.compile(r"(\w+)\W")


def _parse(pattern: str):
    lowered = _lowercase_source(pattern)
    return _sre_parser.parse(lowered if lowered is not None else pattern, _FLAGS)


def _single_words(pattern: str) -> set[str] | None:
    """The words a pattern matches when each match is one whole word and nothing else is checked."""
    parsed = _parse(pattern)
    if _has_assertion(parsed):
        return None
    strings = _expand(parsed)
    if not strings or not all(_WORD_ONLY.match(s) for s in strings):
        return None
    return {s.lower() for s in strings}


def _lead_words(pattern: str) -> set[tuple[str, ...]] | None:
    """For each way a match can begin, the whole words it starts with (up to six).

    The words stop where the pattern stops being a small finite set of strings;
    None when even the first word cannot be known (the rule then runs on every text).
    """
    states = {""}
    finished = True
    for op, av in _parse(pattern):
        pieces = _item(op, av)
        grown = None if pieces is None else {text + piece for text in states for piece in pieces}
        if grown is None or len(grown) > _LIMIT:
            finished = False
            break
        states = grown
    leads = set()
    for text in states:
        if not text or _NON_WORD_CHAR.match(text):
            return None
        words = _WORD_RE.findall(text) if finished else _COMPLETE_WORD.findall(text)
        if not words:
            return None
        leads.add(tuple(word.lower() for word in words[:6]))
    return leads


def _has_assertion(items) -> bool:
    """Whether a parsed pattern looks around (lookahead, \\B ...): then counting words is not enough."""
    c = _sre_constants
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return True
        if op is c.BRANCH and any(_has_assertion(branch) for branch in av[1]):
            return True
        if op is c.SUBPATTERN and _has_assertion(av[-1]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and _has_assertion(av[2]):
            return True
    return False


def _expand(items) -> set[str] | None:
    strings = {""}
    for op, av in items:
        pieces = _item(op, av)
        if pieces is None:
            return None
        strings = {a + b for a in strings for b in pieces}
        if len(strings) > _LIMIT:
            return None
    return strings


def _item(op, av) -> set[str] | None:
    c = _sre_constants
    if op is c.LITERAL:
        return {chr(av)}
    if op is c.IN:
        return _char_set(av)
    if op is c.BRANCH:
        found: set[str] = set()
        for branch in av[1]:
            strings = _expand(branch)
            if strings is None:
                return None
            found |= strings
        return found
    if op is c.SUBPATTERN:
        return _expand(av[-1])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, high, sub = av
        base = _expand(sub)
        if base is None:
            return None
        if high == c.MAXREPEAT or high > 4:
            # Unbounded runs of non-word characters end the word anyway.
            if low >= 1 and all(s and _NON_WORD_CHAR.match(s) for s in base):
                return base
            return None
        found = set()
        for times in range(low, high + 1):
            strings = {""}
            for _ in range(times):
                strings = {a + b for a in strings for b in base}
            found |= strings
        return found if len(found) <= _LIMIT else None
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {""}  # zero-width: a superset of the real matches, which is all a prefilter needs
    return None


def _char_set(items) -> set[str] | None:
    c = _sre_constants
    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] < 128:
            chars.update(chr(x) for x in range(av[0], av[1] + 1))
        elif op is c.CATEGORY and av is c.CATEGORY_DIGIT:
            chars.update("0123456789")
        elif op is c.CATEGORY and av is c.CATEGORY_SPACE:
            chars.add(" ")  # stands for every space: all that matters is that it ends a word
        else:
            return None
    return chars
