"""Cut a stretch of `Document.text` into runs that share the same set of technique spans.

Technique spans overlap (PTC spans nest and cross), so a renderer cannot wrap each span in one
element. Both the terminal and the HTML renderers walk these runs instead; this is the one
place that knows how overlapping stand-off spans become flat, renderable pieces.

>>> from presslens.document import TechniqueSpan
>>> s = [TechniqueSpan(technique="Doubt", start=2, end=6, text="cdef", score=.9)]
>>> [(r.start, r.end, len(r.spans)) for r in runs("abcdefgh", 0, 8, s)]
[(0, 2, 0), (2, 6, 1), (6, 8, 0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from presslens.document import TechniqueSpan


@dataclass(frozen=True)
class Run:
    start: int
    end: int
    text: str
    spans: tuple[TechniqueSpan, ...]

    @property
    def primary(self) -> TechniqueSpan | None:
        """The span that gives the run its colour: the innermost (shortest), then highest score."""
        if not self.spans:
            return None
        return min(self.spans, key=lambda s: (s.end - s.start, -s.score))


def runs(text: str, start: int, end: int, spans: Sequence[TechniqueSpan]) -> list[Run]:
    inside = [s for s in spans if s.end > start and s.start < end and s.end > s.start]
    cuts = {start, end}
    for s in inside:
        cuts.add(max(s.start, start))
        cuts.add(min(s.end, end))
    ordered = sorted(cuts)
    out: list[Run] = []
    for a, b in pairwise(ordered):
        active = tuple(s for s in inside if s.start <= a and s.end >= b)
        out.append(Run(a, b, text[a:b], active))
    return out
