"""How the package's parts may use each other: data/ is at the bottom, the CLI on top, nothing imports the CLI.

Kept by a test because an import the wrong way works until it makes a cycle (or makes 'validate' load
the dashboard), long after it was written.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"
# what each part may import from the package (paths.py and __init__ are the shared leaves)
ALLOWED = {
    "data": {"data", "paths", "__init__"},
    "views": {"data", "views", "paths", "__init__"},
    "publish": {"data", "views", "publish", "paths", "__init__"},
    "app": {"data", "views", "publish", "app", "paths", "__init__"},
}


def _submodule(module: tuple[str, ...], name: str) -> tuple[str, ...]:
    """'from module import name': the module name, if it is one, else the module itself."""
    folder = PACKAGE.joinpath(*module, name)
    return (*module, name) if folder.with_suffix(".py").exists() or (folder / "__init__.py").exists() else module


def _imports(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    """(line, package path of the imported module) of every import of this package in a file."""
    here = path.relative_to(PACKAGE).parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                module = (*base, *node.module.split(".")) if node.module else base
                names = [_submodule(module, a.name) for a in node.names]
            elif node.module and node.module.split(".")[0] == "dashboard":
                module = tuple(node.module.split(".")[1:])
                names = [_submodule(module, a.name) for a in node.names]
            else:
                continue
            found += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, tuple(a.name.split(".")[1:])) for a in node.names if a.name.split(".")[0] == "dashboard"]
    return found


def test_imp001_no_module_imports_the_cli_and_the_parts_import_one_way():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        part = rel.parts[0] if len(rel.parts) > 1 else None
        for line, target in _imports(path):
            top = target[0] if target else "__init__"  # (the package itself: its version)
            if top == "cli" and rel.name != "__main__.py":
                wrong.append(f"{rel}:{line} imports the CLI")
            elif part and top not in ALLOWED[part]:
                wrong.append(f"{rel}:{line} ({part}/) imports {'.'.join(target)}")
    assert wrong == []
    assert set(ALLOWED) == {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}  # every part has its rule
