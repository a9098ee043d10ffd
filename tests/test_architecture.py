"""The layers of docs/architecture.md hold: import-linter's contracts (pyproject.toml) are kept, they do fail on
an upward import or a cycle, and imports of our own modules sit at the top of files unless marked lazy."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "sahelwatch"

LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))"
)


def _lint(config: Path, cwd: Path, extra_path: Path | None = None) -> subprocess.CompletedProcess:
    env = None
    if extra_path is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(extra_path)}
    return subprocess.run(
        [sys.executable, "-c", LINT, str(config)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_import_contracts_are_kept():
    res = _lint(ROOT / "pyproject.toml", ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout
    assert res.stdout.count("KEPT") >= 4  # layers, acyclic siblings, two independence contracts


def test_the_contracts_catch_an_upward_import_and_a_cycle(tmp_path):
    """The same kinds of contract on a small package with one upward import and one cycle: both reported."""
    pkg = tmp_path / "layered"
    (pkg / "low").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "low" / "__init__.py").write_text("")
    (pkg / "low" / "a.py").write_text("from . import b\n")
    (pkg / "low" / "b.py").write_text(
        "from . import a\nfrom .. import high\n"
    )  # a cycle, and an upward import
    (pkg / "high.py").write_text("from .low import a\n")
    cfg = tmp_path / "contracts.toml"
    cfg.write_text(
        textwrap.dedent("""
        [tool.importlinter]
        root_package = "layered"

        [[tool.importlinter.contracts]]
        name = "layers"
        type = "layers"
        containers = ["layered"]
        layers = ["high", "low"]

        [[tool.importlinter.contracts]]
        name = "acyclic"
        type = "acyclic_siblings"
        ancestors = ["layered"]
    """)
    )
    res = _lint(cfg, tmp_path, extra_path=tmp_path)
    assert res.returncode != 0
    assert "layered.low is not allowed to import layered.high" in res.stdout
    assert "No cycles are allowed in layered.low" in res.stdout


def _inner_imports_of_our_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    lines = path.read_text("utf-8").splitlines()
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            ours = (
                isinstance(node, ast.ImportFrom)
                and (node.level > 0 or (node.module or "").startswith("sahelwatch"))
            ) or (isinstance(node, ast.Import) and any(a.name.startswith("sahelwatch") for a in node.names))
            if not ours:
                continue
            window = " ".join(lines[max(0, node.lineno - 4) : node.lineno])
            if "lazy:" not in window:
                found.append((node.lineno, lines[node.lineno - 1].strip()))
    return found


def test_imports_of_our_modules_are_at_the_top_unless_marked_lazy():
    """A function-level import of a sahelwatch module needs a 'lazy: <measured reason>' comment."""
    bad = {}
    for path in sorted(SRC.rglob("*.py")):
        hits = _inner_imports_of_our_modules(path)
        if hits:
            bad[str(path.relative_to(ROOT))] = hits
    assert not bad, bad


def test_no_module_imports_the_root_package():
    """The root package re-exports the public API (it imports workflows); a module importing it would
    climb to the top of the layers."""
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import) and any(a.name == "sahelwatch" for a in node.names):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "sahelwatch" and node.level == 0:
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module is None and node.level > 0:
                depth = len(path.relative_to(SRC).parts) - 1  # folders below sahelwatch/
                if node.level > depth and any(a.name in ("__version__", "open") for a in node.names):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, bad
