"""Body comparison: exact copies, light edits, truncations, passages inside commentary, and
same-topic articles that must stay apart."""

from __future__ import annotations

from presslens.corpus.dedup import Candidate, candidate_pairs, compare, features, group_pairs
from tests.corpus.factory import ARTICLE, OTHER

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


def test_candidates_find_copies_and_passages_but_not_unrelated() -> None:
    bodies = {1: ARTICLE, 2: ARTICLE.replace("numerous", "many"), 3: COMMENTARY, 4: OTHER, 5: SAME_TOPIC}
    items = []
    for i, body in bodies.items():
        f = features(body)
        items.append(Candidate(i, f.signature, f.fingerprints, f.words))
    pairs = candidate_pairs(items).pairs
    assert (1, 2) in pairs
    assert (1, 3) in pairs
    assert not any(4 in p for p in pairs)


def test_group_pairs_builds_components() -> None:
    assert group_pairs([(1, 2), (2, 3), (7, 8)]) == [[1, 2, 3], [7, 8]]
    # Largest first, then by first id, members sorted, whatever order the pairs come in.
    assert group_pairs([(9, 5), (8, 9), (4, 3), (1, 2), (6, 6)]) == [[5, 8, 9], [1, 2], [3, 4], [6]]
