"""The shipped technique model at run time: onnxruntime + tokenizers + numpy, no torch.

Where it sits: used by the `techniques` pipeline stage, `presslens techniques classify`,
`presslens eval techniques`, the checklist and the benchmark. `TechniqueModel.load()` reads the
folder `presslens/models/techniques/` (two int8 ONNX networks, tokenizer, post-processing,
config); `get_model()` loads it once per process, lazily, so commands that never need it pay
nothing. Two stages, as the SemEval-2020 Task 11 winners:

(a) the span tagger marks word pieces inside a propaganda span; `decode` turns them into spans;
(b) the span classifier reads each span marked inside its line and names its technique,
    stacked with the span's words (`stacking`): spans stage (a) found go through the stacker
    fitted on found spans when the model has one, given spans through the gold-span stacker.

Both read the text actor-masked (`presslens.analyze.techniques.actors`), and the found-span
stacker reads the span's words with every actor replaced by a placeholder word
(`actors.BlindText`): who a sentence is about cannot change what `find` flags, nor how it is
labelled. The gold-span stacker behind `classify` reads given spans as written (TC 0.618 →
0.627 in CV: PTC's labels follow some names, "America" in Flag-waving — see the model card).

>>> m = get_model()                                   # doctest: +SKIP
>>> [f.technique for f in m.find("They are criminals and traitors.")]  # doctest: +SKIP
['Name_Calling,Labeling']
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from presslens.analyze.techniques.actors import ActorFinder, BlindText, mask_tokens, placeholder_ids
from presslens.analyze.techniques.decode import PostProcessor, SpanCandidate, sigmoid
from presslens.analyze.techniques.evidence import evidence_for
from presslens.analyze.techniques.model import OnnxRunner, texts_token_logits
from presslens.analyze.techniques.span_inputs import SpanEncoder, stack
from presslens.analyze.techniques.stacking import SPAN_STACKER_FILE, Stacker, stack_logits
from presslens.analyze.techniques.windows import TokenizedText, load_tokenizer, tokenize
from presslens.errors import InputError, UsageError
from presslens.pipeline import THREADS_ENV
from presslens.vocab import TECHNIQUES

TAGGER_FILE = "tagger.int8.onnx"
CLASSIFIER_FILE = "classifier.int8.onnx"
_CLASSIFY_BATCH = 1  # one span a call, for the reason `model.DEFAULT_BATCH` gives
#: Threads per network (calls side by side, one onnxruntime intra-op thread each:
#: `model.OnnxRunner`) when the caller names none and
#: `$PRESSLENS_ORT_THREADS` (`pipeline.THREADS_ENV`) is unset. One process on a 2-core machine
#: (the CLI) uses both cores; a pool of worker processes (the engine's, the web's) sets the
#: variable in each worker before the model loads (`pipeline.settle_worker_threads`).
DEFAULT_THREADS = 2


def default_model_dir() -> Path:
    return Path(str(resources.files("presslens.models") / "techniques"))


def default_threads() -> int:
    """Threads per network: `$PRESSLENS_ORT_THREADS`, else `DEFAULT_THREADS`; read when a model
    loads (once per process with `get_model`).

    >>> default_threads() >= 1
    True
    """
    value = os.environ.get(THREADS_ENV, "").strip()
    if not value:
        return DEFAULT_THREADS
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"${THREADS_ENV} must be a whole number of threads, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class Finding:
    """One technique span found in a text (offsets into the text given)."""

    technique: str
    start: int
    end: int
    score: float
    evidence: str


@dataclass
class TokenView:
    """The tagger's view of one text: actor-masked word pieces and their span probabilities,
    and the text with its actors replaced by placeholder words (what the stacker reads)."""

    toks: TokenizedText
    probs: np.ndarray  # (n_pieces,)
    blind: BlindText


class TechniqueModel:
    """Span tagger + span classifier + decoding; `find` for spans, `classify` for given spans."""

    def __init__(
        self,
        model_dir: Path,
        threads: int | None = None,
        tagger_file: str = TAGGER_FILE,
        classifier_file: str = CLASSIFIER_FILE,
    ) -> None:
        self.model_dir = model_dir
        threads = threads or default_threads()
        paths = [model_dir / tagger_file, model_dir / classifier_file]
        for path in paths:
            if not path.exists():
                raise InputError(f"technique model not found: {path}")
        cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.max_len = int(cfg["max_len"])
        self.stride = int(cfg["stride"])
        self.tokenizer = load_tokenizer(model_dir / "tokenizer.json")
        self.span_encoder = SpanEncoder.from_tokenizer(self.tokenizer, int(cfg["classifier_max_len"]))
        # a classifier trained on found spans too reads the spans stage (a) finds marked as such
        self.marks_found = bool(cfg.get("classifier_marks_found", False))
        self.cls_id, self.sep_id = self.span_encoder.cls_id, self.span_encoder.sep_id
        self.placeholders = placeholder_ids(self.tokenizer)
        self.tagger = OnnxRunner(paths[0], ("input_ids", "attention_mask"), threads)
        self.classifier = OnnxRunner(paths[1], ("input_ids", "attention_mask", "span_mask"), threads)
        self.pp = PostProcessor.load(model_dir / "postproc.json")
        self.stacker = Stacker.load_optional(model_dir)
        self.span_stacker = Stacker.load_optional(model_dir, SPAN_STACKER_FILE)

    @classmethod
    def load(cls, model_dir: Path | None = None, threads: int | None = None) -> TechniqueModel:
        return cls(model_dir or default_model_dir(), threads)

    def tokens(self, texts: Sequence[str]) -> list[tuple[TokenizedText, BlindText]]:
        """Each text's word pieces with every actor mention replaced by its placeholder, and the
        text with every mention replaced by its placeholder word."""
        mentions = ActorFinder.find(list(texts))
        return [
            (mask_tokens(tokenize(self.tokenizer, t), m, self.placeholders), BlindText.of(t, m))
            for t, m in zip(texts, mentions, strict=True)
        ]

    def views(self, texts: Sequence[str]) -> list[TokenView]:
        """Stage (a) network outputs of many texts, their windows batched together."""
        masked = self.tokens(texts)
        toks = [t for t, _ in masked]
        logits = texts_token_logits(
            self.tagger, toks, self.cls_id, self.sep_id, max_len=self.max_len, stride=self.stride
        )
        return [
            TokenView(t, sigmoid(lg[:, 0]) if lg.size else np.zeros(0, dtype=np.float32), blind)
            for (t, blind), lg in zip(masked, logits, strict=True)
        ]

    def view(self, text: str) -> TokenView:
        return self.views([text])[0]

    def spans(self, text: str, view: TokenView | None = None) -> list[tuple[SpanCandidate, float]]:
        """Stage (a): spans with their calibrated score, those under `min_score` left out."""
        view = view or self.view(text)
        return self.pp.spans(text, view.toks.offsets, view.probs)

    def _distributions(
        self,
        rows: list[tuple[list[int], list[int]]],
        spans: Sequence[tuple[str, int, int]],
        found: Sequence[BlindText] | None = None,
    ) -> np.ndarray:
        """Stage (b) over encoded spans (`rows`, one per span `(text, start, end)`): the
        classifier (one span a call, `_CLASSIFY_BATCH`), then the stacker where the model has one —
        for spans stage (a) `found` (given with their texts' actor-blind copies) the found-span
        stacker, reading the blind words, else the gold-span one, reading the words as written —
        then the decoder's P(technique) (`PostProcessor.technique_probabilities`); rows in the
        given order."""
        if not rows:
            return np.zeros((0, len(TECHNIQUES)))
        order = sorted(range(len(rows)), key=lambda r: len(rows[r][0]))
        logits = np.zeros((len(rows), len(TECHNIQUES)), dtype=np.float32)
        chunks = [order[b : b + _CLASSIFY_BATCH] for b in range(0, len(order), _CLASSIFY_BATCH)]
        batches = [stack([rows[r] for r in chunk]) for chunk in chunks]
        outputs = self.classifier.map([(b.input_ids, b.attention_mask, b.span_mask) for b in batches])
        for chunk, out in zip(chunks, outputs, strict=True):
            logits[chunk] = out
        stacked = stack_logits(self.stacker, self.span_stacker, spans, logits, blind=found)
        return self.pp.technique_probabilities(stacked)

    def distribution(
        self, text: str, spans: Sequence[tuple[int, int]], view: TokenView | None = None
    ) -> np.ndarray:
        """Stage (b): P(technique | span) for given spans of `text`, (n_spans, 14)."""
        if not spans:
            return np.zeros((0, len(TECHNIQUES)))
        toks = view.toks if view is not None else self.tokens([text])[0][0]
        rows = [self.span_encoder.one(text, toks, s, e) for s, e in spans]
        return self._distributions(rows, [(text, s, e) for s, e in spans])

    def find(self, text: str) -> list[Finding]:
        """Technique spans of `text`, each with a calibrated score and evidence (FLC)."""
        return self.find_many([text])[0]

    def find_many(self, texts: Sequence[str]) -> list[list[Finding]]:
        """`find` of many texts, each network run once over batches from all of them."""
        views = self.views(texts)
        found = [self.spans(t, v) for t, v in zip(texts, views, strict=True)]
        where = [(t, v, c) for t, v, spans in zip(texts, views, found, strict=True) for c, _ in spans]
        rows = [self.span_encoder.one(t, v.toks, c.start, c.end, found=self.marks_found) for t, v, c in where]
        dist = self._distributions(
            rows, [(t, c.start, c.end) for t, _, c in where], found=[v.blind for _, v, _ in where]
        )
        out, at = [], 0
        for text, view, spans in zip(texts, views, found, strict=True):
            out.append(self._findings(text, view, spans, dist[at : at + len(spans)]))
            at += len(spans)
        return out

    def _findings(
        self, text: str, view: TokenView, found: list[tuple[SpanCandidate, float]], dist: np.ndarray
    ) -> list[Finding]:
        rows = [
            (cand, j, raw)
            for (cand, span_p), row in zip(found, dist, strict=True)
            for j, raw in self.pp.labels(span_p, row)
        ]
        scores = self.pp.finding_score(np.array([r[2] for r in rows]))
        actors = np.isin(view.toks.ids, list(self.placeholders.values()))
        out = []
        for (cand, j, _), score in zip(rows, scores, strict=True):
            tech = TECHNIQUES[j]
            ev = evidence_for(text, cand.start, cand.end, tech, view.toks.offsets, view.probs, actors)
            out.append(Finding(tech, cand.start, cand.end, float(np.clip(score, 0.0, 1.0)), ev))
        return sorted(out, key=lambda f: (f.start, f.end, f.technique))

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
        """TC: one technique per span; a span listed k times gets its k most likely techniques
        (PTC templates list a span once per gold label)."""
        dist = self.distribution(text, spans)
        seen: dict[tuple[int, int], int] = {}
        out = []
        for (s, e), row in zip(spans, dist, strict=True):
            k = seen.get((s, e), 0)
            seen[(s, e)] = k + 1
            order = np.argsort(-row)
            out.append(TECHNIQUES[int(order[min(k, len(order) - 1)])])
        return out


_LOCK = threading.Lock()
_MODEL: TechniqueModel | None = None


def get_model() -> TechniqueModel:
    """The shipped model, loaded on first use and shared by the whole process."""
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            _MODEL = TechniqueModel.load()
        return _MODEL
