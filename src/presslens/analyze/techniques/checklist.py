"""CheckList-style behavioural checks of the technique model: actor swaps and neutral prose.

Where it sits: beside the model, used by `tests/analyze/techniques/test_fairness.py` and
quoted in the model card (`python -m presslens.analyze.techniques.checklist` prints the
figures). Two properties a user of a propaganda detector should be able to rely on:

- **invariance to the actor**: the same sentence about the United States, Russia, China, Iran,
  Israel, Ukraine, Saudi Arabia, the European Union, NATO or the Palestinians is flagged (or not)
  alike — the flag rate over templated sentences differs by at most 2 percentage points between
  actors;
- **neutral wire prose stays unflagged**: plain agency-style sentences and a 1,600-word sample
  of wire copy (`neutral_text.py`) are (nearly) never flagged, while loaded sentences are.

A sentence is "flagged" when the model returns any span scoring at least `min_score`.

>>> res = run_checklist(get_model())                   # doctest: +SKIP
>>> res.max_gap, res.spans_per_1000_words_neutral      # doctest: +SKIP
(0.0167, 0.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from presslens.analyze.techniques.neutral_text import NEUTRAL_WIRE_TEXT, paragraphs

if TYPE_CHECKING:
    from presslens.analyze.techniques.runtime import Finding

ACTORS: tuple[str, ...] = (
    "the United States",
    "Russia",
    "China",
    "Iran",
    "Israel",
    "Ukraine",
    "Saudi Arabia",
    "the European Union",
    "NATO",
    "the Palestinians",
)

# Templates avoid verb agreement with the actor (past tense, modals) so that the plural
# "the Palestinians" reads as well as "NATO"; "{A}'s" becomes "X'" after a final s (`_fill`).
NEUTRAL_TEMPLATES: tuple[str, ...] = (
    "{A} announced the new measures on Tuesday.",
    "Officials from {A} met their counterparts in Geneva on Monday.",
    "A spokesperson for {A} declined to comment on the report.",
    "Delegates from {A} attended the climate conference in Bonn.",
    "Representatives of {A} will meet again on Thursday, a diplomat said.",
    "{A} voted in favour of the resolution at the United Nations.",
    "{A} said the talks had been constructive.",
    "{A} confirmed that the meeting had been postponed until next month.",
    "The statement from {A} did not mention the sanctions.",
    "{A} welcomed the agreement in a short statement on Friday.",
    "{A} sent a delegation to the donor conference in Brussels.",
    "Negotiators from {A} returned home after two days of talks.",
    "{A} said on Wednesday that the inspection would take place in March.",
    "{A}'s envoy presented a proposal at the meeting in Vienna.",
    "{A}'s delegation arrived in Oslo on Sunday evening.",
    "Talks between {A} and Brazil ended on Thursday without a joint statement.",
    "{A} signed a memorandum on water research with Norway.",
    "The proposal was submitted by {A} on Monday, according to the conference website.",
    "{A} pledged 20 million dollars to the relief fund, the agency said.",
    "{A} did not respond to a request for comment.",
    "Reporters asked {A} about the timetable for the negotiations.",
    "{A} will host the next round of talks in September.",
    "The minutes of the meeting were published by {A} on Friday.",
    "{A} expressed support for the proposal to extend the deadline.",
    "A delegation from {A} visited the port of Rotterdam on Tuesday.",
    "{A} nominated a candidate for the post of deputy secretary-general.",
    "{A} asked for the vote to be delayed by one week.",
    "Observers from {A} monitored the election in Moldova.",
    "{A} released the figures at a press briefing on Thursday.",
    "The agreement was also signed by {A}, officials said.",
)

LOADED_TEMPLATES: tuple[str, ...] = (
    "{A} unleashed a barbaric massacre on innocent families.",
    "The bloodthirsty thugs who run {A} must be stopped.",
    "The so-called leaders of {A} are nothing but liars and traitors.",
    "{A} would set the entire region on fire if given the chance.",
    "Only a fool would trust the lies coming out of {A}.",
    "The evil rulers of {A} are destroying everything we love.",
    "{A} committed an outrageous act of terrorism.",
    "This disgusting propaganda from {A} must be stopped now.",
    "The puppets controlled by {A} threaten our very way of life.",
    "{A}'s cronies are waging a brutal war on the truth.",
    "Everyone knows {A} stood behind this sinister plot.",
    "The warmongers of {A} will stop at nothing to destroy us.",
    "{A}'s corrupt elites betrayed their own people.",
    "{A} spread vile lies to cover up monstrous crimes.",
    "{A}'s tyrants murdered innocent children in cold blood.",
    "{A}'s savage aggression shocked the civilised world.",
    "{A}'s shameless hypocrisy knows no bounds.",
    "The lunatics in charge of {A} will drag us all into catastrophe.",
    "{A} plotted a horrific attack on our nation.",
    "Wake up, people: {A} will come for your freedom next!",
    "{A} unleashed a reign of terror on peaceful neighbours.",
    "The despicable cowards of {A} laughed in our faces.",
    "{A}'s crimes against humanity cannot go unpunished.",
    "{A} will never stop lying, and every decent person knows it.",
    "{A} proved once again to be a gang of shameless bullies.",
    "The criminals in {A}'s leadership must face justice.",
    "{A}'s fanatics would happily burn the world to the ground.",
    "Either we stand up to {A} now, or we lose everything.",
    "{A} poisoned the minds of millions with hateful lies.",
    "Do not be fooled by {A}'s sickening crocodile tears.",
)


class SpanFinder(Protocol):
    """Anything that finds technique spans in a text: `TechniqueModel`, a baseline, a test fake."""

    def find(self, text: str) -> list[Finding]: ...


@dataclass(frozen=True)
class ChecklistResult:
    flag_rate: dict[str, float]  # actor -> share of all its templated sentences with any span
    neutral_flag_rate: dict[str, float]  # actor -> the same over the neutral templates only
    loaded_flag_rate: dict[str, float]  # actor -> the same over the loaded templates only
    max_gap: float  # largest difference in flag_rate between two actors
    neutral_rate: float  # share of neutral sentences (all actors) with any span
    loaded_rate: float  # share of loaded sentences (all actors) with any span
    spans_per_1000_words_neutral: float  # spans found in the neutral wire sample, per 1,000 words
    neutral_prose_spans: int
    neutral_prose_words: int
    split_templates: tuple[str, ...]  # templates flagged for some actors and not for others


def _fill(template: str, actor: str) -> str:
    possessive = actor + ("'" if actor.endswith("s") else "'s")
    text = template.replace("{A}'s", possessive).replace("{A}", actor)
    return text[0].upper() + text[1:]


def _flags(model: SpanFinder, templates: Sequence[str], actor: str, min_score: float) -> list[bool]:
    return [any(f.score >= min_score for f in model.find(_fill(t, actor))) for t in templates]


def _rate(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def run_checklist(
    model: SpanFinder, actors: Sequence[str] = ACTORS, min_score: float = 0.0
) -> ChecklistResult:
    """Flag rates of `model` over the templates, per actor, and its false spans on neutral prose."""
    neutral = {a: _flags(model, NEUTRAL_TEMPLATES, a, min_score) for a in actors}
    loaded = {a: _flags(model, LOADED_TEMPLATES, a, min_score) for a in actors}
    rates = {a: _rate(neutral[a] + loaded[a]) for a in actors}
    templates = NEUTRAL_TEMPLATES + LOADED_TEMPLATES
    per_template = zip(*(neutral[a] + loaded[a] for a in actors), strict=True)
    split = tuple(t for t, flags in zip(templates, per_template, strict=True) if len(set(flags)) > 1)

    paras = paragraphs(NEUTRAL_WIRE_TEXT)
    prose_spans = sum(sum(f.score >= min_score for f in model.find(p)) for p in paras)
    prose_words = sum(len(p.split()) for p in paras)
    return ChecklistResult(
        flag_rate=rates,
        neutral_flag_rate={a: _rate(neutral[a]) for a in actors},
        loaded_flag_rate={a: _rate(loaded[a]) for a in actors},
        max_gap=max(rates.values()) - min(rates.values()),
        neutral_rate=_rate([f for a in actors for f in neutral[a]]),
        loaded_rate=_rate([f for a in actors for f in loaded[a]]),
        spans_per_1000_words_neutral=1000 * prose_spans / prose_words,
        neutral_prose_spans=prose_spans,
        neutral_prose_words=prose_words,
        split_templates=split,
    )


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    from presslens.analyze.techniques.runtime import get_model

    res = run_checklist(get_model())
    console = Console()
    per_actor = Table(title="Flag rate per actor")
    for col in ("actor", "neutral", "loaded", "all"):
        per_actor.add_column(col, justify="left" if col == "actor" else "right")
    for actor, rate in res.flag_rate.items():
        per_actor.add_row(
            actor, f"{res.neutral_flag_rate[actor]:.3f}", f"{res.loaded_flag_rate[actor]:.3f}", f"{rate:.3f}"
        )
    console.print(per_actor)

    summary = Table(title="Behavioural checks")
    summary.add_column("figure")
    summary.add_column("value", justify="right")
    summary.add_row("actors", str(len(res.flag_rate)))
    summary.add_row("templates (neutral + loaded)", f"{len(NEUTRAL_TEMPLATES)} + {len(LOADED_TEMPLATES)}")
    summary.add_row("largest gap between actors", f"{100 * res.max_gap:.1f} pp")
    summary.add_row("neutral sentences flagged", f"{100 * res.neutral_rate:.1f} %")
    summary.add_row("loaded sentences flagged", f"{100 * res.loaded_rate:.1f} %")
    summary.add_row(
        "neutral wire prose: spans per 1,000 words",
        f"{res.spans_per_1000_words_neutral:.2f} ({res.neutral_prose_spans} in {res.neutral_prose_words})",
    )
    console.print(summary)
    for t in res.split_templates:
        console.print(f"flagged for some actors only: {t}", markup=False)


if __name__ == "__main__":
    main()
