"""Scoring-rules versions by id: snapshots name the version that produced them (§5.4)."""

from types import ModuleType

from . import score_1

RULES: dict[str, ModuleType] = {"score-1": score_1}
CURRENT = "score-1"


def get(version: str) -> ModuleType:
    """The rules module for `version`; KeyError naming the known ids when it is unknown."""
    try:
        return RULES[version]
    except KeyError:
        known = ", ".join(sorted(RULES))
        raise KeyError(f"unknown scoring rules {version!r}; known: {known}") from None
