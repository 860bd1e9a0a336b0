"""The import graph of `src/presslens` has no cycle — lazy, `TYPE_CHECKING` and
`import_module("…")` imports included — and imports flow the way DESIGN.md draws them.

Every import statement anywhere in a module (top level, inside functions, under
`if TYPE_CHECKING:`) is an edge, so a cycle cannot hide behind a function-level import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "presslens"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """Every `presslens` module `path` imports, wherever the statement sits."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    package = here if is_package(path) else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        found.update(n for n in names if n in modules)
    found.discard(here)
    return found


def import_graph() -> nx.DiGraph:
    files = sorted((SRC / PACKAGE).rglob("*.py"))
    modules = {module_name(p) for p in files}
    graph = nx.DiGraph()
    for path in files:
        graph.add_node(module_name(path))
        for target in imported_modules(path, modules):
            graph.add_edge(module_name(path), target)
    return graph


def test_there_is_no_import_cycle() -> None:
    graph = import_graph()
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == [], f"import cycles: {cycles}"


@pytest.mark.parametrize(
    ("importer", "forbidden"),
    [
        ("presslens.ingest", "presslens.analyze"),
        ("presslens.ingest", "presslens.anatomy"),
        ("presslens.anatomy", "presslens.analyze"),
        ("presslens.corpus", "presslens.web"),
        ("presslens.engine", "presslens.corpus"),
        ("presslens.engine", "presslens.cli"),
        ("presslens.pipeline", "presslens.anatomy"),
        ("presslens.pipeline", "presslens.analyze"),
        ("presslens.pipeline", "presslens.engine"),
        ("presslens.document", "presslens.pipeline"),
    ],
)
def test_imports_flow_left_to_right(importer: str, forbidden: str) -> None:
    graph = import_graph()
    bad = sorted(
        (a, b)
        for a, b in graph.edges
        if (a == importer or a.startswith(importer + "."))
        and (b == forbidden or b.startswith(forbidden + "."))
    )
    assert bad == []


def test_the_web_holds_no_sql() -> None:
    web = SRC / PACKAGE / "web"
    offenders = []
    for path in web.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if any(m.split(".")[0] == "sqlalchemy" for m in mods):
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_linking_does_not_load_spacy() -> None:
    """Each linking process (one per Dask worker at scale) stays light: loading spaCy costs
    ~330 MB and seconds, and linking reads only text. A fresh interpreter, because this test
    session may have imported spaCy already."""
    import subprocess
    import sys

    code = (
        "import sys, presslens.corpus.linking; "
        "print(sorted(m for m in ('spacy', 'thinc', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
