"""Reading and writing the PTC format: offsets index the files exactly as read."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.analyze.techniques.ptc import (
    GoldSpan,
    check_spans,
    read_corpus,
    read_tc_file,
    read_text,
    write_tc_file,
)
from presslens.errors import InputError


def test_tiny_corpus_reads_spans_that_point_at_their_words(tiny_ptc: Path) -> None:
    arts = {a.article_id: a for a in read_corpus(tiny_ptc)}
    assert set(arts) == {"1", "2"}
    first = arts["1"]
    texts = {s.technique: first.text[s.start : s.end] for s in first.spans}
    assert texts["Doubt"] == "so-called deal"
    assert arts["2"].spans == []


def test_tc_file_round_trips(tmp_path: Path, tiny_ptc: Path) -> None:
    spans = read_tc_file(tiny_ptc / "labels-tc" / "article1.task2-TC.labels")
    out = tmp_path / "x.labels"
    write_tc_file(out, spans)
    assert read_tc_file(out) == spans
    assert out.read_bytes() == (tiny_ptc / "labels-tc" / "article1.task2-TC.labels").read_bytes()


def test_crlf_newlines_are_kept_so_offsets_stay_exact(tmp_path: Path) -> None:
    p = tmp_path / "article9.txt"
    p.write_bytes(b"Line one.\r\nLoaded words here.")
    text = read_text(p)
    assert text[11:17] == "Loaded"


def test_real_corpus_spans_fit_their_articles(shared_dir: Path) -> None:
    ptc = shared_dir / "data" / "ptc"
    if not ptc.is_dir():
        pytest.skip("PTC data absent")
    arts = read_corpus(ptc)
    assert len(arts) >= 100
    assert sum(len(a.spans) for a in arts) > 1000


def test_bad_lines_and_spans_raise_input_error(tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_text("1\tNot_A_Technique\t0\t4\n")
    with pytest.raises(InputError, match="unknown technique"):
        read_tc_file(p)
    p.write_text("1\t?\tzero\t4\n")
    with pytest.raises(InputError, match="integers"):
        read_tc_file(p)
    with pytest.raises(InputError, match="past the article's end"):
        check_spans([GoldSpan("1", "?", 0, 99)], {"1": "short"})
    with pytest.raises(InputError, match="unknown article"):
        check_spans([GoldSpan("7", "?", 0, 1)], {"1": "short"})
