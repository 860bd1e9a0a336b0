"""A small, offset-keeping sentence splitter for the technique baselines and benchmark.

Where it sits: the sentence-level TF-IDF baseline labels sentences, and the benchmark counts
sentences per second; both need sentence offsets into the text as read. spaCy would do better
on hard cases but costs far more than the baselines themselves; news prose splits well enough
on line breaks and on ., ! or ? followed by space and an upper-case letter or a quote.

>>> text = "First one. Second one!\\n\\nThird?"
>>> [text[s:e] for s, e in sentence_spans(text)]
['First one.', 'Second one!', 'Third?']
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence, stripped of surrounding whitespace, in order."""
    out = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    spans = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans
