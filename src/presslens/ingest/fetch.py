"""The safe fetcher: URLs to `RawPage`s without becoming a tool for reaching private networks.

Data flow: `read_sources` hands every URL (given directly, listed in a URL list, or linked
from a feed) to a `SafeFetcher`; what comes back goes through the same checks as a file
(`presslens.ingest.files.page_from_bytes`).

What makes it safe (server-side request forgery is the threat: a crawl list or a feed can name
`http://169.254.169.254/` or a name that resolves to `10.0.0.1`):

- only `http` and `https`;
- the host is resolved first and EVERY address it resolves to is checked; loopback, private,
  link-local, multicast, reserved, unspecified, shared/CGNAT and cloud-metadata addresses are
  refused (IPv4 inside IPv6 — mapped, 6to4, Teredo, NAT64 — is unwrapped and checked too;
  `http://2130706433/` and `http://0177.0.0.1/` are read as the IPv4 address they spell);
- the connection goes to the address that was checked, not to a second DNS answer: the request
  URL carries the IP, the `Host` header and TLS SNI/certificate check carry the name
  (no DNS rebinding window); proxies from the environment are ignored for the same reason;
- redirects are followed by hand, at most `max_redirects`, each hop checked like the first;
- the body is streamed and abandoned past `max_bytes`; the whole fetch has one deadline;
- robots.txt is honoured (fetched through the same guard, cached per host).

`allow_private=True` lifts the private-address rule for intranets and tests on 127.0.0.1;
cloud-metadata addresses stay refused even then.

>>> fetcher = SafeFetcher(resolver=lambda host, port: ["10.1.2.3"])
>>> fetcher.check_url("http://intranet.example/")
Traceback (most recent call last):
...
presslens.errors.FetchRefused: refused: private address 10.1.2.3 (private) for http://intranet.example/
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import TracebackType
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from w3lib.encoding import http_content_type_encoding

from presslens.document import RawPage
from presslens.errors import BinaryInput, FetchError, FetchRefused
from presslens.ingest.base import DEFAULT_MAX_BYTES, human_size, shown
from presslens.ingest.feeds import is_feed
from presslens.ingest.files import kind_for, media_type, page_from_bytes, strip_gz
from presslens.version import __version__

USER_AGENT = f"presslens/{__version__} (+https://github.com/presslens/presslens)"
ROBOTS_AGENT = "presslens"  # the token robots.txt rules name

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: `resolver(host, port)` -> the addresses the host resolves to (strings). Injected by tests.
Resolver = Callable[[str, int], Sequence[str]]

# Instance-metadata services hand out cloud credentials; refused even with allow_private.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.169.253",  # AWS DNS resolver
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS IPv6
    )
)
METADATA_HOSTS = frozenset(
    {"metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"}
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LEGACY_IPV4 = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES = 512 * 1024
_NOT_PAGES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for info in infos:
        seen[str(info[4][0]).split("%", 1)[0]] = None  # drop an IPv6 scope id
    return list(seen)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The IP a URL host spells, including the legacy forms `inet_aton` (and so curl) accepts.

    >>> parse_ip_literal("2130706433"), parse_ip_literal("0x7f.1"), parse_ip_literal("example.com")
    (IPv4Address('127.0.0.1'), IPv4Address('127.0.0.1'), None)
    """
    host = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client, NAT64)."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(ip: IPAddress, *, allow_private: bool = False) -> str | None:
    """Why connecting to `ip` is refused ("loopback", "cloud metadata", …), or None.

    >>> address_problem(ipaddress.ip_address("::ffff:192.168.0.1"))
    'private'
    >>> address_problem(ipaddress.ip_address("93.184.216.34")) is None
    True
    """
    if ip in METADATA_ADDRESSES:
        return "cloud metadata"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return address_problem(inner, allow_private=allow_private)
    if allow_private:
        return None
    checks: tuple[tuple[bool, str], ...] = (
        (ip.is_loopback, "loopback"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT, "shared/CGNAT"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "not globally routable"),
    )
    return next((reason for hit, reason in checks if hit), None)


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx, 5xx)."""

    def __init__(self, status: int, url: str) -> None:
        super().__init__(f"HTTP {status} for {shown(url)}")
        self.status = status
        self.url = url


@dataclass(frozen=True)
class _Target:
    """One checked hop: the URL as given and the address it will be fetched from."""

    url: str
    scheme: str
    host: str  # as written in the URL (a name or an IP literal), lower case
    port: int
    ip: IPAddress
    path: str  # path + query, what goes on the request line

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def pinned_url(self) -> str:
        ip = f"[{self.ip}]" if self.ip.version == 6 else str(self.ip)
        return f"{self.scheme}://{ip}:{self.port}{self.path}"


@dataclass
class FetchResult:
    """A fetched response body with where it finally came from."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]
    content: bytes
    fetched_at: datetime
    redirects: list[str] = field(default_factory=list)

    @property
    def media_type(self) -> str:
        return media_type(self.headers.get("content-type"))

    @property
    def is_feed(self) -> bool:
        """Whether the body is an RSS/Atom feed (by its type, or by its root element)."""
        return is_feed(self.media_type, self.content)


