"""What the entity steps pass along: candidate mentions, and the clusters they are merged into.

Where it sits: `mentions` makes `Candidate`s, `aliases` groups them into `Cluster`s, and
`references` adds descriptions and pronouns to those clusters; the stage turns each cluster
into a `presslens.document.Entity`. Offsets are into `Document.text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Candidate:
    """A span that may mention an entity; mutable, since later rules fix its type or titles."""

    start: int
    end: int
    label: str
    titles: tuple[str, ...] = ()
    full_start: int | None = None  # start including titles, when there are titles
    hint: str | None = None  # a type fixed by a rule, outweighing the NER label
    kind: str = "name"  # "name" | "description" | "pronoun"


@dataclass
class Cluster:
    """The candidates found to mention one entity (names, then descriptions and pronouns)."""

    cands: list[Candidate] = field(default_factory=list)

    def names(self, text: str) -> list[str]:
        """The text of its name mentions (descriptions and pronouns are no names), in order."""
        return [text[c.start : c.end] for c in self.cands if c.kind == "name"]
