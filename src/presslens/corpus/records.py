"""From an analysed `Document` to the row the store keeps (`DocRecord`), and the keys used.

Where it sits: runs inside the engine's workers, right after the pipeline, so the expensive
per-document work (body features for dedup, compression, flattening annotations) is spread
over processes and the writer only inserts. Pure functions of the document: the same page
always gives the same key and the same record, which is what makes ingest idempotent.

>>> content_key(RawPage(source="a.html", kind="text", text="x", url="https://ex.com/a"))[:12]
'7a0fdca5c4b2'
"""

from __future__ import annotations

import hashlib
import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from presslens.anatomy.boilerplate import classify
from presslens.corpus.dedup import features
from presslens.corpus.store import DocRecord, compress_document
from presslens.document import Document, RawPage
from presslens.lexicon.quotes import ALL_MARKS

if TYPE_CHECKING:
    import tldextract


def content_key(page: RawPage) -> str:
    """sha256 of where the page is from and what it says: one crawl record, one key."""
    where = page.url or page.source
    h = hashlib.sha256()
    h.update(where.encode("utf-8"))
    h.update(b"\0")
    h.update(page.text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:40]


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    import tldextract

    # The suffix list bundled with tldextract, never fetched: ingest makes no network calls.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url: str | None) -> str | None:
    """'https://www.globalresearch.ca/x' -> 'globalresearch.ca'; None for no or odd URLs."""
    if not url or "://" not in url:
        return None
    ext = _extractor()(url)
    if hasattr(ext, "top_domain_under_public_suffix"):  # tldextract >= 5.3
        domain = ext.top_domain_under_public_suffix
    else:
        domain = ext.registered_domain
    return domain.lower() or None


def outlet_of(page_outlet: str | None, url: str | None) -> tuple[str | None, str | None]:
    """(outlet name, domain): the record's own outlet name wins over the URL's domain."""
    domain = registered_domain(url)
    if page_outlet and page_outlet.strip():
        return page_outlet.strip(), domain
    return domain, domain


