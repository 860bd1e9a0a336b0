"""Metadata from HTML markup: title, authors, publisher, dates, language, URLs, links, media, tags.

Where it sits: called by `anatomy.html.html_to_document` after the page's blocks and body are
known; the text-side anatomy stage later adds what only the text shows (republication chain,
funding, contacts) and confirms the language with a detector.

Every value records where it was found in `Metadata.provenance[field]`: the XPath of the
element and the method (`json-ld`, `meta[og:title]`, `h1`, `htmldate`, …). Structured sources
win over guesses: JSON-LD, then OpenGraph/Dublin Core/article meta tags, then visible markup
(`<h1>`, `<time>`, bylines), then htmldate's heuristics for dates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import lxml.etree as etree

from presslens.document import Link, Media, Metadata, Provenance, RawPage, Tag
from presslens.vocab import TagKind

if TYPE_CHECKING:
    from presslens.anatomy.html import Block

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "scholarlyarticle",
    "techarticle",
    "report",
    "liveblogposting",
    "socialmediaposting",
    "videoobject",
    "webpage",
    "posting",
}
_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BYLINE_PREFIX = re.compile(r"^\s*(by|written by|author:?|par|von|por)\s+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)


@dataclass
class Placement:
    """A metadata item whose text span `html_to_document` should look up via its element."""

    item: Link | Media | Tag
    element: etree._Element
    text: str


@dataclass
class HtmlMetadata:
    metadata: Metadata
    placements: list[Placement] = field(default_factory=list)


def _clean(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _xp(el: etree._Element) -> str:
    try:
        path = el.getroottree().getpath(el)
    except (ValueError, TypeError):
        return "/"
    return path if len(path) <= 2000 else path[:900] + "/…/" + path[-900:]


# --------------------------------------------------------------------------------------------
# Sources of structured metadata.


def _json_ld(root: etree._Element) -> list[tuple[dict[str, Any], etree._Element]]:
    """Every JSON-LD object on the page (flattening `@graph` and lists), with its <script>."""
    found: list[tuple[dict[str, Any], etree._Element]] = []
    for script in root.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > 1_000_000:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack and len(found) < 200:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(reversed(obj))
            elif isinstance(obj, dict):
                if "@graph" in obj:
                    stack.append(obj["@graph"])
                found.append((obj, script))
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    values = t if isinstance(t, list) else [t]
    return {str(v).lower() for v in values if v}


def _ld_article(
    objs: list[tuple[dict[str, Any], etree._Element]],
) -> tuple[dict[str, Any], etree._Element] | None:
    ranked = [(o, s) for o, s in objs if _types(o) & _ARTICLE_TYPES]
    # A real article type beats a generic WebPage.
    ranked.sort(key=lambda pair: "webpage" in _types(pair[0]))
    return ranked[0] if ranked else None


def _meta_tags(root: etree._Element) -> dict[str, list[tuple[str, etree._Element]]]:
    """`<meta>` content by lower-cased property/name/itemprop, in page order."""
    metas: dict[str, list[tuple[str, etree._Element]]] = {}
    for meta in root.iter("meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                metas.setdefault(key.strip().lower(), []).append((_clean(content), meta))
    return metas


def _first_meta(
    metas: dict[str, list[tuple[str, etree._Element]]], *keys: str
) -> tuple[str, etree._Element, str] | None:
    for key in keys:
        values = metas.get(key)
        if values:
            return values[0][0], values[0][1], f"meta[{key}]"
    return None


def _ld_text(value: Any) -> str | None:
    if isinstance(value, str):
        return _clean(value) or None
    if isinstance(value, dict):
        return _ld_text(value.get("name") or value.get("@value"))
    if isinstance(value, list) and value:
        return _ld_text(value[0])
    return None


def _ld_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _ld_text(item)
        if name:
            names.append(name)
    return names


# --------------------------------------------------------------------------------------------
# Normalization.


def iso_date(value: str | None) -> str | None:
    """`2020-01-07T10:00:00Z`, `Jan 7, 2020`, `07.01.2020` → `2020-01-07`; None if unparseable."""
    if not value:
        return None
    value = value.strip()
    m = _ISO_DATE.search(value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    if len(value) > 80:
        return None
    try:
        from dateutil import parser as dateparser

        parsed: datetime = dateparser.parse(value, fuzzy=True, default=datetime(1900, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed.year < 1900 or parsed.year > 2100 or parsed.year == 1900:
        return None
    return parsed.strftime("%Y-%m-%d")


def _lang(value: str | None) -> str | None:
    if not value:
        return None
    m = re.match(r"\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*\s*$", value)
    return m.group(1).lower() if m else None


def _author_names(text: str) -> list[str]:
    text = _BYLINE_PREFIX.sub("", _clean(text))
    text = re.split(r"\s+[|–—-]\s+|\s*\b(?:on|updated|published)\b\s", text, maxsplit=1)[0]
    names = []
    for part in _NAME_SPLIT.split(text):
        part = part.strip(" .:|")
        # A name is a few words, not a sentence and not a URL.
        if part and len(part) <= 60 and len(part.split()) <= 5 and "://" not in part and "@" not in part:
            names.append(part)
    return names


_TITLE_SUFFIX = re.compile(r"\s+[|–—·•:-]\s+[^|–—·•]{2,60}$")


# --------------------------------------------------------------------------------------------
# The extractor.


def _body_elements(blocks: Sequence[Block], body_idx: Sequence[int]) -> set[etree._Element]:
    return {blocks[i].element for i in body_idx}


def _owner(el: etree._Element, owners: set[etree._Element]) -> etree._Element | None:
    for anc in el.iterancestors():
        if anc in owners:
            return anc
    return None


def _resolve(href: str | None, base: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    scheme = urlsplit(href).scheme.lower() if ":" in href else ""
    if scheme and scheme not in ("http", "https"):
        return None  # javascript:, data:, mailto: and friends are not links to follow
    if href.startswith("#"):
        return None
    if base and not scheme:
        try:
            href = urljoin(base, href)
        except ValueError:
            return None
    if not urlsplit(href).scheme and not base:
        return href if href.startswith("/") else None
    return href


_TAG_PATH_KIND: tuple[tuple[str, TagKind], ...] = (
    ("region", "region"),
    ("country", "region"),
    ("theme", "theme"),
    ("topic", "theme"),
    ("report", "report"),
    ("dossier", "report"),
    ("section", "section"),
    ("category", "section"),
    ("categories", "section"),
)


def _tag_kind(href: str | None, label: str) -> TagKind:
    """A tag link's kind from its URL path (`/region/…`) or the label before it ("Theme:")."""
    label = label.lower()
    for word, kind in _TAG_PATH_KIND:
        if re.search(rf"\b{word}\s*:\s*$", label):
            return kind
    path = urlsplit(href or "").path.lower()
    for word, kind in _TAG_PATH_KIND:
        if f"/{word}/" in path or path.startswith(f"{word}/") or f"{word}=" in (href or ""):
            return kind
    return "keyword"


