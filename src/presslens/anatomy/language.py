"""Language of a text with the offline `py3langid` detector (ISO 639-1 codes).

Later stages need to know what they can analyse (the technique model and spaCy pipeline are
English), and crawls are multilingual. The model ships inside the package: no download.
Markup residue and URLs are removed first so that link-heavy text is not called English.

>>> detect_language("Le gouvernement a annoncé mardi une nouvelle réforme des retraites.")
'fr'
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_NOISE = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w.-]+|[\[\]()*_#>`|]")
MIN_LETTERS = 20
SAMPLE_CHARS = 1000  # plenty for a confident call on article prose; the detector is linear


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The language code of `text`, or None when the text is too short or too unsure."""
    sample = _NOISE.sub(" ", text[:SAMPLE_CHARS])
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= 0.5 else None
