"""How the reference engine writes a score-1 result down: §3.8's numeric conventions and the
stored snapshot's shape (the JSON every report, comparison and export reads).

reference.py decides; this module only rounds and spells out what it decided. Values stay exact
Fractions until here, and are rounded only for display, never with round(). fast.py writes the
same shape its own way; the differential tests compare the two byte for byte.
"""

from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache
from math import floor, isqrt, sqrt
from typing import Any, NamedTuple

from ..spec import CONTEXTS, FACETS
from .rules import COMPANY_NOTE_MIN_UNDERDEVELOPED, GASI_NOTABLE, PLACES, UNDERDEVELOPED


@lru_cache(maxsize=1 << 14)  # pure, and scores repeat: the differential scores 10⁶ sheets
def half_up(value: Fraction, places: int = 0) -> Fraction:
    """Halves round upward (62.5 → 63): floor(value · 10^places + 1/2) / 10^places."""
    return Fraction(floor(value * 10**places + Fraction(1, 2)), 10**places)


def half_away(value: Fraction, places: int = 0) -> Fraction:
    """Signed values (ASI, GASI, Δ) round half away from zero (−12.5 → −13)."""
    return half_up(value, places) if value >= 0 else -half_up(-value, places)


def text(rounded: Fraction, negative: bool | None = None) -> str:
    """A value rounded to 2 decimals, written out ("-12.50")."""
    whole, part = divmod(abs(int(rounded * 10**PLACES)), 10**PLACES)
    minus = rounded < 0 if negative is None else negative
    return f"{'-' if minus else ''}{whole}.{part:0{PLACES}d}"


def signed(value: Fraction, key: str = "delta", display: str = "display") -> dict[str, Any]:
    return {key: text(half_away(value, PLACES)), display: int(half_away(value))}


def no_value(key: str) -> dict[str, None]:
    return {key: None, f"{key}_display": None}


def sqrt_text(square: Fraction) -> str:
    """√x half up to 2 decimals, exactly: floor(100·√x + 1/2) = (isqrt(⌊40000·x⌋) + 1) // 2."""
    return text(Fraction((isqrt(floor(4 * 10 ** (2 * PLACES) * square)) + 1) // 2, 10**PLACES))


def rc_text(delta: Fraction, sd: Fraction, r: Fraction) -> str | None:
    """RC in double precision (§3.8), its exact binary value rounded half away from zero."""
    s_diff = sqrt(2) * float(sd) * sqrt(float(1 - r))  # √2 · SE with SE = SD · √(1 − r)
    if not s_diff:
        return None
    rc = Fraction(float(delta) / s_diff)
    return text(half_away(rc, PLACES), negative=rc < 0)


def scale(s) -> dict[str, Any]:
    """n, S, N and ⌈0.75·N⌉; the score stored to 2 decimals half up, displayed whole."""
    score = s.score  # displayed from the exact value, not from the stored string
    return {
        "n": s.n, "s": s.s, "items": s.items, "needed": s.needed,
        "score": None if score is None else text(half_up(score, PLACES)),
        "display": None if score is None else int(half_up(score)),
    }  # fmt: skip


def candidate(c) -> dict[str, Any]:
    fields = c._asdict()
    low = fields.pop("scale")
    return fields | {"v": None if low is None else low.as_dict()["score"]}


def fresh(change: Mapping[str, Any]) -> dict[str, Any]:
    """A copy whose lists and dicts can be changed without touching the comparison."""
    return {k: v.copy() if isinstance(v, list | dict) else v for k, v in change.items()}


# §3.8 The full result, written once to the immutable snapshot. Scale, Asi and Candidate, which
# carry rules of their own, are in reference.py.
class Focus(NamedTuple):  # §3.7
    primary: Any  # reference.Candidate, or None
    secondary: Any
    reason: str | None  # "too_few_scored": the report asks for a more complete retake

    def as_dict(self) -> dict[str, Any]:
        entries = {"primary": self.primary, "secondary": self.secondary}
        return {k: c and candidate(c) for k, c in entries.items()} | {"reason": self.reason}


class DimensionResult(NamedTuple):
    code: str
    scale: Any  # reference.Scale, as are the facets and contexts
    facets: tuple[Any, Any]
    contexts: tuple[Any, Any] | None  # None in single-context modes
    asi: Any  # reference.Asi, or None
    status: str  # the band, or miscalibrated when a pattern marks the dimension (§3.6)
    patterns: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        asi, contexts = self.asi, self.contexts
        asi_fields = signed(asi.value, "asi", "asi_display") if asi else no_value("asi")
        return self.scale.as_dict() | {
            "band": self.scale.band, "status": self.status,
            "facets": {str(f): s.as_dict() for f, s in zip(FACETS, self.facets, strict=True)},
            "contexts": contexts and {
                c: s.as_dict() for c, s in zip(CONTEXTS, contexts, strict=True)
            },
            **asi_fields,
            "asi_notable": asi is not None and asi.notable, "patterns": list(self.patterns),
        }  # fmt: skip


class Result(NamedTuple):
    rules: str
    instrument: str
    mode: str
    dimensions: tuple[DimensionResult, ...]
    gasi: Fraction | None
    patterns: tuple[Any, ...]  # reference.Candidate
    focus: Focus
    quality: Mapping[str, Any]  # §4, in snapshot form
    support: str

    @property
    def underdeveloped_count(self) -> int:  # §7.3 counts bands, miscalibrated ones included
        return sum(d.scale.band == UNDERDEVELOPED for d in self.dimensions)

    def as_dict(self) -> dict[str, Any]:
        gasi, count = self.gasi, self.underdeveloped_count
        notable = gasi is not None and abs(gasi) >= GASI_NOTABLE
        return {
            "rules": self.rules, "instrument": self.instrument, "mode": self.mode,
            "dimensions": {d.code: d.as_dict() for d in self.dimensions},
            **(no_value("gasi") if gasi is None else signed(gasi, "gasi", "gasi_display")),
            "gasi_notable": notable,
            "gasi_direction": ("work" if gasi > 0 else "close") if notable else None,
            "patterns": [
                {k: candidate(c)[k] for k in ("code", "dimension", "v", "target")}
                for c in self.patterns
            ],
            "focus": self.focus.as_dict(),
            "quality": {k: v[:] if isinstance(v, list) else v for k, v in self.quality.items()},
            "support": self.support, "underdeveloped_count": count,
            "company_note": count >= COMPANY_NOTE_MIN_UNDERDEVELOPED,
        }  # fmt: skip


class Comparison(NamedTuple):
    rules: str
    params_id: str
    days_apart: int | None
    memory_note: bool  # under 28 days apart, memory of earlier answers can affect results
    dimensions: Mapping[str, Mapping[str, Any]]  # snapshot form, by dimension code
    patterns_new: list[tuple[str, str]]  # (code, dimension)
    patterns_resolved: list[tuple[str, str]]

    def as_dict(self) -> dict[str, Any]:
        return self._asdict() | {
            "dimensions": {d: fresh(change) for d, change in self.dimensions.items()},
            "patterns_new": [{"code": c, "dimension": d} for c, d in self.patterns_new],
            "patterns_resolved": [{"code": c, "dimension": d} for c, d in self.patterns_resolved],
        }
