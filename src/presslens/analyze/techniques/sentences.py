"""A small, offset-keeping sentence splitter for the technique decoder, baselines and benchmark.

Where it sits: the decoder cuts spans where a sentence ends (`decode.PostProcessor.sentence_cut`),
the sentence-level TF-IDF baseline labels sentences, and the benchmark counts sentences per
second; all need sentence offsets into the text as read, and one rule for where a sentence ends.
spaCy would do better on hard cases but costs far more than the baselines themselves; news prose
splits well enough on line breaks and on ., ! or ? followed by space and an upper-case letter,
a digit or a quote — except after a title or initials ("Gen. Soleimani", "the U.S. Congress").

>>> text = "First one. Second one!\\n\\nThird?"
>>> [text[s:e] for s, e in sentence_spans(text)]
['First one.', 'Second one!', 'Third?']
>>> text = "Gen. Soleimani met U.S. officials on Jan. 3. They left."
>>> [text[s:e] for s, e in sentence_spans(text)]
['Gen. Soleimani met U.S. officials on Jan. 3.', 'They left.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Between two sentences: after ., ! or ? (and closing quotes), space before an upper-case letter,
#: digit or opening quote; or line breaks.
SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")
# A full stop that ends a title or initials, not a sentence (a line break still ends one).
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Fr|Prof|Gen|Lt|Col|Maj|Capt|Cpl|Sgt|Adm|Gov|Sen|Sens|Rep|Reps|Rev|Msgr"
    r"|St|Jr|Sr|Pres|Amb|No|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
    r"|\b[A-Z](?:\.[A-Z])*)\.$"
)


def _boundaries(text: str) -> Iterator[re.Match[str]]:
    for m in SENTENCE_BOUNDARY.finditer(text):
        if "\n" in m.group() or not _ABBREVIATION.search(text, max(0, m.start() - 16), m.start()):
            yield m


def sentence_breaks(text: str) -> list[int]:
    """Offsets where a sentence after the first starts, ascending.

    >>> sentence_breaks('He was killed. "Those who avenge"\\nNext')
    [15, 34]
    """
    return [m.end() for m in _boundaries(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence, stripped of surrounding whitespace, in order."""
    out = []
    pos = 0
    for m in _boundaries(text):
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
