"""The `techniques` pipeline stage: persuasion-technique spans of the article body.

Where it sits: in `analyze`, after `anatomy` has set `doc.body` (and `doc.metadata.language`).
It fills `doc.techniques` with `TechniqueSpan`s — PTC technique name verbatim, offsets into
`doc.text` inside `doc.body_range`, calibrated score, evidence string — and touches nothing
else. The model (`presslens.analyze.techniques.runtime`) is loaded lazily, once per process.
Non-English documents (a set `metadata.language` other than "en") get an empty list: the
model was trained on English news only.

>>> from presslens.document import Document
>>> doc = Document(source="demo", text="Texto en español.")
>>> doc.metadata.language = "es"
>>> TechniquesStage()(doc).techniques
[]
"""

from __future__ import annotations

from presslens.analyze.techniques.runtime import TechniqueModel, get_model
from presslens.document import Document, TechniqueSpan
from presslens.pipeline import register_stage


@register_stage("techniques")
class TechniquesStage:
    """Find technique spans in the body; `min_score` drops spans below a calibrated score."""

    name = "techniques"

    def __init__(self, model: TechniqueModel | None = None, min_score: float = 0.0) -> None:
        self._model = model
        self.min_score = min_score

    @property
    def model(self) -> TechniqueModel:
        if self._model is None:
            self._model = get_model()
        return self._model

    def __call__(self, doc: Document) -> Document:
        lang = doc.metadata.language
        if lang and lang != "en":
            doc.techniques = []
            return doc
        lo, hi = doc.body_range
        # Tokenise only the body (plus nothing else): offsets are shifted back into doc.text.
        body = doc.text[lo:hi]
        if not body.strip():
            doc.techniques = []
            return doc
        found = self.model.find(body)
        doc.techniques = [
            TechniqueSpan(
                technique=f.technique,
                start=f.start + lo,
                end=f.end + lo,
                text=doc.text[f.start + lo : f.end + lo],
                score=round(f.score, 4),
                evidence=f.evidence,
            )
            for f in found
            if f.score >= self.min_score
        ]
        return doc
