"""Language of a text with the offline `py3langid` detector (ISO 639-1 codes).

Later stages need to know what they can analyse (the technique model and spaCy pipeline are
English), and crawls are multilingual. The model ships inside the package: no download.
Markup residue and URLs are removed first so that link-heavy text is not called English.

>>> detect_language("Le gouvernement a annoncé mardi une nouvelle réforme des retraites.")
'fr'
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

_NOISE = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w.-]+|[\[\]()*_#>`|]")
# The same without the e-mail alternative, for text with no "@" (where it can never match, and
# trying it at every letter of every word is most of the scan).
_NOISE_NO_MAIL = re.compile(r"https?://\S+|www\.\S+|[\[\]()*_#>`|]")
MIN_LETTERS = 20
SAMPLE_CHARS = 1000  # plenty for a confident call on article prose; the detector is linear


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def _identifier() -> Any:
    with _LOCK:  # one load, even when `warm_up` is still loading in the background
        return _load()


def warm_up(background: bool = True) -> None:
    """Load the detector's model (about a second: it is lzma-compressed) ahead of the first
    page, in a daemon thread by default, so it overlaps with reading and parsing input."""
    if background:
        threading.Thread(target=_identifier, name="presslens-langid-load", daemon=True).start()
    else:
        _identifier()


def detect_language(text: str) -> str | None:
    """The language code of `text`, or None when the text is too short or too unsure."""
    head = text[:SAMPLE_CHARS]
    sample = (_NOISE if "@" in head else _NOISE_NO_MAIL).sub(" ", head)
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= 0.5 else None
