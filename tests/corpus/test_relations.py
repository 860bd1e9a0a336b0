"""Copies, reused passages and common sources kept apart, and credited originals outside the
crawl: each case is two or three short stories built by hand, linked, and read back through
the query layer the CLI and the web use."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from presslens.corpus.export import graph_json
from presslens.corpus.graph import EdgeFilter, StoredEdge, edges, parse_relations
from presslens.corpus.ingest import ingest
from presslens.corpus.linking import link_corpus
from presslens.corpus.profiles import profile
from presslens.corpus.store import Store
from presslens.errors import UsageError
from tests.corpus.factory import day, record

EXAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "examples" / "globalresearch-soleimani.txt"


def prose(seed: int, words: int = 220) -> str:
    """An article of made-up words, in paragraphs: no two seeds share a phrase."""
    rng = random.Random(seed)
    vocab = [f"{a}{b}{c}" for a in "bcdfghklmnprstvz" for b in "aeiou" for c in ("n", "r", "s", "l", "")]
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choice(vocab) for _ in range(rng.randint(8, 16))).capitalize() + ".")
    paras = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join(paras)


STATEMENT = (
    "\u201c"
    + " ".join(prose(99, 60).split()[:55]).rstrip(".")
    + ",\u201d a State Department spokesperson said "
    "in a statement."
)
RELEASE = " ".join(prose(77, 70).split()[:62]).rstrip(".") + "."


def with_paragraph(body: str, paragraph: str, at: int = 2) -> str:
    paras = body.split("\n\n")
    paras.insert(at, paragraph)
    return "\n\n".join(paras)


def relation_pairs(store: Store) -> set[tuple[str, str, str, bool]]:
    return {(e.source.url or "", e.target.url or "", e.relation, e.directed) for e in edges(store)}


def incoming(store: Store, url: str) -> list[StoredEdge]:
    return [e for e in edges(store) if e.target.url == url and e.directed]


def test_a_statement_quoted_by_two_unrelated_stories_is_a_common_source_not_a_copy(store: Store) -> None:
    a = with_paragraph(prose(1), STATEMENT)
    b = with_paragraph(prose(2), STATEMENT, at=1)
    store.add_batch(
        [
            record("https://first.org/a", a, published=day(1)),
            record("https://copier.net/a", a, published=day(2)),
            record("https://second.com/b", b, published=day(5)),
        ]
    )
    link_corpus(store)
    found = relation_pairs(store)
    assert ("https://first.org/a", "https://copier.net/a", "copy", True) in found
    shared = [e for e in edges(store) if e.relation == "common_source"]
    assert len(shared) == 1 and not shared[0].directed
    assert {shared[0].source.url, shared[0].target.url} == {"https://first.org/a", "https://second.com/b"}
    # Neither story's original gets an incoming edge: quoting one spokesperson copies no one.
    assert incoming(store, "https://first.org/a") == []
    assert incoming(store, "https://second.com/b") == []


def test_commentary_quoting_a_story_in_quotation_marks_reuses_it(store: Store) -> None:
    story = prose(3, 300)
    passage = " ".join(story.split()[80:150])
    commentary = "\n\n".join([prose(4, 80), f"As First News reported: \u201c{passage}\u201d", prose(5, 120)])
    store.add_batch(
        [
            record("https://first.org/story", story, published=day(1)),
            record("https://opinion.net/comment", commentary, published=day(9)),
        ]
    )
    link_corpus(store)
    (e,) = edges(store)
    assert (e.source.url, e.target.url, e.relation, e.directed) == (
        "https://first.org/story",
        "https://opinion.net/comment",
        "reuse",
        True,
    )
    assert e.evidence == ["quotation"]
    assert e.kind == "passage"


def test_a_press_release_pasted_into_three_stories_is_their_common_source(store: Store) -> None:
    urls = [f"https://outlet{i}.org/story" for i in range(3)]
    store.add_batch(
        [
            record(u, with_paragraph(prose(10 + i), RELEASE, at=1 + i), published=day(i))
            for i, u in enumerate(urls)
        ]
    )
    link_corpus(store)
    found = edges(store)
    assert {e.relation for e in found} == {"common_source"}
    assert {frozenset((e.source.url, e.target.url)) for e in found} == {
        frozenset((urls[0], urls[1])),
        frozenset((urls[0], urls[2])),
        frozenset((urls[1], urls[2])),
    }
    assert not any(e.directed for e in found)


def test_a_plain_passage_two_stories_share_is_reuse_with_no_direction(store: Store) -> None:
    store.add_batch(
        [
            record("https://first.org/a", with_paragraph(prose(20), RELEASE), published=day(1)),
            record("https://second.com/b", with_paragraph(prose(21), RELEASE), published=day(3)),
        ]
    )
    link_corpus(store)
    (e,) = edges(store)
    # Dates alone never say who took the text from whom.
    assert (e.relation, e.directed, e.evidence) == ("reuse", False, [])


def test_the_same_outlet_guard_looks_at_the_originals_not_the_matched_pair(store: Store) -> None:
    # Outlet X's story A is copied by Y; X's later story B repeats a passage of A. The only
    # pair that shares the passage across outlets is (Y's copy, B), but the two stories are
    # both X's: an outlet repeating its own text, not syndication.
    story_a = prose(30, 300)
    passage = "\n\n".join(story_a.split("\n\n")[1:3])
    story_b = with_paragraph(prose(31), passage)
    store.add_batch(
        [
            record("https://x.org/a", story_a, published=day(1), outlet="X"),
            record("https://y.org/a", story_a, published=day(2), outlet="Y"),
            record("https://x.org/b", story_b, published=day(4), outlet="X"),
        ]
    )
    link_corpus(store)
    assert relation_pairs(store) == {("https://x.org/a", "https://y.org/a", "copy", True)}


def test_the_example_page_alone_names_south_front_as_its_original(tmp_path: Path) -> None:
    if not EXAMPLE.is_file():
        pytest.skip(f"{EXAMPLE} not found")
    store = Store(f"sqlite:///{tmp_path / 'corpus.sqlite'}")
    report = ingest([str(EXAMPLE)], store, stages=["anatomy"])
    assert report.added == 1
    (e,) = edges(store)
    assert (e.source.kind, e.source.outlet, e.target.outlet) == ("outlet", "South Front", "Global Research")
    assert (e.relation, e.kind, e.evidence) == ("copy", "credit", ["credit"])
    assert e.source.url == "https://southfront.org/"  # the domain, from the page's own links
    # `presslens graph` exports copies by default, and the credited outlet is a node of its own.
    g = graph_json(store, flt=EdgeFilter(relations=("copy",)))
    assert [n["kind"] for n in g["nodes"]] == ["document", "outlet"]
    assert g["edges"][0]["source"] == g["nodes"][1]["id"]
    sf = profile(store, "South Front")
    assert sf is not None and sf.documents == 0
    assert [(c.outlet, c.documents) for c in sf.copied_by] == [("Global Research", 1)]
    gr = profile(store, "Global Research")
    assert gr is not None and [c.outlet for c in gr.credited_from] == ["South Front"]
    assert gr.copies_from == []


def test_a_credit_to_an_outlet_of_the_crawl_joins_that_outlet(store: Store) -> None:
    # Global Research credits South Front, whose other (unrelated) story is in the crawl.
    store.add_batch(
        [
            record("https://southfront.org/other", prose(40), published=day(1)),
            record("https://www.globalresearch.ca/a", prose(41), published=day(2), credit="South Front"),
        ]
    )
    link_corpus(store)
    (e,) = edges(store)
    assert (e.source.kind, e.source.outlet) == ("outlet", "southfront.org")


def test_a_credited_copy_of_a_page_in_the_crawl_gets_no_outlet_node(store: Store) -> None:
    store.add_batch(
        [
            record("https://southfront.org/a", prose(42), published=day(1)),
            record("https://www.globalresearch.ca/a", prose(42), published=day(0), credit="South Front"),
        ]
    )
    link_corpus(store)
    (e,) = edges(store)
    assert (e.source.url, e.kind, e.evidence) == ("https://southfront.org/a", "exact", ["attribution"])


def test_relations_filter_the_export(store: Store) -> None:
    story = prose(50, 300)
    commentary = with_paragraph(prose(51), "\u201c" + " ".join(story.split()[50:120]) + "\u201d")
    store.add_batch(
        [
            record("https://first.org/story", story, published=day(1)),
            record("https://copy.org/story", story, published=day(2)),
            record("https://opinion.net/c", commentary, published=day(3)),
        ]
    )
    link_corpus(store)
    only_copies = graph_json(store, flt=EdgeFilter(relations=parse_relations("copy")))
    assert [e["relation"] for e in only_copies["edges"]] == ["copy"]
    every = graph_json(store, flt=EdgeFilter(relations=parse_relations("copy,reuse,common_source")))
    assert sorted(e["relation"] for e in every["edges"]) == ["copy", "reuse"]
    with pytest.raises(UsageError):
        parse_relations("copy,plagiarism")
