"""Hypothesis strategies for hostile inputs: bytes, broken HTML, wrong encodings, broken gzip,
WARC, JSONL and feeds, huge attributes and deep nesting.

Structured inputs are built valid and then damaged (cut, bytes flipped, garbage spliced in), so
cases reach deep into each parser instead of failing at its first byte.
"""

from __future__ import annotations

import gzip
import io
import json
from typing import Any

from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Pieces of real news pages, so random pages hit the anatomy rules, not only random characters.
PIECES = [
    "The talks resumed on Monday after a week of delays, officials said.",
    "By Jane Doe and John Smith",
    "Global Research, January 07, 2020",
    "Published: 2021-03-04T10:00:00Z",
    "Region: Middle East, Asia",
    "Subscribe to our newsletter",
    "Support us on Patreon: https://patreon.com/example",
    "PayPal: donate@example.org",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "Copyright © 2024 Example News. All rights reserved.",
    "This article was originally published by Reuters.",
    "\u201cWe will not back down,\u201d the minister said.",
    "Prices rose 12.5% in 2023, according to the central bank.",
    "Related articles",
    "Share this: Facebook Twitter",
    "For media inquiries: press@example.org, +1 202 555 0143",
    "Soleimani, Suleimani, Qassem Soleimani",
    "Publié le 7 janvier 2020",
    "Syrian-Iranian-\n\nled",
    "* * *",
    "[link](http://x.org/a_b) **bold** _em_",
    "&amp; &#x27; &#0; &#xD800; &nbsp; &bogus;",
    "",
]

TEXT = st.one_of(
    st.sampled_from(PIECES),
    st.text(max_size=60),
    st.text(alphabet="<>&;#/=\"' \n\t-!x[]", max_size=40),
)

TAGS = [
    "html", "head", "body", "title", "meta", "link", "p", "div", "span", "a", "b", "i", "em", "br",
    "article", "main", "section", "nav", "header", "footer", "aside", "h1", "h2", "h3", "ul", "ol",
    "li", "table", "tr", "td", "th", "script", "style", "noscript", "template", "svg", "math",
    "iframe", "img", "video", "source", "figure", "figcaption", "form", "input", "select", "option",
    "textarea", "pre", "code", "blockquote", "q", "time", "address", "frameset", "plaintext",
    "xmp", "x-custom", "?php", "!DOCTYPE", "![CDATA[",
]  # fmt: skip
ATTRS = [
    "class", "id", "href", "src", "content", "name", "property", "itemprop", "rel", "datetime",
    "style", "hidden", "aria-hidden", "role", "lang", "charset", "http-equiv", "onclick", "type",
    "data-x", "srcset", "xmlns", "dir",
]  # fmt: skip
ATTR_VALUES = st.one_of(
    st.sampled_from(
        [
            "article", "byline", "author", "date", "og:title", "og:url", "article:published_time",
            "canonical", "display:none", "true", "javascript:alert(1)", "http://169.254.169.254/",
            "https://news.example/a?b=1&c=2", "//cdn.example/x.png", "utf-8", "windows-1251",
            "text/html; charset=shift_jis", "application/ld+json", "2020-01-07", "x-bogus-charset",
        ]
    ),
    st.text(max_size=30),
    # huge attribute values
    st.integers(1_000, 200_000).map(lambda n: "x" * n),
    st.integers(100, 20_000).map(lambda n: "&quot;" * n),
)  # fmt: skip

JSON_LD = st.one_of(
    st.just('{"@type": "NewsArticle", "headline": "H", "author": {"name": "A"}, "datePublished": "2020"}'),
    st.just('{"@graph": [{"@type": "Person", "name": null}, 3, "x"], "author": [[[]]]}'),
    st.just("{not json"),
    st.integers(1, 5_000).map(lambda n: "[" * n + "]" * n),
    st.text(max_size=80),
)


