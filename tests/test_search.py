"""Terminal search (the browser's engine in Python, and lunr.py) against the shared query table, the
browser index writer, the tokenizer, typo matching and the ordering rules."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperarchive import search
from paperarchive.records import Paper, slug_for_title
from searchtable import TABLE, check_row, table_papers


@pytest.fixture(scope="module")
def lunr_setup(tmp_path_factory):
    papers, topics = table_papers()
    records = search.search_records(papers, topics)
    index = search.cached_lunr_index(records, tmp_path_factory.mktemp("cache"))
    return index, records


@pytest.mark.parametrize("row", TABLE["queries"], ids=[row["query"] for row in TABLE["queries"]])
def test_query_table_terminal(row):
    papers, _ = table_papers()
    answer = search.search_store_papers(papers, row["query"], limit=50)
    check_row(row, [hit.record.id for hit in answer.hits], [hit.record.title for hit in answer.hits],
              dict(answer.corrections), list(answer.missing))


@pytest.mark.parametrize("query", ["diffusion transformers", "selective state spaces", "Lovelace", "video editing"])
def test_lunr_engine_finds_the_same_first_paper(lunr_setup, query):
    index, records = lunr_setup
    papers, _ = table_papers()
    lunr_first = search.search_index(index, records, query, limit=5)[0].record.id
    assert search.search_store_papers(papers, query, limit=5).hits[0].record.id == lunr_first


def test_every_table_id_is_a_fixture_paper():
    ids = {row["id"] for row in TABLE["papers"]}
    for row in TABLE["queries"]:
        assert set(row["returns"]) <= ids and row.get("first", next(iter(ids))) in ids


def test_lunr_syntax_and_unparsable_queries(lunr_setup):
    index, records = lunr_setup
    assert [h.record.id for h in search.search_index(index, records, "title:mamba", 5)] == [
        "mamba-linear-time-sequence-modeling-with-selective-state-spaces"
    ]
    # a stray colon or caret is not lunr syntax the user meant: searched as plain words, never raises
    hits = search.search_index(index, records, "Mamba: ^", 5)
    assert hits and hits[0].record.id.startswith("mamba")


def test_print_hits_json_lines_and_table(lunr_setup):
    index, records = lunr_setup
    hits = search.search_index(index, records, "onerror", 3)
    out = io.StringIO()
    search.print_hits(hits, as_json=True, out=out)
    first = json.loads(out.getvalue().splitlines()[0])
    assert first == {
        "id": "img-src-x-onerror-alert-1-robust-parsing",
        "url": "papers/img-src-x-onerror-alert-1-robust-parsing/",
        "title": "<img src=x onerror=alert(1)> Robust Parsing",
        "published": "2025-03-01",
        "score": first["score"],
    }
    assert first["score"] > 0
    out = io.StringIO()
    search.print_hits(hits, as_json=False, out=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["score", "published", "title", "/", "url"]
    assert lines[1].endswith("2025-03-01  <img src=x onerror=alert(1)> Robust Parsing")
    assert lines[2].strip() == "papers/img-src-x-onerror-alert-1-robust-parsing/"
    out = io.StringIO()
    search.print_hits([], as_json=False, out=out)
    assert out.getvalue() == "no papers found\n"


def test_cache_is_reused_and_keyed_by_content(tmp_path):
    papers, topics = table_papers()
    records = search.search_records(papers, topics)
    search.cached_lunr_index(records, tmp_path)
    [cached] = tmp_path.glob("lunr-*.json")
    search.cached_lunr_index(records, tmp_path)
    assert list(tmp_path.glob("lunr-*.json")) == [cached]
    changed = search.search_records(papers[:-1], topics)
    index = search.cached_lunr_index(changed, tmp_path)
    [replaced] = tmp_path.glob("lunr-*.json")
    assert replaced != cached
    assert len(index.search("onerror")) == 1
    replaced.write_text("{not json", encoding="utf-8")  # a damaged cache is rebuilt, not fatal
    assert len(search.cached_lunr_index(changed, tmp_path).search("onerror")) == 1


def test_search_records_once_per_paper_sorted():
    papers, topics = table_papers()
    records = search.search_records(papers + papers[:2], topics)
    assert [r.id for r in records] == sorted(p.id for p in papers)
    by_id = {r.id: r for r in records}
    assert by_id["config-and-raw-templates-in-the-wild"].published == ""
    assert by_id["analytical-engines-revisited"].authors == ("Ada Lovelace", "Charles Babbage")


@pytest.mark.parametrize(
    "query, title, expected",
    [
        ("diffusion transformers", "Scalable Diffusion Transformer Models", True),
        ("transformers diffusion", "Diffusion Transformers", True),
        ("diffus", "Diffusion Models", True),  # as-you-type prefixes count
        ("diffusion video", "Diffusion Models", False),
        ("studies", "A Study of Scaling", True),
        ("", "Anything", False),
    ],
)
def test_title_holds_all(query, title, expected):
    assert search.title_holds_all(search.query_words(query), title) is expected


def test_rank_key_exact_title_then_all_words_then_score():
    keys = sorted(
        [
            (search.rank_key("state spaces", "Selective State Spaces", 1.0), "all-words"),
            (search.rank_key("state spaces", "State Spaces", 0.5), "exact"),
            (search.rank_key("state spaces", "Speech Models", 99.0), "abstract-only"),
        ]
    )
    assert [name for _, name in keys] == ["exact", "all-words", "abstract-only"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_query_words_never_raise_and_are_folded(query):
    words = search.query_words(query)
    assert all(word == word.casefold() and word.strip() == word and word for word in words)


class IndexReader:
    """Reads a written search-index/ as the browser does (a reference for the tests, not shipped)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.meta = self.load("meta.json")

    def load(self, path: str):
        return json.loads((self.folder / path).read_text(encoding="utf-8"))

    def entry(self, term: str):
        """[papers holding it, its postings block] (+ [1] when its postings are truncated), or None."""
        shard = max(i for i, first in enumerate(self.meta["shards"]) if search._js_order(first) <= search._js_order(term))
        count = self.load(f"v/{shard}.json").get(term)
        if count is None:
            return None
        return [abs(count), self.block_of(term)] + ([1] if count < 0 else [])

    def postings(self, term: str) -> list[tuple[int, int]]:
        entry = self.entry(term)
        if not entry:
            return []
        value = self.load(f"p/{entry[1]}.json")[term]
        if entry[2:]:  # truncated: the block also carries how many papers hold the term
            assert value[0] == entry[0]
            value = value[1]
        return search.decode_docs(value, with_codes=True)

    def block_of(self, term: str) -> int:
        """The block meta.json's first terms point a whole word to (as the browser looks it up)."""
        return max(i for i, first in enumerate(self.meta["blocks"]) if search._js_order(first) <= search._js_order(term))

    def paper_id(self, doc: int) -> str:
        per = self.meta["ids_per_chunk"]
        return self.load(f"ids/{doc // per}.json")[doc % per]


