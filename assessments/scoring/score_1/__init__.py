"""Scoring rules score-1: the fast engine's API, with the reference as `score_1.reference`.

`rules.py` holds every number, `reference.py` is ASSESSMENT.md §3, §4 and §6 as written, and
`fast.py` is the engine every request uses (its public names are this package's, as when
score-1 was one module); the two give byte-identical snapshots (PEP 399: the scoring tests in
tests/assessments/scoring run against both). Input types come from `scoring.spec`.
"""

from ..spec import MODE_CONTEXTS, MODES  # noqa: F401  (score-1's API since it was one module)
from . import fast, reference, rules  # noqa: F401
from .fast import *  # noqa: F403
from .rules import *  # noqa: F403
