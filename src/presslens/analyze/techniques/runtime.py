"""The shipped technique model at run time: onnxruntime + tokenizers + numpy, no torch.

Where it sits: used by the `techniques` pipeline stage, `presslens techniques classify`,
`presslens eval techniques` and the benchmark. `TechniqueModel.load()` reads the folder
`presslens/models/techniques/` (ONNX tagger, tokenizer, post-processing, config);
`get_model()` loads it once per process, lazily, so commands that never need it pay nothing.

>>> m = get_model()                                   # doctest: +SKIP
>>> [f.technique for f in m.find("They are criminals and traitors.")]  # doctest: +SKIP
['Name_Calling,Labeling']
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from presslens.analyze.techniques.decode import (
    PostProcessor,
    decode_spans,
    extract_any_spans,
    span_features,
    technique_distribution,
)
from presslens.analyze.techniques.evidence import evidence_for
from presslens.analyze.techniques.model import OnnxTagger, article_token_logits
from presslens.analyze.techniques.windows import load_tokenizer, tokenize
from presslens.errors import InputError
from presslens.vocab import TECHNIQUES

MODEL_FILE = "model.int8.onnx"


def default_model_dir() -> Path:
    return Path(str(resources.files("presslens.models") / "techniques"))


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
    """The tagger's view of one text: token offsets and Platt-scaled probabilities."""

    offsets: np.ndarray
    probs: np.ndarray


class TechniqueModel:
    """Tagger + post-processing; `find` for spans, `classify` for given spans (TC)."""

    def __init__(self, model_dir: Path, onnx_file: str = MODEL_FILE, threads: int = 2) -> None:
        self.model_dir = model_dir
        onnx_path = model_dir / onnx_file
        if not onnx_path.exists():
            raise InputError(f"technique model not found: {onnx_path}")
        cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.max_len = int(cfg["max_len"])
        self.stride = int(cfg["stride"])
        self.cls_id = int(cfg["cls_id"])
        self.sep_id = int(cfg["sep_id"])
        self.tokenizer = load_tokenizer(model_dir / "tokenizer.json")
        self.tagger = OnnxTagger(onnx_path, threads=threads)
        self.pp = PostProcessor.load(model_dir / "postproc.json")

    @classmethod
    def load(
        cls, model_dir: Path | None = None, onnx_file: str = MODEL_FILE, threads: int = 2
    ) -> TechniqueModel:
        return cls(model_dir or default_model_dir(), onnx_file, threads)

    def logits(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(token offsets, raw logits) for a whole text."""
        toks = tokenize(self.tokenizer, text)
        lg = article_token_logits(
            self.tagger, toks, self.cls_id, self.sep_id, max_len=self.max_len, stride=self.stride
        )
        return toks.offsets, lg

    def view(self, text: str) -> TokenView:
        offsets, lg = self.logits(text)
        return TokenView(offsets, self.pp.probs(lg) if len(lg) else lg)

    def find(
        self, text: str, lo: int = 0, hi: int | None = None, view: TokenView | None = None
    ) -> list[Finding]:
        """Technique spans inside text[lo:hi], each with a calibrated score and evidence."""
        view = view or self.view(text)
        if len(view.offsets) == 0:
            return []
        raw = decode_spans(text, view.offsets, view.probs, self.pp, lo, hi)
        scores = self.pp.calibrate(np.array([s.raw for s in raw], dtype=float))
        out = []
        for s, score in zip(raw, scores, strict=True):
            tech = TECHNIQUES[s.channel - 1]
            ev = evidence_for(text, s.start, s.end, tech, view.offsets, view.probs[:, s.channel])
            out.append(Finding(tech, s.start, s.end, float(np.clip(score, 0.0, 1.0)), ev))
        return sorted(out, key=lambda f: (f.start, f.end, f.technique))

    def find_any(self, text: str, view: TokenView | None = None) -> list[tuple[int, int]]:
        """SI: spans of the "any technique" channel, techniques not decided."""
        view = view or self.view(text)
        return extract_any_spans(text, view.offsets, view.probs, self.pp) if len(view.offsets) else []

    def distribution(
        self, text: str, spans: Sequence[tuple[int, int]], view: TokenView | None = None
    ) -> np.ndarray:
        """P(technique | span) for given spans of `text`: (n_spans, 14)."""
        if not spans:
            return np.zeros((0, len(TECHNIQUES)))
        view = view or self.view(text)
        feats = np.stack([span_features(text, view.offsets, view.probs, s, e) for s, e in spans])
        return technique_distribution(self.pp, feats)

    def classify(
        self, text: str, spans: Sequence[tuple[int, int]], view: TokenView | None = None
    ) -> list[str]:
        """TC: one technique per span; a span listed k times gets its k most likely techniques
        (PTC templates list a span once per gold label)."""
        dist = self.distribution(text, spans, view)
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
