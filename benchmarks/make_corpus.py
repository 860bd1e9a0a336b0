"""Generate a synthetic news crawl with known syndication ground truth, hard cases included.

Where it sits: feeds `presslens ingest` in tests (small) and in `benchmarks/syndication.py`
(large). Base articles come from the PTC corpus (`../shared/data/ptc/articles`) and, when more
are needed, from mutated PTC sentences. Each base article (a *story*) is published by one
outlet, then republished by several others with their own dates, light edits, truncations and
wrappers (attribution lines, donation appeals, disclaimers, share appeals), sometimes copied
from a copy (a chain, credited to the intermediate), sometimes with a cross-site canonical link,
sometimes as an AMP variant of one URL, sometimes misdated (a credited copy dated before its
original). A few stories' originals are not in the crawl at all: their copies credit them.

The text that makes syndication hard is kept, not filtered out:
- PTC articles that share text with each other (the same statement quoted, an author reusing
  a paragraph, a scraped poll widget) stay in as bases; only near-duplicates of an earlier base
  (the same story twice) are dropped. Pairs of bases that share text are recorded as `related`
  (their reuse or common-source edges are not judged either way);
- official statements, quoted and attributed, carried by 2–3 unrelated stories, and press-
  release paragraphs pasted without quotes into 3–4 unrelated stories: `common_source`;
- commentary quoting a long passage of a story's own words inside its own text: `reuse`
  (story → commentary);
- poll widgets some outlets paste into every article body ("take our poll - story continues
  below … completing this poll grants you access …"): no relation at all;
- unrelated pages on the same topic (same names, a short shared quote, no passage): nothing.

Everything is seeded: the same arguments give the same crawl.

    python benchmarks/make_corpus.py --docs 5000 --out /tmp/crawl [--warc] [--seed 1]

Writes `crawl.jsonl` (records `{url, html, published?}`), optionally `crawl.warc.gz` (HTML
responses; the publication date only in the page), and `truth.json`:
`{"documents": {url: {outlet, outlet_name, role, story, original, parent?}},
  "edges": [{source, target, kind}], "relations": {common_source, reuse, related}}` with edges
original → copy (kind `copy`, `variant`, `reuse` for commentary, or `credit` from
`outlet:DOMAIN` when the original is not in the crawl) and relations as pairs of story ids.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
PTC_ARTICLES = SHARED / "data" / "ptc" / "articles"

_FIRST = [
    "Daily",
    "Global",
    "Free",
    "Open",
    "New",
    "True",
    "Liberty",
    "Frontier",
    "Eastern",
    "Western",
    "Northern",
    "Southern",
    "Citizen",
    "People's",
    "Independent",
    "Patriot",
    "Unity",
    "Sovereign",
    "Clear",
    "Front",
]
_SECOND = [
    "Lantern",
    "Herald",
    "Monitor",
    "Observer",
    "Courier",
    "Dispatch",
    "Sentinel",
    "Review",
    "Tribune",
    "Chronicle",
    "Beacon",
    "Ledger",
    "Gazette",
    "Signal",
    "Report",
    "Voice",
    "Post",
    "Wire",
    "Digest",
    "Times",
]
_TLDS = ["com", "org", "net", "info", "co.uk", "news", "ca", "com.au"]
_AUTHORS = [
    "Anna Petrova",
    "John Miller",
    "Sarah Kim",
    "Ali Hassan",
    "Maria Lopez",
    "Tom Becker",
    "Lena Novak",
    "David Chen",
    "Olga Ivanova",
    "Peter Walsh",
    "Nadia Karim",
    "Staff Writer",
]
_NAV = "Home | World | Politics | Economy | Opinion | Video | About | Contact"

_ATTRIBUTIONS = [
    "The original source of this article is {name}.",
    "This article was originally published on {name}.",
    "This article first appeared on {name}.",
    "Originally published at {url}",
    "Republished with permission from {name}.",
]
_DONATIONS = [
    "Support independent journalism: donate to {name} via PayPal at paypal.me/{slug} "
    "or become a patron at patreon.com/{slug}.",
    "{name} depends on readers like you. Please make a donation today at {domain}/donate.",
    "Help us keep going: send Bitcoin to {btc} or subscribe at https://{slug}.substack.com.",
]
_DISCLAIMERS = [
    "Disclaimer: The views expressed in this article are solely those of the author "
    "and do not necessarily reflect the opinions of {name}.",
    "{name} grants permission to cross-post original articles on community internet sites "
    "as long as the source and copyright are acknowledged.",
    "This site contains copyrighted material the use of which has not always been specifically "
    "authorized by the copyright owner, made available under fair use.",
]
_SHARES = [
    "Share this article with your friends on Facebook, Twitter and Telegram.",
    "If you found this useful, please share it and follow {name} on social media.",
    "Subscribe to our newsletter to get the latest stories from {name} in your inbox.",
]


@dataclass
class Outlet:
    name: str
    domain: str
    slug: str
    donation: str
    disclaimer: str
    share: str
    attribution: str
    poll: str | None = None  # the poll question this outlet pastes into its article bodies


@dataclass
class Page:
    url: str
    outlet: Outlet
    title: str
    paragraphs: list[str]
    published: date | None
    author: str
    attribution: str | None = None
    canonical: str | None = None
    truth: dict[str, Any] = field(default_factory=dict)
    day: date | None = None  # when it really appeared, even if the page shows no date
    widget: list[str] = field(default_factory=list)  # the outlet's poll widget, inside the body

    def __post_init__(self) -> None:
        self.day = self.day or self.published


def make_outlets(rng: random.Random, n: int) -> list[Outlet]:
    names: set[str] = set()
    outlets: list[Outlet] = []
    while len(outlets) < n:
        name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)}"
        if name in names:
            continue
        names.add(name)
        slug = re.sub(r"[^a-z]", "", name.lower())
        domain = f"{slug}.{rng.choice(_TLDS)}"
        outlets.append(
            Outlet(
                name,
                domain,
                slug,
                rng.choice(_DONATIONS),
                rng.choice(_DISCLAIMERS),
                rng.choice(_SHARES),
                rng.choice(_ATTRIBUTIONS),
            )
        )
    return outlets


def load_articles() -> tuple[list[tuple[str, list[str]]], set[tuple[int, int]]]:
    """(title, paragraphs) of each PTC article (skipping very short ones and near-duplicates of
    an earlier one), and the pairs of them (indices) that share some text."""
    out = []
    for path in sorted(PTC_ARTICLES.glob("article*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        title = next((ln for ln in lines if ln), "")
        paras = [ln for ln in lines[lines.index(title) + 1 :] if ln] if title else []
        if sum(len(p.split()) for p in paras) >= 150:
            out.append((title, paras))
    return distinct(out)


def _grams(paras: list[str], n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", " ".join(paras).lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


# An article with this share of its 8-word windows in an earlier one is the same story again.
_SAME_STORY = 0.4


def distinct(
    articles: list[tuple[str, list[str]]],
) -> tuple[list[tuple[str, list[str]]], set[tuple[int, int]]]:
    """Drop articles that are mostly an earlier one (the same story twice); keep the ones that
    merely share some text — a quoted statement, a reused paragraph, a poll widget — and return
    the pairs of kept articles sharing three or more 8-word windows. The generator cannot say
    which relation each such pair has, so the benchmark does not judge reuse or common-source
    edges between them (it still counts a copy edge between them as an error)."""
    kept: list[tuple[str, list[str]]] = []
    grams: list[set[tuple[str, ...]]] = []
    for title, paras in articles:
        g = _grams(paras)
        if any(len(g & k) >= _SAME_STORY * min(len(g), len(k)) for k in grams):
            continue
        kept.append((title, paras))
        grams.append(g)
    owners: dict[tuple[str, ...], list[int]] = {}
    for i, g in enumerate(grams):
        for w in g:
            owners.setdefault(w, []).append(i)
    shared: dict[tuple[int, int], int] = {}
    for docs in owners.values():
        for x, a in enumerate(docs):
            for b in docs[x + 1 :]:
                shared[(a, b)] = shared.get((a, b), 0) + 1
    return kept, {pair for pair, n in shared.items() if n >= 3}


_SENT = re.compile(r"(?<=[.!?])\s+")
_CREDIT_WORDS = re.compile(
    r"(?i)\b(?:originally|first (?:published|appeared)|reprinted|republished|cross-?posted)\b"
)


class Mutator:
    """Fresh text from the PTC sentence pool: sentences shuffled, a share of words swapped."""

    def __init__(self, articles: list[tuple[str, list[str]]], rng: random.Random) -> None:
        self.rng = rng
        # Credit lines ("originally published at ...") would make fresh text credit someone.
        self.sentences = [
            s
            for _, paras in articles
            for p in paras
            for s in _SENT.split(p)
            if len(s.split()) >= 6 and not _CREDIT_WORDS.search(s)
        ]
        self.vocab = sorted(
            {w for s in self.sentences[:3000] for w in s.split() if w.isalpha() and len(w) > 3}
        )

    def sentence(self, swap: float = 0.25, max_run: int = 6) -> str:
        """A pool sentence with words swapped; never more than `max_run` original words in a
        row, so fresh text shares no passage with the article the sentence came from."""
        out, run = [], 0
        for w in self.rng.choice(self.sentences).split():
            if run >= max_run or self.rng.random() < swap:
                out.append(self.rng.choice(self.vocab))
                run = 0
            else:
                out.append(w)
                run += 1
        return " ".join(out)

    def paragraphs(self, n_par: int, swap: float = 0.25) -> list[str]:
        return [" ".join(self.sentence(swap) for _ in range(self.rng.randint(2, 4))) for _ in range(n_par)]


def light_edit(paras: list[str], rng: random.Random, rate: float) -> list[str]:
    """Copy-editing: a few words dropped or replaced, typography changed."""
    out = []
    for p in paras:
        words = p.split()
        for _ in range(max(0, int(len(words) * rate))):
            i = rng.randrange(len(words))
            words[i] = rng.choice(["the", "a", "this", "that", "its", "their", words[i].upper()])
        out.append(" ".join(words).replace('"', "\u201c", 1))
    return out


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "story"


def url_for(outlet: Outlet, day: date, title: str, n: int) -> str:
    return f"https://www.{outlet.domain}/{day:%Y/%m}/{slugify(title)}-{n}/"


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _wrapper_fields(o: Outlet) -> dict[str, str]:
    """What an outlet's wrapper templates name: its name, slug, domain and a Bitcoin address
    (bech32 characters only, derived from the slug, so funding extraction can read it)."""
    btc = "bc1q" + "".join(_BECH32[ord(c) % 32] for c in (o.slug * 3)[:38])
    return {"name": o.name, "slug": o.slug, "domain": o.domain, "btc": btc}


def render(page: Page) -> str:
    o = page.outlet
    fmt = _wrapper_fields(o)
    day = page.published
    head = [
        f"<title>{html.escape(page.title)} | {html.escape(o.name)}</title>",
        f'<meta property="og:site_name" content="{html.escape(o.name)}">',
        f'<meta property="og:title" content="{html.escape(page.title)}">',
        f'<meta name="author" content="{html.escape(page.author)}">',
    ]
    if day:
        head.append(f'<meta property="article:published_time" content="{day.isoformat()}T08:00:00+00:00">')
    if page.canonical:
        head.append(f'<link rel="canonical" href="{html.escape(page.canonical)}">')
    dateline = f'<time datetime="{day.isoformat()}">{day:%B %d, %Y}</time>' if day else ""
    paras = [f"<p>{html.escape(p)}</p>" for p in page.paragraphs]
    if page.widget:
        lines = "".join(f"<p>{html.escape(w)}</p>" for w in page.widget)
        paras.insert(min(2, len(paras)), f'<div class="poll">{lines}</div>')
    body = "\n".join(paras)
    attribution = (
        f'<p class="attribution"><em>{html.escape(page.attribution)}</em></p>' if page.attribution else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{"".join(head)}</head>
<body>
<header><a href="/">{html.escape(o.name)}</a><nav>{_NAV}</nav></header>
<main><article>
<h1>{html.escape(page.title)}</h1>
<p class="byline">By {html.escape(page.author)} | {html.escape(o.name)} | {dateline}</p>
<div class="entry-content">
{body}
{attribution}
</div>
<div class="share">{html.escape(o.share.format(**fmt))}</div>
<div class="donate">{html.escape(o.donation.format(**fmt))}</div>
<p class="disclaimer">{html.escape(o.disclaimer.format(**fmt))}</p>
</article></main>
<footer>Copyright © {day.year if day else 2020} {html.escape(o.name)}. All rights reserved.</footer>
</body></html>
"""