def extract_metadata(
    root: etree._Element, raw: RawPage, blocks: Sequence[Block], body_idx: Sequence[int]
) -> HtmlMetadata:
    """Read every metadata field the markup offers, each with its provenance."""
    md = Metadata()
    prov = md.provenance
    placements: list[Placement] = []
    metas = _meta_tags(root)
    ld_objs = _json_ld(root)
    article = _ld_article(ld_objs)
    ld, ld_el = article if article else ({}, None)

    # URLs first: links and media are resolved against them.
    md.url = raw.url
    canon = root.find(".//link[@rel='canonical']")
    if canon is not None and canon.get("href"):
        md.canonical_url = _resolve(canon.get("href"), raw.url)
        if md.canonical_url:
            prov["canonical_url"] = Provenance(element=_xp(canon), method="link[rel=canonical]")
    og_url = _first_meta(metas, "og:url")
    if og_url:
        if md.canonical_url is None:
            md.canonical_url = _resolve(og_url[0], raw.url)
            prov["canonical_url"] = Provenance(element=_xp(og_url[1]), method=og_url[2])
        if md.url is None:
            md.url = _resolve(og_url[0], None)
            prov["url"] = Provenance(element=_xp(og_url[1]), method=og_url[2])
    if md.url is None and md.canonical_url:
        md.url = md.canonical_url
    base = md.url or md.canonical_url
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        base = _resolve(base_el.get("href"), base) or base

    _title(root, md, metas, ld, ld_el, blocks, body_idx)
    _authors(root, md, metas, ld, ld_el, blocks, body_idx)
    _publisher(md, metas, ld, ld_el, raw)
    if md.publisher is None:
        _publisher_from_title(root, md)
    _dates(root, md, metas, ld, ld_el, raw, blocks, body_idx)
    _language(root, md, metas)
    body_elements = _body_elements(blocks, body_idx)
    _links(root, md, body_elements, {b.element for b in blocks}, base, placements)
    _media(root, md, metas, blocks, body_idx, base, placements)
    _tags(root, md, metas, ld, ld_el, placements, _near_article(blocks, body_idx))
    return HtmlMetadata(md, placements)


