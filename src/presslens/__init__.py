"""presslens: take a news page apart — article vs wrapper, provenance, funding, persuasion.

>>> import presslens
>>> doc = presslens.load(["anatomy"])("<html><body><p>Hello, world: the article.</p></body></html>")
>>> doc.body.text
'Hello, world: the article.'
"""

from presslens.document import SCHEMA_VERSION, Document, RawPage
from presslens.library import analyze, extract, load, read
from presslens.pipeline import Pipeline
from presslens.version import __version__

__all__ = [
    "SCHEMA_VERSION",
    "Document",
    "Pipeline",
    "RawPage",
    "__version__",
    "analyze",
    "extract",
    "load",
    "read",
]
