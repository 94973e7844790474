"""Merge rules: one paper once, later listings update, nothing known is erased, ids never change."""

from __future__ import annotations

import random
from datetime import date

from paperarchive.merge import ABSTRACT_MATCH_MIN, abstracts_disagree, merge
from paperarchive.records import Entry, Source, links_in
from paperarchive.records import slug_for_title as slug
from paperarchive.store import Store

LONG = (
    "We study how sparse mixtures of experts behave at scale and find that a balanced router removes "
    "routing collapse; the method is simple, needs no extra loss, and improves perplexity at every size. "
    "Code: https://github.com/example/smoe."
)
assert len(LONG) >= ABSTRACT_MATCH_MIN


def entry(title: str, listed: str | None = "2025-11-20", listing: str | None = None, **kw) -> Entry:
    day = date.fromisoformat(listed) if listed else None
    kw.setdefault("abstract", f"About {title}.")
    return Entry(listing=listing or f"{listed or 'undated'}.txt", line=kw.pop("line", 1), listed=day, title=title, **kw)


def store_of(*entries: Entry) -> Store:
    return Store(papers=merge(Store(), entries).papers)


def test_new_paper_keeps_every_parsed_field():
    e = entry("Sparse Experts", abstract=LONG, published=date(2025, 11, 18), comments=3,
              organization="Acme Lab", organization_id="acme")
    result = merge(Store(), [e])
    (paper,) = result.papers.values()
    assert paper.id == "sparse-experts"
    assert (paper.title, paper.abstract, paper.published, paper.comments) == ("Sparse Experts", LONG, date(2025, 11, 18), 3)
    assert (paper.organization, paper.organization_id, paper.authors_count) == ("Acme Lab", "acme", None)
    assert paper.links == ("https://github.com/example/smoe",)
    assert paper.sources == (Source(date(2025, 11, 20), "2025-11-20.txt"),)
    assert paper.first_seen == date(2025, 11, 20) and paper.aliases == ()
    assert (result.added, result.updated, result.unchanged, result.retired) == (1, 0, 0, ())


def test_same_folded_title_is_one_paper_and_later_listing_updates():
    result = merge(Store(), [
        entry("Sparse Experts: at Scale", comments=3, organization="Acme Lab", organization_id="acme"),
        entry("sparse experts -- AT  scale", "2025-11-21", comments=5, organization="Acme Research", organization_id="acme"),
    ])
    (paper,) = result.papers.values()
    assert paper.id == "sparse-experts-at-scale"
    assert (paper.title, paper.comments, paper.organization) == ("sparse experts -- AT  scale", 5, "Acme Research")
    assert [s.listing for s in paper.sources] == ["2025-11-20.txt", "2025-11-21.txt"]
    assert paper.first_seen == date(2025, 11, 20)


def test_nothing_known_is_replaced_by_unknown():
    first = entry("Tiny Models", abstract=LONG, published=date(2025, 11, 19), comments=2, authors_count=4,
                  organization="Org", organization_id="org", authors=("Ada",), arxiv_id="2511.00001",
                  upvotes=10, github="https://github.com/a/b", project_page="https://a.b", keywords=("rnn",))
    bare = entry("Tiny Models", "2025-11-22", abstract="")  # a later listing without any metadata
    (paper,) = merge(Store(), [first, bare]).papers.values()
    assert paper.abstract == LONG and paper.comments == 2 and paper.authors_count == 4
    assert (paper.organization, paper.organization_id, paper.authors, paper.arxiv_id) == ("Org", "org", ("Ada",), "2511.00001")
    assert (paper.upvotes, paper.github, paper.project_page, paper.keywords) == (10, "https://github.com/a/b", "https://a.b", ("rnn",))
    assert paper.published == date(2025, 11, 19)