def test_write_index_writes_the_static_index_once_per_paper(tmp_path):
    papers, topics = table_papers()
    stale = tmp_path / search.INDEX_DIR / "p" / "999.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    names = {slug_for_title(name): name for found in topics.values() for name in found}
    search.write_index(tmp_path, papers + papers[:1], topics, names)
    folder = tmp_path / search.INDEX_DIR
    assert not stale.exists()
    assert [p.name for p in tmp_path.iterdir()] == [search.INDEX_DIR]  # no staging folder left behind
    index = IndexReader(folder)
    assert index.meta["papers"] == len(papers)
    # doc numbers: newest first, undated last, each paper once
    ids = [index.paper_id(doc) for doc in range(len(papers))]
    assert sorted(ids) == sorted(p.id for p in papers)
    assert ids[0] == "img-src-x-onerror-alert-1-robust-parsing" and ids[-1] == "config-and-raw-templates-in-the-wild"
    # a title term carries the title flag; an abstract-only term does not
    hostile = ids.index("img-src-x-onerror-alert-1-robust-parsing")
    [(_doc, code)] = [(d, c) for d, c in index.postings("onerror") if d == hostile]
    assert code & search.TITLE_FLAG and 1 <= code & 31 <= 31
    assert all(not code & search.TITLE_FLAG for _, code in index.postings("survive"))
    assert {ids[d] for d, _ in index.postings("lovelace")} == {"analytical-engines-revisited"}  # authors
    assert "mixture-of-experts-routing-at-scale" in {ids[d] for d, _ in index.postings("deepseek")}  # organization
    assert index.entry("the") is None and index.entry("transformers") is None  # stop word; stems only
    assert index.entry("transformer")[0] == 3
    filters = index.load("filters.json")
    assert ["<b>Evil Org</b>", 1] in filters["organization"]
    assert [row[0] for row in filters["year"]] == ["2025", "2024", "2023", "2021"]
    year_2024 = next(row for row in filters["year"] if row[0] == "2024")
    assert {ids[d] for d in range(year_2024[1], year_2024[2])} == {
        "scalable-diffusion-transformers-for-image-generation", "temporal-adapters-for-video-editing",
        "state-space-models-for-speech"}
    by_topic = index.load("facets/topic.json")
    assert {ids[d] for d, _ in search.decode_docs(by_topic["efficient-models"], with_codes=False)} == {
        "scalable-diffusion-transformers-for-image-generation",
        "mamba-linear-time-sequence-modeling-with-selective-state-spaces"}


