"""The funding and contact hints are written for speed (alternatives grouped by first letter,
hosts as a trie); they must find exactly what their plain alternations find, since the windows
around each match bound where payment and contact patterns are looked for."""

from __future__ import annotations

import random
import re

from presslens.anatomy.contacts import _SOCIAL_HINT, _SOCIAL_HOSTS
from presslens.anatomy.funding import _BANK_HINT, _CRYPTO_HINT, _HOST_CHANNELS, _HOST_HINT

PLAIN = {
    "crypto": (
        _CRYPTO_HINT,
        r"bitcoin|btc|ethereum|\beth\b|ether|monero|xmr|litecoin|ltc|crypto|wallet|donat",
    ),
    "bank": (_BANK_HINT, r"iban|swift|bic|bank|account|transfer"),
    "host": (_HOST_HINT, "|".join(re.escape(h) for h in _HOST_CHANNELS)),
    "social": (_SOCIAL_HINT, "|".join(re.escape(h) for h in _SOCIAL_HOSTS)),
}
WORDS = [
    *re.findall(r"[a-z]+", PLAIN["crypto"][1] + " " + PLAIN["bank"][1]),
    *_HOST_CHANNELS,
    *_SOCIAL_HOSTS,
    *(" ", "e", "x", "th", "é", "_", "1", "-", ".", "paypal", "sub"),
]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_fast_hints_match_where_their_plain_alternations_do() -> None:
    rng = random.Random(7)
    texts = [
        "Send Bitcoin (BTC) or ETH to our wallet; ethereum, ether and methods",
        "Bank transfer: IBAN DE89 3704 0044 0532 0130 00, SWIFT/BIC COBADEFFXXX, account 12",
        "ko-fi.com/jane and www.patreon.com/jane, jane.substack.com, paypal.me/x",
        *("".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 8))) for _ in range(20_000)),
    ]
    for fast, plain in PLAIN.values():
        for flags in (0, re.IGNORECASE):  # `scan` searches case-blind where lower() moves offsets
            a, b = re.compile(fast.pattern, flags), re.compile(plain, flags)
            for text in texts:
                assert _spans(a, text) == _spans(b, text), (plain, text)