def test_zero_comments_never_erase_a_count_but_a_later_count_replaces():
    (paper,) = merge(Store(), [entry("P", comments=4), entry("P", "2025-11-21", published=date(2025, 11, 1))]).papers.values()
    assert paper.comments == 4
    (paper,) = merge(Store(), [entry("P", comments=4), entry("P", "2025-11-21", comments=2)]).papers.values()
    assert paper.comments == 2


def test_a_later_listing_corrects_published_and_an_unknown_date_never_erases_it():
    (paper,) = merge(Store(), [
        entry("P", published=date(2025, 11, 18)),
        entry("P", "2025-11-21", published=date(2024, 11, 18)),
    ]).papers.values()
    assert paper.published == date(2024, 11, 18)
    (paper,) = merge(Store(), [entry("P", published=date(2025, 11, 18)), entry("P", "2025-11-21")]).papers.values()
    assert paper.published == date(2025, 11, 18)
    # an older listing ingested later only fills a gap
    store = store_of(entry("P", "2025-11-21", published=date(2025, 11, 19)))
    assert merge(store, [entry("P", "2025-11-20", published=date(2025, 11, 1))]).papers["p"].published == date(2025, 11, 19)


def test_an_older_listing_ingested_later_fills_gaps_but_does_not_override():
    store = store_of(entry("P", "2025-11-21", comments=5, organization="New", organization_id="new"))
    result = merge(store, [entry("P", "2025-11-20", comments=3, organization="Old", organization_id="old",
                                 authors_count=7, published=date(2025, 11, 19))])
    paper = result.papers["p"]
    assert (paper.comments, paper.organization, paper.authors_count) == (5, "New", 7)
    assert paper.published == date(2025, 11, 19) and paper.first_seen == date(2025, 11, 20)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 0)


def test_undated_listings_count_as_oldest():
    (paper,) = merge(Store(), [entry("P", "2025-11-20", comments=5), entry("P", None, comments=9)]).papers.values()
    assert paper.comments == 5
    assert paper.sources == (Source(None, "undated.txt"), Source(date(2025, 11, 20), "2025-11-20.txt"))
    assert paper.first_seen == date(2025, 11, 20)


def test_slug_collisions_number_in_order_of_first_ingest():
    result = merge(Store(), [
        entry("Café Models", "2025-11-21"),
        entry("Cafe Models", "2025-11-20"),
        entry("Cafè Models", "2025-11-22"),
    ])
    assert {pid: p.title for pid, p in result.papers.items()} == {
        "cafe-models": "Cafe Models",
        "cafe-models-2": "Café Models",
        "cafe-models-3": "Cafè Models",
    }
    later = merge(Store(papers=result.papers), [entry("CAFÉ models!", "2025-11-23", comments=1)])
    assert later.papers["cafe-models-2"].comments == 1 and (later.added, later.updated) == (0, 1)


def test_a_corrected_title_keeps_the_id_through_the_abstract():
    store = store_of(entry("Graph Transformers Revisted", abstract=LONG))
    result = merge(store, [entry("Graph Transformers Revisited", "2025-11-21", abstract=LONG)])
    assert list(result.papers) == ["graph-transformers-revisted"]
    assert result.papers["graph-transformers-revisted"].title == "Graph Transformers Revisited"
    # only a substantial abstract identifies a paper: short ones are shared by different papers
    short = merge(Store(), [entry("Alpha", abstract="TBD."), entry("Beta", "2025-11-21", abstract="TBD.")])
    assert sorted(short.papers) == ["alpha", "beta"]


def test_id_stays_when_an_arxiv_id_becomes_known_and_title_follows_the_arxiv_record():
    store = store_of(entry("Tiny Recursive Models", abstract="Short."))
    api = entry("Tiny Recursive Models", "2025-11-23", listing="2025-11-23.json", abstract="Short.",
                arxiv_id="2511.04321", authors=("Ada", "Alan"), upvotes=42)
    renamed = entry("TRM: Less is More", "2025-11-24", listing="2025-11-24.json", abstract="Other.", arxiv_id="2511.04321")
    result = merge(store, [api, renamed])
    assert list(result.papers) == ["tiny-recursive-models"]
    paper = result.papers["tiny-recursive-models"]
    assert (paper.title, paper.arxiv_id, paper.authors, paper.upvotes) == ("TRM: Less is More", "2511.04321", ("Ada", "Alan"), 42)