def test_a_whole_word_finds_its_postings_block_from_meta_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "BLOCK_CHARS", 300)  # many small blocks
    monkeypatch.setattr(search, "BODY_KEEP", 0)  # a term in any abstract is truncated to its title postings
    papers, topics = table_papers()
    names = {slug_for_title(name): name for found in topics.values() for name in found}
    search.write_index(tmp_path, papers, topics, names)
    index = IndexReader(tmp_path / search.INDEX_DIR)
    assert len(index.meta["blocks"]) > 3
    terms = [term for n in range(len(index.meta["shards"])) for term in index.load(f"v/{n}.json")]
    truncated = [term for term in terms if index.entry(term)[2:]]
    assert truncated and len(truncated) < len(terms)
    for term in terms:
        assert index.block_of(term) == index.entry(term)[1], term
        value = index.load(f"p/{index.block_of(term)}.json")[term]
        assert isinstance(value, list) == (term in truncated)
        kept, holding = len(index.postings(term)), index.entry(term)[0]
        assert kept < holding if term in truncated else kept == holding


def test_the_id_table_is_every_chunk_in_order_compressed_without_a_timestamp(tmp_path):
    papers, topics = table_papers()
    files = search.index_files(search.search_records(papers, topics))
    meta = json.loads(files["meta.json"])
    table = files[meta["id_table"]]
    assert table[:2] == b"\x1f\x8b" and table[4:8] == b"\0\0\0\0"  # gzip, mtime 0: same input, same bytes
    chunks = [json.loads(files[f"ids/{k}.json"]) for k in range(-(-len(papers) // meta["ids_per_chunk"]))]
    assert json.loads(gzip.decompress(table)) == [pid for chunk in chunks for pid in chunk]
    assert meta["ids_per_chunk"] == search.IDS_PER_CHUNK


def test_topic_names_are_the_ones_the_build_passes_in(tmp_path):
    papers, topics = table_papers()
    names = {name.lower().replace(" ", "-"): name for found in topics.values() for name in found}
    search.write_index(tmp_path, papers, topics, names)
    meta = json.loads((tmp_path / search.INDEX_DIR / "meta.json").read_text())
    assert meta["topic_names"] == {
        "efficient-models": "Efficient models", "image-generation": "Image generation",
        "language-models": "Language models", "reasoning": "Reasoning", "speech": "Speech", "video": "Video"}
    assert not (tmp_path / "api").exists()  # nothing is read back from (or written to) the rest of the site


def test_index_bytes_are_deterministic(tmp_path):
    papers, topics = table_papers()
    first = search.index_files(search.search_records(papers, topics))
    again = search.index_files(search.search_records(list(reversed(papers)), topics))
    assert first == again


def test_common_terms_keep_every_title_posting_and_the_best_others():
    packed = search.array("q", [doc << 6 | code for doc, code in
                                 [(0, 5), (1, 33), (2, 9), (3, 2), (4, 40), (5, 9), (6, 1)]])
    text, truncated = search.term_postings(packed, keep=2)
    assert truncated
    assert search.decode_docs(text, with_codes=True) == [(1, 33), (2, 9), (4, 40), (5, 9)]
    text, truncated = search.term_postings(packed, keep=5)
    assert not truncated and len(search.decode_docs(text, with_codes=True)) == 7


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=200_000), unique=True, max_size=60), st.data())
def test_postings_encoding_round_trips(docs, data):
    docs = sorted(docs)
    codes = [data.draw(st.integers(min_value=0, max_value=63)) for _ in docs]
    text = search.encode_docs(docs, codes)
    assert set(text) <= set(search.ALPHABET)
    assert search.decode_docs(text, with_codes=True) == list(zip(docs, codes, strict=False))
    assert search.decode_docs(search.encode_docs(docs), with_codes=False) == [(doc, 0) for doc in docs]


