"""The REST API as a client uses it: analyze, store with a token, list, read, profile, graph, search."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from presslens.web.analysis import EXAMPLE_PATH, Analyzer
from presslens.web.app import create_app
from tests.web.web_corpus import TOKEN, Seeded


def test_analyze_text_returns_the_document_json(client: TestClient) -> None:
    text = EXAMPLE_PATH.read_text(encoding="utf-8")
    r = client.post("/api/analyze", json={"text": text, "source": "example.txt"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["schema_version"] and doc["source"] == "example.txt"
    assert doc["text"] == text  # plain text is kept verbatim: offsets index the input
    assert doc["stages"], "at least one stage ran"
    for key in ("body", "boilerplate", "metadata", "techniques", "entities", "quotes", "claims", "timeline"):
        assert key in doc


def test_analyze_html_keeps_markup_out_of_the_text(client: TestClient) -> None:
    html = "<html><body><h1>Title</h1><p>Some <b>bold</b> news text about Baghdad.</p></body></html>"
    r = client.post("/api/analyze", json={"html": html})
    assert r.status_code == 200, r.text
    assert "<b>" not in r.json()["text"] and "bold" in r.json()["text"]


@pytest.mark.parametrize(
    "body",
    [{}, {"text": "a", "html": "<p>b</p>"}, {"text": ""}, {"url": "ftp://example.org/x"}],
    ids=["none", "two", "empty", "ftp"],
)
def test_bad_analyze_bodies_are_typed_input_errors(client: TestClient, body: dict[str, str]) -> None:
    r = client.post("/api/analyze", json=body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["exit_code"] == 3 and error["message"]


def test_url_to_a_private_address_is_refused_by_the_safe_fetcher(client: TestClient) -> None:
    for url in ("http://127.0.0.1:9/x", "http://169.254.169.254/latest/meta-data/", "http://[::1]/"):
        r = client.post("/api/analyze", json={"url": url})
        assert r.status_code == 403, r.text
        assert r.json()["error"]["exit_code"] == 4


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        body = (
            b"<html><head><title>Local news</title></head><body><article><p>" + b"Local council news. " * 40
        )
        body += b"</p></article></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_page() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/article.html"
    server.shutdown()


def test_url_analysis_fetches_through_the_safe_fetcher_when_private_is_allowed(local_page: str) -> None:
    with Analyzer(stage_names=("anatomy",), allow_private=True, workers=1) as analyzer:
        app = create_app(token=TOKEN, analyzer=analyzer)
        with TestClient(app) as c:
            r = c.post("/api/analyze", json={"url": local_page})
    assert r.status_code == 200, r.text
    assert "Local council news." in r.json()["text"]


def test_writes_need_the_bearer_token(client: TestClient, auth: dict[str, str]) -> None:
    body = {
        "text": "A short article about a council vote.",
        "outlet": "local.example",
        "published": "2021-03-04",
    }
    assert client.post("/api/documents", json=body).status_code == 401
    wrong = client.post("/api/documents", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert wrong.json()["error"]["type"] == "Unauthorized"
    r = client.post("/api/documents", json=body, headers=auth)
    assert r.status_code == 201, r.text
    stored = r.json()
    assert stored["id"] and stored["outlet"] == "local.example"
    assert r.headers["location"] == f"/api/documents/{stored['id']}"

    again = client.get(f"/api/documents/{stored['id']}")
    assert again.status_code == 200
    assert again.json()["text"] == body["text"] and again.json()["stored_published"] == "2021-03-04"

    assert client.delete(f"/api/documents/{stored['id']}").status_code == 401
    assert client.delete(f"/api/documents/{stored['id']}", headers=auth).status_code == 204
    assert client.get(f"/api/documents/{stored['id']}").status_code == 404


def test_store_rejects_a_bad_date(client: TestClient, auth: dict[str, str]) -> None:
    r = client.post("/api/documents", json={"text": "x y z", "published": "yesterday"}, headers=auth)
    assert r.status_code == 422 and "published" in r.json()["error"]["message"]


def test_documents_are_listed_newest_first_with_pagination(client: TestClient) -> None:
    first = client.get("/api/documents", params={"limit": 2}).json()
    assert first["total"] == 4 and len(first["items"]) == 2 and first["next_offset"] == 2
    assert first["items"][0]["published"] == "2020-02-09"
    second = client.get("/api/documents", params={"limit": 2, "offset": 2}).json()
    assert second["next_offset"] is None
    ids = [d["id"] for d in first["items"] + second["items"]]
    assert len(set(ids)) == 4
    assert client.get("/api/documents", params={"limit": 1000}).status_code == 422
    only = client.get("/api/documents", params={"outlet": "globalresearch.ca"}).json()
    assert [d["outlet"] for d in only["items"]] == ["globalresearch.ca"]


def test_a_stored_document_keeps_its_annotations(client: TestClient, seeded: Seeded) -> None:
    doc = client.get(f"/api/documents/{seeded.ids['original']}").json()
    assert doc["id"] == seeded.ids["original"] and doc["outlet"] == "southfront.org"
    assert {t["technique"] for t in doc["techniques"]} == {"Name_Calling,Labeling", "Loaded_Language"}
    assert doc["metadata"]["funding"] == [
        {"channel": "paypal", "value": "southfront@list.ru", "start": None, "end": None}
    ]
    missing = client.get("/api/documents/999999")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "NotFound"


def test_copies_of_a_document(client: TestClient, seeded: Seeded) -> None:
    copies = client.get(f"/api/documents/{seeded.ids['original']}/copies").json()
    assert sorted(c["outlet"] for c in copies) == ["example-mirror.net", "globalresearch.ca"]
    assert all(c["relation"] == "copy" for c in copies)
    back = client.get(f"/api/documents/{seeded.ids['copy1']}/copies").json()
    assert [(c["outlet"], c["relation"]) for c in back] == [("southfront.org", "original")]


def test_outlet_profile(client: TestClient) -> None:
    p = client.get("/api/outlets/southfront.org").json()
    assert p["documents"] == 1 and p["first"] == "2020-01-06"
    assert p["volume"] == [{"month": "2020-01", "documents": 1}]
    assert {t["technique"] for t in p["top_techniques"]} == {"Name_Calling,Labeling", "Loaded_Language"}
    assert p["funding"][0]["channel"] == "paypal"
    assert sorted(c["outlet"] for c in p["copied_by"]) == ["example-mirror.net", "globalresearch.ca"]
    gr = client.get("/api/outlets/globalresearch.ca").json()
    assert [c["outlet"] for c in gr["copies_from"]] == ["southfront.org"]
    assert client.get("/api/outlets/nowhere.example").status_code == 404
    names = {o["name"] for o in client.get("/api/outlets").json()}
    assert names == {"southfront.org", "globalresearch.ca", "example-mirror.net", "markets.example.com"}


def test_graph_is_node_link_original_to_copy_and_filters(client: TestClient, seeded: Seeded) -> None:
    g = client.get("/api/graph").json()
    assert {(e["source"], e["target"]) for e in g["edges"]} == {
        (seeded.ids["original"], seeded.ids["copy1"]),
        (seeded.ids["original"], seeded.ids["copy2"]),
    }
    assert seeded.ids["unrelated"] not in {n["id"] for n in g["nodes"]}  # same topic, not linked
    node = next(n for n in g["nodes"] if n["id"] == seeded.ids["copy1"])
    assert node["outlet"] == "globalresearch.ca" and node["published"] == "2020-01-07"
    lag = {e["target"]: e["lag_days"] for e in g["edges"]}
    assert lag[seeded.ids["copy1"]] == 1.0

    january = client.get("/api/graph", params={"start": "2020-02-01"}).json()
    assert [e["target"] for e in january["edges"]] == [seeded.ids["copy2"]]
    gr = client.get("/api/graph", params={"outlet": "globalresearch.ca"}).json()
    assert len(gr["edges"]) == 1
    bad = client.get("/api/graph", params={"start": "last week"})
    assert bad.status_code == 422 and bad.json()["error"]["exit_code"] == 3


def test_search_with_facets(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "Soleimani revenge"}).json()
    assert r["total"] == 3
    assert {f["value"] for f in r["facets"]["outlet"]} == {
        "southfront.org",
        "globalresearch.ca",
        "example-mirror.net",
    }
    assert all("Soleimani" in hit["snippet"] or "revenge" in hit["snippet"] for hit in r["items"])
    oil = client.get("/api/search", params={"q": "oil"}).json()
    assert [h["outlet"] for h in oil["items"]] == ["markets.example.com"]
    tech = client.get(
        "/api/search", params={"technique": "Name_Calling,Labeling", "end": "2020-01-31"}
    ).json()
    assert tech["total"] == 2
    # Query syntax never reaches the full-text engine.
    assert client.get("/api/search", params={"q": 'AND OR "NEAR(' + "*"}).status_code == 200


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/analyze",
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/outlets/{name}",
        "/api/graph",
    ):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/documents"] and "get" in spec["paths"]["/api/documents"]
    assert client.get("/docs").status_code == 200


def test_search_puts_the_most_relevant_document_first(client: TestClient, auth: dict[str, str]) -> None:
    once = "Shipping news: a tanker left the port on Monday while traders watched oil prices."
    often = "Tanker attacks: the tanker war, tanker insurance and tanker routes. A tanker burned."
    for text, day in ((once, "2021-05-02"), (often, "2021-05-01")):
        body = {"text": text, "outlet": "shipping.example", "published": day}
        assert client.post("/api/documents", json=body, headers=auth).status_code == 201
    hits = client.get("/api/search", params={"q": "tanker"}).json()["items"]
    assert [h["published"] for h in hits][:2] == ["2021-05-01", "2021-05-02"]  # relevance beats date