def test_two_records_of_one_paper_merge_keeping_the_older_id():
    store = store_of(
        entry("Less is More: Recursive Reasoning", "2025-11-21", abstract="Revised.", comments=2),
        entry("Tiny Recurrent Models", "2025-11-20", abstract=LONG, authors_count=4),
    )
    api = entry("Less is More: Recursive Reasoning", "2025-11-23", listing="2025-11-23.json", abstract=LONG,
                arxiv_id="2511.04321")
    result = merge(store, [api])
    assert list(result.papers) == ["tiny-recurrent-models"]
    kept = result.papers["tiny-recurrent-models"]
    assert kept.aliases == ("less-is-more-recursive-reasoning",)
    assert result.retired == ("less-is-more-recursive-reasoning",)
    assert (kept.comments, kept.authors_count, kept.arxiv_id) == (2, 4, "2511.04321")
    assert kept.title == "Less is More: Recursive Reasoning" and kept.first_seen == date(2025, 11, 20)
    assert [s.listing for s in kept.sources] == ["2025-11-20.txt", "2025-11-21.txt", "2025-11-23.json"]
    assert (result.added, result.updated, result.unchanged) == (0, 1, 0)
    # a retired id is never given to another paper: its URL redirects
    again = merge(Store(papers=result.papers), [entry("Less is More: Recursive Reasoning!", "2025-11-25", arxiv_id="2512.00009")])
    assert "less-is-more-recursive-reasoning-2" in again.papers


def test_different_arxiv_ids_are_different_papers_even_with_one_title():
    result = merge(Store(), [
        entry("Introduction", arxiv_id="2501.00001", abstract=LONG),
        entry("Introduction", "2025-11-21", arxiv_id="2501.00002", abstract=LONG),
        entry("Introduction", "2025-11-22", comments=7),
    ])
    assert sorted(result.papers) == ["introduction", "introduction-2"]
    assert result.papers["introduction"].comments == 7  # the first compatible record takes an id-less entry


def test_argument_order_does_not_matter():
    entries = [
        entry("Alpha", comments=1, abstract=LONG),
        entry("alpha", "2025-11-21", comments=3, organization="O", organization_id="o"),
        entry("Alpha v2", "2025-11-22", abstract=LONG, arxiv_id="2511.1"),
        entry("Cafe", "2025-11-20"),
        entry("Café", "2025-11-21"),
        entry("Beta", None, comments=2),
        entry("Beta", "2025-11-19", published=date(2025, 11, 2)),
    ]
    expected = merge(Store(), entries)
    shuffler = random.Random(7)
    for _ in range(20):
        shuffled = entries[:]
        shuffler.shuffle(shuffled)
        assert merge(Store(), shuffled) == expected
    # and one run equals the same entries split over two runs, oldest first
    split = merge(Store(papers=merge(Store(), entries[:3]).papers), entries[3:])
    assert dict(split.papers) == dict(expected.papers)


def test_a_listing_ingested_again_under_an_old_title_finds_the_renamed_paper():
    first = merge(Store(), [entry("Old Name", abstract="Short."),
                            entry("New Name", "2025-11-21", abstract="Short.", arxiv_id="2511.7")])
    assert sorted(first.papers) == ["new-name", "old-name"]
    tie = merge(Store(papers=first.papers), [entry("Old Name", "2025-11-22", listing="api.json", abstract="x", arxiv_id="2511.7")])
    (paper,) = tie.papers.values()
    assert (paper.id, paper.title, paper.former_titles, paper.aliases) == ("old-name", "Old Name", ("New Name",), ("new-name",))
    again = merge(Store(papers=tie.papers), [entry("New Name", "2025-11-21", abstract="Short.")])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1) and dict(again.papers) == dict(tie.papers)


