"""Quote marks as the languages presslens reads write them: which mark opens, which closes.

Data flow: language data, no stage. `quoted_spans` (below) pairs marks with these tables
(the quotes stage reads its spans as quotations, the entities stage so that a name inside a
quotation is no antecedent for "he" outside it), and `analyze.quotes` skips them between a
quotation and its cue. A pair added to `PAIRS_BY_LANGUAGE` is recognised everywhere.

>>> CURLY_PAIRS
(('“', '”'), ('‘', '’'), ('„', '“'), ('«', '»'))
>>> CLOSE_ONLY
'”’»'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

# Typewriter marks: the same character opens and closes, in every language.
STRAIGHT_DOUBLE: Final = '"'
STRAIGHT_SINGLE: Final = "'"

# Curly marks, (opening, closing) per language: English “…” and ‘…’, German „…“, French «…».
PAIRS_BY_LANGUAGE: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "en": (("“", "”"), ("‘", "’")),
    "de": (("„", "“"),),
    "fr": (("«", "»"),),
}
CURLY_PAIRS: Final = tuple(pair for pairs in PAIRS_BY_LANGUAGE.values() for pair in pairs)

# Double marks may run over paragraph breaks, so they are paired apart from the single-line
# pairs. “ and „ always open: German's closing “ is also English's opening one, and English is
# the language the text stages read. ” always closes.
DOUBLE_OPEN: Final = "“„"
DOUBLE_CLOSE: Final = "”"
# The English single pair; its closing mark is also the typographic apostrophe ("don’t").
SINGLE_OPEN, SINGLE_CLOSE = PAIRS_BY_LANGUAGE["en"][1]

# Marks that can only end a quotation (the closing marks that open no other pair).
CLOSE_ONLY: Final = "".join(
    close for _, close in CURLY_PAIRS if all(close != opening for opening, _ in CURLY_PAIRS)
)

# Every quote mark, for stripping a name or a title of the marks around it.
ALL_MARKS: Final = STRAIGHT_DOUBLE + STRAIGHT_SINGLE + "".join(dict.fromkeys(a + b for a, b in CURLY_PAIRS))
# The closing mark of each opening one, straight marks included (“ closes ”, „ closes “).
CLOSING_MARK: Final[dict[str, str]] = {
    STRAIGHT_DOUBLE: STRAIGHT_DOUBLE,
    STRAIGHT_SINGLE: STRAIGHT_SINGLE,
    **dict(CURLY_PAIRS),
}


def _inflections(stems: str) -> frozenset[str]:
    """Each verb with its -s, -ed and -ing forms ("caution" → cautions, cautioned, cautioning);
    an irregular past is listed as a word of its own."""
    out: set[str] = set()
    for verb in stems.split():
        out.add(verb)
        if verb.endswith("e"):
            out.update({verb + "s", verb + "d", verb[:-1] + "ing"})
        elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
            out.update({verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"})
        else:
            ending = "es" if verb.endswith(("sh", "ch", "s", "x")) else "s"
            out.update({verb + ending, verb + "ed", verb + "ing"})
    return frozenset(out)


# Speech verbs that attribute a quotation ("“…,” Fauci cautioned") beyond the core list the
# parse stages share (`analyze.nlp.CUE_WORDS`): the many ways news English says "said". They
# attribute quoted words only; a clause after them without quote marks is not taken as speech.
MORE_SPEECH_VERBS: Final[frozenset[str]] = _inflections(
    """caution concede complain post lament observe shout opine boast joke exclaim remark mutter
    whisper scream yell retort counter interject reiterate contend maintain recount confess
    reveal disclose demand plead chant proclaim wonder muse marvel grumble gush sigh laugh
    elaborate clarify crow fume blast slam quip tease mock scoff sneer recommend advise shriek
    bark cry point"""  # "pointed out"
) | frozenset({"brag", "brags", "bragged", "snap", "snaps", "snapped", "sob", "sobs", "sobbed"})


# Verbs that judge someone or something "as" a quoted word ("defended Farrakhan as an “outstanding
# human being”", "denounced Jews as “satanic”"): the quote is the subject's word for it.
JUDGING_VERBS: Final[frozenset[str]] = _inflections(
    """praise hail laud denounce defend condemn criticize criticise characterize characterise
    portray depict dismiss deride tout decry celebrate applaud attack disparage ridicule paint
    cast describe refer label brand"""
)


# Words a title leaves in lower case ("List of Grenade Attacks in Sweden").
TITLE_SMALL_WORDS: Final = frozenset(
    {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "about", "from", "de"}
)


def title_cased(inner: str) -> bool:
    """Whether quoted words have a title's form: three to ten words, every one but the small
    words capitalised ("Fox & Friends" counts its "&"). Two capitalised words are as often a
    term as a work ("the “Maunder Minimum”"); a question or an exclamation is speech.

    >>> title_cased("Profession of Immutable Truths about Sacramental Marriage,")
    True
    >>> title_cased("Maunder Minimum"), title_cased("sonic attack")
    (False, False)
    """
    core = inner.strip().rstrip(".,;:")
    if not core or core[-1] in "!?" or core[0] in "[…(":
        return False
    words = re.findall(r"[\w’'\-]+|&", core)
    if len(words) < 3 or len(words) > 10:
        return False
    content = [w for w in words if w.lower() not in TITLE_SMALL_WORDS and w != "&"]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


# ---------------------------------------------------------------- quoted spans (shared by the
# quotes stage, by entities so that a name inside a quote is no antecedent for "he" outside it,
# and by corpus linking, which must not load spaCy: this is pure text)

_DOUBLE_MARK = re.compile(f"[{STRAIGHT_DOUBLE}{DOUBLE_OPEN}{DOUBLE_CLOSE}]")


@dataclass(frozen=True)
class QuotedSpan:
    start: int  # inner start (after the opening mark)
    end: int  # inner end (before the closing mark)


def quoted_spans(text: str, start: int, end: int) -> list[QuotedSpan]:
    """Quoted stretches inside [start, end): the words between an opening and closing mark.

    Double quotes (straight or curly, even mixed) may run over up to three line breaks: a quote
    that goes on in the next paragraph is common in news. Single quotes stay within a line.
    """
    spans = _double_quoted(text, start, end)
    for para in re.finditer(r"[^\n]+", text[start:end]):
        ps = start + para.start()
        line = para.group()
        for open_, close in CURLY_PAIRS:
            if open_ in DOUBLE_OPEN:
                continue
            pos = 0
            while True:
                a = line.find(open_, pos)
                if a < 0:
                    break
                if open_ == SINGLE_OPEN and a > 0 and line[a - 1].isalnum():
                    pos = a + 1
                    continue
                b = _closing(line, a + 1, close)
                if b < 0:
                    break
                spans.append(QuotedSpan(ps + a + 1, ps + b))
                pos = b + 1
        # Straight single quotes as quote marks ('Marshal of Victory'), not apostrophes; a dash
        # may stand right after the closing mark ("AL 'magisterial'--an interpretation").
        for m in re.finditer(
            r"(?:(?<=^)|(?<=[\s(\[—–]))'(?=\S)([^'\n]{1,200}?)(?<=\S)'(?=[\s,.;:!?)\]—–]|--|$)", line
        ):
            spans.append(QuotedSpan(ps + m.start(1), ps + m.end(1)))
    spans = [s for s in spans if text[s.start : s.end].strip()]
    spans.sort(key=lambda s: (s.start, -s.end))
    out: list[QuotedSpan] = []
    for s in spans:
        if out and s.start < out[-1].end:
            continue  # nested quote inside a longer one: the outer one is the quote
        out.append(s)
    return out


def _double_quoted(text: str, start: int, end: int) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    open_at: int | None = None
    resumed: list[int] = []  # opening marks of the paragraphs the open quote went on into
    for m in _DOUBLE_MARK.finditer(text[start:end]):
        pos = start + m.start()
        mark = m.group()
        before = text[pos - 1] if pos > start else " "
        after = text[pos + 1] if pos + 1 < end else " "
        if mark in DOUBLE_OPEN:
            is_open = True
        elif mark == DOUBLE_CLOSE:
            is_open = False
        elif before.isspace() or before in "([{—–-:":
            is_open = not after.isspace()
        else:
            is_open = open_at is None and after.isalnum()  # 'said:"We' — glued opening mark
        if is_open:
            line_start = text.rfind("\n", start, pos) + 1
            starts_paragraph = not text[max(line_start, start) : pos].strip()
            # A new paragraph opening while a quote is open continues it; elsewhere the older
            # opening mark was a stray one.
            if open_at is None or not starts_paragraph:
                open_at, resumed = pos, []
            else:
                resumed.append(pos)
            continue
        if open_at is None:
            continue
        if text.count("\n", open_at, pos) <= 3:
            spans.append(QuotedSpan(open_at + 1, pos))
        else:
            # Too long for one quote (PTC writes a sentence a line): each paragraph's part that
            # is short enough is one, ending where the next paragraph's mark opens.
            for a, b in pairwise([open_at, *resumed, pos]):
                if text.count("\n", a, b) <= 3:
                    spans.append(QuotedSpan(a + 1, a + 1 + len(text[a + 1 : b].rstrip())))
        open_at, resumed = None, []
    return spans


def _closing(line: str, pos: int, close: str) -> int:
    """Index of the closing mark; for ’ skip apostrophes inside words (“don’t”)."""
    while True:
        b = line.find(close, pos)
        if b < 0 or close != SINGLE_CLOSE:
            return b
        after = line[b + 1 : b + 2]
        if after and after.isalpha() and line[b - 1 : b].isalpha():
            pos = b + 1
            continue
        return b
