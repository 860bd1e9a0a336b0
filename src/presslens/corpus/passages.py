"""What a passage two bodies share is: wrapper, quoted speech, or one article's own text.

Where it sits: `syndication.py` asks here about each passage `dedup.compare` aligned between
two stories, before deciding the relation of their edge. Three readings matter:

- **wrapper** — the passage is mostly lines the boilerplate classifier calls wrapper (a poll
  widget, a newsletter box left inside a body): stock text, no edge at all;
- **quoted speech** — most of it sits inside quotation marks, or in sentences attributed to a
  speaker ("said", "told reporters", "according to"), or in a paragraph that opens on a
  statement or a release: someone else's words. Presented so in both articles, it is text both
  took from a third party — a common source at most, never one copying the other;
- otherwise it is the article's **own text**, which another article can reuse (quoting it in
  marks, "As X reported: “…”", or pasting it).

>>> text = 'The minister said: "We will rebuild every school before winter comes." Roads reopened.'
>>> round(quoted_share(text, text.index("We"), text.index("comes") + 5), 2)
1.0
>>> quoted_share(text, text.index("Roads"), len(text))
0.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presslens.anatomy.boilerplate import classify
from presslens.lexicon.quotes import quoted_spans

# A passage this much inside quotes or attributed sentences is quoted speech.
QUOTED = 0.5
# How far around a passage to look for the quotation mark that opens or closes it.
_CONTEXT = 1500

# Sentences that report what someone said or published: the text is theirs, not the article's.
# The words ("said", "told", "statement") and their close kin, no more: "say" or
# "writes" run through an article's own argument too.
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|tells|statements?|according to|announced|announces|(?:press|news) release|"
    r"spokes(?:man|woman|person))\b",
    re.IGNORECASE,
)
# A paragraph that opens this way hands the floor to a release or statement: all of it is theirs.
_RELEASE_LEAD = re.compile(
    r"\b(?:(?:press|news) release|in a (?:statement|release)|said in a (?:statement|release)|"
    r"(?:statement|release) (?:said|says|reads|read|released|issued)|according to (?:a|the) "
    r"(?:\w+ )?(?:statement|release))\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’»)]*|\n|$)")
_CURLY_OPENING = "“„«"


@dataclass(frozen=True)
class Voice:
    """Whose words a passage is in one text: `marks` is the share inside quotation marks,
    `speech` the share that is someone's speech (inside marks, or in an attributed sentence)."""

    marks: float
    speech: float

    @property
    def quoted(self) -> bool:
        """Inside quotation marks: the text quotes someone (another outlet, a speaker)."""
        return self.marks >= QUOTED

    @property
    def third_party(self) -> bool:
        """Quoted or attributed: the text presents these words as someone else's."""
        return self.speech >= QUOTED


def voice(text: str, start: int, end: int) -> Voice:
    """How text[start:end] is presented in `text`: quoted, attributed, or its own words."""
    if end <= start:
        return Voice(0.0, 0.0)
    lo, hi = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
    marks = bytearray(end - start)
    speech = bytearray(end - start)
    if _opens_quote(text, start):
        # A quotation opened right before the passage: all of it is quoted, whatever marks of
        # its own (a quote inside the quote) it holds.
        _mark(marks, 0, end - start)
    for q in quoted_spans(text, lo, hi):
        _mark(marks, q.start - start, q.end - start)
    for para in re.finditer(r"[^\n]+", text[lo:hi]):
        p0, p1 = lo + para.start(), lo + para.end()
        if p1 <= start or p0 >= end:
            continue
        first = _SENTENCE.match(text, p0, p1)
        if first is not None and _RELEASE_LEAD.search(first.group()):
            _mark(speech, p0 - start, p1 - start)
            continue
        for m in _SENTENCE.finditer(text, p0, p1):
            if m.end() > start and m.start() < end and _ATTRIBUTION.search(m.group()):
                _mark(speech, m.start() - start, m.end() - start)
    chars = [not c.isspace() for c in text[start:end]]
    total = sum(chars) or 1
    in_marks = sum(1 for c, q in zip(chars, marks, strict=True) if c and q)
    in_speech = sum(1 for c, q, t in zip(chars, marks, speech, strict=True) if c and (q or t))
    return Voice(in_marks / total, in_speech / total)


def _opens_quote(text: str, start: int) -> bool:
    """True when an opening quotation mark stands right before `start` (spaces aside)."""
    i = start - 1
    while i >= 0 and start - i <= 3 and text[i].isspace():
        i -= 1
    if i < 0 or start - i > 3:
        return False
    if text[i] in _CURLY_OPENING:
        return True
    return text[i] == '"' and (i == 0 or text[i - 1].isspace() or text[i - 1] in ":([")


def quoted_share(text: str, start: int, end: int) -> float:
    """Share of the non-space characters of text[start:end] that are quoted or attributed."""
    return voice(text, start, end).speech


def _mark(covered: bytearray, a: int, b: int) -> None:
    a, b = max(0, a), min(len(covered), b)
    if a < b:
        covered[a:b] = b"\x01" * (b - a)


def is_wrapper(passage: str) -> bool:
    """True when most of the passage's characters are on lines the classifier calls wrapper."""
    lines = [ln for ln in passage.splitlines() if ln.strip()]
    total = sum(len(ln) for ln in lines)
    if not total:
        return False
    wrapper = sum(len(ln) for ln in lines if classify(ln).kind is not None)
    return wrapper / total >= 0.5