@pytest.mark.parametrize(
    "token, expected",
    [("transformers", "transformer"), ("studies", "study"), ("processes", "process"), ("classes", "class"),
     ("class", "class"), ("analysis", "analysis"), ("corpus", "corpus"), ("llms", "llm"), ("its", "its"),
     ("ties", "tie"), ("模型", "模型")],
)
def test_stem(token, expected):
    assert search.stem(token) == expected


def test_tokenize_folds_and_splits():
    assert search.tokenize("GPT-4o: Ｆｕｌｌwidth ÉCOLE x_y") == ["gpt", "4o", "fullwidth", "école", "x", "y"]
    assert search.tokenize("大规模LLM模型") == ["大", "规", "模", "llm", "模", "型"]
    assert search.index_terms("The Transformers of the Studies") == ["transformer", "study"]
    assert search.tokenize("!!! --- ...") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_tokenize_matches_its_definition_on_any_text(text):
    """ASCII text takes a shortcut (no NFKC, no CJK pass, no regex): the same tokens as the rule itself."""
    folded = search.unicodedata.normalize("NFKC", text).lower()
    assert search.tokenize(text) == search._WORD.findall(search._CJK.sub(r" \g<0> ", folded))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=200_000), unique=True, max_size=60), st.data())
def test_packed_postings_encode_as_docs_and_codes_do(docs, data):
    docs = sorted(docs)
    codes = [data.draw(st.integers(min_value=0, max_value=63)) for _ in docs]
    packed = search.array("q", [doc << 6 | code for doc, code in zip(docs, codes, strict=True)])
    pairs = search._Pairs()
    assert search.encode_packed(packed, pairs) == search.encode_docs(docs, codes)
    assert search.encode_packed(packed, pairs) == search.encode_docs(docs, codes)  # memoised pairs reused


_JSON_VALUES = st.recursive(st.integers() | st.text() | st.booleans() | st.none() | st.floats(allow_nan=False),
                            lambda inner: st.lists(inner, max_size=4), max_leaves=8)


@given(_JSON_VALUES)
def test_json_size_is_the_length_of_the_json(value):
    assert search._json_size(value) == len(json.dumps(value, ensure_ascii=False))


def test_search_command_over_a_real_store(tmp_path, monkeypatch, capsys):
    """The command end to end: ingest the seed listings, search the store."""
    from paperarchive import ingest
    from paperarchive import store as paper_store

    listings = sorted((Path(__file__).resolve().parent.parent / "content" / "listings").glob("*.txt"))
    dated = [path for path in listings if path.name[:4].isdigit()]
    store = tmp_path / "store"
    assert ingest.ingest_files(dated, store=store, listed_on=None, strict=False) == 0
    papers = list(paper_store.load_store(store).papers.values())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    target = papers[0]
    capsys.readouterr()
    assert search.search_command(target.title, store=store, limit=3, as_json=True) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["id"] == target.id and first["url"] == target.url
    assert search.search_command("zzzqqqxxyy", store=store, limit=3, as_json=False) == 1
    captured = capsys.readouterr()
    assert captured.out == "no papers found\n"
    assert captured.err == 'search: no paper matches "zzzqqqxxyy"; showing the papers that match the other words best\n'


