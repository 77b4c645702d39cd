"""Exact rounding of rationals given as integer pairs (num, den), shared by the scoring rules.

Rounding is a display concern only: it never changes a number, so it carries no thresholds
and may be shared between scoring-rules versions. Python's round() is never used because it
sends halves to even.
"""

from fractions import Fraction
from math import isqrt


def half_up(num: int, den: int, places: int = 0) -> int:
    """num/den rounded half up, in units of 10**-places (den > 0): floor(x * 10**p + 1/2)."""
    return (2 * num * 10**places + den) // (2 * den)


def half_away(num: int, den: int, places: int = 0) -> int:
    """num/den rounded half away from zero, in units of 10**-places (den > 0)."""
    units = half_up(abs(num), den, places)
    return -units if num < 0 else units


def units_text(units: int, places: int) -> str:
    """Render an integer count of 10**-places units as a decimal string ("-12.50")."""
    if places == 0:
        return str(units)
    whole, part = divmod(abs(units), 10**places)
    sign = "-" if units < 0 else ""
    return f"{sign}{whole}.{part:0{places}d}"


def fraction_text(value: Fraction, places: int = 2) -> str:
    """A signed exact value as a decimal string, rounded half away from zero."""
    return units_text(half_away(value.numerator, value.denominator, places), places)


def fraction_display(value: Fraction) -> int:
    """A signed exact value as an integer, rounded half away from zero (-12.5 -> -13)."""
    return half_away(value.numerator, value.denominator)


def sqrt_text(num: int, den: int, places: int = 2) -> str:
    """sqrt(num/den) for num >= 0, den > 0, rounded half up to `places`, exactly.

    The result k is the largest integer with k - 1/2 <= 10**p * sqrt(x), that is
    (2k - 1)**2 <= 4 * 10**(2p) * x, so k = (isqrt(floor(4 * 10**(2p) * x)) + 1) // 2.
    """
    return units_text((isqrt(4 * 10 ** (2 * places) * num // den) + 1) // 2, places)
