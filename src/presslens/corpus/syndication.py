"""Who published first, who copied whom: the syndication graph of a corpus.

Where it sits: after ingest, over the whole store. `dedup.candidate_pairs` proposes pairs,
`dedup.compare` verifies them on the bodies; this module groups verified copies into clusters,
folds AMP/print/canonical variants of one URL into one node, picks each copy's original and
writes edges original → copy (`syndication_edges`) with the lag in days, the similarity, the
evidence used and the wrapper the copier added. Passage reuse (a long passage of one article
quoted inside another's commentary) becomes an edge of kind `passage` from the quoted
article's cluster root to the commentary.

Direction, strongest evidence first:
1. explicit credit — the copy names the original's outlet or URL ("The original source of this
   article is South Front", "originally published at https://…"), or its canonical link points
   to the other page. A credit beats dates, which are often the copier's own.
2. the earliest publication date.
3. with equal or missing dates: the page that contains the other (a truncated copy is
   contained in its original), then the longer body, then the first ingested.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import numpy as np
import sqlalchemy as sa
from courlan import normalize_url

from presslens.corpus.dedup import (
    LSH_THRESHOLD,
    MIN_PASSAGE_WORDS,
    Candidate,
    CandidateSet,
    Match,
    Shingled,
    candidate_pairs,
    compare,
    could_match,
    group_pairs,
    prepare,
)
from presslens.corpus.records import registered_domain
from presslens.corpus.store import AnnotationRow, DocumentRow, Outlet, Store

# Components are verified a chunk at a time so memory stays bounded on large corpora.
CHUNK_DOCS = 2000


@dataclass
class DocInfo:
    id: int
    url: str | None
    canonical_url: str | None
    outlet: str | None
    domain: str | None
    published: str | None
    orig_name: str | None
    orig_url: str | None
    words: int
    credits: list[tuple[str | None, str | None]] = field(default_factory=list)

    @property
    def url_key(self) -> str | None:
        return url_key(self.url)


@dataclass
class Edge:
    source_id: int
    target_id: int
    kind: str
    similarity: float
    lag_days: float | None
    evidence: list[str]
    wrapper: list[dict[str, str]] = field(default_factory=list)
    passages: list[dict[str, int]] = field(default_factory=list)

    def row(self) -> dict[str, object]:
        return {
            "source_id": self.source_id,
            "target_id": self.target_id,
            "kind": self.kind,
            "similarity": round(self.similarity, 4),
            "lag_days": self.lag_days,
            "evidence": json.dumps(self.evidence),
            "wrapper": json.dumps(self.wrapper),
            "passages": json.dumps(self.passages),
        }


@dataclass
class LinkReport:
    documents: int = 0
    candidate_pairs: int = 0
    verified: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)
    clusters: int = 0
    seconds: float = 0.0


_VARIANT_PATH = re.compile(r"/(amp|print|amp\.html)/?$", re.IGNORECASE)
_VARIANT_QUERY = {"amp", "print", "output", "outputtype", "view"}


def url_key(url: str | None) -> str | None:
    """One key for a page's URL variants: scheme, www./amp./m., /amp, ?print=1, '/' dropped.

    courlan's `normalize_url` does the generic part first: case, default port, `//` in the
    path, percent-encoding, query order and tracking parameters (`utm_*`, `fbclid`, `ref`, …,
    from the AdGuard/ClearURLs lists; note it also drops `cid`, which a few CMSs use as a page
    id). What is left here is syndication's own notion of "the same page": its AMP, mobile and
    print variants.

    >>> url_key("https://amp.example.com/news/a-story/amp?utm_source=x") == url_key("http://www.example.com/news/a-story/")
    True
    """
    if not url:
        return None
    parts = urlsplit(normalize_url(url.strip()))  # its query comes back sorted
    host = parts.hostname or ""
    for prefix in ("www.", "amp.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    path = _VARIANT_PATH.sub("", parts.path).rstrip("/")
    if path.endswith(".amp"):
        path = path[:-4]
    query = "&".join(q for q in parts.query.split("&") if q.split("=", 1)[0].lower() not in _VARIANT_QUERY)
    return f"{host}{path}" + (f"?{query}" if query else "")


def _norm_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _domain_label(domain: str | None) -> str | None:
    return _norm_name(domain.split(".", 1)[0]) if domain else None


def credits(copy: DocInfo, original: DocInfo) -> str | None:
    """'attribution' or 'canonical' when `copy` explicitly points at `original`, else None."""
    if copy.canonical_url and original.url:
        ck = url_key(copy.canonical_url)
        if ck and ck != copy.url_key and ck == original.url_key:
            return "canonical"
    names = {
        _norm_name(original.outlet or ""),
        _domain_label(original.domain),
        _norm_name(original.domain or ""),
    }
    names.discard("")
    for name, url in copy.credits or [(copy.orig_name, copy.orig_url)]:
        if url:
            if original.url and url_key(url) == original.url_key:
                return "attribution"
            dom = registered_domain(url)
            if dom and dom == original.domain and dom != copy.domain:
                return "attribution"
        if name and original.outlet != copy.outlet and _norm_name(name) in names:
            return "attribution"
    return None


def _day(value: str | None) -> date | None:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def lag_days(original: DocInfo, copy: DocInfo) -> float | None:
    a, b = _day(original.published), _day(copy.published)
    return float((b - a).days) if a and b else None


class _Texts:
    """Bodies and their shingles for the documents of one chunk of components."""

    def __init__(self, texts: dict[int, str]) -> None:
        self.texts = texts
        self._prepared: dict[int, Shingled] = {}

    def prepared(self, doc_id: int) -> Shingled:
        if doc_id not in self._prepared:
            self._prepared[doc_id] = prepare(self.texts[doc_id])
        return self._prepared[doc_id]

    def compare(self, a: int, b: int) -> Match:
        return compare(self.texts[a], self.texts[b], pa=self.prepared(a), pb=self.prepared(b))


def link_corpus(
    store: Store,
    *,
    threshold: float = LSH_THRESHOLD,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> LinkReport:
    """Recompute the syndication graph of the whole store and replace its edges."""
    import time

    started = time.perf_counter()
    report = LinkReport()
    items = list(_candidates(store))
    report.documents = len(items)
    found = candidate_pairs(items, threshold=threshold)
    pairs = found.pairs
    del items
    report.candidate_pairs = len(pairs)
    components = group_pairs(sorted(pairs))
    if components and len(components[0]) > CHUNK_DOCS:
        # Common phrases can chain thousands of unrelated pages into one candidate component;
        # settle its pairs on shingle sets alone first (small arrays, no texts kept), so only
        # pairs that can be copies or passages shape the components verified in full below.
        pairs = _presettle(store, components, pairs, found.stock)
        report.verified["none"] = report.candidate_pairs - len(pairs)
        components = group_pairs(sorted(pairs))
    infos = _infos(store, {i for c in components for i in c})
    by_doc: dict[int, list[tuple[int, int]]] = {}
    for a, b in pairs:
        by_doc.setdefault(a, []).append((a, b))
    edges: list[Edge] = []
    done = 0
    for chunk in _chunks(components, CHUNK_DOCS):
        ids = [i for comp in chunk for i in comp]
        texts = _Texts(_bodies(store, ids))
        wrappers = _boilerplate(store, ids)
        for comp in chunk:
            comp_pairs = [p for i in comp for p in by_doc.get(i, [])]
            matches = {p: texts.compare(*p) for p in comp_pairs}
            for m in matches.values():
                report.verified[m.kind] = report.verified.get(m.kind, 0) + 1
            comp_edges, n_clusters = _component_edges(comp, matches, infos, texts, wrappers, found)
            report.clusters += n_clusters
            edges.extend(comp_edges)
        done += len(ids)
        if on_progress:
            on_progress("linking", done, sum(len(c) for c in components))
    for e in edges:
        report.edges[e.kind] = report.edges.get(e.kind, 0) + 1
    store.replace_edges([e.row() for e in edges])
    report.seconds = time.perf_counter() - started
    return report


def _presettle(
    store: Store, components: list[list[int]], pairs: set[tuple[int, int]], stock: np.ndarray
) -> set[tuple[int, int]]:
    """Drop the pairs of oversized components that share too little to be copies or passages."""
    big = {i for comp in components if len(comp) > CHUNK_DOCS for i in comp}
    unique: dict[int, np.ndarray] = {}
    for chunk in _in_chunks(sorted(big), CHUNK_DOCS):
        for doc_id, text in _bodies(store, chunk).items():
            unique[doc_id] = prepare(text).unique.astype(np.uint32)
    kept = set()
    for a, b in pairs:
        if a not in big:
            kept.add((a, b))
            continue
        if could_match(unique[a], unique[b], stock):
            kept.add((a, b))
    return kept


def _chunks(components: list[list[int]], size: int) -> Iterator[list[list[int]]]:
    chunk: list[list[int]] = []
    n = 0
    for comp in components:
        chunk.append(comp)
        n += len(comp)
        if n >= size:
            yield chunk
            chunk, n = [], 0
    if chunk:
        yield chunk


def _candidates(store: Store) -> Iterator[Candidate]:
    with store.session() as s:
        d = DocumentRow
        q = sa.select(d.id, d.signature, d.fingerprints, d.words, d.outlet_id).order_by(d.id)
        for row in s.execute(q.execution_options(yield_per=5000)):
            yield Candidate(row.id, row.signature, row.fingerprints, row.words, row.outlet_id)


def _in_chunks(ids: Sequence[int], n: int = 900) -> Iterator[list[int]]:
    ids = list(ids)
    for i in range(0, len(ids), n):
        yield ids[i : i + n]


def _infos(store: Store, ids: set[int]) -> dict[int, DocInfo]:
    out: dict[int, DocInfo] = {}
    with store.session() as s:
        for chunk in _in_chunks(sorted(ids)):
            q = (
                sa.select(
                    DocumentRow.id,
                    DocumentRow.url,
                    DocumentRow.canonical_url,
                    Outlet.name,
                    Outlet.domain,
                    DocumentRow.published,
                    DocumentRow.original_source_name,
                    DocumentRow.original_source_url,
                    DocumentRow.words,
                )
                .outerjoin(Outlet, Outlet.id == DocumentRow.outlet_id)
                .where(DocumentRow.id.in_(chunk))
            )
            for r in s.execute(q):
                out[r[0]] = DocInfo(*r)
            q2 = sa.select(AnnotationRow.document_id, AnnotationRow.label, AnnotationRow.value).where(
                AnnotationRow.kind == "credit", AnnotationRow.document_id.in_(chunk)
            )
            for doc_id, name, url in s.execute(q2):
                out[doc_id].credits.append((name or None, url))
    return out


def _bodies(store: Store, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    with store.session() as s:
        for chunk in _in_chunks(ids):
            out.update(
                {
                    i: t
                    for i, t in s.execute(
                        sa.select(DocumentRow.id, DocumentRow.body_text).where(DocumentRow.id.in_(chunk))
                    )
                }
            )
    return out


def _boilerplate(store: Store, ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    with store.session() as s:
        for chunk in _in_chunks(ids):
            q = sa.select(AnnotationRow.document_id, AnnotationRow.label, AnnotationRow.value).where(
                AnnotationRow.kind == "boilerplate", AnnotationRow.document_id.in_(chunk)
            )
            for doc_id, label, value in s.execute(q):
                out.setdefault(doc_id, []).append((label, value or ""))
    return out


def _component_edges(
    comp: list[int],
    matches: dict[tuple[int, int], Match],
    infos: dict[int, DocInfo],
    texts: _Texts,
    wrappers: dict[int, list[tuple[str, str]]],
    found: CandidateSet,
) -> tuple[list[Edge], int]:
    copy_pairs = [p for p, m in matches.items() if m.is_copy]
    clusters = group_pairs(copy_pairs)
    clustered = {i for c in clusters for i in c}
    clusters += [[i] for i in comp if i not in clustered]
    root_of: dict[int, int] = {}
    edges: list[Edge] = []
    n_clusters = 0
    for cluster in clusters:
        reps, variant_edges = _fold_variants(cluster, infos, texts, matches)
        edges.extend(variant_edges)
        rep_of = {e.target_id: e.source_id for e in variant_edges}
        if len(reps) > 1:
            n_clusters += 1
        root, parents = _parents(reps, infos, matches, texts)
        for i in cluster:
            root_of[i] = root
        for child, (parent, why) in parents.items():
            m = _match(parent, child, matches, texts)
            ev = why + _date_evidence(infos[parent], infos[child], why)
            edges.append(
                Edge(
                    parent,
                    child,
                    m.kind if m.is_copy else "partial",
                    m.similarity,
                    lag_days(infos[parent], infos[child]),
                    ev,
                    _wrapper(wrappers.get(child, []), wrappers.get(parent, [])),
                )
            )
        del rep_of
    _drop_stock_passages(matches, clusters, texts, found)
    edges.extend(_passage_edges(matches, infos, root_of, clusters))
    return edges, n_clusters


# A "passage" found in this many other unrelated clusters is stock text (a poll widget, a
# newsletter box, a standard statement left in the body), not one article quoting another.
STOCK_CLUSTERS = 2


def _drop_stock_passages(
    matches: dict[tuple[int, int], Match], clusters: list[list[int]], texts: _Texts, found: CandidateSet
) -> None:
    """Passages that are stock text — common across the corpus, or in several unrelated
    clusters of this component — are wrappers and house style, not one article quoting another."""
    passage_pairs = [p for p, m in matches.items() if m.kind == "passage"]
    if not passage_pairs:
        return
    if len(clusters) < 2 + STOCK_CLUSTERS:
        for a, b in passage_pairs:
            m = matches[(a, b)]
            keep = [
                p
                for p in m.passages
                if not found.is_stock(prepare(texts.texts[a][p.a_start : p.a_end]).unique)
            ]
            if not keep or max(p.words for p in keep) < MIN_PASSAGE_WORDS:
                matches[(a, b)] = Match("none", m.jaccard, m.contain_a, m.contain_b, keep)
        return
    # In how many clusters of this component each shingle occurs (one representative each).
    uniq, counts = np.unique(
        np.concatenate([texts.prepared(c[0]).unique for c in clusters]), return_counts=True
    )
    for a, b in passage_pairs:
        m = matches[(a, b)]
        keep = []
        for p in m.passages:
            sh = prepare(texts.texts[a][p.a_start : p.a_end]).unique
            if not len(sh):
                continue
            idx = np.clip(np.searchsorted(uniq, sh), 0, len(uniq) - 1)
            n = np.where(uniq[idx] == sh, counts[idx], 0)
            # Stock when most of the passage is also in STOCK_CLUSTERS clusters besides a's and b's.
            if np.median(n) < 2 + STOCK_CLUSTERS and not found.is_stock(sh):
                keep.append(p)
        if not keep or max(p.words for p in keep) < MIN_PASSAGE_WORDS:
            matches[(a, b)] = Match("none", m.jaccard, m.contain_a, m.contain_b, keep)


def _match(a: int, b: int, matches: dict[tuple[int, int], Match], texts: _Texts) -> Match:
    key = (min(a, b), max(a, b))
    if key not in matches:
        matches[key] = texts.compare(*key)
    m = matches[key]
    if key[0] != a:  # report containment from the caller's side
        m = Match(m.kind, m.jaccard, m.contain_b, m.contain_a, m.passages)
    return m


def _fold_variants(
    cluster: list[int], infos: dict[int, DocInfo], texts: _Texts, matches: dict[tuple[int, int], Match]
) -> tuple[list[int], list[Edge]]:
    """AMP/print/canonical variants of one page collapse into the page itself."""
    groups: dict[tuple[str | None, str], list[int]] = {}
    for i in cluster:
        info = infos[i]
        canon = url_key(info.canonical_url)
        own = info.url_key
        # A same-site canonical link names the page this one is a variant of.
        same_site = canon is not None and registered_domain(info.canonical_url) == info.domain
        key = canon if same_site and canon else own
        if key is None:
            key = f"#doc{i}"
        groups.setdefault((info.domain, key), []).append(i)
    reps: list[int] = []
    edges: list[Edge] = []
    for (_, key), members in groups.items():
        if len(members) == 1:
            reps.append(members[0])
            continue
        # The member whose own URL is the shared key is the page; the others are its variants.
        members.sort(key=lambda i: (infos[i].url_key != key, len(infos[i].url or ""), i))
        rep = members[0]
        reps.append(rep)
        for other in members[1:]:
            m = _match(rep, other, matches, texts)
            ev = ["canonical"] if url_key(infos[other].canonical_url) == key else ["url"]
            edges.append(Edge(rep, other, "variant", m.similarity, lag_days(infos[rep], infos[other]), ev))
    return reps, edges


def _date_key(info: DocInfo) -> tuple[int, str]:
    return (0, info.published) if info.published else (1, "")


def _parents(
    reps: list[int], infos: dict[int, DocInfo], matches: dict[tuple[int, int], Match], texts: _Texts
) -> tuple[int, dict[int, tuple[int, list[str]]]]:
    """The cluster's root and, for every other member, (parent, evidence)."""
    credited: dict[int, tuple[int, str]] = {}
    for d in reps:
        options = [(m, why) for m in reps if m != d and (why := credits(infos[d], infos[m]))]
        if options:
            credited[d] = min(options, key=lambda o: (_date_key(infos[o[0]]), o[0]))
    free = [d for d in reps if d not in credited] or list(reps)

    def contained_rank(d: int) -> float:
        # How much of d is found in the others: a truncated copy is fully contained.
        shares = [_match(d, o, matches, texts).contain_a for o in free if o != d]
        return max(shares) if shares else 0.0

    dated = sorted(free, key=lambda d: _date_key(infos[d]))
    best = _date_key(infos[dated[0]])
    tied = [d for d in dated if _date_key(infos[d]) == best]
    if len(tied) > 1:
        tied.sort(
            key=lambda d: (
                bool(infos[d].credits) or infos[d].orig_name is not None,
                contained_rank(d),
                -infos[d].words,
                d,
            )
        )
    root = tied[0]
    parents: dict[int, tuple[int, list[str]]] = {}
    for d in reps:
        if d == root:
            continue
        if d in credited and not _cycles(d, credited, root):
            parent, why = credited[d]
            parents[d] = (parent, [why])
        else:
            parents[d] = (root, [] if _date_key(infos[root]) < _date_key(infos[d]) else ["containment"])
    return root, parents


