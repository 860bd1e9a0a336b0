"""The three syndication relations on the web: `/api/graph?relation=...`, the graph page's
legend, filter and table, a credited outlet outside the crawl as a node, and the outlet and
document pages listing copies apart from reused passages and common sources."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from presslens.corpus.store import Outlet
from tests.web.web_corpus import Seeded


@pytest.fixture
def related(seeded: Seeded) -> Seeded:
    """The seeded corpus plus a reused passage, a common source and a credited outside original."""
    ids = {k: int(v) for k, v in seeded.ids.items()}
    with seeded.store.session() as s:
        outlet = Outlet(name="Press TV", domain="presstv.ir")
        s.add(outlet)
        s.flush()
        outside = outlet.id

    def edge(a: int | None, b: int, relation: str, kind: str, directed: bool, evidence: list[str]) -> dict:
        return {
            "source_id": a,
            "source_outlet_id": outside if a is None else None,
            "target_id": b,
            "relation": relation,
            "directed": directed,
            "kind": kind,
            "similarity": 0.5,
            "lag_days": None,
            "evidence": json.dumps(evidence),
            "wrapper": "[]",
            "passages": "[]",
        }

    seeded.store.replace_edges(
        [
            edge(ids["original"], ids["copy1"], "copy", "near", True, ["attribution"]),
            edge(ids["original"], ids["copy2"], "copy", "near", True, ["date"]),
            edge(ids["original"], ids["unrelated"], "reuse", "passage", True, ["quotation"]),
            edge(ids["copy2"], ids["unrelated"], "common_source", "passage", False, []),
            edge(None, ids["copy2"], "copy", "credit", True, ["credit"]),
        ]
    )
    return seeded


def test_the_api_filters_the_graph_by_relation(client: TestClient, related: Seeded) -> None:
    every = client.get("/api/graph").json()
    assert sorted(e["relation"] for e in every["edges"]) == ["common_source", "copy", "copy", "copy", "reuse"]
    shared = next(e for e in every["edges"] if e["relation"] == "common_source")
    assert shared["directed"] is False
    outside = next(n for n in every["nodes"] if n["kind"] == "outlet")
    assert outside["id"].startswith("outlet:") and outside["outlet"] == "Press TV"
    assert outside["url"] == "https://presstv.ir/"
    reuse = client.get("/api/graph", params={"relation": "reuse"}).json()
    assert [(e["source"], e["target"]) for e in reuse["edges"]] == [
        (related.ids["original"], related.ids["unrelated"])
    ]
    two = client.get("/api/graph", params={"relation": "reuse,common_source"}).json()
    assert {e["relation"] for e in two["edges"]} == {"reuse", "common_source"}
    bad = client.get("/api/graph", params={"relation": "plagiarism"})
    assert bad.status_code == 400 and "unknown relation" in bad.json()["error"]["message"]


def test_the_graph_page_styles_relations_with_a_legend_and_filters_them(
    client: TestClient, related: Seeded
) -> None:
    page = client.get("/graph").text
    legend = page[page.index('id="relation-legend"') :]
    for rel in ("copy", "reuse", "common_source"):
        assert f'class="rel-line rel-{rel}"' in legend
        assert f'id="rel-{rel}" name="relation" value="{rel}" checked' in page
    rows = page[page.index('id="edges-h"') :]
    assert rows.count("<tr>") == 6  # header + five edges
    assert "(no direction)" in rows and "(credited, not in the crawl)" in rows
    only = client.get("/graph", params=[("relation", "reuse")]).text
    assert 'data-src="/api/graph?relation=reuse"' in only
    assert only[only.index('id="edges-h"') :].count("<tr>") == 2
    assert 'id="rel-copy" name="relation" value="copy" >' in only  # unchecked


def test_outlet_and_document_pages_keep_the_relations_apart(client: TestClient, related: Seeded) -> None:
    sf = client.get("/outlets/southfront.org").text
    reused_by = sf[sf.index('id="reused-h"') : sf.index('id="common-h"')]
    assert "markets.example.com" in reused_by
    mirror = client.get("/outlets/example-mirror.net").text
    credited = mirror[mirror.index('id="credited-h"') : mirror.index('id="cop-h"')]
    assert "Press TV" in credited
    assert "markets.example.com" in mirror[mirror.index('id="common-h"') :]
    press = client.get("/api/outlets/Press TV").json()  # an outlet known only from a credit
    assert press["documents"] == 0 and press["copied_by"] == [
        {"outlet": "example-mirror.net", "documents": 1}
    ]
    doc = client.get(f"/documents/{related.ids['unrelated']}").text
    copies = doc[doc.index('id="copies-h"') :]
    assert "text this reuses" in copies and "same source as this" in copies
