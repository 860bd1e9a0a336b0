"""Inputs the fuzzer found that once crashed presslens, kept as plain examples (fast, default run).

Each states what a user would have hit: the input, the call, and what must happen instead of
the crash.
"""

from __future__ import annotations

import io
from pathlib import Path

from warcio.warcwriter import WARCWriter

import presslens
from presslens.document import RawPage
from presslens.errors import FetchRefused
from presslens.ingest import ReadFailure, read_sources
from presslens.ingest.files import page_from_bytes
from tests.fuzz.invariants import time_limit

EXTRACT = presslens.load(["anatomy"])
PROSE = "The talks resumed on Monday after a week of delays, officials said."


def test_json_ld_nested_deeper_than_the_stack_is_ignored() -> None:
    # json.loads raised RecursionError, which escaped anatomy as a crash
    markup = f"<script type='application/ld+json'>{'[' * 5000}{']' * 5000}</script><p>{PROSE}</p>"
    doc = EXTRACT(RawPage(source="deep-ld.html", kind="html", text=markup))
    assert doc.body is not None and doc.body.text == PROSE


def test_a_page_url_with_an_unclosed_ipv6_bracket_is_not_a_crash() -> None:
    # a JSONL record's "url" reaches anatomy as it is; urlsplit raised "Invalid IPv6 URL"
    doc = EXTRACT(
        RawPage(source="crawl.jsonl#1", kind="html", text=f"<!DOCTYPE html>{PROSE}", url="http://[::1")
    )
    assert doc.text == PROSE


def test_a_url_list_line_of_control_characters_is_refused_and_quoted(tmp_path: Path) -> None:
    # the refusal quoted the whole line: a thousand NULs (or terminal escapes) in one error line
    urls = tmp_path / "seeds.urls"
    urls.write_bytes(b"\x00" * 1000 + b"\n\x1b]0;owned\x07https://news.example/a\n")
    failures = list(read_sources([str(urls)]))
    assert [type(f.error) for f in failures if isinstance(f, ReadFailure)] == [FetchRefused, FetchRefused]
    for failure in failures:
        message = str(failure)
        assert message.isprintable() and len(message) < 400
        assert "refused: invalid URL" in message and "control characters" in message


def test_a_feed_link_of_control_characters_is_named_escaped(tmp_path: Path) -> None:
    # the failure of a link-only item was named by the raw link, escape sequences and all
    feed = tmp_path / "news.rss"
    feed.write_text(
        '<rss version="2.0"><channel><title>T</title>'
        "<item><title>A</title><link>\x1b[2Jhttp://news.example/&#x1b;a</link></item></channel></rss>"
    )
    (failure,) = read_sources([str(feed)], fetch_feed_links=False)
    assert isinstance(failure, ReadFailure)
    assert str(failure).isprintable() and "item is a link and fetching is off" in str(failure)


def test_a_url_list_line_of_garbage_is_refused_in_a_short_line(tmp_path: Path) -> None:
    # a JSONL record saved as .urls: the refusal quoted its 5,000-character line whole
    urls = tmp_path / "crawl.urls"
    urls.write_text('{"text": ' + "[" * 5000 + "]" * 5000 + "}\n")
    (failure,) = read_sources([str(urls)])
    assert isinstance(failure, ReadFailure) and isinstance(failure.error, FetchRefused)
    assert "refused: scheme 'missing' is not http(s)" in str(failure) and len(str(failure)) < 700


def test_a_line_of_brackets_is_read_in_linear_time() -> None:
    # every "[" scanned to the end of its line for a link's text or URL: a page holding a JSON
    # array nested 100,000 deep (a JSONL record saved as .txt) or "[a](" repeated took minutes
    text = f"{PROSE}\n\n" + "[" * 200_000 + "\n\n" + "[a](" * 50_000 + "\n\n" + "<http://x" * 20_000
    with time_limit(30):  # a hang guard, not a speed measurement (quadratic took minutes)
        doc = EXTRACT(RawPage(source="brackets.txt", kind="text", text=text))
    assert doc.text == text


def test_a_warc_record_id_with_control_characters_is_named_escaped(tmp_path: Path) -> None:
    # a damaged WARC header put a NUL into the page's source and into its failure's line
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for n, payload in enumerate([f"<p>{PROSE}</p>".encode(), b" "]):
        record = writer.create_warc_record(
            f"https://news.example/{n}",
            "resource",
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_headers_dict={"WARC-Record-ID": f"\x00 <urn:uuid:{n}>", "WARC-Date": "2020-01-07"},
            warc_content_type="text/html",
        )
        writer.write_record(record)
    path = tmp_path / "crawl.warc"
    path.write_bytes(out.getvalue())
    page, failure = read_sources([str(path)])
    assert isinstance(page, RawPage) and page.source.isprintable() and "urn:uuid:0" in page.source
    assert isinstance(failure, ReadFailure) and str(failure).isprintable() and "is empty" in str(failure)


def test_bytes_behind_a_wrong_byte_order_mark_are_read_by_what_they_are() -> None:
    # a UTF-32 mark before UTF-8 markup decoded into a page of U+FFFD (then tokenised for minutes)
    data = b"\xff\xfe\x00\x00" + f"<html><body><p>{PROSE} Caf\u00e9.</p></body></html>".encode()
    page = page_from_bytes(data, source="odd-bom.html", name="odd-bom.html")
    assert page.encoding == "utf-8" and "\ufffd" not in page.text and "Caf\u00e9" in page.text
    # a stray bad byte after a right mark stays one U+FFFD
    page = page_from_bytes(b"\xef\xbb\xbfCaf\xc3\xa9 \xff " + PROSE.encode(), source="a.txt", name="a.txt")
    assert page.encoding == "utf-8" and page.text.count("\ufffd") == 1


def test_a_missing_path_with_a_newline_is_named_on_one_line() -> None:
    (failure,) = read_sources(["no-such\ndir/\x1b[2Jpage.html"])
    assert isinstance(failure, ReadFailure) and str(failure).isprintable()
    assert "no such file or directory" in str(failure)