_POLLS = [
    "Whom do you consider to be the most corrupt politician in the capital?",
    "Should the government send troops to stop the crisis at the border?",
    "Who should replace the ambassador to the United Nations next year?",
    "Do you trust the mainstream media to report the truth about the war?",
]
_POLL_OPTIONS = "* Yes, absolutely No, never Not sure yet Only if the courts agree Email *"
_SPEAKERS = [
    "a State Department spokesperson said in a statement",
    "the Defence Ministry said in a statement on its website",
    "a spokeswoman for the prime minister told reporters",
    "the foreign ministry spokesman said at a briefing",
    "the company said in a statement",
    "a United Nations spokesman told reporters in Geneva",
]
_RELEASE_LEADS = ["", "", "According to a press release, ", "In a release on Monday, the agency said that "]


def poll_widget(outlet: Outlet) -> list[str]:
    """The lines of an outlet's poll widget as they land inside an article body."""
    assert outlet.poll is not None
    return [
        "take our poll - story continues below",
        outlet.poll,
        outlet.poll,
        _POLL_OPTIONS,
        "Name This field is for validation purposes and should be left unchanged.",
        f"Completing this poll grants you access to {outlet.name} updates free of charge.",
        "You may opt out at anytime.",
        "You also agree to this site's Privacy Policy and Terms of Use.",
    ]


