"""Metadata read from the text of a laid-out page: who, when, from where, paid how.

Data flow: `anatomy.stage` calls `text_metadata(layout, raw)` and merges the result into
`Document.metadata` without overwriting what the HTML extractor already found. Every value
keeps its span (the list items carry `start`/`end`; scalar fields get a `Provenance` entry in
`metadata.provenance` with the rule that produced them).

Publisher vs original source, in general terms: a page that republishes shows its own dateline
("Site, January 07, 2020") and credits the original ("The original source of this article is X",
"X 6 January 2020", "Source: X"). The dateline whose name matches the site's own domains
(from its e-mail addresses and URLs in the wrapper, or the page URL) is the publisher's; a
credited name is the original source, with the date its own credit line gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from html import unescape as html_unescape
from urllib.parse import urlsplit

from presslens.anatomy.contacts import EMAIL, find_contacts
from presslens.anatomy.credits import Credit, find_according_to, find_credits, find_wire_credit
from presslens.anatomy.dates import to_iso
from presslens.anatomy.funding import find_funding, url_channel
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
from presslens.document import (
    Contact,
    Funding,
    Link,
    Media,
    Metadata,
    OriginalSource,
    Provenance,
    RawPage,
    Tag,
)

# Case-sensitive on purpose: a literal prefix lets the engine jump between "href"s in a large
# page (upper-case HREF is rare enough to miss).
_HREF = re.compile(r"""href\s*=\s*["']([^"'<>\s]{1,2000})["']""")
MAX_HTML_SCAN = 5_000_000  # bytes of raw HTML scanned for funding hrefs
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


def _lines(blocks: Iterable[Paragraph]) -> list[Paragraph]:
    out: list[Paragraph] = []
    for p in blocks:
        out.extend(p.lines() if "\n" in p.text else [p])
    return out


def _site_keys(layout: Layout, raw: RawPage | None, canonical: str | None) -> set[str]:
    """Domain names the page itself uses in its wrapper: its own identity."""
    keys: set[str] = set()
    for url in (raw.url if raw else None, canonical):
        if url:
            keys.add(domain_key(urlsplit(url if "://" in url else "http://" + url).hostname or ""))
    for b in layout.outside_body():
        if b.kind in (None, "donation_appeal", "share_appeal", "attribution"):
            continue  # a donation box names the original author's channels, not the site
        for m in EMAIL.finditer(b.para.text):
            keys.add(domain_key(m.group().split("@", 1)[1]))
        for m in URL_RE.finditer(b.para.text):
            keys.add(
                domain_key(
                    urlsplit(m.group() if "://" in m.group() else "http://" + m.group()).hostname or ""
                )
            )
    keys.discard("")
    return keys


def _dedupe(items: list[Credit]) -> list[Credit]:
    """One credit per outlet: the strongest relation, a date and URL from any mention."""
    by_key: dict[str, Credit] = {}
    order: list[str] = []
    for c in items:
        key = squash(c.name)
        old = by_key.get(key)
        if old is None:
            by_key[key] = c
            order.append(key)
            continue
        best = old if _RELATION_ORDER[old.relation] <= _RELATION_ORDER[c.relation] else c
        by_key[key] = Credit(
            best.name,
            best.relation,
            best.start,
            best.end,
            old.url or c.url,
            old.published or c.published,
            best.method,
        )
    return [by_key[k] for k in order]


def text_metadata(layout: Layout, raw: RawPage | None = None, prior: Metadata | None = None) -> Metadata:
    """Everything the text says about the page; `prior` (HTML metadata) only informs choices.

    Each reader below fills its own fields of `md` (and their `provenance`), in this order
    because later ones use earlier answers (authors tell an author's dateline from a site's;
    the publisher is left out of the republication chain).
    """
    md = Metadata()
    header = [b.para for b in layout.before_body() if b.header]
    furniture = _lines([*header, *(b.para for b in layout.outside_body() if b.kind is not None or b.header)])
    _read_title(layout, md)
    _read_authors(layout, furniture, md)
    credits = _read_credits(layout, furniture)
    credits = _read_publisher_and_dates(layout, header, credits, raw, prior, md)
    _read_chain(credits, md)
    _read_tags(layout, md)
    _read_links_and_media(layout.text, md)
    _read_funding(layout.text, raw, prior, md)
    _read_contacts(layout, md)
    _read_language(layout, md)
    return md


def _read_title(layout: Layout, md: Metadata) -> None:
    """The heading-like line above the article."""
    if layout.title is not None:
        t = title_found(layout.blocks[layout.title].para)
        if t.value:
            md.title = t.value
            md.provenance["title"] = Provenance(start=t.start, end=t.end, method="first-heading")


def _read_authors(layout: Layout, furniture: list[Paragraph], md: Metadata) -> None:
    """Bylines in the header and wrapper ("By X", "Articles by: X", "Author: X"), then a
    name alone on a line beside a date ("Jane Whitfield" / "Mar 14, 2023")."""
    found = [name for line in furniture for name in parse_byline(line)]
    for b in layout.before_body():
        if b.bare_name:
            found += [
                replace(title_found(ln), method="name-beside-date")
                for ln in b.para.lines()
                if is_bare_name(ln) and not line_is_header(ln)
            ]
    for name in found:
        if name.value.lower() not in {a.lower() for a in md.authors}:
            md.authors.append(name.value)
            md.provenance.setdefault(
                "authors", Provenance(start=name.start, end=name.end, method=name.method)
            )


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
    header: list[Paragraph],
    credits: list[Credit],
    raw: RawPage | None,
    prior: Metadata | None,
    md: Metadata,
) -> list[Credit]:
    """Publisher and published/updated dates from datelines; returns the credits plus the
    credit lines ("X 6 January 2020") found among the datelines."""
    prov = md.provenance
    datelines: list[Dateline] = [d for d in (parse_dateline(p) for p in _lines(header)) if d is not None]
    keys = _site_keys(layout, raw, prior.canonical_url if prior else None)
    credited = {squash(c.name) for c in credits if c.relation in ("original", "source")}
    authors = {a.lower() for a in md.authors}
    named = [(d, d.name) for d in datelines if d.name is not None and d.label == "dateline"]
    # "Jane Doe, 5 January 2021" under a byline for Jane Doe is the author's date line: the
    # article's date, neither the site nor a credit (unless a credit names her too).
    authored = [d for d, n in named if n.value.lower() in authors and squash(n.value) not in credited]
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
    if own is not None:
        d, n = own
        by_domain = any(_same(n.value, k) for k in keys)
        md.publisher = n.value
        prov["publisher"] = Provenance(
            start=n.start, end=n.end, method="dateline+site-domain" if by_domain else "dateline"
        )
        md.published = d.date.value
        prov["published"] = Provenance(start=d.date.start, end=d.date.end, method="dateline")
    for d in authored:
        if md.published is None:
            md.published = d.date.value
            prov["published"] = Provenance(start=d.date.start, end=d.date.end, method="author-dateline")
    for d in datelines:
        if d.label == "updated":
            if md.updated is None:
                md.updated = d.date.value
                prov["updated"] = Provenance(start=d.date.start, end=d.date.end, method="updated-label")
        elif md.published is None and (d.label == "published" or d.name is None):
            md.published = d.date.value
            method = "published-label" if d.label == "published" else "dateline"
            prov["published"] = Provenance(start=d.date.start, end=d.date.end, method=method)
    if md.publisher is None:
        # "© 2022 Harbour Notes": the copyright holder, unless it is the credited original.
        for line in _lines(b.para for b in layout.outside_body() if b.kind == "copyright"):
            holder = copyright_holder(line)
            if holder and squash(holder.value) not in credited:
                md.publisher = holder.value
                prov["publisher"] = Provenance(start=holder.start, end=holder.end, method="copyright-holder")
                break
    if md.publisher is None and raw is not None and raw.outlet:
        md.publisher = raw.outlet
        prov["publisher"] = Provenance(method="record:outlet")
    if md.published is None and raw is not None and raw.published and (iso := to_iso(raw.published)):
        md.published = iso
        prov["published"] = Provenance(method="record:published")
    return credits


def _read_chain(credits: list[Credit], md: Metadata) -> None:
    """Every credit once (the publisher left out), original first; the first that is not a
    mere "according to" is the original source."""
    chain = [c for c in _dedupe(credits) if not (md.publisher and squash(c.name) == squash(md.publisher))]
    chain.sort(key=lambda c: _RELATION_ORDER[c.relation])
    md.republication_chain = [
        OriginalSource(
            name=c.name, url=c.url, published=c.published, relation=c.relation, start=c.start, end=c.end
        )
        for c in chain
    ]
    if chain:
        md.provenance["republication_chain"] = Provenance(
            start=chain[0].start, end=chain[0].end, method="credits"
        )
    if chain and chain[0].relation != "according_to":
        md.original_source = md.republication_chain[0]
        md.provenance["original_source"] = Provenance(
            start=chain[0].start, end=chain[0].end, method=chain[0].method
        )


def _read_tags(layout: Layout, md: Metadata) -> None:
    """ "Region:", "Theme:", "Tags:" lines anywhere outside the article."""
    seen: set[tuple[str, str]] = set()
    for line in _lines(b.para for b in layout.outside_body()):
        for kind, found in parse_tag_line(line):
            if (kind, found.value.lower()) not in seen:
                seen.add((kind, found.value.lower()))
                md.tags.append(Tag(kind=kind, value=found.value, start=found.start, end=found.end))
    if md.tags:
        md.provenance["tags"] = Provenance(start=md.tags[0].start, end=md.tags[-1].end, method="tag-lines")


def _read_links_and_media(text: str, md: Metadata) -> None:
    """Every link written in the page (markdown, autolinks, bare URLs); media by URL kind."""
    link_seen: set[tuple[str, str]] = set()
    media_seen: set[str] = set()
    for lk in (lk for a, b in page_windows(text) for lk in iter_links(text[a:b], a)):
        url = lk.url
        if not url or url.startswith("#") or url.lower().startswith(("javascript:", "mailto:")):
            continue
        mkind = "image" if lk.image else media_kind(url)
        if mkind and url not in media_seen:
            media_seen.add(url)
            md.media.append(Media(kind=mkind, url=url, start=lk.start, end=lk.end))
        if (url, lk.text) not in link_seen:
            link_seen.add((url, lk.text))
            md.links.append(Link(url=url, text=lk.text, start=lk.start, end=lk.end))
    if md.media:
        md.provenance["media"] = Provenance(start=md.media[0].start, end=md.media[0].end, method="url-kind")
    if md.links:
        md.provenance["links"] = Provenance(
            start=md.links[0].start, end=md.links[0].end, method="markdown+bare-urls"
        )


def _read_funding(text: str, raw: RawPage | None, prior: Metadata | None, md: Metadata) -> None:
    """Funding channels written in the text, plus HTML links whose anchor text hides the URL
    ("Ko-fi" -> ko-fi.com/x): the extractor's links (with spans) and every href of the raw page."""
    found = [f for a, b in page_windows(text) for f in find_funding(text[a:b], a)]
    md.funding = [Funding(channel=f.channel, value=f.value, start=f.start, end=f.end) for f in found]
    known = {f.value for f in found}
    for plk in prior.links if prior is not None else []:
        channel = url_channel(plk.url, context=plk.text)
        if channel and plk.url not in known:
            known.add(plk.url)
            md.funding.append(Funding(channel=channel, value=plk.url, start=plk.start, end=plk.end))
    if raw is not None and raw.kind == "html":
        for m in _HREF.finditer(raw.text, 0, min(len(raw.text), MAX_HTML_SCAN)):
            url = html_unescape(m.group(1)).strip()
            channel = url_channel(url) if url.startswith(("http://", "https://")) else None
            if channel and url not in known:
                known.add(url)
                md.funding.append(Funding(channel=channel, value=url))
    if md.funding:
        md.provenance["funding"] = Provenance(
            start=md.funding[0].start, end=md.funding[0].end, method="funding-patterns"
        )


