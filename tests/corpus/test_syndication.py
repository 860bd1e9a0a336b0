"""The syndication graph from documents built by hand: who is the original, which evidence
decided it, the lag, the copier's wrapper; variants folded; unrelated pages left alone."""

from __future__ import annotations

import json
import random

import pytest
import sqlalchemy as sa

from presslens.corpus.linking import link_corpus
from presslens.corpus.store import DocumentRow, Store, SyndicationEdge
from presslens.corpus.syndication import url_key
from tests.corpus.factory import ARTICLE, OTHER, day, record

DONATE = "Support our work: donate via PayPal at paypal.me/copier."


def edges(store: Store) -> list[dict[str, object]]:
    with store.session() as s:
        urls = dict(s.execute(sa.select(DocumentRow.id, DocumentRow.url)).all())
        rows = s.scalars(sa.select(SyndicationEdge)).all()
        return [
            {
                "source": urls[e.source_id],
                "target": urls[e.target_id],
                "kind": e.kind,
                "lag_days": e.lag_days,
                "similarity": e.similarity,
                "evidence": json.loads(e.evidence),
                "wrapper": json.loads(e.wrapper),
            }
            for e in rows
        ]


def test_earliest_date_is_the_original_and_the_copier_wrapper_is_recorded(store: Store) -> None:
    store.add_batch(
        [
            record("https://copier.org/a", ARTICLE, published=day(3), wrapper_after=DONATE),
            record("https://southfront.org/a", ARTICLE, published=day(1)),
            record("https://plague.example/b", OTHER, published=day(1)),
        ]
    )
    link_corpus(store)
    (e,) = edges(store)
    assert (e["source"], e["target"]) == ("https://southfront.org/a", "https://copier.org/a")
    assert e["lag_days"] == 2.0
    assert e["kind"] == "exact"
    assert "date" in e["evidence"]
    assert {"kind": "donation_appeal", "text": DONATE} in e["wrapper"]


def test_explicit_credit_wins_over_dates(store: Store) -> None:
    # The copy carries an earlier date (a back-dated or time-zone-shifted page) but credits South Front.
    store.add_batch(
        [
            record("https://southfront.org/a", ARTICLE, published=day(5)),
            record("https://www.globalresearch.ca/a", ARTICLE, published=day(4), credit="South Front"),
        ]
    )
    link_corpus(store)
    (e,) = edges(store)
    assert (e["source"], e["target"]) == ("https://southfront.org/a", "https://www.globalresearch.ca/a")
    assert e["evidence"][0] == "attribution"
    assert e["lag_days"] == -1.0


def test_cross_site_canonical_link_names_the_original(store: Store) -> None:
    store.add_batch(
        [
            record("https://southfront.org/a", ARTICLE),  # no dates at all
            record("https://mirror.net/a", ARTICLE, canonical="https://southfront.org/a/"),
        ]
    )
    link_corpus(store)
    (e,) = edges(store)
    assert (e["source"], e["target"]) == ("https://southfront.org/a", "https://mirror.net/a")
    assert e["evidence"] == ["canonical"]


def test_chain_follows_credits_to_the_intermediate_copy(store: Store) -> None:
    store.add_batch(
        [
            record("https://southfront.org/a", ARTICLE, published=day(1)),
            record("https://globalresearch.ca/a", ARTICLE, published=day(2), credit="South Front"),
            record(
                "https://third.info/a", ARTICLE, published=day(3), credit_url="https://globalresearch.ca/a"
            ),
        ]
    )
    link_corpus(store)
    pairs = {(e["source"], e["target"]) for e in edges(store)}
    assert pairs == {
        ("https://southfront.org/a", "https://globalresearch.ca/a"),
        ("https://globalresearch.ca/a", "https://third.info/a"),
    }


def test_amp_variant_folds_into_its_page(store: Store) -> None:
    store.add_batch(
        [
            record("https://southfront.org/a/", ARTICLE, published=day(1)),
            record(
                "https://southfront.org/a/amp/",
                ARTICLE,
                published=day(1),
                canonical="https://southfront.org/a/",
            ),
            record("https://copier.org/a", ARTICLE, published=day(2)),
        ]
    )
    link_corpus(store)
    kinds = {(e["source"], e["target"]): e["kind"] for e in edges(store)}
    assert kinds == {
        ("https://southfront.org/a/", "https://southfront.org/a/amp/"): "variant",
        ("https://southfront.org/a/", "https://copier.org/a"): "exact",
    }


