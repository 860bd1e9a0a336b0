"""Metadata read from the text of a laid-out page: who, when, from where.

Data flow: the `metadata` stage calls `text_metadata(layout, raw, canonical)` and merges the
result under what the HTML markup said (`merge`; a language the markup declared is not detected
again). Every value keeps its span (list items carry `start`/`end`; scalar fields get a
`Provenance` entry with the rule that produced them). Each reader below returns its own fields;
`text_metadata` assembles them, in this order because later ones use earlier answers (authors
tell an author's dateline from a site's; the publisher is left out of the republication chain).

Publisher vs original source, in general terms: a page that republishes shows its own dateline
("Site, January 07, 2020") and credits the original ("The original source of this article is X",
"X 6 January 2020", "Source: X"). The dateline whose name matches the site's own domains
(from its e-mail addresses and URLs in the wrapper, or the page URL) is the publisher's; a
credited name is the original source, with the date its own credit line gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from presslens.anatomy.contacts import EMAIL
from presslens.anatomy.credits import Credit, find_according_to, find_credits, find_wire_credit
from presslens.anatomy.header import (
    Dateline,
    copyright_holder,
    parse_byline,
    parse_dateline,
    parse_tag_line,
    title_found,
)
from presslens.anatomy.language import detect_language
from presslens.anatomy.layout import Layout, is_bare_name, line_is_header
from presslens.anatomy.markup import URL_RE, iter_links
from presslens.anatomy.media import media_kind
from presslens.anatomy.paragraphs import Paragraph
from presslens.anatomy.scan import page_windows
from presslens.document import Link, Media, Metadata, OriginalSource, Provenance, RawPage, Tag
from presslens.lexicon.dates import to_iso

_RELATION_ORDER = {"original": 0, "source": 1, "via": 2, "according_to": 3}


def squash(name: str) -> str:
    """'Global Research' -> 'globalresearch': a name as it would be spelled in a domain."""
    return re.sub(r"[^a-z0-9]", "", name.lower().removeprefix("the "))


def domain_key(host: str) -> str:
    """'www.globalresearch.ca' -> 'globalresearch'; 'news.bbc.co.uk' -> 'bbc'."""
    labels = [lab for lab in host.lower().split(".") if lab and lab != "www"]
    while (
        len(labels) > 1
        and (len(labels[-1]) <= 3 or labels[-1] in {"info", "news", "online"})
        and (len(labels) > 2 or len(labels[-1]) <= 3)
    ):
        labels.pop()
        if len(labels) >= 2 and labels[-1] in {"co", "com", "org", "net", "ac", "gov", "edu"}:
            labels.pop()
            break
    return labels[-1] if labels else ""


def _same(name: str, key: str) -> bool:
    a = squash(name)
    return bool(a) and bool(key) and (a == key or (min(len(a), len(key)) >= 5 and (a in key or key in a)))


def _lines(paragraphs: Iterable[Paragraph]) -> list[Paragraph]:
    out: list[Paragraph] = []
    for p in paragraphs:
        out.extend(p.lines() if "\n" in p.text else [p])
    return out


def _host_key(url: str) -> str:
    try:
        host = urlsplit(url if "://" in url else "http://" + url).hostname
    except ValueError:  # "http://[::1" (an unclosed IPv6 bracket) and other unparsable hosts
        return ""
    return domain_key(host or "")


def _site_keys(layout: Layout, raw: RawPage | None, canonical: str | None) -> set[str]:
    """Domain names the page itself uses in its wrapper: its own identity."""
    keys = {_host_key(url) for url in (raw.url if raw else None, canonical) if url}
    for b in layout.outside_body():
        if b.kind in (None, "donation_appeal", "share_appeal", "attribution"):
            continue  # a donation box names the original author's channels, not the site
        keys.update(domain_key(m.group().split("@", 1)[1]) for m in EMAIL.finditer(b.para.text))
        keys.update(_host_key(m.group()) for m in URL_RE.finditer(b.para.text))
    keys.discard("")
    return keys


def _dedupe(items: list[Credit]) -> list[Credit]:
    """One credit per outlet: the strongest relation, a date and URL from any mention."""
    by_key: dict[str, Credit] = {}
    for c in items:
        key = squash(c.name)
        old = by_key.get(key)
        if old is None:
            by_key[key] = c
            continue
        best = old if _RELATION_ORDER[old.relation] <= _RELATION_ORDER[c.relation] else c
        by_key[key] = replace(best, url=old.url or c.url, published=old.published or c.published)
    return list(by_key.values())


@dataclass
class _Found:
    """Fields one reader found, with their provenance, to be laid into a `Metadata`."""

    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)

    def set(self, name: str, value: Any, provenance: Provenance) -> None:
        self.values[name] = value
        self.provenance[name] = provenance


def text_metadata(
    layout: Layout, raw: RawPage | None = None, canonical: str | None = None, *, with_language: bool = True
) -> Metadata:
    """Everything the text says about the page; `canonical` (the HTML's canonical URL) helps
    tell the site's own dateline from a credited outlet's. `with_language=False` leaves the language
    undetected: the caller has it already (`<html lang>` on most pages), and it wins in `merge`."""
    header = [b.para for b in layout.before_body() if b.header]
    furniture = _lines([*header, *(b.para for b in layout.outside_body() if b.kind is not None or b.header)])
    title = _Found()
    if layout.title is not None and (t := title_found(layout.roles[layout.title].para)).value:
        title.set("title", t.value, Provenance(start=t.start, end=t.end, method="first-heading"))
    authors = _read_authors(layout, furniture)
    keys = _site_keys(layout, raw, canonical)
    credits = _read_credits(layout, furniture)
    dated, credits = _read_publisher_and_dates(layout, credits, authors.values.get("authors", []), keys, raw)
    chain = _read_chain(credits, dated.values.get("publisher"))
    language = _Found()
    s, e, method = (
        (*layout.body, "py3langid:body") if layout.body else (0, len(layout.text), "py3langid:text")
    )
    if with_language and (lang := detect_language(layout.text[s : min(e, s + 20_000)])):
        language.set("language", lang, Provenance(start=s, end=e, method=method))
    parts = [title, authors, dated, chain, _read_tags(layout), _read_links_and_media(layout.text), language]
    return Metadata.model_validate(
        {
            **{k: v for part in parts for k, v in part.values.items()},
            "provenance": {k: v for part in parts for k, v in part.provenance.items()},
        }
    )


def _read_authors(layout: Layout, furniture: list[Paragraph]) -> _Found:
    """Bylines in the header and wrapper ("By X", "Articles by: X", "Author: X"), then a
    name alone on a line beside a date ("Jane Whitfield" / "Mar 14, 2023")."""
    names = [name for line in furniture for name in parse_byline(line)]
    for b in layout.before_body():
        if b.bare_name:
            names += [
                replace(title_found(ln), method="name-beside-date")
                for ln in b.para.lines()
                if is_bare_name(ln) and not line_is_header(ln)
            ]
    authors: list[str] = []
    for name in names:
        if name.value.lower() not in {a.lower() for a in authors}:
            authors.append(name.value)
    found = _Found()
    if names:
        found.set(
            "authors", authors, Provenance(start=names[0].start, end=names[0].end, method=names[0].method)
        )
    return found


def _read_credits(layout: Layout, furniture: list[Paragraph]) -> list[Credit]:
    """Credit lines in header and wrapper; wire datelines and outlet attributions in the body."""
    credits = [c for line in furniture for c in find_credits(line)]
    body = layout.body_paragraphs()
    if body:
        credits.extend(find_wire_credit(body[0].text, body[0].start))
        for p in body[:200]:  # credits are stated early; a huge body need not be read to the end
            credits.extend(find_according_to(p.text[:20_000], p.start))
    return credits


def _read_publisher_and_dates(
    layout: Layout,
    credits: list[Credit],
    authors: list[str],
    keys: set[str],
    raw: RawPage | None,
) -> tuple[_Found, list[Credit]]:
    """Publisher and published/updated dates from datelines; returns them and the credits
    plus the credit lines ("X 6 January 2020") found among the datelines."""
    found = _Found()
    header = [b.para for b in layout.before_body() if b.header]
    datelines: list[Dateline] = [d for d in (parse_dateline(p) for p in _lines(header)) if d is not None]
    credited = {squash(c.name) for c in credits if c.relation in ("original", "source")}
    by_author = {a.lower() for a in authors}
    named = [(d, d.name) for d in datelines if d.name is not None and d.label == "dateline"]
    # "Jane Doe, 5 January 2021" under a byline for Jane Doe is the author's date line: the
    # article's date, neither the site nor a credit (unless a credit names her too).
    authored = [d for d, n in named if n.value.lower() in by_author and squash(n.value) not in credited]
    named = [(d, n) for d, n in named if d not in authored]
    own = next(((d, n) for d, n in named if any(_same(n.value, k) for k in keys)), None)
    if own is None:
        others = [(d, n) for d, n in named if squash(n.value) not in credited]
        if len(others) == 1 or (others and len(named) > 1):
            own = others[0]
    # "X 6 January 2020" beside the site's own dateline: a credit with the original's date.
    credits = [
        *(
            Credit(n.value, "original", n.start, n.end, published=d.date.value, method="credit-dateline")
            for d, n in reversed(named)
            if own is None or d is not own[0]
        ),
        *credits,
    ]
    values = found.values
    if own is not None:
        d, n = own
        method = "dateline+site-domain" if any(_same(n.value, k) for k in keys) else "dateline"
        found.set("publisher", n.value, Provenance(start=n.start, end=n.end, method=method))
        found.set(
            "published", d.date.value, Provenance(start=d.date.start, end=d.date.end, method="dateline")
        )
    for d in authored:
        if "published" not in values:
            found.set(
                "published",
                d.date.value,
                Provenance(start=d.date.start, end=d.date.end, method="author-dateline"),
            )
    for d in datelines:
        if d.label == "updated":
            if "updated" not in values:
                found.set(
                    "updated",
                    d.date.value,
                    Provenance(start=d.date.start, end=d.date.end, method="updated-label"),
                )
        elif "published" not in values and (d.label == "published" or d.name is None):
            method = "published-label" if d.label == "published" else "dateline"
            found.set(
                "published", d.date.value, Provenance(start=d.date.start, end=d.date.end, method=method)
            )
    if "publisher" not in values:
        # "© 2022 Harbour Notes": the copyright holder, unless it is the credited original.
        for line in _lines(b.para for b in layout.outside_body() if b.kind == "copyright"):
            holder = copyright_holder(line)
            if holder and squash(holder.value) not in credited:
                found.set(
                    "publisher",
                    holder.value,
                    Provenance(start=holder.start, end=holder.end, method="copyright-holder"),
                )
                break
    if "publisher" not in values and raw is not None and raw.outlet:
        found.set("publisher", raw.outlet, Provenance(method="record:outlet"))
    if "published" not in values and raw is not None and (iso := to_iso(raw.published)):
        found.set("published", iso, Provenance(method="record:published"))
    return found, credits


def _read_chain(credits: list[Credit], publisher: str | None) -> _Found:
    """Every credit once (the publisher left out), original first; the first that is not a
    mere "according to" is the original source."""
    found = _Found()
    chain = [c for c in _dedupe(credits) if not (publisher and squash(c.name) == squash(publisher))]
    chain.sort(key=lambda c: _RELATION_ORDER[c.relation])
    sources = [
        OriginalSource(
            name=c.name, url=c.url, published=c.published, relation=c.relation, start=c.start, end=c.end
        )
        for c in chain
    ]
    if chain:
        found.set(
            "republication_chain",
            sources,
            Provenance(start=chain[0].start, end=chain[0].end, method="credits"),
        )
    if chain and chain[0].relation != "according_to":
        found.set(
            "original_source",
            sources[0],
            Provenance(start=chain[0].start, end=chain[0].end, method=chain[0].method),
        )
    return found


def _read_tags(layout: Layout) -> _Found:
    """ "Region:", "Theme:", "Tags:" lines anywhere outside the article."""
    seen: set[tuple[str, str]] = set()
    tags: list[Tag] = []
    for line in _lines(b.para for b in layout.outside_body()):
        for kind, tag in parse_tag_line(line):
            if (kind, tag.value.lower()) not in seen:
                seen.add((kind, tag.value.lower()))
                tags.append(Tag(kind=kind, value=tag.value, start=tag.start, end=tag.end))
    found = _Found()
    if tags:
        found.set("tags", tags, Provenance(start=tags[0].start, end=tags[-1].end, method="tag-lines"))
    return found


def _read_links_and_media(text: str) -> _Found:
    """Every link written in the page (markdown, autolinks, bare URLs); media by URL kind."""
    links: list[Link] = []
    media: list[Media] = []
    link_seen: set[tuple[str, str]] = set()
    media_seen: set[str] = set()
    for lk in (lk for a, b in page_windows(text) for lk in iter_links(text[a:b], a)):
        url = lk.url
        if not url or url.startswith("#") or url.lower().startswith(("javascript:", "mailto:")):
            continue
        mkind = "image" if lk.image else media_kind(url)
        if mkind and url not in media_seen:
            media_seen.add(url)
            media.append(Media(kind=mkind, url=url, start=lk.start, end=lk.end))
        if (url, lk.text) not in link_seen:
            link_seen.add((url, lk.text))
            links.append(Link(url=url, text=lk.text, start=lk.start, end=lk.end))
    found = _Found()
    if media:
        found.set("media", media, Provenance(start=media[0].start, end=media[0].end, method="url-kind"))
    if links:
        found.set(
            "links", links, Provenance(start=links[0].start, end=links[0].end, method="markdown+bare-urls")
        )
    return found


def merge(prior: Metadata, found: Metadata) -> Metadata:
    """`prior` (from HTML) wins for every field it has; `found` fills the gaps and lists."""
    out = prior.model_copy()  # lists are replaced, never mutated; provenance is copied
    out.provenance = dict(prior.provenance)
    for name in (
        "url",
        "canonical_url",
        "title",
        "publisher",
        "published",
        "updated",
        "language",
        "original_source",
    ):
        if getattr(out, name) is None and getattr(found, name) is not None:
            setattr(out, name, getattr(found, name))
            if name in found.provenance:
                out.provenance[name] = found.provenance[name]
    if not out.authors and found.authors:
        out.authors = list(found.authors)
        if "authors" in found.provenance:
            out.provenance["authors"] = found.provenance["authors"]
    if not out.republication_chain:
        out.republication_chain = list(found.republication_chain)
    keyed = {
        "tags": lambda t: (t.kind, t.value.lower()),
        "media": lambda m: m.url,
        "links": lambda lk: (lk.url, lk.text),
    }
    for name, key in keyed.items():
        have = getattr(out, name)
        known = {key(x) for x in have}
        extra = [x for x in getattr(found, name) if key(x) not in known]
        if extra:
            setattr(out, name, [*have, *extra])
            if name in found.provenance and name not in out.provenance:
                out.provenance[name] = found.provenance[name]
    return out