def _cycles(d: int, credited: dict[int, tuple[int, str]], root: int) -> bool:
    seen = {d}
    cur = d
    while cur in credited:
        cur = credited[cur][0]
        if cur == root:
            return False
        if cur in seen:
            return True
        seen.add(cur)
    return False


def _date_evidence(parent: DocInfo, child: DocInfo, why: list[str]) -> list[str]:
    if parent.published and child.published and parent.published < child.published:
        return ["date"]
    return [] if why else ["order"]


def _wrapper(child: list[tuple[str, str]], parent: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The copier's boilerplate that the original does not carry: its own wrapper."""
    theirs = {text.strip() for _, text in parent}
    return [{"kind": kind, "text": text[:300]} for kind, text in child if text.strip() not in theirs][:20]


def _passage_edges(
    matches: dict[tuple[int, int], Match],
    infos: dict[int, DocInfo],
    root_of: dict[int, int],
    clusters: list[list[int]],
) -> list[Edge]:
    size_of = {i: len(c) for c in clusters for i in c}
    members: dict[int, list[int]] = {}
    for c in clusters:
        for i in c:
            members.setdefault(root_of.get(i, i), []).append(i)
    best: dict[tuple[int, int], tuple[Match, int, int]] = {}
    for (a, b), m in matches.items():
        if m.kind != "passage":
            continue
        if infos[a].outlet is not None and infos[a].outlet == infos[b].outlet:
            continue  # an outlet repeating its own text (house wrapper, updates) is not syndication
        ra, rb = root_of.get(a, a), root_of.get(b, b)
        if ra == rb:
            continue
        key = (min(ra, rb), max(ra, rb))
        if key not in best or m.overlap > best[key][0].overlap:
            best[key] = (m, a, b)

    def credited(copy_root: int, orig_root: int) -> bool:
        return any(
            credits(infos[d], infos[o])
            for d in members.get(copy_root, [copy_root])
            for o in members.get(orig_root, [orig_root])
        )

    edges = []
    for (r1, r2), (m, a, b) in best.items():
        # One direction per pair of clusters: credit, then date, then the widely copied one.
        if credited(r2, r1):
            src, dst = r1, r2
        elif credited(r1, r2):
            src, dst = r2, r1
        else:
            k1 = (_date_key(infos[r1]), -size_of.get(r1, 1), r1)
            k2 = (_date_key(infos[r2]), -size_of.get(r2, 1), r2)
            src, dst = (r1, r2) if k1 < k2 else (r2, r1)
        passages = [
            {
                "doc_a": a,
                "a_start": p.a_start,
                "a_end": p.a_end,
                "doc_b": b,
                "b_start": p.b_start,
                "b_end": p.b_end,
                "words": p.words,
            }
            for p in m.passages
        ]
        ev = ["attribution"] if credited(dst, src) else []
        ev += _date_evidence(infos[src], infos[dst], ev)
        edges.append(Edge(src, dst, "passage", m.overlap, lag_days(infos[src], infos[dst]), ev, [], passages))
    return edges