def test_a_daily_listing_records_each_papers_place_and_a_changed_listing_replaces_it():
    first = store_of(entry("Sparse Experts", rank=3), entry("Dense Experts", rank=1))
    assert first.papers["sparse-experts"].sources == (Source(date(2025, 11, 20), "2025-11-20.txt", 3),)
    again = Store(papers=merge(first, [entry("Sparse Experts", rank=2)]).papers)
    assert again.papers["sparse-experts"].sources == (Source(date(2025, 11, 20), "2025-11-20.txt", 2),)
    other_day = Store(papers=merge(again, [entry("Sparse Experts", listed="2025-11-21", rank=5)]).papers)
    assert [(s.listed.day, s.rank) for s in other_day.papers["sparse-experts"].sources] == [(20, 2), (21, 5)]


# --- papers are never fused (issue 16) ---------------------------------------------------------------

P_EQ_NP = ("We give a polynomial-time algorithm for an NP-complete problem and conclude that the classes coincide; "
           "the algorithm reduces satisfiability to a sequence of linear programs whose size we bound explicitly.")
P_NEQ_NP = ("We prove a super-polynomial lower bound for circuits computing a natural function in NP, separating the "
            "classes; the argument avoids the known barriers of relativization, natural proofs and algebrization.")
CPP = ("A header-only library brings automatic differentiation, tensor kernels and model serialization to modern "
       "codebases written with templates, with zero-cost abstractions measured on three training workloads.")
CSHARP = ("We describe a managed runtime package for training gradient boosted trees and small neural networks inside "
          "desktop applications, and report how garbage collection pauses affect latency during inference.")
ATTENTION_1 = ("The dominant sequence transduction models are based on recurrent networks; we propose a new simple "
               "architecture based solely on attention mechanisms, dispensing with recurrence and convolutions entirely.")
ATTENTION_2 = ("We revisit the claim that self-attention suffices and show that, without feed-forward layers and skip "
               "connections, pure attention loses rank doubly exponentially with depth in deep transformer stacks.")


def test_titles_that_differ_in_symbols_or_abstract_are_two_papers():
    result = merge(Store(), [
        entry("Is P = NP?", abstract=P_EQ_NP),
        entry("Is P ≠ NP?", "2025-11-21", abstract=P_NEQ_NP),
        entry("C++ for Machine Learning", abstract=CPP),
        entry("C# for Machine Learning", "2025-11-21", abstract=CSHARP),
        entry("Attention Is All You Need!", abstract=ATTENTION_1),
        entry("Attention is all you need?", "2025-11-21", abstract=ATTENTION_2),
    ])
    assert {pid: (p.title, p.abstract) for pid, p in result.papers.items()} == {
        "is-p-np": ("Is P = NP?", P_EQ_NP),
        "is-p-np-2": ("Is P ≠ NP?", P_NEQ_NP),
        "c-for-machine-learning": ("C++ for Machine Learning", CPP),
        "c-for-machine-learning-2": ("C# for Machine Learning", CSHARP),
        "attention-is-all-you-need": ("Attention Is All You Need!", ATTENTION_1),
        "attention-is-all-you-need-2": ("Attention is all you need?", ATTENTION_2),
    }
    assert [str(n) for n in result.notes] == [
        ("2025-11-21.txt:1: stored as a new paper 'attention-is-all-you-need-2': its title matches "
        "'attention-is-all-you-need' ('Attention Is All You Need!'), whose abstract clearly differs"),
    ]
    # symbols are part of a title whatever the abstracts say: one abstract unknown, still two papers
    short = merge(Store(), [entry("C++ for ML", abstract="TBD."), entry("C# for ML", "2025-11-21", abstract="TBD.")])
    assert sorted(short.papers) == ["c-for-ml", "c-for-ml-2"]