def test_unrelated_documents_get_no_edges(store: Store) -> None:
    store.add_batch([record("https://a.org/1", ARTICLE, published=day(1)), record("https://b.org/2", OTHER)])
    report = link_corpus(store)
    assert edges(store) == []
    assert report.documents == 2


def test_relinking_replaces_the_graph_instead_of_adding_to_it(store: Store) -> None:
    store.add_batch(
        [record("https://a.org/1", ARTICLE, published=day(1)), record("https://b.org/1", ARTICLE)]
    )
    link_corpus(store)
    link_corpus(store)
    assert len(edges(store)) == 1


def test_url_key_treats_amp_print_and_www_as_one_page() -> None:
    assert url_key("https://www.x.com/a/?print=1") == url_key("http://amp.x.com/a/amp") == "x.com/a"
    assert url_key("https://x.com/a?id=2") != url_key("https://x.com/a?id=3")


def test_url_key_ignores_case_default_ports_and_tracking_parameters() -> None:
    shared = "https://News.X.com:443/a//b?utm_medium=social&p=7&fbclid=abc#comments"
    assert url_key(shared) == url_key("http://news.x.com/a/b/?p=7") == "news.x.com/a/b?p=7"


STOCK = (
    "Take our poll - story continues below. Should the government have done more to stop the crisis before "
    "it reached our towns? Yes, it should have acted months ago. No, it did what it could with what it knew. "
    "Maybe, but nobody will ever admit it. Completing this poll grants you access to our news updates free "
    "of charge. You may opt out at any time. You also agree to our privacy policy and terms of use."
)


def test_a_poll_widget_inside_unrelated_bodies_links_nothing(store: Store) -> None:
    # Five unrelated articles from five outlets each carry the same poll widget inside the body.
    rng = random.Random(7)
    vocab = [f"{a}{b}" for a in ("bra", "cle", "dro", "fen", "gal", "hor", "ist", "jun") for b in "aeiouy"]
    bodies = [" ".join(rng.choice(vocab) for _ in range(200)) + "." for _ in range(5)]
    records = [
        record(f"https://outlet{i}.org/story", body + "\n" + STOCK.replace(". ", ".\n"), published=day(i))
        for i, body in enumerate(bodies)
    ]
    assert all("poll" not in r.body_text for r in records)  # the widget's lines are not body
    store.add_batch(records)
    link_corpus(store)
    assert edges(store) == []


def test_verifying_in_small_chunks_gives_the_same_graph(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import presslens.corpus.linking as linking

    store.add_batch(
        [
            record("https://southfront.org/a", ARTICLE, published=day(1)),
            record("https://copier.org/a", ARTICLE, published=day(2), wrapper_after=DONATE),
            record("https://plague.example.org/b", OTHER, published=day(1)),
            record("https://who.example.net/b", OTHER, published=day(3)),
        ]
    )
    link_corpus(store)
    expected = sorted((e["source"], e["target"]) for e in edges(store))
    monkeypatch.setattr(linking, "CHUNK_DOCS", 1)  # every pair and component in a chunk of its own
    link_corpus(store, full=True)
    assert sorted((e["source"], e["target"]) for e in edges(store)) == expected
    assert len(expected) == 2


def test_a_passage_is_stock_when_half_its_sampled_fingerprints_are_in_the_sorted_stock_set() -> None:
    """The membership test over the sorted stock array agrees with a plain set lookup,
    including fingerprints below, between and above every stock value."""
    import numpy as np

    from presslens.corpus.dedup import SAMPLE_MOD
    from presslens.corpus.syndication import _mostly_stock

    rng = np.random.default_rng(7)
    mod = np.uint64(SAMPLE_MOD)
    for _ in range(200):
        pool = rng.integers(0, 5_000, size=60).astype(np.uint64) * mod
        stock = np.unique(rng.choice(pool, size=int(rng.integers(1, 30))))
        shingles = np.concatenate([rng.choice(pool, size=int(rng.integers(1, 20))), pool[:3] + np.uint64(1)])
        sampled = [h for h in shingles.tolist() if h % SAMPLE_MOD == 0]
        expected = sum(h in set(stock.tolist()) for h in sampled) / len(sampled) >= 0.5
        assert _mostly_stock(shingles, stock) == expected
    assert not _mostly_stock(np.array([mod], dtype=np.uint64), np.zeros(0, dtype=np.uint64))
