"""Single-page files and stdin: kinds, exact text, and bad input as one-line `InputError`s."""

from __future__ import annotations

import gzip
import io
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presslens.errors import ExitCode, InputError
from presslens.ingest.files import page_from_bytes, read_file, read_stdin, sniff_kind

ARTICLE = "Headline\r\n\r\nFirst paragraph with “quotes” — and a dash.\nSecond line  \n\n"


def one_line(exc: pytest.ExceptionInfo[InputError]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    assert exc.value.exit_code == ExitCode.INPUT
    return message


def test_plain_text_is_kept_exactly_as_read(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode("utf-8"))
    page = read_file(path)
    assert page.kind == "text"
    assert page.text == ARTICLE  # CRLF, trailing spaces and blank lines untouched
    assert page.source == str(path)
    assert page.encoding == "utf-8"
    # Offsets into the file as Python reads it (UTF-8, newlines kept) index the page text.
    start = ARTICLE.index("“quotes”")
    assert page.text[start : start + 8] == "“quotes”"


def test_ptc_articles_round_trip_exactly(shared_dir: Path) -> None:
    articles = sorted((shared_dir / "data" / "ptc" / "articles").glob("*.txt"))
    if not articles:
        pytest.skip("no PTC articles in ../shared/data/ptc/articles")
    for path in articles:
        page = read_file(path)
        assert page.text == path.read_bytes().decode("utf-8"), path.name


def test_example_page_reads_as_text(example_path: Path) -> None:
    if not example_path.exists():
        pytest.skip(f"{example_path} not bundled yet")
    page = read_file(example_path)
    assert page.kind == "text"
    assert "Soleimani" in page.text


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("notes.md", b"# Title\n\nSome *markdown* text.\n", "text"),
        ("page.html", b"<p>Just a paragraph</p>", "html"),
        ("page.htm", b"<p>Just a paragraph</p>", "html"),
        ("saved_page", b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
        ("fragment", b"<div class='x'><p>Hello there</p></div>", "html"),
        ("README", b"A plain note that mentions the <p> tag once.", "text"),
        ("misnamed.txt", b"<!doctype html>\n<html lang=en><body>x</body></html>", "html"),
        ("story.txt", b"Words about <b> tags in an article stay text.", "text"),
    ],
)
def test_kind_comes_from_the_name_then_the_content(
    tmp_path: Path, name: str, content: bytes, kind: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert read_file(path).kind == kind


def test_gzip_files_are_read_by_content_and_inner_name(tmp_path: Path) -> None:
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(b"<html><body><p>Gz page</p></body></html>"))
    (tmp_path / "article.txt.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (tmp_path / "download").write_bytes(gzip.compress(b"<!DOCTYPE html><html><body>x</body></html>"))
    assert read_file(tmp_path / "page.html.gz").kind == "html"
    assert read_file(tmp_path / "article.txt.gz").text == ARTICLE
    assert read_file(tmp_path / "download").kind == "html"


def test_html_with_a_wrong_charset_is_decoded_right(tmp_path: Path) -> None:
    body = "Le président a déclaré que l'économie était forte."
    page = f'<html><head><meta charset="utf-8"></head><body><p>{body}</p></body></html>'
    page_bytes = page.encode("cp1252")
    path = tmp_path / "wrong-charset.html"
    path.write_bytes(page_bytes)
    page = read_file(path)
    assert body in page.text
    assert page.encoding == "cp1252"


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_empty_file_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert one_line(caught) == f"{path} is empty"


def test_binary_junk_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "junk"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert "looks binary" in one_line(caught)


def test_truncated_gzip_is_an_input_error(tmp_path: Path) -> None:
    whole = gzip.compress(b"<html><body>" + b"<p>paragraph</p>" * 500 + b"</body></html>")
    path = tmp_path / "cut.html.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert one_line(caught) == f"{path} is a truncated gzip file (it ends before its end marker)"


def test_corrupt_gzip_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.html.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 100)
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert "not a valid gzip file" in one_line(caught)


