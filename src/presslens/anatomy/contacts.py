"""Contacts a page gives: e-mail addresses (with the role the page states), phone numbers and
social profiles.

The role is read from the words just before the address in the same sentence: "For media
inquiries: x@y" gives "media inquiries", "Press contact: x@y" gives "press contact". An address
met twice keeps its most specific role. Addresses that are payment handles ("PayPal: x@y") are
funding, not contacts: pass them in `exclude`. Data flow: called by `anatomy.facts`.

>>> [(c.value, c.role) for c in find_contacts("For media inquiries: publications@globalresearch.ca")]
[('publications@globalresearch.ca', 'media inquiries')]
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Final, Literal

from presslens.anatomy.scan import finditer_hinted, literal_pattern

EMAIL: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![\w-])")
_ROLE_NOUN = (
    r"(?:inquiries|enquiries|requests|questions|contact|desk|tips|submissions|corrections|"
    r"feedback|support|advertising|permissions|licensing|press|media)"
)
# "<role words> inquiries:" right before the address, the role noun last.
_ROLE_NEAR = re.compile(
    r"(?:^|[.;!?\n(]|\bfor\b|\bcontact\b|\bemail\b|\be-mail\b)\s*(?P<role>(?:[\w'-]+\s+){0,3}?"
    + _ROLE_NOUN
    + r"(?:\s+(?:inquiries|enquiries|contact|desk|team|office))?)"
    r"\s*(?:,\s*)?(?:please\s+)?(?:contact|e-?mail|write to|reach|at|to|us at)?\s*[:\-–—]?\s*$",
    re.IGNORECASE,
)
# "For <role>: address" with a short role.
_ROLE_FOR = re.compile(
    r"\bfor\s+(?P<role>(?:[\w'-]+\s+){0,2}[\w'-]+)\s*[:\-–—,]?\s*(?:contact|e-?mail|write to)?\s*:?\s*$",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?:(?P<label>\b(?:tel|phone|telephone|call|fax|mobile|whatsapp|hotline)\b\.?\s*(?:us\s*)?(?:at\s*)?[:.]?\s*)"
    r"(?P<num1>\+?\(?\d[\d\s().-]{6,}\d)|(?<![\w+])(?P<num2>\+\d{1,3}[\s.-]?\(?\d[\d\s().-]{6,}\d))",
    re.IGNORECASE,
)
_SOCIAL = re.compile(
    r"(?:https?://)?(?:www\.)?(?:twitter\.com|x\.com|t\.me|telegram\.me|facebook\.com|instagram\.com|"
    r"gab\.com|truthsocial\.com/@|vk\.com|linkedin\.com/(?:in|company)|mastodon\.social/@|bsky\.app/profile)"
    r"/[A-Za-z0-9_.@-]{2,60}/?(?![\w/])",
    re.IGNORECASE,
)
# Cheap literal hints: the full patterns run only around these (see anatomy.scan).
_AT = re.compile("@")
_PHONE_HINT = re.compile(r"tel|phone|call|fax|mobile|whatsapp|hotline|\+\d")
_SOCIAL_HOSTS: Final = (
    *("twitter.com", "x.com", "t.me", "telegram.me", "facebook.com", "instagram.com", "gab.com"),
    *("truthsocial.com", "vk.com", "linkedin.com", "mastodon.social", "bsky.app"),
)
# As a trie (no host starts another, so the matches are the flat alternation's), scanned over
# the whole page about twice as fast.
_SOCIAL_HINT = re.compile(literal_pattern(_SOCIAL_HOSTS))
_NOT_PROFILES: Final = {
    "share",
    "sharer",
    "intent",
    "home",
    "login",
    "search",
    "hashtag",
    "sharer.php",
    "dialog",
}


@dataclass(frozen=True)
class ContactHit:
    kind: Literal["email", "phone", "social"]
    value: str
    role: str | None
    start: int
    end: int


def _tidy_role(role: str) -> str:
    words = role.lower().split()
    while words and words[0] in {
        "for",
        "our",
        "the",
        "all",
        "any",
        "other",
        "please",
        "contact",
        "email",
        "e-mail",
    }:
        words = words[1:]
    return " ".join(words)


def _role_before(text: str, start: int) -> str | None:
    window = text[max(0, start - 120) : start]
    window = window.split("\n")[-1] if "\n" in window[-60:] else window
    m = _ROLE_NEAR.search(window)
    if m and _tidy_role(m.group("role")):
        return _tidy_role(m.group("role"))
    m = _ROLE_FOR.search(window)
    if m and len(m.group("role").split()) <= 3:
        return _tidy_role(m.group("role")) or None
    return None


def find_contacts(
    text: str,
    base: int = 0,
    *,
    exclude: Collection[str] = (),
    kinds: Collection[str] = ("email", "phone", "social"),
) -> list[ContactHit]:
    """E-mails (role when stated), labelled or international phone numbers, social profiles."""
    excluded = {e.lower() for e in exclude}
    by_value: dict[str, ContactHit] = {}
    order: list[str] = []

    def add(hit: ContactHit) -> None:
        key = hit.value.lower()
        old = by_value.get(key)
        if old is None:
            by_value[key] = hit
            order.append(key)
        elif old.role is None and hit.role:
            # Keep the first place it appears, but the role the page states somewhere.
            by_value[key] = ContactHit(old.kind, old.value, hit.role, old.start, old.end)

    for _, _, m in finditer_hinted(EMAIL, text, _AT, 300) if "email" in kinds else []:
        value = m.group().rstrip(".")
        if value.lower() in excluded:
            continue
        add(
            ContactHit(
                "email", value, _role_before(text, m.start()), base + m.start(), base + m.start() + len(value)
            )
        )
    for _, _, m in finditer_hinted(_PHONE, text, _PHONE_HINT, 80) if "phone" in kinds else []:
        group = "num1" if m.group("num1") else "num2"
        number = m.group(group).strip()
        digits = re.sub(r"\D", "", number)
        if not 8 <= len(digits) <= 15 or re.fullmatch(r"(?:19|20)\d{2}\D+(?:19|20)\d{2}", number):
            continue
        role = m.group("label").strip(" :.").lower() if m.group("label") else None
        add(ContactHit("phone", number, role, base + m.start(group), base + m.start(group) + len(number)))
    for _, _, m in finditer_hinted(_SOCIAL, text, _SOCIAL_HINT, 100) if "social" in kinds else []:
        url = m.group().rstrip("/.")
        handle = url.rsplit("/", 1)[-1].lstrip("@").lower()
        if handle in _NOT_PROFILES:
            continue
        add(ContactHit("social", url, None, base + m.start(), base + m.start() + len(url)))
    return sorted((by_value[k] for k in order), key=lambda h: h.start)
