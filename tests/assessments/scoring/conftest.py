"""PEP 399 for scoring: a test that takes `engine` runs once per score-1 engine."""

import pytest

from assessments.scoring.score_1 import fast, reference

ENGINES = {"reference": reference, "fast": fast}


@pytest.fixture(params=list(ENGINES))
def engine(request):
    """score_1.reference (the spec as written), then score_1.fast (the engine in use)."""
    return ENGINES[request.param]
