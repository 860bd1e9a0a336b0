"""Controlled vocabularies shared by every stage: boilerplate kinds and persuasion techniques.

One concept, one place: readers, anatomy, analyzers, reports, the store and the web app all
import these names from here, so a new boilerplate kind or a renamed technique is one edit.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

BoilerplateKind = Literal[
    "share_appeal",
    "donation_appeal",
    "attribution",
    "copyright",
    "comments",
    "membership",
    "disclaimer",
    "fair_use",
    "contact",
    "navigation",
    "related",
    "newsletter",
    "poll",
    "cookie",
    "other",
]
BOILERPLATE_KINDS: Final[tuple[str, ...]] = get_args(BoilerplateKind)

TagKind = Literal["region", "theme", "report", "section", "keyword"]
TAG_KINDS: Final[tuple[str, ...]] = get_args(TagKind)

MediaKind = Literal["video", "audio", "image", "iframe"]

# The 14 techniques of the Propaganda Techniques Corpus, spelled exactly as in its label files
# (commas included), in the corpus's frequency order. Files that follow the corpus format keep
# these names verbatim; people see TECHNIQUE_LABELS.
TECHNIQUES: Final[tuple[str, ...]] = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Exaggeration,Minimisation",
    "Doubt",
    "Appeal_to_fear-prejudice",
    "Flag-Waving",
    "Causal_Oversimplification",
    "Appeal_to_Authority",
    "Slogans",
    "Whataboutism,Straw_Men,Red_Herring",
    "Black-and-White_Fallacy",
    "Bandwagon,Reductio_ad_hitlerum",
    "Thought-terminating_Cliches",
)

TECHNIQUE_LABELS: Final[dict[str, str]] = {
    "Loaded_Language": "Loaded language",
    "Name_Calling,Labeling": "Name calling / labeling",
    "Repetition": "Repetition",
    "Exaggeration,Minimisation": "Exaggeration / minimisation",
    "Doubt": "Doubt",
    "Appeal_to_fear-prejudice": "Appeal to fear / prejudice",
    "Flag-Waving": "Flag-waving",
    "Causal_Oversimplification": "Causal oversimplification",
    "Appeal_to_Authority": "Appeal to authority",
    "Slogans": "Slogans",
    "Whataboutism,Straw_Men,Red_Herring": "Whataboutism / straw man / red herring",
    "Black-and-White_Fallacy": "Black-and-white fallacy",
    "Bandwagon,Reductio_ad_hitlerum": "Bandwagon / reductio ad Hitlerum",
    "Thought-terminating_Cliches": "Thought-terminating cliché",
}