def test_corpus_exact_titles_come_first(corpus, tmp_path):
    """On the real corpus (first 1,000 papers): each of 25 titles, searched exactly, finds its paper first."""
    lines = (corpus / "expected.jsonl").read_text(encoding="utf-8").splitlines()[:1000]
    papers = []
    for n, line in enumerate(lines):
        row = json.loads(line)
        papers.append(
            Paper(id=f"p{n:05d}", title=row["title"], abstract=row["abstract"],
                  published=date.fromisoformat(row["published"]) if row["published"] else None)
        )
    records = search.search_records(papers, {})
    index = search.cached_lunr_index(records, tmp_path)
    for paper in papers[::40]:
        hits = search.search_index(index, records, paper.title, 5)
        assert hits[0].record.title == paper.title, (paper.title, [h.record.title for h in hits])


# ---------------------------------------------------------------- the terminal command


def test_search_command_without_a_store_says_so_and_fails(tmp_path, capsys):
    assert search.search_command("diffusion", store=tmp_path / "content" / "papers", limit=3, as_json=False) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{tmp_path / 'content' / 'papers'}: no store here (run inside a project folder, or give --store FOLDER)\n"
    (tmp_path / "empty").mkdir()
    assert search.search_command("diffusion", store=tmp_path / "empty", limit=3, as_json=False) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'empty'}: no papers in the store (run `paperarchive ingest` first)\n"


def test_terminal_escapes_control_characters_in_titles():
    record = search.SearchRecord(id="x", url="papers/x/", title="Bad\x1b[31mRed\x07 \u202eevil\nline\ttab", abstract="",
                                 authors=(), organization="", published="", topics=())
    out = io.StringIO()
    search.print_hits([search.Hit(record, 1.0)], as_json=False, out=out)
    assert out.getvalue().splitlines()[1] == "   1.00  -           Bad\\x1b[31mRed\\x07 \\u202eevil\\nline\\ttab"
    assert search.terminal_text("Ünïcode — fine 大") == "Ünïcode — fine 大"


def test_corrections_are_told_and_literal_searches_the_words_as_typed(capsys):
    papers, _ = table_papers()
    answer = search.search_store_papers(papers, "difusion", limit=5)
    assert dict(answer.corrections) == {"difusion": ["diffusion"]} and answer.hits
    out = io.StringIO()
    search.print_notices(answer, out)
    assert out.getvalue() == ("search: showing results for corrected words (difusion -> diffusion); "
                              "--literal searches the words as typed\n")
    literal = search.search_store_papers(papers, "difusion", limit=5, literal=True)
    assert literal.hits == () and literal.missing == ("difusion",)


# ---------------------------------------------------------------- typo matching


@pytest.mark.parametrize(
    "a, b, limit, expected",
    [("transfomer", "transformer", 2, 1), ("vidoe", "video", 1, 1), ("diffusion", "difusion", 1, 1),
     ("abcd", "abcd", 1, 0), ("kitten", "sitting", 1, 2), ("kitten", "sitting", 3, 3), ("ab", "abcdef", 2, 3)],
)
def test_edit_distance(a, b, limit, expected):
    from paperarchive.search_engine import edit_distance

    assert edit_distance(a, b, limit) == expected


def test_a_typo_in_either_half_finds_the_word_through_the_vocabulary_or_the_suffix_shards(tmp_path):
    from paperarchive import search_engine

    papers, _ = table_papers()
    files = search.index_files(search.search_records(papers, {}))
    meta = json.loads(files["meta.json"])
    suffixes = [key[::-1] for n in range(len(meta["suffix_shards"])) for key in search.front_decoded(json.loads(files[f"r/{n}.json"]))]
    assert "diffusion" in suffixes and all(search.typo_term(t) for t in suffixes)
    assert [t[::-1] for t in suffixes] == sorted((t[::-1] for t in suffixes), key=search._js_order)
    engine = search_engine.Engine(search_engine.files_loader(files))
    assert engine.typo_candidates("diffusoin") == ["diffusion"]  # second half wrong: found by the first
    assert engine.typo_candidates("dyffusion") == ["diffusion"]  # first half wrong: by the suffix shards
    assert engine.typo_candidates("zzzzzz") == []


