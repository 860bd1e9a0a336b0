"""The query layer as the CLI and the web use it: search with totals and facets, outlet
profiles with monthly series, the syndication graph with filters, one document read or deleted.

The corpus: South Front publishes a report, Global Research copies it with a credit, a mirror
copies it a month later, an AMP variant repeats the mirror's page, and a wire story on the
plague stands alone. Dates come in the precisions crawls give: days, a timestamp, a year only.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from presslens.corpus.export import edge_rows, graph_json
from presslens.corpus.graph import EdgeFilter, copies, edges, graph
from presslens.corpus.profiles import profile
from presslens.corpus.query import add_document, document_json, get_document, outlets, recent
from presslens.corpus.search import SearchQuery, search
from presslens.corpus.store import AnnotationRow, LinkRow, Store, SyndicationEdge
from presslens.document import Entity, Funding, Link, Mention, TechniqueSpan
from presslens.errors import InputError, UsageError
from tests.corpus.factory import ARTICLE, OTHER, make_doc


def add(
    store: Store, url: str, body: str, outlet: str, published: str | None, *, paypal: str | None = None
) -> int:
    """Store a page as the API would, with the technique spans and entity analysis would find."""
    doc, _ = make_doc(url, body)
    spans = []
    for word, technique in (("state terrorism", "Loaded_Language"), ("living martyr", "Exaggeration")):
        at = doc.text.find(word)
        if at >= 0:
            spans.append(
                TechniqueSpan(technique=technique, start=at, end=at + len(word), text=word, score=0.9)
            )
    doc.techniques = spans
    at = doc.text.find("Soleimani")
    if at >= 0:
        mention = Mention(start=at, end=at + 9, text="Soleimani")
        doc.entities = [Entity(name="Qassem Soleimani", type="PERSON", mentions=[mention])]
    if paypal:
        doc.metadata.funding = [Funding(channel="paypal", value=paypal)]
    doc.metadata.links = [Link(url="https://example.org/more", text="more")]
    return add_document(store, doc, outlet=outlet, published=published).id


@pytest.fixture
def ids(store: Store) -> dict[str, int]:
    out = {
        "original": add(
            store, "https://southfront.org/a", ARTICLE, "South Front", "2020-01-06", paypal="sf@list.ru"
        ),
        "copy": add(
            store, "https://www.globalresearch.ca/a", ARTICLE + " (GR)", "globalresearch.ca", "2020-01-07"
        ),
        "mirror": add(
            store, "https://mirror.net/a", ARTICLE + " Mirror.", "mirror.net", "2020-02-09T23:30:00"
        ),
        "amp": add(store, "https://mirror.net/a/amp", ARTICLE + " Mirror amp.", "mirror.net", "2020-02-09"),
        "wire": add(store, "https://who.example.org/b", OTHER, "who.example.org", "2019"),
    }
    store.replace_edges(
        [
            {
                "source_id": out[a],
                "target_id": out[b],
                "kind": kind,
                "similarity": 0.97,
                "lag_days": lag,
                "evidence": json.dumps(evidence),
                "wrapper": json.dumps([{"kind": "other", "text": "Become a member"}]),
                "passages": "[]",
            }
            for a, b, kind, lag, evidence in (
                ("original", "copy", "near", 1.0, ["attribution", "date"]),
                ("original", "mirror", "near", 34.0, ["date"]),
                ("mirror", "amp", "variant", 0.0, ["canonical"]),
            )
        ]
    )
    return out


def test_search_counts_all_matches_and_facets_them(store: Store, ids: dict[str, int]) -> None:
    result = search(store, SearchQuery("Soleimani", limit=2))
    assert result.hits.total == 4 and len(result.hits.items) == 2 and result.hits.next_offset == 2
    assert dict(result.facets["outlet"]) == {"mirror.net": 2, "South Front": 1, "globalresearch.ca": 1}
    assert dict(result.facets["technique"]) == {"Loaded_Language": 4, "Exaggeration": 4}
    assert result.facets["entity"] == [("Qassem Soleimani", 4)]
    assert result.facets["year"] == [("2020", 4)]
    assert all("Soleimani" in h.snippet for h in result.hits.items)
    assert search(store, SearchQuery("plague"), facets=False).facets == {}


def test_labels_and_outlets_match_in_any_letter_case(store: Store, ids: dict[str, int]) -> None:
    def found(query: SearchQuery) -> set[int]:
        return {h.id for h in search(store, query).hits.items}

    assert found(SearchQuery(technique="loaded_language")) == found(SearchQuery(technique="Loaded_Language"))
    assert len(found(SearchQuery(entity="QASSEM SOLEIMANI"))) == 4
    assert found(SearchQuery(outlet="south front")) == {ids["original"]}
    assert found(SearchQuery(outlet="SouthFront.org")) == {ids["original"]}  # its domain
    assert [h.id for h in recent(store, outlet="MIRROR.NET").items] == [ids["mirror"], ids["amp"]]


def test_a_date_bound_is_a_whole_period_and_undated_pages_never_pass(
    store: Store, ids: dict[str, int]
) -> None:
    def found(start: str | None = None, end: str | None = None) -> set[int]:
        return {h.id for h in search(store, SearchQuery(start=start, end=end)).hits.items}

    assert found(end="2020-02-09") == set(ids.values())  # the 23:30 timestamp is on that day
    assert found(end="2020-01") == {ids["wire"], ids["original"], ids["copy"]}
    assert found(start="2020-02") == {ids["mirror"], ids["amp"]}
    assert found(start="2019", end="2019") == {ids["wire"]}  # a year-only date is in its year
    assert found(start="2019-06") == found(start="2020")  # ...but in no month of it
    with pytest.raises(InputError):
        search(store, SearchQuery(start="last week"))
    with pytest.raises(InputError):
        search(store, SearchQuery(end="2020-02-30"))
    with pytest.raises(UsageError):
        search(store, SearchQuery(offset=-1))


def test_outlet_profile_has_monthly_series_and_sources(store: Store, ids: dict[str, int]) -> None:
    sf = profile(store, "south front")
    assert sf is not None and sf.name == "South Front" and sf.domain == "southfront.org"
    assert sf.documents == 1 and sf.first_published == sf.last_published == "2020-01-06"
    assert sf.volume == [("2020-01", 1)]
    assert list(sf.techniques_per_1000_words) == ["Exaggeration", "Loaded_Language"]
    assert sf.techniques_per_1000_words["Loaded_Language"] == pytest.approx(1000 / sf.words)
    assert sf.technique_series["Loaded_Language"] == [("2020-01", pytest.approx(1000 / sf.words))]
    assert [(f.channel, f.value, f.documents) for f in sf.funding] == [("paypal", "sf@list.ru", 1)]
    assert [(e.name, e.type, e.documents) for e in sf.top_entities] == [("Qassem Soleimani", "PERSON", 1)]
    assert [(c.outlet, c.documents, c.mean_lag_days) for c in sf.copied_by] == [
        ("globalresearch.ca", 1, 1.0),
        ("mirror.net", 1, 34.0),
    ]
    mirror = profile(store, "mirror.net")
    assert mirror is not None and mirror.copied_by == []  # its AMP variant is not a copier
    assert [c.outlet for c in mirror.copies_from] == ["South Front"]
    assert [d.id for d in mirror.recent] == [ids["mirror"], ids["amp"]]
    wire = profile(store, "who.example.org")
    assert wire is not None and wire.volume == [("unknown", 1)]  # dated by its year only
    assert profile(store, "nowhere.example") is None
    assert outlets(store)[0] == ("mirror.net", 2)


def test_graph_edges_filter_by_period_outlet_document_and_kind(store: Store, ids: dict[str, int]) -> None:
    def pairs(flt: EdgeFilter) -> set[tuple[int, int]]:
        return {(e.source.id, e.target.id) for e in edges(store, flt)}

    everything = pairs(EdgeFilter())
    assert len(everything) == 3
    # An edge is in a period when one of its documents is: the February copy keeps its original.
    assert pairs(EdgeFilter(start="2020-02")) == {
        (ids["original"], ids["mirror"]),
        (ids["mirror"], ids["amp"]),
    }
    assert pairs(EdgeFilter(end="2020-01-06")) == {
        (ids["original"], ids["copy"]),
        (ids["original"], ids["mirror"]),
    }
    assert pairs(EdgeFilter(outlet="GlobalResearch.ca")) == {(ids["original"], ids["copy"])}
    assert pairs(EdgeFilter(variants=False)) == everything - {(ids["mirror"], ids["amp"])}
    assert pairs(EdgeFilter(document=ids["amp"])) == {(ids["mirror"], ids["amp"])}
    first = graph(store, EdgeFilter(limit=1))
    assert (
        first.truncated
        and len(first.edges) == 1
        and {n.id for n in first.nodes} == {ids["original"], ids["copy"]}
    )
    assert not graph(store, EdgeFilter(limit=3)).truncated
    edge = edges(store, EdgeFilter(document=ids["copy"]))[0]
    assert edge.source.outlet == "South Front" and edge.target.published == "2020-01-07"
    assert edge.evidence == ["attribution", "date"] and edge.wrapper[0]["text"] == "Become a member"
    # The CLI's exports read the same edges.
    assert {(r["source"], r["target"]) for r in edge_rows(store)} == everything
    outlet_level = graph_json(store, level="outlet")
    assert {(e["source"], e["target"]) for e in outlet_level["edges"]} == {
        ("South Front", "globalresearch.ca"),
        ("South Front", "mirror.net"),
    }


def test_copies_of_a_document_name_its_original_and_its_copies(store: Store, ids: dict[str, int]) -> None:
    found = copies(store, ids["original"])
    assert found is not None
    assert [(c.document.id, c.relation) for c in found] == [(ids["copy"], "copy"), (ids["mirror"], "copy")]
    back = copies(store, ids["mirror"])
    assert back is not None
    assert [(c.document.outlet, c.relation, c.kind) for c in back] == [
        ("South Front", "original", "near"),
        ("mirror.net", "copy", "variant"),
    ]
    assert copies(store, ids["wire"]) == []
    assert copies(store, 999_999) is None


def test_a_document_reads_back_decoded_or_as_stored_json(store: Store, ids: dict[str, int]) -> None:
    stored = get_document(store, ids["original"])
    assert stored is not None and stored.summary.outlet == "South Front" and stored.summary.techniques == 2
    assert stored.document.techniques[0].technique == "Loaded_Language"
    found = document_json(store, ids["original"])
    assert found is not None
    summary, raw = found
    assert summary == stored.summary and json.loads(raw)["text"] == stored.document.text
    assert get_document(store, 999_999) is None and document_json(store, 999_999) is None


def test_delete_removes_the_document_with_everything_that_points_at_it(
    store: Store, ids: dict[str, int]
) -> None:
    gone = ids["original"]
    assert store.delete_document(gone)
    assert not store.delete_document(gone)
    assert get_document(store, gone) is None
    with store.session() as s:
        for table, column in ((AnnotationRow, AnnotationRow.document_id), (LinkRow, LinkRow.document_id)):
            assert s.scalar(sa.select(sa.func.count()).select_from(table).where(column == gone)) == 0
        touching = sa.or_(SyndicationEdge.source_id == gone, SyndicationEdge.target_id == gone)
        assert s.scalar(sa.select(sa.func.count()).select_from(SyndicationEdge).where(touching)) == 0
    assert len(edges(store)) == 1  # the mirror's variant edge stays
    assert gone not in {h.id for h in search(store, SearchQuery("Soleimani")).hits.items}
    assert profile(store, "South Front") is None  # an outlet without documents has no profile
