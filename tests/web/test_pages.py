"""The server-rendered pages read without JavaScript: what a visitor sees on each."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from presslens.web.analysis import EXAMPLE_NAME
from presslens.web.charts import bar_chart, line_chart
from tests.web.web_corpus import Seeded


def test_start_page_offers_the_example_in_one_click_and_lists_recent_documents(client: TestClient) -> None:
    page = client.get("/").text
    form = re.search(r'<form method="post" action="/analyze">(.*?)</form>', page, re.S)
    assert form and 'name="example"' in form.group(1) and "Analyze the example page" in form.group(1)
    assert 'type="file"' in page and 'name="url"' in page and 'name="text"' in page
    assert "Qassem Soleimani: Martyr of Iranian Revolution" in page  # recent documents
    assert client.get(f"/static/examples/{EXAMPLE_NAME}").text.lstrip().startswith("Video: Qassem Soleimani")


def test_analyzing_the_example_shows_the_document_view(client: TestClient) -> None:
    r = client.post("/analyze", data={"example": "1"})
    assert r.status_code == 200, r.text
    page = r.text
    assert '<header class="card" aria-label="Metadata">' in page  # the metadata card
    assert "Analysed just now, not stored." in page
    assert "Those who want to avenge the blood of Hussein" in page  # the text itself
    counts = re.search(r'<ul class="counts">(.*?)</ul>', page, re.S)
    assert counts
    # Each list says either how many were found, "none found", or that its stage did not run.
    for label in ("Technique spans", "Entities", "Quotes", "Claims", "Timeline events"):
        item = re.search(rf"<b>{label}:</b> ([^<]+)</li>", counts.group(1))
        assert item and re.match(r"\d+|none found|not analysed", item.group(1).strip()), label


def test_pasted_text_and_uploaded_file_are_analysed(client: TestClient) -> None:
    pasted = client.post("/analyze", data={"text": "Parliament met on 3 March 2021 to debate the budget."})
    assert pasted.status_code == 200 and "debate the budget" in pasted.text
    uploaded = client.post(
        "/analyze", files={"file": ("note.txt", b"An uploaded note about taxes.", "text/plain")}
    )
    assert uploaded.status_code == 200 and "An uploaded note about taxes." in uploaded.text
    empty = client.post("/analyze", data={"text": "  "}, headers={"Accept": "text/html"})
    assert empty.status_code == 400 and "paste a text" in empty.text


def test_stored_document_page_highlights_spans_and_lists_copies(client: TestClient, seeded: Seeded) -> None:
    page = client.get(f"/documents/{seeded.ids['original']}").text
    mark = re.search(
        r'<mark class="t-nc" tabindex="0"[^>]*>criminals<span class="tip" role="tooltip">(.*?)</span>',
        page,
        re.S,
    )
    assert mark and "Name calling / labeling" in mark.group(1) and "0.91" in mark.group(1)
    assert '<sup class="tag">NC</sup>' in page and '<sup class="tag">LL</sup>' in page
    assert 'class="legend"' in page and 'class="wrapper"' in page and "donation appeal" in page
    assert "southfront@list.ru" in page  # funding in the metadata card
    copies = page[page.index('id="copies-h"') :]
    assert "globalresearch.ca" in copies and "example-mirror.net" in copies and "copy of this" in copies
    assert f'href="/documents/{seeded.ids["copy1"]}"' in copies
    back = client.get(f"/documents/{seeded.ids['copy1']}").text
    assert "original of this" in back
    assert client.get("/documents/nope", headers={"Accept": "text/html"}).status_code == 404


def test_outlet_page_has_charts_tables_sources_and_copiers(client: TestClient) -> None:
    page = client.get("/outlets/southfront.org").text
    assert page.count('<svg viewBox="0 0 640 200" role="img"') == 2  # volume and technique rates
    assert "Documents per month, southfront.org" in page
    assert "Loaded language" in page and "southfront@list.ru" in page
    copiers = page[page.index('id="cop-h"') :]
    assert "globalresearch.ca" in copiers and "example-mirror.net" in copiers
    gr = client.get("/outlets/globalresearch.ca").text
    sources = gr[gr.index('id="src-h"') : gr.index('id="cop-h"')]
    assert "southfront.org" in sources
    assert client.get("/outlets").status_code == 200


def test_graph_page_lists_edges_without_javascript_and_loads_the_vendored_script(client: TestClient) -> None:
    page = client.get("/graph").text
    assert '<script src="/static/graph.js" defer></script>' in page
    assert 'data-src="/api/graph"' in page
    rows = page[page.index('id="edges-h"') :]
    assert rows.count("<tr>") == 3  # header + two copy edges
    filtered = client.get("/graph", params={"outlet": "globalresearch.ca", "start": "2020-01-01"}).text
    assert 'data-src="/api/graph?start=2020-01-01&amp;outlet=globalresearch.ca"' in filtered
    assert client.get("/static/graph.js").headers["content-type"].startswith("text/javascript")


def test_search_page_with_facets_and_filters(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Soleimani"}).text
    assert "3 documents" in page
    facets = page[page.index('class="facets"') : page.index('class="hits"')]
    assert "/search?q=Soleimani&amp;outlet=globalresearch.ca" in facets
    narrowed = client.get("/search", params={"q": "Soleimani", "outlet": "globalresearch.ca"}).text
    assert "1 document ·" in narrowed and "Clear filters" in narrowed
    none = client.get("/search", params={"q": "zebra"}).text
    assert "None found." in none


def test_empty_corpus_pages_say_none_found(client: TestClient, seeded: Seeded) -> None:
    page = client.get("/graph", params={"start": "2030-01-01"}).text
    assert "None found." in page


def test_chart_geometry_scales_to_the_largest_value() -> None:
    bars = bar_chart([("2020-01", 10), ("2020-02", 5)])
    assert bars.bars[0].height == 2 * bars.bars[1].height
    lines = line_chart({"Doubt": [("2020-01", 1.0), ("2020-02", 2.0)]})
    (series,) = lines.series
    assert series.points[0][1] > series.points[1][1]  # higher value, smaller y
    assert series.path.startswith("M")
