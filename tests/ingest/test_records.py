"""JSONL records: each good line is a page, each bad line a counted failure, and reading goes on."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from presslens.document import RawPage
from presslens.ingest import ReadFailure
from presslens.ingest.records import read_jsonl


def test_fixture_records_become_pages_and_bad_lines_failures(data_dir: Path) -> None:
    path = data_dir / "records.jsonl"
    items = list(read_jsonl(path))
    pages = [i for i in items if isinstance(i, RawPage)]
    failures = [i for i in items if isinstance(i, ReadFailure)]

    assert [p.source for p in pages] == [f"{path}#1", f"{path}#2", f"{path}#7"]
    first, second, last = pages
    assert first.kind == "html"
    assert first.url == "https://southfront.example/soleimani"
    assert first.outlet == "South Front"
    assert first.published == "2020-01-06"
    assert second.kind == "text"
    assert second.text == "Plain text record.\nSecond line kept.\n"
    assert second.fetched_at is not None and second.fetched_at.year == 2020
    assert last.text.startswith("<p>After the bad lines")

    reasons = {f.source.rsplit("#", 1)[1]: str(f.error) for f in failures}
    assert set(reasons) == {"3", "4", "5", "6", "9"}  # line 8 is blank: skipped, not a failure
    assert "not valid JSON" in reasons["3"]
    assert "neither 'html' nor 'text'" in reasons["4"]
    assert "must be a JSON object" in reasons["5"]
    assert "is empty" in reasons["6"]
    assert "must be a string" in reasons["9"]
    assert all(f"{path}#" in str(f) and "\n" not in str(f) for f in failures)


def test_html_wins_when_a_record_has_both(tmp_path: Path) -> None:
    path = tmp_path / "both.jsonl"
    path.write_text(json.dumps({"html": "<p>markup</p>", "text": "plain"}) + "\n")
    (page,) = read_jsonl(path)
    assert isinstance(page, RawPage)
    assert (page.kind, page.text) == ("html", "<p>markup</p>")


def test_gzipped_jsonl_and_a_truncated_one(tmp_path: Path) -> None:
    records = ({"url": f"https://x.example/{i}", "text": f"Article {i} " * 50} for i in range(200))
    lines = "".join(json.dumps(record) + "\n" for record in records)
    whole = gzip.compress(lines.encode())
    (tmp_path / "crawl.jsonl.gz").write_bytes(whole)
    assert sum(isinstance(i, RawPage) for i in read_jsonl(tmp_path / "crawl.jsonl.gz")) == 200

    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    items = list(read_jsonl(tmp_path / "cut.jsonl.gz"))
    assert isinstance(items[-1], ReadFailure)
    assert "truncated gzip" in str(items[-1].error)
    assert all(isinstance(i, RawPage) for i in items[:-1])


def test_overlong_line_and_deep_nesting_are_failures_not_crashes(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(
        json.dumps({"text": "x" * 5000})
        + "\n"
        + "[" * 100_000
        + "]" * 100_000
        + "\n"
        + json.dumps({"text": "fine", "url": "https://x.example/ok"})
        + "\n"
        + json.dumps({"text": "binary \u0000\u0001\u0002\u0003\u0004 junk" * 3})
        + "\n"
    )
    items = list(read_jsonl(path, max_bytes=4000))
    assert [type(i).__name__ for i in items] == ["ReadFailure", "ReadFailure", "RawPage", "ReadFailure"]
    assert "longer than" in str(items[0])
    assert "looks binary" in str(items[3])


def test_lone_surrogates_are_made_writable(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "broken \\ud800 pair"}\n')
    (page,) = read_jsonl(path)
    assert isinstance(page, RawPage)
    page.text.encode("utf-8")
