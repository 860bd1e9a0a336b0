"""Block text and metadata values squeeze whitespace with `" ".join(text.split())`, which must
be what `re.sub(r"\\s+", " ", text).strip()` gives (it was, and is several times slower)."""

from __future__ import annotations

import random
import re

from presslens.anatomy.htmlcontext import clean
from presslens.anatomy.htmltree import parse_html, walk_blocks

_REGEX = re.compile(r"\s+")


def test_split_and_the_regex_agree_on_every_whitespace_character() -> None:
    whitespace = [chr(c) for c in range(0x110000) if _REGEX.fullmatch(chr(c))]
    assert [chr(c) for c in range(0x110000) if chr(c).isspace()] == whitespace
    rng = random.Random(7)
    alphabet = [*whitespace, *"ab.\x00\x01é—"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert clean(text) == _REGEX.sub(" ", text).strip(), repr(text)


def test_block_text_keeps_one_space_between_words() -> None:
    root = parse_html("<p>\u00a0 Breaking:\u2003the\n\tstory\u3000 goes on </p><p>two<br><br>paras</p>")
    assert [b.text for b in walk_blocks(root)] == ["Breaking: the story goes on", "two", "paras"]
