"""The boilerplate cues' needle prefilter skips only searches that cannot match."""

from __future__ import annotations

import re
import string

import pytest

from presslens.anatomy import boilerplate
from presslens.anatomy.boilerplate import CUES, FOLD_SPECIAL, _needles, scores


def test_fold_special_is_every_non_ascii_character_a_case_blind_ascii_literal_matches() -> None:
    everything = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    found = set()
    for ch in string.printable:
        for hit in re.findall(re.escape(ch), everything, re.IGNORECASE):
            if hit.lower() != ch.lower():  # lower-casing would not bring it to the letter
                found.add(hit)
    assert found == set(FOLD_SPECIAL)


def test_needles_are_required_plain_runs() -> None:
    assert _needles(r"\bshare (?:this|the) post") == (
        "share th",
    )  # the parser draws "th" out of the alternation
    assert _needles(r"\bmembers?(?:-| )only\b|\bmember(?:ship)? area") == ("member",)
    assert _needles(r"\bfoo\b|\bbar baz") == ("foo", "bar baz")
    assert _needles(r"\bfoo\b|\b\w+") is None
    assert _needles(r"©") is None  # non-ASCII: searched every time
    assert _needles(r"^\(C\)\s*\d{4}") == ("(c)",)


@pytest.mark.parametrize(
    "text",
    [
        "Share this article on Facebook",
        "SHARE THIS ARTICLE",
        "Pleaſe ſhare this article with friends",  # long s: a case-blind 's'
        "İt is our policy. Comments are closed.",
        "Copyright 2020 Example Media. All Rights Reserved.",
        "(C) 2019 The Authors",
        "Become a Member today and support our work",
    ],
)
def test_scores_with_needles_equal_plain_search(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = scores(text)
    monkeypatch.setattr(
        boilerplate, "_CUE_NEEDLES", {kind: [None] * len(cues) for kind, cues in CUES.items()}
    )
    assert scores(text) == fast


def test_one_hint_scan_finds_the_kinds_a_search_per_kind_finds() -> None:
    """`scores` finds the kinds with a hint in one scan (the longest stem at each place); the
    answer must be what one search for each kind's stems would give, stems inside stems too."""
    from presslens.anatomy.boilerplate import _FIRST_HINT, _HINT_AT, _KINDS_AT, HINTS
    from presslens.anatomy.scan import literal_pattern

    per_kind = {kind: re.compile(literal_pattern(stems)) for kind, stems in HINTS.items()}
    stems = sorted({s for group in HINTS.values() for s in group})
    texts = [
        "cross-posted from the mailing list: sign up for our newsletter",
        "become a member | reporter's notes » more",
        "the editorial board said",
        *("".join(stems[(i * k) % len(stems)] + " x-"[k % 3] for k in range(4)) for i in range(len(stems))),
    ]
    for text in [*texts, "no stem in sight", ""]:
        found: set[str] = set()
        for hit in _HINT_AT.finditer(text):
            found |= _KINDS_AT[hit.group(1)]
        assert found == {kind for kind, hint in per_kind.items() if hint.search(text)}, text
        # `scores` finds the same places, and stems, with a plain search from one past the last
        places, hit = [], _FIRST_HINT.search(text)
        while hit is not None:
            places.append((hit.start(), hit.group()))
            hit = _FIRST_HINT.search(text, hit.start() + 1)
        assert places == [(h.start(), h.group(1)) for h in _HINT_AT.finditer(text)], text
