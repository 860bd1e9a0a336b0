"""Exports of a corpus: documents and edges as CSV or Parquet, the syndication graph as
node-link JSON or GraphML.

Where it sits: reads the store for researchers' own tools (pandas, R, Gephi, networkx). The
graph's JSON is networkx's node-link form: `nodes` with `id`, `url`, `outlet`, `published`;
`edges` with `source` → `target` (original → copy), `kind`, `lag_days`, `similarity`,
`evidence` (date, attribution, canonical, ...) and the copier's `wrapper`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from presslens.corpus.store import AnnotationRow, DocumentRow, Outlet, Store, SyndicationEdge
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
    "kind",
    "similarity",
    "lag_days",
    "evidence",
]


def document_rows(store: Store) -> list[dict[str, Any]]:
    d = DocumentRow
    n_tech = (
        sa.select(sa.func.count())
        .where(AnnotationRow.document_id == d.id, AnnotationRow.kind == "technique")
        .correlate(d)
        .scalar_subquery()
    )
    q = (
        sa.select(
            d.id,
            d.url,
            Outlet.name,
            d.published,
            d.title,
            d.words,
            d.body_hash,
            d.original_source_name,
            n_tech,
            d.source,
        )
        .outerjoin(Outlet, Outlet.id == d.outlet_id)
        .order_by(d.id)
    )
    with store.session() as s:
        return [dict(zip(DOCUMENT_COLUMNS, r, strict=True)) for r in s.execute(q)]


def edge_rows(store: Store) -> list[dict[str, Any]]:
    e = SyndicationEdge
    src, dst = aliased(DocumentRow), aliased(DocumentRow)
    so, to = aliased(Outlet), aliased(Outlet)
    q = (
        sa.select(
            e.source_id,
            e.target_id,
            src.url,
            dst.url,
            so.name,
            to.name,
            e.kind,
            e.similarity,
            e.lag_days,
            e.evidence,
            e.wrapper,
        )
        .join(src, src.id == e.source_id)
        .join(dst, dst.id == e.target_id)
        .outerjoin(so, so.id == src.outlet_id)
        .outerjoin(to, to.id == dst.outlet_id)
        .order_by(e.source_id, e.target_id)
    )
    out = []
    with store.session() as s:
        for r in s.execute(q):
            row = dict(zip(EDGE_COLUMNS, r[:10], strict=True))
            row["evidence"] = json.loads(str(row["evidence"]))
            row["wrapper"] = json.loads(str(r[10]))
            out.append(row)
    return out


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


def graph_json(store: Store, *, level: str = "document") -> dict[str, Any]:
    """The syndication graph in node-link form, per document or aggregated per outlet."""
    edges = edge_rows(store)
    if level == "outlet":
        return _outlet_graph(edges)
    if level != "document":
        raise UsageError(f"unknown graph level {level!r}; use document or outlet")
    ids = {e["source"] for e in edges} | {e["target"] for e in edges}
    d = DocumentRow
    nodes = []
    with store.session() as s:
        for chunk in _chunks(sorted(ids)):
            q = (
                sa.select(d.id, d.url, Outlet.name, d.published, d.title)
                .outerjoin(Outlet, Outlet.id == d.outlet_id)
                .where(d.id.in_(chunk))
            )
            nodes += [
                {"id": i, "url": u, "outlet": o, "published": p, "title": t} for i, u, o, p, t in s.execute(q)
            ]
    links = [
        {
            "source": e["source"],
            "target": e["target"],
            "kind": e["kind"],
            "lag_days": e["lag_days"],
            "similarity": e["similarity"],
            "evidence": e["evidence"],
            "wrapper": e["wrapper"],
        }
        for e in edges
    ]
    return {
        "directed": True,
        "multigraph": False,
        "graph": {"level": "document"},
        "nodes": nodes,
        "edges": links,
    }


def _outlet_graph(edges: list[dict[str, Any]]) -> dict[str, Any]:
    agg: dict[tuple[str, str], list[float | None]] = {}
    for e in edges:
        if e["kind"] == "variant" or not e["source_outlet"] or not e["target_outlet"]:
            continue
        agg.setdefault((e["source_outlet"], e["target_outlet"]), []).append(e["lag_days"])
    outlets = sorted({o for pair in agg for o in pair})
    links = []
    for (a, b), lags in sorted(agg.items()):
        known = [x for x in lags if x is not None]
        links.append(
            {
                "source": a,
                "target": b,
                "documents": len(lags),
                "mean_lag_days": round(sum(known) / len(known), 2) if known else None,
            }
        )
    return {
        "directed": True,
        "multigraph": False,
        "graph": {"level": "outlet"},
        "nodes": [{"id": o, "outlet": o} for o in outlets],
        "edges": links,
    }


def graph_graphml(store: Store, path: Path, *, level: str = "document") -> None:
    """GraphML for Gephi/yEd: attributes must be scalars, so lists become `;`-joined strings."""
    import networkx as nx

    data = graph_json(store, level=level)
    g = nx.DiGraph()
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


def _chunks(ids: list[int], n: int = 900) -> list[list[int]]:
    return [ids[i : i + n] for i in range(0, len(ids), n)]
