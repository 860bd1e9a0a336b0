"""presslens.analyze: the stages that read the article — techniques, entities, quotes, claims,
timeline — and the spaCy parse they share.

This package shares its name with the front-door function `presslens.analyze(source)`
(`presslens.library.analyze`). Importing a submodule makes Python set the package as the
attribute `presslens.analyze`, replacing the function; so the package itself is callable and
does what the function does, and `presslens.analyze(...)` works whichever of the two is there.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any


class _AnalyzeModule(ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from presslens.library import analyze

        return analyze(*args, **kwargs)


sys.modules[__name__].__class__ = _AnalyzeModule
