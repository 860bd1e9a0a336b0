"""Bylines as the languages presslens reads write them: the words that introduce an author.

Data flow: language data, no stage. `anatomy.header` parses byline lines of the text with
`BYLINE` (and `BYLINE_TAIL`, "Posted on … by X"); the HTML metadata readers strip a byline's
lead-in from author fields with `BYLINE_PREFIX` and cut a field into names with `NAME_SPLIT`;
the document maker uses `BYLINE_PREFIX` to keep a byline with the article header. All are built
from the tables below, so a language is added in one place.

>>> m = BYLINE.match("Articles by: South Front")
>>> (m["label"], m["names"])
('Articles by', 'South Front')
>>> BYLINE_PREFIX.sub("", "By Jane Roe"), BYLINE_PREFIX.sub("", "Di Maio")
('Jane Roe', 'Di Maio')
"""

from __future__ import annotations

import re
from typing import Final

# Words a byline starts with, per language ("By Jane Roe", "par Jean Dupont").
BYLINE_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "en": (
        *("by", "written by", "words by", "posted by", "story by"),
        *("report by", "reported by", "reporting by"),
        *("article by", "articles by", "more article by", "more articles by"),
    ),
    "fr": ("par",),
    "de": ("von",),
    "es": ("por",),
    "pt": ("por",),
    "it": ("di",),
    "nl": ("door",),
    "sv": ("av",),
    "da": ("af",),
    "ru": ("от",),
}
# Labels that name the author only with a colon after them ("Author: X").
AUTHOR_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("author", "authors"),
    "ru": ("автор",),
}
# Words that join two names in a byline ("Jane Roe and John Doe").
NAME_JOINERS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("and",),
    "de": ("und",),
    "fr": ("et",),
    "es": ("y",),
}


def _alternation(words: set[str]) -> str:
    # longest first, so "reported by" is tried before "report"
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_ENGLISH_BY = set(BYLINE_WORDS["en"])
_FOREIGN_BY = {w for lang, words in BYLINE_WORDS.items() if lang != "en" for w in words}
_BY = _alternation(_ENGLISH_BY | _FOREIGN_BY)
_LABELS = _alternation({w for words in AUTHOR_LABELS.values() for w in words})
_NAMES = r"(?P<names>[^|•·\n]+?)\s*(?:[|•·–—]\s*(?P<rest>.*))?$"

# A whole byline line: its label ("By", "Author:"), the names, and what follows a separator.
BYLINE: Final = re.compile(
    rf"^\s*(?P<label>{_BY}|(?:{_LABELS})\s*:)(?:\s*:\s*|\s+){_NAMES}",
    re.IGNORECASE,
)
# "Posted on 2 February 2022 by Tom Hale": the name comes at the end.
BYLINE_TAIL: Final = re.compile(
    rf"^\s*(?P<label>posted|published|written|updated)\b.{{0,60}}?\bby\s+{_NAMES}", re.IGNORECASE
)
# A cheap test that a line may be a byline at all, before the patterns above run.
BYLINE_HINT: Final = re.compile(
    rf"\b(?:{_alternation({w.split()[-1] for w in _ENGLISH_BY | _FOREIGN_BY})}|{_LABELS})\b", re.IGNORECASE
)
# The lead-in of a byline or author field. "di", "von" and "door" also start surnames
# ("Di Maio", "Von Trier"), so words other than English ones count only in lower case.
BYLINE_PREFIX: Final = re.compile(
    rf"^\s*(?:(?i:{_alternation(_ENGLISH_BY)}|(?:{_LABELS})\s*:?)|{_alternation(_FOREIGN_BY)})\s*:?\s+"
)
# "Reporting by X; Editing by Y": who follows is an editor, not an author.
EDITORS: Final = re.compile(
    r"\s*;\s*(?:editing|edited|writing|additional reporting|graphics|photos?) by\b.*$", re.IGNORECASE
)
# Where a byline field stops naming people: " | Reuters", " on Monday", " updated …".
BYLINE_END: Final = re.compile(r"\s+[|–—-]\s+|\s*\b(?:on|updated|published)\b\s", re.IGNORECASE)
NAME_SPLIT: Final = re.compile(
    r"\s*(?:,|;|&|\b(?:" + _alternation({w for ws in NAME_JOINERS.values() for w in ws}) + r")\b)\s*",
    re.IGNORECASE,
)
