"""The timeline stage: dates normalised, intervals, relative dates and their events."""

from __future__ import annotations

import pytest

from presslens.analyze.timeline import TimelineStage, extract_timeline
from presslens.document import Document


def test_example_page_chronology(soleimani: Document) -> None:
    timeline = TimelineStage()(soleimani).timeline
    dates = [(t.date, t.end_date) for t in timeline]
    expected = [
        ("1957", None),
        ("1979", None),
        ("1980-09-22", "1988-08-20"),
        ("2011", None),
        ("2014", None),
        ("2015", None),
        ("2016", None),
        ("2017", None),
        ("2019-03", None),
    ]
    positions = [dates.index(d) for d in expected]
    assert positions == sorted(positions)
    by_date = {t.date: t for t in timeline}
    assert "Born to an impoverished family" in by_date["1957"].event
    assert (
        "Order of Zulfaqar" in by_date["2019-03"].event and "Order of Zulfaqar" in by_date["2019-03"].entities
    )
    assert by_date["1980-09-22"].text == "September 22, 1980 – August 20, 1988"
    # "three days of mourning" is a duration, not a date.
    assert not any("days" in t.text for t in timeline)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It happened on 5 May 2002.", [("5 May 2002", "2002-05-05", None)]),
        ("It happened on May 5th, 2002.", [("May 5th, 2002", "2002-05-05", None)]),
        ("He served from 2011 to 2014.", [("from 2011 to 2014", "2011", "2014")]),
        ("The 1980-88 war.", [("1980-88", "1980", "1988")]),
        ("Signed 2019-03-04.", [("2019-03-04", "2019-03-04", None)]),
        ("In 2000 soldiers marched.", []),
        ("February 30, 2019 never was.", []),  # an impossible date is not guessed at
        ("Fascism rose in the 1930's and the early 1990’s saw it again.", []),  # decades
        ("In 2020's first quarter sales fell.", [("2020", "2020", None)]),  # a year's possessive
    ],
)
def test_absolute_dates(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    got = [(t.text, t.date, t.end_date) for t in extract_timeline(Document(source="t", text=text))]
    assert got == expected


def test_relative_dates_need_the_document_date() -> None:
    text = "Yesterday the minister resigned. Last year he won. Two years ago he lost. On Tuesday he spoke."
    doc = Document(source="t", text=text)
    assert extract_timeline(doc) == []
    doc.metadata.published = "2020-01-08"  # a Wednesday
    got = {t.text: t.date for t in extract_timeline(doc)}
    assert got == {
        "Yesterday": "2020-01-07",
        "Last year": "2019",
        "Two years ago": "2018",
        "Tuesday": "2020-01-07",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Last month prices rose.", ("Last month", "2019-12")),  # as precise as it says
        ("Three days ago the talks ended.", ("Three days ago", "2020-01-05")),
        ("Next Tuesday they meet again.", ("Next Tuesday", "2020-01-14")),
        ("Over the past year trade fell.", ("past year", "2019")),
    ],
)
def test_relative_dates_are_resolved_by_dateparser(text: str, expected: tuple[str, str]) -> None:
    doc = Document(source="t", text=text)
    doc.metadata.published = "2020-01-08"
    assert [(t.text, t.date) for t in extract_timeline(doc)] == [expected]


def test_no_dates() -> None:
    assert extract_timeline(Document(source="t", text="")) == []
    assert extract_timeline(Document(source="t", text="Three days of mourning were called.")) == []