def test_two_papers_whose_titles_swap_stay_two_each_with_its_id_and_abstract():
    store = store_of(entry("Alpha Models", abstract=P_EQ_NP, line=1), entry("Beta Models", abstract=P_NEQ_NP, line=5))
    swapped = merge(store, [entry("Beta Models", "2025-11-21", abstract=P_EQ_NP, line=1),
                            entry("Alpha Models", "2025-11-21", abstract=P_NEQ_NP, line=5)])
    assert {pid: (p.title, p.abstract, p.former_titles) for pid, p in swapped.papers.items()} == {
        "alpha-models": ("Beta Models", P_EQ_NP, ("Alpha Models",)),
        "beta-models": ("Alpha Models", P_NEQ_NP, ("Beta Models",)),
    }
    assert (swapped.added, swapped.updated, swapped.retired) == (0, 2, ())
    assert [(str(n), n.warning) for n in swapped.notes] == [
        (("2025-11-21.txt:1: renamed 'alpha-models' from 'Alpha Models' to 'Beta Models': its abstract matches, "
         "while the title matches 'beta-models' ('Beta Models'), whose abstract clearly differs"), True),
        (("2025-11-21.txt:5: renamed 'beta-models' from 'Beta Models' to 'Alpha Models': its abstract matches, "
         "while the title matches 'alpha-models' ('Beta Models'), another entry of this listing"), True),
    ]
    # both listings again, in any order: nothing changes, nothing is reported
    again = merge(Store(papers=swapped.papers), [
        entry("Alpha Models", abstract=P_EQ_NP, line=1), entry("Beta Models", abstract=P_NEQ_NP, line=5),
        entry("Beta Models", "2025-11-21", abstract=P_EQ_NP, line=1),
        entry("Alpha Models", "2025-11-21", abstract=P_NEQ_NP, line=5)])
    assert dict(again.papers) == dict(swapped.papers) and again.notes == ()


def test_the_arxiv_id_decides_over_a_title_that_names_another_paper():
    store = store_of(entry("Alpha Models", abstract=P_EQ_NP, arxiv_id="2511.00001"),
                     entry("Beta Models", abstract=P_NEQ_NP, arxiv_id="2511.00002"))
    result = merge(store, [entry("Beta Models", "2025-11-22", listing="api.json", abstract="Short.", arxiv_id="2511.00001")])
    assert result.papers["alpha-models"].title == "Beta Models"
    assert result.papers["beta-models"] == store.papers["beta-models"]
    assert [str(n) for n in result.notes] == [
        "api.json:1: renamed 'alpha-models' from 'Alpha Models' to 'Beta Models' (same arXiv id)",
    ]


def test_two_entries_of_one_listing_are_never_one_paper():
    result = merge(Store(), [entry("Introduction", abstract="TBD.", line=1), entry("introduction", abstract="TBD.", line=9)])
    assert sorted(result.papers) == ["introduction", "introduction-2"]
    assert [str(n) for n in result.notes] == [
        ("2025-11-20.txt:9: stored as a new paper 'introduction-2': its title matches 'introduction' ('Introduction'), "
        "another entry of this listing"),
    ]
    # the same listing again lands each entry on its own paper
    again = merge(Store(papers=result.papers), [entry("Introduction", abstract="TBD.", line=1),
                                                entry("introduction", abstract="TBD.", line=9)])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    # one listing carrying one paper twice under its arXiv id: the id says they are one
    api = merge(Store(), [entry("Intro", listing="a.json", arxiv_id="2511.1", abstract="A."),
                          entry("Intro", listing="a.json", arxiv_id="2511.1", abstract="B.", comments=2)])
    assert list(api.papers) == ["intro"]


