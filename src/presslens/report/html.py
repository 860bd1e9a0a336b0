"""Render Documents as one self-contained HTML file (no network, no script from the page).

Everything shown is rendered from the `Document` (displaCy's idea): the body with technique
spans highlighted (colour, underline style and a text tag per technique; hover or keyboard
focus shows technique, score and evidence), the wrapper parts listed by kind and greyed out,
the metadata card, and the entities, quotes, claims and timeline. Page text is always escaped
(Jinja2 autoescape), so hostile markup in a scraped page is shown as inert text.
The web app includes `templates/_document.html.j2` to show the same view.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from presslens.document import Document, Entity
from presslens.report.segments import runs
from presslens.report.style import (
    TECHNIQUE_COLOURS,
    TECHNIQUE_TAGS,
    TECHNIQUE_UNDERLINES,
    technique_css_class,
    technique_label,
)
from presslens.vocab import TECHNIQUES

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        runs=runs,
        technique_label=technique_label,
        technique_css_class=technique_css_class,
        technique_tags=TECHNIQUE_TAGS,
        technique_colours=TECHNIQUE_COLOURS,
        technique_underlines=TECHNIQUE_UNDERLINES,
        all_techniques=TECHNIQUES,
        entities_by_mentions=entities_by_mentions,
    )
    return env


def entities_by_mentions(entities: Sequence[Entity]) -> list[Entity]:
    """Most-mentioned first, then by name, so the table reads from the main actors down."""
    return sorted(entities, key=lambda e: (-len(e.mentions), e.name))


def technique_css() -> str:
    """CSS rules giving each technique its colour and underline style."""
    rules = []
    for name in TECHNIQUES:
        cls = technique_css_class(name)
        rules.append(
            f"mark.{cls}{{background:{TECHNIQUE_COLOURS[name]}55;"
            f"text-decoration:underline {TECHNIQUE_UNDERLINES[name]} {TECHNIQUE_COLOURS[name]};"
            "text-decoration-thickness:3px;text-underline-offset:3px}"
            f".legend .{cls}{{background:{TECHNIQUE_COLOURS[name]}}}"
        )
    return "\n".join(rules)


def render_html(docs: Sequence[Document], *, title: str = "presslens report") -> str:
    template = environment().get_template("report.html.j2")
    return template.render(docs=list(docs), title=title, technique_css=technique_css())
