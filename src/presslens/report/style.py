"""How techniques and boilerplate kinds look, for every renderer (terminal, HTML, web).

Colour is never the only cue: each technique also has a short tag and an underline style, so
spans stay distinguishable for colour-blind readers and in monochrome terminals.
"""

from __future__ import annotations

from typing import Final

from presslens.vocab import TECHNIQUE_LABELS, TECHNIQUES

# Okabe-Ito based, extended; chosen for contrast on white with dark text.
_PALETTE: Final[tuple[str, ...]] = (
    "#f4a259",  # orange
    "#8ecae6",  # sky blue
    "#90be6d",  # green
    "#f9c74f",  # yellow
    "#c77dff",  # purple
    "#f28482",  # red-pink
    "#4cc9f0",  # cyan
    "#e9c46a",  # sand
    "#a3b18a",  # sage
    "#ffafcc",  # pink
    "#bde0fe",  # pale blue
    "#d4a373",  # brown
    "#b5e48c",  # lime
    "#cdb4db",  # lavender
)
_UNDERLINES: Final[tuple[str, ...]] = ("solid", "dashed", "dotted", "double", "wavy")

TECHNIQUE_COLOURS: Final[dict[str, str]] = dict(zip(TECHNIQUES, _PALETTE, strict=True))
TECHNIQUE_UNDERLINES: Final[dict[str, str]] = {
    t: _UNDERLINES[i % len(_UNDERLINES)] for i, t in enumerate(TECHNIQUES)
}
# Two-to-four letter tags printed after each span ("LL", "NC", ...).
TECHNIQUE_TAGS: Final[dict[str, str]] = {
    "Loaded_Language": "LL",
    "Name_Calling,Labeling": "NC",
    "Repetition": "REP",
    "Exaggeration,Minimisation": "EXM",
    "Doubt": "DBT",
    "Appeal_to_fear-prejudice": "FEAR",
    "Flag-Waving": "FLAG",
    "Causal_Oversimplification": "CO",
    "Appeal_to_Authority": "AUTH",
    "Slogans": "SLO",
    "Whataboutism,Straw_Men,Red_Herring": "WSR",
    "Black-and-White_Fallacy": "BW",
    "Bandwagon,Reductio_ad_hitlerum": "BAND",
    "Thought-terminating_Cliches": "TTC",
}


def technique_label(name: str) -> str:
    return TECHNIQUE_LABELS.get(name, name.replace("_", " "))


def technique_css_class(name: str) -> str:
    return "t-" + TECHNIQUE_TAGS.get(name, "X").lower()
