"""The package stays readable: no module over 400 lines, no function or method over 60 (tests excepted)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "scamlab"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def oversized(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """What in `path` breaks a limit, named from `root`: the module itself, then each long function or method."""
    source = path.read_text(encoding="utf-8")
    name = path.relative_to(root).as_posix()
    found = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{name}: {lines} lines (at most {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno} {node.name}(): {length} lines (at most {MAX_FUNCTION_LINES})")
    return found


def test_no_module_or_function_is_too_long():
    paths = sorted(PACKAGE.rglob("*.py"))
    assert paths, f"no Python files under {PACKAGE}"
    offenders = [line for path in paths for line in oversized(path)]
    assert not offenders, "Split these:\n" + "\n".join(offenders)


def test_the_check_names_a_long_method_and_a_long_module(tmp_path):
    module = tmp_path / "long.py"
    body = "\n".join(f"        x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    padding = "\n" * (MAX_MODULE_LINES - MAX_FUNCTION_LINES)
    module.write_text(f"class Long:\n    def method(self):\n{body}\n{padding}", encoding="utf-8")
    assert oversized(module, tmp_path) == [
        f"long.py: {MAX_MODULE_LINES + 2} lines (at most {MAX_MODULE_LINES})",
        f"long.py:2 method(): {MAX_FUNCTION_LINES + 1} lines (at most {MAX_FUNCTION_LINES})",
    ]
