"""The profile report's view-model (ASSESSMENT.md §3.10, §4, §7.2, §7.3).

Built from a stored snapshot dict and the texts of the copy version it names, and nothing
else: never current items, rules or copy, so an existing report renders byte-identically
however the instrument or the copy changes later. Templates only display what is here.
"""

from dataclasses import dataclass
from fractions import Fraction

from assessments import scoring
from assessments.copy_text import fill
from assessments.scoring.spec import DIMENSIONS
from profiles import charts
from profiles.models import ContextMode

RULES = scoring.get("score-1")  # the rules whose snapshots the report reads
FOUNDATION_ORDER = RULES.FOUNDATION_ORDER  # §3.7 tie-break, §3.10 card order

# §3.10: card groups, top to bottom; within a group higher scores first, ties by foundation.
GROUP_ORDER = ("well_developed", "developing", "miscalibrated", "underdeveloped", "not_scored")
LOW_BAND, NOT_SCORED, MISCALIBRATED = "underdeveloped", "not_scored", "miscalibrated"
ENDORSED = RULES.ENDORSED  # a facet, context or capacity at or above this is "in place" (§3.5)
STRONGEST_WHEN_NONE_WELL = 2  # how many capacities the headline names when none is well-developed
# Every sentence and heading comes from the copy (copy-1 reads the wording it was released
# with from assessments/data/report_copy_1_in_code.json, see assessments.copy_text); texts
# with placeholders are filled by `fill`, which substitutes plain names only and never raises.


@dataclass(frozen=True)
class Line:
    label: str
    score: int | None  # integer shown; None means not enough answers for this part


@dataclass(frozen=True)
class PatternNote:
    title: str
    meaning: str


@dataclass(frozen=True)
class Card:
    code: str
    name: str
    short_name: str
    what_it_is: str
    status: str
    status_label: str
    level_label: str  # the band, shown beside an uneven status; empty otherwise
    score: int | None
    level_text: str
    facets: tuple[Line, ...]
    contexts: tuple[Line, ...]
    asi_note: str
    patterns: tuple[PatternNote, ...]
    containment_note: str
    intact_note: str
    not_scored_text: str
    level_intro: str  # copy-2 on: the card opens with what the capacity is, then this line


@dataclass(frozen=True)
class Notice:
    level: str  # "caution" | "low"
    heading: str
    body: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SupportPanel:
    level: str  # "urgent" | "gentle"
    text: str
    emergency_line: str
    link_label: str


@dataclass(frozen=True)
class FocusBlock:
    heading: str
    intro: str
    where: str
    title: str
    practice: str
    why: str


@dataclass(frozen=True)
class Report:
    instrument: str
    scoring_version: str
    copy_version: str
    mode_label: str
    recalculated: bool
    disclaimer: str
    intro: str
    support: SupportPanel | None
    quality: Notice | None
    headline: str
    strongest: tuple[Line, ...]
    gasi_sentence: str
    chart: charts.BarChart
    cards: tuple[Card, ...]
    focus: tuple[FocusBlock, ...]
    focus_missing: str
    growth_reminder: str
    retake_label: str
    company_note: str
    counsellor_offer: str
    not_a_crisis_service: str
    words: dict  # the report's own headings and short labels (copy "report", "card", "chart")


def score_of(scale: dict | None) -> Fraction | None:
    """A stored scale's exact score, read the rules' one way (from its n and S); None when
    the scale is missing or was not scored."""
    return RULES.stored_score(scale or None)


# Languages whose capacity names keep their capital inside a sentence: German capitalises
# every noun („im Bereich Vertrauen“), English and most others lower it (issue 16).
KEEPS_CAPITAL = frozenset({"de"})


def lowered(name: str, locale: str) -> str:
    """A dimension name inside a sentence of `locale`: in English "Embodied empathy" →
    "embodied empathy"; in German the noun keeps its capital („Verkörperte Empathie“)."""
    if locale in KEEPS_CAPITAL:
        return name
    return name[:1].lower() + name[1:]


