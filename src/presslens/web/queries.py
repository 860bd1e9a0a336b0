"""What the web pages and the REST API ask of a corpus, as one small typed interface.

Data flow: corpus (store, syndication, profiles, search) → this module → web views. The views
only speak `Corpus`; `presslens.web.store_corpus.StoreCorpus` answers it from the SQLAlchemy
store of `presslens.corpus`, and `MemoryCorpus` here answers it from documents held in memory
(used when no database is configured, by the tests, and as the reference behaviour). Keeping
the interface here means a change in the store's tables is one adapter edit, not a page edit.

>>> from presslens.document import Document
>>> corpus = MemoryCorpus()
>>> stored = corpus.add(Document(source="a.txt", text="One two three."), outlet="example.org")
>>> corpus.get(stored.id).summary.words
3
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from presslens.document import Document

T = TypeVar("T")

MAX_PAGE = 100


@dataclass(frozen=True)
class DocSummary:
    """One line of a listing: enough to show and link a document without loading its text."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    source: str
    url: str | None = None
    words: int = 0
    techniques: int = 0
    snippet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "source": self.source,
            "url": self.url,
            "words": self.words,
            "techniques": self.techniques,
            **({"snippet": self.snippet} if self.snippet else {}),
        }


@dataclass(frozen=True)
class StoredDocument:
    summary: DocSummary
    document: Document

    @property
    def id(self) -> str:
        return self.summary.id

    def to_dict(self) -> dict[str, Any]:
        """The Document JSON plus where the corpus filed it (`id`, `outlet`, `published`)."""
        return {
            "id": self.id,
            "outlet": self.summary.outlet,
            "stored_published": self.summary.published,
            **self.document.to_dict(),
        }


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def prev_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None


@dataclass(frozen=True)
class CopyLink:
    """Another copy of a document's text: its original (`relation="original"`) or a copy."""

    doc_id: str
    outlet: str | None
    published: str | None
    url: str | None
    relation: str  # "original" | "copy"
    lag_days: float | None = None
    similarity: float | None = None
    evidence: str | None = None


@dataclass
class OutletProfile:
    name: str
    documents: int
    first: str | None
    last: str | None
    words: int = 0
    volume: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM, documents)
    # technique -> [(YYYY-MM, spans per 1,000 words)], top techniques only
    technique_rates: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    top_techniques: list[tuple[str, float]] = field(default_factory=list)  # overall per 1,000 words
    funding: list[tuple[str, str, int]] = field(default_factory=list)  # (channel, value, documents)
    copies_from: list[tuple[str, int]] = field(default_factory=list)  # outlets it copies
    copied_by: list[tuple[str, int]] = field(default_factory=list)  # outlets that copy it
    top_entities: list[tuple[str, int]] = field(default_factory=list)
    recent: list[DocSummary] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "documents": self.documents,
            "first": self.first,
            "last": self.last,
            "words": self.words,
            "volume": [{"month": m, "documents": n} for m, n in self.volume],
            "technique_rates": {
                t: [{"month": m, "per_1000_words": round(r, 3)} for m, r in rows]
                for t, rows in self.technique_rates.items()
            },
            "top_techniques": [
                {"technique": t, "per_1000_words": round(r, 3)} for t, r in self.top_techniques
            ],
            "funding": [{"channel": c, "value": v, "documents": n} for c, v, n in self.funding],
            "copies_from": [{"outlet": o, "documents": n} for o, n in self.copies_from],
            "copied_by": [{"outlet": o, "documents": n} for o, n in self.copied_by],
            "top_entities": [{"name": e, "documents": n} for e, n in self.top_entities],
            "recent": [d.to_dict() for d in self.recent],
        }


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    outlet: str | None = None
    technique: str | None = None
    entity: str | None = None
    start: str | None = None  # ISO date, inclusive
    end: str | None = None
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class SearchResult:
    hits: Page[DocSummary]
    facets: dict[str, list[tuple[str, int]]]  # facet name -> [(value, documents)]


class Corpus(Protocol):
    """The questions the web app asks; every method is cheap enough for one request."""

    def recent(self, offset: int = 0, limit: int = 20, outlet: str | None = None) -> Page[DocSummary]: ...

    def get(self, doc_id: str) -> StoredDocument | None: ...

    def get_json(self, doc_id: str) -> bytes | None:
        """`StoredDocument.to_dict()` as JSON bytes — the hot path of the API."""
        ...

    def add(
        self, doc: Document, *, outlet: str | None = None, published: str | None = None
    ) -> StoredDocument: ...

    def delete(self, doc_id: str) -> bool: ...

    def copies(self, doc_id: str) -> list[CopyLink]: ...

    def outlets(self) -> list[tuple[str, int]]: ...

    def outlet_profile(self, name: str) -> OutletProfile | None: ...

    def graph(
        self, start: str | None = None, end: str | None = None, outlet: str | None = None
    ) -> dict[str, Any]: ...

    def search(self, query: SearchQuery) -> SearchResult: ...


# --- helpers shared by the implementations -------------------------------------------------


