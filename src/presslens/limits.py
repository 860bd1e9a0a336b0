"""The limits that keep one document's work bounded, in one place (documented in the README).

- `DEFAULT_MAX_BYTES` (in `presslens.ingest.base`: 50 MiB): a page larger than this is
  refused with exit 3 (`InputTooLarge`) before anything reads it.
- `MAX_WORDS_ANALYSED`: the text stages (techniques, parse, entities, quotes, claims,
  timeline) read the body up to the end of the line holding its 20,000th word; the rest of a
  longer body is kept in `text`, `body` and the anatomy, and the document says so in
  `Document.warnings`. 20,000 words is about ten times a long news article.

Why a word budget and not a timer: the cost of every text stage grows with the words it reads,
so bounding the words bounds the time, the result is the same on every machine, and no stage
is interrupted half-way through a document.
"""

from __future__ import annotations

import re
from itertools import islice

MAX_WORDS_ANALYSED = 20_000

_WORD = re.compile(r"\S+")


def cut_after_words(text: str, start: int, end: int, max_words: int) -> int | None:
    """Where to stop reading `text[start:end]` after about `max_words` words: the end of the
    line holding the first word over the budget (a line is not cut in two), or that word's start
    on a text with no line break after it; None when every word fits."""
    over = next(islice(_WORD.finditer(text, start, end), max_words, None), None)
    if over is None:
        return None
    line_end = text.find("\n", over.start(), end)
    return line_end if line_end >= 0 else over.start()