# A PTC article that says where it first appeared is itself a republication: its story's
# original is that outlet, outside the crawl. The generator's own reading of such lines.
_INNER_CREDIT = re.compile(
    r"(?:originally published|first published|first appeared|reprinted|republished)\b[^.\n]{0,40}?"
    r"\b(?:at|on|in|from|by)\s+(?:[^.\n]{1,60}?\s+at\s+(?=[A-Z]))?(?P<name>[A-Z][^\n]*?)\.?\s*$",
    re.IGNORECASE,
)


def inner_credit(paras: list[str]) -> tuple[int, str] | None:
    """(paragraph index, credited name) of a credit line near either end of a base article."""
    for i in [*range(len(paras) - 1, max(-1, len(paras) - 4), -1), *range(min(2, len(paras)))]:
        m = _INNER_CREDIT.search(paras[i])
        if m and len(m.group("name")) <= 60:
            return i, m.group("name").strip(" .")
    return None


# Quoted speech as the issue defines it: inside quotation marks, or a sentence that attributes
# it ("said", "told", "statement", "according to").
_SPEECH = re.compile(
    r"\b(?:said|says|told|tells|statements?|according to|announced|announces|(?:press|news) release|"
    r"spokes(?:man|woman|person))\b",
    re.I,
)


def speech_flags(words: list[str]) -> list[bool]:
    """For each word of an article, whether it is someone's speech there: inside quotation
    marks, or in a sentence that attributes it. A commentary quoting mostly speech shares a
    third-party text with the story (a common source); quoting the story's own words, it
    reuses the story."""
    flags: list[bool] = []
    depth = False
    sentence: list[str] = []

    def close() -> None:
        nonlocal depth
        attributed = bool(_SPEECH.search(" ".join(sentence)))
        for w in sentence:
            if w[:1] in '\u201c"':
                depth = True
            flags.append(depth or attributed)
            if w.rstrip(".,;:!?)")[-1:] in '\u201d"':
                depth = False
        sentence.clear()

    for w in words:
        sentence.append(w)
        if re.search(r"[.!?][\u201d\"\u2019)]*$", w):
            close()
    close()
    return flags


