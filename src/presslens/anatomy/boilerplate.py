"""Boilerplate classifier: which kind of page wrapper a paragraph (or line) is, scored by cues.

Data flow: `anatomy.stage` asks `classify` about each paragraph outside the article; the body
finder asks it too, so that wrapper never counts as prose. Cues are general phrasings seen
across outlets (share appeals, donation appeals, attribution credits, copyright lines, comment
links, membership calls, disclaimers, fair-use notices, contact lines, navigation, related
links, newsletter boxes, polls and "story continues below" widgets, cookie banners) — none is
keyed to one site. Each cue has a weight;
a cue at the start of the paragraph weighs double; long prose dilutes the score, so an
article paragraph that merely mentions "cookies" or "donations" stays article.

>>> classify("Subscribe to our newsletter to get the latest stories in your inbox.").kind
'newsletter'
>>> classify("The talks resumed on Monday after a week of delays.").kind is None
True
"""

from __future__ import annotations

import functools
import re
import re._constants as _sre_constants
import re._parser as _sre_parser
from dataclasses import dataclass
from typing import Final

from presslens.anatomy.markup import clean, clean_text
from presslens.anatomy.scan import literal_pattern
from presslens.vocab import BOILERPLATE_KINDS, BoilerplateKind

# Paragraphs longer than this are never wrapper: no wrapper box is an essay. It also bounds the
# work on pathological inputs (a 30 MB single paragraph is only scanned on its first part).
MAX_WRAPPER_CHARS: Final = 3000
THRESHOLD: Final = 1.0

_F = re.IGNORECASE | re.MULTILINE


def _cues(*pairs: tuple[str, float]) -> list[tuple[re.Pattern[str], float, bool]]:
    # A pattern starting with '^' is an opening cue ("Disclaimer:", "Related articles").
    return [(re.compile(p, _F), w, p.startswith("^")) for p, w in pairs]


