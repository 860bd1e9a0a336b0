"""Generate a synthetic news crawl with known syndication ground truth.

Where it sits: feeds `presslens ingest` in tests (small) and in `benchmarks/syndication.py`
(large). Base articles come from the PTC corpus (`../shared/data/ptc/articles`) and, when more
are needed, from mutated PTC sentences. Each base article is published by one outlet, then
republished by several others with their own dates, light edits, truncations and wrappers
(attribution lines, donation appeals, disclaimers, share appeals), sometimes copied from a copy
(a chain, credited to the intermediate), sometimes with a cross-site canonical link, sometimes
as an AMP variant of one URL. Commentary pages quote a long passage of an article inside their
own text, and unrelated pages on the same topic reuse its names and a short quote but no
passage. Everything is seeded: the same arguments give the same crawl.

    python benchmarks/make_corpus.py --docs 5000 --out /tmp/crawl [--warc] [--seed 1]

Writes `crawl.jsonl` (records `{url, html, published?}`), optionally `crawl.warc.gz` (HTML
responses; the publication date only in the page), and `truth.json`:
`{"documents": {url: {outlet, role, cluster, original}}, "edges": [{source, target, kind}]}`
with edges original → copy (kind `copy`, `passage` or `variant`).
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
    "Help us keep going: send Bitcoin to bc1q{slug}xyz0 or subscribe at {slug}.substack.com.",
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

    def __post_init__(self) -> None:
        self.day = self.day or self.published


def make_outlets(rng: random.Random, n: int) -> list[Outlet]:
    names: set[str] = set()
    outlets = []
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


def load_articles() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of each PTC article, skipping very short ones."""
    out = []
    for path in sorted(PTC_ARTICLES.glob("article*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        title = next((ln for ln in lines if ln), "")
        paras = [ln for ln in lines[lines.index(title) + 1 :] if ln] if title else []
        if sum(len(p.split()) for p in paras) >= 150:
            out.append((title, paras))
    return distinct(out)


def distinct(articles: list[tuple[str, list[str]]], n: int = 8) -> list[tuple[str, list[str]]]:
    """Drop articles that share a passage with an earlier one.

    Some PTC articles quote the same statement or carry the same scraped poll widget; as bases
    they would be real passage reuse that the ground truth does not record. An 8-word window
    seen in an earlier kept article (three or more times) marks the later one as related.
    """
    seen: set[tuple[str, ...]] = set()
    kept = []
    for title, paras in articles:
        words = re.findall(r"\w+", " ".join(paras).lower())
        grams = {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
        if len(grams & seen) < 3:
            kept.append((title, paras))
        seen |= grams
    return kept


_SENT = re.compile(r"(?<=[.!?])\s+")


class Mutator:
    """Fresh text from the PTC sentence pool: sentences shuffled, a share of words swapped."""

    def __init__(self, articles: list[tuple[str, list[str]]], rng: random.Random) -> None:
        self.rng = rng
        self.sentences = [
            s for _, paras in articles for p in paras for s in _SENT.split(p) if len(s.split()) >= 6
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


def render(page: Page) -> str:
    o = page.outlet
    fmt = {"name": o.name, "slug": o.slug, "domain": o.domain}
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
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in page.paragraphs)
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


def generate(n_docs: int, seed: int = 1) -> list[Page]:
    rng = random.Random(seed)
    articles = load_articles()
    mut = Mutator(articles, rng)
    outlets = make_outlets(rng, max(12, min(120, n_docs // 40)))
    pages: list[Page] = []
    counter = 0
    cluster = 0
    bases = list(articles)
    rng.shuffle(bases)

    def new_url(outlet: Outlet, day: date, title: str) -> str:
        nonlocal counter
        counter += 1
        return url_for(outlet, day, title, counter)

    while len(pages) < n_docs:
        cluster += 1
        if cluster <= len(bases):
            title, paras = bases[cluster - 1]
        else:  # past the PTC articles: fresh base articles from mutated sentences
            paras = mut.paragraphs(rng.randint(6, 16), swap=0.3)
            title = " ".join(mut.sentence(0.3).split()[:9]).rstrip(".,")
        origin_outlet = rng.choice(outlets)
        day = date(2019, 1, 1) + timedelta(days=rng.randrange(900))
        original = Page(
            new_url(origin_outlet, day, title), origin_outlet, title, paras, day, rng.choice(_AUTHORS)
        )
        original.truth = {"role": "original", "cluster": cluster, "original": original.url}
        cluster_pages = [original]
        n_copies = min(rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15]), len(outlets) - 1)
        used = {origin_outlet.name}
        for _ in range(n_copies):
            outlet = rng.choice([o for o in outlets if o.name not in used])
            used.add(outlet.name)
            # A copy of a copy is credited to the copy it came from; otherwise to the original.
            parent = (
                rng.choice(cluster_pages[1:]) if len(cluster_pages) > 1 and rng.random() < 0.2 else original
            )
            credit_style = rng.random()
            attribution = canonical = None
            if parent is not original or credit_style < 0.6:
                attribution = outlet.attribution.format(name=parent.outlet.name, url=parent.url)
            elif credit_style < 0.75:
                canonical = parent.url
            assert parent.day is not None
            if attribution or canonical:
                lag = rng.choice([0, 0, 1, 1, 2, 3, 5, 7, 14])
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
            copy.truth = {"role": "copy", "cluster": cluster, "original": original.url, "parent": parent.url}
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
                )
                amp.truth = {**page.truth, "role": "variant", "parent": page.url}
                cluster_pages.append(amp)
        pages.extend(cluster_pages)
        words = " ".join(paras).split()
        # Commentary quoting a long passage of the original inside its own text.
        if rng.random() < 0.3 and len(words) > 160:
            outlet = rng.choice([o for o in outlets if o.name not in used] or outlets)
            start = rng.randrange(0, len(words) - 120)
            passage = " ".join(words[start : start + rng.randint(60, 110)])
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
                "cluster": cluster,
                "original": original.url,
                "parent": original.url,
            }
            pages.append(page)
        # Unrelated articles on the same topic: same names, a short shared quote, no passage.
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
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
            page.truth = {"role": "unrelated", "cluster": cluster, "original": None}
            pages.append(page)
    pages = pages[:n_docs]
    rng.shuffle(pages)  # a crawl does not arrive in publication order
    return pages


def truth_of(pages: list[Page]) -> dict[str, Any]:
    urls = {p.url for p in pages}
    docs = {p.url: {"outlet": p.outlet.domain, "outlet_name": p.outlet.name, **p.truth} for p in pages}
    edges = []
    for p in pages:
        role, parent = p.truth.get("role"), p.truth.get("parent")
        if parent is None or parent not in urls:
            continue
        kind = {"copy": "copy", "commentary": "passage", "variant": "variant"}.get(str(role))
        if kind:
            edges.append({"source": parent, "target": p.url, "kind": kind})
    return {"documents": docs, "edges": edges}


def render_text(page: Page) -> str:
    """The same page as plain text (title, byline, body, wrapper), for the fast path."""
    o = page.outlet
    fmt = {"name": o.name, "slug": o.slug, "domain": o.domain}
    parts = [page.title, f"By {page.author} | {o.name}", *page.paragraphs]
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
    print(f"wrote {len(pages)} documents to {args.out} ({mix}; {len(truth['edges'])} true edges)")


if __name__ == "__main__":
    main()
