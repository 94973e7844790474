"""The search in headless Chromium, on a site built from the query table's papers (and a corpus slice).

The site is served under /paperarchive/ (tests/browser.py), as GitHub Pages serves a project site.
"""

from __future__ import annotations

import json
import urllib.parse
from datetime import date
from pathlib import Path

import pytest

from browser import open_tab, serve_site
from paperarchive import search, search_engine, site
from paperarchive.records import Paper
from searchtable import TABLE, check_ordering_rule, check_row, table_papers
from sitefixtures import make_context

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_ID = "img-src-x-onerror-alert-1-robust-parsing"
HOSTILE_TITLE = "<img src=x onerror=alert(1)> Robust Parsing"


def build(papers, tmp: Path) -> tuple[Path, dict[str, tuple[str, ...]]]:
    """The real site (mkdocs.yml, the theme, site.build_site) for these papers; its site dir and topics."""
    config = ROOT / "mkdocs.yml"
    taxonomy = site.load_taxonomy_for(config)
    topics = make_context(papers, taxonomy).topic_names_of()
    site.build_site(config, papers, taxonomy, site_dir=tmp / "site")
    return tmp / "site", topics


@pytest.fixture(scope="module")
def served(tmp_path_factory, browser):
    # the session's one Playwright browser (conftest): a second sync Playwright in the same worker fails
    papers, _ = table_papers()
    site_dir, topics = build(papers, tmp_path_factory.mktemp("search-site"))
    with serve_site(site_dir) as base:
        yield base, browser, topics, site_dir


@pytest.fixture
def tab(served):
    base, browser = served[:2]
    with open_tab(browser, base) as tab:
        yield tab
    assert tab.errors == []


def header_search(tab, query: str) -> list[dict]:
    """Type a query in the header box; the shown results as [{title, href, meta, snippet}]."""
    page = tab.page
    box = page.locator("[data-pa-search-input]")
    box.fill(query)
    page.wait_for_function(
        """q => { const r = document.querySelector('[data-pa-search-results]');
                 return r && !r.hidden && r.dataset.query === q; }""",
        arg=query,
    )
    return page.eval_on_selector_all(
        "[data-pa-search-results] [role=option]",
        """options => options.map(o => ({
             title: o.querySelector('.pa-result__title').textContent,
             href: o.querySelector('a.pa-result__link').href,
             meta: (o.querySelector('.pa-result__meta') || {}).textContent || '',
             snippet: o.querySelector('.pa-result__snippet').textContent,
             snippetInLink: !!o.querySelector('a .pa-result__snippet'),
             marks: Array.from(o.querySelectorAll('mark')).map(m => m.textContent),
           }))""",
    )


def header_notices(tab) -> dict:
    return tab.page.evaluate(
        """() => { const box = document.querySelector('[data-pa-search-results]');
                   const text = (c) => (box.querySelector(c) || {}).textContent || '';
                   return {corrected: text('.pa-search__corrected'), missing: text('.pa-search__missing')}; }"""
    )


def first_page(tab, base: str, query: str, literal: bool = False) -> dict:
    """The search page's first page for a query, from the page's own module (what the terminal prints)."""
    return tab.page.evaluate(
        "async ([url, q, literal]) => (await import(url)).firstPage(q, {literal})",
        [base + "assets/search/archive-search.js", query, literal],
    )


def paper_id(href: str) -> str:
    path = urllib.parse.urlsplit(href).path
    assert path.startswith("/paperarchive/papers/"), href
    return path.split("/")[3]


@pytest.mark.parametrize("row", TABLE["queries"], ids=[row["query"] for row in TABLE["queries"]])
def test_query_table_browser(served, tab, row):
    """The header box, and the search page's engine, against the table; the page's first page is
    exactly what `paperarchive search` prints for the same query."""
    base = served[0]
    tab.goto(base)
    results = header_search(tab, row["query"])
    ids = [paper_id(result["href"]) for result in results]
    page = first_page(tab, base, row["query"])
    check_row(row, page["ids"], [], page["corrections"], page["missing"])
    assert ids == page["ids"][: len(ids)] or row.get("only"), (ids, page["ids"])
    for expected in row["returns"]:
        assert expected in ids, (row["query"], ids)
    if "first" in row:
        assert ids[0] == row["first"], (row["query"], ids)
    check_ordering_rule(row["query"], [result["title"] for result in results])
    notices = header_notices(tab)
    for word, term in row.get("corrected", {}).items():
        assert term in notices["corrected"] and word in notices["corrected"], notices
    for word in row.get("missing", []):
        assert f"“{word}”" in notices["missing"], notices
    papers, _ = table_papers()
    terminal = search.search_store_papers(papers, row["query"], limit=search_engine.PAGE_SIZE)
    assert page["ids"] == [hit.record.id for hit in terminal.hits], row["query"]
    assert page["count"] == terminal.count


