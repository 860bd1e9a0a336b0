"""Syndication quality and speed on a generated crawl with known ground truth.

    python benchmarks/syndication.py --docs 5000 --workers 2

Generates a crawl (`make_corpus.py`, seeded), ingests it into a fresh SQLite store with the
anatomy stage only (the fast path), links copies, and prints:
- edge precision / recall: predicted original → copy edges (copies and passage reuse; AMP
  variants are scored on their own) against the true edges, by URL;
- original-outlet accuracy: for every true copy, is the root of its predicted chain
  published by the outlet that really published first;
- unrelated same-topic pages linked to anything (should be 0);
- ingest and link time, docs/s, peak memory (this process and its workers).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_corpus

from presslens.corpus.ingest import ingest
from presslens.corpus.store import DocumentRow, Outlet, Store, SyndicationEdge
from presslens.corpus.syndication import link_corpus
from presslens.engine import LocalEngine


def predicted(store: Store) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """Edges as (source url, target url, kind) and each document's outlet domain."""
    with store.session() as s:
        urls = {i: u for i, u in s.execute(sa.select(DocumentRow.id, DocumentRow.url))}
        outlets = {
            u: d
            for u, d in s.execute(
                sa.select(DocumentRow.url, Outlet.domain).join(Outlet, Outlet.id == DocumentRow.outlet_id)
            )
        }
        edges = [
            (urls[a], urls[b], k)
            for a, b, k in s.execute(
                sa.select(SyndicationEdge.source_id, SyndicationEdge.target_id, SyndicationEdge.kind)
            )
        ]
    return edges, outlets


def evaluate(store: Store, truth: dict[str, Any]) -> dict[str, float]:
    edges, outlets = predicted(store)
    docs = truth["documents"]
    true_syn = {(e["source"], e["target"]) for e in truth["edges"] if e["kind"] in ("copy", "passage")}
    true_var = {(e["source"], e["target"]) for e in truth["edges"] if e["kind"] == "variant"}
    pred_syn = {(a, b) for a, b, k in edges if k != "variant"}
    pred_var = {(a, b) for a, b, k in edges if k == "variant"}
    tp = len(pred_syn & true_syn)
    parent = {b: a for a, b, k in edges if k not in ("variant", "passage")}
    variant_of = {b: a for a, b, k in edges if k == "variant"}

    def root(url: str) -> str:
        url = variant_of.get(url, url)
        seen = {url}
        while url in parent and parent[url] not in seen:
            url = parent[url]
            seen.add(url)
        return url

    copies = [u for u, d in docs.items() if d["role"] == "copy"]
    right = sum(1 for u in copies if outlets.get(root(u)) == docs[docs[u]["original"]]["outlet"])
    linked = {a for a, _, _ in edges} | {b for _, b, _ in edges}
    unrelated = [u for u, d in docs.items() if d["role"] == "unrelated"]
    return {
        "edge_precision": tp / len(pred_syn) if pred_syn else 0.0,
        "edge_recall": tp / len(true_syn) if true_syn else 0.0,
        "true_edges": len(true_syn),
        "predicted_edges": len(pred_syn),
        "original_outlet_accuracy": right / len(copies) if copies else 0.0,
        "variant_precision": len(pred_var & true_var) / len(pred_var) if pred_var else 1.0,
        "variant_recall": len(pred_var & true_var) / len(true_var) if true_var else 1.0,
        "unrelated_linked": sum(1 for u in unrelated if u in linked),
        "unrelated": len(unrelated),
    }


def errors(store: Store, truth: dict[str, Any], n: int = 10) -> None:
    """Print a few false positives and misses, to see what went wrong."""
    edges, _ = predicted(store)
    true_syn = {(e["source"], e["target"]): e["kind"] for e in truth["edges"] if e["kind"] != "variant"}
    pred = {(a, b): k for a, b, k in edges if k != "variant"}
    docs = truth["documents"]
    for label, a_set, b_set in (("false positive", pred, true_syn), ("missed", true_syn, pred)):
        for (a, b), k in list((p, k) for p, k in a_set.items() if p not in b_set)[:n]:
            print(f"  {label}: {k} {docs[a]['role']}->{docs[b]['role']} {a} -> {b}", file=sys.stderr)


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/presslens-syndication"))
    ap.add_argument("--stages", default="anatomy", help="comma-separated stages (anatomy is the fast path)")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--relink", action="store_true", help="reuse the stored crawl, only re-link and score")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument(
        "--text",
        action="store_true",
        help="plain-text records (no HTML extraction): times the corpus machinery itself",
    )
    args = ap.parse_args(argv)

    work = args.workdir / f"{args.docs}-{args.seed}{'-text' if args.text else ''}"
    crawl = work / "crawl.jsonl"
    if not crawl.exists():
        work.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        pages = make_corpus.generate(args.docs, args.seed)
        make_corpus.write_jsonl(pages, crawl, text=args.text)
        (work / "truth.json").write_text(json.dumps(make_corpus.truth_of(pages)))
        print(f"generated {len(pages)} documents in {time.perf_counter() - t:.1f}s")
    truth = json.loads((work / "truth.json").read_text())
    db = work / "store.sqlite"
    if not args.relink:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store(f"sqlite:///{db}")
    stages = [s for s in args.stages.split(",") if s]
    if not args.relink:
        report = ingest(
            [str(crawl)],
            store,
            stages=stages,
            engine=LocalEngine(args.workers),
            batch_size=args.batch_size,
            link=False,
        )
        print(
            f"ingest: {report.read} read, {report.added} added, failures {dict(report.failures)}, "
            f"warnings {dict(report.warnings)}, {report.seconds:.1f}s, {report.docs_per_second:.1f} docs/s "
            f"({args.workers} workers, stages {','.join(stages)})"
        )
        for name, st in report.stats.items():
            print(f"  stage {name}: {st.documents} docs, {st.seconds:.1f}s worker time, {st.errors} errors")
    link = link_corpus(store)
    print(
        f"link: {link.documents} docs, {link.candidate_pairs} candidate pairs, verified {link.verified}, "
        f"edges {link.edges}, {link.seconds:.1f}s, {link.documents / max(link.seconds, 1e-9):.0f} docs/s"
    )
    scores = evaluate(store, truth)
    print(
        f"edge precision {scores['edge_precision']:.3f}  recall {scores['edge_recall']:.3f}  "
        f"({scores['predicted_edges']} predicted, {scores['true_edges']} true)"
    )
    print(f"original outlet accuracy {scores['original_outlet_accuracy']:.3f}")
    print(f"variants precision {scores['variant_precision']:.3f} recall {scores['variant_recall']:.3f}")
    print(f"unrelated same-topic pages linked: {scores['unrelated_linked']} of {scores['unrelated']}")
    print(f"peak memory {peak_rss_mb():.0f} MB (max RSS of this process + largest worker)")
    if args.show_errors:
        errors(store, truth)
    ok = min(scores["edge_precision"], scores["edge_recall"], scores["original_outlet_accuracy"]) >= 0.95
    print("PASS" if ok and scores["unrelated_linked"] == 0 else "BELOW GOAL")


if __name__ == "__main__":
    main()