def _title(
    root: etree._Element,
    md: Metadata,
    metas: dict[str, list[tuple[str, etree._Element]]],
    ld: dict[str, Any],
    ld_el: etree._Element | None,
    blocks: Sequence[Block],
    body_idx: Sequence[int],
) -> None:
    candidates: list[tuple[str, etree._Element, str]] = []
    headline = _ld_text(ld.get("headline") or ld.get("name")) if ld else None
    if headline and ld_el is not None:
        candidates.append((headline, ld_el, "json-ld"))
    for found in (
        _first_meta(metas, "og:title"),
        _first_meta(metas, "twitter:title"),
        _first_meta(metas, "dc.title"),
    ):
        if found:
            candidates.append(found)
    title_el = root.find(".//title")
    page_title = _clean(title_el.text_content()) if title_el is not None else ""
    refs = [c[0].lower() for c in candidates] + ([page_title.lower()] if page_title else [])
    site = (_first_meta(metas, "og:site_name") or ("",))[0].lower()
    # The visible headline is the heading the title sources agree with; its text is what
    # readers see and it maps to a block. A heading that is only a link home is the site's
    # name (a logo line), not the article's.
    best: tuple[str, etree._Element] | None = None
    headings = [h for h in root.iter("h1", "h2", "h3") if not _links_home(h)]
    for h in headings[:20]:
        text = _clean(h.text_content())
        low = text.lower()
        if len(text) < 3 or (site and low == site):
            continue
        agrees = any(_similar(text, r) or (len(text) >= 8 and low in r) for r in refs)
        if agrees and (best is None or len(text) > len(best[0])):
            best = (text, h)
    if best is not None:
        md.title = best[0]
        md.provenance["title"] = Provenance(element=_xp(best[1]), method=str(best[1].tag))
        return
    h1s = [h for h in root.iter("h1") if _clean(h.text_content()) and not _links_home(h)]
    if candidates:
        value, el, method = candidates[0]
        md.title = value
        md.provenance["title"] = Provenance(element=_xp(el), method=method)
        return
    if len(h1s) == 1:
        md.title = _clean(h1s[0].text_content())
        md.provenance["title"] = Provenance(element=_xp(h1s[0]), method="h1")
        return
    if page_title and title_el is not None:
        md.title = _TITLE_SUFFIX.sub("", page_title) or page_title
        md.provenance["title"] = Provenance(element=_xp(title_el), method="title")


def _links_home(h: etree._Element) -> bool:
    """A heading whose text is all inside a link to the site's home page (a logo line)."""
    links = h.findall(".//a")
    if not links:
        return False
    for a in links:
        href = (a.get("href") or "").strip()
        path = urlsplit(href).path if "://" in href or href.startswith("/") else href
        if "home" in (a.get("rel") or "").lower().split() or path in ("", "/"):
            return _clean(a.text_content()) == _clean(h.text_content())
    return False