def outlet_from_url(url: str | None) -> str | None:
    """The registered domain of a URL (offline suffix list).

    >>> outlet_from_url("https://www.globalresearch.ca/video-qassem/5699999")
    'globalresearch.ca'
    """
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    parts = _extractor()(host)
    domain = getattr(parts, "top_domain_under_public_suffix", None) or getattr(parts, "registered_domain", "")
    return str(domain or host)


@cache
def _extractor() -> Any:
    import tldextract

    # No network: only the suffix list shipped inside the package.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def body_words(doc: Document) -> int:
    start, end = doc.body_range
    return len(doc.text[start:end].split())


def summarize(
    doc_id: str, doc: Document, outlet: str | None, published: str | None, snippet: str | None = None
) -> DocSummary:
    return DocSummary(
        id=doc_id,
        title=doc.metadata.title,
        outlet=outlet,
        published=published or doc.metadata.published,
        source=doc.source,
        url=doc.metadata.url or (doc.source if doc.source.startswith(("http://", "https://")) else None),
        words=body_words(doc),
        techniques=len(doc.techniques),
        snippet=snippet,
    )


def month(date: str | None) -> str | None:
    return date[:7] if date and len(date) >= 7 else None


def clamp_page(offset: int, limit: int) -> tuple[int, int]:
    return max(0, offset), max(1, min(MAX_PAGE, limit))


def build_profile(
    name: str,
    rows: Sequence[tuple[DocSummary, Document]],
    copies_from: Iterable[str],
    copied_by: Iterable[str],
    top: int = 5,
) -> OutletProfile:
    """Aggregate one outlet's documents into its profile (shared by both implementations)."""
    dates = sorted(d.published for d, _ in rows if d.published)
    volume: Counter[str] = Counter()
    words_by_month: Counter[str] = Counter()
    spans_by_month: dict[str, Counter[str]] = defaultdict(Counter)
    spans_total: Counter[str] = Counter()
    funding: Counter[tuple[str, str]] = Counter()
    entities: Counter[str] = Counter()
    words = 0
    for summary, doc in rows:
        m = month(summary.published) or "unknown"
        volume[m] += 1
        words += summary.words
        words_by_month[m] += summary.words
        b0, b1 = doc.body_range
        for span in doc.techniques:
            if span.start >= b0 and span.end <= b1:
                spans_by_month[m][span.technique] += 1
                spans_total[span.technique] += 1
        for f in {(f.channel, f.value) for f in doc.metadata.funding}:
            funding[f] += 1
        for e in {e.name for e in doc.entities}:
            entities[e] += 1
    months = sorted(volume)
    top_techniques = [(t, 1000 * n / words) for t, n in spans_total.most_common(top)] if words else []
    rates = {
        t: [
            (m, 1000 * spans_by_month[m][t] / words_by_month[m] if words_by_month[m] else 0.0) for m in months
        ]
        for t, _ in top_techniques
    }
    return OutletProfile(
        name=name,
        documents=len(rows),
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        words=words,
        volume=[(m, volume[m]) for m in months],
        technique_rates=rates,
        top_techniques=top_techniques,
        funding=[(c, v, n) for (c, v), n in funding.most_common(20)],
        copies_from=Counter(copies_from).most_common(20),
        copied_by=Counter(copied_by).most_common(20),
        top_entities=entities.most_common(10),
        recent=sorted((d for d, _ in rows), key=lambda d: d.published or "", reverse=True)[:10],
    )