def test_enter_opens_the_search_page_and_arrows_then_enter_open_a_result(served, tab):
    base = served[0]
    tab.goto(base + "about/")
    header_search(tab, "selective state spaces")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url(base + "search/?q=selective+state+spaces")
    assert page_results(tab)[0] == "mamba-linear-time-sequence-modeling-with-selective-state-spaces"
    tab.goto(base + "about/")
    header_search(tab, "selective state spaces")
    tab.page.keyboard.press("ArrowDown")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url(base + "papers/mamba-linear-time-sequence-modeling-with-selective-state-spaces/")


def test_slash_and_s_focus_the_search_box_but_not_while_typing(served, tab):
    base = served[0]
    tab.goto(base + "about/")
    page = tab.page
    focused = "() => document.activeElement && document.activeElement.matches('[data-pa-search-input]')"
    assert not page.evaluate(focused)
    page.keyboard.press("/")
    assert page.evaluate(focused) and page.locator("[data-pa-search-input]").input_value() == ""
    page.keyboard.type("s")  # typing in the box: the letter is typed, nothing else happens
    assert page.locator("[data-pa-search-input]").input_value() == "s"
    page.locator("[data-pa-search-input]").fill("")
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("s")
    assert page.evaluate(focused) and page.locator("[data-pa-search-input]").input_value() == ""
    tab.goto(base + "search/")
    page.wait_for_function("() => document.querySelector('[data-pa-status]').textContent")
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.matches('[data-pa-field=q]')")


def test_results_page_more_button_notices_and_literal_link(served, tab):
    base = served[0]
    tab.goto(base + "search/?q=difusion")
    assert page_results(tab)[0] == "scalable-diffusion-transformers-for-image-generation"
    page = tab.page
    assert page.locator("[data-pa-more]").is_hidden()  # fewer than a page: no "More results"
    notice = page.locator(".pa-search__corrected")
    assert notice.text_content().startswith("Showing results for diffusion.")
    notice.locator("button").click()
    page.wait_for_function("() => location.search.includes('literal=1')")
    page.wait_for_function("() => document.querySelector('.pa-search__missing')")
    assert page.locator(".pa-search__missing").text_content() == "No paper matches “difusion”."
    assert page.locator("[data-pa-page-results] .pa-result").count() == 0
    tab.goto(base + "search/?q=diffusion+zzqxv")
    page_results(tab)
    assert page.locator(".pa-search__missing").text_content() == (
        "No paper matches “zzqxv”: showing the papers that match the other words best.")


def test_snippets_are_text_beside_the_title_link(served, tab):
    base = served[0]
    tab.goto(base)
    results = header_search(tab, "diffusion")
    assert results and not any(result["snippetInLink"] for result in results)
    tab.goto(base + "search/?q=diffusion")
    page_results(tab)
    colors = tab.page.evaluate(
        """() => { const r = document.querySelector('[data-pa-page-results] .pa-result');
                   return [getComputedStyle(r.querySelector('.pa-result__title')).color,
                           getComputedStyle(r.querySelector('.pa-result__snippet')).color]; }"""
    )
    assert colors[0] != colors[1]


def test_the_engine_module_loads_with_the_page_not_with_the_first_query(served, tab):
    base = served[0]
    page = tab.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urllib.parse.urlsplit(request.url).path))
    tab.goto(base + "about/")
    page.wait_for_load_state("load")
    assert requested.count("/paperarchive/assets/search/engine.js") == 1
    requested.clear()
    header_search(tab, "diffusion")
    assert not [path for path in requested if "/assets/search/" in path]


def test_type_arrow_enter_opens_the_paper_page(served, tab):
    base = served[0]
    tab.goto(base + "about/")
    results = header_search(tab, "selective state spaces")
    assert results[0]["title"] == "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"
    assert results[0]["meta"].startswith("2023-12-01")
    mamba_topics = served[2]["mamba-linear-time-sequence-modeling-with-selective-state-spaces"]
    assert mamba_topics and all(name in results[0]["meta"] for name in mamba_topics)  # names, not ids
    assert "selective" in [mark.lower() for mark in results[0]["marks"]]
    tab.page.keyboard.press("ArrowDown")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url(base + "papers/mamba-linear-time-sequence-modeling-with-selective-state-spaces/")
    assert "Mamba: Linear-Time Sequence Modeling" in tab.page.locator("h1").first.text_content()