def _similar(a: str, b: str) -> bool:
    a, b = a.lower().strip(), b.lower().strip()
    return bool(a) and bool(b) and (a == b or (len(a) > 15 and (a in b or b in a)))


def _authors(
    root: etree._Element,
    md: Metadata,
    metas: dict[str, list[tuple[str, etree._Element]]],
    ld: dict[str, Any],
    ld_el: etree._Element | None,
    blocks: Sequence[Block],
    body_idx: Sequence[int],
) -> None:
    def accept(names: list[str], el: etree._Element, method: str) -> bool:
        names = [n for n in dict.fromkeys(names) if n]
        if not names:
            return False
        md.authors = names
        md.provenance["authors"] = Provenance(element=_xp(el), method=method)
        return True

    if ld and ld_el is not None and ld.get("author"):
        names = [n for raw in _ld_names(ld["author"]) for n in _author_names(raw)]
        if accept(names, ld_el, "json-ld"):
            return
    for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"):
        found = metas.get(key)
        if (
            found
            and not found[0][0].startswith("http")
            and accept(_author_names(found[0][0]), found[0][1], f"meta[{key}]")
        ):
            return
    for a in root.iterfind(".//a[@rel]"):
        is_author = "author" in (a.get("rel") or "").lower().split()
        if is_author and accept(_author_names(a.text_content()), a, "a[rel=author]"):
            return
    for el in root.iterfind(".//*[@itemprop]"):
        if (el.get("itemprop") or "").lower() == "author":
            name_el = el.find(".//*[@itemprop='name']")
            text = (name_el if name_el is not None else el).text_content()
            if accept(_author_names(text), el, "itemprop=author"):
                return
    # Visible bylines: a short element whose class says byline/author, or a "By …" line
    # just above the body.
    for el in root.iterfind(".//*[@class]"):
        cls = (el.get("class") or "").lower()
        if (
            ("byline" in cls or re.search(r"\bauthor(-?name)?\b", cls))
            and isinstance(el.tag, str)
            and el.tag not in ("meta", "script", "body", "html")
        ):
            text = _clean(el.text_content())
            if 2 < len(text) < 120 and accept(_author_names(text), el, "byline"):
                return
    first = body_idx[0] if body_idx else len(blocks)
    for block in blocks[max(0, first - 8) : first + 2]:
        is_byline = bool(_BYLINE_PREFIX.match(block.text)) and len(block.text) < 120
        if is_byline and accept(_author_names(block.text), block.element, "byline"):
            return


def _publisher(
    md: Metadata,
    metas: dict[str, list[tuple[str, etree._Element]]],
    ld: dict[str, Any],
    ld_el: etree._Element | None,
    raw: RawPage,
) -> None:
    found = _first_meta(metas, "og:site_name", "application-name", "twitter:site", "dc.publisher")
    if found and found[0].strip("@"):
        md.publisher = found[0].lstrip("@")
        md.provenance["publisher"] = Provenance(element=_xp(found[1]), method=found[2])
        return
    if ld and ld_el is not None:
        name = _ld_text(ld.get("publisher"))
        if name:
            md.publisher = name
            md.provenance["publisher"] = Provenance(element=_xp(ld_el), method="json-ld")
            return
    if raw.outlet:
        md.publisher = raw.outlet
        md.provenance["publisher"] = Provenance(method="record")


_TITLE_PARTS = re.compile(r"\s+[|–—·•»›]\s+|\s+-\s+")


def _publisher_from_title(root: etree._Element, md: Metadata) -> None:
    """ "Headline | Site Name": the part of <title> that is not the headline names the site."""
    title_el = root.find(".//title")
    if title_el is None or not md.title:
        return
    parts = [p.strip() for p in _TITLE_PARTS.split(_clean(title_el.text_content())) if p.strip()]
    if len(parts) < 2:
        return
    headline = md.title.lower()
    rest = [p for p in parts if p.lower() not in headline and headline not in p.lower()]
    # the site is the last part (or the first, on sites that lead with their name)
    if len(rest) == 1 and len(rest[0]) <= 60 and rest[0] in (parts[-1], parts[0]):
        md.publisher = rest[0]
        md.provenance["publisher"] = Provenance(element=_xp(title_el), method="title")


