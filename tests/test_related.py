"""Related papers: TF-IDF cosine neighbours, exact on small fixtures, checked against a naive model."""

from __future__ import annotations

import math
import os
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperarchive.records import Paper
from paperarchive.related import STOPWORDS, TITLE_WEIGHT, related_papers

DIFFUSION = [
    Paper(id="latent-diffusion", title="Latent Diffusion Models for High-Resolution Image Synthesis",
          abstract="We train denoising diffusion models in the latent space of pretrained autoencoders "
                   "for image synthesis; the denoising network is a UNet."),
    Paper(id="diffusion-video", title="Video Diffusion Models",
          abstract="A denoising diffusion model for video synthesis that extends the image UNet "
                   "architecture to video frames."),
    Paper(id="fast-sampling", title="Fast Sampling of Diffusion Models with Fewer Denoising Steps",
          abstract="Sampling from diffusion models needs many denoising steps; we distil the "
                   "sampler so that image synthesis needs four steps."),
]
REINFORCEMENT = [
    Paper(id="ppo-rlhf", title="Reinforcement Learning from Human Feedback with PPO",
          abstract="We fine-tune a policy with proximal policy optimization against a reward model "
                   "trained on human preference data."),
    Paper(id="reward-hacking", title="Reward Hacking in Reinforcement Learning from Human Feedback",
          abstract="The policy exploits errors of the learned reward model; we study reward "
                   "overoptimization during reinforcement learning."),
    Paper(id="offline-rl", title="Offline Reinforcement Learning for Robot Policies",
          abstract="A policy is learned from a fixed dataset of robot trajectories with a "
                   "conservative value function and reward relabelling."),
]


def test_two_topics_rank_within_their_topic_in_exact_order():
    related = related_papers(DIFFUSION + REINFORCEMENT, k=2)
    assert related == {
        "latent-diffusion": ("diffusion-video", "fast-sampling"),
        "diffusion-video": ("latent-diffusion", "fast-sampling"),
        "fast-sampling": ("diffusion-video", "latent-diffusion"),
        "ppo-rlhf": ("reward-hacking", "offline-rl"),
        "reward-hacking": ("ppo-rlhf", "offline-rl"),
        "offline-rl": ("reward-hacking", "ppo-rlhf"),
    }


def test_k_larger_than_the_topic_reaches_the_other_topic_only_through_shared_words():
    related = related_papers(DIFFUSION + REINFORCEMENT, k=5)
    for paper in DIFFUSION:
        assert set(related[paper.id][:2]) == {p.id for p in DIFFUSION} - {paper.id}
    assert all(paper.id not in related[paper.id] for paper in DIFFUSION + REINFORCEMENT)


def test_result_does_not_depend_on_input_order():
    papers = DIFFUSION + REINFORCEMENT
    assert related_papers(papers) == related_papers(list(reversed(papers)))


def test_ties_are_broken_by_id_and_a_paper_is_never_its_own_neighbour():
    twins = [Paper(id=name, title="Sparse Attention Kernels", abstract="Sparse attention kernels on GPUs.")
             for name in ("c-twin", "a-twin", "b-twin", "d-twin")]
    related = related_papers(twins, k=2)
    assert related == {
        "a-twin": ("b-twin", "c-twin"),
        "b-twin": ("a-twin", "c-twin"),
        "c-twin": ("a-twin", "b-twin"),
        "d-twin": ("a-twin", "b-twin"),
    }


def test_papers_sharing_no_term_are_never_listed():
    papers = [
        Paper(id="one", title="Quantum annealing", abstract="Qubits anneal."),
        Paper(id="two", title="Protein folding", abstract="Residues fold."),
        Paper(id="three", title="The and of", abstract="We propose a novel approach."),  # stop words only
        Paper(id="four", title="Quantum protein", abstract=""),
    ]
    assert related_papers(papers) == {
        "one": ("four",),
        "two": ("four",),
        "three": (),
        "four": ("one", "two"),
    }


def test_degenerate_inputs():
    assert related_papers([]) == {}
    lone = Paper(id="lone", title="Alone", abstract="Nothing to compare.")
    assert related_papers([lone]) == {"lone": ()}
    assert related_papers(DIFFUSION, k=0) == {p.id: () for p in DIFFUSION}


def test_hostile_text_and_urls_do_not_break_tokenising():
    papers = [
        Paper(id="a", title="Graph \x00 networks\x01 <script>", abstract="See https://github.com/x/graph\x00 graph"),
        Paper(id="b", title="Graph networks", abstract="https://example.org/graph networks ]]> &amp;"),
        Paper(id="c", title="Unrelated", abstract="Mushrooms."),
    ]
    assert related_papers(papers) == {"a": ("b",), "b": ("a",), "c": ()}


# --- the same scores as a plain, slow, float64 model of the specification --------------------

