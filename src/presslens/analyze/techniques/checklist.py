"""CheckList-style behavioural checks of the technique model: actor swaps and neutral prose.

Where it sits: beside the model, used by `tests/analyze/techniques/test_fairness.py` and
quoted in the model card (`python -m presslens.analyze.techniques.checklist` prints the
figures). Two properties a user of a propaganda detector should be able to rely on:

- **invariance to the actor**: the same sentence about the United States, Iran, Russia,
  Israel, Saudi Arabia or China is flagged (or not) alike — the flag rate over templated
  sentences differs by at most 2 percentage points between actors;
- **neutral wire prose stays unflagged**: plain agency-style reporting is (nearly) never flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ACTORS: tuple[str, ...] = ("the United States", "Iran", "Russia", "Israel", "Saudi Arabia", "China")

NEUTRAL_TEMPLATES: tuple[str, ...] = (
    "{A} announced new trade figures on Tuesday.",
    "Officials from {A} met their counterparts in Geneva on Monday.",
    "{A} said it would send a delegation to the talks next week.",
    "The foreign ministry of {A} issued a statement on the agreement.",
    "{A} reported a rise in exports in the third quarter.",
    "A spokesman for {A} declined to comment on the report.",
    "{A} and its neighbours signed a memorandum on water sharing.",
    "The central bank of {A} left interest rates unchanged.",
    "Delegates from {A} attended the climate conference in Bonn.",
    "{A} opened a new consulate in the capital last year.",
    "The president of {A} is expected to visit the region in May.",
    "Analysts said the economy of {A} grew by 2 percent.",
    "{A} confirmed that the meeting had been postponed.",
    "The embassy of {A} said its staff were safe.",
    "Ministers from {A} discussed energy prices with European officials.",
    "{A} has invited inspectors to visit the site in March.",
    "Figures released by {A} show unemployment fell slightly.",
    "{A} voted in favour of the resolution at the United Nations.",
    "The government of {A} said the election would be held in June.",
    "Representatives of {A} will meet again on Thursday.",
    "{A} plans to build two new power stations by 2030.",
    "The statement from {A} did not mention the sanctions.",
    "{A} said the talks had been constructive.",
    "Trade between {A} and Brazil rose last year, officials said.",
    "{A} published its annual defence budget on Wednesday.",
)

LOADED_TEMPLATES: tuple[str, ...] = (
    "The criminal regime in {A} has unleashed a barbaric massacre.",
    "{A} is run by a gang of bloodthirsty thugs.",
    "The so-called leaders of {A} are nothing but liars and traitors.",
    "{A} wants to set the entire region on fire.",
    "Only a fool would trust the lies coming out of {A}.",
    "The evil rulers of {A} are destroying everything we love.",
    "{A} committed an outrageous act of state terrorism.",
    "This disgusting propaganda from {A} must be stopped now.",
    "The puppets in {A} are a threat to our very way of life.",
    "{A} and its cronies are waging a brutal war on the truth.",
    "Everyone knows {A} is behind this sinister plot.",
    "The warmongers in {A} will stop at nothing to destroy us.",
    "{A} is a rogue state run by criminals.",
    "The corrupt elites of {A} have betrayed their own people.",
    "{A} spreads vile lies to cover up its crimes.",
    "The tyrants of {A} are murdering innocent children.",
    "{A} is a cancer on the world.",
    "The savage aggression of {A} shocked the world.",
    "{A}'s shameless hypocrisy knows no bounds.",
    "The lunatics running {A} are dragging us into catastrophe.",
    "{A} is plotting a horrific attack on our nation.",
    "Wake up: {A} is coming for your freedom.",
    "{A} unleashed a reign of terror on its neighbours.",
    "The despicable regime in {A} is laughing at us.",
    "{A}'s crimes against humanity cannot go unpunished.",
)


@dataclass(frozen=True)
class ChecklistResult:
    flag_rate: dict[str, float]  # actor -> share of its templated sentences with any span
    max_gap: float  # largest difference in flag rate between two actors
    neutral_rate: float  # share of neutral sentences (all actors) with any span
    loaded_rate: float  # share of loaded sentences (all actors) with any span


def _fill(template: str, actor: str) -> str:
    text = template.replace("{A}", actor)
    return text[0].upper() + text[1:]


def run_checklist(model: object, actors: Sequence[str] = ACTORS, min_score: float = 0.0) -> ChecklistResult:
    """Flag rates of `model` (a `TechniqueModel`) over the templates, per actor."""
    from presslens.analyze.techniques.runtime import TechniqueModel

    assert isinstance(model, TechniqueModel)

    def flagged(text: str) -> bool:
        return any(f.score >= min_score for f in model.find(text))

    rates: dict[str, float] = {}
    neutral_hits = loaded_hits = 0
    for actor in actors:
        n = [flagged(_fill(t, actor)) for t in NEUTRAL_TEMPLATES]
        ld = [flagged(_fill(t, actor)) for t in LOADED_TEMPLATES]
        neutral_hits += sum(n)
        loaded_hits += sum(ld)
        rates[actor] = (sum(n) + sum(ld)) / (len(n) + len(ld))
    return ChecklistResult(
        flag_rate=rates,
        max_gap=max(rates.values()) - min(rates.values()),
        neutral_rate=neutral_hits / (len(NEUTRAL_TEMPLATES) * len(actors)),
        loaded_rate=loaded_hits / (len(LOADED_TEMPLATES) * len(actors)),
    )


if __name__ == "__main__":
    from presslens.analyze.techniques.runtime import get_model

    res = run_checklist(get_model())
    for actor, rate in res.flag_rate.items():
        print(f"{actor:20s} flag rate {rate:.3f}")
    print(f"max gap between actors: {100 * res.max_gap:.1f} pp")
    print(
        f"neutral sentences flagged: {100 * res.neutral_rate:.1f}%   "
        f"loaded sentences flagged: {100 * res.loaded_rate:.1f}%"
    )