@st.composite
def attributes(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(
            st.one_of(st.sampled_from(ATTRS), st.text(alphabet="abc-:_=<\"'", min_size=1, max_size=8))
        )
        value = draw(ATTR_VALUES)
        quote = draw(st.sampled_from(['"', "'", ""]))
        parts.append(f" {name}={quote}{value}{quote}" if draw(st.booleans()) else f" {name}")
    return "".join(parts)


@st.composite
def element(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(attributes())
    inner = "".join(draw(st.lists(children, max_size=4)))
    if tag == "script" and draw(st.booleans()):
        inner = f'<script type="application/ld+json">{draw(JSON_LD)}'
        return inner + ("</script>" if draw(st.booleans()) else "")
    closing = draw(st.sampled_from(["proper", "proper", "missing", "mismatched", "self"]))
    if closing == "proper":
        return f"<{tag}{attrs}>{inner}</{tag}>"
    if closing == "missing":
        return f"<{tag}{attrs}>{inner}"
    if closing == "mismatched":
        return f"<{tag}{attrs}>{inner}</{draw(st.sampled_from(TAGS))}>"
    return f"<{tag}{attrs}/>{inner}"


markup_tree = st.recursive(TEXT, lambda children: element(children), max_leaves=40)


@st.composite
def deep_nesting(draw: st.DrawFn) -> str:
    depth = draw(st.integers(100, 30_000))
    opener = draw(st.sampled_from(["<div>", "<b><i>", "<table><tr><td>", "<ul><li>", "<a href='/x'>", "<p>"]))
    # closers in reverse order, or none at all (the parser closes everything at the end)
    tags = [part.split(" ")[0] for part in opener.strip("<>").split("><")]
    close = "".join(f"</{tag}>" for tag in reversed(tags)) if draw(st.booleans()) else ""
    return opener * depth + draw(TEXT) + close * depth


@st.composite
def html_page(draw: st.DrawFn) -> str:
    """A page that is mostly page-shaped, then possibly damaged."""
    head = ""
    if draw(st.booleans()):
        head = "<head><title>" + draw(TEXT) + "</title>" + draw(markup_tree) + "</head>"
    blocks = st.one_of(markup_tree, deep_nesting(), st.sampled_from(PIECES).map(lambda p: f"<p>{p}</p>"))
    body = "".join(draw(st.lists(blocks, min_size=1, max_size=6)))
    page = draw(st.sampled_from(["<!DOCTYPE html>", "", "<?xml version='1.0'?>", "\ufeff"])) + (
        f"<html>{head}<body>{body}</body></html>" if draw(st.booleans()) else head + body
    )
    return draw(damaged_text(page))


@st.composite
def damaged_text(draw: st.DrawFn, text: str) -> str:
    how = draw(st.sampled_from(["none", "none", "cut", "splice"]))
    if how == "none" or not text:
        return text
    at = draw(st.integers(0, len(text)))
    if how == "cut":
        return text[:at]
    junk = draw(
        st.sampled_from(["<", "</", "<!--", "]]>", "&#", "\x00", "\ud7ff", "<script>", "\x1b[0m", "\r"])
    )
    return text[:at] + junk + text[at:]


def _meta_charset(markup: str, label: str) -> str:
    return f'<meta charset="{label}">' + markup


ENCODINGS = [
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "cp1251",
    "koi8-r", "shift_jis", "euc-jp", "gb18030", "big5", "iso-2022-jp", "iso-8859-7", "cp437", "utf-7",
]  # fmt: skip
CHARSET_LABELS = [*ENCODINGS, "x-user-defined", "replacement", "bogus", "", "utf-8;", "unicode-1-1-utf-8"]


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """`text` in some encoding, possibly declared wrongly, with or without a (wrong) BOM."""
    encoding = draw(st.sampled_from(ENCODINGS))
    if draw(st.booleans()):
        text = _meta_charset(text, draw(st.sampled_from(CHARSET_LABELS)))
    data = text.encode(encoding, errors=draw(st.sampled_from(["replace", "ignore", "xmlcharrefreplace"])))
    bom = draw(st.sampled_from([b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]))
    return bom + data


@st.composite
def gzipped(draw: st.DrawFn, data: bytes) -> bytes:
    """gzip of `data`, maybe cut short, maybe with a flipped byte, maybe two members."""
    packed = gzip.compress(data, compresslevel=draw(st.integers(0, 9)), mtime=0)
    if draw(st.booleans()):
        packed += gzip.compress(draw(st.binary(max_size=50)), mtime=0)
    how = draw(st.sampled_from(["none", "cut", "flip", "garbage tail"]))
    if how == "cut":
        packed = packed[: draw(st.integers(0, len(packed)))]
    elif how == "flip":
        at = draw(st.integers(0, len(packed) - 1))
        packed = packed[:at] + bytes([packed[at] ^ draw(st.integers(1, 255))]) + packed[at + 1 :]
    elif how == "garbage tail":
        packed += draw(st.binary(min_size=1, max_size=40))
    return packed


@st.composite
def damaged_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    how = draw(st.sampled_from(["none", "none", "cut", "flip", "splice"]))
    if how == "none" or not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    if how == "cut":
        return data[:at]
    if how == "flip":
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    return data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]


page_bytes = st.one_of(
    st.binary(max_size=3000),
    html_page().flatmap(encoded),
    st.lists(st.sampled_from(PIECES), max_size=12).map("\n\n".join).flatmap(encoded),
    st.text(max_size=500).flatmap(encoded),
)

# ------------------------------------------------------------------------------- containers


def _json_value(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    def containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3))

    return st.recursive(leaves, containers, max_leaves=8)


JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.just("a lone surrogate \ud800 in JSON"),
)


@st.composite
def jsonl_record(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["record", "record", "other json", "broken", "bytes", "deep"]))
    if kind == "record":
        record: dict[str, Any] = {}
        body_key = draw(st.sampled_from(["html", "text", "both", "neither"]))
        body = draw(st.one_of(html_page(), st.text(max_size=300), _json_value(JSON_LEAF)))
        if body_key in ("html", "both"):
            record["html"] = body
        if body_key in ("text", "both"):
            record["text"] = draw(st.one_of(st.sampled_from(PIECES), st.text(max_size=200), JSON_LEAF))
        for key in ("url", "outlet", "published", "fetched_at", "headers", "extra"):
            if draw(st.booleans()):
                record[key] = draw(
                    st.one_of(
                        JSON_LEAF,
                        st.sampled_from(["2020-01-07T10:00:00Z", "2020-13-45", "https://news.example/a"]),
                        st.dictionaries(st.text(max_size=5), JSON_LEAF, max_size=3),
                    )
                )
        return json.dumps(record, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if kind == "other json":
        return json.dumps(draw(_json_value(JSON_LEAF))).encode()
    if kind == "broken":
        return draw(st.text(max_size=80)).encode("utf-8", "surrogatepass")
    if kind == "deep":
        depth = draw(st.integers(100, 100_000))
        return b'{"text": ' + b"[" * depth + b"]" * depth + b"}"
    return draw(st.binary(max_size=200))


@st.composite
def jsonl_file(draw: st.DrawFn) -> bytes:
    sep = draw(st.sampled_from([b"\n", b"\r\n", b"\n\n"]))
    return draw(damaged_bytes(sep.join(draw(st.lists(jsonl_record(), max_size=6)))))


WARC_TYPES = ["response", "response", "resource", "request", "metadata", "revisit", "warcinfo", "conversion"]
CONTENT_TYPES = [
    "text/html", "text/html; charset=utf-8", "text/html; charset=windows-1251", "text/html; charset=bogus",
    "application/xhtml+xml", "text/plain", "application/pdf", "", "text/html; charset=",
]  # fmt: skip


@st.composite
def warc_file(draw: st.DrawFn) -> bytes:
    """A WARC made by warcio (gzip'd or not), then damaged; or a hand-made one with odd headers."""
    if draw(st.integers(0, 3)) == 0:
        length = draw(st.sampled_from(["10", "-5", "abc", "99999999999", "", "0"]))
        rec_type = draw(st.sampled_from([*WARC_TYPES, "", "bogus"]))
        payload = draw(st.binary(max_size=300))
        data = f"WARC/1.0\r\nWARC-Type: {rec_type}\r\nContent-Length: {length}\r\n\r\n".encode() + payload
        return draw(st.one_of(st.just(data), gzipped(data)))
    gz = draw(st.booleans())
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for n in range(draw(st.integers(0, 4))):
        rec_type = draw(st.sampled_from(WARC_TYPES))
        payload = draw(page_bytes)
        http_headers = None
        if rec_type == "response":
            status = draw(st.sampled_from(["200 OK", "200 OK", "301 Moved", "404 Not Found", "999 What"]))
            headers = [("Content-Type", draw(st.sampled_from(CONTENT_TYPES)))]
            if draw(st.booleans()):
                headers.append(
                    ("Content-Encoding", draw(st.sampled_from(["gzip", "br", "deflate", "bogus"])))
                )
            if draw(st.booleans()):
                headers.append(("Transfer-Encoding", "chunked"))
            http_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        elif rec_type == "request":
            http_headers = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True
            )
        elif rec_type == "revisit":
            http_headers = StatusAndHeaders("200 OK", [], protocol="HTTP/1.1")
        # Fixed ids and dates: warcio would make random ones, and Hypothesis needs each case's
        # bytes (whose length decides later draws) to be a function of its draws alone.
        warc_headers = {
            "WARC-Date": draw(st.sampled_from(["2020-01-07T10:00:00Z", "yesterday", "2020-01-07"])),
            "WARC-Record-ID": draw(
                st.sampled_from([f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>", "no-brackets", "<x" * 200])
            ),
        }
        record = writer.create_warc_record(
            f"https://news.example/{n}",
            rec_type,
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_headers_dict=warc_headers,
            http_headers=http_headers,
            warc_content_type="" if rec_type == "response" else draw(st.sampled_from(CONTENT_TYPES)),
        )
        writer.write_record(record)
    return draw(damaged_bytes(out.getvalue()))


FEED_LINKS = [
    "https://news.example/story", "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/",
    "http://[::1]/", "http://10.0.0.5/x", "javascript:alert(1)", "ftp://news.example/x", "", "not a url",
    "http://news.example:99999/", "https://xn--bcher-kva.example/", "file:///etc/passwd",
]  # fmt: skip


@st.composite
def feed_item(draw: st.DrawFn, atom: bool) -> str:
    link = draw(st.one_of(st.sampled_from(FEED_LINKS), st.text(max_size=30)))
    date = draw(st.sampled_from(["Tue, 07 Jan 2020 10:00:00 GMT", "2020-01-07T10:00:00Z", "soon", ""]))
    content = draw(
        st.one_of(html_page(), st.text(max_size=200), st.just("<p>" + "Long article text. " * 60 + "</p>"))
    )
    cdata = draw(st.booleans())
    body = f"<![CDATA[{content}]]>" if cdata else content.replace("&", "&amp;").replace("<", "&lt;")
    if atom:
        return (
            f'<entry><title>{draw(TEXT)}</title><link href="{link}"/><updated>{date}</updated>'
            f'<content type="html">{body}</content></entry>'
        )
    return (
        f"<item><title>{draw(TEXT)}</title><link>{link}</link><pubDate>{date}</pubDate>"
        f"<content:encoded>{body}</content:encoded></item>"
    )


@st.composite
def feed_file(draw: st.DrawFn) -> bytes:
    atom = draw(st.booleans())
    items = "".join(draw(st.lists(feed_item(atom), max_size=4)))
    declared = draw(st.sampled_from(["utf-8", "iso-8859-1", "utf-16", "bogus"]))
    head = f'<?xml version="1.0" encoding="{declared}"?>' if draw(st.booleans()) else ""
    if atom:
        doc = f'{head}<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{items}</feed>'
    else:
        doc = (
            f'{head}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>T</title>{items}</channel></rss>"
        )
    if draw(st.booleans()):
        doc = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' + doc.replace(
            "<title>T", "<title>&b;"
        )
    return draw(damaged_bytes(draw(damaged_text(doc)).encode("utf-8", "surrogatepass")))


url_list = st.lists(st.one_of(st.sampled_from(FEED_LINKS), st.text(max_size=40)), max_size=5).map(
    lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")
)

#: (file name suffix, content) pairs; the content often does not match the name (sniffing).
SUFFIXES = [
    ".html", ".htm", ".txt", ".md", "", ".bin", ".gz", ".html.gz", ".txt.gz", ".jsonl", ".jsonl.gz",
    ".ndjson", ".warc", ".warc.gz", ".arc", ".arc.gz", ".rss", ".atom", ".xml", ".urls", ".urls.gz",
]  # fmt: skip


@st.composite
def input_file(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(SUFFIXES))
    content = draw(
        st.one_of(page_bytes, jsonl_file(), warc_file(), feed_file(), url_list)
        if draw(st.integers(0, 4)) == 0
        else _content_for(suffix)
    )
    if suffix.endswith(".gz") and draw(st.integers(0, 3)) > 0:
        content = draw(gzipped(content))
    return suffix, content


def _content_for(suffix: str) -> st.SearchStrategy[bytes]:
    base = suffix.removesuffix(".gz")
    if base in (".jsonl", ".ndjson"):
        return jsonl_file()
    if base in (".warc", ".arc"):
        return warc_file()
    if base in (".rss", ".atom", ".xml"):
        return feed_file()
    if base == ".urls":
        return url_list
    return page_bytes
