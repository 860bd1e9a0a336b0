"""Acceptance: the Global Research / South Front page taken apart, as `presslens extract` does.

The page is scraped text (markdown residue and all): a South Front video article republished by
Global Research with its wrapper (byline, dateline, credit line, taxonomy, donation handles,
attribution, copyright, comment/membership links, disclaimer, fair-use notice, contact).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.document import Document, RawPage
from presslens.pipeline import Pipeline


@pytest.fixture(scope="module")
def doc(example_path: Path) -> Document:
    if not example_path.is_file():
        pytest.skip(f"example page missing: {example_path}")
    text = example_path.read_text(encoding="utf-8")
    return Pipeline.from_names(["anatomy"])(RawPage(source=str(example_path), kind="text", text=text))


def test_text_is_the_input_verbatim(doc: Document, example_path: Path) -> None:
    assert doc.text == example_path.read_text(encoding="utf-8")
    assert doc.input_kind == "text"
    assert doc.stages == ["body", "metadata", "wrapper"]  # the "anatomy" group


def test_title_authors_publisher_and_dates(doc: Document) -> None:
    md = doc.metadata
    assert md.title == "Video: Qassem Soleimani: Martyr of Iranian Revolution"
    assert md.authors == ["South Front"]
    assert md.publisher == "Global Research"
    assert md.published == "2020-01-07"
    assert md.language == "en"


def test_original_source_has_its_own_date(doc: Document) -> None:
    src = doc.metadata.original_source
    assert src is not None
    assert (src.name, src.published, src.relation) == ("South Front", "2020-01-06", "original")
    assert [c.name for c in doc.metadata.republication_chain] == ["South Front"]


def test_tags_with_their_kinds(doc: Document) -> None:
    tags = [(t.kind, t.value) for t in doc.metadata.tags]
    assert tags == [
        ("region", "Middle East & North Africa"),
        ("theme", "US NATO War Agenda"),
        ("report", "IRAN: THE NEXT WAR?"),
    ]


def test_video_found_as_a_bare_url(doc: Document) -> None:
    videos = [m.url for m in doc.metadata.media if m.kind == "video"]
    assert videos == ["https://southfront.org/wp-content/uploads/video/06_01_20_FPD_Soleimani.mp4"]


def test_funding_channels(doc: Document) -> None:
    funding = [(f.channel, f.value) for f in doc.metadata.funding]
    assert ("paypal", "southfront@list.ru") in funding
    assert any(ch == "donate_page" and "southfront.org/donate" in v for ch, v in funding)
    assert any(ch == "patreon" and "patreon.com/southfront" in v for ch, v in funding)
    assert len(funding) == 3


def test_contact_with_its_role_and_paypal_not_a_contact(doc: Document) -> None:
    contacts = {(c.kind, c.value, c.role) for c in doc.metadata.contacts}
    assert contacts == {("email", "publications@globalresearch.ca", "media inquiries")}


def test_body_is_the_article_only(doc: Document) -> None:
    body = doc.body
    assert body is not None
    assert body.text.startswith("For the first time in the history of Iran")
    assert body.text.endswith("declaration of war.")
    assert doc.text[body.start : body.end] == body.text
    # The split word "Syrian-Iranian-" / "Russian" does not cut the body.
    assert "Syrian-Iranian-\n\nRussian coalition" in body.text
    for wrapper in (
        "PayPal",
        "share buttons",
        "Copyright",
        "fair use",
        "Disclaimer",
        "Become a Member",
        "Region:",
        "By [South Front]",
    ):
        assert wrapper not in body.text


def test_each_wrapper_paragraph_has_its_kind(doc: Document) -> None:
    kinds = {b.text.split("\n")[0][:30]: b.kind for b in doc.boilerplate}
    assert kinds == {
        "Note to readers: please click ": "share_appeal",
        "Support South Front in its end": "donation_appeal",
        "The original source of this ar": "attribution",
        "Copyright © [South Front](#), ": "copyright",
        "[Comment on Global Research Ar": "comments",
        "[Become a Member of Global Res": "membership",
        "Articles by: **[South Front](#": "attribution",
        "Disclaimer: The contents of th": "disclaimer",
        "www.globalresearch.ca contains": "fair_use",
        "For media inquiries: publicati": "contact",
    }
    donation = next(b for b in doc.boilerplate if b.kind == "donation_appeal")
    assert donation.text.endswith("via: <https://www.patreon.com/southfront>")


def test_every_span_indexes_the_text(doc: Document) -> None:
    for seg in doc.boilerplate:
        assert doc.text[seg.start : seg.end] == seg.text
    md = doc.metadata
    assert doc.text[md.provenance["title"].start : md.provenance["title"].end] == md.title  # type: ignore[index]
    for tag in md.tags:
        assert doc.text[tag.start : tag.end] == tag.value  # type: ignore[index]
    for f in md.funding:
        assert doc.text[f.start : f.end] == f.value  # type: ignore[index]
    for c in md.contacts:
        assert doc.text[c.start : c.end] == c.value  # type: ignore[index]
    date = md.provenance["published"]
    assert doc.text[date.start : date.end] == "January 07, 2020"  # type: ignore[index]
    assert {
        "title",
        "authors",
        "publisher",
        "published",
        "original_source",
        "tags",
        "media",
        "funding",
        "contacts",
        "language",
    } <= set(md.provenance)


def test_json_contract_round_trips(doc: Document) -> None:
    again = Document.from_json(doc.to_json())
    assert again.body == doc.body and again.metadata == doc.metadata