_CANONICAL = re.compile(r"<link\b[^>]*\brel=[\"']?canonical[\"']?[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.IGNORECASE)


def canonical_from_html(html: str) -> str | None:
    """`<link rel="canonical">` when anatomy did not report one (a cheap scan of the head)."""
    m = _CANONICAL.search(html[:20000])
    if not m:
        return None
    href = _HREF.search(m.group())
    return href.group(1) if href else None


def body_text(doc: Document) -> str:
    """The article body as the corpus compares and searches it: the body span without the
    wrapper lines anatomy left inside it (a poll widget, a newsletter box, a credit line).

    Outlets paste the same widget into unrelated articles; left in, it would be text that two
    unrelated articles share, and syndication would read it as one quoting the other.
    """
    start, end = doc.body_range
    return strip_widgets(doc.text[start:end])


# A widget block (a poll: "take our poll", its question and options, its small print) is
# recognised by its first and last lines; the short lines between them go with it.
_WIDGET_SPAN_LINES = 8
_WIDGET_LINE_WORDS = 30


def strip_widgets(body: str) -> str:
    """`body` without the lines `anatomy.boilerplate.classify` calls wrapper, and without the
    short lines of a widget block between two of its "poll" lines.

    >>> body = ["The vote was close.", "Take our poll - story continues below", "Who won?",
    ...         "Completing this poll grants you access to updates.", "Counting ends today."]
    >>> strip_widgets("\\n".join(body)).splitlines()
    ['The vote was close.', 'Counting ends today.']
    """
    lines = body.split("\n")
    kinds = [classify(ln).kind if ln.strip() else None for ln in lines]
    drop = [k is not None for k in kinds]
    polls = [i for i, k in enumerate(kinds) if k == "poll"]
    for a, b in itertools.pairwise(polls):
        if b - a <= _WIDGET_SPAN_LINES:
            for i in range(a + 1, b):
                if len(lines[i].split()) <= _WIDGET_LINE_WORDS:
                    drop[i] = True
    if not any(drop):
        return body
    return "\n".join(ln for ln, gone in zip(lines, drop, strict=True) if not gone).strip("\n")


def to_record(doc: Document, key: str, raw: RawPage | None = None) -> DocRecord:
    """Everything the store and the syndication step need from one analysed document."""
    raw = raw if raw is not None else doc.raw
    meta = doc.metadata
    url = meta.url or (raw.url if raw else None)
    if url is None and doc.source.startswith(("http://", "https://")):
        url = doc.source
    outlet, domain = outlet_of(raw.outlet if raw else None, url)
    if outlet is None and meta.publisher:
        outlet = meta.publisher
    published = meta.published or (raw.published if raw else None)
    canonical = meta.canonical_url
    if canonical is None and raw is not None and raw.kind == "html":
        canonical = canonical_from_html(raw.text)
    body = body_text(doc)
    feats = features(body)
    orig = meta.original_source
    credits = credits_of(doc)
    orig_name, orig_url = (orig.name, orig.url) if orig else (credits[0] if credits else (None, None))
    warnings: list[str] = []
    if not published:
        warnings.append("missing date")
    if not outlet:
        warnings.append("unknown outlet")
    return DocRecord(
        key=key,
        source=doc.source,
        url=url,
        canonical_url=canonical,
        outlet=outlet,
        outlet_domain=domain,
        title=meta.title,
        published=_iso_date(published),
        original_source_name=orig_name,
        original_source_url=orig_url,
        body_text=body,
        body_hash=feats.body_hash,
        words=feats.words,
        signature=feats.signature,
        fingerprints=feats.fingerprints,
        document=compress_document(doc),
        annotations=_annotations(doc) + [("credit", n or "", u, None, None, None) for n, u in credits],
        links=[(link.url, link.text) for link in meta.links],
        warnings=warnings,
    )


# Credit lines as copiers write them; used only when anatomy reported no original source (or
# did not run). The name stops at the end of the line or sentence; markdown links are unwrapped.
_ATTRIBUTION = re.compile(
    r"(?:the\s+)?original\s+source\s+of\s+this\s+article\s+is\s*:?\s*(?P<a>[^\n]+)"
    r"|(?:this\s+article\s+(?:was\s+)?)?(?:originally|first)\s+(?:published|appeared)\s+"
    # "... by Tyler Durden at Zero Hedge": the outlet is where, not who.
    r"(?:(?:at|on|in)\s+(?P<b>[^\n]+)|by\s+(?:[^\n]{1,60}?\s+(?:at|on|in)\s+(?=[A-Z]))?(?P<d>[^\n]+))"
    r"|(?:republished|reprinted|cross-posted)\s+(?:with\s+permission\s+)?(?:from|of)\s+(?P<c>[^\n]+)",
    re.IGNORECASE,
)
_CREDIT_WORDS = re.compile(r"(?i)original|first|republished|reprinted|cross-posted")
_URL = re.compile(r"https?://[^\s)\]>\"']+")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def credits_of(doc: Document) -> list[tuple[str | None, str | None]]:
    """Every (name, url) the page credits as its source: anatomy's chain first (not its
    "according to X" mentions), then credit lines in the text.

    A page can carry several: the copier's "first appeared on X" and, inside the article, the
    original's own "first published in Y"; syndication checks each against the cluster.
    """
    out: list[tuple[str | None, str | None]] = []
    meta = doc.metadata
    for src in [meta.original_source, *meta.republication_chain]:
        # "according to Reuters" names where a fact came from, not where the article did.
        if src is None or src.relation == "according_to" or not (src.name or src.url):
            continue
        if (src.name, src.url) not in out:
            out.append((src.name, src.url))
    for credit in attribution_from_text(doc):
        if credit not in out:
            out.append(credit)
    return out


def attribution_from_text(doc: Document) -> list[tuple[str | None, str | None]]:
    """(name, url) of each credited source, from credit lines outside the body or at its ends."""
    if doc.body is None:  # no body found: credit lines sit near either end of the page
        places = [doc.text[:3000], doc.text[-5000:]]
    else:
        # Credit lines often end up inside the body (its last paragraph); look at its ends
        # only, where a credit sits, not in the middle where "first published in" is reporting.
        places = [
            doc.text[: doc.body.start][-3000:],
            doc.text[doc.body.end :][:5000],
            doc.body.text[-1500:],
            doc.body.text[:300],
        ]
    out: list[tuple[str | None, str | None]] = []
    for place in places:
        # The regex is slow to try at every position of a long page; credit lines are rare and
        # carry one of these words, so only such lines are searched.
        lines = [ln for ln in place.splitlines() if _CREDIT_WORDS.search(ln)]
        for m in _ATTRIBUTION.finditer("\n".join(lines)):
            credit = _parse_credit(next(g for g in m.groups() if g))
            if credit != (None, None) and credit not in out:
                out.append(credit)
    return out


def _parse_credit(credit: str) -> tuple[str | None, str | None]:
    url_m = _URL.search(credit)
    links = _MD_LINK.findall(credit)
    url = url_m.group().rstrip(".,;") if url_m else None
    if url is None and links and links[0][1].startswith("http"):
        url = links[0][1]
    name = _MD_LINK.sub(lambda x: x.group(1), credit[: url_m.start()] if url_m else credit)
    name = re.split(r"(?<!\w\.\w)[.;,|]\s|\s[-–—]\s|\s{2,}|\s+on\s+\d|\s+with\s+permission", name.strip())[0]
    cleaned = name.strip(" *_:.," + ALL_MARKS)
    return (cleaned or None), url


def _iso_date(value: str | None) -> str | None:
    """Keep ISO dates as they are; parse anything else into YYYY-MM-DD when possible."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return value
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]", value):
        return value[:10]
    try:
        from dateutil import parser

        return parser.parse(value).date().isoformat()
    except (ValueError, OverflowError):
        return None


def _annotations(doc: Document) -> list[tuple[str, str, str | None, int | None, int | None, float | None]]:
    """Flatten what profiles and search filter on; the full detail stays in the JSON."""
    out: list[tuple[str, str, str | None, int | None, int | None, float | None]] = []
    for t in doc.techniques:
        out.append(("technique", t.technique, None, t.start, t.end, t.score))
    for e in doc.entities:
        out.append(("entity", e.name, e.type, None, None, float(len(e.mentions))))
    for f in doc.metadata.funding:
        out.append(("funding", f.channel, f.value, f.start, f.end, None))
    for b in doc.boilerplate:
        out.append(("boilerplate", b.kind, b.text[:500], b.start, b.end, None))
    if not doc.boilerplate and doc.body is not None:
        # No boilerplate stage ran: keep the paragraphs around the body as the wrapper, so a
        # syndication edge can still say what the copier added.
        outside = [doc.text[: doc.body.start], doc.text[doc.body.end :]]
        offsets = [0, doc.body.end]
        for base, chunk in zip(offsets, outside, strict=True):
            pos = 0
            for para in chunk.split("\n\n"):
                if para.strip() and len(out) < 40:
                    s = base + pos + (len(para) - len(para.lstrip()))
                    out.append(("boilerplate", "other", para.strip()[:500], s, s + len(para.strip()), None))
                pos += len(para) + 2
    for tag in doc.metadata.tags:
        out.append(("tag", tag.kind, tag.value, tag.start, tag.end, None))
    for q in doc.quotes:
        out.append(("quote", q.speaker or "", q.text[:500], q.start, q.end, None))
    for c in doc.claims:
        out.append(("claim", c.kind, c.text[:500], c.start, c.end, c.score))
    for a in doc.metadata.authors:
        out.append(("author", a, None, None, None, None))
    return out
