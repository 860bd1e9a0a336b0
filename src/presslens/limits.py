"""The limits that keep one document's work bounded, in one place (documented in the README).

- `DEFAULT_MAX_BYTES` (in `presslens.ingest.base`: 50 MiB): a page larger than this is
  refused with exit 3 (`InputTooLarge`) before anything reads it.
- `MAX_WORDS_ANALYSED`: the text stages (techniques, parse, entities, quotes, claims,
  timeline) read the body up to the end of the line holding its 20,000th word, and never past
  a run of `MAX_WORD_CHARS` characters without a space; the rest of a longer body is kept in
  `text`, `body` and the anatomy, and the document says so in `Document.warnings`. 20,000
  words is about ten times a long news article.

Why a word budget and not a timer: the cost of every text stage grows with the words it reads,
so bounding the words bounds the time, the result is the same on every machine, and no stage
is interrupted half-way through a document.
"""

from __future__ import annotations

import re
from itertools import islice

MAX_WORDS_ANALYSED = 20_000
#: Longer than any URL or compound a page means as one word: a run of this many characters
#: without a space (20,000 quote marks, a base64 blob) is where the text stages stop reading,
#: since spaCy's tokenizer splits such a run one character at a time, in quadratic time.
MAX_WORD_CHARS = 1_000

_WORD = re.compile(r"\S+")


def cut_after_words(text: str, start: int, end: int, max_words: int) -> int | None:
    """Where to stop reading `text[start:end]` after about `max_words` words: the end of the
    line holding the first word over the budget (a line is not cut in two), or that word's start
    on a text with no line break after it; before the first "word" of over `MAX_WORD_CHARS`
    characters, wherever it comes; None when everything fits."""
    for count, word in enumerate(islice(_WORD.finditer(text, start, end), max_words + 1)):
        if word.end() - word.start() > MAX_WORD_CHARS:
            return word.start()
        if count == max_words:
            line_end = text.find("\n", word.start(), end)
            return line_end if line_end >= 0 else word.start()
    return None
