"""Which response chips steer and which are reactive (PRACTICE.md §7), by stored chip code.

The codes are the ones moments/chips.py stores in `Moment.responses` (in tap order); each
steering chip is mapped there to its capacity code. The reactive ones are understandable,
learned reactions; they are named only to tell the two kinds apart.
"""

STEERING = frozenset(
    {
        "paused",  # REG2
        "wondered",  # MEN
        "noticed_body",  # EMP1
        "felt_with",  # EMP2
        "benefit_of_doubt",  # TRU1
        "reached_out",  # REP1
        "let_repair_in",  # REP2
        "stayed_close",  # BON2
    }
)
REACTIVE = frozenset({"snapped", "withdrew", "gave_in"})
