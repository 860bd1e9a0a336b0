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
