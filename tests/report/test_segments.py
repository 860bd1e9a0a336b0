"""Overlapping technique spans become flat runs that renderers can wrap."""

from __future__ import annotations

from presslens.document import TechniqueSpan
from presslens.report.segments import runs

TEXT = "the evil criminal regime lies"


def span(tech: str, start: int, end: int, score: float = 0.5) -> TechniqueSpan:
    return TechniqueSpan(technique=tech, start=start, end=end, text=TEXT[start:end], score=score)


def test_nested_spans_split_into_runs_covering_the_range_once() -> None:
    outer = span("Loaded_Language", 4, 24)  # "evil criminal regime"
    inner = span("Name_Calling,Labeling", 9, 17)  # "criminal"
    pieces = runs(TEXT, 0, len(TEXT), [outer, inner])
    assert "".join(r.text for r in pieces) == TEXT
    by_text = {r.text: r for r in pieces}
    assert by_text["criminal"].primary == inner  # innermost wins the colour
    assert sorted(s.technique for s in by_text["criminal"].spans) == [outer.technique, inner.technique]
    assert by_text["evil "].primary == outer
    assert by_text["the "].spans == ()


def test_spans_outside_the_range_are_clipped() -> None:
    pieces = runs(TEXT, 4, 8, [span("Doubt", 0, 6)])
    assert [(r.text, len(r.spans)) for r in pieces] == [("ev", 1), ("il", 0)]
