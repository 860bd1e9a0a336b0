"""Body comparison: exact copies, light edits, truncations, passages inside commentary, and
same-topic articles that must stay apart; the same answer from either side of a pair."""

from __future__ import annotations

import random

import numpy as np
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from presslens.corpus.dedup import compare, features, group_pairs
from presslens.corpus.linking import link_corpus
from presslens.corpus.store import DocumentRow, MatchRow, Store
from tests.corpus.factory import ARTICLE, OTHER, record

COMMENTARY = (
    "Readers keep asking us what the red flag over Qom really means, and whether the anger will fade. "
    "We think the answer lies in a report that circulated widely this week. As one outlet put it: "
    + ARTICLE.split("\n\n")[1]
    + " That is the view from Tehran; in Washington, officials dismissed the symbolism as theatre and "
    "said the strike had saved lives, a claim that nobody outside the administration has been able to check."
)

SAME_TOPIC = (
    "Iran buried General Qassem Soleimani on Tuesday after days of mourning in Tehran, Mashhad and Kerman. "
    "Crowds filled the streets; a stampede at the burial killed dozens. Analysts in Baghdad and Washington "
    "argued over whether Iran would strike back at US bases, and Supreme Leader Ayatollah Ali Khamenei "
    "promised severe revenge. The red flag over Jamkaran Mosque in Qom remained in place, reporters said."
)


def test_exact_copy_with_different_spacing_is_exact() -> None:
    m = compare(ARTICLE, "  " + ARTICLE.replace("\n\n", "\n"))
    assert m.kind == "exact"
    assert features(ARTICLE).body_hash == features(ARTICLE.replace("\n\n", " ")).body_hash


def test_light_edits_are_near_duplicates() -> None:
    edited = ARTICLE.replace("numerous", "many").replace("Israeli, ", "").replace("struggle", "fight")
    m = compare(ARTICLE, edited)
    assert m.kind == "near"
    assert 0.6 <= m.jaccard < 1.0


def test_truncated_copy_is_partial_and_contained_in_the_original() -> None:
    truncated = ARTICLE.split("\n\n")[0] + "\n\nRead the full article at South Front."
    m = compare(truncated, ARTICLE)
    assert m.kind == "partial"
    assert m.contain_a > 0.9  # nearly all of the copy is in the original
    assert m.contain_b < 0.5


def test_passage_inside_commentary_is_aligned() -> None:
    m = compare(ARTICLE, COMMENTARY)
    assert m.kind == "passage"
    (p,) = [p for p in m.passages if p.words >= 40]
    assert ARTICLE[p.a_start : p.a_end].startswith("The raised flag")
    assert COMMENTARY[p.b_start : p.b_end].startswith("The raised flag")


def test_same_topic_articles_are_not_linked() -> None:
    assert compare(ARTICLE, SAME_TOPIC).kind == "none"
    assert compare(ARTICLE, OTHER).kind == "none"


def test_candidates_find_copies_and_passages_but_not_unrelated(store: Store) -> None:
    bodies = {1: ARTICLE, 2: ARTICLE.replace("numerous", "many"), 3: COMMENTARY, 4: OTHER, 5: SAME_TOPIC}
    store.add_batch([record(f"https://outlet{i}.org/a", body) for i, body in bodies.items()])
    report = link_corpus(store)
    with store.session() as s:
        url = dict(s.execute(sa.select(DocumentRow.id, DocumentRow.url)).all())
        found = {
            (url[a], url[b]): k
            for a, b, k in s.execute(sa.select(MatchRow.doc_a, MatchRow.doc_b, MatchRow.kind))
        }
    n = {i: f"https://outlet{i}.org/a" for i in bodies}
    assert found[(n[1], n[2])] == "near"
    assert found[(n[1], n[3])] == "passage" and found[(n[2], n[3])] == "passage"
    assert not any(n[4] in pair or n[5] in pair for pair in found)
    assert report.candidate_pairs >= 3


def test_most_of_a_short_article_quoted_in_long_commentary_is_a_passage_not_a_copy() -> None:
    lead, rest = ARTICLE.split("\n\n", 1)
    short = rest  # two paragraphs, ~120 words
    commentary = (
        SAME_TOPIC + " " + OTHER.split("\n\n")[0] + "\n\nAs one outlet put it: " + short + " " + OTHER
    )
    m = compare(short, commentary)
    assert m.contain_a > 0.6  # nearly all of the short article is in the commentary...
    assert m.kind == "passage"  # ...but it is a small part of the commentary, not at its start
    truncated = lead + "\n\nRead the full article at South Front."
    assert compare(truncated, ARTICLE).kind == "partial"  # an excerpt of the lead is a copy


_WORDS = [f"{a}{b}" for a in ("bra", "cle", "dro", "fen", "gal", "hor", "ist", "jun", "kal") for b in "aeiou"]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_compare_is_symmetric(seed: int) -> None:
    # Two bodies sharing a passage, with scattered common words and edits on either side.
    rng = random.Random(seed)
    passage = [rng.choice(_WORDS) for _ in range(rng.randint(20, 90))]
    a = (
        [rng.choice(_WORDS) for _ in range(rng.randint(0, 150))]
        + passage
        + [rng.choice(_WORDS) for _ in range(60)]
    )
    edited = [w if rng.random() > 0.03 else rng.choice(_WORDS) for w in passage]
    b = (
        [rng.choice(_WORDS) for _ in range(rng.randint(0, 150))]
        + edited
        + [rng.choice(_WORDS) for _ in range(40)]
    )
    ta, tb = " ".join(a), " ".join(b)
    ab, ba = compare(ta, tb), compare(tb, ta)
    assert ab == ba.mirrored()
    assert ab.kind == ba.kind


def test_group_pairs_builds_components() -> None:
    assert group_pairs([(1, 2), (2, 3), (7, 8)]) == [[1, 2, 3], [7, 8]]
    # Largest first, then by first id, members sorted, whatever order the pairs come in.
    assert group_pairs([(9, 5), (8, 9), (4, 3), (1, 2), (6, 6)]) == [[5, 8, 9], [1, 2], [3, 4], [6]]


def test_minhash_is_datasketchs_default_minhash() -> None:
    """The signature is computed with permutations drawn once per process and `int` as hash
    function: it must stay datasketch's default MinHash of the same shingle set, bit for bit
    (stored signatures and LSH bands of older stores depend on it)."""
    from datasketch import MinHash

    from presslens.corpus.dedup import NUM_PERM, minhash

    rng = np.random.default_rng(7)
    for n in (0, 1, 5, 700):
        sh = rng.integers(0, 2**32, size=n, dtype=np.uint64)
        reference = MinHash(num_perm=NUM_PERM, hashfunc=lambda v: int(v))
        if n:
            reference.update_batch(np.unique(sh))
        assert np.array_equal(minhash(sh).hashvalues, reference.hashvalues)
