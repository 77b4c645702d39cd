"""What the practice page shows of a moment, in the words of the copy version it names."""

from dataclasses import dataclass

from moments import chips
from moments import copy as moments_copy
from moments.models import Moment


@dataclass(frozen=True)
class MomentLine:
    client_id: str
    occurred_at: object
    noted_later: bool
    where: str  # "Close relationships · Partner"
    triggers: tuple[str, ...]
    trigger_text: str
    signals: tuple[str, ...]
    intensity: int | None
    steering: tuple[str, ...]
    reactive: tuple[str, ...]
    responses: tuple[str, ...]  # in tap order
    used_practice: bool


NOTED_LATER_AFTER_SECONDS = 60 * 60  # "noted later" when an entry came over an hour after


def line(moment: Moment, locale: str) -> MomentLine:
    return line_in(moment, moments_copy.texts(moment.copy_version, locale)["chips"])


def line_in(moment: Moment, words: dict) -> MomentLine:
    """`line` in the given chip words (a copy's `moments.chips`): no query."""
    where = [words["context"].get(moment.context, "")] if moment.context else []
    where += [words["role"].get(moment.role, "")] if moment.role else []
    responses = tuple(words["response"].get(code, code) for code in moment.responses)
    return MomentLine(
        client_id=str(moment.client_id),
        occurred_at=moment.occurred_at,
        noted_later=(moment.entered_at - moment.occurred_at).total_seconds()
        > NOTED_LATER_AFTER_SECONDS,
        where=" · ".join(where),
        triggers=tuple(words["trigger"].get(code, code) for code in moment.triggers),
        trigger_text=moment.trigger_text,
        signals=tuple(words["signal"].get(code, code) for code in moment.signals),
        intensity=moment.intensity,
        steering=tuple(
            words["response"].get(c, c) for c in moment.responses if c in chips.STEERING
        ),
        reactive=tuple(
            words["response"].get(c, c) for c in moment.responses if c in chips.REACTIVE
        ),
        responses=responses,
        used_practice=moment.used_practice,
    )


@dataclass(frozen=True)
class Chip:
    code: str
    label: str


def chip_groups(words: dict) -> dict[str, tuple[Chip, ...]]:
    """The chips of the entry form, in the order of moments/chips.py, in `words` (a copy's
    `moments` group)."""
    chip_words = words["chips"]

    def group(kind: str, codes) -> tuple[Chip, ...]:
        return tuple(Chip(code, chip_words[kind][code]) for code in codes)

    return {
        "when": group("when", chips.WHEN),
        "context": group("context", chips.CONTEXTS),
        "role": group("role", chips.ROLES),
        "trigger": group("trigger", chips.TRIGGERS),
        "signal": group("signal", chips.SIGNALS),
        "steering": group("response", chips.STEERING),
        "reactive": group("response", chips.REACTIVE),
        "intensity": tuple(Chip(str(n), str(n)) for n in chips.INTENSITIES),
    }
