"""The chips of a live moment (PRACTICE.md §7): their codes, and each response's capacity.

Only codes are stored on an entry; the words shown for them come from the report copy's
`moments` group, in the version recorded on the entry (moments/copy.py). A code, once released,
keeps its meaning: a new chip gets a new code, never an old one reused.

Responses are "steering" (a step the capacities make possible) or "reactive" (an understandable,
learned reaction when the alarm fires first). Each is mapped to a capacity code of the report
(a dimension plus facet, as in the focus targets). The steering ones are mapped as the spec
says. A reactive one is mapped to the capacity it calls for, its steering counterpart:
- `snapped` (snapped or said something I regret) → REG2, steering the first seconds: the
  pause that lets a sharp first reaction pass before it is spoken;
- `withdrew` (withdrew or shut down) → BON2, welcoming closeness: staying in contact when
  pulling away feels safer;
- `gave_in` (gave in) → MEN2, holding on under strain: keeping hold of one's own view, and the
  other's, while the pressure is on.
"""

CONTEXTS = ("close", "work")
ROLES = ("partner", "family", "friend", "colleague", "manager", "client", "other")
TRIGGERS = (
    "criticised",
    "not_heard",
    "left_out",
    "disagreement",
    "let_down",
    "pressure",
    "tone",
    "pulled_away",
)
SIGNALS = ("heat", "tight_chest", "clenched_jaw", "stomach", "numb", "racing_heart", "tears")
STEERING = {
    "paused": "REG2",
    "wondered": "MEN",
    "noticed_body": "EMP1",
    "felt_with": "EMP2",
    "benefit_of_doubt": "TRU1",
    "reached_out": "REP1",
    "let_repair_in": "REP2",
    "stayed_close": "BON2",
}
REACTIVE = {
    "snapped": "REG2",
    "withdrew": "BON2",
    "gave_in": "MEN2",
}
RESPONSES = {**STEERING, **REACTIVE}
WHEN = ("now", "earlier", "yesterday")
FOLLOW_UPS = ("repaired", "not_yet", "no_need")
INTENSITIES = tuple(range(11))


def response_kind(code: str) -> str:
    """ "steering" or "reactive" for a response chip code."""
    return "reactive" if code in REACTIVE else "steering"
