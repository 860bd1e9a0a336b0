"""Stage (b) inputs: a span marked inside its line, as the span classifier reads it.

Where it sits: the one place that turns `(text, span)` into the classifier's word pieces, used by
its training (`presslens.train.span_classifier`) and by the ONNX runtime
(`presslens.analyze.techniques.runtime`) alike, so a span means the same thing in both.

Layout of one input (word pieces of the actor-masked text, `presslens.analyze.techniques.actors`)::

    [CLS] (R) left context [<] span [>] right context [SEP]

`[<]`/`[>]` are two unused BERT word pieces marking the span; `(R)` is present only when the
span's words recur elsewhere in the article (one piece for "twice", one for "three times or
more"): a technique such as Repetition is invisible from one line, and this is the one fact
from outside the line the classifier is given. The context is the span's line (PTC articles
and anatomy bodies keep one paragraph per line), cut to `max_len` pieces, left and right
context shared evenly around the span.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from presslens.analyze.techniques.windows import TokenizedText

_WORD = re.compile(r"\w+", re.UNICODE)
OPEN_TOKEN, CLOSE_TOKEN = "[unused10]", "[unused11]"
REPEATED_TOKENS = ("[unused12]", "[unused13]")  # the span recurs: 2 times, ≥ 3 times
FOUND_TOKEN = "[unused14]"  # the span's extent is the tagger's (stage a), not given


def _norm(s: str) -> str:
    return " ".join(_WORD.findall(s.lower()))


@lru_cache(maxsize=8)
def _padded_norm(text: str) -> str:
    """The whole article normalised once, not once per span (a document's spans share it)."""
    return " " + _norm(text) + " "


def repetition_count(text: str, start: int, end: int) -> int:
    """How often the span's words occur in the article, the span itself included.

    >>> t = "Never again. They said never again, and meant it."
    >>> repetition_count(t, 0, 11)
    2
    >>> repetition_count("Never again! Never again.", 0, 11)
    2
    """
    needle = _norm(text[start:end])
    if not needle:
        return 0
    hay = _padded_norm(text)
    probe = " " + needle + " "
    # Overlapping matches: in "never again never again" the space between the two belongs to both.
    count, i = 0, hay.find(probe)
    while i >= 0:
        count += 1
        i = hay.find(probe, i + 1)
    return count


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The lines holding `text[start:end]`, as `[line start, line end)`.

    >>> line_bounds("a b\\nc d e\\nf", 4, 5)
    (4, 9)
    """
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return lo, len(text) if hi < 0 else hi


@dataclass(frozen=True)
class SpanInputs:
    """A batch for the classifier: `input_ids`, `attention_mask`, and `span_mask` (1.0 on the
    span's own pieces, for pooling)."""

    input_ids: np.ndarray
    attention_mask: np.ndarray
    span_mask: np.ndarray


@dataclass(frozen=True)
class SpanEncoder:
    """Builds classifier inputs from word-piece ids (see the module doc for the layout)."""

    cls_id: int
    sep_id: int
    open_id: int
    close_id: int
    repeated_ids: tuple[int, int]
    max_len: int = 96
    found_id: int | None = None

    @classmethod
    def from_tokenizer(cls, tok: object, max_len: int = 96) -> SpanEncoder:
        def piece(name: str) -> int:
            tid = tok.token_to_id(name)  # type: ignore[attr-defined]
            if tid is None:
                raise ValueError(f"tokenizer has no {name} piece")
            return int(tid)

        return cls(
            piece("[CLS]"),
            piece("[SEP]"),
            piece(OPEN_TOKEN),
            piece(CLOSE_TOKEN),
            (piece(REPEATED_TOKENS[0]), piece(REPEATED_TOKENS[1])),
            max_len,
            piece(FOUND_TOKEN),
        )

    def one(
        self, text: str, toks: TokenizedText, start: int, end: int, found: bool = False
    ) -> tuple[list[int], list[int]]:
        """Piece ids and span flags of one span (`toks`: the whole text, actor-masked); `found`:
        the span is one stage (a) found, marked by its piece after [CLS]."""
        starts, ends = toks.offsets[:, 0], toks.offsets[:, 1]
        a = int(np.searchsorted(ends, start, side="right"))
        b = max(a, int(np.searchsorted(starts, end, side="left")))
        lo, hi = line_bounds(text, start, end)
        la = int(np.searchsorted(ends, lo, side="right"))
        rb = max(b, int(np.searchsorted(starts, hi, side="left")))
        reps = repetition_count(text, start, end)
        head = [self.cls_id] + ([self.found_id] if found and self.found_id is not None else [])
        head += [self.repeated_ids[0 if reps == 2 else 1]] if reps >= 2 else []
        budget = self.max_len - len(head) - 3  # the two markers and [SEP]
        span = toks.ids[a:b].tolist()[:budget]
        room = budget - len(span)
        n_left, n_right = a - la, rb - b
        take_left = min(n_left, max(room // 2, room - n_right))
        take_right = min(n_right, room - take_left)
        left = toks.ids[a - take_left : a].tolist()
        right = toks.ids[b : b + take_right].tolist()
        ids = [*head, *left, self.open_id, *span, self.close_id, *right, self.sep_id]
        flags = [0] * (len(head) + len(left) + 1) + [1] * len(span) + [0] * (len(right) + 2)
        return ids, flags

    def batch(self, text: str, toks: TokenizedText, spans: Sequence[tuple[int, int]]) -> SpanInputs:
        rows = [self.one(text, toks, s, e) for s, e in spans]
        return stack(rows)


def stack(rows: Sequence[tuple[list[int], list[int]]]) -> SpanInputs:
    """Pad rows of `(ids, span flags)` to the longest; a span of no pieces pools its markers."""
    width = max((len(ids) for ids, _ in rows), default=0)
    ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    span = np.zeros((len(rows), width), dtype=np.float32)
    for r, (one_ids, flags) in enumerate(rows):
        n = len(one_ids)
        ids[r, :n] = one_ids
        mask[r, :n] = 1
        span[r, :n] = flags
        if not any(flags):
            span[r, :n] = 1.0
    return SpanInputs(ids, mask, span)
