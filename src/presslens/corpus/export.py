"""Exports of a corpus: documents and edges as CSV or Parquet, the syndication graph as
node-link JSON or GraphML.

Where it sits: renders what the query layer reads (`corpus.query` for documents,
`corpus.graph` for edges) in the formats researchers' own tools load (pandas, R, Gephi,
networkx). The graph's JSON is networkx's node-link form: `nodes` with `id`, `kind`
("document", or "outlet" for a credited original outside the crawl, id `outlet:N`), `url`,
`outlet`, `published`, `title`; `edges` with `source` → `target` (original → copy), `relation`
(copy, reuse, common_source), `directed`, `kind`, `lag_days`, `similarity`, `evidence` (credit,
attribution, canonical, date, quotation, ...) and the copier's `wrapper`.
"""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path
from typing import Any

from presslens.corpus.graph import VARIANT, EdgeFilter, Node, StoredEdge, edges, graph
from presslens.corpus.query import SUMMARY_COLUMNS, summary_select, to_summary
from presslens.corpus.store import DocumentRow, Store
from presslens.errors import StorageError, UsageError

DOCUMENT_COLUMNS = [
    "id",
    "url",
    "outlet",
    "published",
    "title",
    "words",
    "body_hash",
    "original_source",
    "techniques",
    "source",
]
EDGE_COLUMNS = [
    "source",
    "target",
    "source_url",
    "target_url",
    "source_outlet",
    "target_outlet",
    "relation",
    "directed",
    "kind",
    "similarity",
    "lag_days",
    "evidence",
]
GRAPH_EDGE_KEYS = (
    "source",
    "target",
    "relation",
    "directed",
    "kind",
    "lag_days",
    "similarity",
    "evidence",
    "wrapper",
)


def document_rows(store: Store) -> list[dict[str, Any]]:
    """One row per document (`DOCUMENT_COLUMNS`), by id."""
    d = DocumentRow
    query = summary_select(d.body_hash, d.original_source_name).order_by(d.id)
    with store.session() as s:
        rows = s.execute(query).all()
    out = []
    for r in rows:
        doc = asdict(to_summary(r))
        doc.update(body_hash=r[SUMMARY_COLUMNS], original_source=r[SUMMARY_COLUMNS + 1])
        out.append({c: doc[c] for c in DOCUMENT_COLUMNS})
    return out


def edge_rows(store: Store, flt: EdgeFilter | None = None) -> list[dict[str, Any]]:
    """One row per edge (`EDGE_COLUMNS` and the copier's `wrapper`), by source then target."""
    return [_edge_row(e) for e in edges(store, flt)]


def _node_id(n: Node) -> int | str:
    """A document's id as it is; an outlet node's as "outlet:N", so the two never collide."""
    return n.id if n.kind == "document" else n.key


def _edge_row(e: StoredEdge) -> dict[str, Any]:
    return {
        "source": _node_id(e.source),
        "target": _node_id(e.target),
        "source_url": e.source.url,
        "target_url": e.target.url,
        "source_outlet": e.source.outlet,
        "target_outlet": e.target.outlet,
        "relation": e.relation,
        "directed": e.directed,
        "kind": e.kind,
        "similarity": e.similarity,
        "lag_days": e.lag_days,
        "evidence": e.evidence,
        "wrapper": e.wrapper,
    }


def write_table(rows: list[dict[str, Any]], columns: list[str], path: Path, fmt: str) -> int:
    """Write rows as CSV or Parquet; list values become `;`-joined strings in CSV."""
    try:
        if fmt == "csv":
            with path.open("w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
                w.writeheader()
                for row in rows:
                    w.writerow(
                        {k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
                    )
        elif fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            data = {c: [r.get(c) for r in rows] for c in columns}
            if "evidence" in data:
                data["evidence"] = [";".join(v) if isinstance(v, list) else v for v in data["evidence"]]
            pq.write_table(pa.table(data), path)
        else:
            raise UsageError(f"unknown table format {fmt!r}; use csv or parquet")
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return len(rows)


def graph_json(store: Store, *, level: str = "document", flt: EdgeFilter | None = None) -> dict[str, Any]:
    """The syndication graph `flt` keeps (all of it by default) in node-link form, per
    document or aggregated per outlet."""
    if level == "outlet":
        return _outlet_graph(edge_rows(store, flt))
    if level != "document":
        raise UsageError(f"unknown graph level {level!r}; use document or outlet")
    found = graph(store, flt)
    return {
        "directed": True,
        "multigraph": False,
        "graph": {"level": "document"},
        "nodes": [{**asdict(n), "id": _node_id(n)} for n in found.nodes],
        "edges": [{k: row[k] for k in GRAPH_EDGE_KEYS} for row in map(_edge_row, found.edges)],
    }


def _outlet_graph(rows: list[dict[str, Any]]) -> dict[str, Any]:
    agg: dict[tuple[str, str, str, bool], list[float | None]] = {}
    for e in rows:
        if e["kind"] == VARIANT or not e["source_outlet"] or not e["target_outlet"]:
            continue
        a, b = e["source_outlet"], e["target_outlet"]
        if not e["directed"]:
            a, b = min(a, b), max(a, b)
        agg.setdefault((a, b, e["relation"], e["directed"]), []).append(e["lag_days"])
    outlets = sorted({o for key in agg for o in key[:2]})
    links = []
    for (a, b, relation, directed), lags in sorted(agg.items()):
        known = [x for x in lags if x is not None]
        links.append(
            {
                "source": a,
                "target": b,
                "relation": relation,
                "directed": directed,
                "documents": len(lags),
                "mean_lag_days": round(sum(known) / len(known), 2) if known else None,
            }
        )
    return {
        "directed": True,
        "multigraph": True,
        "graph": {"level": "outlet"},
        "nodes": [{"id": o, "outlet": o} for o in outlets],
        "edges": links,
    }


def graph_graphml(
    store: Store, path: Path, *, level: str = "document", flt: EdgeFilter | None = None
) -> None:
    """GraphML for Gephi/yEd: attributes must be scalars, so lists become `;`-joined strings."""
    import networkx as nx

    data = graph_json(store, level=level, flt=flt)
    g = nx.MultiDiGraph() if data["multigraph"] else nx.DiGraph()
    for n in data["nodes"]:
        g.add_node(n["id"], **{k: ("" if v is None else v) for k, v in n.items() if k != "id"})
    for e in data["edges"]:
        attrs = {}
        for k, v in e.items():
            if k in ("source", "target"):
                continue
            if isinstance(v, list):
                v = ";".join(x["kind"] if isinstance(x, dict) else str(x) for x in v)
            attrs[k] = "" if v is None else v
        g.add_edge(e["source"], e["target"], **attrs)
    try:
        nx.write_graphml(g, path)
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from exc