def _dates(
    root: etree._Element,
    md: Metadata,
    metas: dict[str, list[tuple[str, etree._Element]]],
    ld: dict[str, Any],
    ld_el: etree._Element | None,
    raw: RawPage,
    blocks: Sequence[Block],
    body_idx: Sequence[int],
) -> None:
    prov = md.provenance
    if ld and ld_el is not None:
        for key, fld in (
            ("datePublished", "published"),
            ("dateCreated", "published"),
            ("dateModified", "updated"),
        ):
            value = iso_date(_ld_text(ld.get(key)))
            if value and getattr(md, fld) is None:
                setattr(md, fld, value)
                prov[fld] = Provenance(element=_xp(ld_el), method="json-ld")
    if md.published is None:
        for key in (
            "article:published_time",
            "og:published_time",
            "datepublished",
            "date",
            "pubdate",
            "publishdate",
            "publish-date",
            "dc.date",
            "dc.date.issued",
            "dcterms.created",
            "sailthru.date",
            "parsely-pub-date",
            "article.published",
            "published_time",
        ):
            for value, el in metas.get(key, []):
                iso = iso_date(value)
                if iso:
                    md.published = iso
                    prov["published"] = Provenance(element=_xp(el), method=f"meta[{key}]")
                    break
            if md.published:
                break
    if md.updated is None:
        for key in (
            "article:modified_time",
            "og:updated_time",
            "datemodified",
            "dcterms.modified",
            "last-modified",
        ):
            found = metas.get(key)
            iso = iso_date(found[0][0]) if found else None
            if found and iso:
                md.updated = iso
                prov["updated"] = Provenance(element=_xp(found[0][1]), method=f"meta[{key}]")
                break
    if md.published is None:
        # A <time> near the top of the article: the first one in or just above the body.
        first_el = blocks[body_idx[0]].element if body_idx else None
        times = list(root.iter("time"))
        for t in times:
            value = iso_date(t.get("datetime") or t.text_content())
            if value:
                md.published = value
                prov["published"] = Provenance(element=_xp(t), method="time")
                break
        del first_el
    if md.published is None and body_idx:
        # A visible date line in the article header ("January 07, 2020").
        from presslens.anatomy.html import DATE_LIKE

        first = body_idx[0]
        for block in [*blocks[max(0, first - 8) : first], *blocks[first : first + 2]]:
            m = DATE_LIKE.search(block.text) if len(block.text) < 200 else None
            value = iso_date(m.group(0)) if m else None
            if value:
                md.published = value
                prov["published"] = Provenance(element=_xp(block.element), method="date line")
                break
    if md.published is None and raw.published:
        md.published = iso_date(raw.published)
        if md.published:
            prov["published"] = Provenance(method="record")
    if md.published is None and len(raw.text) <= 3_000_000:  # htmldate's scans grow with the page
        try:
            from copy import deepcopy

            from htmldate import find_date

            value = find_date(
                deepcopy(root),
                url=raw.url,
                original_date=True,
                extensive_search=False,
                outputformat="%Y-%m-%d",
            )
        except Exception:  # htmldate fails in odd ways on odd markup; no date is an answer
            value = None
        if value:
            md.published = value
            prov["published"] = Provenance(method="htmldate")


def _language(root: etree._Element, md: Metadata, metas: dict[str, list[tuple[str, etree._Element]]]) -> None:
    html_el = root if root.tag == "html" else root.find(".//html")
    for el, value, method in (
        (
            html_el,
            html_el.get("lang") or html_el.get("xml:lang") if html_el is not None else None,
            "html[lang]",
        ),
    ):
        lang = _lang(value)
        if lang and el is not None:
            md.language = lang
            md.provenance["language"] = Provenance(element=_xp(el), method=method)
            return
    found = _first_meta(metas, "content-language", "language", "dc.language", "og:locale")
    if found:
        lang = _lang(found[0].split(",")[0])
        if lang:
            md.language = lang
            md.provenance["language"] = Provenance(element=_xp(found[1]), method=found[2])


