"""The topic taxonomy (content/topics.yml) and the matcher (paperarchive.topics)."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, FIXTURES, ROOT, require_shared
from paperarchive import topics as topics_module
from paperarchive.topics import (
    ABSTRACT_CAP,
    STRONG_CAP,
    STRONG_POINTS,
    TITLE_POINTS,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    parse_taxonomy,
)

TAXONOMY = ROOT / "content" / "topics.yml"
LISTINGS = ROOT / "content" / "listings"
LABELLED = FIXTURES / "topics_labelled.yml"
BAD = FIXTURES / "topics_bad"

MIN_COVERAGE = 0.90
MAX_SHARE = 0.30
MIN_PRECISION = 0.80
SEED_PAPERS = 434


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(TAXONOMY)


# --- reading the seed listings ------------------------------------------------

_BOILERPLATE = {"new", "Subscribe", "Daily Papers", "byAK and the research community"}


def _titles_and_abstracts(path: Path) -> list[tuple[str, str]]:
    """A listing's (title, abstract) pairs: an abstract is a long line, its title the line before.

    A stand-in for the parser, good enough for the seeds' layout (FORMAT.md);
    parse.read_listing is used instead once it exists.
    """
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("Subscribe") and len(line) > len("Subscribe"):
            line = line[len("Subscribe") :]
        if line and line not in _BOILERPLATE and not line.startswith("Get trending papers"):
            lines.append(line)
    return [(lines[i - 1], lines[i]) for i in range(1, len(lines)) if len(lines[i]) >= 150 and len(lines[i - 1]) < 300]


def _read_listing(path: Path) -> list[tuple[str, str]]:
    try:
        from paperarchive.parse import read_listing
    except ImportError:
        return _titles_and_abstracts(path)
    return [(e.title, e.abstract) for e in read_listing(path).entries]


@pytest.fixture(scope="module")
def seed_papers() -> dict[str, str]:
    papers: dict[str, str] = {}
    for path in sorted(LISTINGS.glob("*.txt")):
        for title, abstract in _read_listing(path):
            papers.setdefault(title, abstract)
    return papers


def _corpus_papers(corpus: Path) -> dict[str, str]:
    papers: dict[str, str] = {}
    with (corpus / "expected.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            papers.setdefault(record["title"], record["abstract"])
    return papers


# --- the shipped taxonomy -------------------------------------------------------


def test_shipped_taxonomy_is_a_browsable_set_of_topics(taxonomy):
    assert 15 <= len(taxonomy.topics) <= 30
    ids = [t.id for t in taxonomy.topics]
    assert len(set(ids)) == len(ids)
    for topic in taxonomy.topics:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", topic.id), topic.id
        assert topic.name and not topic.name[0].islower(), topic.id
        # one sentence for readers
        assert topic.description.endswith(".") and topic.description.count(". ") == 0, topic.id
        assert taxonomy.by_id(topic.id) is topic


def test_topic_ids_are_permanent(taxonomy):
    """Ids are URLs (topics/<id>/): removing or renaming one breaks links. Add new ones at will."""
    published = {
        "reasoning", "math", "code", "agents", "alignment", "reinforcement-learning", "multimodal",
        "image-generation", "video", "3d-vision", "visual-recognition", "speech-audio", "robotics",
        "efficiency", "architectures", "training", "representation-learning", "interpretability",
        "evaluation", "data", "safety", "factuality", "retrieval", "long-context", "language",
        "science-medicine", "structured-data", "theory",
    }  # fmt: skip
    assert published <= {t.id for t in taxonomy.topics}


def test_by_id_names_a_missing_topic(taxonomy):
    with pytest.raises(KeyError, match="no topic with id 'no-such-topic'"):
        taxonomy.by_id("no-such-topic")


def test_assign_returns_ids_in_taxonomy_order_and_is_deterministic(taxonomy):
    title = "Speculative Decoding for Multimodal Large Language Models with Video Inputs"
    abstract = "We quantize a vision-language model and accelerate video question answering with speculative decoding."
    ids = taxonomy.assign(title, abstract)
    order = [t.id for t in taxonomy.topics]
    assert {"multimodal", "efficiency", "video"} <= set(ids)
    assert list(ids) == sorted(ids, key=order.index)
    assert taxonomy.assign(title, abstract) == ids
    assert load_taxonomy(TAXONOMY).assign(title, abstract) == ids


def test_a_paper_about_nothing_gets_no_topic(taxonomy):
    assert taxonomy.assign("On Cheese", "We discuss cheese, bread and the weather in spring.") == ()
    assert taxonomy.assign("", "") == ()


# --- the rule language ----------------------------------------------------------

RULES = """\
topics:
  - id: speech
    name: Speech
    description: Speech.
    keywords: [speech, "spoken language"]
    strong: [vocoders?]
    title_only: [voices?]
    exclude: [speech acts?]
  - id: vision
    name: Vision
    description: Vision.
    min_score: 4
    keywords: [images?]
