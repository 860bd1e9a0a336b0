"""The claims stage: check-worthy sentences with kind, score, numbers and entities."""

from __future__ import annotations

from presslens.analyze.claims import ClaimStage, extract_claims
from presslens.document import Document


def test_example_page_poll_and_award(soleimani: Document) -> None:
    claims = ClaimStage()(soleimani).claims
    poll = next(c for c in claims if "76%" in c.text)
    assert poll.kind == "statistic" and "76%" in poll.numbers
    assert any("Suleimani" in e for e in poll.entities)  # "him" is the general
    award = next(c for c in claims if "Order of Zulfaqar" in c.text)
    assert "Order of Zulfaqar" in award.entities
    # Sorting by score puts the statistic first: the most checkable sentence.
    assert max(claims, key=lambda c: c.score) is poll
    assert all(soleimani.text[c.start : c.end] == c.text for c in claims)


def test_kinds() -> None:
    text = (
        "Unemployment in Spain fell to 14 percent in 2019, the statistics office said. "
        "The storm caused flooding across Texas because the levees failed. "
        "It was a nice day and everyone was happy about it."
    )
    kinds = {c.text.split()[0]: c.kind for c in extract_claims(Document(source="t", text=text))}
    assert kinds == {"Unemployment": "statistic", "The": "causal"}


def test_empty_and_plain_text() -> None:
    assert extract_claims(Document(source="t", text="")) == []
    assert extract_claims(Document(source="t", text="hello there.")) == []


def test_non_english_documents_are_skipped_by_every_stage() -> None:
    from presslens.analyze.quotes import extract_quotes
    from presslens.analyze.timeline import extract_timeline

    text = 'Laut einer Umfrage stimmten 76% im März 2019 zu. "Wir schaffen das", sagte Angela Merkel.'
    doc = Document(source="t", text=text, metadata={"language": "de"})
    assert extract_claims(doc) == [] and extract_quotes(doc) == [] and extract_timeline(doc) == []
    doc.metadata.language = None  # unknown language: treated as English, so something is found
    assert extract_timeline(doc) != []
