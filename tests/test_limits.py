"""Bounded work: the text stages read a body only up to the word budget, and say so."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

import presslens
from presslens.document import Document
from presslens.limits import cut_after_words

LINE = "Officials in Geneva said on Monday that the talks with Iran would go on."


def test_cut_after_words_keeps_whole_lines() -> None:
    text = "one two three\nfour five six\nseven eight"
    assert cut_after_words(text, 0, len(text), 100) is None
    cut = cut_after_words(text, 0, len(text), 4)  # the 5th word sits on line two
    assert cut == text.index("\nseven")
    assert cut_after_words("a b c d e", 0, 9, 2) == 4  # no line break: cut before the 3rd word


def test_text_stages_stop_at_the_budget_and_the_document_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("presslens.document.MAX_WORDS_ANALYSED", 60)
    text = "\n".join(f"{LINE} Paragraph {i}." for i in range(40))
    doc = presslens.load(["parse", "entities", "quotes", "timeline"])(Document(source="long", text=text))
    start, cut = doc.analysis_range()
    assert (start, cut) != doc.body_range and cut < len(text) // 4
    mentions = [m for e in doc.entities for m in e.mentions]
    assert mentions and all(m.end <= cut for m in mentions)
    assert all(ev.end <= cut for ev in doc.timeline)
    (warning,) = doc.warnings
    assert "60 words" in warning and "not analysed" in warning
    assert Document.from_json(doc.to_json()).warnings == doc.warnings


def test_a_run_without_spaces_stops_the_text_stages_before_it() -> None:
    text = LINE + "\n" + "'" * 20_000 + "\n" + LINE
    assert cut_after_words(text, 0, len(text), 100) == len(LINE) + 1
    doc = presslens.load(["parse", "entities"])(Document(source="quotes", text=text))
    assert doc.analysis_range() == (0, len(LINE) + 1) and doc.warnings
    assert doc.entities and all(m.end <= len(LINE) for e in doc.entities for m in e.mentions)


def test_a_short_document_has_no_warning() -> None:
    doc = presslens.load(["parse", "entities"])(Document(source="short", text=LINE))
    assert doc.warnings == [] and doc.analysis_range() == doc.body_range


@pytest.mark.slow
def test_a_30_mb_page_is_analysed_within_a_minute(tmp_path: Path) -> None:
    rng = random.Random(1)
    words = [
        "the",
        "council",
        "voted",
        "to",
        "close",
        "old",
        "bridge",
        "for",
        "repairs",
        "after",
        "engineers",
        "found",
        "cracks",
    ]
    paras = ("<p>" + " ".join(rng.choice(words) for _ in range(150)) + ".</p>" for _ in range(30_000))
    page = tmp_path / "huge.html"
    page.write_text("<html><body><article>" + "\n".join(paras) + "</article></body></html>")
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from presslens.cli import main; main()",
            "analyze",
            str(page),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,  # the contract is 60 s on a quiet machine; this guards against a hang
    )
    assert result.returncode == 0, result.stderr
    doc = Document.from_json(result.stdout)
    assert doc.warnings and "not analysed" in doc.warnings[0]
    print(f"30 MB page analysed in {time.perf_counter() - started:.1f} s")
