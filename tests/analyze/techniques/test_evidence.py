"""Evidence strings: what they name must be something the networks read."""

from __future__ import annotations

import numpy as np

from presslens.analyze.techniques.evidence import top_words
from presslens.analyze.techniques.runtime import TechniqueModel

TEXT = '"Those who want to avenge the blood of Hussein," read the banner.'


def test_a_masked_actor_is_never_named_as_evidence() -> None:
    words = ["Those", "who", "want", "to", "avenge", "the", "blood", "of", "Hussein"]
    offsets = np.array([(TEXT.index(w), TEXT.index(w) + len(w)) for w in words])
    weights = np.array([0.1, 0.1, 0.2, 0.1, 0.9, 0.1, 0.8, 0.1, 0.95])
    actors = np.array([w == "Hussein" for w in words])
    end = TEXT.index(",")
    assert top_words(TEXT, 0, end, offsets, weights) == ["avenge", "blood", "Hussein"]
    assert top_words(TEXT, 0, end, offsets, weights, actors=actors) == ["want", "avenge", "blood"]


def test_the_shipped_model_names_no_masked_actor(technique_model: TechniqueModel) -> None:
    text = TEXT + " Iran and the United States traded threats as Soleimani's killers were cursed."
    findings = technique_model.find(text)
    assert findings, "a call to avenge blood should be flagged"
    for f in findings:
        for actor in ("Hussein", "Iran", "United States", "Soleimani"):
            assert actor not in f.evidence, f