def test_a_title_alone_never_joins_two_stored_papers_and_is_reported_across_different_abstracts():
    store = store_of(entry("Introduction", abstract=P_EQ_NP, line=1), entry("Introduction", abstract=P_NEQ_NP, line=2))
    assert sorted(store.papers) == ["introduction", "introduction-2"]
    result = merge(store, [entry("Introduction", "2025-11-21", abstract="", comments=4)])
    assert sorted(result.papers) == ["introduction", "introduction-2"] and result.retired == ()
    assert result.papers["introduction"].comments == 4 and result.notes == ()
    other = merge(store, [entry("Introduction", "2025-11-21", abstract="A short abstract of another paper.")])
    assert other.papers["introduction"].abstract == "A short abstract of another paper."
    assert [str(n) for n in other.notes] == [
        "2025-11-21.txt:1: matched 'introduction' ('Introduction') by its title alone although the abstracts differ",
    ]


def test_joining_two_records_of_one_paper_is_reported():
    store = store_of(entry("Less is More", "2025-11-21", abstract="Revised."), entry("Tiny Models", abstract=LONG))
    result = merge(store, [entry("Less is More", "2025-11-23", listing="api.json", abstract=LONG, arxiv_id="2511.9")])
    assert list(result.papers) == ["tiny-models"] and result.retired == ("less-is-more",)
    assert [str(n) for n in result.notes] == [
        "api.json:1: matched 'less-is-more' ('Less is More') by its title alone although the abstracts differ",
        "api.json:1: 'less-is-more' ('Less is More') is the same paper as 'tiny-models' ('Tiny Models'): merged into 'tiny-models'",
    ]


def test_clearly_different_abstracts():
    assert abstracts_disagree(P_EQ_NP, P_NEQ_NP)
    assert not abstracts_disagree(P_EQ_NP, P_EQ_NP.replace("explicitly", "tightly").replace("We give", "We present"))
    assert not abstracts_disagree(P_EQ_NP, "Short.")  # too short to tell
    truncated = " ".join(LONG.split()[:25]) + " …"  # a listing that cut the abstract short
    assert not abstracts_disagree(truncated, LONG)
    assert not abstracts_disagree(P_EQ_NP, "")


def test_reserved_slugs_never_become_ids():
    result = merge(Store(), [entry("Index"), entry("Índex", "2025-11-21"), entry("Index Paper", "2025-11-22")])
    assert {pid: p.title for pid, p in result.papers.items()} == {
        "index-paper": "Index", "index-paper-2": "Índex", "index-paper-3": "Index Paper"}


def test_many_titles_sharing_their_slug_get_numbered_ids_in_order():
    base = "a" * 40 + " " + "b" * 39
    entries = [entry(f"{base} {n}", abstract=f"Abstract {n}.", line=n) for n in range(1, 3001)]
    taken = f"{slug(base)}-5"  # an unreadable store file's id: never given
    papers = merge(Store(reserved=frozenset({taken})), entries).papers
    assert [papers[pid].title for pid in (slug(base), f"{slug(base)}-2", f"{slug(base)}-4", f"{slug(base)}-6")] == [
        f"{base} 1", f"{base} 2", f"{base} 4", f"{base} 5"]
    assert len(papers) == 3000 and papers[f"{slug(base)}-3001"].title == f"{base} 3000" and taken not in papers


# --- the links of a paper ------------------------------------------------------------------------------




def test_a_url_followed_by_many_brackets_costs_linear_time():
    text = "Code: https://github.com/x/y_(v2)" + ")" * 200_000 + " and https://x.org/a."
    assert links_in(text) == ("https://github.com/x/y_(v2)", "https://x.org/a")


def test_one_listing_given_twice_lands_on_the_same_papers():
    # e.g. an old and a corrected save of one day, from two folders, in one ingest
    first = [entry("Alpha", line=1, comments=1), entry("Beta", line=5)]
    corrected = [entry("Alpha", line=1, comments=2), entry("Beta", line=5)]
    result = merge(Store(), first + corrected)
    assert sorted(result.papers) == ["alpha", "beta"] and result.notes == ()
