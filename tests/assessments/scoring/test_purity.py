"""The scoring rules and psychometrics import only the standard library (STYLE.md §3)."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PURE_FILES = sorted((ROOT / "assessments" / "scoring").rglob("*.py")) + [
    ROOT / "analysis" / name for name in ("psychometrics.py", "sums.py", "omega.py")
]


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add((node.module or "").split(".")[0])
    return modules


def test_pure_files_exist():
    assert len(PURE_FILES) >= 4


@pytest.mark.parametrize("path", PURE_FILES, ids=lambda p: p.name)
def test_module_imports_only_the_standard_library(path):
    outside = imported_modules(path) - set(sys.stdlib_module_names)

    assert outside == set(), f"{path.name} imports {sorted(outside)}"
