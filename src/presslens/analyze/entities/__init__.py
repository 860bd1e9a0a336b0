"""Entities stage: who and what the article body names, with every alias merged into one entity.

Data flow: anatomy → **entities** → quotes / claims / timeline (they read `doc.entities` to name
speakers and the entities a claim or event involves). Fills `Document.entities` with
`Entity(name, type, aliases, mentions)`; each mention is a stand-off span of `Document.text`.

How: spaCy's small NER (`presslens.analyze.nlp`) proposes spans; a rule layer corrects what it
gets wrong on non-Western names and organisations (honorifics and titles, organisation heads
such as "Force"/"Corps", "X's Y" places, "Long Name (ABBR)" definitions, "also known as");
then canonicalisation merges variants: exact, transliteration skeletons with rapidfuzz
("Soleimani" = "Suleimani"), surnames to full names, initialisms to their long names; every
further occurrence of a known name is added; and definite descriptions ("the general") and
personal pronouns are attached to a person only when one person is in recent reach.
All rules are general: nothing here names a particular person, place or group.

The steps live in this package's modules, in the order they run: `mentions` (finding names,
with `names` for the string work and `labels` for type evidence), `aliases` (merging them),
`references` (descriptions and pronouns); `candidates` holds the records they pass along and
`words` the word lists they read.

>>> from presslens.document import Document
>>> doc = Document(source="demo", text="General Qassem Suleimani met Ali Khamenei. Soleimani left.")
>>> [(e.name, e.type, len(e.mentions)) for e in extract_entities(doc)][:2]
[('Qassem Suleimani', 'PERSON', 2), ('Ali Khamenei', 'PERSON', 1)]
"""

from __future__ import annotations

from presslens.analyze.entities.aliases import canonical_name, cluster_candidates, propagate_names
from presslens.analyze.entities.labels import vote_type
from presslens.analyze.entities.mentions import find_candidates
from presslens.analyze.entities.references import attach_references
from presslens.analyze.nlp import USER_DATA_KEY, is_english, parse
from presslens.document import Document, Entity, Mention
from presslens.pipeline import register_stage


def extract_entities(doc: Document) -> list[Entity]:
    """The entities of `doc`'s body, merged and sorted by first mention. Pure: `doc` is unchanged."""
    if not is_english(doc):
        return []
    start, end = doc.analysis_range()
    if not doc.text[start:end].strip():
        return []
    parsed = parse(doc)
    text = doc.text
    cands = find_candidates(parsed, text)
    if not cands:
        return []
    clusters = cluster_candidates(cands, text, start, end)
    propagate_names(clusters, text, start, end)
    types = [vote_type(cl.cands, text) for cl in clusters]
    attach_references(clusters, parsed, text, types)
    out: list[Entity] = []
    for cl, label in zip(clusters, types, strict=True):
        cl.cands.sort(key=lambda c: c.start)
        name = canonical_name(cl, text, label)
        aliases: list[str] = []
        for c in cl.cands:
            if c.kind == "pronoun":
                continue
            forms = [text[c.start : c.end]]
            if c.full_start is not None:
                forms.append(text[c.full_start : c.end])
            for f in forms:
                if c.kind == "description" and f[:1].isupper():
                    f = "t" + f[1:] if f.startswith("The ") else f
                if f != name and f not in aliases:
                    aliases.append(f)
        mentions = [Mention(start=c.start, end=c.end, text=text[c.start : c.end]) for c in cl.cands]
        out.append(Entity(name=name, type=label, aliases=aliases, mentions=mentions))
    out.sort(key=lambda e: e.mentions[0].start)
    return out


@register_stage("entities", requires=(f"user_data.{USER_DATA_KEY}",), assigns=("entities",))
class EntityStage:
    """Pipeline stage: fills `doc.entities` (see the module docstring)."""

    name = "entities"

    def __call__(self, doc: Document) -> Document:
        doc.entities = extract_entities(doc)
        return doc


def entities_of(doc: Document) -> list[Entity]:
    """The entities quotes, claims and timeline read: the `entities` stage's output.

    In a pipeline those stages require `entities`, so it has run; called directly on a bare
    document (tests, notebooks), the entities are extracted now — and not kept, so nothing
    is shared behind the caller's back.
    """
    if "entities" in doc.stages or doc.entities:
        return doc.entities
    return extract_entities(doc)
