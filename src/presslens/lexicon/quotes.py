"""Quote marks as the languages presslens reads write them: which mark opens, which closes.

Data flow: language data, no stage. `analyze.nlp.quoted_spans` pairs marks with these tables
(the quotes stage reads its spans as quotations, the entities stage so that a name inside a
quotation is no antecedent for "he" outside it), and `analyze.quotes` skips them between a
quotation and its cue. A pair added to `PAIRS_BY_LANGUAGE` is recognised everywhere.

>>> CURLY_PAIRS
(('“', '”'), ('‘', '’'), ('„', '“'), ('«', '»'))
>>> CLOSE_ONLY
'”’»'
"""

from __future__ import annotations

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
