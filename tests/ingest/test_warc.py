"""WARC archives: HTML responses become pages with their record id, URL, date and headers."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presslens.document import RawPage
from presslens.ingest import ReadFailure, read_sources
from presslens.ingest.warc import read_warc

RUSSIAN = "Москва заявила, что санкции против России провалились."


def _response(
    writer: WARCWriter, url: str, body: bytes, headers: list[tuple[str, str]], status: str = "200 OK"
) -> str:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2020-01-07T12:30:00Z"},
    )
    writer.write_record(record)
    return record.rec_headers.get_header("WARC-Record-ID")


def write_crawl(path: Path, *, gzip_records: bool = True) -> dict[str, str]:
    """A small crawl: two articles among records that are not pages. Returns name -> record id."""
    ids: dict[str, str] = {}
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=gzip_records)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "presslens-test"}))
        ids["article"] = _response(
            writer,
            "https://news.example/2020/01/soleimani",
            b"<html><body><h1>Soleimani</h1><p>Article text.</p></body></html>",
            [("Content-Type", "text/html; charset=utf-8"), ("Server", "test")],
        )
        request = writer.create_warc_record(
            "https://news.example/other", "request", payload=io.BytesIO(b"GET /other HTTP/1.1\r\n\r\n")
        )
        writer.write_record(request)
        png = [("Content-Type", "image/png")]
        _response(writer, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n....", png)
        moved = [("Content-Type", "text/html"), ("Location", "/new")]
        _response(writer, "https://news.example/old", b"<p>moved</p>", moved, status="301 Moved Permanently")
        # Declared latin-1, really cp1251: the header is weighed like any other declaration.
        ids["russian"] = _response(
            writer,
            "https://ru.example/news",
            f"<html><body><p>{RUSSIAN}</p></body></html>".encode("cp1251"),
            [("Content-Type", "text/html; charset=iso-8859-1")],
        )
        # Compressed on the wire: the payload is stored as sent and must be decoded.
        ids["gzipped"] = _response(
            writer,
            "https://news.example/gz",
            gzip.compress(b"<html><body><p>Compressed body.</p></body></html>"),
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        )
        ids["empty"] = _response(writer, "https://news.example/empty", b"", [("Content-Type", "text/html")])
    return ids


def test_html_responses_become_pages_with_record_provenance(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    ids = write_crawl(path)
    items = list(read_warc(path))
    pages = [i for i in items if isinstance(i, RawPage)]
    failures = [i for i in items if isinstance(i, ReadFailure)]

    assert [p.warc_record_id for p in pages] == [ids["article"], ids["russian"], ids["gzipped"]]
    article, russian, gzipped = pages
    assert article.source == f"{path}#{ids['article']}"
    assert article.url == "https://news.example/2020/01/soleimani"
    assert article.kind == "html"
    assert article.fetched_at is not None and article.fetched_at.isoformat() == "2020-01-07T12:30:00+00:00"
    assert article.headers["server"] == "test"
    assert RUSSIAN in russian.text and russian.encoding == "cp1251"
    assert "Compressed body." in gzipped.text
    # The empty 200 response is a counted failure; the PNG, the 301 and the request are not pages.
    assert [f.source for f in failures] == [f"{path}#{ids['empty']}"]
    assert "is empty" in str(failures[0])


def test_uncompressed_warc_is_read_too_and_found_by_content(tmp_path: Path) -> None:
    path = tmp_path / "crawl.dat"  # no telling name: recognised by its "WARC/" start
    write_crawl(path, gzip_records=False)
    pages = [i for i in read_sources([str(path)]) if isinstance(i, RawPage)]
    assert len(pages) == 3


@pytest.mark.parametrize("kept", [0.3, 0.6, 0.8, 0.95])
@pytest.mark.parametrize("gzip_records", [True, False])
def test_a_truncated_warc_keeps_what_came_before_and_reports_the_break(
    tmp_path: Path, kept: float, gzip_records: bool
) -> None:
    whole = tmp_path / "crawl.warc.gz"
    write_crawl(whole, gzip_records=gzip_records)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * kept)])
    items = list(read_warc(cut))
    assert isinstance(items[0], RawPage)
    assert "Article text." in items[0].text
    assert isinstance(items[-1], ReadFailure)
    assert items[-1].source == str(cut)
    assert "\n" not in str(items[-1])


def test_garbage_named_warc_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not an archive\n" * 10)
    items = list(read_warc(path))
    assert len(items) == 1 and isinstance(items[0], ReadFailure)
    assert str(path) in str(items[0])
