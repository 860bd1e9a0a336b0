"""Encoding detection: declarations are believed only as far as the bytes bear them out."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presslens.errors import InputError
from presslens.ingest.encoding import decode_bytes

RUSSIAN = "Москва заявила, что санкции против России провалились, сообщает агентство."
FRENCH = "Le président a déclaré à la presse que l'économie française était « forte »."
JAPANESE = "東京で記者会見が行われ、首相は経済政策について説明した。"


def html(body: str, charset: str) -> str:
    return f'<html><head><meta charset="{charset}"><title>t</title></head><body><p>{body}</p></body></html>'


def test_utf8_bytes_declared_latin1_in_http_header_are_read_as_utf8() -> None:
    decoded = decode_bytes(FRENCH.encode("utf-8"), declared="ISO-8859-1")
    assert decoded.text == FRENCH
    assert decoded.encoding == "utf-8"


def test_cp1252_bytes_declared_utf8_in_meta_are_detected() -> None:
    page = html(FRENCH, "utf-8").encode("cp1252")
    decoded = decode_bytes(page)
    assert FRENCH in decoded.text
    assert decoded.method == "detected"


def test_cp1251_bytes_declared_utf8_are_detected() -> None:
    decoded = decode_bytes(html(RUSSIAN, "utf-8").encode("cp1251"))
    assert RUSSIAN in decoded.text
    assert decoded.encoding == "cp1251"


def test_cp1251_bytes_declared_latin1_lose_to_detection_instead_of_mojibake() -> None:
    # Decoding as latin-1 never fails, so only the garbled result ("Ìîñêâà") gives the lie away.
    decoded = decode_bytes(html(RUSSIAN, "iso-8859-1").encode("cp1251"), declared="latin-1")
    assert RUSSIAN in decoded.text
    assert decoded.encoding == "cp1251"


def test_an_honest_legacy_declaration_is_kept() -> None:
    decoded = decode_bytes(html(FRENCH, "windows-1252").encode("cp1252"))
    assert FRENCH in decoded.text
    assert (decoded.encoding, decoded.method) == ("cp1252", "meta")
    shift_jis = decode_bytes(html(JAPANESE, "shift_jis").encode("shift_jis"))
    assert JAPANESE in shift_jis.text


def test_transport_charset_outranks_meta_when_both_decode() -> None:
    page = html(RUSSIAN, "iso-8859-5").encode("koi8_r")
    decoded = decode_bytes(page, declared="koi8-r")
    assert RUSSIAN in decoded.text
    assert decoded.method == "declared"


def test_missing_charset_is_detected() -> None:
    assert decode_bytes(FRENCH.encode("utf-8")).encoding == "utf-8"
    assert decode_bytes(FRENCH.encode("cp1252")).text == FRENCH
    assert decode_bytes(b"plain ascii").encoding == "ascii"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks_decide_and_are_removed(encoding: str) -> None:
    decoded = decode_bytes(RUSSIAN.encode(encoding))
    assert decoded.text == RUSSIAN
    assert decoded.method == "bom"


def test_a_utf8_bom_can_be_kept_so_offsets_count_it() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + b"abc", keep_bom=True).text == "\ufeffabc"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_not_called_binary(encoding: str) -> None:
    text = "An English article about the election, in UTF-16 without a byte-order mark."
    assert decode_bytes(text.encode(encoding)).text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"text\x00with\x00NULs\x00in\x00odd\x00places\x00\x00\x00\xff", "NUL"),
        (bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20, "control bytes"),
    ],
)
def test_binary_junk_is_an_input_error_saying_so(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match="looks binary") as caught:
        decode_bytes(data, source="junk.bin")
    assert reason in str(caught.value)
    assert "junk.bin" in str(caught.value)
    assert "\n" not in str(caught.value)


POLISH = "Zażółć gęślą jaźń, powiedział rzecznik rządu w Warszawie."


def test_declarations_are_read_as_browsers_read_them() -> None:
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    decoded = decode_bytes(http_equiv + RUSSIAN.encode("koi8_r"))
    assert (decoded.encoding, decoded.method) == ("koi8-r", "meta")
    xml = b'<?xml version="1.0" encoding="ISO-8859-2"?><rss>' + POLISH.encode("iso8859_2")
    assert POLISH in decode_bytes(xml).text
    # WHATWG: browsers decode a latin-1 label as cp1252; an unknown label is no evidence.
    assert decode_bytes(FRENCH.encode("cp1252"), declared="latin1").encoding == "cp1252"
    assert decode_bytes(FRENCH.encode("utf-8"), declared="no-such-charset").method == "utf-8"


def test_a_commented_out_or_utf7_declaration_is_ignored() -> None:
    commented = decode_bytes(b'<!-- <meta charset="koi8-r"> --><p>' + RUSSIAN.encode("cp1251"))
    assert RUSSIAN in commented.text and commented.method == "detected"
    # UTF-7 re-spells "<" in ASCII, so a page declaring it could smuggle markup past a filter.
    assert decode_bytes(b'<meta charset="utf-7"><p>' + FRENCH.encode("utf-8")).encoding == "utf-8"


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2048), declared=st.sampled_from([None, "utf-8", "latin-1", "utf-16", "bogus"]))
def test_random_bytes_decode_or_raise_input_error_only(data: bytes, declared: str | None) -> None:
    try:
        decoded = decode_bytes(data, declared=declared)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(decoded.text, str)
        decoded.text.encode("utf-8")  # never lone surrogates: the text can always be written out


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=500))
def test_any_utf8_text_round_trips_exactly(text: str) -> None:
    assert decode_bytes(text.encode("utf-8"), keep_bom=True).text == text
