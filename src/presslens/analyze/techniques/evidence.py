"""Evidence strings: the cue a reader can check for each technique span.

Where it sits: the `techniques` stage calls `evidence_for` on every span the tagger found. The
string names *what in the text* triggered the flag — the loaded words (the tokens the tagger
weighted most), the repeated phrase and how often it recurs, the authority named, the doubt or
fear cue — so a person can agree or disagree with the span without trusting the score.

>>> text = "Experts agree. As Dr. Jane Roe of Harvard said, it is safe."
>>> evidence_for(text, 15, 58, "Appeal_to_Authority")
'authority named: “Jane Roe of Harvard”'
"""

from __future__ import annotations

import re

import numpy as np

from presslens.analyze.techniques.cues import CUES
from presslens.analyze.techniques.span_inputs import repetition_count

_NAME = re.compile(
    r"(?:(?:Dr|Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Gov|Pres)\.\s+)?[A-Z][\w'’-]+(?:\s+(?:of\s+the\s+|of\s+|al-|bin\s+)?[A-Z][\w'’-]+)+"
)
_WORD = re.compile(r"\w[\w'’-]*")
_STARTERS = frozenset(
    {"The", "A", "An", "As", "But", "And", "In", "On", "It", "This", "That", "He", "She", "They", "We"}
)


def _quote(s: str, limit: int = 60) -> str:
    s = " ".join(s.split())
    return "“" + (s if len(s) <= limit else s[: limit - 1] + "…") + "”"


def _cue_hits(technique: str, frag: str) -> list[str]:
    cues = CUES.get(technique, ())
    low = frag.lower()
    hits = [c for c in cues if re.search(r"(?<!\w)" + re.escape(c) + r"(?!\w)", low)]
    return sorted(hits, key=len, reverse=True)[:3]


def _authority(frag: str) -> str | None:
    for m in _NAME.finditer(frag):
        words = m.group().split()
        while words and words[0] in _STARTERS:
            words = words[1:]
        if len(words) >= 2 or (words and "." in words[0]):
            return " ".join(words)
    return None


def top_words(
    text: str,
    start: int,
    end: int,
    offsets: np.ndarray | None,
    weights: np.ndarray | None,
    k: int = 3,
    actors: np.ndarray | None = None,
) -> list[str]:
    """The k distinct words of text[start:end] with the highest tagger weight (or the longest
    words); stop words ("of", "the") are never named as evidence unless the span has nothing
    else. `actors` marks the pieces that stand for a masked actor (`actors.mask_tokens`): the
    networks never saw those words, so they are never named.

    >>> top_words("avenge, they said, avenge the blood", 0, 35, None, None)
    ['avenge', 'said', 'blood']
    """
    from presslens.analyze.techniques.decode import stop_word_test

    only_stop = stop_word_test()
    words = [(m.start() + start, m.end() + start, m.group()) for m in _WORD.finditer(text[start:end])]
    if offsets is not None and actors is not None and actors.any():
        masked = offsets[actors]
        words = [w for w in words if not ((masked[:, 0] < w[1]) & (masked[:, 1] > w[0])).any()]
    content = [w for w in words if not only_stop(w[2])]
    words = content or words
    if not words:
        return []
    if offsets is None or weights is None or len(offsets) == 0:
        ranked = sorted(words, key=lambda w: -len(w[2]))
    else:

        def score(w: tuple[int, int, str]) -> float:
            hit = (offsets[:, 0] < w[1]) & (offsets[:, 1] > w[0])
            return float(weights[hit].max()) if hit.any() else 0.0

        ranked = sorted(words, key=lambda w: -score(w))
    # each word named once: "avenge … avenge" is one cue, and a repeat would crowd out another
    distinct: dict[str, tuple[int, int, str]] = {}
    for w in ranked:
        distinct.setdefault(w[2].lower(), w)
    keep = sorted(list(distinct.values())[:k], key=lambda w: w[0])
    return [w[2] for w in keep]


def evidence_for(
    text: str,
    start: int,
    end: int,
    technique: str,
    offsets: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    actors: np.ndarray | None = None,
) -> str:
    """A short, human-checkable reason for flagging text[start:end] as `technique`.

    `offsets`/`weights`: the article's token offsets and the tagger's probability for this
    technique per token, used to name the words that weighed most; `actors`: which of those
    tokens stand for a masked actor (never named, see `top_words`).
    """
    frag = text[start:end]
    if technique == "Repetition":
        n = repetition_count(text, start, end)
        if n >= 2:
            return f"repeated phrase: {_quote(frag)} ({n}× in the text)"
        return f"echoes earlier wording: {_quote(frag)}"
    if technique == "Appeal_to_Authority":
        who = _authority(frag)
        if who:
            return f"authority named: {_quote(who)}"
    cues = _cue_hits(technique, frag)
    words = top_words(text, start, end, offsets, weights, actors=actors)
    label = {
        "Loaded_Language": "loaded words",
        "Name_Calling,Labeling": "label applied",
        "Doubt": "doubt cue",
        "Appeal_to_fear-prejudice": "fear cue",
        "Flag-Waving": "national/group appeal",
        "Exaggeration,Minimisation": "overstatement",
        "Causal_Oversimplification": "causal cue",
        "Black-and-White_Fallacy": "either/or cue",
        "Whataboutism,Straw_Men,Red_Herring": "deflection cue",
        "Bandwagon,Reductio_ad_hitlerum": "crowd/guilt-by-association cue",
        "Thought-terminating_Cliches": "cliché",
        "Slogans": "slogan",
        "Appeal_to_Authority": "authority cue",
    }.get(technique, "cue")
    if technique in ("Slogans", "Thought-terminating_Cliches") and len(frag) <= 80:
        return f"{label}: {_quote(frag)}"
    shown = cues or words
    if not shown:
        return f"{label}: {_quote(frag)}"
    return f"{label}: " + ", ".join(_quote(w, 40) for w in shown)
