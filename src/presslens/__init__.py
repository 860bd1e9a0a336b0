"""presslens: take a news page apart — article vs wrapper, provenance, funding, persuasion."""

from presslens.document import SCHEMA_VERSION, Document, RawPage

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "Document", "RawPage", "__version__"]