def build_report(data: dict, copy: dict, *, locale: str, reason: str = "submission") -> Report:
    """The whole report from a snapshot's `data` and its copy version's texts in `locale`
    (the snapshot's locale: it decides how a capacity name reads inside a sentence)."""
    cards = ordered_cards(data, copy, locale)
    focus, focus_missing = focus_blocks(data, copy)
    headline, strongest = headline_parts(data, copy)
    support = copy["support"]
    return Report(
        instrument=data["instrument"],
        scoring_version=data["rules"],
        copy_version=copy.get("version", ""),
        mode_label=copy["modes"][ContextMode(data["mode"]).value],
        recalculated=reason == "rescore",
        disclaimer=copy["disclaimer"],
        intro=copy["intro"],
        support=support_panel(data["support"], copy),
        quality=quality_notice(data["quality"], copy),
        headline=headline,
        strongest=strongest,
        gasi_sentence=copy["gasi"][data["gasi_direction"]] if data["gasi_notable"] else "",
        chart=dimension_chart(data, copy),
        cards=cards,
        focus=focus,
        focus_missing=focus_missing,
        growth_reminder=copy["growth_reminder"],
        retake_label=copy["quality"]["retake_button"],
        company_note=copy["company_note"] if data["company_note"] else "",
        counsellor_offer=support["counsellor_offer"],
        not_a_crisis_service=support["not_a_crisis_service"],
        words={"report": copy["report"], "card": copy["card"], "chart": copy["chart"]},
    )


def support_panel(level: str, copy: dict) -> SupportPanel | None:
    texts = copy["support"]
    if level == "urgent":
        return SupportPanel(
            "urgent", texts["panel"], texts["emergency_line"], texts["see_options_button"]
        )
    if level == "gentle":
        return SupportPanel("gentle", texts["gentle_link"], "", texts["see_options_button"])
    return None


def quality_notice(quality: dict, copy: dict) -> Notice | None:
    """§4: nothing for ok; the plain-words reasons for caution; a friendly notice for low."""
    flags, failed = set(quality["flags"]), len(quality["failed_qc"])
    texts = copy["quality"]
    if quality["level"] == "caution":
        reasons = [texts["caution"][f] for f in quality["flags"] if f in texts["caution"]]
        reasons += [texts["caution"]["QC"]] if failed == 1 else []
        return Notice("caution", "", "", tuple(reasons))
    if quality["level"] != "low":
        return None
    low = texts["low"]
    kinds = [
        ("ATTENTION", "ATTENTION" in flags),
        ("TOO_FAST", "TOO_FAST" in flags),
        ("UNIFORM", bool(flags & {"LONGSTRING", "LOW_VARIABILITY"})),
        ("CONTRADICTORY", "CONTRADICTORY" in flags),
        ("HIGH_MISSING", "HIGH_MISSING" in flags),
    ]
    reasons = [low[kind] for kind, raised in kinds if raised]
    if failed == 1:  # low through one failed check plus one other flag
        reasons.append(texts["caution"]["QC"])
    return Notice("low", low["heading"], low["body"], tuple(reasons))


def scored_codes(data: dict) -> list[str]:
    """Scored dimensions, strongest first; ties by foundation order."""
    dimensions = data["dimensions"]
    scored = [c for c in FOUNDATION_ORDER if score_of(dimensions[c]) is not None]
    return sorted(scored, key=lambda c: -score_of(dimensions[c]))


def headline_parts(data: dict, copy: dict) -> tuple[str, tuple[Line, ...]]:
    """§7.2 strengths first: the well-developed capacities, else the highest so far."""
    dimensions, names = data["dimensions"], copy["dimensions"]
    ranked = scored_codes(data)
    well = [c for c in ranked if dimensions[c]["band"] == "well_developed"]
    chosen = well or ranked[:STRONGEST_WHEN_NONE_WELL]
    if not chosen:
        return "", ()
    text = copy["headline"]["strengths" if well else "no_strengths"]
    return text, tuple(Line(names[c]["name"], dimensions[c]["display"]) for c in chosen)