def _links(
    root: etree._Element,
    md: Metadata,
    body_elements: set[etree._Element],
    owners: set[etree._Element],
    base: str | None,
    placements: list[Placement],
) -> None:
    seen: set[str] = set()
    for a in root.iter("a"):
        owner = _owner(a, owners) if a not in owners else a
        if owner is None or owner not in body_elements:
            continue
        url = _resolve(a.get("href"), base)
        if not url or url in seen:
            continue
        seen.add(url)
        text = _clean(a.text_content())
        link = Link(url=url, text=text)
        md.links.append(link)
        if text:
            placements.append(Placement(link, a, text))


def _elements_in_order(root: etree._Element) -> dict[etree._Element, int]:
    return {el: i for i, el in enumerate(root.iter())}


_VIDEO_HOSTS = re.compile(
    r"(youtube\.com|youtu\.be|vimeo\.com|dailymotion\.com|rumble\.com|bitchute\.com)", re.I
)
_MEDIA_EXT = re.compile(r"\.(mp4|webm|m4v|mov|ogv)(\?|$)|\.(mp3|m4a|ogg|wav|aac)(\?|$)", re.I)


def _media(
    root: etree._Element,
    md: Metadata,
    metas: dict[str, list[tuple[str, etree._Element]]],
    blocks: Sequence[Block],
    body_idx: Sequence[int],
    base: str | None,
    placements: list[Placement],
) -> None:
    seen: set[str] = set()

    def add(kind: str, url: str | None, el: etree._Element, method: str) -> None:
        if not url or url in seen:
            return
        seen.add(url)
        item = Media(kind=kind, url=url)
        md.media.append(item)
        md.provenance.setdefault("media", Provenance(element=_xp(el), method=method))

    if body_idx:
        order = _elements_in_order(root)
        first = blocks[body_idx[0]].element
        last = blocks[body_idx[-1]].element
        lo = order.get(first, 0)
        # the region ends after the last body block's subtree
        descendants = list(last.iter())
        hi = order.get(descendants[-1], lo)
        for el in _iter_media(root):
            pos = order.get(el, -1)
            if not lo <= pos <= hi + 1:
                continue
            tag = el.tag
            if tag in ("video", "audio"):
                add(tag, _resolve(el.get("src"), base), el, tag)
                for src in el.iterfind(".//source"):
                    add(tag, _resolve(src.get("src"), base), src, f"{tag}/source")
            elif tag == "iframe":
                url = _resolve(el.get("src") or el.get("data-src"), base)
                add("video" if url and _VIDEO_HOSTS.search(url) else "iframe", url, el, "iframe")
            elif tag == "img":
                add("image", _resolve(el.get("src") or el.get("data-src"), base), el, "img")
            elif tag == "a":
                href = _resolve(el.get("href"), base)
                m = _MEDIA_EXT.search(href or "")
                if href and m:
                    add("video" if m.group(1) else "audio", href, el, "a[href]")
    for key, kind in (
        ("og:video", "video"),
        ("og:video:url", "video"),
        ("og:video:secure_url", "video"),
        ("og:audio", "audio"),
        ("og:image", "image"),
        ("twitter:image", "image"),
    ):
        for value, el in metas.get(key, [])[:3]:
            add(kind, _resolve(value, base), el, f"meta[{key}]")


def _iter_media(root: etree._Element) -> Iterator[etree._Element]:
    yield from root.iter("video", "audio", "iframe", "img", "a")