@given(st.text(alphabet="abcdefgh", min_size=4, max_size=9), st.data())
@settings(max_examples=60, deadline=None)
def test_any_single_edit_of_a_vocabulary_word_is_corrected_back(word, data):
    """One edit of an indexed word (a letter dropped, changed or added) is read as that word."""
    from paperarchive import search_engine

    papers = [Paper(id="w", title=f"{word} plain", abstract="", published=None),
              Paper(id="x", title="other paper", abstract="", published=None)]
    files = search.index_files(search.search_records(papers, {}))
    term = search.stem(word)
    i = data.draw(st.integers(0, len(term) - 1))
    kind = data.draw(st.sampled_from(["drop", "change", "add"]))
    typo = {"drop": term[:i] + term[i + 1:], "change": term[:i] + "z" + term[i + 1:], "add": term[:i] + "z" + term[i:]}[kind]
    if len(typo) < search_engine.TYPO_MIN or search.stem(typo) != typo:
        return
    engine = search_engine.Engine(search_engine.files_loader(files))
    assert term in engine.typo_candidates(typo), (term, typo)


def test_phrases_and_title_ranks():
    from paperarchive import search_engine

    assert search_engine.parse_query('"vision transformers" for x').phrases == (("vision", "transformer"),)
    assert search_engine.holds_phrases([("vision", "transformer")], "Vision Transformers at scale", "")
    assert not search_engine.holds_phrases([("transformer", "vision")], "Vision Transformers", "transformers for vision")
    assert not search_engine.holds_phrases([("scale", "we")], "At scale", "We study")  # not across title and abstract
    rank = search_engine.title_rank
    assert rank(["barlow", "twins"], "Barlow Twins") == 0
    assert rank(["barlow", "twins"], "Barlow Twins: Self-Supervised Learning") == 1
    assert rank(["barlow", "twins"], "Barlow Twins Go Sparse") == 2
    assert rank(["barlow", "twins"], "Whitening Barlow Twins") == 3
    assert rank(["barlow", "twins"], "Whitening") == 4


@given(st.lists(st.text(alphabet="abcé\U0001d400z", max_size=70)))
def test_front_coding_round_trips(keys):
    keys = sorted({key for key in keys if key and " " not in key}, key=search._js_order)
    assert search.front_decoded(search.front_coded(keys)) == keys


def test_the_terminal_index_cache_follows_content_and_dates(tmp_path):
    papers, _ = table_papers()
    first = search.search_store_papers(papers, "selective state spaces", limit=5, cache_folder=tmp_path)
    [cached] = list(tmp_path.glob("search-index-*.json"))
    again = search.search_store_papers(papers, "selective state spaces", limit=5, cache_folder=tmp_path)
    assert again == first and list(tmp_path.glob("search-index-*.json")) == [cached]
    moved = [p if p.id != papers[0].id else Paper(id=p.id, title=p.title, abstract=p.abstract, published=date(1999, 1, 1))
             for p in papers]
    search.search_store_papers(moved, "selective state spaces", limit=5, cache_folder=tmp_path)
    [other] = list(tmp_path.glob("search-index-*.json"))
    assert other != cached  # a new date moves doc numbers: a new index, the old one removed


def test_a_rare_spelling_one_edit_away_does_not_outrank_the_word():
    """'difusion' is read as 'diffusion' and as a one-paper misspelling 'difusiom': the word weighs
    as much as its most frequent reading, so the misspelt paper does not come first on its rarity."""
    papers = [Paper(id=f"d{n}", title=f"Paper {n}", abstract="Diffusion models.", published=None) for n in range(3)]
    papers.append(Paper(id="odd", title="Paper 3", abstract="Difusiom models.", published=None))
    answer = search.search_store_papers(papers, "difusion models", limit=5)
    assert set(answer.corrections["difusion"]) == {"diffusion", "difusiom"}
    assert [hit.record.id for hit in answer.hits][:3] == ["d0", "d1", "d2"]
