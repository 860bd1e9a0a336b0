"""Bytes to text: encoding detection that survives a wrong or missing charset.

Data flow: every reader (files, fetcher, JSONL-free WARC payloads) hands its raw bytes here and
puts the result in `RawPage.text` / `RawPage.encoding`. Nothing downstream sees bytes.

Evidence is weighed in this order, and each step can lose to the next when it is wrong:

1. a byte-order mark (always right);
2. the charset a transport declared (HTTP `Content-Type`, WARC record header);
3. the charset the document declares (`<meta charset>`, `<meta http-equiv>`, `<?xml encoding>`);
4. strict UTF-8 (valid UTF-8 with non-ASCII bytes is almost never anything else);
5. charset-normalizer, restricted to encodings the web actually uses (otherwise short French
   text comes back as the DOS code page cp775).

Reading the evidence is w3lib's (Scrapy's encoding library): `read_bom`, the WHATWG-style
`<meta>` prescan `html_body_declared_encoding` (first 4 KB, comments skipped, stops at
`<body>`), and `resolve_encoding`, which maps labels to Python codecs with the WHATWG supersets
browsers use (latin-1 is read as cp1252, GBK as gb18030) and refuses UTF-7. Its
`html_to_unicode` is not used: it obeys the first declaration it finds, and weighing the
declarations against the bytes is what this module adds.

A declared charset loses when the bytes do not decode with it, when they are valid UTF-8 but
declared as a single-byte code page (the classic "Ã©" mojibake), or when detection finds an
encoding that reads far less garbled (cp1251 Russian declared as latin-1 reads "Ïðèâåò").
Bytes that are no text at all (NULs, control characters, image/archive signatures) raise
`InputError("… looks binary …")`.

>>> decode_bytes("déjà vu".encode("utf-8"), declared="iso-8859-1").text
'déjà vu'
>>> decode_bytes(b'<meta charset="windows-1251">' + "Привет".encode("cp1251")).encoding
'cp1251'
"""

from __future__ import annotations

from dataclasses import dataclass

import charset_normalizer
from charset_normalizer.md import mess_ratio
from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding, to_unicode

from presslens.errors import BinaryInput

# Legacy encodings seen on news sites; detection chooses among these only.
WEB_ENCODINGS: tuple[str, ...] = (
    "utf_8", "cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "koi8_u",
    "iso8859_5", "cp1253", "iso8859_7", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "cp874", "shift_jis", "cp932", "euc_jp", "iso2022_jp", "gb18030", "big5", "euc_kr", "cp949",
    "mac_roman",
)  # fmt: skip

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"),
    (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg media"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"wOFF", "web font"),
)

# Control bytes that never occur in text (TAB, LF, VT, FF, CR and ESC do: ESC in ISO-2022).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_TABLE = bytes.maketrans(b"", b"")

