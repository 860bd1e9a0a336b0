"""Checksum validation for payment identifiers found in text: crypto addresses and IBANs.

A random 34-character token is not a Bitcoin address; a real one carries a checksum. Checking it
keeps `anatomy.funding` from reporting look-alikes. Pure Python (base58check, bech32/bech32m,
Keccak-256 for EIP-55 and Monero, ISO 7064 mod 97-10 for IBAN): no extra dependency, and the
inputs are a few short strings per page.

>>> valid_btc("1BoatSLRHtKNngkdXEeobR76b53LETtpyT")
True
>>> valid_iban("DE89 3704 0044 0532 0130 00")
True
>>> valid_eth("0x52908400098527886E0F7030069857D2E4169EE7")
True
"""

from __future__ import annotations

import hashlib
from typing import Final

B58: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX: Final = {c: i for i, c in enumerate(B58)}


def b58decode(s: str) -> bytes | None:
    n = 0
    for ch in s:
        if ch not in _B58_INDEX:
            return None
        n = n * 58 + _B58_INDEX[ch]
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(s) - len(s.lstrip("1"))
    return b"\x00" * pad + raw


def b58check_version(s: str) -> int | None:
    """The version byte of a valid base58check string (25-byte payload), else None."""
    data = b58decode(s)
    if data is None or len(data) != 25:
        return None
    body, check = data[:-4], data[-4:]
    if hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4] != check:
        return None
    return body[0]


_BECH32: Final = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def valid_bech32(s: str, hrp: str) -> bool:
    """bech32 (segwit v0) or bech32m (v1+) with the given human-readable part."""
    s = s.lower()
    if not s.startswith(hrp + "1") or not 14 <= len(s) <= 90:
        return False
    data = s[len(hrp) + 1 :]
    if any(c not in _BECH32 for c in data):
        return False
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + [_BECH32.index(c) for c in data]
    return _polymod(values) in (1, 0x2BC830A3)


def valid_btc(s: str) -> bool:
    if s.lower().startswith("bc1"):
        return valid_bech32(s, "bc")
    return b58check_version(s) in (0x00, 0x05)


def valid_ltc(s: str) -> bool:
    if s.lower().startswith("ltc1"):
        return valid_bech32(s, "ltc")
    return b58check_version(s) in (0x30, 0x32, 0x05)


# --- Keccak-256 (the pre-standard SHA-3 that Ethereum and Monero use) ----------------------
_RC: Final = [
    0x0000000000000001,
    0x0000000000008082,
    0x800000000000808A,
    0x8000000080008000,
    0x000000000000808B,
    0x0000000080000001,
    0x8000000080008081,
    0x8000000000008009,
    0x000000000000008A,
    0x0000000000000088,
    0x0000000080008009,
    0x000000008000000A,
    0x000000008000808B,
    0x800000000000008B,
    0x8000000000008089,
    0x8000000000008003,
    0x8000000000008002,
    0x8000000000000080,
    0x000000000000800A,
    0x800000008000000A,
    0x8000000080008081,
    0x8000000000008080,
    0x0000000080000001,
    0x8000000080008008,
]
_ROT: Final = [
    [0, 36, 3, 41, 18],
    [1, 44, 10, 45, 2],
    [62, 6, 43, 15, 61],
    [28, 55, 25, 21, 56],
    [27, 20, 39, 8, 14],
]
_M64: Final = (1 << 64) - 1


def _rol(x: int, n: int) -> int:
    return ((x << n) | (x >> (64 - n))) & _M64 if n else x


def _keccak_f(a: list[list[int]]) -> None:
    for rc in _RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        for x in range(5):
            for y in range(5):
                a[x][y] ^= d[x]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rol(a[x][y], _ROT[x][y])
        for x in range(5):
            for y in range(5):
                a[x][y] = b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y])
        a[0][0] ^= rc


def keccak256(data: bytes) -> bytes:
    rate = 136
    msg = bytearray(data) + b"\x01"
    while len(msg) % rate:
        msg.append(0)
    msg[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(msg), rate):
        block = msg[off : off + rate]
        for i in range(rate // 8):
            a[i % 5][i // 5] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        _keccak_f(a)
    out = b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(rate // 8))
    return out[:32]


def valid_eth(s: str) -> bool:
    """0x + 40 hex digits; a mixed-case address must carry a correct EIP-55 checksum."""
    if len(s) != 42 or not s.startswith("0x"):
        return False
    body = s[2:]
    try:
        int(body, 16)
    except ValueError:
        return False
    if body.islower() or body.isupper() or body.isdigit():
        return len(set(body)) > 4  # all-zero or repeated filler is not an address
    digest = keccak256(body.lower().encode()).hex()
    return all(
        (ch.upper() if int(digest[i], 16) >= 8 else ch.lower()) == ch if ch.isalpha() else True
        for i, ch in enumerate(body)
    )


_XMR_BLOCK: Final = {0: 0, 2: 1, 3: 2, 5: 3, 6: 4, 7: 5, 9: 6, 10: 7, 11: 8}


def _xmr_b58decode(s: str) -> bytes | None:
    out = bytearray()
    for i in range(0, len(s), 11):
        chunk = s[i : i + 11]
        size = _XMR_BLOCK.get(len(chunk))
        if size is None or not size:
            return None
        n = 0
        for ch in chunk:
            if ch not in _B58_INDEX:
                return None
            n = n * 58 + _B58_INDEX[ch]
        if n >= 1 << (8 * size):
            return None
        out += n.to_bytes(size, "big")
    return bytes(out)


def valid_xmr(s: str) -> bool:
    """Standard (95) or integrated (106) Monero address with its Keccak checksum."""
    if len(s) not in (95, 106) or s[0] not in "48":
        return False
    data = _xmr_b58decode(s)
    if data is None or len(data) < 5:
        return False
    return keccak256(data[:-4])[:4] == data[-4:]


_IBAN_LENGTHS: Final = range(15, 35)


def valid_iban(s: str) -> bool:
    """ISO 13616 IBAN: country letters, two check digits, mod 97 == 1."""
    compact = "".join(s.split()).upper()
    if len(compact) not in _IBAN_LENGTHS or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    if not compact.isalnum():
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1