class SafeFetcher:
    """Fetch public web pages with address checks, redirect checks, size and time limits.

    Parameters are the policy: `allow_private` (intranets, tests on 127.0.0.1),
    `max_bytes` (per response, decompressed), `timeout` (seconds for the whole fetch,
    redirects and robots.txt included), `max_redirects`, `respect_robots`, `user_agent`.
    `resolver` and `transport` exist for tests: a fake resolver and an `httpx.MockTransport`
    let the guard be checked without a packet leaving the machine.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = 30.0,
        max_redirects: int = 5,
        respect_robots: bool = True,
        user_agent: str = USER_AGENT,
        resolver: Resolver | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.respect_robots = respect_robots
        self.user_agent = user_agent
        self._resolver: Resolver = resolver or system_resolver
        self._transport = transport
        self._client: httpx.Client | None = None
        self._robots: dict[tuple[str, str, int], RobotFileParser] = {}

    # -- the guard ---------------------------------------------------------------------------

    def check_url(self, url: str) -> _Target:
        """Resolve and check a URL; raises `FetchRefused` without opening any connection."""
        if not url.strip().isprintable():
            # A line of a URL list or a feed link can be anything; the messages below quote the
            # URL, so one with control characters must not reach them (a terminal would obey them).
            raise FetchRefused(f"refused: invalid URL {shown(url)} (it holds control characters)")
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as exc:
            raise FetchRefused(f"refused: invalid URL {shown(url)!r} ({exc})") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchRefused(f"refused: scheme {scheme or 'missing'!r} is not http(s) ({shown(url)})")
        host = (parts.hostname or "").rstrip(".").lower()
        if not host:
            raise FetchRefused(f"refused: no host in {shown(url)}")
        if not host.isascii():
            # The Host header and the resolver both want the ASCII (punycode) form of the name.
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                raise FetchRefused(f"refused: invalid host name in {shown(url)}") from None
        port = port or (443 if scheme == "https" else 80)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

        literal = parse_ip_literal(host)
        if literal is not None:
            addresses: list[IPAddress] = [literal]
        else:
            self._check_name(host, url)
            addresses = self._resolve(host, port, url)
        for ip in addresses:
            problem = address_problem(ip, allow_private=self.allow_private)
            if problem:
                raise FetchRefused(f"refused: private address {ip} ({problem}) for {shown(url)}")
        return _Target(url=url, scheme=scheme, host=host, port=port, ip=addresses[0], path=path)

    def _check_name(self, host: str, url: str) -> None:
        # Names that must never be fetched whatever a resolver says (RFC 6761; cloud metadata).
        if host in METADATA_HOSTS:
            raise FetchRefused(f"refused: private address {host} (cloud metadata) for {shown(url)}")
        if not self.allow_private and (host == "localhost" or host.endswith(".localhost")):
            raise FetchRefused(f"refused: private address {host} (loopback) for {shown(url)}")

    def _resolve(self, host: str, port: int, url: str) -> list[IPAddress]:
        try:
            names = self._resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"cannot resolve {host} ({shown(url)}): {exc}") from None
        addresses: list[IPAddress] = []
        for name in names:
            ip = parse_ip_literal(name)
            if ip is None:
                raise FetchError(f"resolver gave a non-address {name!r} for {host}")
            addresses.append(ip)
        if not addresses:
            raise FetchError(f"cannot resolve {host} ({shown(url)})")
        return addresses

    # -- fetching ----------------------------------------------------------------------------

    def get(self, url: str) -> FetchResult:
        """Fetch `url` (following checked redirects) and return its body and headers."""
        deadline = time.monotonic() + self.timeout
        return self._get(url, deadline, max_bytes=self.max_bytes, robots=self.respect_robots)

    def fetch(self, url: str) -> RawPage:
        """Fetch one page as a `RawPage` (source = the URL asked for, url = where it ended)."""
        return self.page_from_result(self.get(url))

    def page_from_result(self, result: FetchResult) -> RawPage:
        media = result.media_type
        if media.startswith(_NOT_PAGES):
            raise BinaryInput(f"{shown(result.url)} is {media}, not a text or HTML page")
        name = strip_gz(urlsplit(result.final_url).path.rsplit("/", 1)[-1]) or None
        return page_from_bytes(
            result.content,
            source=result.url,
            name=name,
            kind=kind_for(name, result.content, media),  # unknown types are sniffed from the bytes
            declared_charset=http_content_type_encoding(result.headers.get("content-type")),
            max_bytes=self.max_bytes,
            url=result.final_url,
            headers=result.headers,
            fetched_at=result.fetched_at,
        )

    def _get(self, url: str, deadline: float, *, max_bytes: int, robots: bool) -> FetchResult:
        current = url
        redirects: list[str] = []
        for _ in range(self.max_redirects + 1):
            target = self.check_url(current)
            if robots and not self._robots_allow(target, deadline):
                raise FetchRefused(f"refused: robots.txt of {target.host} disallows {shown(current)}")
            response = self._send(target, deadline)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    redirects.append(current)
                    current = urljoin(current, location.strip())
                    continue
                if response.status_code >= 400:
                    raise HTTPStatusError(response.status_code, current)
                content = self._read_body(response, deadline, max_bytes, current)
            finally:
                response.close()
            headers = {k.lower(): v for k, v in response.headers.multi_items()}
            return FetchResult(
                url=url,
                final_url=current,
                status=response.status_code,
                headers=headers,
                content=content,
                fetched_at=datetime.now(timezone.utc),
                redirects=redirects,
            )
        raise FetchError(f"too many redirects (more than {self.max_redirects}) from {shown(url)}")

    def _send(self, target: _Target, deadline: float) -> httpx.Response:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"timed out after {self.timeout:g}s fetching {shown(target.url)}")
        client = self._http()
        extensions: dict[str, object] = {"timeout": httpx.Timeout(remaining).as_dict()}
        if target.scheme == "https" and parse_ip_literal(target.host) is None:
            extensions["sni_hostname"] = target.host  # TLS checks the certificate against the name
        headers = {"Host": target.host_header, "User-Agent": self.user_agent, "Accept": "*/*"}
        try:
            request = client.build_request("GET", target.pinned_url, headers=headers, extensions=extensions)
            return client.send(request, stream=True)
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.timeout:g}s fetching {shown(target.url)}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch {shown(target.url)}: {_one_line(exc)}") from None

    def _read_body(self, response: httpx.Response, deadline: float, max_bytes: int, url: str) -> bytes:
        too_big = f"response from {shown(url)} is larger than the {human_size(max_bytes)} limit"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(too_big)
        chunks: list[bytes] = []
        total = 0
        try:
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(too_big)
                # Per-read timeouts do not stop a server that trickles a byte at a time.
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {self.timeout:g}s fetching {shown(url)}")
                chunks.append(chunk)
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.timeout:g}s fetching {shown(url)}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch {shown(url)}: {_one_line(exc)}") from None
        return b"".join(chunks)

    def _robots_allow(self, target: _Target, deadline: float) -> bool:
        key = (target.scheme, target.host, target.port)
        parser = self._robots.get(key)
        if parser is None:
            parser = self._load_robots(target, deadline)
            self._robots[key] = parser
        return parser.can_fetch(ROBOTS_AGENT, target.url)

    def _load_robots(self, target: _Target, deadline: float) -> RobotFileParser:
        parser = RobotFileParser()
        robots_url = f"{target.scheme}://{target.host_header}/robots.txt"
        try:
            result = self._get(robots_url, deadline, max_bytes=_ROBOTS_MAX_BYTES, robots=False)
        except HTTPStatusError as exc:
            # RFC 9309: no robots.txt (4xx) means no rules; a server error means stay away.
            # allow_all / disallow_all are the attributes RobotFileParser.read() sets itself.
            if exc.status < 500:
                parser.allow_all = True  # type: ignore[attr-defined]
            else:
                parser.disallow_all = True  # type: ignore[attr-defined]
            return parser
        parser.parse(result.content.decode("utf-8", errors="replace").splitlines())
        return parser

    # -- lifecycle ---------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=self._transport,
                follow_redirects=False,  # every hop goes back through check_url
                trust_env=False,  # an env proxy would resolve the name itself: no pinning
                timeout=self.timeout,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
