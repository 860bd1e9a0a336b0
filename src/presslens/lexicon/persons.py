"""What marks a name as a person's, and the gender it tells: honorifics and common first names.

Data flow: language data, no stage. `analyze.entities` reads it to type a name whose NER label
is wrong ("Leah Millis" is no organisation: "Leah" is a first name; "Bishop Fischer" is no
company: a bishop is a person) and to merge "Raymond Cardinal Burke" with "Burke"; the pronoun
step reads the gender a first name or an honorific tells, so that "she" does not go to a man.
Every entry is a general word or a common given name; none names a particular person.

>>> name_gender("Leah"), name_gender("Cardinal"), name_gender("Travis")
('f', 'm', None)
"""

from __future__ import annotations

from typing import Final

# Titles written only before a person's name: unlike "General" (General Motors), "Chief" or
# "Supreme", none of them opens the name of a company, a place or a work.
HONORIFICS: Final[frozenset[str]] = frozenset(
    """mr mrs ms miss dr prof sir dame rev reverend fr msgr pope cardinal bishop archbishop rabbi
    imam sheikh sheik shaykh ayatollah mullah mufti sen rep gov lt col maj capt sgt cmdr adm
    excellency eminence holiness""".split()  # noqa: SIM905 - a word list reads best as prose
)

_MALE_TITLES = """mr sir lord fr father pope cardinal bishop archbishop rabbi imam sheikh sheik
    shaykh ayatollah mullah mufti king prince sultan emir amir msgr brother congressman
    spokesman chairman""".split()  # noqa: SIM905 - a word list reads best as prose
_FEMALE_TITLES = """mrs ms miss dame lady queen princess sister congresswoman spokeswoman
    chairwoman""".split()  # noqa: SIM905 - a word list reads best as prose

# Common given names of news English, by the gender they usually tell. Names that are as often
# places ("Jordan", "Georgia", "Victoria", "Austin") or surnames are left out: a first name here
# is evidence that a two-word name is a person's.
_MALE_NAMES = """aaron abbas abdul abdullah adam ahmad ahmed alan albert alex alexander ali andreas
    andrew andy anthony antonio ashraf barack ben benjamin bernard bill billy bob bobby brad brandon
    brett brian bruce carl carlo carlos charles chris christian christopher chuck clarence cory craig
    dan daniel danny darren dave david dennis derek dmitry don donald doug douglas dwight ed eddie
    edward emmanuel eric erik francesco francis frank fred gary gavin george gerald giuseppe glenn
    greg gregory hafiz hamid hans harold harry hassan henry hugh hussein ian igor ivan jack jacob
    jake jamal james jan jared jason jeff jeffrey jeremy jerry jim jimmy joe joel johann john
    johnny jon jonathan jorge jose joseph josh joshua juan justin karl keith ken kevin khalid kim
    kyle larry lee leon luigi luis marco marcus mario mark martin matt matthew michael miguel
    mike mitch mohamed mohammad mohammed muhammad nathan neil nicholas nick nikolai omar oscar
    patrick paul pedro pete peter philip pierre rafael ralph randy raymond rene ricardo richard rick
    robert roberto roger ron ronald roy rudy russell ryan salman sam samuel scott sean sergei sergey
    seth stephen steve steven stuart ted thomas tim timothy todd tom tommy tony vladimir
    walter wayne william yusuf""".split()  # noqa: SIM905 - a word list reads best as prose
_FEMALE_NAMES = """alice alison amanda amy andrea angela ann anna anne barbara betsy betty
    beth billie brenda carol caroline catherine cathy cheryl christina christine claire cynthia
    debbie deborah diana diane dianne donna dorothy elizabeth ellen emily emma erin fatima gina hannah
    heather helen hillary ilhan ivanka jane janet janis jennifer jessica jill joan joanna judy julia
    julie kamala karen kara kate katherine kathleen kathy katie kelly kim kimberly kirsten laura lauren leah
    linda lisa lori louise lucy maria marian marie martha mary maxine megan melania melissa
    michelle monica nancy natalie nicole nikki olivia pamela patricia paula rachel rebecca
    sandra sara sarah sharon shirley sofia sophie stephanie susan tammy teresa theresa tiffany
    tracy valerie wendy""".split()  # noqa: SIM905 - a word list reads best as prose

GENDER: Final[dict[str, str]] = {
    **{w: "m" for w in (*_MALE_TITLES, *_MALE_NAMES)},
    **{w: "f" for w in (*_FEMALE_TITLES, *_FEMALE_NAMES)},
}
FIRST_NAMES: Final[frozenset[str]] = frozenset(_MALE_NAMES) | frozenset(_FEMALE_NAMES)
_EITHER: Final[frozenset[str]] = frozenset(_MALE_NAMES) & frozenset(_FEMALE_NAMES)


def name_gender(word: str) -> str | None:
    """'m' or 'f' when a first name or a title tells it, else None ("Kim" tells neither)."""
    low = word.rstrip(".").lower()
    if low in _EITHER:
        return None
    return GENDER.get(low)
