"""The gold-set scorers on hand-made cases, so a wrong metric cannot hide a good or bad stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.analyze.evaluate import (
    Cluster,
    GoldDate,
    GoldQuote,
    build,
    ceaf_e,
    clusters_from_entities,
    date_counts,
    quote_counts,
    score_counts,
)
from presslens.document import Entity, Mention, Quote, TimelineEvent


def test_ceaf_e_perfect_split_and_wrong_type() -> None:
    gold = [Cluster("PERSON", ((0, 5), (10, 15), (20, 25))), Cluster("PLACE", ((30, 35),))]
    assert ceaf_e(gold, gold) == pytest.approx(2.0)
    # The person split into two predicted clusters: the best alignment keeps 2 of 3 mentions.
    split = [Cluster("PERSON", ((0, 5), (10, 15))), Cluster("PERSON", ((20, 25),)), gold[1]]
    assert ceaf_e(gold, split) == pytest.approx(2 * 2 / 5 + 1.0)
    # A right span with the wrong type class scores nothing.
    assert ceaf_e(gold[1:], [Cluster("ORG", ((30, 35),))]) == 0.0


def test_pronouns_and_descriptions_are_not_scored() -> None:
    entity = Entity(
        name="Ali Khamenei",
        type="PERSON",
        mentions=[
            Mention(start=0, end=12, text="Ali Khamenei"),
            Mention(start=20, end=22, text="he"),
            Mention(start=30, end=41, text="the general"),
        ],
    )
    assert clusters_from_entities([entity]) == [Cluster("PERSON", ((0, 12),))]
    assert clusters_from_entities([Entity(name="Iranian", type="NORP", mentions=[])]) == []


def test_lower_case_names_are_scored_but_pronouns_and_descriptions_are_not() -> None:
    entity = Entity(
        name="al-Qaeda",
        type="ORG",
        mentions=[
            Mention(start=0, end=8, text="al-Qaeda"),
            Mention(start=10, end=25, text="pilotonline.com"),
            Mention(start=30, end=37, text="herself"),
            Mention(start=40, end=49, text="the group"),
        ],
    )
    assert clusters_from_entities([entity]) == [Cluster("ORG", ((0, 8), (10, 25)))]


def test_quote_needs_half_the_span_and_the_speaker() -> None:
    gold = [
        GoldQuote(10, 50, "Donald Trump", speaker_aliases=("Trump",)),
        GoldQuote(60, 70, None, kind="scare"),
    ]
    right = Quote(start=12, end=50, text="x", speaker="Trump")
    wrong_speaker = Quote(start=10, end=50, text="x", speaker="Jeff Sessions")
    too_short = Quote(start=10, end=20, text="x", speaker="Donald Trump")
    assert quote_counts(gold, [right]) == (1, 1, 1)
    assert quote_counts(gold, [wrong_speaker]) == (0, 1, 1)
    assert quote_counts(gold, [wrong_speaker], with_speaker=False) == (1, 1, 1)
    assert quote_counts(gold, [too_short]) == (0, 1, 1)


def test_dates_need_the_same_value() -> None:
    gold = [GoldDate(0, 10, "2019-03"), GoldDate(20, 40, "1980-09-22", "1988-08-20")]
    pred = [
        TimelineEvent(start=0, end=10, text="March 2019", date="2019-03"),
        TimelineEvent(start=20, end=40, text="x", date="1980-09-22"),
    ]  # interval end missing
    assert date_counts(gold, pred) == (1, 2, 2)
    assert date_counts(gold, pred, with_value=False) == (2, 2, 2)


def test_score_counts() -> None:
    s = score_counts(tp=3, n_pred=4, n_gold=6)
    assert (s.precision, s.recall, s.f1) == (0.75, 0.5, 0.6)
    assert score_counts(0, 0, 0).f1 == 1.0  # nothing to find and nothing found


def test_build_turns_surfaces_into_offsets(tmp_path: Path) -> None:
    (tmp_path / "a1.txt").write_text(
        'Ali Khamenei spoke. "We won," Khamenei said in 1988.\n', encoding="utf-8"
    )
    (tmp_path / "annotations.txt").write_text(
        "== a1\nE PERSON | Ali Khamenei | Ali Khamenei ; Khamenei\nQ Ali Khamenei | We won\nD 1988 | 1988\n",
        encoding="utf-8",
    )
    [path] = build(tmp_path / "annotations.txt", tmp_path, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [(m["start"], m["text"]) for m in data["entities"][0]["mentions"]] == [
        (0, "Ali Khamenei"),
        (30, "Khamenei"),
    ]
    assert data["quotes"][0]["text"] == "We won," and data["dates"][0]["start"] == 47


def test_quote_kinds_are_scored_apart() -> None:
    gold = [
        GoldQuote(0, 40, "Donald Trump"),
        GoldQuote(50, 60, "Donald Trump", kind="partial"),
        GoldQuote(70, 75, None, kind="scare"),
    ]
    pred = [
        Quote(start=0, end=40, text="x", speaker="Trump", kind="partial"),
        Quote(start=50, end=60, text="x", speaker="Trump", kind="partial"),
        Quote(start=70, end=75, text="x", speaker=None, kind="direct"),
    ]
    # Speech kinds together: the direct quote predicted as partial still names the speaker.
    assert quote_counts(gold, pred, kinds={"direct", "partial"}) == (2, 3, 2)
    # One kind: span and kind must both be right.
    assert quote_counts(gold, pred, with_speaker=False, kinds={"direct"}) == (0, 1, 1)
    assert quote_counts(gold, pred, with_speaker=False, kinds={"partial"}) == (1, 2, 1)
    assert quote_counts(gold, pred, with_speaker=False, kinds={"scare"}) == (0, 0, 1)


def test_build_skips_a_year_inside_a_longer_date(tmp_path: Path) -> None:
    (tmp_path / "a2.txt").write_text("In March 2016 and again in 2016 he left.\n", encoding="utf-8")
    (tmp_path / "annotations.txt").write_text(
        "== a2\nD 2016-03 | March 2016\nD 2016 | 2016\n", encoding="utf-8"
    )
    [path] = build(tmp_path / "annotations.txt", tmp_path, tmp_path)
    dates = json.loads(path.read_text(encoding="utf-8"))["dates"]
    assert [(d["start"], d["value"]) for d in dates] == [(3, "2016-03"), (27, "2016")]


def test_build_keeps_a_nested_curly_quote_inside_the_outer_one(tmp_path: Path) -> None:
    text = (
        "Ahrens tweeted, “In 1993, Farrakhan told women: “You’re a failure.” All this came "
        "before Ellison praised him as “a role model” in 1995.”\n"
        "“It was bad.\n“It is worse now,” he said.\n"
    )
    (tmp_path / "a3.txt").write_text(text, encoding="utf-8")
    (tmp_path / "annotations.txt").write_text(
        "== a3\nQ - | In 1993, Farrakhan\nQ - | It was bad\nQ - | It is worse\n", encoding="utf-8"
    )
    [path] = build(tmp_path / "annotations.txt", tmp_path, tmp_path)
    quotes = [q["text"] for q in json.loads(path.read_text(encoding="utf-8"))["quotes"]]
    # The nested “…” pairs are part of the tweet; a mark that opens a paragraph is no nesting.
    assert quotes[0].startswith("In 1993") and quotes[0].endswith("in 1995.")
    assert quotes[1:] == ["It was bad.\n“It is worse now,", "It is worse now,"]
