"""Funding channels a page asks readers to use: PayPal, Patreon, donate pages, Substack,
Ko-fi, Buy Me a Coffee, GoFundMe, crypto addresses and bank details.

Data flow: `anatomy.facts` runs `find_funding` over the page text; each hit keeps its span.
URL channels are recognised by host, so they work on any outlet; crypto addresses and IBANs
must pass their checksum (`anatomy.checksums`), so a random token is not reported as a wallet.

>>> [(f.channel, f.value) for f in find_funding("PayPal: southfront@list.ru or via: <http://southfront.org/donate/>")]
[('paypal', 'southfront@list.ru'), ('donate_page', 'http://southfront.org/donate/')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from presslens.anatomy.checksums import valid_btc, valid_eth, valid_iban, valid_ltc, valid_xmr
from presslens.anatomy.markup import URL_RE
from presslens.anatomy.scan import (
    around,
    finditer_hinted,
    finditer_within,
    hint_spans,
    hint_windows,
    literal_pattern,
)


@dataclass(frozen=True)
class FundingHit:
    channel: str
    value: str
    start: int
    end: int


# host (or host suffix) -> channel; a bare host (no path) is not a channel of one outlet.
_HOST_CHANNELS: Final[dict[str, str]] = {
    "paypal.me": "paypal",
    "paypal.com": "paypal",
    "patreon.com": "patreon",
    "ko-fi.com": "ko-fi",
    "buymeacoffee.com": "buymeacoffee",
    "gofundme.com": "gofundme",
    "liberapay.com": "liberapay",
    "opencollective.com": "opencollective",
    "subscribestar.com": "subscribestar",
    "subscribestar.adult": "subscribestar",
    "donorbox.org": "donorbox",
    "givesendgo.com": "givesendgo",
    "locals.com": "locals",
    "substack.com": "substack",
    "steadyhq.com": "steady",
    "memberful.com": "memberful",
}
# "ko-fi.com/jane" written without a scheme is still a link to a channel.
_BARE_HOST = re.compile(
    r"(?<![\w./@-])(?:[\w-]+\.)*(?:"
    + "|".join(re.escape(h) for h in _HOST_CHANNELS)
    + r")/[^\s<>()\[\]\"'`,;]*[\w/]",
    re.IGNORECASE,
)
# As a trie: no host starts another, so it matches where the flat alternation did, faster.
_HOST_HINT = re.compile(literal_pattern(_HOST_CHANNELS))
_URL_STEMS: Final = (*_HOST_CHANNELS, "donat", "contribut", "give", "support", "tip", "fund", "become-a")
# One search instead of a substring test per stem: a page has thousands of links.
_URL_STEM_RE: Final = re.compile(literal_pattern(_URL_STEMS))
# Payment identifiers are written next to a label ("BTC:", "IBAN", "send Bitcoin to"); the
# checksummed patterns only run near one.
# Alternatives that share a first letter are grouped under it: Python's engine tries a flat
# alternation's words one by one wherever the page has one of their first letters (every "e"),
# and these scan the whole page. Same matches as "bitcoin|btc|ethereum|\beth\b|ether|monero|
# xmr|litecoin|ltc|crypto|wallet|donat" and "iban|swift|bic|bank|account|transfer".
_CRYPTO_HINT = re.compile(
    r"b(?:itcoin|tc)|e(?:thereum|(?<=\be)th\b|ther)|monero|xmr|l(?:itecoin|tc)|crypto|wallet|donat"
)
_BANK_HINT = re.compile(r"iban|swift|b(?:ic|ank)|account|transfer")
_DONATE_PATH = re.compile(
    r"/(?:donat\w*|contribut\w*|give|support-us|supportus|become-a-(?:supporter|member|patron)|"
    r"tip-?jar|fund\w*)(?:/|$|\?|\.)",
    re.IGNORECASE,
)
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}"
_PAYPAL_EMAIL = re.compile(r"\bpay ?pal\b[^\n@]{0,40}?(" + _EMAIL + ")", re.IGNORECASE)
_BTC = re.compile(r"(?<![\w/])(?:bc1[ac-hj-np-z02-9]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})(?![\w/])")
_LTC = re.compile(r"(?<![\w/])(?:ltc1[ac-hj-np-z02-9]{11,71}|[LM][1-9A-HJ-NP-Za-km-z]{26,33})(?![\w/])")
_ETH = re.compile(r"(?<![\w/])0x[0-9a-fA-F]{40}(?![\w/])")
_XMR = re.compile(r"(?<![\w/])[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?(?![\w/])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_SWIFT = re.compile(
    r"\b(?:swift|bic)(?:[ /-]*(?:code|bic))?\s*[:#]?\s*([A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b",
    re.IGNORECASE,
)
_DONATION_WORDS = re.compile(
    r"\b(?:donat\w*|support|contribut\w*|patron|tip|fund\w*|help us)\b", re.IGNORECASE
)


def has_url_stem(url: str) -> bool:
    """Could `url` be a funding channel at all (a payment host or a donate-like word in it)?"""
    return bool(_URL_STEM_RE.search(url.lower()))


def url_channel(url: str, *, context: str = "") -> str | None:
    """The funding channel a URL points to, or None. `context` is the surrounding text: a
    `/support` page counts only where the text around it asks for money."""
    if not has_url_stem(url):
        return None  # most URLs on a page: skip parsing them
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").lower().removeprefix("www.")
    except ValueError:
        return None
    path = parts.path or ""
    for known, channel in _HOST_CHANNELS.items():
        if host == known or host.endswith("." + known):
            if channel == "substack":
                # writer.substack.com is a publication; substack.com itself is not a channel.
                return channel if host != known else None
            if host == known and not path.strip("/"):
                return None
            return channel
    if _DONATE_PATH.search(path) and (
        not path.lower().startswith("/fund") or _DONATION_WORDS.search(context)
    ):
        return "donate_page"
    return None


def find_funding(text: str, base: int = 0) -> list[FundingHit]:
    """Every funding channel in `text`, in order of appearance, one hit per value."""
    hits: list[FundingHit] = []
    # Substring tests first: a case-blind pattern is scanned slowly over a whole page, and
    # each of these can only match where its literal part occurs.
    low = text.lower()
    if "pay" in low:
        for m in _PAYPAL_EMAIL.finditer(text):
            hits.append(FundingHit("paypal", m.group(1), base + m.start(1), base + m.end(1)))
    bare = [m for _, _, m in finditer_hinted(_BARE_HOST, text, _HOST_HINT, 300)]
    urls = URL_RE.finditer(text) if "://" in text or "www." in low else ()
    for m in [*urls, *bare]:
        url = m.group()
        context = text[max(0, m.start() - 200) : m.end() + 50]
        channel = url_channel(url, context=context)
        if channel:
            hits.append(FundingHit(channel, url, base + m.start(), base + m.end()))
    crypto_windows = hint_windows(text, _CRYPTO_HINT, 400)
    for pattern, coin, valid in (
        (_BTC, "BTC", valid_btc),
        (_LTC, "LTC", valid_ltc),
        (_ETH, "ETH", valid_eth),
        (_XMR, "XMR", valid_xmr),
    ):
        for m in (m for a, b in crypto_windows for m in pattern.finditer(text, a, b)):
            if valid(m.group()):
                hits.append(FundingHit(f"crypto:{coin}", m.group(), base + m.start(), base + m.end()))
    bank = hint_spans(text, _BANK_HINT)  # one scan for both bank patterns
    for _, _, m in finditer_within(_IBAN, text, around(bank, 200, len(text))):
        if valid_iban(m.group()):
            hits.append(FundingHit("bank:IBAN", m.group(), base + m.start(), base + m.end()))
    for _, _, m in finditer_within(_SWIFT, text, around(bank, 60, len(text))):
        hits.append(FundingHit("bank:SWIFT", m.group(1).upper(), base + m.start(1), base + m.end(1)))
    hits.sort(key=lambda h: h.start)
    seen: set[tuple[str, str]] = set()
    out: list[FundingHit] = []
    for h in hits:
        key = (h.channel.split(":")[0], re.sub(r"^(?:https?://)?(?:www\.)?", "", h.value.lower()).rstrip("/"))
        # A 3… address is valid for both BTC and LTC: the first (BTC) reading wins.
        if key in seen or any(o.start == h.start for o in out):
            continue
        seen.add(key)
        out.append(h)
    return out