@pytest.mark.slow  # large input: 100 MB inflated
def test_gzip_bomb_fails_fast_without_inflating(tmp_path: Path) -> None:
    # ~100 KB on disk, 100 MB inflated: twice the default 50 MB limit.
    squeezer = zlib.compressobj(1, zlib.DEFLATED, 31)
    zeros = b" " * (1 << 20)
    bomb = b"".join(squeezer.compress(zeros) for _ in range(100)) + squeezer.flush()
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(bomb)
    tracemalloc.start()
    with pytest.raises(InputError) as caught:
        read_file(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "decompresses to larger than the 50 MB limit" in one_line(caught)
    assert peak < 130 * 1024 * 1024  # the limit plus chunks, never the whole 100 MB and more


@pytest.mark.slow  # large input: a 30 MB page
def test_a_30_mb_page_is_read(tmp_path: Path) -> None:
    paragraph = "<p>" + "Reporting from the capital, our correspondent writes. " * 18 + "</p>\n"
    repeats = 30 * 1024 * 1024 // len(paragraph) + 1
    path = tmp_path / "huge.html"
    head = "<html><head><meta charset='utf-8'></head><body>"
    path.write_text(head + paragraph * repeats + "</body></html>")
    page = read_file(path)
    assert page.kind == "html"
    assert len(page.text) > 30 * 1024 * 1024


def test_a_page_over_the_limit_fails_fast_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(30 * 1024 * 1024)  # sparse: 30 MB of size, no time spent writing it
    with pytest.raises(InputError) as caught:
        read_file(path, max_bytes=10 * 1024 * 1024)
    assert one_line(caught) == f"{path} is larger than the 10 MB limit (30 MB)"


def test_100k_nested_divs_read_fine(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>")
    page = read_file(path)
    assert page.kind == "html"
    assert "deep" in page.text


def test_missing_file_and_directory_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_file(tmp_path / "nope.txt")
    assert one_line(caught) == f"no such file: {tmp_path / 'nope.txt'}"
    with pytest.raises(InputError) as caught:
        read_file(tmp_path)
    assert "is a directory" in one_line(caught)


def test_stdin_plain_and_gzipped() -> None:
    page = read_stdin(io.BytesIO(ARTICLE.encode()))
    assert (page.source, page.kind, page.text) == ("-", "text", ARTICLE)
    gz = read_stdin(io.BytesIO(gzip.compress(b"<!DOCTYPE html><html><body>x</body></html>")))
    assert gz.kind == "html"
    with pytest.raises(InputError, match="standard input is larger than"):
        read_stdin(io.BytesIO(b"x" * 2000), max_bytes=1000)


def test_sniff_kind() -> None:
    assert sniff_kind(b"  \n<!-- saved -->\n<html>") == "html"
    assert sniff_kind(b"He said: 5 < 6 and 7 > 3.") == "text"


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=4096), name=st.sampled_from(["x.txt", "x.html", "x", "x.md"]))
def test_random_bytes_give_a_page_or_an_input_error(data: bytes, name: str) -> None:
    try:
        page = page_from_bytes(data, source=name, name=name)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert page.text.strip()


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=800))
def test_random_text_files_round_trip(text: str) -> None:
    if not text.strip() or sniff_kind(text.encode()) == "html":
        return
    page = page_from_bytes(text.encode("utf-8"), source="t.txt", name="t.txt")
    assert page.text == text


@settings(max_examples=100, deadline=None)
@given(
    html=st.lists(
        st.sampled_from(
            ["<div>", "</div>", "<p>", "</p>", "<br/>", "<meta charset='koi8-r'>", "text", "é", "<!--"]
        ),
        max_size=60,
    ).map("".join)
)
def test_random_html_gives_a_page_or_an_input_error(html: str) -> None:
    for encoding in ("utf-8", "cp1252"):
        try:
            page = page_from_bytes(("<html>" + html).encode(encoding), source="r.html", name="r.html")
        except InputError:
            continue
        assert page.kind == "html"