def _naive_vectors(papers):
    def terms(text):
        text = re.sub(r"(?:https?://|www\.)[^\s\x00\x01]+", " ", text).casefold()
        return [t for t in re.findall(r"[^\W_]+", text) if len(t) > 1 and not t.isdigit() and t not in STOPWORDS]

    counts = []
    for paper in papers:
        count = Counter()
        for term in terms(paper.title):
            count[term] += TITLE_WEIGHT
        for term in terms(paper.abstract):
            count[term] += 1.0
        counts.append(count)
    n = len(papers)
    df = Counter(term for count in counts for term in count)
    vectors = []
    for count in counts:
        vector = {t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in count.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        vectors.append({t: w / norm for t, w in vector.items()})
    return vectors


WORDS = ["diffusion", "policy", "reward", "image", "video", "token", "graph", "agent", "robot", "the", "we"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), max_size=4), st.lists(st.sampled_from(WORDS), max_size=12)),
                min_size=2, max_size=14))
def test_neighbours_have_the_best_scores_of_a_naive_float64_model(texts):
    papers = [Paper(id=f"p{i:02d}", title=" ".join(t), abstract=" ".join(a)) for i, (t, a) in enumerate(texts)]
    vectors = _naive_vectors(papers)
    related = related_papers(papers, k=3)
    index = {p.id: i for i, p in enumerate(papers)}
    for i, paper in enumerate(papers):
        scores = sorted(
            (sum(w * vectors[j].get(t, 0.0) for t, w in vectors[i].items()) for j in range(len(papers)) if j != i),
            reverse=True,
        )
        expected = [s for s in scores if s > 1e-6][:3]
        got = [sum(w * vectors[index[o]].get(t, 0.0) for t, w in vectors[i].items()) for o in related[paper.id]]
        assert len(got) == len(expected) or all(abs(s) < 1e-5 for s in expected[len(got):])
        for g, e in zip(got, expected, strict=False):
            assert abs(g - e) < 1e-5


# --- the linear candidate search (used past EXACT_MAX papers) --------------------------------

from paperarchive import cache, processes  # noqa: E402
from paperarchive import related as related_module  # noqa: E402


def test_candidate_search_finds_the_exact_neighbours_when_every_term_is_rare_enough():
    papers = sorted(DIFFUSION + REINFORCEMENT, key=lambda p: p.id)
    matrix = related_module.tfidf_matrix([(p.title, p.abstract) for p in papers])
    exact = related_module.exact_neighbours(matrix, 3)
    assert (related_module.candidate_neighbours(matrix, 3) == exact).all()


def test_candidate_search_only_ranks_candidates_reached_through_rare_terms():
    # "diffusion" is in all four papers: with cap 3 it finds no candidates; "video" (2 papers) does
    papers = [
        Paper(id="a", title="Diffusion video", abstract=""),
        Paper(id="b", title="Diffusion video", abstract=""),
        Paper(id="c", title="Diffusion", abstract=""),
        Paper(id="d", title="Diffusion", abstract=""),
    ]
    matrix = related_module.tfidf_matrix([(p.title, p.abstract) for p in papers])
    best = related_module.candidate_neighbours(matrix, 2, cap=3)
    assert best.tolist() == [[1, -1], [0, -1], [-1, -1], [-1, -1]]
    assert related_module.exact_neighbours(matrix, 2).tolist() == [[1, 2], [0, 2], [3, 0], [2, 0]]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), max_size=4), st.lists(st.sampled_from(WORDS), max_size=12)),
                min_size=2, max_size=14))
def test_candidate_search_equals_the_exact_one_when_no_term_is_capped(texts):
    matrix = related_module.tfidf_matrix([(" ".join(t), " ".join(a)) for t, a in texts])
    exact = related_module.exact_neighbours(matrix, 3)
    assert (related_module.candidate_neighbours(matrix, 3, cap=len(texts), candidates=len(texts)) == exact).all()


# ---------------------------------------------------------------- the cache of an unchanged corpus


def test_an_unchanged_corpus_reuses_the_last_result_and_a_changed_one_does_not(tmp_path, monkeypatch):
    monkeypatch.setattr(related_module, "CACHE_MIN_PAPERS", 1)
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", str(tmp_path))
    papers = DIFFUSION + REINFORCEMENT
    first = related_papers(papers, k=2)
    assert (tmp_path / cache.RELATED).is_file()
    with monkeypatch.context() as m:
        m.setattr(related_module, "top_neighbours", lambda matrix, k: pytest.fail("computed again"))
        assert related_papers(list(reversed(papers)), k=2) == first
        for changed in (papers[:-1], papers[:-1] + [Paper(id="offline-rl", title="Offline RL", abstract="robot policies")]):
            with pytest.raises(pytest.fail.Exception, match="computed again"):
                related_papers(changed, k=2)
        with pytest.raises(pytest.fail.Exception, match="computed again"):
            related_papers(papers, k=3)
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", "none")
    assert related_papers(papers, k=2) == first