def dimension_chart(data: dict, copy: dict) -> charts.BarChart:
    bands, rows = copy["bands"], []
    for code in DIMENSIONS:
        dimension = data["dimensions"][code]
        status = dimension["status"]
        rows.append((copy["dimensions"][code]["name"], dimension["display"], status, bands[status]))
    return charts.bar_chart(rows)


def ordered_cards(data: dict, copy: dict, locale: str) -> tuple[Card, ...]:
    dimensions = data["dimensions"]

    def position(code: str) -> tuple:
        score = score_of(dimensions[code])
        group = GROUP_ORDER.index(dimensions[code]["status"])
        return group, -(score or 0), FOUNDATION_ORDER.index(code)

    return tuple(card(code, data, copy, locale) for code in sorted(DIMENSIONS, key=position))


def card(code: str, data: dict, copy: dict, locale: str) -> Card:
    dimension, texts, bands = data["dimensions"][code], copy["dimensions"][code], copy["bands"]
    status, band = dimension["status"], dimension["band"]
    scored = band != NOT_SCORED
    fired = [p["code"] for p in data["patterns"]]
    in_sentence = lowered(texts["name"], locale)
    return Card(
        code=code,
        name=texts["name"],
        short_name=texts["short_name"],
        what_it_is=texts["what_it_is"],
        status=status,
        status_label=bands[status],
        level_label=bands[band] if status == MISCALIBRATED else "",
        score=dimension["display"] if scored else None,
        level_text=texts["level_text"][band] if scored else "",
        facets=tuple(facet_lines(dimension, texts)) if scored else (),
        contexts=tuple(context_lines(dimension, copy)) if scored else (),
        asi_note=asi_note(dimension, in_sentence, copy),
        patterns=tuple(pattern_notes(dimension, in_sentence, copy)),
        containment_note=(
            copy["regulation_containment_note"]
            if code == "REG" and "BON-CONTAINED" in fired
            else ""
        ),
        intact_note=intact_note(code, data, copy) if scored else "",
        not_scored_text="" if scored else not_scored_text(dimension, in_sentence, copy),
        level_intro=copy["card"].get("level_intro", ""),
    )


def facet_lines(dimension: dict, texts: dict) -> list[Line]:
    return [Line(texts["facets"][f]["name"], dimension["facets"][f]["display"]) for f in ("1", "2")]


def context_lines(dimension: dict, copy: dict) -> list[Line]:
    contexts, names = dimension["contexts"] or {}, copy["contexts"]
    return [Line(names[c]["name"], contexts[c]["display"]) for c in ("C", "W") if c in contexts]


def asi_note(dimension: dict, in_sentence: str, copy: dict) -> str:
    if not dimension["asi_notable"]:
        return ""
    key = "work_higher" if dimension["asi_display"] > 0 else "close_higher"
    return fill(copy["asi_note"][key], {"dimension": in_sentence})


def pattern_notes(dimension: dict, in_sentence: str, copy: dict) -> list[PatternNote]:
    notes = []
    for code in dimension["patterns"]:
        text = copy["patterns"][code]
        meaning = fill(text["meaning"], {"dimension": in_sentence})
        notes.append(PatternNote(text["title"], meaning))
    return notes


def not_scored_text(dimension: dict, in_sentence: str, copy: dict) -> str:
    values = {
        "answered": dimension["n"],
        "total": dimension["items"],
        "needed": dimension["needed"],
        "dimension": in_sentence,
    }
    return fill(copy["not_scored"], values)


