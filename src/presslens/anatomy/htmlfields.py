"""The page's own statements about itself: title, authors, publisher, dates, language, URLs.

Where it sits: the `metadata` stage calls each reader with the page's `MarkupContext`; each
returns one field and its provenance (`Field`), or None. Structured sources win over guesses:
JSON-LD, then meta tags, then visible markup (`<h1>`, `<time>`, bylines), then htmldate's
heuristics for dates. Which meta tags name an author, a title, a publisher or a date is taken
from trafilatura's and htmldate's own lists (tags read in page order, as htmldate reads them),
so presslens keeps no copy of them; what it adds is the element each value came from.
"""

from __future__ import annotations

import re
from copy import deepcopy
from itertools import islice
from urllib.parse import urlsplit

import lxml.etree as etree
from htmldate import find_date
from htmldate.core import (
    DATE_ATTRIBUTES,
    ITEMPROP_ATTRS_MODIFIED,
    ITEMPROP_ATTRS_ORIGINAL,
    NAME_MODIFIED,
    PROPERTY_MODIFIED,
)
from trafilatura.metadata import METANAME_AUTHOR, METANAME_PUBLISHER, METANAME_TITLE, TWITTER_ATTRS

from presslens.anatomy.htmlcontext import Field, MarkupContext, clean, resolve_url
from presslens.document import Provenance
from presslens.lexicon.bylines import BYLINE_END, BYLINE_PREFIX, NAME_SPLIT
from presslens.lexicon.dates import find_dates, to_iso

PUBLISHED_KEYS = DATE_ATTRIBUTES | ITEMPROP_ATTRS_ORIGINAL
PUBLISHED_TERMS = {k for k in PUBLISHED_KEYS if "pub" in k}
UPDATED_KEYS = PROPERTY_MODIFIED | NAME_MODIFIED | ITEMPROP_ATTRS_MODIFIED
# A "copyright" meta tag holds a notice ("© 2020 X. All rights reserved"), not a name.
PUBLISHER_KEYS = (METANAME_PUBLISHER | TWITTER_ATTRS) - {"copyright"}
MAX_HTMLDATE_CHARS = 3_000_000  # htmldate's scans grow with the page
_TITLE_SUFFIX = re.compile(r"\s+[|–—·•:-]\s+[^|–—·•]{2,60}$")
_TITLE_PARTS = re.compile(r"\s+[|–—·•»›]\s+|\s+-\s+")
_AUTHOR_CLASS = re.compile(r"\bauthor(-?name)?\b")


def _is_name_text(value: str) -> bool:
    return not value.startswith("http") and "://" not in value


# --------------------------------------------------------------------------------------------
# URLs


def read_url(ctx: MarkupContext) -> Field[str] | None:
    """The page's URL: the record's, else the `og:url` it declares, else its canonical URL."""
    if ctx.raw.url:
        return Field(ctx.raw.url, Provenance(method="record:url"))
    og = ctx.metas.first("og:url")
    if og and (url := resolve_url(og.value, None)):
        return Field(url, ctx.provenance(og.element, og.method))
    return read_canonical(ctx)


def read_canonical(ctx: MarkupContext) -> Field[str] | None:
    """`<link rel=canonical>`, else `og:url`, resolved against the record's URL."""
    canon = ctx.root.find(".//link[@rel='canonical']")
    if canon is not None and (url := resolve_url(canon.get("href"), ctx.raw.url)):
        return Field(url, ctx.provenance(canon, "link[rel=canonical]"))
    og = ctx.metas.first("og:url")
    if og and (url := resolve_url(og.value, ctx.raw.url)):
        return Field(url, ctx.provenance(og.element, og.method))
    return None


def base_url(ctx: MarkupContext, url: str | None) -> str | None:
    """What relative links resolve against: `<base href>`, else the page's URL."""
    base_el = ctx.root.find(".//base[@href]")
    return (resolve_url(base_el.get("href"), url) or url) if base_el is not None else url


# --------------------------------------------------------------------------------------------
# Title