def test_after_a_pause_a_further_query_needs_no_id_chunks(served, tab):
    tab.goto(served[0])
    page = tab.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urllib.parse.urlsplit(request.url).path))
    assert header_search(tab, "diffusion")
    assert any("/search-index/ids/" in path and path.endswith(".json") for path in requested)  # a chunk
    page.locator("[data-pa-search-input]").fill("")  # cleared at once: no results now, but some were seen
    page.wait_for_timeout(1300)  # the reader pauses: the page loads the whole id table
    assert [p for p in requested if p.endswith("/search-index/ids/all.json.gz")]
    requested.clear()
    results = header_search(tab, "selective state spaces")
    assert paper_id(results[0]["href"]) == "mamba-linear-time-sequence-modeling-with-selective-state-spaces"
    assert not [p for p in requested if "/search-index/ids/" in p]
    assert [p for p in requested if "/api/papers/" in p]  # its documents, fetched at once


def test_arrows_choose_escape_closes_click_follows(served, tab):
    base = served[0]
    tab.goto(base)
    results = header_search(tab, "diffusion transformers")
    page = tab.page
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("[aria-selected=true]").get_attribute("id") == "pa-search-option-1"
    page.keyboard.press("Escape")
    assert page.locator("[data-pa-search-results]").is_hidden()
    page.locator("[data-pa-search-input]").fill("")
    results = header_search(tab, "video editing")
    page.locator("[data-pa-search-results] [role=option]").first.click()
    page.wait_for_url(base + "papers/temporal-adapters-for-video-editing/")
    assert page.locator("[data-pa-search-results]").is_hidden()
    # after instant navigation the header box still searches
    assert header_search(tab, "Lovelace")[0]["title"] == "Analytical Engines Revisited"
    assert results


def test_hostile_text_shows_as_written_and_never_runs(served, tab):
    base = served[0]
    tab.goto(base)
    results = header_search(tab, "onerror")
    assert results[0]["title"] == HOSTILE_TITLE
    assert results[0]["meta"] == "2025-03-01 · <b>Evil Org</b>"
    assert results[0]["snippet"].endswith("onerror handlers never run.")  # the abstract, as written
    assert results[0]["marks"] == ["onerror"]
    results = header_search(tab, "survives")
    assert results[0]["snippet"].startswith('Our parser survives <script>alert("abstract")</script> and '
                                            "&lt;b&gt;entities&lt;/b&gt;")
    assert results[0]["marks"] == ["survives"]
    box = tab.page.locator("[data-pa-search-results]")
    assert box.locator("img, script, svg, b").count() == 0
    results = header_search(tab, "templates")
    assert results[0]["title"] == "{{ config }} and {% raw %} Templates in the Wild"
    assert "大规模语言模型" in results[0]["snippet"] or "templates" in results[0]["snippet"].lower()
    tab.goto(base + "search/?q=parser")
    tab.page.wait_for_function("() => document.querySelector('[data-pa-page-results] .pa-result')")
    assert tab.page.locator("[data-pa-page-results] .pa-result__title").first.text_content() == HOSTILE_TITLE
    tab.page.wait_for_timeout(200)  # give a would-be onerror handler its chance
    assert tab.dialogs == []


def page_results(tab) -> list[str]:
    tab.page.wait_for_function("() => document.querySelector('[data-pa-search-page]').parentElement.dataset.paShown")
    return [paper_id(h) for h in tab.page.eval_on_selector_all(
        "[data-pa-page-results] .pa-result__link", "links => links.map(a => a.href)")]