"""


@pytest.fixture(scope="module")
def small() -> Taxonomy:
    return parse_taxonomy(RULES, "rules.yml")


def test_a_title_hit_is_enough(small):
    assert small.assign("Speech in the wild", "Nothing else here.") == ("speech",)
    assert small.scores("Speech in the wild", "")["speech"] == TITLE_POINTS


def test_the_abstract_needs_repeated_mentions(small):
    assert small.assign("A paper", "We study speech.") == ()
    assert small.assign("A paper", "Speech, speech and more speech.") == ("speech",)
    # each pattern counts at most ABSTRACT_CAP times
    assert small.scores("A paper", "speech " * 10)["speech"] == ABSTRACT_CAP


def test_strong_patterns_score_more_in_the_abstract(small):
    assert small.scores("A paper", "A neural vocoder.")["speech"] == STRONG_POINTS
    assert small.assign("A paper", "A neural vocoder.") == ()
    assert small.assign("A paper", "A neural vocoder for speech.") == ("speech",)
    assert small.scores("A paper", "vocoders " * 5)["speech"] == STRONG_POINTS * STRONG_CAP


def test_title_only_patterns_are_ignored_in_the_abstract(small):
    assert small.assign("Cloning voices", "") == ("speech",)
    assert small.scores("A paper", "voices voices voices")["speech"] == 0


def test_exclude_vetoes_the_topic(small):
    assert small.assign("Speech acts in dialogue", "speech speech speech") == ()


def test_matches_need_word_boundaries_and_ignore_case(small):
    assert small.assign("SPEECH", "") == ("speech",)
    assert small.assign("Freespeech", "") == ()
    assert small.assign("Spoken  Language", "") == ()  # two spaces: the pattern has one
    assert small.assign("Spoken Language", "") == ("speech",)


def test_min_score_is_per_topic(small):
    assert small.assign("Images", "") == ()  # 3 < 4
    assert small.assign("Images", "An image.") == ("vision",)


# --- malformed taxonomies: one clear FILE:LINE: message each -----------------------


def _problems(path: Path) -> list[str]:
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return str(caught.value).splitlines()


def test_duplicate_id_is_reported_with_both_lines():
    path = BAD / "duplicate_id.yml"
    assert _problems(path) == [f"{path}:6: duplicate topic id 'agents' (first defined at line 2)"]


def test_bad_regex_is_reported_at_its_line():
    path = BAD / "bad_regex.yml"
    assert _problems(path) == [
        f"{path}:7: topic 'code': bad pattern 'program(s' in keywords: missing ), unterminated subpattern at position 7"
    ]


def test_every_problem_is_reported_not_just_the_first():
    path = BAD / "missing_name.yml"
    assert _problems(path) == [
        f"{path}:2: topic 'speech' has no name",
        f"{path}:5: topic id 'Bad Id' is not a URL-safe slug (lowercase letters and digits joined by single hyphens)",
        f"{path}:9: topic 'Bad Id': bad pattern '(group)' in strong: capturing groups are not allowed, write (?:...)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("topics: [\n", "rules.yml:2: not valid YAML: did not find expected node content"),
        ("- just a list\n", "rules.yml:1: expected a mapping with a 'topics' list at the top level"),
        ("other: 1\n", "rules.yml:1: no 'topics' list at the top level"),
        ("topics: []\n", "rules.yml:1: the taxonomy has no topics"),
        (
            "topics:\n  - id: a\n    name: A\n    description: A.\n",
            "rules.yml:2: topic 'a' has no rules (keywords, strong or title_only)",
        ),
        (
            "topics:\n  - id: a\n    name: A\n    description: A.\n    keyword: [x]\n    keywords: [x]\n",
            "rules.yml:5: unknown key 'keyword' (expected one of: id, name, description, min_score, keywords, strong, title_only, exclude)",
        ),
        (
            "topics:\n  - id: a\n    name: A\n    description: A.\n    keywords: [x]\n    strong: [x]\n",
            "rules.yml:6: topic 'a': pattern 'x' is listed twice (keywords and strong)",
        ),
        (
            "topics:\n  - id: a\n    name: A\n    description: A.\n    keywords: [x?]\n",
            "rules.yml:5: topic 'a': bad pattern 'x?' in keywords: it matches the empty string",
        ),
        (
            "topics:\n  - id: a\n    name: A\n    description: A.\n    keywords:\n      - (?: x) y\n",
            "rules.yml:6: topic 'a': a 'keywords' entry is a mapping, not a pattern (quote patterns that contain ': ')",
        ),
        (
            "topics:\n  - id: a\n    name: A\n    description: A.\n    min_score: 0\n    keywords: [x]\n",
            "rules.yml:5: topic 'a': min_score must be a positive whole number, not '0'",
        ),
    ],
)
def test_malformed_taxonomy_messages(text, expected):
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy(text, "rules.yml")
    assert str(caught.value) == expected


def test_unreadable_taxonomy_is_a_taxonomy_error(tmp_path):
    missing = tmp_path / "topics.yml"
    with pytest.raises(TaxonomyError, match=rf"^{re.escape(str(missing))}:1: cannot read the taxonomy"):
        load_taxonomy(missing)


# --- the fast matcher agrees with the rules as documented ----------------------------


@functools.cache
def _reference_regex(pattern: str) -> re.Pattern:
    return re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)


def _reference_assign(taxonomy: Taxonomy, title: str, abstract: str) -> tuple[str, ...]:
    """The documented rules, applied the slow, obvious way: one regex per pattern."""

    def count(pattern: str, text: str) -> int:
        return len(_reference_regex(pattern).findall(text))

    assigned = []
    for topic in taxonomy.topics:
        if any(count(p, title) or count(p, abstract) for p in topic.exclude):
            continue
        title_patterns = {p for p in topic.keywords + topic.strong + topic.title_only if count(p, title)}
        points = TITLE_POINTS * len(title_patterns)
        points += sum(min(count(p, abstract), ABSTRACT_CAP) for p in topic.keywords)
        points += sum(STRONG_POINTS * min(count(p, abstract), STRONG_CAP) for p in topic.strong)
        if points >= topic.min_score:
            assigned.append(topic.id)
    return tuple(assigned)


def test_fast_matcher_equals_reference_on_the_seeds(taxonomy, seed_papers):
    for title, abstract in seed_papers.items():
        assert taxonomy.assign(title, abstract) == _reference_assign(taxonomy, title, abstract), title


_VOCABULARY = sorted(
    {
        word
        for topic in yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))["topics"]
        for kind in ("keywords", "strong", "title_only", "exclude")
        for pattern in topic.get(kind, [])
        for word in re.findall(r"[A-Za-z0-9]+", pattern)
        if len(word) > 1
    }
)
_text = st.lists(
    st.one_of(
        st.sampled_from(_VOCABULARY),
        st.sampled_from([" ", " ", "-", ", ", ". ", "(", ")", "/", "é", "ß", "_", "\u3001", "\u3000", "Σ"]),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", max_size=6),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(title=_text, abstract=_text)
def test_fast_matcher_equals_reference_on_generated_text(taxonomy, title, abstract):
    assert taxonomy.assign(title, abstract) == _reference_assign(taxonomy, title, abstract)


def test_a_character_whose_lowercase_is_longer_keeps_word_boundaries(small):
    # "İ".lower() is "i" + a combining dot, which is not a word character
    assert small.assign("İspeech", "") == ()
    assert small.assign("İ speech", "") == ("speech",)


def test_patterns_with_unindexable_starts_still_match():
    rules = parse_taxonomy(
        "topics:\n  - id: a\n    name: A\n    description: A.\n"
        "    keywords: ['\\w+former', 'x\\x41y', 'chain\\s+of\\s+thought']\n",
        "rules.yml",
    )
    assert rules.assign("The Swinformer", "") == ("a",)
    assert rules.assign("XAY", "") == ("a",)
    assert rules.assign("Chain  of thought", "") == ("a",)
    assert rules.assign("chainof thought", "") == ()


# --- targets on the seeds (repo copies) and the labelled papers ---------------------


def _coverage_and_shares(taxonomy: Taxonomy, papers: dict[str, str]) -> tuple[float, dict[str, float]]:
    assigned = [taxonomy.assign(title, abstract) for title, abstract in papers.items()]
    counts = Counter(topic_id for ids in assigned for topic_id in ids)
    coverage = sum(1 for ids in assigned if ids) / len(assigned)
    return coverage, {t.id: counts[t.id] / len(assigned) for t in taxonomy.topics}


def test_seed_papers_are_covered_and_no_topic_dominates(taxonomy, seed_papers):
    assert len(seed_papers) == SEED_PAPERS
    coverage, shares = _coverage_and_shares(taxonomy, seed_papers)
    assert coverage >= MIN_COVERAGE, f"seed coverage {coverage:.1%}"
    too_big = {topic_id: f"{share:.1%}" for topic_id, share in shares.items() if share > MAX_SHARE}
    assert not too_big, f"topics holding more than {MAX_SHARE:.0%} of the seeds: {too_big}"


def _labelled() -> list[dict]:
    return yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["papers"]


def test_labelled_papers_are_real_seed_papers_with_valid_topics(taxonomy, seed_papers):
    labelled = _labelled()
    assert len(labelled) >= 40
    ids = {t.id for t in taxonomy.topics}
    titles = [p["title"] for p in labelled]
    assert len(set(titles)) == len(titles)
    for paper in labelled:
        assert paper["title"] in seed_papers, paper["title"]
        assert paper["topics"] and set(paper["topics"]) <= ids, paper
    # spread across the taxonomy, not a handful of easy topics
    assert len({t for p in labelled for t in p["topics"]}) >= 20


def test_precision_on_hand_labelled_seed_papers(taxonomy, seed_papers):
    right = wrong = missed = 0
    for paper in _labelled():
        predicted = set(taxonomy.assign(paper["title"], seed_papers[paper["title"]]))
        truth = set(paper["topics"])
        right += len(predicted & truth)
        wrong += len(predicted - truth)
        missed += len(truth - predicted)
    precision = right / (right + wrong)
    recall = right / (right + missed)
    print(f"labelled: precision {precision:.3f}, recall {recall:.3f} ({right} right, {wrong} wrong, {missed} missed)")
    assert precision >= MIN_PRECISION, f"precision {precision:.3f} (recall {recall:.3f})"
    assert recall >= 0.6, f"recall {recall:.3f}: the matcher stopped finding topics"


# --- targets on the real corpus (../shared) ---------------------------------------


@pytest.mark.corpus
def test_corpus_papers_are_covered_and_no_topic_dominates(taxonomy, corpus):
    papers = _corpus_papers(corpus)
    assert len(papers) == 9877
    coverage, shares = _coverage_and_shares(taxonomy, papers)
    assert coverage >= MIN_COVERAGE, f"corpus coverage {coverage:.1%}"
    too_big = {topic_id: f"{share:.1%}" for topic_id, share in shares.items() if share > MAX_SHARE}
    assert not too_big, f"topics holding more than {MAX_SHARE:.0%} of the corpus: {too_big}"
    assert all(share > 0 for share in shares.values()), "a topic no corpus paper reaches"


@pytest.mark.corpus
def test_shared_seeds_match_the_repo_copies(seed_papers):
    seeds = require_shared(CORPUS.parent.parent / "seeds")
    papers: dict[str, str] = {}
    for path in sorted(seeds.glob("*.txt")):
        for title, abstract in _read_listing(path):
            papers.setdefault(title, abstract)
    assert papers == seed_papers


@pytest.mark.corpus
def test_fast_matcher_equals_reference_on_corpus_sample(taxonomy, corpus):
    papers = list(_corpus_papers(corpus).items())[::25]
    for title, abstract in papers:
        assert taxonomy.assign(title, abstract) == _reference_assign(taxonomy, title, abstract), title


def test_module_has_no_stage_imports():
    source = Path(topics_module.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^from \.(?!records)\w+ import", source, re.MULTILINE)
