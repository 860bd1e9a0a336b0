"""The `techniques` pipeline stage: persuasion-technique spans of the headline and the body.

Where it sits: in `analyze`, after `anatomy` has set `doc.body`, `doc.metadata` (title with
its provenance) and `doc.metadata.language`. It fills `doc.techniques` with `TechniqueSpan`s —
PTC technique name verbatim, offsets into `doc.text`, calibrated score, evidence string — and
touches nothing else. `presslens eval techniques` scores exactly this output
(`presslens.analyze.techniques.evaluate`), so there is one decoding path.

The regions analysed (`regions`): the headline and standfirst, where anatomy located them in
`doc.text` (`metadata.provenance["title"]` / `["standfirst"]`; an HTML title without offsets
is looked for in the text above the body), and the body as far as the word limit
(`doc.analysis_range()`). Each region goes to `model.find(region_text)` on its own and the
offsets are shifted back; overlapping regions are merged first, so no span is reported twice.
Spans made only of stop words and punctuation ("and", "--", a lone quote mark) are dropped:
they flag nothing a reader can check.

The model (`presslens.analyze.techniques.runtime`) is loaded lazily, once per process.
Non-English documents (a set `metadata.language` other than "en") get an empty list: the
model was trained on English news only.

>>> from presslens.document import Document
>>> doc = Document(source="demo", text="Texto en español.")
>>> doc.metadata.language = "es"
>>> TechniquesStage()(doc).techniques
[]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from presslens.analyze.techniques.decode import stop_word_test
from presslens.document import Document, TechniqueSpan
from presslens.pipeline import register_stage

# Metadata fields whose provenance span is a text region worth analysing, headline first.
HEADER_FIELDS: tuple[str, ...] = ("title", "standfirst")


class FindingLike(Protocol):
    """What the stage reads of one finding (`runtime.Finding`): offsets into the text given."""

    @property
    def technique(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def score(self) -> float: ...
    @property
    def evidence(self) -> str: ...


class SpanFinder(Protocol):
    """The one model call the stage makes: technique spans of a text."""

    def find(self, text: str) -> Sequence[FindingLike]: ...


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping regions (touching ones stay apart: they are separate texts)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _header_region(doc: Document, name: str, body_start: int) -> tuple[int, int] | None:
    prov = doc.metadata.provenance.get(name)
    start, end = (prov.start, prov.end) if prov is not None else (None, None)
    if start is not None and end is not None and 0 <= start < end <= len(doc.text):
        return (start, end)
    value = getattr(doc.metadata, name, None)
    if name == "title" and isinstance(value, str) and value.strip():
        # An HTML <title>/og:title has no offsets; use it where the text shows it above the body.
        at = doc.text.find(value.strip(), 0, body_start)
        if at >= 0:
            return (at, at + len(value.strip()))
    return None


def regions(doc: Document) -> list[tuple[int, int]]:
    """The stretches of `doc.text` the stage analyses: headline, standfirst, body; merged,
    in text order, none empty or blank.

    >>> from presslens.document import Body, Document, Provenance
    >>> text = "Traitors destroy us\\n\\nThe body."
    >>> doc = Document(source="d", text=text, body=Body(start=21, end=30, text="The body."))
    >>> doc.metadata.provenance["title"] = Provenance(start=0, end=19)
    >>> [text[s:e] for s, e in regions(doc)]
    ['Traitors destroy us', 'The body.']
    """
    lo, hi = doc.analysis_range()
    found = [r for r in (_header_region(doc, n, lo) for n in HEADER_FIELDS) if r is not None]
    return [(s, e) for s, e in _merge([*found, (lo, hi)]) if doc.text[s:e].strip()]


@register_stage(
    "techniques",
    requires=("text",),
    assigns=("techniques",),
    default_config={"min_score": 0.0, "model_dir": None},
)
class TechniquesStage:
    """Find technique spans in headline and body.

    Config: `min_score` drops spans below a calibrated score; `model_dir` loads a model folder
    laid out as the shipped one (`presslens train techniques --out DIR`) instead of it.
    """

    name = "techniques"

    def __init__(
        self, model: SpanFinder | None = None, min_score: float = 0.0, model_dir: str | None = None
    ) -> None:
        self._model = model
        self.min_score = min_score
        self.model_dir = model_dir

    @property
    def model(self) -> SpanFinder:
        if self._model is None:
            from presslens.analyze.techniques.runtime import TechniqueModel, get_model

            self._model = TechniqueModel.load(Path(self.model_dir)) if self.model_dir else get_model()
        return self._model

    def __call__(self, doc: Document) -> Document:
        lang = doc.metadata.language
        if lang and lang != "en":
            doc.techniques = []
            return doc
        best: dict[tuple[int, int, str], TechniqueSpan] = {}
        spans = regions(doc)
        texts = [doc.text[lo:hi] for lo, hi in spans]
        # The shipped model batches all regions through each network at once.
        find_many = getattr(self.model, "find_many", None)
        found = find_many(texts) if find_many is not None else [self.model.find(t) for t in texts]
        for (lo, hi), findings in zip(spans, found, strict=True):
            for f in findings:
                start, end = f.start + lo, f.end + lo
                if f.score < self.min_score or not lo <= start < end <= hi:
                    continue
                text = doc.text[start:end]
                # The decoder drops such spans already; a model passed in by the caller may not.
                if stop_word_test()(text):
                    continue
                key = (start, end, f.technique)
                if key not in best or f.score > best[key].score:
                    best[key] = TechniqueSpan(
                        technique=f.technique,
                        start=start,
                        end=end,
                        text=text,
                        score=round(min(max(f.score, 0.0), 1.0), 4),
                        evidence=f.evidence,
                    )
        doc.techniques = [best[k] for k in sorted(best)]
        return doc