@dataclass
class _SharedText:
    """A statement or press-release paragraph that several unrelated stories carry."""

    text: str
    slots: int
    stories: list[int] = field(default_factory=list)
    commentary: list[str] = field(default_factory=list)  # commentaries quoting it inside a story


def _shared_text(
    pool: list[_SharedText], make: Any, slots: tuple[int, int], rng: random.Random
) -> _SharedText:
    open_ = [t for t in pool if len(t.stories) < t.slots]
    if open_:  # fill a text's stories before starting another: each ends in two or more
        return open_[0]
    item = _SharedText(make(), rng.randint(*slots))
    pool.append(item)
    return item


def generate(n_docs: int, seed: int = 1) -> list[Page]:
    rng = random.Random(seed)
    articles, related = load_articles()
    mut = Mutator(articles, rng)
    outlets = make_outlets(rng, max(12, min(120, n_docs // 40)))
    for o in outlets:  # some outlets paste a poll widget (from a shared stock of polls) into every body
        o.poll = rng.choice(_POLLS) if rng.random() < 0.2 else None
    pages: list[Page] = []
    counter = 0
    cluster = 0
    order = list(range(len(articles)))
    rng.shuffle(order)
    story_of_base: dict[int, int] = {}
    statements: list[_SharedText] = []
    releases: list[_SharedText] = []

    def new_url(outlet: Outlet, day: date, title: str) -> str:
        nonlocal counter
        counter += 1
        return url_for(outlet, day, title, counter)

    def statement() -> str:
        words = " ".join(mut.sentence(0.3) for _ in range(4)).split()[: rng.randint(45, 70)]
        return f"\u201c{' '.join(words).rstrip('.,;:')},\u201d {rng.choice(_SPEAKERS)}."

    def release() -> str:
        words = " ".join(mut.sentence(0.3) for _ in range(5)).split()[: rng.randint(50, 80)]
        return " ".join(words).rstrip(".,;:") + "."

    def with_widget(page: Page) -> Page:
        page.widget = poll_widget(page.outlet) if page.outlet.poll else []
        return page

    while len(pages) < n_docs:
        cluster += 1
        if cluster <= len(order):
            title, paras = articles[order[cluster - 1]]
            story_of_base[order[cluster - 1]] = cluster
        else:  # past the PTC articles: fresh base articles from mutated sentences
            paras = mut.paragraphs(rng.randint(6, 16), swap=0.3)
            title = " ".join(mut.sentence(0.3).split()[:9]).rstrip(".,")
        paras = list(paras)
        # Third-party text the story carries: a quoted official statement, a pasted release.
        carried: list[_SharedText] = []
        for pool, make, slots, p_use in (
            (statements, statement, (2, 3), 0.1),
            (releases, release, (3, 4), 0.08),
        ):
            if rng.random() < p_use:
                item = _shared_text(pool, make, slots, rng)
                item.stories.append(cluster)
                carried.append(item)
                lead = rng.choice(_RELEASE_LEADS) if pool is releases else ""
                paras.insert(rng.randint(1, max(1, len(paras) - 1)), lead + item.text)
        origin_outlet = rng.choice(outlets)
        day = date(2019, 1, 1) + timedelta(days=rng.randrange(900))
        original = Page(
            new_url(origin_outlet, day, title), origin_outlet, title, paras, day, rng.choice(_AUTHORS)
        )
        with_widget(original)
        original.truth = {"role": "original", "story": cluster, "cluster": cluster, "original": original.url}
        credit_line = inner_credit(paras)
        if credit_line is not None:
            original.truth["inherited"] = credit_line[1]
        cluster_pages = [original]
        n_copies = min(rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15]), len(outlets) - 1)
        # A few originals are not in the crawl; their copies all credit them.
        outside = rng.random() < 0.03
        used = {origin_outlet.name}
        for _ in range(n_copies):
            outlet = rng.choice([o for o in outlets if o.name not in used])
            used.add(outlet.name)
            # A copy of a copy is credited to the copy it came from; otherwise to the original.
            parent = (
                rng.choice(cluster_pages[1:]) if len(cluster_pages) > 1 and rng.random() < 0.2 else original
            )
            credit_style = rng.random() * (0.75 if outside and parent is original else 1.0)
            attribution = canonical = None
            if parent is not original or credit_style < 0.6:
                attribution = outlet.attribution.format(name=parent.outlet.name, url=parent.url)
            elif credit_style < 0.75:
                canonical = parent.url
            assert parent.day is not None
            if attribution or canonical:
                lag = rng.choice([0, 0, 1, 1, 2, 3, 5, 7, 14])
                if rng.random() < 0.1:
                    lag = -rng.choice([1, 2, 3])  # misdated: the copy shows a date before its original
            else:
                lag = rng.choice([1, 1, 2, 3, 4, 6, 9, 21])  # uncredited copies: date decides
            cday = parent.day + timedelta(days=lag)
            cparas = list(parent.paragraphs)
            if rng.random() < 0.5:
                cparas = light_edit(cparas, rng, rng.choice([0.005, 0.01, 0.02]))
            if rng.random() < 0.25 and len(cparas) > 3:
                cparas = cparas[: max(2, int(len(cparas) * rng.uniform(0.5, 0.85)))]
                cparas.append(f"Read the full article at {parent.outlet.name}.")
            published: date | None = cday
            if (attribution or canonical) and rng.random() < 0.05:
                published = None  # a page with no date at all: credit still gives direction
            copy = Page(
                new_url(outlet, cday, parent.title),
                outlet,
                parent.title,
                cparas,
                published,
                rng.choice(_AUTHORS),
                attribution,
                canonical,
                day=cday,
            )
            with_widget(copy)
            copy.truth = {
                "role": "copy",
                "story": cluster,
                "cluster": cluster,
                "original": original.url,
                "parent": parent.url,
            }
            if credit_line is not None and paras[credit_line[0]] in cparas and not (attribution or canonical):
                # It credits no page but carries the article's own credit line: a copy of that outlet.
                copy.truth["inherited"] = credit_line[1]
            cluster_pages.append(copy)
        # AMP variants of a page: same outlet, same body, canonical back to the page.
        for page in list(cluster_pages):
            if rng.random() < 0.05:
                amp = Page(
                    page.url + "amp/",
                    page.outlet,
                    page.title,
                    page.paragraphs,
                    page.published,
                    page.author,
                    page.attribution,
                    page.url,
                    widget=page.widget,
                )
                amp.truth = {**page.truth, "role": "variant", "parent": page.url}
                cluster_pages.append(amp)
        if outside and len(cluster_pages) > 1:
            # The original (and its AMP variant) never made it into the crawl.
            cluster_pages = [
                pg
                for pg in cluster_pages
                if pg is not original
                and not (pg.truth["role"] == "variant" and pg.truth["parent"] == original.url)
            ]
            for pg in cluster_pages:
                pg.truth["outside"] = {"outlet": original.outlet.domain, "name": original.outlet.name}
        pages.extend(cluster_pages)
        # The story's words, without its own credit line (a page quoting the story must not
        # quote "originally published at ..." and so credit that outlet itself).
        words = " ".join(p for i, p in enumerate(paras) if credit_line is None or i != credit_line[0]).split()
        # Commentary quoting a long passage of the original inside its own text: a passage of
        # the story's own words (at most 20 % quoted or attributed speech, a few tries). Quoting
        # a passage that is mostly someone else's speech would share that speaker's words with
        # the story, a common source by the definition: that ambiguous case is left out.
        found = None
        if rng.random() < 0.3 and len(words) > 160:
            outlet = rng.choice([o for o in outlets if o.name not in used] or outlets)
            speech = speech_flags(words)
            for _ in range(6):
                start = rng.randrange(0, len(words) - 120)
                size = rng.randint(60, 110)
                if sum(speech[start : start + size]) <= 0.2 * size:
                    found = (start, size)
                    break
        if found is not None:
            start, size = found
            passage = " ".join(words[start : start + size])
            share = sum(speech[start : start + size]) / size
            comment = [
                *mut.paragraphs(rng.randint(2, 4)),
                f"As {origin_outlet.name} reported: \u201c{passage}\u201d",
                *mut.paragraphs(rng.randint(2, 5)),
            ]
            cday = day + timedelta(days=rng.randint(1, 20))
            ctitle = "Commentary: " + " ".join(mut.sentence(0.3).split()[:7]).rstrip(".,")
            page = Page(new_url(outlet, cday, ctitle), outlet, ctitle, comment, cday, rng.choice(_AUTHORS))
            page.truth = {
                "role": "commentary",
                "story": f"{cluster}c",
                "cluster": cluster,
                "original": original.url,
                "parent": original.url,
                "quoted": share >= 0.5,
            }
            # Quoting the story where it carries a statement or a release, the commentary
            # carries that third-party text too.
            grams = {tuple(passage.split()[i : i + 8]) for i in range(len(passage.split()) - 7)}
            for item in carried:
                item_words = item.text.split()
                if sum(tuple(item_words[i : i + 8]) in grams for i in range(len(item_words) - 7)) >= 30:
                    item.commentary.append(f"{cluster}c")
            pages.append(with_widget(page))
        # Unrelated articles on the same topic: same names, a short shared quote, no passage.
        for k in range(rng.choice([0, 0, 1, 1, 2])):
            outlet = rng.choice(outlets)
            names = sorted({w for w in words if w[:1].isupper() and len(w) > 3})[:12] or ["Washington"]
            body = []
            for p in mut.paragraphs(rng.randint(5, 10)):
                ws = p.split()
                for _ in range(3):
                    ws[rng.randrange(len(ws))] = rng.choice(names)
                body.append(" ".join(ws))
            quote_at = rng.randrange(0, max(1, len(words) - 12))
            body.insert(1, "Officials said: \u201c" + " ".join(words[quote_at : quote_at + 10]) + "\u201d")
            uday = day + timedelta(days=rng.randint(-5, 5))
            utitle = title.split(":")[0][:40] + ": " + " ".join(mut.sentence(0.3).split()[:5])
            page = Page(new_url(outlet, uday, utitle), outlet, utitle, body, uday, rng.choice(_AUTHORS))
            page.truth = {
                "role": "unrelated",
                "story": f"{cluster}u{k}",
                "cluster": cluster,
                "original": None,
            }
            pages.append(with_widget(page))
    pages = pages[:n_docs]
    present = {p.truth["story"] for p in pages}
    relations: dict[str, list[list[Any]]] = {"common_source": [], "reuse": [], "related": []}
    # Text shared by two stories first published by one outlet is that outlet repeating itself,
    # not syndication: such pairs are not judged either way.
    first_outlet = {
        p.truth["story"]: p.outlet.domain for p in pages if p.truth["role"] in ("original", "commentary")
    }

    def judged(a: Any, b: Any) -> str | None:
        return None if first_outlet.get(a, a) == first_outlet.get(b, b) else "yes"

    for item in statements + releases:
        stories: list[Any] = [st for st in [*item.stories, *item.commentary] if st in present]
        for i, a in enumerate(stories):
            for b in stories[i + 1 :]:
                if f"{a}c" == b or f"{b}c" == a:
                    continue  # a story and its own commentary: judged as reuse or common source below
                relations["common_source" if judged(a, b) else "related"].append([a, b])
    for page in pages:
        if page.truth["role"] == "commentary" and page.truth["cluster"] in present:
            relation = "common_source" if page.truth["quoted"] else "reuse"
            pair = [page.truth["cluster"], page.truth["story"]]
            relations[relation if judged(*pair) else "related"].append(pair)
    base_pairs = [
        (story_of_base[a], story_of_base[b])
        for a, b in sorted(related)
        if a in story_of_base and b in story_of_base
    ]
    # Commentary on a story carries the story's text, so what the story shares with another
    # base is not judged for the commentary either.
    commented = {pg.truth["cluster"]: pg.truth["story"] for pg in pages if pg.truth["role"] == "commentary"}
    for a, b in base_pairs:
        for x in (a, commented.get(a)):
            for y in (b, commented.get(b)):
                if x is not None and y is not None and x in present and y in present:
                    relations["related"].append([x, y])
    rng.shuffle(pages)  # a crawl does not arrive in publication order
    for page in pages:
        page.truth["relations"] = relations  # the same object on every page; truth_of reads it once
    return pages


def truth_of(pages: list[Page]) -> dict[str, Any]:
    urls = {p.url for p in pages}
    docs = {
        p.url: {
            "outlet": p.outlet.domain,
            "outlet_name": p.outlet.name,
            **{k: v for k, v in p.truth.items() if k != "relations"},
        }
        for p in pages
    }
    edges = []
    for p in pages:
        role, parent = p.truth.get("role"), p.truth.get("parent")
        if role == "original" and "inherited" in p.truth:
            edges.append({"source": f"outlet:{p.truth['inherited']}", "target": p.url, "kind": "credit"})
        if parent is None:
            continue
        kind = {"copy": "copy", "commentary": "reuse", "variant": "variant"}.get(str(role))
        if kind is None:
            continue
        if kind == "reuse" and p.truth.get("quoted"):
            continue  # it quotes a quotation: a common source, scored as a pair of stories
        if kind == "copy" and "inherited" in p.truth:
            edges.append({"source": f"outlet:{p.truth['inherited']}", "target": p.url, "kind": "credit"})
        elif parent in urls:
            edges.append({"source": parent, "target": p.url, "kind": kind})
        elif kind == "copy" and "outside" in p.truth and parent == p.truth["original"]:
            edges.append(
                {"source": f"outlet:{p.truth['outside']['outlet']}", "target": p.url, "kind": "credit"}
            )
    relations = pages[0].truth.get("relations", {}) if pages else {}
    return {"documents": docs, "edges": edges, "relations": relations}


def render_text(page: Page) -> str:
    """The same page as plain text (title, byline, body, wrapper), for the fast path."""
    o = page.outlet
    fmt = _wrapper_fields(o)
    paras = list(page.paragraphs)
    if page.widget:
        paras[min(2, len(paras)) : min(2, len(paras))] = ["\n".join(page.widget)]
    parts = [page.title, f"By {page.author} | {o.name}", *paras]
    if page.attribution:
        parts.append(page.attribution)
    elif page.canonical and page.canonical.rstrip("/") != page.url.removesuffix("amp/").rstrip("/"):
        parts.append(f"Originally published at {page.canonical}")  # text has no <link rel=canonical>
    parts += [
        o.share.format(**fmt),
        o.donation.format(**fmt),
        o.disclaimer.format(**fmt),
        f"Copyright © {page.day.year if page.day else 2020} {o.name}. All rights reserved.",
    ]
    return "\n\n".join(parts) + "\n"


def write_jsonl(pages: list[Page], path: Path, *, text: bool = False) -> None:
    """One record per page: `html` (default) or `text` (the fast path: no HTML extraction)."""
    with path.open("w", encoding="utf-8") as fh:
        for p in pages:
            rec: dict[str, Any] = (
                {"url": p.url, "text": render_text(p)} if text else {"url": p.url, "html": render(p)}
            )
            if p.published:
                rec["published"] = p.published.isoformat()
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def write_warc(pages: list[Page], path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for p in pages:
            payload = render(p).encode("utf-8")
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(payload)))],
                protocol="HTTP/1.1",
            )
            crawl_day = (p.published or date(2022, 1, 1)) + timedelta(days=30)
            record = writer.create_warc_record(
                p.url,
                "response",
                payload=BytesIO(payload),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": f"{crawl_day.isoformat()}T12:00:00Z"},
            )
            writer.write_record(record)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warc", action="store_true", help="also write crawl.warc.gz")
    ap.add_argument("--text", action="store_true", help="records carry plain text instead of HTML")
    args = ap.parse_args(argv)
    if not PTC_ARTICLES.is_dir():
        raise SystemExit(f"make_corpus: PTC articles not found at {PTC_ARTICLES}")
    args.out.mkdir(parents=True, exist_ok=True)
    pages = generate(args.docs, args.seed)
    write_jsonl(pages, args.out / "crawl.jsonl", text=args.text)
    if args.warc:
        write_warc(pages, args.out / "crawl.warc.gz")
    truth = truth_of(pages)
    (args.out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    roles: dict[str, int] = {}
    for d in truth["documents"].values():
        roles[d["role"]] = roles.get(d["role"], 0) + 1
    mix = ", ".join(f"{k} {v}" for k, v in sorted(roles.items()))
    rel = ", ".join(f"{k} {len(v)}" for k, v in truth["relations"].items())
    print(f"wrote {len(pages)} documents to {args.out} ({mix}; {len(truth['edges'])} true edges)")
    print(f"story pairs: {rel}")


if __name__ == "__main__":
    main()