def _tags(
    root: etree._Element,
    md: Metadata,
    metas: dict[str, list[tuple[str, etree._Element]]],
    ld: dict[str, Any],
    ld_el: etree._Element | None,
    placements: list[Placement],
    near: set[etree._Element],
) -> None:
    seen: set[tuple[str, str]] = set()

    def add(kind: TagKind, value: str, el: etree._Element, method: str, place: bool = False) -> None:
        value = _clean(value)
        if not value or len(value) > 100 or (kind, value.lower()) in seen:
            return
        seen.add((kind, value.lower()))
        tag = Tag(kind=kind, value=value)
        md.tags.append(tag)
        md.provenance.setdefault("tags", Provenance(element=_xp(el), method=method))
        if place:
            placements.append(Placement(tag, el, value))

    for value, el in metas.get("article:section", []):
        add("section", value, el, "meta[article:section]")
    for value, el in metas.get("article:tag", []):
        add("keyword", value, el, "meta[article:tag]")
    for a in root.iter("a"):
        rel = (a.get("rel") or "").lower().split()
        href = a.get("href") or ""
        is_rel = "tag" in rel or "category" in rel
        by_path = bool(_TAG_PATH.search(href))
        if not is_rel and not by_path and not _is_near(a, near):
            continue
        # Site-wide menus and sidebars list every category; only links in or beside the
        # article are this article's tags.
        if _in_menu(a) or (not is_rel and not _is_near(a, near)):
            continue
        label = _label_before(a)
        by_label = bool(_TAG_LABEL.search(label))
        if not (is_rel or by_path or by_label):
            continue
        kind = _tag_kind(href, label)
        if not is_rel and not by_label and kind == "keyword" and "/tag" not in href:
            continue
        method = "a[rel=tag]" if is_rel else "label" if by_label else "a[href]"
        add(kind, a.text_content(), a, method, place=True)
    if ld and ld_el is not None:
        section = _ld_text(ld.get("articleSection"))
        if section:
            add("section", section, ld_el, "json-ld")
        keywords = ld.get("keywords")
        values = keywords if isinstance(keywords, list) else str(keywords or "").split(",")
        for value in values[:50]:
            if isinstance(value, str):
                add("keyword", value, ld_el, "json-ld")
    for value, el in metas.get("keywords", [])[:1]:
        for kw in value.split(",")[:50]:
            add("keyword", kw, el, "meta[keywords]")


_TAG_PATH = re.compile(
    r"/(region|regions|theme|themes|report|tag|tags|topic|topics|category|categories|dossier)/", re.I
)
# "Region: <a>…</a>", "Tags: <a>…</a>", "In-depth Report: <a>…</a>": a label ending in a colon.
_TAG_LABEL = re.compile(
    r"\b(region|country|countries|theme|topics?|report|dossier|tags?|tagged|keywords?"
    r"|categor(y|ies)|section|filed under)\s*:\s*$",
    re.I,
)
_MENU_HINT = re.compile(r"menu|nav|sidebar|widget|footer|breadcrumb|tagcloud|tag-cloud", re.I)


def _in_menu(a: etree._Element) -> bool:
    for anc in a.iterancestors():
        if anc.tag in ("nav", "aside", "footer", "menu"):
            return True
        hint = f"{anc.get('class') or ''} {anc.get('id') or ''} {anc.get('role') or ''}"
        if _MENU_HINT.search(hint):
            return True
    return False


def _near_article(blocks: Sequence[Block], body_idx: Sequence[int]) -> set[etree._Element]:
    """Elements of the blocks from a little above the body to a little below it."""
    if not body_idx:
        return {b.element for b in blocks}
    lo, hi = max(0, body_idx[0] - 10), min(len(blocks), body_idx[-1] + 16)
    return {b.element for b in blocks[lo:hi]}


def _is_near(a: etree._Element, near: set[etree._Element]) -> bool:
    return any(anc in near for anc in a.iterancestors())


def _label_before(a: etree._Element) -> str:
    """The text just before a link in its parent ("Region: <a>…</a>")."""
    parent = a.getparent()
    prev = a.getprevious()
    text = (prev.tail if prev is not None else parent.text if parent is not None else "") or ""
    if (
        not text.strip()
        and parent is not None
        and parent.tag in ("li", "span")
        and parent.getparent() is not None
    ):
        grand = parent.getparent()
        text = grand.text or "" if grand is not None else ""
    return text.strip()