def snippet_around(text: str, q: str, width: int = 90) -> str:
    words = [w for w in q.lower().split() if w]
    low = text.lower()
    at = min((i for i in (low.find(w) for w in words) if i >= 0), default=0)
    start = max(0, at - width // 2)
    piece = " ".join(text[start : start + width * 2].split())
    return ("…" if start else "") + piece + "…"


# --- in memory ------------------------------------------------------------------------------


@dataclass
class _Row:
    summary: DocSummary
    doc: Document
    json: bytes


class MemoryCorpus:
    """A corpus held in a dict: ids are content hashes, edges are given by the caller."""

    def __init__(self) -> None:
        self._rows: dict[str, _Row] = {}
        self._order: list[str] = []
        self._edges: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(
        self, doc: Document, *, outlet: str | None = None, published: str | None = None
    ) -> StoredDocument:
        doc_id = hashlib.sha1(doc.text.encode("utf-8")).hexdigest()[:16]
        outlet = outlet or doc.metadata.publisher or outlet_from_url(doc.metadata.url or doc.source)
        summary = summarize(doc_id, doc, outlet, published)
        stored = StoredDocument(summary, doc)
        import json

        with self._lock:
            if doc_id not in self._rows:
                self._order.append(doc_id)
            self._rows[doc_id] = _Row(summary, doc, json.dumps(stored.to_dict()).encode("utf-8"))
        return stored

    def add_edge(self, original: str, copy: str, *, similarity: float = 1.0, evidence: str = "date") -> None:
        a, b = self._rows[original].summary, self._rows[copy].summary
        lag = _lag_days(a.published, b.published)
        self._edges.append(
            {
                "source": original,
                "target": copy,
                "lag_days": lag,
                "similarity": similarity,
                "evidence": [evidence],
            }
        )

    def recent(self, offset: int = 0, limit: int = 20, outlet: str | None = None) -> Page[DocSummary]:
        offset, limit = clamp_page(offset, limit)
        rows = [self._rows[i].summary for i in reversed(self._order)]
        if outlet:
            rows = [r for r in rows if r.outlet == outlet]
        rows.sort(key=lambda r: r.published or "", reverse=True)
        return Page(rows[offset : offset + limit], len(rows), offset, limit)

    def get(self, doc_id: str) -> StoredDocument | None:
        row = self._rows.get(doc_id)
        return StoredDocument(row.summary, row.doc) if row else None

    def get_json(self, doc_id: str) -> bytes | None:
        row = self._rows.get(doc_id)
        return row.json if row else None

    def delete(self, doc_id: str) -> bool:
        with self._lock:
            if self._rows.pop(doc_id, None) is None:
                return False
            self._order.remove(doc_id)
            self._edges = [e for e in self._edges if doc_id not in (e["source"], e["target"])]
        return True

    def copies(self, doc_id: str) -> list[CopyLink]:
        out = []
        for e in self._edges:
            if doc_id in (e["source"], e["target"]):
                other = e["target"] if e["source"] == doc_id else e["source"]
                s = self._rows[other].summary
                out.append(
                    CopyLink(
                        other,
                        s.outlet,
                        s.published,
                        s.url,
                        "copy" if e["source"] == doc_id else "original",
                        e["lag_days"],
                        e["similarity"],
                        ", ".join(e["evidence"]),
                    )
                )
        return out

    def outlets(self) -> list[tuple[str, int]]:
        return Counter(r.summary.outlet for r in self._rows.values() if r.summary.outlet).most_common()

    def outlet_profile(self, name: str) -> OutletProfile | None:
        rows = [(r.summary, r.doc) for r in self._rows.values() if r.summary.outlet == name]
        if not rows:
            return None
        outlet_of = {i: r.summary.outlet for i, r in self._rows.items()}
        copies_from = [outlet_of[e["source"]] or "?" for e in self._edges if outlet_of[e["target"]] == name]
        copied_by = [outlet_of[e["target"]] or "?" for e in self._edges if outlet_of[e["source"]] == name]
        return build_profile(name, rows, copies_from, copied_by)

    def graph(
        self, start: str | None = None, end: str | None = None, outlet: str | None = None
    ) -> dict[str, Any]:
        def keep(s: DocSummary) -> bool:
            p = s.published or ""
            return (not start or p >= start) and (not end or p[: len(end)] <= end)

        edges = []
        for e in self._edges:
            a, b = self._rows[e["source"]].summary, self._rows[e["target"]].summary
            if not (keep(a) or keep(b)):
                continue
            if outlet and outlet not in (a.outlet, b.outlet):
                continue
            edges.append(e)
        ids = {e["source"] for e in edges} | {e["target"] for e in edges}
        nodes = [
            {"id": i, "url": s.url, "outlet": s.outlet, "published": s.published, "title": s.title}
            for i in ids
            for s in [self._rows[i].summary]
        ]
        return {
            "directed": True,
            "nodes": sorted(nodes, key=lambda n: n["id"]),
            "edges": edges,
            "truncated": False,
        }

    def search(self, query: SearchQuery) -> SearchResult:
        offset, limit = clamp_page(query.offset, query.limit)
        words = [w for w in query.q.lower().split() if w]
        matched: list[_Row] = []
        for i in reversed(self._order):
            row = self._rows[i]
            s, doc = row.summary, row.doc
            low = doc.text.lower()
            if words and not all(w in low for w in words):
                continue
            if query.outlet and s.outlet != query.outlet:
                continue
            if query.technique and query.technique not in {t.technique for t in doc.techniques}:
                continue
            if query.entity and query.entity not in {e.name for e in doc.entities}:
                continue
            p = s.published or ""
            if (query.start and p < query.start) or (query.end and p[: len(query.end)] > query.end):
                continue
            matched.append(row)
        if words:  # best first: most occurrences of the words, then newest
            matched.sort(key=lambda r: r.summary.published or "", reverse=True)
            matched.sort(key=lambda r: -sum(r.doc.text.lower().count(w) for w in words))
        facets = {
            "outlet": Counter(r.summary.outlet for r in matched if r.summary.outlet).most_common(10),
            "technique": Counter(
                t for r in matched for t in {x.technique for x in r.doc.techniques}
            ).most_common(14),
            "entity": Counter(e for r in matched for e in {x.name for x in r.doc.entities}).most_common(10),
            "year": sorted(Counter(r.summary.published[:4] for r in matched if r.summary.published).items()),
        }
        hits = [
            summarize(
                r.summary.id,
                r.doc,
                r.summary.outlet,
                r.summary.published,
                snippet_around(r.doc.text, query.q) if words else None,
            )
            for r in matched[offset : offset + limit]
        ]
        return SearchResult(Page(hits, len(matched), offset, limit), facets)


def _lag_days(a: str | None, b: str | None) -> float | None:
    from datetime import date

    try:
        return float((date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days) if a and b else None
    except ValueError:
        return None