def test_search_page_filters_and_shareable_url(served, tab):
    base, _, topics, site_dir = served
    topic = "Image generation and diffusion models"
    assert sum(topic in names for names in topics.values()) == 2  # the taxonomy puts two papers there
    with_topic = sorted(pid for pid, names in topics.items() if topic in names)
    names = json.loads((site_dir / search.INDEX_DIR / "meta.json").read_text(encoding="utf-8"))["topic_names"]
    [topic_id] = [key for key, name in names.items() if name == topic]
    url = base + "search/?" + urllib.parse.urlencode({"q": "transformers", "topic": topic_id})
    tab.goto(url)
    assert sorted(page_results(tab)) == with_topic
    page = tab.page
    assert page.locator("[data-pa-field=q]").input_value() == "transformers"
    assert page.locator("[data-pa-field=topic]").input_value() == topic_id
    # the filters count the query's papers, each filter under the others
    option = page.locator(f"[data-pa-field=topic] option[value='{topic_id}']")
    assert option.text_content() == f"{topic} (2)"
    assert page.locator("[data-pa-field=year] option[value='2024']").text_content() == "2024 (2)"
    assert page.locator("[data-pa-field=year] option[value='2023']").text_content() == "2023 (0)"  # Mamba: another topic
    # an old URL naming the topic by its display name reads it as the topic's id
    tab.goto(base + "search/?" + urllib.parse.urlencode({"q": "transformers", "topic": topic}))
    assert sorted(page_results(tab)) == with_topic
    page.wait_for_function(f"() => location.search.includes('topic={topic_id}')")
    # choosing another filter rewrites the URL, which restores the same state when opened again
    page.locator("[data-pa-field=topic]").select_option("")
    page.locator("[data-pa-field=year]").select_option("2024")
    page.wait_for_function("() => location.search.includes('year=2024') && !location.search.includes('topic=')")
    shared = page.url
    ids = page_results(tab)
    assert ids and all(pid in {"scalable-diffusion-transformers-for-image-generation",
                                "temporal-adapters-for-video-editing", "state-space-models-for-speech"} for pid in ids)
    tab.goto(shared)
    assert sorted(page_results(tab)) == sorted(ids)
    # a filter alone lists that organization's papers
    tab.goto(base + "search/?organization=DeepSeek")
    assert page_results(tab) == ["mixture-of-experts-routing-at-scale",  # newest first
                                 "deepseek-r1-incentivizing-reasoning-capability-in-llms-via-reinforcement-learning"]


def test_header_footer_link_opens_the_search_page(served, tab):
    base = served[0]
    tab.goto(base)
    header_search(tab, "diffusion")
    tab.page.locator(".pa-search__all").click()
    tab.page.wait_for_url(base + "search/?q=diffusion")
    ids = page_results(tab)
    assert ids[0] == "scalable-diffusion-transformers-for-image-generation"


HOSTILE_STRINGS = [
    "", "   ", "GPT-4o: Ｆｕｌｌwidth ÉCOLE x_y", "大规模LLM模型", "日本語のテキスト、カタカナ", "한국어 문장",
    "مرحبا بالعالم", "Ǆemal İstanbul ΟΔΟΣ straße", "e\u0301 combining", "🧪 emoji 🧪🧪", "<script>alert(1)</script>",
    "{{ config }} {% raw %}", "---\n: &anchor !!python/object", "ﬁne ﬂow ½ ² ⅷ", "𠀀𠀁 astral Han", "\u200b\u200dzero",
    "tab\tnew\nline", "Transformers' studies’ processes", "a the of for in", "x" * 300, "١٢٣ ٤ Devanagari हिन्दी",
]


def test_tokenizer_and_stemmer_match_python_in_the_browser(served, tab, corpus_titles):
    """The JS tokenizer (engine.js) against search.index_terms over corpus titles and hostile text."""
    base = served[0]
    tab.goto(base)
    texts = HOSTILE_STRINGS + corpus_titles
    got = tab.page.evaluate(
        """async ([url, texts]) => { const m = await import(url);
             return texts.map(t => [m.tokenize(t), m.indexTerms(t)]); }""",
        [base + "assets/search/engine.js", texts],
    )
    for text, (tokens, terms) in zip(texts, got, strict=False):
        assert tokens == search.tokenize(text), text
        assert terms == search.index_terms(text), text


def test_the_id_table_reads_stored_gzip_and_a_body_the_host_decoded(served, tab):
    base = served[0]
    tab.goto(base)
    stored, decoded = tab.page.evaluate(
        """async ([url, index]) => { const m = await import(url);
             return [await m.fetchGzipJSON(new URL('ids/all.json.gz', index)),
                     await m.fetchGzipJSON(new URL('ids/0.json', index))]; }""",
        [base + "assets/search/archive-search.js", base + "search-index/"],
    )
    papers, _ = table_papers()
    assert sorted(stored) == sorted(p.id for p in papers)
    assert decoded == stored[: search.IDS_PER_CHUNK]  # plain JSON (no gzip magic) is read as it is


