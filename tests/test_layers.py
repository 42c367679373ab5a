"""Imports point downward: lib → accounts → couples and clinics → audit → features →
composition (the contracts are in pyproject.toml, and `make lint` runs them too)."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TWOFOLD = ROOT / "twofold"


def _twofold_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import of a twofold module in ``tree``, at any depth."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("twofold")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "twofold":
                found += [(node.lineno, f"twofold.{a.name}") for a in node.names]
            elif node.module.startswith("twofold."):
                found.append((node.lineno, node.module))
    return found


def lib_imports_of_apps(root: Path = TWOFOLD) -> list[str]:
    """Every place where a module of twofold/lib imports a Twofold app (even lazily)."""
    problems = []
    for path in sorted((root / "lib").rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for line, module in _twofold_imports(tree):
            if not (module == "twofold.lib" or module.startswith("twofold.lib.")):
                problems.append(f"{path.relative_to(root.parent)}:{line} imports {module}")
    return problems


def _is_app_ready(function: ast.AST, path: Path) -> bool:
    return path.name == "apps.py" and getattr(function, "name", "") == "ready"


def unexplained_lazy_imports(root: Path = TWOFOLD) -> list[str]:
    """Imports of twofold modules inside functions that do not say which cycle they break.

    ``AppConfig.ready()`` is where Django wants app code imported, so it needs no reason.
    """
    problems = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text()
        lines = source.splitlines()
        for function in ast.walk(ast.parse(source, filename=str(path))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if _is_app_ready(function, path):
                continue
            for line, module in _twofold_imports(function):
                said = " ".join(lines[max(line - 3, 0) : line]).lower()
                if "cycle" not in said:
                    problems.append(f"{path.relative_to(root.parent)}:{line} imports {module}")
    return sorted(set(problems))


def test_lib_imports_no_twofold_app():
    assert lib_imports_of_apps() == []


def test_every_lazy_import_names_the_cycle_it_breaks():
    assert unexplained_lazy_imports() == []


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603 (our own virtualenv's tool, fixed arguments)
        [str(lint_imports), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 broken." in result.stdout


def modules_outside_every_layer(root: Path = TWOFOLD) -> list[str]:
    """Modules of twofold that no layer of the layers contract holds (empty packages aside)."""
    config = tomllib.loads((root.parent / "pyproject.toml").read_text())
    (layers,) = [
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    ]
    held = {
        name.strip().strip("()") for layer in layers for name in layer.replace("|", ":").split(":")
    }
    outside = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "__init__.py" and not path.read_text().strip():
            continue
        parts = path.relative_to(root.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if not any(module == h or module.startswith(h + ".") for h in held):
            outside.append(module)
    return outside


def test_every_module_sits_in_a_layer():
    assert modules_outside_every_layer() == []


def test_every_exception_to_the_contracts_says_why():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    text = (ROOT / "pyproject.toml").read_text().splitlines()
    for contract in config["tool"]["importlinter"]["contracts"]:
        for ignored in contract.get("ignore_imports", []):
            at = next(i for i, line in enumerate(text) if f'"{ignored}"' in line)
            assert text[at - 1].strip().startswith("#"), f"no reason given for {ignored}"
