"""What the article's markup points at: its links, its media, its taxonomy tags.

Where it sits: the `metadata` stage calls `read_links`, `read_media` and `read_tags` with the
page's `MarkupContext`. Only the article counts: links inside the body's blocks, media between
the body's first and last element (plus the page's `og:` media), tags in or beside the article
(site-wide category menus list every category, not this article's). Each item gets the span of
its anchor text in `Document.text` when that text is visible there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import lxml.etree as etree
from trafilatura.metadata import METANAME_IMAGE, METANAME_TAG

from presslens.anatomy.htmlcontext import Field, MarkupContext, clean, resolve_url
from presslens.document import Link, Media, Provenance, Tag
from presslens.vocab import MediaKind, TagKind

_VIDEO_HOSTS = re.compile(
    r"(youtube\.com|youtu\.be|vimeo\.com|dailymotion\.com|rumble\.com|bitchute\.com)", re.I
)
_MEDIA_EXT = re.compile(r"\.(mp4|webm|m4v|mov|ogv)(\?|$)|\.(mp3|m4a|ogg|wav|aac)(\?|$)", re.I)
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
MAX_META_MEDIA = 3  # per og:/twitter: key: pages repeat one image under many sizes


def _span(ctx: MarkupContext, el: etree._Element, text: str) -> dict[str, int]:
    found = ctx.page.locate(el, text) if text else None
    return {"start": found[0], "end": found[1]} if found else {}


# --------------------------------------------------------------------------------------------
# Links


def read_links(ctx: MarkupContext, base: str | None) -> Field[list[Link]] | None:
    """Every distinct http(s) link inside the body's blocks, with its anchor text."""
    owners = ctx.page.owners
    body = {ctx.page.blocks[i].element for i in ctx.body}
    seen: set[str] = set()
    links: list[Link] = []
    first: etree._Element | None = None
    # A link whose owner is a body block lies inside that block's element: the links outside
    # every body element (menus, footers: most of a page's) need no walk up to their owner.
    inside = {a for el in body for a in el.iter("a")}
    for a in ctx.root.iter("a"):
        if a not in inside:
            continue
        owner = a if a in owners else next((anc for anc in a.iterancestors() if anc in owners), None)
        if owner is None or owner not in body:
            continue
        url = resolve_url(a.get("href"), base)
        if not url or url in seen:
            continue
        seen.add(url)
        text = clean(a.text_content())
        links.append(Link(url=url, text=text, **_span(ctx, a, text)))
        first = a if first is None else first
    return Field(links, ctx.provenance(first, "a[href]")) if links and first is not None else None


# --------------------------------------------------------------------------------------------
# Media


def _iter_media(ctx: MarkupContext) -> Iterator[etree._Element]:
    """Media elements from the body's first block to the end of its last block's subtree."""
    if not ctx.body:
        return
    first = ctx.page.blocks[ctx.body[0]].element
    last = list(ctx.page.blocks[ctx.body[-1]].element.iter())[-1]
    # Places in page order, counted as far as one element past the body's end: nothing after
    # that can be the body's media (the page's rest is often most of it).
    order: dict[etree._Element, int] = {}
    found_first = found_last = False
    for i, el in enumerate(ctx.root.iter()):
        order[el] = i
        found_first = found_first or el is first
        found_last = found_last or el is last
        if found_first and found_last and i > order[last]:
            break
    lo = order.get(first, 0)
    hi = order.get(last, lo)
    for el in ctx.root.iter("video", "audio", "iframe", "img", "a"):
        at = order.get(el)
        if at is None:
            break  # past the counted stretch, as is everything after it
        if lo <= at <= hi + 1:
            yield el


def _media_of(
    el: etree._Element, base: str | None
) -> Iterator[tuple[MediaKind, str | None, etree._Element, str]]:
    tag = el.tag
    if tag in ("video", "audio"):
        kind: MediaKind = "video" if tag == "video" else "audio"
        yield kind, resolve_url(el.get("src"), base), el, tag
        for src in el.iterfind(".//source"):
            yield kind, resolve_url(src.get("src"), base), src, f"{tag}/source"
    elif tag == "iframe":
        url = resolve_url(el.get("src") or el.get("data-src"), base)
        yield ("video" if url and _VIDEO_HOSTS.search(url) else "iframe"), url, el, "iframe"
    elif tag == "img":
        yield "image", resolve_url(el.get("src") or el.get("data-src"), base), el, "img"
    elif tag == "a":
        given = el.get("href")
        raw = (given or "").strip()
        if raw and not raw.startswith("?") and not _MEDIA_EXT.search(raw):
            return  # resolving keeps the href's own last segment: no media file (most links)
        href = resolve_url(given, base)
        m = _MEDIA_EXT.search(href or "")
        if href and m:
            yield ("video" if m.group(1) else "audio"), href, el, "a[href]"