def read_title(ctx: MarkupContext) -> Field[str] | None:
    """The visible headline the title sources agree with, else the first title source, else a
    lone `<h1>`, else `<title>` without its site suffix."""
    candidates: list[tuple[str, etree._Element, str]] = []
    if ctx.ld and (headline := ctx.ld.text("headline") or ctx.ld.text("name")):
        candidates.append((headline, ctx.ld.script, "json-ld"))
    for hit in (ctx.metas.first("og:title"), ctx.metas.first_of(METANAME_TITLE)):
        if hit:
            candidates.append((hit.value, hit.element, hit.method))
    title_el = ctx.root.find(".//title")
    page_title = clean(title_el.text_content()) if title_el is not None else ""
    refs = [c[0].lower() for c in candidates] + ([page_title.lower()] if page_title else [])
    site_hit = ctx.metas.first("og:site_name")
    site = site_hit.value.lower() if site_hit else ""
    # The visible headline is the heading the title sources agree with; its text is what
    # readers see and it maps to a block. A heading that is only a link home is the site's
    # name (a logo line), not the article's.
    best: tuple[str, etree._Element] | None = None
    for h in islice((h for h in ctx.root.iter("h1", "h2", "h3") if not _links_home(h)), 20):
        text = clean(h.text_content())
        low = text.lower()
        if len(text) < 3 or (site and low == site):
            continue
        agrees = any(_similar(text, r) or (len(text) >= 8 and low in r) for r in refs)
        if agrees and (best is None or len(text) > len(best[0])):
            best = (text, h)
    if best is not None:
        return Field(best[0], ctx.provenance(best[1], str(best[1].tag)))
    if candidates:
        value, el, method = candidates[0]
        return Field(value, ctx.provenance(el, method))
    h1s = [h for h in ctx.root.iter("h1") if clean(h.text_content()) and not _links_home(h)]
    if len(h1s) == 1:
        return Field(clean(h1s[0].text_content()), ctx.provenance(h1s[0], "h1"))
    if page_title and title_el is not None:
        return Field(_TITLE_SUFFIX.sub("", page_title) or page_title, ctx.provenance(title_el, "title"))
    return None


def _links_home(h: etree._Element) -> bool:
    """A heading whose text is all inside a link to the site's home page (a logo line)."""
    for a in h.findall(".//a"):
        href = (a.get("href") or "").strip()
        path = urlsplit(href).path if "://" in href or href.startswith("/") else href
        if "home" in (a.get("rel") or "").lower().split() or path in ("", "/"):
            return clean(a.text_content()) == clean(h.text_content())
    return False


def _similar(a: str, b: str) -> bool:
    a, b = a.lower().strip(), b.lower().strip()
    return bool(a) and bool(b) and (a == b or (len(a) > 15 and (a in b or b in a)))


# --------------------------------------------------------------------------------------------
# Authors


def author_names(text: str) -> list[str]:
    """'By Jane Roe and John Doe | Reuters' -> ['Jane Roe', 'John Doe']."""
    text = BYLINE_END.split(BYLINE_PREFIX.sub("", clean(text)), maxsplit=1)[0]
    names = []
    for part in NAME_SPLIT.split(text):
        part = part.strip(" .:|")
        # A name is a few words, not a sentence and not a URL.
        if part and len(part) <= 60 and len(part.split()) <= 5 and "://" not in part and "@" not in part:
            names.append(part)
    return list(dict.fromkeys(names))


def read_authors(ctx: MarkupContext) -> Field[list[str]] | None:
    """JSON-LD authors, author meta tags, `rel=author` links, `itemprop=author`, elements whose
    class says byline/author, then a "By …" line just above the body."""
    if ctx.ld and (names := [n for raw in ctx.ld.names("author") for n in author_names(raw)]):
        return Field(names, ctx.provenance(ctx.ld.script, "json-ld"))
    hit = ctx.metas.first_of(METANAME_AUTHOR, lambda v: _is_name_text(v) and bool(author_names(v)))
    if hit:
        return Field(author_names(hit.value), ctx.provenance(hit.element, hit.method))
    for a in ctx.root.iterfind(".//a[@rel]"):
        if "author" in (a.get("rel") or "").lower().split() and (names := author_names(a.text_content())):
            return Field(names, ctx.provenance(a, "a[rel=author]"))
    for el in ctx.root.iterfind(".//*[@itemprop]"):
        if (el.get("itemprop") or "").lower() == "author":
            name_el = el.find(".//*[@itemprop='name']")
            if names := author_names((name_el if name_el is not None else el).text_content()):
                return Field(names, ctx.provenance(el, "itemprop=author"))
    for el in ctx.root.iterfind(".//*[@class]"):
        cls = (el.get("class") or "").lower()
        if ("byline" in cls or _AUTHOR_CLASS.search(cls)) and el.tag not in (
            "meta",
            "script",
            "body",
            "html",
        ):
            text = clean(el.text_content())
            if 2 < len(text) < 120 and (names := author_names(text)):
                return Field(names, ctx.provenance(el, "byline"))
    for i in ctx.at_body_top(8, 2):
        block = ctx.page.blocks[i]
        if len(block.text) < 120 and BYLINE_PREFIX.match(block.text) and (names := author_names(block.text)):
            return Field(names, ctx.provenance(block.element, "byline"))
    return None


# --------------------------------------------------------------------------------------------
# Publisher