def intact_note(code: str, data: dict, copy: dict) -> str:
    """Pair a lower (less developed or uneven) score with what is intact: this capacity's
    stronger facet, else its stronger context, else the strongest other capacity; each only
    when it is in the endorsed range (≥ 50), else this capacity's stronger facet anyway."""
    dimension, texts, words = data["dimensions"][code], copy["dimensions"][code], copy["card"]
    if dimension["band"] != LOW_BAND and dimension["status"] != MISCALIBRATED:
        return ""
    facet = _strongest_part(dimension["facets"])
    context = _strongest_part(dimension["contexts"] or {})
    others = [c for c in scored_codes(data) if c != code]
    if facet and score_of(dimension["facets"][facet]) >= ENDORSED:
        part = texts["facets"][facet]["name"]
        return fill(
            words["intact_facet"], {"part": part, "score": dimension["facets"][facet]["display"]}
        )
    if context and score_of(dimension["contexts"][context]) >= ENDORSED:
        score = dimension["contexts"][context]["display"]
        where = copy["contexts"][context]["in_words"]
        return fill(
            words["intact_context"], {"name": texts["name"], "where": where, "score": score}
        )
    if others and score_of(data["dimensions"][others[0]]) >= ENDORSED:
        other = data["dimensions"][others[0]]
        name = copy["dimensions"][others[0]]["name"]
        return fill(words["intact_strongest"], {"name": name, "score": other["display"]})
    part = texts["facets"][facet]["name"] if facet else texts["name"]
    score = dimension["facets"][facet]["display"] if facet else dimension["display"]
    return fill(words["intact_fallback"], {"part": part, "score": score})


def _strongest_part(parts: dict) -> str | None:
    """Key of the highest-scoring scored part (ties → the first key), or None."""
    scored = [key for key in parts if score_of(parts[key]) is not None]
    return max(scored, key=lambda key: score_of(parts[key]), default=None)


def target_label(target: str, copy: dict) -> str:
    """A focus target key in words: "EMP2" → "Embodied empathy · Felt resonance"."""
    if target == "MAINTAIN":
        return ""
    name = copy["dimensions"][target[:3]]["name"]
    if "." in target:
        return f"{name} {copy['contexts'][target[-1]]['in_words']}"
    return f"{name} · {copy['dimensions'][target[:3]]['facets'][target[3:]]['name']}"


def focus_blocks(data: dict, copy: dict) -> tuple[tuple[FocusBlock, ...], str]:
    """§3.7: the primary and secondary focus with their practices, or the message asking for
    a more complete retake."""
    focus, texts = data["focus"], copy["focus"]
    if focus["primary"] is None:
        return (), texts["too_few_scored"]
    headings = (("primary", texts["primary_heading"]), ("secondary", texts["secondary_heading"]))
    blocks = []
    for key, heading in headings:
        choice = focus[key]
        if choice is None:
            continue
        suggestion = copy["suggestions"][choice["target"]]
        blocks.append(
            FocusBlock(
                heading=heading,
                intro=focus_intro(choice, copy),
                where=target_label(choice["target"], copy),
                title=suggestion["title"],
                practice=suggestion["practice"],
                why=suggestion["why"],
            )
        )
    return tuple(blocks), ""


def focus_intro(choice: dict, copy: dict) -> str:
    kind = choice["kind"]
    if kind == "pattern":
        return fill(
            copy["card"]["focus_because"], {"title": copy["patterns"][choice["code"]]["title"]}
        )
    if kind == "underdeveloped":
        return fill(
            copy["card"]["focus_low"], {"name": copy["dimensions"][choice["dimension"]]["name"]}
        )
    if kind == "next_step":
        return copy["focus"]["next_step_intro"]
    return copy["focus"]["maintain_intro"]


def summary(data: dict, copy: dict) -> tuple[str, str]:
    """For "My profiles": the strongest capacity's name and the primary focus title."""
    ranked = scored_codes(data)
    strongest = copy["dimensions"][ranked[0]]["name"] if ranked else ""
    primary = data["focus"]["primary"]
    focus = copy["suggestions"][primary["target"]]["title"] if primary else ""
    return strongest, focus