def read_media(ctx: MarkupContext, base: str | None) -> Field[list[Media]] | None:
    """Video, audio, embeds and images in the body's region, then the page's `og:` media."""
    candidates = [m for el in _iter_media(ctx) for m in _media_of(el, base)]
    meta_keys: list[tuple[str, MediaKind]] = [
        ("og:video", "video"),
        ("og:video:url", "video"),
        ("og:video:secure_url", "video"),
        ("og:audio", "audio"),
        *((key, "image") for key in sorted(METANAME_IMAGE, key=lambda k: (k != "og:image", k))),
    ]
    for key, kind in meta_keys:
        for hit in ctx.metas.all(key)[:MAX_META_MEDIA]:
            candidates.append((kind, resolve_url(hit.value, base), hit.element, hit.method))
    seen: set[str] = set()
    media: list[Media] = []
    provenance: Provenance | None = None
    for kind, url, el, method in candidates:
        if url and url not in seen:
            seen.add(url)
            media.append(Media(kind=kind, url=url))
            provenance = provenance or ctx.provenance(el, method)
    return Field(media, provenance) if media and provenance else None


# --------------------------------------------------------------------------------------------
# Tags


def _tag_kind(href: str | None, label: str) -> TagKind:
    """A tag link's kind from the label before it ("Theme:") or its URL path (`/region/…`)."""
    label = label.lower()
    for word, kind in _TAG_PATH_KIND:
        if re.search(rf"\b{word}\s*:\s*$", label):
            return kind
    path = urlsplit(href or "").path.lower()
    for word, kind in _TAG_PATH_KIND:
        if f"/{word}/" in path or path.startswith(f"{word}/") or f"{word}=" in (href or ""):
            return kind
    return "keyword"


def _in_menu(a: etree._Element, memo: dict[etree._Element, bool]) -> bool:
    """Whether an ancestor of `a` is a menu, sidebar or footer. Links share ancestors, so each
    element's answer is kept in `memo` and a walk up stops at the first one known."""
    chain: list[etree._Element] = []
    node = a.getparent()
    while node is not None and node not in memo:
        chain.append(node)
        node = node.getparent()
    inside = memo[node] if node is not None else False
    for anc in reversed(chain):
        inside = inside or _is_menu(anc)
        memo[anc] = inside
    return inside


def _is_menu(el: etree._Element) -> bool:
    if el.tag in ("nav", "aside", "footer", "menu"):
        return True
    return bool(_MENU_HINT.search(f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}"))


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


def _tag_links(ctx: MarkupContext) -> Iterator[tuple[TagKind, str, etree._Element, str]]:
    """Tag links in or beside the article: `rel=tag`, a tag-like URL path, or a "Tags:" label."""
    near = {ctx.page.blocks[i].element for i in ctx.around_body(10, 16)}
    # Links inside those blocks' elements, gathered once (not an ancestor walk per link).
    near_links = {a for el in near for a in el.iterdescendants("a")}
    menus: dict[etree._Element, bool] = {}
    for a in ctx.root.iter("a"):
        is_near = a in near_links
        rel_value = a.get("rel")
        if not is_near and not rel_value:
            continue  # neither beside the article nor rel=tag: most of a page's links
        rel = (rel_value or "").lower().split()
        href = a.get("href") or ""
        is_rel = "tag" in rel or "category" in rel
        # Site-wide menus and sidebars list every category; only links in or beside the
        # article are this article's tags.
        if (not is_rel and not is_near) or _in_menu(a, menus):
            continue
        label = _label_before(a)
        by_label = bool(_TAG_LABEL.search(label))
        if not (is_rel or _TAG_PATH.search(href) or by_label):
            continue
        kind = _tag_kind(href, label)
        if not is_rel and not by_label and kind == "keyword" and "/tag" not in href:
            continue
        yield kind, a.text_content(), a, "a[rel=tag]" if is_rel else "label" if by_label else "a[href]"


def read_tags(ctx: MarkupContext) -> Field[list[Tag]] | None:
    """Section and tag meta tags, tag links beside the article, JSON-LD section and keywords,
    the keywords meta tags."""
    candidates: list[tuple[TagKind, str, etree._Element, str, bool]] = [
        *(("section", h.value, h.element, h.method, False) for h in ctx.metas.all("article:section")),
        *(("keyword", h.value, h.element, h.method, False) for h in ctx.metas.all("article:tag")),
        *((kind, text, el, method, True) for kind, text, el, method in _tag_links(ctx)),
    ]
    if ctx.ld:
        if section := ctx.ld.text("articleSection"):
            candidates.append(("section", section, ctx.ld.script, "json-ld", False))
        keywords = ctx.ld.data.get("keywords")
        values = keywords if isinstance(keywords, list) else str(keywords or "").split(",")
        candidates.extend(
            ("keyword", v, ctx.ld.script, "json-ld", False) for v in values[:50] if isinstance(v, str)
        )
    hit = ctx.metas.first_of(METANAME_TAG)  # a keyword list, or one tag per meta tag
    for h in ctx.metas.all(hit.key)[:50] if hit else []:
        candidates.extend(("keyword", kw, h.element, h.method, False) for kw in h.value.split(",")[:50])
    seen: set[tuple[str, str]] = set()
    tags: list[Tag] = []
    provenance: Provenance | None = None
    for kind, raw_value, el, method, place in candidates:
        value = clean(raw_value)
        if not value or len(value) > 100 or (kind, value.lower()) in seen:
            continue
        seen.add((kind, value.lower()))
        tags.append(Tag(kind=kind, value=value, **(_span(ctx, el, value) if place else {})))
        provenance = provenance or ctx.provenance(el, method)
    return Field(tags, provenance) if tags and provenance else None
