"""Country and US-state names from ISO 3166 (pycountry), with the variants news writes.

Data flow: language data, no stage. `analyze.entities` reads it to type a name the small NER
model gets wrong ("Sierra Leone" is no organisation, "DR Congo" no person), to merge the forms
of one country ("DRC" = "Democratic Republic of the Congo", "USA" = "United States"), to type
"Feldkirch" in "Feldkirch, Austria" as a place, and to tell a demonym ("Guatemalan") from an
organisation. The names come from pycountry's ISO 3166 data, not from a list kept here (but for
a short table of demonyms no ending rule derives).

>>> country_code("Democratic Republic of Congo"), country_code("DRC"), country_code("Sierra Leone")
('COD', 'COD', 'SLE')
>>> is_region("Texas"), is_region("Austria"), is_region("Chicago")
(True, True, False)
>>> demonym_of("Guatemalan"), demonym_of("Salvadoran"), demonym_of("Danish"), demonym_of("Morgan")
('GTM', 'SLV', 'DNK', None)
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

# "Congo, The Democratic Republic of the" → "The Democratic Republic of the Congo".
_INVERTED = re.compile(r"^(?P<name>[^,]+),\s+(?P<head>.+)$")
_SMALL = frozenset({"of", "the", "and"})
# Demonym endings, longest first: "Iran-ian", "Sudan-ese", "Swed-ish", "Israel-i", "Kenya-n".
_DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "an", "i", "n")


def _forms(name: str) -> set[str]:
    """A country name as ISO writes it and as news writes it: uninverted, with and without
    "the", and its initials when it has three or more content words ("DRC", "USA", "UAE")."""
    out = {name}
    m = _INVERTED.match(name)
    if m and "," not in m.group("head"):
        out.add(f"{m.group('head')} {m.group('name')}")
    for form in list(out):
        out.add(re.sub(r"^[Tt]he\s+", "", form))
    for form in list(out):
        out.add(re.sub(r"\s+the\s+", " ", form))  # "Democratic Republic of Congo"
        out.add(re.sub(r"\s+of\s+the\s+", " ", form))  # "Democratic Republic Congo"
    for form in list(out):
        content = [w for w in form.split() if w.lower() not in _SMALL]
        if len(content) >= 3 and all(w[:1].isupper() for w in content):
            out.add("".join(w[0] for w in content))
    return {f for f in out if "," not in f}


@cache
def _countries() -> dict[str, str]:
    import pycountry

    table: dict[str, str] = {}
    # Short names first, so that a short name ("Congo") keeps its own country when another
    # country's long form contains it.
    for attrs in (("name", "common_name"), ("official_name",)):
        for c in pycountry.countries:
            for attr in attrs:
                value = getattr(c, attr, None)
                if value:
                    for form in _forms(value):
                        table.setdefault(form, c.alpha_3)
    for form, code in _NEWS_FORMS.items():
        table.setdefault(form, code)
    return table


# The English short forms every newspaper uses and ISO 3166 does not list.
_NEWS_FORMS = {
    "US": "USA",
    "U.S.": "USA",
    "U.S.A.": "USA",
    "America": "USA",
    "UK": "GBR",
    "U.K.": "GBR",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "Russia": "RUS",
    "Turkey": "TUR",
    "Ivory Coast": "CIV",
    "Burma": "MMR",
    "Brunei": "BRN",
    "Cape Verde": "CPV",
    "Macedonia": "MKD",
    "Palestine": "PSE",
    "Vatican": "VAT",
    "Holland": "NLD",
}


# The 50 US states (ISO 3166-2:US, type "State"), written out: reading them from pycountry
# loads every country's subdivisions (0.1 s), for a list that does not change.
US_STATES = frozenset(
    {
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
        "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
        "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
        "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
        "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
        "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota",
        "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "West Virginia",
        "Wisconsin", "Wyoming",
    }
)  # fmt: skip


# USPS codes of the states, as "(R-AZ)" after a member of Congress writes them, in the
# alphabetical order of the states' names.
US_STATE_CODES = dict(
    zip(
        """AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH
        NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY""".split(),  # noqa: SIM905
        sorted(US_STATES),
        strict=True,
    )
)


@cache
def _regions() -> frozenset[str]:
    return US_STATES | {n for n in _countries() if not n.isupper()}


@cache
def _demonym_stems() -> dict[str, str]:
    """Each one-word country name ("El Salvador" counts: its article is no word of the stem), by
    code. Longer names are left out: their last words are nouns ("Republic" → "Republican")."""
    out: dict[str, str] = {}
    for form, code in _countries().items():
        words = form.split()
        if words[0] in {"El", "The"}:
            words = words[1:]
        if len(words) == 1 and not form.isupper() and "." not in form:
            out.setdefault(words[0], code)
    return out


def country_code(name: str) -> str | None:
    """The ISO 3166 alpha-3 code of a country name in any common form, or None."""
    return _countries().get(name.strip())


def is_region(name: str) -> bool:
    """A country or a US state: what news writes after a town ("Feldkirch, Austria")."""
    return name in _regions()


# Demonyms whose stem is not the country's name: the endings rule reads "Swed-ish" of
# "Sweden" but not "Danish" of "Denmark" or "Dutch" of "Netherlands". Surnames among them
# ("Welsh", "English", "French") are left out: a name NER types NORP there may be a person.
_IRREGULAR_DEMONYMS = {
    "Danish": "DNK", "Finnish": "FIN", "Polish": "POL", "Irish": "IRL", "Spanish": "ESP",
    "British": "GBR", "Scottish": "GBR", "Dutch": "NLD", "Norwegian": "NOR", "Portuguese": "PRT",
    "Icelandic": "ISL", "Czech": "CZE", "Swiss": "CHE", "Greek": "GRC", "Thai": "THA",
    "Filipino": "PHL", "Argentine": "ARG", "Peruvian": "PER", "Afghan": "AFG", "Congolese": "COD",
    "Korean": "KOR", "Slovak": "SVK", "Cypriot": "CYP", "Emirati": "ARE", "Panamanian": "PAN",
    "Ivorian": "CIV", "Malagasy": "MDG", "Mozambican": "MOZ", "Uzbek": "UZB", "Kazakh": "KAZ",
    "Tajik": "TJK", "Bosnian": "BIH", "Laotian": "LAO",
}  # fmt: skip


@lru_cache(maxsize=8192)
def demonym_of(word: str) -> str | None:
    """The country code whose people or adjective `word` names ("Guatemalan" → GTM), or None.

    A demonym is a country's name (or its last word) with an ending; the stem must keep at
    least four letters and the country name may add at most two ("Chin-ese" of "China").
    """
    if not word[:1].isupper() or country_code(word):
        return None
    if word in _IRREGULAR_DEMONYMS:
        return _IRREGULAR_DEMONYMS[word]
    word = re.sub(r"^(?:El|The)\s+", "", word)  # "El Salvadoran"
    if " " in word:
        return None
    stems = _demonym_stems()
    for ending in _DEMONYM_ENDINGS:
        if not word.endswith(ending) or len(word) - len(ending) < 4:
            continue
        stem = word[: -len(ending)]
        for country, code in stems.items():
            if country.startswith(stem) and len(country) - len(stem) <= 2:
                return code
    return None


_COMMON_LEADS = frozenset({"North", "South", "East", "West", "Central", "Great", "United", "Saint", "Holy"})


@cache
def _leading_words() -> dict[str, str]:
    """The first word of each two-word country name ("Saudi" of "Saudi Arabia"), by code; not
    a common word that opens many ("North", "United")."""
    out: dict[str, str] = {}
    for form, code in _countries().items():
        words = form.split()
        if len(words) != 2 or words[0] in _COMMON_LEADS or len(words[0]) < 4:
            continue
        if words[0][:1].isupper() and words[0][1:].islower():
            out.setdefault(words[0], code)
    return out


def nation_word(word: str) -> str | None:
    """The country code a single word stands for as a nation's adjective: a demonym
    ("Israeli"), a country's name ("Turkey") or its first word ("Saudi"); else None."""
    return demonym_of(word) or country_code(word) or _leading_words().get(word)
