"""The quotes stage: who is quoted saying what, in every quote style."""

from __future__ import annotations

import pytest

from presslens.analyze.quotes import QuoteStage, extract_quotes
from presslens.document import Document, Quote


def _quote(quotes: list[Quote], words: str, kind: str | None = None) -> Quote:
    hits = [q for q in quotes if words in q.text and kind in (None, q.kind)]
    assert hits, f"no quote with {words!r}: {[q.text for q in quotes]}"
    return hits[0]


def test_example_page_speakers(soleimani: Document) -> None:
    quotes = QuoteStage()(soleimani).quotes
    martyr = _quote(quotes, "living martyr of the revolution")
    assert (martyr.speaker, martyr.kind, martyr.cue) == ("Ali Khamenei", "direct", "described")
    criminals = _quote(quotes, "criminals", kind="scare")
    assert criminals.text == "criminals" and criminals.speaker == "Ali Khamenei" and criminals.kind == "scare"
    flag = _quote(quotes, "Those who want to avenge")
    assert flag.cue == "read"
    assert flag.speaker is None  # the words of a war flag, not a person
    assert all(soleimani.text[q.start : q.end] == q.text for q in quotes)


def test_example_page_indirect_speech(soleimani: Document) -> None:
    quotes = extract_quotes(soleimani)
    denial = _quote(quotes, "he hoped to remain a soldier")
    assert denial.kind == "indirect" and denial.cue == "saying"
    assert denial.speaker is not None and "Suleimani" in denial.speaker  # "He" resolved to the general
    mourning = _quote(quotes, "will double the motivation")
    assert (mourning.kind, mourning.speaker) == ("indirect", "Ali Khamenei")


@pytest.mark.parametrize(
    "text",
    [
        "“We will not back down,” said Boris Johnson.",
        '"We will not back down," said Boris Johnson.',
        "Boris Johnson said: ‘We will not back down.’",
        "Boris Johnson told reporters: «We will not back down.»",
    ],
)
def test_quote_styles(text: str) -> None:
    quote = _quote(extract_quotes(Document(source="t", text=text)), "We will not back down")
    assert quote.speaker == "Boris Johnson" and quote.kind == "direct"
    assert quote.text.startswith("We") and "“" not in quote.text and '"' not in quote.text


def test_apostrophes_are_not_quotes() -> None:
    quotes = extract_quotes(
        Document(source="t", text="Obama’s aides didn’t say it. The dog's bone isn't here.")
    )
    assert [q for q in quotes if q.kind != "indirect"] == []


def test_pronoun_speaker_resolved_through_entities() -> None:
    text = 'Angela Merkel arrived late. "This is a good day for Europe," she said.'
    quote = _quote(extract_quotes(Document(source="t", text=text)), "good day")
    assert quote.speaker == "Angela Merkel"


@pytest.mark.parametrize("text", ["", "No quotes here at all.", '"'])
def test_nothing_quoted(text: str) -> None:
    assert extract_quotes(Document(source="t", text=text)) == []
