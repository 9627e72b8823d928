"""No import cycles among the product packages: each module can be read knowing only
the modules it imports. Imports under `if TYPE_CHECKING:` are for the type checker
only and are left out; imports inside functions count (they run)."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("flows", "storage", "service", "bot", "suara_warga", "web", "emulator")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(path: Path, package: str, modules: set[str]) -> set[str]:
    """The product modules `path` imports when it runs."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for statement in node.orelse:
                visit(statement)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            named = {f"{base}.{alias.name}" for alias in node.names}
            # `from flows import texts` needs the submodule; the package itself only
            # for names defined (or re-exported) in its __init__.
            found.update(named & modules)
            if named - modules:
                found.add(base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name in modules}


def import_graph() -> dict[str, set[str]]:
    paths = [
        path
        for folder in PACKAGES
        if (ROOT / folder).is_dir()
        for path in sorted((ROOT / folder).rglob("*.py"))
    ]
    modules = {module_name(path) for path in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = runtime_imports(path, package, modules) - {name}
    return graph


def test_the_graph_sees_the_layers() -> None:
    graph = import_graph()
    assert "service.engine" in graph["bot.handlers.resident"]
    assert "flows.intake" in graph["service.engine"]


def test_product_modules_import_no_cycle() -> None:
    try:
        order = list(TopologicalSorter(import_graph()).static_order())
    except CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from exc
    assert order