def _read_contacts(layout: Layout, md: Metadata) -> None:
    """E-mails anywhere (payment handles excepted); phones and social profiles only outside the
    article (a number or a profile quoted in the story is not the page's contact)."""
    text = layout.text
    handles = [f.value for f in md.funding if "@" in f.value]
    hits = [c for a, b in page_windows(text) for c in find_contacts(text[a:b], a, exclude=handles)]
    if layout.body is not None:
        s, e = layout.body
        hits = [c for c in hits if c.kind == "email" or c.end <= s or c.start >= e]
    seen: set[str] = set()
    for c in sorted(hits, key=lambda h: h.start):
        if c.value.lower() not in seen:
            seen.add(c.value.lower())
            md.contacts.append(Contact(kind=c.kind, value=c.value, role=c.role, start=c.start, end=c.end))
    if md.contacts:
        md.provenance["contacts"] = Provenance(
            start=md.contacts[0].start, end=md.contacts[0].end, method="contact-patterns"
        )


def _read_language(layout: Layout, md: Metadata) -> None:
    """The body's language (the whole text when no body was found), offline."""
    text = layout.text
    s, e, method = (*layout.body, "py3langid:body") if layout.body else (0, len(text), "py3langid:text")
    lang = detect_language(text[s : min(e, s + 20_000)])
    if lang:
        md.language = lang
        md.provenance["language"] = Provenance(start=s, end=e, method=method)


def merge(prior: Metadata, found: Metadata) -> Metadata:
    """`prior` (from HTML) wins for every field it has; `found` fills the gaps and lists."""
    out = prior.model_copy()  # lists are replaced, never mutated; provenance is copied
    out.provenance = dict(prior.provenance)
    for name in ("title", "publisher", "published", "updated", "language", "original_source"):
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
        "funding": lambda f: (f.channel, f.value.lower()),
        "contacts": lambda c: c.value.lower(),
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
