"""Every number of scoring rules score-1 (ASSESSMENT.md §3, §4, §6 and the §7.3 rules it scores).

Both engines, `reference.py` and `fast.py`, read their thresholds from here. Changing any value
means a new rules version (`score_2/`, started as a copy), never an edit: snapshots name score-1.
"""

from collections.abc import Callable
from fractions import Fraction

from ..spec import DIMENSIONS, ReliabilityParams

VERSION = "score-1"

# §3.1 keying on the §2.1 response scale: k = LOW + HIGH − x for a reverse-keyed item.
LOW, HIGH = 1, 7

# §3.2 scale scores: scorable iff n ≥ ⌈SCORABLE_SHARE · N⌉; score = SCORE_MAX · (m − LOW) / 6.
SCORABLE_SHARE = Fraction(3, 4)
SCORE_MAX = 100

# §3.3 bands of a dimension score D (50 and 75 are exact and inclusive from below).
ENDORSED = 50  # D < 50 is underdeveloped; the gap rule's p ≥ 50 and q < 50 (§3.5)
WELL_DEVELOPED = 75
UNDERDEVELOPED, DEVELOPING, WELL, NOT_SCORED = (
    "underdeveloped", "developing", "well_developed", "not_scored",
)  # fmt: skip
MISCALIBRATED = "miscalibrated"  # §3.6 status

# §3.4 context asymmetry ASI = W − C, and global asymmetry GASI = mean of the defined ASIs.
ASI_NOTABLE = 25  # |ASI| ≥ 25
GASI_NOTABLE = 15  # |GASI| ≥ 15
GASI_MIN_ASIS = 4  # GASI needs at least 4 ASIs

# §3.5 gap rule G(p, q): p ≥ ENDORSED, q < ENDORSED and p − q ≥ GAP.
GAP = 25

# §3.6 patterns as (code, marked dimension, high-side scale p, low-side scale q): fires iff
# G(p, q); v = the score of q. Scale names: "MEN" dimension, "MEN1" facet, "MEN.C" context.
PATTERNS = (
    *(("CTX-CLOSE", d, f"{d}.W", f"{d}.C") for d in DIMENSIONS),
    *(("CTX-WORK", d, f"{d}.C", f"{d}.W") for d in DIMENSIONS),
    ("MEN-STRAIN", "MEN", "MEN1", "MEN2"),
    ("EMP-COLD", "EMP", "MEN", "EMP"),
    ("EMP-FLOOD", "EMP", "EMP", "MEN"),
    ("REG-TRIGGER", "REG", "REG2", "REG1"),
    ("TRU-GUARDED", "TRU", "TRU2", "TRU1"),
    ("TRU-UNCHECKED", "TRU", "TRU1", "TRU2"),
    ("REP-RECEIVE", "REP", "REP1", "REP2"),
    ("REP-OFFER", "REP", "REP2", "REP1"),
    ("BON-CONTAINED", "BON", "REG", "BON"),
    ("BON-LONGING", "BON", "BON2", "BON1"),
)

# §3.7 development focus.
FOCUS_MIN_SCORED = 4  # fewer scored dimensions: no focus, ask for a more complete retake
FOUNDATION_ORDER = ("REG", "MEN", "EMP", "TRU", "REP", "BON")  # tie-break only
MAINTAIN = "MAINTAIN"

# §3.8 numeric conventions: stored scores and signed values to 2 decimals.
PLACES = 2

# §2.5 check items, and §4 response quality.
QC1_ANSWER, QC2_FAIL_FROM, QC3_ANSWER = 2, 5, 5
QC_FAILS: dict[str, Callable[[int], bool]] = {  # applied to answered items only
    "QC1": lambda answer: answer != QC1_ANSWER,
    "QC2": lambda answer: answer >= QC2_FAIL_FROM,
    "QC3": lambda answer: answer != QC3_ANSWER,
}
ATTENTION_MIN_FAILED = 2  # ATTENTION: ≥ 2 of QC1-QC3 failed
MS_PER_ANSWER = 2000  # TOO_FAST: less than 2 s per answered item, in total or on a page
TOO_FAST_MIN_PAGES = 2  # ... on at least 2 pages
LONGSTRING_MIN_RUN = 12  # longest run of identical raw answers ≥ 12
LOW_VARIABILITY_SD = Fraction(1, 2)  # population SD of raw answers < 0.50
AGREE_MIN, DISAGREE_MAX = 5, 3  # CONTRADICTORY: both means ≥ 5, or both ≤ 3
CONTRADICTORY_SHARE = Fraction(1, 3)  # ... in at least a third of the evaluable cells
HIGH_MISSING_SHARE = Fraction(1, 4)  # more than 25 % of active scored items unanswered
QUALITY_MISC_FLAGS = ("LONGSTRING", "LOW_VARIABILITY", "CONTRADICTORY", "HIGH_MISSING")
LOW_QUALITY_MIN_MISC = 2  # level low iff q ≥ 2, TOO_FAST, m ≥ 2, or m = 1 and q = 1

# §7.3 support rule and profile-based note, stored in the snapshot.
WB_CODE = "WB1"
SUPPORT_URGENT_MIN, SUPPORT_GENTLE = 6, 5  # WB1 ≥ 6 urgent, WB1 = 5 gentle
COMPANY_NOTE_MIN_UNDERDEVELOPED = 4

# §6 change over time: reliable iff |RC| ≥ 1.96; default parameter set P0 (SD 15, r .80).
RC_CRITICAL = Fraction(196, 100)
P0 = ReliabilityParams("P0", {d: (Fraction(15), Fraction(4, 5)) for d in DIMENSIONS})
MEMORY_NOTE_DAYS = 28  # retakes under 28 days apart get the memory note