def test_a_corrupt_related_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr(related_module, "CACHE_MIN_PAPERS", 1)
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", str(tmp_path))
    (tmp_path / cache.RELATED).write_bytes(b"\x00garbage")
    papers = DIFFUSION + REINFORCEMENT
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", "none")
    expected = related_papers(papers, k=2)
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", str(tmp_path))
    assert related_papers(papers, k=2) == expected


def test_a_prefetched_result_comes_from_the_forked_worker(monkeypatch):
    monkeypatch.setattr(related_module, "CACHE_MIN_PAPERS", 1)
    monkeypatch.setattr(processes, "fork_allowed", lambda: True)
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", "none")
    papers = DIFFUSION + REINFORCEMENT
    expected = related_papers(papers, k=2)
    job = related_module.Prefetch.start(papers, k=2)
    assert job.worker is not None
    with monkeypatch.context() as m:
        m.setattr(related_module, "top_neighbours", lambda matrix, k: pytest.fail("computed here, not in the worker"))
        assert job.result() == expected


def test_a_prefetch_without_a_fork_computes_in_the_caller(monkeypatch):
    monkeypatch.setattr(related_module, "CACHE_MIN_PAPERS", 1)
    monkeypatch.setattr(processes, "fork_allowed", lambda: False)
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", "none")
    papers = DIFFUSION + REINFORCEMENT
    job = related_module.Prefetch.start(papers, k=2)
    assert job.worker is None
    assert job.result() == related_papers(papers, k=2)


def test_a_failed_prefetch_is_computed_again_in_the_caller(monkeypatch):
    monkeypatch.setattr(related_module, "CACHE_MIN_PAPERS", 1)
    monkeypatch.setattr(processes, "fork_allowed", lambda: True)
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", "none")
    papers = DIFFUSION + REINFORCEMENT
    expected = related_papers(papers, k=2)
    with monkeypatch.context() as m:
        m.setattr(related_module, "top_neighbours", lambda matrix, k: 1 / 0)
        job = related_module.Prefetch.start(papers, k=2)
    assert job.result() == expected


def test_an_unused_prefetch_is_cancelled_and_reaped(monkeypatch):
    monkeypatch.setattr(related_module, "CACHE_MIN_PAPERS", 1)
    monkeypatch.setattr(processes, "fork_allowed", lambda: True)
    monkeypatch.setenv("PAPERARCHIVE_CACHE_DIR", "none")
    job = related_module.Prefetch.start(DIFFUSION + REINFORCEMENT, k=2)
    pid = job.worker.pid
    job.cancel()
    assert job.worker is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind


# ---------------------------------------------------------------- tokenising and chunked scoring


def _regex_tokens(texts):
    """The tokens by the specification: URLs out, casefolded, runs of word characters but "_"."""
    tokens = []
    for title, abstract in texts:
        for field, end in ((title, "\x00"), (abstract, "\x01")):
            text = re.sub(r"(?:https?://|www\.)[^\s\x00\x01]+", " ", re.sub(r"[\x00\x01]", " ", field)).casefold()
            tokens += re.findall(r"[^\W_]+", text) + [end]
    return tokens


TEXT = st.lists(st.one_of(st.characters(), st.sampled_from(["www.", "http://x.y", "HTTPS://", "\x00", "\x01", "_", " "]))).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), max_size=4))
def test_tokens_are_the_words_of_the_regular_expression_in_any_text(texts):
    assert [token.decode() for token in related_module._tokens(texts)] == _regex_tokens(texts)


def test_tokens_of_text_beyond_ascii():
    texts = [("Straße—naïve_Ꭰ model’s", "see https://x.org/a\u00a0ΣΑΣ www.y.com and 𝔘nicode")]
    expected = ["strasse", "naïve", "\u13a0", "model", "s", "\x00", "see", "σασ", "and", "𝔘nicode", "\x01"]
    assert [token.decode() for token in related_module._tokens(texts)] == expected == _regex_tokens(texts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), max_size=4), st.lists(st.sampled_from(WORDS), max_size=12)),
                min_size=2, max_size=14), st.integers(1, 4))
def test_scoring_in_small_chunks_gives_the_one_chunk_result(texts, rows_per_chunk):
    matrix = related_module.tfidf_matrix([(" ".join(t), " ".join(a)) for t, a in texts])
    whole = related_module.exact_neighbours(matrix, 3)
    original = related_module.CHUNK_CELLS
    related_module.CHUNK_CELLS = rows_per_chunk * matrix.shape[0]
    try:
        chunked = related_module.exact_neighbours(matrix, 3)
    finally:
        related_module.CHUNK_CELLS = original
    assert (chunked == whole).all()