_SAMPLE_BYTES = 256 * 1024  # detection and binary checks look at this much of a large input
_BOM_SLACK = 8  # U+FFFD a byte-order mark's decoding may hold before the mark is not believed
_MOJIBAKE_MARGIN = 0.1  # how much less garbled detection must read to overrule a declaration


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the Python codec name that decoded it, and which evidence chose it."""

    text: str
    encoding: str
    method: str  # "bom", "declared", "meta", "utf-8", "ascii", "detected"


def binary_reason(data: bytes) -> str | None:
    """Why `data` is not text (a short phrase), or None when it may well be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    sample = data[:_SAMPLE_BYTES]
    if not sample:
        return None
    if b"\x00" in sample:
        return "contains NUL bytes"
    controls = len(sample) - len(sample.translate(_CONTROL_TABLE, _CONTROL))
    # A few stray control bytes happen in scraped text; a page of them is not text.
    if controls > max(2, len(sample) // 100):
        return f"{controls} control bytes in the first {len(sample)}"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows as NULs in every other byte; name its byte order."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    # ASCII-range text in UTF-16: one of the two byte lanes is (nearly) all NULs.
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _head(data: bytes) -> bytes:
    """A detection sample of a large input, cut at a line end so no character is split."""
    if len(data) <= _SAMPLE_BYTES:
        return data
    cut = data.rfind(b"\n", 0, _SAMPLE_BYTES)
    return data[: cut + 1] if cut > 0 else data[:_SAMPLE_BYTES]


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_utf8(data: bytes) -> bool:
    return _strict(data, "utf-8") is not None


def _mess(text: str) -> float:
    return float(mess_ratio(text[:65536], maximum_threshold=1.0))


def _detect(data: bytes) -> tuple[str, float] | None:
    """charset-normalizer's best web encoding for `data` and its chaos (0 = clean)."""
    best = charset_normalizer.from_bytes(_head(data), cp_isolation=list(WEB_ENCODINGS)).best()
    if best is None:
        return None
    encoding = resolve_encoding(best.encoding) or best.encoding
    chaos = float(best.chaos)
    if encoding not in ("cp1252", "utf-8", "ascii"):
        # Near-ties among single-byte code pages go to the web's most common one.
        text = _strict(_head(data), "cp1252")
        if text is not None and _mess(text) <= chaos + 0.01:
            return "cp1252", chaos
    return encoding, chaos


def _decode_whole(data: bytes, encoding: str) -> str:
    # Detection saw a sample; a stray undecodable byte later on becomes U+FFFD, not a failure
    # (w3lib's `to_unicode` also reads gb18030's lone 0x80 as "€", as browsers do).
    text = _strict(data, encoding)
    return text if text is not None else to_unicode(data, encoding)


def _declared_wins(data: bytes, text: str, encoding: str) -> bool:
    """Whether a declared charset that decoded without error is also believable."""
    if encoding == "utf-8" or data.isascii():
        return True
    if _is_utf8(data):
        return False  # UTF-8 bytes labelled as a legacy code page: mojibake if we obey
    detected = _detect(data)
    if detected is None or detected[0] == encoding:
        return True
    return _mess(text) - detected[1] < _MOJIBAKE_MARGIN


def decode_bytes(
    data: bytes,
    *,
    declared: str | None = None,
    sniff_meta: bool = True,
    keep_bom: bool = False,
    source: str = "input",
) -> Decoded:
    """Decode `data` to text, trusting declarations only as far as the bytes bear them out.

    `declared` is a transport's charset label (HTTP or WARC header); `sniff_meta` looks for a
    charset the document itself declares. `keep_bom` keeps a UTF-8 BOM as U+FEFF so offsets
    count it as Python's `open(encoding="utf-8")` does. Raises `InputError` when `data` is
    not text at all.
    """
    bom_encoding, bom = read_bom(data)
    if bom_encoding is not None and bom is not None:
        body = data if (keep_bom and bom_encoding == "utf-8") else data[len(bom) :]
        by_bom = body.decode(bom_encoding, errors="replace")
        # A stray bad byte after a BOM becomes U+FFFD; a page of them means the BOM lies (UTF-8
        # bytes behind a UTF-32 mark read as 46,000 U+FFFD), so the bytes after it decide.
        if by_bom.count("\ufffd") <= max(_BOM_SLACK, len(by_bom) // 100):
            return Decoded(by_bom, bom_encoding, "bom")
        data = data[len(bom) :]

    candidates: list[tuple[str, str]] = []
    transport = resolve_encoding(declared) if declared else None
    if transport:
        candidates.append((transport, "declared"))
    if sniff_meta:
        meta = html_body_declared_encoding(data)
        # A document cannot declare itself UTF-16 in ASCII bytes; browsers read it as UTF-8.
        if meta and not meta.startswith(("utf-16", "utf-32")):
            candidates.append((meta, "meta"))

    # UTF-16/32 without a BOM is full of NULs, so try a declaration of it before the binary check.
    for encoding, method in candidates:
        if encoding.startswith(("utf-16", "utf-32")):
            text = _strict(data, encoding)
            if text is not None and binary_reason(text.encode("utf-8")) is None:
                return Decoded(text, encoding, method)
    guessed16 = _utf16_without_bom(data)
    if guessed16:
        text = _strict(data, guessed16)
        if text is not None and binary_reason(text.encode("utf-8")) is None:
            return Decoded(text, guessed16, "detected")

    reason = binary_reason(data)
    if reason:
        raise BinaryInput(f"{source} looks binary ({reason}), not a text or HTML page")

    for encoding, method in candidates:
        if encoding.startswith(("utf-16", "utf-32")):
            continue
        text = _strict(data, encoding)
        if text is not None and _declared_wins(data, text, encoding):
            return Decoded(text, encoding, method)

    if data.isascii():
        return Decoded(data.decode("ascii"), "ascii", "ascii")
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", "utf-8")
    detected = _detect(data)
    if detected is None:
        raise BinaryInput(f"{source} looks binary (no text encoding fits its bytes), not a text or HTML page")
    return Decoded(_decode_whole(data, detected[0]), detected[0], "detected")
