"""§5 with the §6.1 clarifications (issue 20 line 7), on plain rows of instrument 1.0's items."""

import random
from fractions import Fraction

import pytest

from analysis import omega, queries, statistics
from analysis.statistics import ProfileRow, SnapshotRow
from analysis.sums import ScaleSums
from tests.factories import published_instrument

pytestmark = pytest.mark.django_db


class Rows:
    """Profiles, snapshots and answers built by hand for `statistics.item_statistics`."""

    def __init__(self, seed: int = 4) -> None:
        instrument = published_instrument()
        self.lineage = statistics.lineage(instrument.pk, queries.scored_item_rows())
        self.version = instrument.pk
        self.rng = random.Random(seed)
        self.profiles, self.snapshots, self.answers, self.keyed = [], {}, [], {}

    def add(self, mode="both", skip=(), patterns=frozenset()) -> int:
        pk = len(self.profiles) + 1
        level = {d: self.rng.gauss(0, 1) for d in ("MEN", "EMP", "REG", "TRU", "REP", "BON")}
        given, keyed = {}, []
        for column, item in enumerate(self.lineage.columns):
            shown = mode == "both" or item.context == ("C" if mode == "close_only" else "W")
            if not shown or item.code in skip:
                keyed.append(0)
                continue
            k = min(7, max(1, round(4 + 1.2 * level[item.dimension] + self.rng.gauss(0, 1))))
            keyed.append(k)
            given[self.lineage.layouts[self.version][column]] = 8 - k if item.reverse else k
        self.profiles.append(ProfileRow(pk, None, self.version, mode, pk))
        self.snapshots[pk] = SnapshotRow("ok", (None,) * 6, frozenset(patterns))
        self.answers.append((pk, given))
        self.keyed[pk] = keyed
        return pk

    def report(self) -> statistics.Report:
        return statistics.item_statistics(
            self.lineage, self.profiles, self.snapshots, iter(self.answers)
        )

    def columns(self, dimension: str) -> list[int]:
        return [k for k, c in enumerate(self.lineage.columns) if c.dimension == dimension]


def dimension(report: statistics.Report, code: str) -> statistics.DimensionStats:
    return next(d for d in report.dimensions if d.code == code)


def test_dimension_n_mean_and_sd_use_listwise_complete_respondents():
    rows = Rows()
    complete = [rows.add() for _ in range(60)]
    for _ in range(7):
        rows.add(skip={"MEN1-C1"})  # one MEN item skipped: MEN is still scored (11 of 12)
    for _ in range(5):
        rows.add(mode="close_only")  # MEN scored on 6 items, but not complete on all 12

    men = dimension(rows.report(), "MEN")

    scores = [
        Fraction(100 * (sum(rows.keyed[pk][c] for c in rows.columns("MEN")) - 12), 72)
        for pk in complete
    ]
    mean = sum(scores) / len(scores)
    variance = sum((s - mean) ** 2 for s in scores) / (len(scores) - 1)
    assert (men.n, men.scale.n, men.state) == (60, 60, "provisional")
    assert men.mean == mean
    assert men.sd == pytest.approx(float(variance) ** 0.5, rel=1e-12)
    assert dimension(rows.report(), "EMP").n == 67  # every both-mode profile answered all EMP


def test_each_pair_of_dimensions_is_gated_by_its_own_listwise_n():
    rows = Rows()
    for _ in range(40):
        rows.add()  # complete on both MEN and EMP
    for _ in range(80):
        rows.add(skip={"EMP1-C1"})  # complete on MEN only
    for _ in range(80):
        rows.add(skip={"MEN1-C1"})  # complete on EMP only

    report = rows.report()

    cells = dict(report.correlations)
    men_emp = cells["MEN"][1]
    men_reg = cells["MEN"][2]
    assert (dimension(report, "MEN").n, dimension(report, "EMP").n) == (120, 120)
    assert men_emp[2:] == ("hidden", 40) and men_emp[0] == "n = 40"
    assert men_reg[2:] == ("provisional", 120)  # REG is complete for all 200
    assert cells["REG"][3][2:] == ("normal", 200)


def test_ctx_prevalence_is_among_both_mode_profiles_only():
    rows = Rows()
    for k in range(100):
        rows.add(patterns={("CTX-CLOSE", "MEN")} if k < 10 else set())
    for k in range(100):
        rows.add(mode="close_only", patterns={("EMP-COLD", "EMP")} if k < 20 else set())

    shares = {(p.code, p.dimension): p for p in rows.report().patterns}

    assert shares["CTX-CLOSE", "MEN"].share == Fraction(10, 100)
    assert shares["EMP-COLD", "EMP"].share == Fraction(20, 200)
    assert shares["CTX-CLOSE", "MEN"].share_text == "10.0%"


def test_omega_is_shown_from_a_listwise_n_of_500():
    rows = Rows()
    for _ in range(499):
        rows.add()
    before = dimension(rows.report(), "MEN").scale
    rows.add()
    after = dimension(rows.report(), "MEN").scale

    sums = ScaleSums.of_rows(
        [[rows.keyed[p.id][c] for c in rows.columns("MEN")] for p in rows.profiles], 12
    )
    expected = omega.omega(sums.covariance())
    assert (before.omega, before.omega_text) == (None, "")
    assert after.omega == expected
    assert after.omega_text == statistics.number_text(expected, 3)
    assert 0.5 < after.omega < 1
    assert dimension(rows.report(), "MEN").subscales[0].omega is None  # per dimension only


def test_values_that_a_flag_depends_on_show_three_decimals():
    rows = Rows()
    for _ in range(60):
        rows.add()

    men = dimension(rows.report(), "MEN")

    assert men.scale.alpha_text == statistics.number_text(men.scale.alpha, 3)
    assert len(men.scale.alpha_text.split(".")[1]) == 3
    assert all(len(i.corrected_r_text.split(".")[1]) == 3 for i in men.scale.items)
    assert all(len(i.alpha_if_deleted_text.split(".")[1]) == 3 for i in men.scale.items)
    assert len(men.mean_text.split(".")[1]) == 2  # no flag depends on the mean
