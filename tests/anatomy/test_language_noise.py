"""Language detection strips URLs, e-mail addresses and markup marks first; text without an "@"
takes the pattern without the e-mail alternative, which must strip exactly the same."""

from __future__ import annotations

import random

from presslens.anatomy.language import _NOISE, _NOISE_NO_MAIL, detect_language


def test_noise_without_mail_strips_what_the_full_pattern_strips() -> None:
    rng = random.Random(5)
    pieces = [*"ab .:/_*[]()#>`|-+wé", "http://", "https://x.org/a", "www.", "mail.me"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert _NOISE_NO_MAIL.sub(" ", text) == _NOISE.sub(" ", text), text


def test_links_and_addresses_do_not_make_text_english() -> None:
    text = "Le gouvernement a annoncé mardi une nouvelle réforme des retraites. " * 3
    assert detect_language(text + " https://www.example.com/news/story writer@example.com") == "fr"
