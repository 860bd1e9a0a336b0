"""The safe fetcher's guard: every refusal happens before a connection could be opened.

Each test here runs on a fake resolver and an httpx `MockTransport`; the `guarded_fetcher`
transport fails the test if it is ever called, so "refused" really means "no packet sent".
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import httpx
import pytest

from presslens import __version__
from presslens.errors import ExitCode, FetchError, FetchRefused, InputError
from presslens.ingest.fetch import USER_AGENT, SafeFetcher, parse_ip_literal

from .conftest import fake_resolver, refuse_to_connect

MakeFetcher = Callable[..., tuple[SafeFetcher, list[httpx.Request]]]

PRIVATE_URLS = [
    "http://127.0.0.1/admin",
    "http://127.0.0.1:8080/x",
    "http://localhost/",
    "http://sub.localhost:3000/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/router",
    "http://169.254.169.254/latest/meta-data/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/",  # the same, in hex
    "http://[fd00:ec2::254]/latest/meta-data/",  # AWS metadata over IPv6
    "http://[fe80::1]/",  # link-local
    "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 wrapping 10.0.0.1
    "http://2130706433/",  # decimal 127.0.0.1
    "http://0177.0.0.1/",  # octal
    "http://0x7f000001/",  # hex
    "http://127.1/",  # short form
    "http://0.0.0.0/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
    "http://user:pass@127.0.0.1/",  # credentials do not hide the host
    "http://intranet.example/",  # a name that resolves to 10.0.0.5
    "http://rebind.example/",  # one public and one private answer: every answer counts
    "http://mapped.example/",  # a name resolving to ::ffff:127.0.0.1
    "HTTP://LOCALHOST./",  # case and trailing dot
]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_private_and_metadata_addresses_are_refused_without_a_connection(
    guarded_fetcher: SafeFetcher, url: str
) -> None:
    with pytest.raises(FetchRefused) as caught:
        guarded_fetcher.fetch(url)
    message = str(caught.value)
    assert message.startswith("refused: private address")
    assert url in message
    assert "\n" not in message
    assert caught.value.exit_code == ExitCode.FETCH


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "javascript:alert(1)"]
)
def test_only_http_and_https_are_fetched(guarded_fetcher: SafeFetcher, url: str) -> None:
    with pytest.raises(FetchRefused, match="refused: scheme"):
        guarded_fetcher.fetch(url)


@pytest.mark.parametrize("url", ["http:///nohost", "http://[::1/", "http://example.org:99999/"])
def test_malformed_urls_are_refused(guarded_fetcher: SafeFetcher, url: str) -> None:
    with pytest.raises(FetchRefused, match="refused"):
        guarded_fetcher.fetch(url)


def test_allow_private_opens_intranets_but_never_cloud_metadata() -> None:
    fetcher = SafeFetcher(
        allow_private=True, resolver=fake_resolver, transport=httpx.MockTransport(refuse_to_connect)
    )
    assert str(fetcher.check_url("http://10.0.0.1/").ip) == "10.0.0.1"
    assert str(fetcher.check_url("http://intranet.example/").ip) == "10.0.0.5"
    assert str(fetcher.check_url("http://[::1]:8000/").ip) == "::1"
    for url in ("http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://metadata.google.internal/"):
        with pytest.raises(FetchRefused, match=r"refused: private address \S+ \(cloud metadata\)"):
            fetcher.fetch(url)


def test_the_connection_goes_to_the_checked_address(mock_fetcher: MakeFetcher) -> None:
    fetcher, seen = mock_fetcher(
        lambda request: httpx.Response(200, headers={"Content-Type": "text/html"}, text="<p>ok</p>"),
        respect_robots=False,
    )
    page = fetcher.fetch("https://news.example/story?id=7")
    (request,) = seen
    # The URL carries the IP that was checked; the name travels in Host and in TLS SNI,
    # so a second DNS answer (rebinding) never gets a say.
    assert request.url.host == "93.184.216.34"
    assert request.url.raw_path == b"/story?id=7"
    assert request.headers["host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"
    assert (
        request.headers["user-agent"]
        == USER_AGENT
        == f"presslens/{__version__} (+https://github.com/presslens/presslens)"
    )
    assert (page.source, page.url, page.kind) == (
        "https://news.example/story?id=7",
        "https://news.example/story?id=7",
        "html",
    )
    assert page.fetched_at is not None


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1/admin",
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://intranet.example/",
        "http://[::1]:8080/",
        "file:///etc/passwd",
    ],
)
def test_redirects_are_rechecked_and_a_private_hop_is_refused(
    mock_fetcher: MakeFetcher, location: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "93.184.216.34", "only the public address may be contacted"
        return httpx.Response(302, headers={"Location": location})

    fetcher, seen = mock_fetcher(handler, respect_robots=False)
    with pytest.raises(FetchRefused, match=r"refused: (private address|scheme)"):
        fetcher.fetch("http://news.example/go")
    assert len(seen) == 1


def test_international_names_are_resolved_and_sent_in_punycode(mock_fetcher: MakeFetcher) -> None:
    fetcher, seen = mock_fetcher(
        lambda request: httpx.Response(200, headers={"Content-Type": "text/plain"}, text="Bücher."),
        respect_robots=False,
    )
    assert fetcher.fetch("http://bücher.example/neu").text == "Bücher."
    assert seen[0].headers["host"] == "xn--bcher-kva.example"
    assert seen[0].url.host == "93.184.216.36"


def test_relative_redirects_are_followed_and_recorded(mock_fetcher: MakeFetcher) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/new"})
        if request.url.path == "/new":
            return httpx.Response(302, headers={"Location": "https://other.example/final"})
        return httpx.Response(200, headers={"Content-Type": "text/plain"}, text="Final text.")

    fetcher, seen = mock_fetcher(handler, respect_robots=False)
    result = fetcher.get("http://news.example/old")
    assert result.final_url == "https://other.example/final"
    assert result.redirects == ["http://news.example/old", "http://news.example/new"]
    assert [r.headers["host"] for r in seen] == ["news.example", "news.example", "other.example"]


def test_redirect_loops_stop(mock_fetcher: MakeFetcher) -> None:
    fetcher, seen = mock_fetcher(
        lambda request: httpx.Response(302, headers={"Location": "/again"}),
        respect_robots=False,
        max_redirects=3,
    )
    with pytest.raises(FetchError, match="too many redirects"):
        fetcher.fetch("http://news.example/again")
    assert len(seen) == 4


def test_oversized_responses_are_abandoned(mock_fetcher: MakeFetcher) -> None:
    def declared(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "999999999"}, content=b"x")

    fetcher, _ = mock_fetcher(declared, respect_robots=False, max_bytes=1000)
    with pytest.raises(FetchError, match="larger than the 1000 bytes limit"):
        fetcher.fetch("http://news.example/big")

    produced: list[int] = []

    def endless() -> Iterator[bytes]:
        while True:  # no Content-Length: only the streamed count can stop it
            produced.append(1)
            yield b"<p>" + b"a" * 509 + b"</p>"

    fetcher, _ = mock_fetcher(
        lambda request: httpx.Response(200, content=endless()), respect_robots=False, max_bytes=4096
    )
    with pytest.raises(FetchError, match="larger than the 4 KB limit"):
        fetcher.fetch("http://news.example/stream")
    assert len(produced) < 20


def test_http_errors_timeouts_and_dns_failures_are_fetch_errors(mock_fetcher: MakeFetcher) -> None:
    fetcher, _ = mock_fetcher(lambda request: httpx.Response(404), respect_robots=False)
    with pytest.raises(FetchError, match=r"HTTP 404 for http://news.example/gone") as caught:
        fetcher.fetch("http://news.example/gone")
    assert not isinstance(caught.value, FetchRefused)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    fetcher, _ = mock_fetcher(slow, respect_robots=False, timeout=5)
    with pytest.raises(FetchError, match=r"timed out after 5s fetching http://news\.example/slow"):
        fetcher.fetch("http://news.example/slow")

    def no_dns(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    fetcher, _ = mock_fetcher(refuse_to_connect, resolver=no_dns)
    with pytest.raises(FetchError, match=r"cannot resolve nowhere\.example"):
        fetcher.fetch("http://nowhere.example/")


def test_robots_txt_is_respected_and_fetched_once_per_host(mock_fetcher: MakeFetcher) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /private/\n")
        return httpx.Response(200, headers={"Content-Type": "text/html"}, text="<p>public</p>")

    fetcher, seen = mock_fetcher(handler)
    assert fetcher.fetch("http://news.example/a").kind == "html"
    assert fetcher.fetch("http://news.example/b").kind == "html"
    with pytest.raises(FetchRefused, match=r"refused: robots\.txt of news\.example disallows"):
        fetcher.fetch("http://news.example/private/x")
    assert [r.url.path for r in seen] == ["/robots.txt", "/a", "/b"]

    fetcher, seen = mock_fetcher(handler, respect_robots=False)
    fetcher.fetch("http://news.example/private/x")
    assert [r.url.path for r in seen] == ["/private/x"]


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (410, True), (503, False)])
def test_missing_robots_allows_and_a_failing_one_forbids(
    mock_fetcher: MakeFetcher, status: int, allowed: bool
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(status)
        return httpx.Response(200, headers={"Content-Type": "text/plain"}, text="page")

    fetcher, _ = mock_fetcher(handler)
    if allowed:
        assert fetcher.fetch("http://news.example/a").text == "page"
    else:
        with pytest.raises(FetchRefused, match=r"robots\.txt"):
            fetcher.fetch("http://news.example/a")


def test_fetched_pages_survive_a_lying_charset_header(mock_fetcher: MakeFetcher) -> None:
    body = "<html><body><p>Москва заявила, что санкции против России провалились.</p></body></html>"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Type": "text/html; charset=utf-8"}, content=body.encode("cp1251")
        )

    fetcher, _ = mock_fetcher(handler, respect_robots=False)
    page = fetcher.fetch("http://news.example/ru")
    assert page.text == body
    assert page.encoding == "cp1251"
    assert page.headers["content-type"] == "text/html; charset=utf-8"


def test_non_pages_are_input_errors(mock_fetcher: MakeFetcher) -> None:
    fetcher, _ = mock_fetcher(
        lambda request: httpx.Response(200, headers={"Content-Type": "image/png"}, content=b"\x89PNG...."),
        respect_robots=False,
    )
    with pytest.raises(InputError, match="is image/png, not a text or HTML page"):
        fetcher.fetch("http://news.example/logo.png")


def test_legacy_ip_spellings_are_parsed_like_inet_aton() -> None:
    assert str(parse_ip_literal("2130706433")) == "127.0.0.1"
    assert str(parse_ip_literal("0177.0.0.1")) == "127.0.0.1"
    assert str(parse_ip_literal("0x7f.0.0.1")) == "127.0.0.1"
    assert str(parse_ip_literal("10.1")) == "10.0.0.1"
    assert parse_ip_literal("1.2.3.4.5") is None
    assert parse_ip_literal("news.example") is None


def test_media_type_decides_page_or_feed_and_untyped_bodies_are_sniffed(mock_fetcher: MakeFetcher) -> None:
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    types = {"/typed": "text/plain", "/untyped": "application/octet-stream", "/feed": "application/rss+xml"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": types[request.url.path]}, content=feed)

    fetcher, _ = mock_fetcher(handler, respect_robots=False)
    typed = fetcher.get("http://news.example/typed")
    assert not typed.is_feed and fetcher.page_from_result(typed).kind == "text"
    assert fetcher.get("http://news.example/untyped").is_feed
    assert fetcher.get("http://news.example/feed").is_feed