CUES: Final[dict[str, list[tuple[re.Pattern[str], float, bool]]]] = {
    "share_appeal": _cues(
        (r"\bshare (?:this|the|our) (?:article|post|story|page|video)", 1.0),
        (r"\bshare buttons?\b", 1.0),
        (r"\bforward this (?:article|e-?mail|post|story)", 1.0),
        (r"\bcross-?post\b", 0.8),
        (r"\bplease (?:share|repost|re-?tweet|spread)\b", 0.8),
        (r"^share(?: this(?: article| post| story)?)?\s*(?:on\b|:|$)", 1.0),
        (
            r"\b(?:share|tweet|post) (?:it )?(?:on|to|via) (?:facebook|twitter|x|telegram|whatsapp"
            r"|reddit|linkedin)\b",
            0.8,
        ),
        (r"\bspread the word\b", 0.6),
        (r"^(?:tweet|e-?mail|print)(?: this(?: article| story| page)?)?\s*$", 1.0),
        (
            r"^follow (?:us|[A-Z][\w.-]*) on (?:telegram|twitter|x|facebook|instagram|youtube|"
            r"gab|vk|rumble|odysee)\b",
            1.0,
        ),
        (r"^(?:partagez|partager|teilen|compartir|comparte|condividi|поделиться)\b", 1.0),
        (
            r"^(?:facebook|twitter|whatsapp|telegram|email|reddit|linkedin|print)(?:[\s|,/·•]+(?:f"
            r"acebook|twitter|whatsapp|telegram|email|reddit|linkedin|print|copy link))+\s*$",
            1.0,
        ),
    ),
    "donation_appeal": _cues(
        (r"\bdonat(?:e|es|ing|ion|ions)\b", 0.8),
        (r"\bpay ?pal\b", 0.8),
        (r"\bpatreon\b", 0.8),
        (
            r"\bko-?fi\b|\bbuy ?me ?a ?coffee\b|\bgofundme\b|\bliberapay\b|\bopen ?collective\b|\b"
            r"subscribestar\b",
            0.8,
        ),
        (
            r"\bsupport (?:us|our (?:work|journalism|reporting)|the (?:project|site|blog|channel)|"
            r"independent (?:media|journalism))\b",
            1.0,
        ),
        (r"^support [A-Z\w]+", 0.5),
        (
            r"\bour work (?:wouldn'?t|would not|isn'?t|is not|can'?t|cannot) (?:be )?(?:possible|continue)",
            0.8,
        ),
        (r"\b(?:bitcoin|ethereum|monero|litecoin|btc|eth|xmr|ltc)\b[^:\n]{0,20}:", 0.8),
        (r"\b(?:send|donate|tip|give)\b.{0,20}\b(?:bitcoin|btc|crypto|ethereum|monero)\b", 0.8),
        (r"\bsupport (?:my|this) (?:work|writing|blog|newsletter)\b", 0.8),
        (r"\biban\b|\bswift\b|\bbank (?:transfer|details|account)\b", 0.6),
        (r"\bbecome a (?:paid subscriber|patron|supporter|sustaining)", 1.0),
        (r"\breader[- ](?:funded|supported)\b|\bfunded by (?:our )?readers\b", 0.8),
        (r"\bchip in\b|\bmake a (?:one-time |monthly )?(?:gift|contribution)\b", 0.8),
        (r"\bif you(?:'re| are) able\b.*\bsupport\b", 0.5),
    ),
    "attribution": _cues(
        (r"\bthe original source of this (?:article|post|story) is\b", 1.5),
        (
            r"\b(?:this|the) (?:article|post|story|piece|essay) (?:was|is) (?:originally|first) (?"
            r":published|posted|appeared)",
            1.2,
        ),
        (r"^(?:originally|first) (?:published|posted|appeared)\b", 1.2),
        (r"^(?:source|sources|republished from|reprinted from|cross-?posted from|reposted from)\s*:", 1.0),
        (r"^(?:more )?articles? by\s*:?", 1.2),
        (r"^(?:additional )?(?:reporting|writing|editing) by\b", 1.0),
        (r"^via\s*:", 0.6),
        (r"^about the author\b", 1.2),
        (
            r"^[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3} is (?:the )?(?:editor|editor-in-chief|foun"
            r"der|director|publisher|"
            r"senior fellow|professor|correspondent)\b",
            1.0,
        ),
        (r"^(?:featured )?(?:image|photo|picture)(?: credits?| source| courtesy)?\s*:", 1.0),
        (r"^(?:video|audio|illustration)\s+(?:credits?|source|courtesy)\s*:", 1.0),
        (
            r"^(?:\([^)]*\)\s*)?[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3} is an? (?:\w+ ){0,3}(?:journa"
            r"list|writer|author|analyst|contributor|researcher|editor|columnist|blogger|reporter)"
            r"\b",
            1.0,
        ),
        (r"\bwith permission\b|\bunder (?:a )?creative commons\b|\bCC BY(?:-[A-Z]{2})*\b", 0.8),
    ),
    "copyright": _cues(
        (r"\bcopyright\s*(?:©|\(c\)|\d{4})", 1.5),
        (r"©", 1.2),
        (r"\ball rights reserved\b", 1.2),
        (
            r"\b(?:tous droits réservés|alle rechte vorbehalten|todos los derechos reservados|все "
            r"права защищены)\b",
            1.2,
        ),
        (r"^\(c\)\s*\d{4}", 1.2),
    ),
    "comments": _cues(
        (r"^(?:\d+\s+)?comments?\s*(?:\(\d+\))?\s*:?$", 1.2),
        (r"^(?:loading|show|view|hide|see) (?:all )?(?:\d+ )?comments\b", 1.2),
        (r"\b(?:leave|post|add|write|submit) (?:a|your) (?:comment|reply)\b", 1.2),
        (r"^comment on\b", 1.2),
        (r"\bcomments?\b.{0,60}\b(?:facebook|below|section|policy|page)\b", 0.6),
        (r"\bjoin the (?:discussion|conversation)\b", 1.0),
        (r"\bcomments (?:are|have been) (?:closed|disabled)\b", 1.2),
        (r"\b(?:log|sign) in to (?:comment|reply)\b", 1.2),
        (r"^(?:reply|report|like)\s*$", 0.6),
    ),
    "membership": _cues(
        (r"\bbecome a (?:member|subscriber|friend)\b", 1.2),
        (r"\bjoin (?:us|our community|as a member|today)\b", 0.6),
        (r"\bmembers?(?:-| )only\b|\bmember(?:ship)? (?:area|login|benefits)\b", 1.0),
        (r"^(?:sign (?:in|up)|log ?in|register|my account)\s*$", 1.0),
        (r"\balready a (?:member|subscriber)\?", 1.0),
    ),
    "disclaimer": _cues(
        (r"^disclaimer\b", 2.0),
        (
            r"\bviews (?:and opinions )?expressed (?:in this (?:article|post|piece) |here(?:in)? )"
            r"?are (?:those|solely|the author)",
            1.2,
        ),
        (r"\bsole responsibility of the author", 1.2),
        (r"\bdo(?:es)? not necessarily (?:reflect|represent)\b", 1.0),
        (r"\b(?:will|shall) not be (?:held )?(?:responsible|liable) for\b", 0.8),
        (
            r"\bnot (?:intended as|to be (?:construed|taken) as) (?:financial|legal|medical|invest"
            r"ment) advice\b",
            1.2,
        ),
        (r"\bfor (?:informational|educational) purposes only\b", 0.8),
    ),
    "fair_use": _cues(
        (r"\bfair use\b", 1.0),
        (r"\bcopyrighted material\b", 0.8),
        (r"\b17 U\.?S\.?C\.?|\bsection 107\b", 1.0),
        (r"\bwithout profit\b", 0.6),
        (r"\bfor research and educational purposes\b", 0.6),
        (r"\bnot (?:always )?been specifically authorized by the copyright owner\b", 1.0),
    ),
    "contact": _cues(
        (
            r"\b(?:media|press|general|advertising|editorial|business|partnership|licensing)\s+(?:"
            r"inquiries|enquiries|requests|contact)\b",
            1.2,
        ),
        (r"^contact(?: us)?\b", 1.0),
        (r"\b(?:send|email|e-mail) (?:us )?(?:your )?(?:tips|corrections|questions|feedback)\b", 0.8),
        (r"\b(?:e-?mail|write to|reach|contact) us\b", 0.6),
        (r"^(?:tel|phone|fax|e-?mail|address)\s*[:.]", 1.0),
        (r"\bgot a (?:news )?tip\b", 1.0),
        (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", 0.4),
    ),
    "navigation": _cues(
        (
            r"^(?:home|menu|search|skip to (?:main )?content|back to top|top of page|next (?:artic"
            r"le|post|story)|previous (?:article|post|story)|older posts|newer posts|load more|pag"
            r"e \d+ of \d+)\b",
            1.0,
        ),
        (r"^you are here\b", 1.2),
        # Two or more " | " / " » " separators on one line: a menu or breadcrumb. Written to
        # start on the separator, so the engine does not scan ahead from every character.
        (r"\s[|»›>]\s[^\n]{1,60}?\s[|»›>]\s", 0.8),
        (
            r"^(?:terms(?: of (?:use|service))?|privacy(?: policy)?|about(?: us)?|sitemap|rss|arch"
            r"ives?|advertise)\s*(?:[|·•/,]\s*\w[\w ]{0,20})*$",
            1.0,
        ),
    ),
    "related": _cues(
        (
            r"^(?:related(?: articles?| posts?| stories| content| reading| news| coverage)?|read m"
            r"ore|read also|also read|see also|more (?:from|on|stories|articles|in|like this)|you "
            r"(?:may|might) also (?:like|be interested)|recommended(?: for you| reading)?|further "
            r"reading|popular(?: posts| stories)?|trending(?: now)?|most (?:read|popular|viewed)|l"
            r"atest (?:news|articles|posts|stories)|editor'?s picks|what to read next)\b",
            1.2,
        ),
    ),
    "newsletter": _cues(
        (r"\bsubscribe to (?:our|the|my) (?:\w+ ){0,2}(?:newsletter|mailing list|digest|bulletin)", 1.2),
        (r"\bnewsletters?\b", 0.8),
        (r"\bsign up (?:for|to) (?:our|the|my)\b", 0.8),
        (r"\b(?:get|receive|delivered)\b.{0,60}\b(?:to|in)(?: your)? inbox\b", 1.0),
        (r"\benter your e-?mail(?: address)?\b", 1.0),
        (r"\bunsubscribe (?:at any time|anytime)\b", 0.8),
        (r"^subscribe\s*$", 1.0),
        (r"\bsubscribe (?:for free|now|today)\b|\b(?:receive|get) new posts\b", 0.8),
        (r"^thanks for (?:reading|subscribing)\b", 0.6),
        (r"\b(?:abonnez-vous|abonnieren|suscr[íi]bete|iscriviti|подпишитесь)\b", 0.8),
    ),
    # Widgets embedded in the article: polls and quizzes that interrupt it ("take our poll -
    # story continues below"), with their sign-up small print. Outlets paste the same widget
    # into unrelated articles, so left in a body it looks like shared text.
    "poll": _cues(
        (r"^(?:take|answer|vote in) (?:our|the|this|today'?s) (?:poll|survey|quiz)\b", 1.5),
        (r"\b(?:story|article) continues (?:below|after)\b", 1.2),
        (r"\bcompleting this (?:poll|survey|quiz)\b", 1.5),
        (r"\b(?:poll|survey|quiz) grants you access\b", 1.5),
        (r"\bthis field is for validation purposes\b", 1.5),
        (r"^(?:cast|submit) your vote\b|^vote now\b|\bview (?:poll )?results\b", 1.0),
        (r"\byou (?:may|can) opt[- ]out (?:at )?any ?time\b", 1.0),
        (r"\byou (?:also )?agree to (?:this site'?s|our|the site'?s) privacy policy\b", 1.2),
    ),
    "cookie": _cues(
        (r"\bcookies?\b", 0.6),
        (r"\bwe use cookies\b|\buses cookies\b", 1.2),
        (
            r"\b(?:accept|reject|decline|manage|allow)(?: all)? cookies\b|\bcookie (?:settings|pre"
            r"ferences|policy|consent)\b",
            1.2,
        ),
        (r"\bprivacy policy\b", 0.4),
        (r"\b(?:consent|gdpr)\b", 0.4),
    ),
    # Page furniture with no kind of its own: ad slots, audio players, reading-time badges.
    "other": _cues(
        (r"^(?:advertisement|advertising|sponsored(?: content)?|promoted(?: content)?|ad)\s*$", 1.0),
        (r"^listen to (?:this|the) (?:article|story)\b", 1.0),
        (r"^\d+\s*min(?:ute)?s?\.? read\s*$", 1.0),
        (r"^continue reading\b", 1.0),
        (r"\bdownload (?:our|the) app\b|^get the app\b", 1.0),
    ),
}
assert set(CUES) <= set(BOILERPLATE_KINDS)


@dataclass(frozen=True)
class Verdict:
    """The classifier's answer: a kind (None = not wrapper), its score and the cue that fired."""

    kind: BoilerplateKind | None
    score: float
    cue: str = ""


# Literal stems per kind, looked for in the lower-cased text: a kind none of whose
# stems occurs cannot have a cue that fires, so its cue patterns are not run. The classifier
# reads every paragraph of every page; this keeps article prose to a few substring tests.
# Each kind's stems must cover every cue of that kind.
HINTS: Final[dict[str, tuple[str, ...]]] = {
    kind: tuple(stems.split(","))
    for kind, stems in {
        "share_appeal": "share,follow,forward,cross-post,crosspost,repost,tweet,spread,facebook,twitter,"
        "whatsapp,telegram,email,reddit,linkedin,print,partag,teilen,compart,condivid,подел",
        "donation_appeal": "donat,paypal,pay pal,patreon,ko-fi,kofi,coffee,gofundme,liberapay,collective,"
        "subscribestar,support,our work,bitcoin,ethereum,monero,litecoin,btc,eth,xmr,ltc,crypto,iban,swift,"
        "bank,become a,reader,funded,chip in,gift,contribution",
        "attribution": "original,first,source,republished,reprinted,cross,reposted,via,articles by,"
        "article by,reporting by,writing by,editing by,about the author,image,photo,picture,video,audio,"
        "illustration,journalist,writer,author,analyst,contributor,researcher,editor,columnist,blogger,"
        "reporter,permission,creative commons,cc by",
        "copyright": "copyright,©,rights reserved,(c),droits,rechte,derechos,права",
        "comments": "comment,reply,discussion,conversation,report,like",
        "membership": "become a,join,member,sign in,sign up,log in,login,register,my account,already a",
        "disclaimer": "disclaimer,views,responsib,necessarily,liable,advice,purposes only",
        "fair_use": "fair use,copyrighted,u.s.c,usc,section 107,without profit,educational purposes,"
        "authorized",
        "contact": "inquiries,enquiries,requests,contact,tip,corrections,questions,feedback,mail,write to,"
        "reach,tel,phone,fax,address,@",
        "navigation": "home,menu,search,skip,top,next,previous,older,newer,load more,page,you are here,"
        "|,»,›,>,terms,privacy,about,sitemap,rss,archive,advertise",
        "related": "related,read,see also,more,you may,you might,recommended,further,popular,trending,most,"
        "latest,editor,what to",
        "newsletter": "newsletter,sign up,inbox,enter your,unsubscribe,subscribe,thanks for,abonn,suscr,"
        "iscriv,подпиш,mailing list,digest,bulletin",
        "poll": "poll,survey,quiz,continues,validation purposes,vote,opt out,opt-out,agree to",
        "cookie": "cookie,privacy,consent,gdpr",
        "other": "advert,sponsor,promoted,ad,listen to,min,continue reading,app",
    }.items()
}
assert set(HINTS) == set(CUES)


_STEMS: Final = {s for stems in HINTS.values() for s in stems}
# Every place a stem starts in the lower-cased text, with the longest stem there (the trie's
# optional tails are greedy): one scan finds the kinds with a hint, where a search per kind
# scanned the text once for each kind it lacks. Most paragraphs hold no stem at all.
_HINT_AT: Final = re.compile(f"(?=({literal_pattern(_STEMS)}))")
# The same stems without the lookahead: a plain search finds the next place one starts about
# twice as fast, and most paragraphs hold none.
_FIRST_HINT: Final = re.compile(literal_pattern(_STEMS))
# A stem found there shows its own kinds and those of every stem it starts with ("cross-post"
# holds "cross"); any stem that occurs at a place is one of those.
_KINDS_AT: Final = {
    stem: frozenset(kind for kind, stems in HINTS.items() if any(stem.startswith(s) for s in stems))
    for stem in _STEMS
}


def _needles(pattern: str) -> tuple[str, ...] | None:
    """Lower-case ASCII strings one of which any match of `pattern` (case-blind) holds: the
    longest run of plain characters the pattern requires, or else one such run per alternative
    of a top-level alternation; None when there is none (or the pattern is beyond this
    reading)."""
    try:
        parsed = _sre_parser.parse(pattern, _F)
    except Exception:  # a private stdlib module: if it ever changes, the cue is just searched
        return None
    return _sequence_needles(list(parsed))


def _sequence_needles(items: list[tuple[object, object]]) -> tuple[str, ...] | None:
    best, run = "", ""
    branch: tuple[str, ...] | None = None
    for op, value in items:
        if op is _sre_constants.LITERAL and isinstance(value, int) and value < 128:
            run += chr(value).lower()
            best = max(best, run, key=len)
            continue
        run = ""
        if op is _sre_constants.BRANCH and branch is None and isinstance(value, tuple):
            # Every alternative must yield needles, or the alternation says nothing.
            found = [_sequence_needles(list(alternative)) for alternative in value[1]]
            if all(found):
                branch = tuple(n for needles in found if needles for n in needles)
    return (best,) if best else branch


# Per kind, each cue's needles (see `_needles`): a cue none of whose needles is in the lower-cased
# text cannot match, and a substring test is far cheaper than a case-blind search.
_CUE_NEEDLES: Final = {kind: [_needles(p.pattern) for p, _, _ in cues] for kind, cues in CUES.items()}
# The only characters a case-blind search matches to an ASCII letter whose `str.lower()` is not
# that letter (İ lowers to two characters; ı and ſ stay as they are): text holding one is searched
# cue by cue (tests/anatomy/test_boilerplate_needles.py rebuilds this list from `re`).
FOLD_SPECIAL: Final = "İıſ"


_ADDRESS = re.compile(r"\b(?:you|your|please|our|us|we|click|tap|here)\b", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+\S")


def _dilution(text: str) -> float:
    # Wrapper boxes are short; cues in a long paragraph count for less (a 60-word paragraph
    # keeps full weight, a 240-word one needs four times the evidence).
    words = len(text.split())
    return max(1.0, words / 60.0)


def scores(text: str) -> dict[str, tuple[float, str]]:
    """Score of every kind for `text` (markup cleaned), with its strongest cue's pattern."""
    # Past ~150 words only an opening cue can reach the threshold (see _dilution), so a long
    # paragraph is read at its start only.
    head = text[:MAX_WRAPPER_CHARS] if text.count(" ", 0, 1500) < 150 else text[:600]
    low = head.lower()
    present: set[str] = set()
    # Every place a stem starts, as `_HINT_AT.finditer` finds them: a plain search from one
    # place past the last one skips stem-free stretches faster than the lookahead scan.
    hit = _FIRST_HINT.search(low)
    while hit is not None:
        present |= _KINDS_AT[hit.group()]
        hit = _FIRST_HINT.search(low, hit.start() + 1)
    if not present:
        return {}
    kinds = [kind for kind in HINTS if kind in present]
    view = clean_text(head).strip()
    prose_like: bool | None = None  # worked out when a cue off the start first needs it
    out: dict[str, tuple[float, str]] = {}
    view_low = view.lower()
    # Needles are only a safe test when lower-casing folds the text as a case-blind search does.
    use_needles = not any(ch in view for ch in FOLD_SPECIAL)
    for kind in kinds:
        cues = CUES[kind]
        total, best, best_w = 0.0, "", 0.0
        for (pattern, weight, opening), needles in zip(cues, _CUE_NEEDLES[kind], strict=True):
            if use_needles and needles is not None and not any(map(view_low.__contains__, needles)):
                continue
            m = pattern.search(view)
            if m is None:
                continue
            if opening or m.start() == 0:
                w = weight * 2.0
            else:
                if prose_like is None:
                    prose_like = _prose_like(view)
                w = weight * (0.5 if prose_like else 1.0)
            total += w
            if w > best_w:
                best, best_w = pattern.pattern, w
        if total:
            out[kind] = (total, best)
    return out


def _prose_like(view: str) -> bool:
    # Third-person running prose (several sentences, no "you/please/our/click") only *mentions*
    # sharing, donations or cookies; wrapper addresses the reader. Such prose keeps its opening
    # cues at full weight and the others at half.
    return len(view.split()) >= 40 and len(_SENTENCE_BREAK.findall(view)) >= 2 and not _ADDRESS.search(view)


def link_density(text: str) -> tuple[int, float]:
    """How many links a stretch holds and what share of its clean text is anchor text."""
    view = clean(text[:MAX_WRAPPER_CHARS])
    visible = len(view.text.strip()) or 1
    anchor = sum(len(link.text) for link in view.links if link.text)
    return len(view.links), anchor / visible


def classify(text: str) -> Verdict:
    """The most likely wrapper kind of one paragraph or line, or kind None for article text."""
    if len(text) > MAX_WRAPPER_CHARS:
        return Verdict(None, 0.0)
    return _classify(text)


# The same lines come back page after page: an outlet's wrapper on each of its pages, a story's
# paragraphs in each of its copies (82 % of the non-empty lines of a generated 10k crawl repeat
# an earlier one). Keys are at most MAX_WRAPPER_CHARS long, so the cache stays within a few
# tens of MB at worst; a verdict is frozen, so sharing one is safe.
@functools.lru_cache(maxsize=16384)
def _classify(text: str) -> Verdict:
    found = scores(text)
    dilution = _dilution(text) if found else 1.0  # no cue fired: nothing to dilute
    ranked = sorted(((s / dilution, k, cue) for k, (s, cue) in found.items()), reverse=True)
    # Weak cues of several wrapper kinds together ("Subscribe … support my work") still make
    # wrapper: the strongest kind names it.
    if ranked and (ranked[0][0] >= THRESHOLD or sum(r[0] for r in ranked) >= 1.5 * THRESHOLD):
        score, kind, cue = ranked[0]
        return Verdict(kind, score, cue)  # type: ignore[arg-type]
    # A block that is mostly anchors with no sentence in it is a link list: menus or
    # "related" teasers. Without a cue we cannot tell which, so call it navigation.
    if text.count("](") + text.count("://") + text.count("www.") < 3:
        return Verdict(None, ranked[0][0] if ranked else 0.0)
    n_links, density = link_density(text)
    if n_links >= 3 and density > 0.6 and not re.search(r"[.!?]\s+[A-Z]", text):
        return Verdict("navigation", 1.0, "link-list")
    return Verdict(None, ranked[0][0] if ranked else 0.0)
