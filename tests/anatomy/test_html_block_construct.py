"""`HtmlBlock.trusted`, the document maker's fast constructor, builds what `model_construct` does."""

from __future__ import annotations

from presslens.document import HtmlBlock


def test_trusted_matches_model_construct() -> None:
    fast = HtmlBlock.trusted(3, 17, "/html/body/p[2]", "p")
    slow = HtmlBlock.model_construct(start=3, end=17, element="/html/body/p[2]", tag="p")
    assert type(fast) is HtmlBlock
    assert fast == slow
    assert list(fast.__dict__.items()) == list(slow.__dict__.items())
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.__pydantic_extra__ == slow.__pydantic_extra__
    assert fast.__pydantic_private__ == slow.__pydantic_private__
    assert fast.model_dump_json() == slow.model_dump_json()
    assert HtmlBlock.model_validate(fast.model_dump()) == fast
    assert fast.model_copy(update={"end": 18}).end == 18