def read_publisher(ctx: MarkupContext, title: str | None) -> Field[str] | None:
    """`og:site_name` and the publisher meta tags, the JSON-LD publisher, the record's outlet,
    then the part of `<title>` that is not the headline ("Headline | Site Name")."""
    hit = (
        ctx.metas.first("og:site_name")
        or ctx.metas.first_of(PUBLISHER_KEYS, lambda v: _is_name_text(v) and not v.startswith("@"))
        or ctx.metas.first_of(PUBLISHER_KEYS, lambda v: _is_name_text(v) and bool(v.strip("@")))  # "@digg"
    )
    if hit and hit.value.strip("@"):
        return Field(hit.value.lstrip("@"), ctx.provenance(hit.element, hit.method))
    if ctx.ld and (name := ctx.ld.text("publisher")):
        return Field(name, ctx.provenance(ctx.ld.script, "json-ld"))
    if ctx.raw.outlet:
        return Field(ctx.raw.outlet, Provenance(method="record"))
    title_el = ctx.root.find(".//title")
    if title_el is None or not title:
        return None
    parts = [p.strip() for p in _TITLE_PARTS.split(clean(title_el.text_content())) if p.strip()]
    headline = title.lower()
    rest = [p for p in parts if p.lower() not in headline and headline not in p.lower()]
    # the site is the last part (or the first, on sites that lead with their name)
    if len(parts) >= 2 and len(rest) == 1 and len(rest[0]) <= 60 and rest[0] in (parts[-1], parts[0]):
        return Field(rest[0], ctx.provenance(title_el, "title"))
    return None


# --------------------------------------------------------------------------------------------
# Dates


def read_published(ctx: MarkupContext) -> Field[str] | None:
    """JSON-LD `datePublished`/`dateCreated`, htmldate's publication meta tags, the first
    `<time>`, a date line just above the body, the record's date, then htmldate's search."""
    if ctx.ld:
        for key in ("datePublished", "dateCreated"):
            if value := to_iso(ctx.ld.text(key)):
                return Field(value, ctx.provenance(ctx.ld.script, "json-ld"))
    # A key that says "published" beats one that says "created" ("datecreated" is often when
    # the page was first drafted), whichever comes first in the page.
    hit = ctx.metas.first_of(PUBLISHED_TERMS, lambda v: to_iso(v) is not None) or ctx.metas.first_of(
        PUBLISHED_KEYS, lambda v: to_iso(v) is not None
    )
    if hit:
        return Field(to_iso(hit.value) or "", ctx.provenance(hit.element, hit.method))
    for t in ctx.root.iter("time"):
        if value := to_iso(t.get("datetime") or t.text_content()):
            return Field(value, ctx.provenance(t, "time"))
    for i in ctx.at_body_top(8, 2) if ctx.body else ():
        block = ctx.page.blocks[i]
        dates = find_dates(block.text) if len(block.text) < 200 else []
        if dates:
            return Field(dates[0].iso, ctx.provenance(block.element, "date line"))
    if value := to_iso(ctx.raw.published):
        return Field(value, Provenance(method="record"))
    if len(ctx.raw.text) > MAX_HTMLDATE_CHARS:
        return None
    try:
        # htmldate cleans the tree it is given; it gets a copy so the page stays as parsed
        found = find_date(
            deepcopy(ctx.root),
            url=ctx.raw.url,
            original_date=True,
            extensive_search=False,
            outputformat="%Y-%m-%d",
        )
    except Exception:  # htmldate fails in odd ways on odd markup; no date is an answer
        return None
    return Field(found, Provenance(method="htmldate")) if found else None


def read_updated(ctx: MarkupContext) -> Field[str] | None:
    """JSON-LD `dateModified`, else htmldate's modification meta tags."""
    if ctx.ld and (value := to_iso(ctx.ld.text("dateModified"))):
        return Field(value, ctx.provenance(ctx.ld.script, "json-ld"))
    hit = ctx.metas.first_of(UPDATED_KEYS, lambda v: to_iso(v) is not None)
    return Field(to_iso(hit.value) or "", ctx.provenance(hit.element, hit.method)) if hit else None


# --------------------------------------------------------------------------------------------
# Language


def _lang(value: str | None) -> str | None:
    m = re.match(r"\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*\s*$", value or "")
    return m.group(1).lower() if m else None


def read_language(ctx: MarkupContext) -> Field[str] | None:
    """`<html lang>`, else the content-language / `og:locale` meta tags."""
    html_el = ctx.root if ctx.root.tag == "html" else ctx.root.find(".//html")
    if html_el is not None and (lang := _lang(html_el.get("lang") or html_el.get("xml:lang"))):
        return Field(lang, ctx.provenance(html_el, "html[lang]"))
    hit = ctx.metas.first("content-language", "language", "dc.language", "og:locale")
    if hit and (lang := _lang(hit.value.split(",")[0])):
        return Field(lang, ctx.provenance(hit.element, hit.method))
    return None
