"""Word lists the entity rules read: titles, name particles, organisation and place heads.

Where it sits: data for `mentions` (finding and trimming names), `labels` (typing them),
`aliases` (merging them) and `references` ("the general"). Kept apart from the code so that a
rule change and a vocabulary change are different edits. Every entry is a general word of news
English; none names a particular person, place or group.
"""

from __future__ import annotations

from presslens.lexicon.dates import MONTHS, WEEKDAYS

KEEP_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
)

# Honorifics and offices written before a name; they are not part of the name itself.
PERSON_TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady rev reverend fr msgr father pope cardinal bishop
    archbishop rabbi imam sheikh sheik shaykh ayatollah grand mullah mufti emir amir king queen
    prince princess crown sultan president vice prime minister chancellor premier secretary
    senator sen rep representative congressman congresswoman governor gov mayor judge justice
    chief general gen lieutenant lt colonel col major maj captain capt commander admiral
    sergeant sgt marshal field brigadier officer agent detective inspector sheriff deputy
    ambassador spokesman spokeswoman supreme leader comrade chairman chairwoman attorney
    director professor president-elect former late acting patriarch pastor priest eminence holiness
    excellency majesty highness airman witness chair chairperson emeritus auxiliary ombudsperson
    ombudsman ombudswoman""".split()  # noqa: SIM905 - a word list reads best as prose
)
# Words inside a title chain that are not titles themselves ("Secretary of State ...").
TITLE_GLUE = frozenset({"of", "state", "the", "defense", "defence", "foreign", "interior", "general"})
# Generational suffixes after a surname ("Robert S. Mueller III", "Martin Luther King Jr.").
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
NAME_PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "abu", "bint", "de", "da", "van", "von", "der", "la", "le", "du", "ben"}
)

ORG_HEADS = frozenset(
    """force forces corps army navy party council ministry department agency committee commission
    organization organisation union front guard guards institute university college company inc
    corp corporation ltd llc bank group association foundation movement brigade brigades court
    congress parliament senate assembly administration office bureau service services times post
    news network media center centre church club league federation alliance coalition police
    patrol authority board fund society trust tribunal caucus cabinet agency network press
    journal herald tribune gazette magazine radio tv television channel broadcasting airlines
    airways industries holdings partners labs laboratory school academy hospital station""".split()  # noqa: SIM905 - a word list reads best as prose
)
# Head words of a state's own bodies: a country named right before one is part of its name
# ("US Senate", "U.S. Air Force", "UK Home Office"), unlike before an outlet ("a UK Daily Mail
# report") or a common noun ("the US embassy").
STATE_BODY_HEADS = frozenset(
    """senate house congress parliament assembly army navy force forces corps guard marines
    department ministry embassy consulate court agency service patrol enforcement administration
    office bureau commission""".split()  # noqa: SIM905 - a word list reads best as prose
)
AWARD_HEADS = frozenset({"order", "medal", "prize", "award", "cross", "star"})
# The last word of a law's name ("Red Flag Laws", "Patriot Act", "Dodd-Frank Bill").
LAW_HEADS = frozenset({"law", "laws", "act", "bill", "amendment", "statute", "ordinance"})
PLACE_HEADS = frozenset(
    {
        "city",
        "county",
        "province",
        "state",
        "river",
        "sea",
        "ocean",
        "mountains",
        "valley",
        "island",
        "islands",
        "bay",
        "gulf",
        "desert",
        "peninsula",
        "region",
        "district",
        "street",
        "square",
        "hill",
        "park",
        "base",
        "airport",
        "tower",
        "bridge",
    }
)
# The first word of a place named before its proper name ("River Thames", "Mount Sinai").
PLACE_LEADS = frozenset({"river", "lake", "mount", "mt", "gulf", "bay", "cape", "isle", "sea", "strait"})
STOP_IN_NAMES = frozenset({"of", "for", "the", "and", "on", "in", "at", "de", "&", "to"})

ROLE_NOUNS = frozenset(
    """general commander leader president minister king queen prince senator chief director
    secretary spokesman spokeswoman ambassador governor mayor judge colonel officer cleric
    ayatollah sheikh imam chairman chairwoman premier chancellor congressman congresswoman
    candidate founder ceo""".split()  # noqa: SIM905 - a word list reads best as prose
)
# Nouns for a person the text does not name ("A government spokesman said …"): a pronoun in
# the next sentence ("He added: …") is that person, not the last one named.
UNNAMED_PERSON_NOUNS = ROLE_NOUNS | frozenset(
    """official spokesperson researcher source aide analyst expert witness lawyer attorney
    representative employee worker physician doctor""".split()  # noqa: SIM905
)
# The labels of a web page's sign-up or comment form ("Email Sign Up", "Comments This field …",
# "this site's Privacy Policy and Terms of Use"): capitalised, and no names.
FORM_WORDS = frozenset(
    {"Email", "E-mail", "Sign", "Up", "Comments", "Comment", "Phone", "Privacy", "Policy", "Terms", "Use"}
    | {"Subscribe", "Submit", "Login", "Password", "Newsletter", "Newsletters", "This", "Name"}
)
DETERMINERS = ("the ", "The ", "THE ")
# Day and month names are dates, which the timeline stage reads, never entities ("May" is left
# out: it is a name and a verb as often as a month). A month's full name is its longest form.
_FULL_MONTHS = {max((name for name, n in MONTHS.items() if n == month), key=len) for month in range(1, 13)}
CALENDAR_WORDS = frozenset(WEEKDAYS) | (_FULL_MONTHS - {"may"})
# Nouns of time, left alone by NER from a longer name ("Saviour’s Day", "Late Night with Seth
# Meyers"): no place or person by themselves, unless the text names someone with the surname.
TIME_NOUNS = frozenset(
    """day days night nights week weekend month year morning evening afternoon tonight today
    tomorrow yesterday""".split()  # noqa: SIM905 - a word list reads best as prose
)

# Capitalised words that name no particular entity in news English: a faith's common nouns,
# faiths themselves, celestial bodies, legal suffixes and offences. NER tags them when they
# open a sentence or a title; they are never people, organisations or places of their own.
NOT_NAMES = frozenset(
    {
        "church",
        "eucharist",
        "communion",
        "holy communion",
        "holy father",
        "mass",
        "court",
        "sun",
        "earth",
        "moon",
        "tweet",
        "law",
        "llc",
        "inc",
        "ltd",
        "dui",
        "email",
        # Faiths, their law and their devil: what NER types ORG or PERSON, the gold set NORP.
        "islam",
        "christianity",
        "judaism",
        "hinduism",
        "buddhism",
        "sharia",
        "shariah",
        "satan",
        "lgbt",
        "lgbtq",
    }
)
# The planets, celestial bodies like "Earth": no place NER may call them ("visiting Mars, Venus
# or an asteroid"). Some are people's names too ("Bruno Mars", "Freddie Mercury"), so only a
# place label is dropped, and Mercury, a first-century god and a metal as often, is left out.
PLANETS = frozenset({"mars", "venus", "jupiter", "saturn", "uranus", "neptune", "pluto"})
# Spoken answers and exclamations that open a quoted sentence ("Nah, I don’t …", "Wow."): NER
# takes them for people. Groups by origin written as plural nouns ("Latinos") are NORP.
INTERJECTIONS = frozenset(
    """nah yeah yep yup nope wow whoa oh ok okay hey huh ugh lol hmm ah alas oops""".split()  # noqa: SIM905
)
# Groups by origin or party: a party's members ("Senate Democrats", "a Democrat") are no party.
GROUP_NOUNS = frozenset(
    "latinos latinas latinx hispanics chicanos democrat democrats republican republicans".split()  # noqa: SIM905
)
# A fear or hatred of a group ("Islamophobic", "Muslim Judeophobia"): a word's ending, no name.
PHOBIA_ENDINGS = ("phobia", "phobic", "phobe", "phobes")
# A faith's adjective ("Europe’s Christian nations"), which NER sometimes types as a place.
FAITH_ADJECTIVES = frozenset(
    """christian muslim jewish catholic protestant islamic hindu buddhist evangelical orthodox
    sikh mormon""".split()  # noqa: SIM905 - a word list reads best as prose
)
# Words after a name that make it a disease, a virus or a germ ("Ebola outbreak", "Yersinia
# pestis"): what the guidelines and readers do not count as entities.
DISEASE_AFTER = frozenset(
    """virus viruses outbreak outbreaks disease fever epidemic pandemic vaccine vaccines infection
    infections pestis bacteria bacterium strain""".split()  # noqa: SIM905 - a word list reads best as prose
)

# Social platforms: named like people ("posted on Twitter", "Facebook said"), never persons.
PLATFORMS = frozenset(
    """twitter facebook youtube instagram tiktok reddit whatsapp telegram snapchat linkedin gab
    parler wechat weibo tumblr pinterest""".split()  # noqa: SIM905 - a word list reads best as prose
)
# Surname prefixes that give a person's name an inner capital ("McCabe", "DeSantis", "LeBron"),
# unlike a brand's run-together words ("LifeSiteNews", "WikiLeaks").
INNER_CAPITAL_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "St", "Fitz")


# US presidents of the news era by surname and given name: "President Trump" alone is Donald
# Trump, whoever else of that family the text names in full ("Ivanka Trump", "Michelle Obama").
US_PRESIDENTS = {
    "Trump": "Donald",
    "Obama": "Barack",
    "Biden": "Joe",
    "Clinton": "Bill",
    "Bush": "George",
    "Reagan": "Ronald",
    "Carter": "Jimmy",
}