def test_title_rules_and_query_parsing_match_python_in_the_browser(served, tab):
    base = served[0]
    tab.goto(base)
    cases = [(row["query"], paper["title"]) for row in TABLE["queries"] for paper in TABLE["papers"]]
    cases += [("diffus", "Diffusion Models"), ("studies", "A Study of Scaling"), ("state spaces", "State Spaces"),
              ("barlow tw", "Barlow Twins: X"), ('"a b" c "d', "A b: c"), ("x:", "x: y")]
    got = tab.page.evaluate(
        """async ([url, cases]) => { const m = await import(url);
             return cases.map(([q, t]) => { const p = m.parseQuery(q); const w = p.titleWords;
               return [w, m.titleHoldsAll(w, t), m.titleRank(w, t, p.open), p.phrases,
                       p.words.map(x => [x.token, x.term, x.prefix, x.unfinished])]; }); }""",
        [base + "assets/search/engine.js", cases],
    )
    for (query, title), (words, holds, rank, phrases, parsed_words) in zip(cases, got, strict=False):
        parsed = search_engine.parse_query(query)
        assert words == list(parsed.title_words) == search.query_words(query.replace('"', " ")), query
        assert holds == search_engine.title_holds_all(words, title), (query, title)
        assert rank == search_engine.title_rank(words, title, parsed.open), (query, title)
        assert phrases == [list(p) for p in parsed.phrases], query
        assert parsed_words == [[w.token, w.term, w.prefix, w.unfinished] for w in parsed.words], query


@pytest.fixture(scope="module")
def corpus_titles(request) -> list[str]:
    """300 real titles when ../shared is there; the fixture table's titles and abstracts otherwise."""
    from conftest import CORPUS

    path = CORPUS / "expected.jsonl" if CORPUS else None
    if path and path.exists():
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[::33]]
        return [row["title"] for row in rows] + [row["abstract"] for row in rows[:40]]
    return [paper["title"] for paper in TABLE["papers"]] + [paper["abstract"] for paper in TABLE["papers"]]


@pytest.mark.corpus
def test_corpus_slice_exact_titles_first(served, corpus, tmp_path):
    """120 real papers: an exact title typed in the header finds its paper first."""
    papers = []
    for n, line in enumerate((corpus / "expected.jsonl").read_text(encoding="utf-8").splitlines()[:120]):
        row = json.loads(line)
        published = date.fromisoformat(row["published"]) if row["published"] else None
        papers.append(Paper(id=f"paper-{n:04d}", title=row["title"], abstract=row["abstract"], published=published,
                            organization=row["organization"]))
    site_dir, _ = build(papers, tmp_path)
    browser = served[1]  # one Playwright per process: reuse the module's browser
    with serve_site(site_dir) as base, open_tab(browser, base) as tab:
        tab.goto(base)
        for paper in papers[::15]:
            results = header_search(tab, paper.title)
            assert results[0]["title"] == paper.title, (paper.title, [r["title"] for r in results])
            check_ordering_rule(paper.title, [r["title"] for r in results])
        # one engine: the page's first page is what the terminal prints, for typos, prefixes and phrases
        for paper in papers[::7]:
            words = [w for w in search.tokenize(paper.title) if len(w) >= 5]
            if not words:
                continue
            word = words[-1]
            for query in (word[:1] + word[2:], f"{words[0]} {word[:4]}", f'"{" ".join(words[:2])}"', paper.title):
                page = first_page(tab, base, query)
                terminal = search.search_store_papers(papers, query, limit=search_engine.PAGE_SIZE)
                assert page["ids"] == [hit.record.id for hit in terminal.hits], query
                assert {w: t for w, t in page["corrections"].items()} == dict(terminal.corrections), query
        assert tab.dialogs == [] and tab.errors == []
        labels = tab.page.evaluate("async (u) => (await (await fetch(u)).json()).fields", base + "search-index/meta.json")
        assert labels[:2] == ["title", "abstract"] and "authors" not in labels  # listings carry no author names
        tab.goto(base + "search/")
        tab.page.wait_for_function("() => document.querySelector('label[for=pa-search-page-q]').textContent.startsWith('Words in')")
        label = tab.page.locator("label[for=pa-search-page-q]").text_content()
        assert "author" not in label and label.startswith("Words in the title")
    assert search.query_words(papers[0].title)
