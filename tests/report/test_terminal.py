"""The terminal legend names each technique by its surest span, cut at a word."""

from __future__ import annotations

from rich.console import Console

from presslens.document import Document, TechniqueSpan
from presslens.report.terminal import technique_legend


def _span(text: str, start: int, end: int, score: float) -> TechniqueSpan:
    return TechniqueSpan(
        technique="Loaded_Language", start=start, end=end, text=text[start:end], score=score, evidence="e"
    )


def test_legend_example_is_the_surest_span_cut_at_a_word() -> None:
    long = "symbolizing blood spilled unjustly and serving as a call to avenge a person who is killed"
    text = f"A weak one. {long}."
    doc = Document(source="t.txt", text=text)
    weak = _span(text, 2, 6, 0.2)
    sure = _span(text, 12, 12 + len(long), 0.8)
    doc.techniques = [weak, sure]
    table = technique_legend(doc)
    assert table is not None
    console = Console(width=400, record=True)
    console.print(table)
    shown = console.export_text()
    assert "‘symbolizing blood spilled unjustly and serving as a call …’ — e" in shown
    assert "weak" not in shown
    assert "2 " in shown.split("Loaded language")[1][:10]  # both spans counted
