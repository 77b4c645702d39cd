"""Code reaches a scoring-rules version through `scoring.get(version)` (issue 15 line 3).

A snapshot names the rules that made it, so code that scores or reads snapshots must not be
tied to one version by an import. Only the scoring package and the scoring tests (which run
each engine of score-1 on purpose, PEP 399) may import `assessments.scoring.score_1`.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RULES_PACKAGE = "assessments.scoring.score_1"
SCORING_PACKAGE = ROOT / "assessments" / "scoring"
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", "media", "test-artifacts"}
# The scoring tests: the engines, their differential and frozen guards, the spec's worked
# examples, and the scoring benches.
SCORING_TESTS = {
    "tests/assessments/scoring/conftest.py",
    "tests/assessments/scoring/score_1_sheets.py",
    "tests/assessments/scoring/test_quality.py",
    "tests/assessments/scoring/test_score_1.py",
    "tests/assessments/scoring/test_score_1_boundaries.py",
    "tests/assessments/scoring/test_score_1_differential.py",
    "tests/assessments/scoring/test_score_1_frozen.py",
    "tests/assessments/scoring/worked_examples.py",
    "tests/bench_scoring.py",
    # The copy editor's sample profiles are checked against the reference engine too.
    "tests/profiles/test_copy_editor.py",
    "tests/perf/bench_diff.py",
    "tests/perf/count_scoring.py",
    "tests/perf/test_scoring_benches.py",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every dotted name an import in `source` binds, relative imports resolved from `module`."""
    package = module if is_package else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return names


def imports_rules_directly(source: str, module: str, *, is_package: bool = False) -> bool:
    return any(
        name == RULES_PACKAGE or name.startswith(RULES_PACKAGE + ".")
        for name in imported_names(source, module, is_package=is_package)
    )


def python_files() -> list[Path]:
    files = []
    for top in sorted(ROOT.iterdir()):
        if top.name.startswith(".") or top.name in SKIPPED_DIRS:
            continue
        files += [top] if top.suffix == ".py" else sorted(top.rglob("*.py"))
    return files


def test_the_detector_sees_every_spelling_of_the_import():
    spellings = [
        "from assessments.scoring import score_1",
        "from assessments.scoring.score_1 import DIMENSIONS",
        "from assessments.scoring.score_1.fast import score",
        "import assessments.scoring.score_1",
        "from .scoring import score_1",  # inside the assessments package
    ]
    for source in spellings:
        assert imports_rules_directly(source, "assessments.views"), source
    allowed = "from assessments import scoring\nfrom assessments.scoring.spec import DIMENSIONS"
    assert not imports_rules_directly(allowed, "assessments.views")


def test_only_the_scoring_package_and_its_tests_import_score_1_directly():
    files = python_files()
    offenders = [
        str(path.relative_to(ROOT))
        for path in files
        if not path.is_relative_to(SCORING_PACKAGE)
        and str(path.relative_to(ROOT)) not in SCORING_TESTS
        and imports_rules_directly(
            path.read_text(encoding="utf-8"),
            module_name(path),
            is_package=path.name == "__init__.py",
        )
    ]

    assert len(files) > 100  # the whole project was searched
    assert offenders == [], f"use scoring.get(version) instead of score_1 in {offenders}"


def test_every_listed_scoring_test_exists():
    assert [name for name in sorted(SCORING_TESTS) if not (ROOT / name).is_file()] == []
