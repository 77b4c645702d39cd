"""The pre-session brief's view-model (PRACTICE.md §5; issue 17 line 5).

Built only from what the person shares on one connection: the newest shared profile's snapshot
(and, for "change since", the shared profile before it), rendered with versioned copy:

- Texts the person's own report shows (capacity names, levels, pattern meanings, what is
  intact, focus suggestions) come from the snapshot's copy, exactly as in their report.
- The brief's own texts (groups `brief` and `openers`, new in copy-3) come from the same copy
  when it has them; a snapshot pinned to an older copy (copy-1, copy-2) lacks them, so they come
  from the published copy instead. docs/report-copy.md says why.
- All of it is in the snapshot's locale, like the shared report (issue 16): the snapshot's copy
  in that locale, the brief's own texts from the live copy in it
  (`assessments.queries.interface_copy`), dates and the moments summary too.

Every share level covers the summary (levels and statuses, patterns in plain words, focus,
quality, change labels), which is all the brief holds. The full report is only linked from it
at `report` and above; item answers are never in it; the well-being check-in only when the
person shares it (`Connection.share_checkin`).
"""

import dataclasses
import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from assessments.copy_text import fill
from assessments.queries import CopyLocaleUnavailable, copy_texts, interface_copy
from assessments.scoring.spec import DIMENSIONS
from moments import summary as moments_summary
from moments.summary import Presented
from practice.branding import Branding, membership_branding
from practice.models import Connection, Share
from profiles.comparison import ComparisonView, compare_snapshots
from profiles.locales import in_locale
from profiles.models import ResultSnapshot
from profiles.report import (
    Card,
    FocusBlock,
    Line,
    PatternNote,
    build_report,
    headline_parts,
    lowered,
)
from profiles.report_queries import snapshot_copy

# Bump when the brief's layout or what it shows changes: stored brief PDFs then go stale.
BRIEF_FORMAT = "brief-1"
BRIEF_GROUPS = ("brief", "openers")
OPENERS_PER_KEY = 3
CONTEXT_PATTERNS = ("CTX-CLOSE", "CTX-WORK")
QUALITY_NOTE_ORDER = (
    "ATTENTION", "TOO_FAST", "LONGSTRING", "LOW_VARIABILITY", "CONTRADICTORY", "HIGH_MISSING",
)  # fmt: skip


@dataclass(frozen=True)
class BriefSource:
    """What one connection shares, as far as the brief reads it: the newest shared profile and
    the shared one before it (each with its newest snapshot)."""

    connection: Connection
    share: Share
    snapshot: ResultSnapshot
    previous: Share | None
    previous_snapshot: ResultSnapshot | None
    share_count: int


@dataclass(frozen=True)
class SplitRow:
    name: str
    close: int | None
    work: int | None
    gap: str  # signed integer text, empty when either side has no score
    notable: bool


@dataclass(frozen=True)
class Split:
    intro: str
    overall: str
    rows: tuple[SplitRow, ...]  # empty in single-context modes
    patterns: tuple[PatternNote, ...]  # CTX-CLOSE / CTX-WORK, each said once for all it marks


@dataclass(frozen=True)
class FocusWithOpeners:
    block: FocusBlock
    target: str
    openers: tuple[str, ...]


@dataclass(frozen=True)
class ChangeRow:
    name: str
    earlier: int | None
    later: int | None
    delta: str
    label: str
    label_text: str


@dataclass(frozen=True)
class Change:
    intro: str
    rows: tuple[ChangeRow, ...]
    notes: tuple[str, ...]
    patterns_new: tuple[str, ...]
    patterns_resolved: tuple[str, ...]


@dataclass(frozen=True)
class Brief:
    words: dict  # copy group `brief`
    locale: str  # the snapshot's: every text of the brief is in it
    copy_version: str  # the snapshot's copy (the person's report texts)
    brief_copy_version: str  # where `brief` and `openers` were read
    level: str
    name: str
    date: str
    meta: str
    level_text: str
    checkin: str  # empty unless the person shares the check-in
    quality_level: str
    quality_notes: tuple[str, ...]
    strengths_intro: str
    strengths: tuple[Line, ...]
    split: Split
    cards: tuple[Card, ...]
    focus: tuple[FocusWithOpeners, ...]
    focus_missing: str
    change: Change | None
    change_first: str
    disclaimer: str
    pdf_title: str


def brief_copy(copy: dict, locale: str) -> dict:
    """The copy that words the brief's own texts: the snapshot's copy (in its locale) when it
    has the brief's groups, else the live one in that locale (copy-3 or later always has them,
    assessments/checks.py)."""
    if all(group in copy for group in BRIEF_GROUPS):
        return copy
    return interface_copy(locale)


def profile_date(share: Share) -> str:
    return date_format(localtime(share.profile.submitted_at), "j F Y")


def build_brief(source: BriefSource) -> Brief:
    """The brief of `source` with the copy it reads (module docstring) and the comparison
    with the previous shared profile."""
    copy = snapshot_copy(source.snapshot)
    comparison = None
    if source.previous is not None and source.previous_snapshot is not None:
        comparison = compare_snapshots(
            source.previous.profile,
            source.share.profile,
            source.previous_snapshot,
            source.snapshot,
        )
    return compose(source, copy, brief_copy(copy, source.snapshot.locale), comparison)


def compose(
    source: BriefSource, copy: dict, texts: dict, comparison: ComparisonView | None
) -> Brief:
    """The brief from the snapshot's copy (`copy`), the copy of the brief's own texts
    (`texts`) and the comparison, if any: no further reads."""
    snapshot, data = source.snapshot, source.snapshot.data
    words = texts["brief"]
    locale = snapshot.locale
    report = build_report(data, copy, locale=locale, reason=snapshot.reason)
    quality_level = data["quality"]["level"]
    date = profile_date(source.share)
    _headline, strongest = headline_parts(data, copy)
    # headline_parts names the well-developed capacities when there are any (§7.2).
    well = any(d["band"] == "well_developed" for d in data["dimensions"].values())
    return Brief(
        words=words,
        locale=locale,
        copy_version=snapshot.copy_version,
        brief_copy_version=texts.get("version", ""),
        level=source.share.level,
        name=display_name(source.connection, words),
        date=date,
        meta=fill(
            words["meta"],
            {
                "date": date,
                "mode": report.mode_label,
                "quality": words["quality_level"][quality_level],
            },
        ),
        level_text=words["level"][source.share.level],
        checkin=(words["checkin"][data["support"]] if source.connection.share_checkin else ""),
        quality_level=quality_level,
        quality_notes=tuple(quality_notes(data, copy, words)),
        strengths_intro=(
            words["strengths"]["well_developed" if well else "strongest_so_far"]
            if strongest
            else ""
        ),
        strengths=strongest,
        split=work_close_split(data, copy, words, locale),
        cards=tuple(without_context_meanings(card, data) for card in report.cards),
        focus=tuple(
            FocusWithOpeners(block, target, openers_for(target, texts))
            for block, target in zip(report.focus, focus_targets(data), strict=True)
        ),
        focus_missing=words["focus"]["missing"] if data["focus"]["primary"] is None else "",
        change=(
            None if comparison is None else change_from(comparison, source.previous, words, locale)
        ),
        change_first=words["change"]["first"] if source.previous is None else "",
        disclaimer=words["disclaimer"],
        pdf_title=fill(words["pdf_title"], {"date": date}),
    )


def display_name(connection: Connection, words: dict) -> str:
    if connection.person_display_name:
        return connection.person_display_name
    when = date_format(localtime(connection.created_at), "j F Y")
    return fill(words["name_missing"], {"date": when})


def quality_notes(data: dict, copy: dict, words: dict) -> list[str]:
    """§4's flags in plain words for the practitioner, then any capacity without a result."""
    notes_words, quality = words["quality_notes"], data["quality"]
    flags = set(quality["flags"])
    notes = [notes_words[flag] for flag in QUALITY_NOTE_ORDER if flag in flags]
    if len(quality["failed_qc"]) == 1:
        notes.append(notes_words["QC"])
    if quality["level"] == "low":
        notes.append(notes_words["low"])
    for code in DIMENSIONS:
        dimension = data["dimensions"][code]
        if dimension["band"] == "not_scored":
            name = copy["dimensions"][code]["name"]
            values = {
                "dimension": name,
                "answered": dimension["n"],
                "total": dimension["items"],
                "needed": dimension["needed"],
            }
            notes.append(fill(notes_words["not_scored"], values))
    return notes


def signed(value: int | None) -> str:
    if value is None:
        return ""
    return f"+{value}" if value > 0 else (f"−{-value}" if value < 0 else "0")


def work_close_split(data: dict, copy: dict, words: dict, locale: str) -> Split:
    """ASSESSMENT.md §3.4: per dimension C, W and W − C (notable at |ASI| ≥ 25), and GASI."""
    texts = words["split"]
    if data["mode"] != "both":
        return Split("", texts["single_mode"], (), ())
    rows = []
    for code in DIMENSIONS:
        dimension = data["dimensions"][code]
        contexts = dimension["contexts"] or {}
        rows.append(
            SplitRow(
                name=copy["dimensions"][code]["name"],
                close=(contexts.get("C") or {}).get("display"),
                work=(contexts.get("W") or {}).get("display"),
                gap=signed(dimension["asi_display"]),
                notable=bool(dimension["asi_notable"]),
            )
        )
    if data["gasi"] is None:
        overall = texts["gasi_undefined"]
    else:
        key = f"gasi_{data['gasi_direction']}" if data["gasi_notable"] else "gasi_even"
        overall = fill(texts[key], {"gasi": signed(data["gasi_display"])})
    patterns = context_patterns(data, copy, texts, locale)
    return Split(texts["intro"], overall, tuple(rows), patterns)


def context_patterns(data: dict, copy: dict, texts: dict, locale: str) -> tuple[PatternNote, ...]:
    """A CTX pattern means the same for every capacity it marks, so the brief says it once,
    naming them all ("Stronger at work than in close relationships (Repair, Bonding): ...");
    the capacity list then gives only its title."""
    notes = []
    for code in CONTEXT_PATTERNS:
        marked = [p["dimension"] for p in data["patterns"] if p["code"] == code]
        if not marked:
            continue
        names = [copy["dimensions"][d]["name"] for d in DIMENSIONS if d in marked]
        in_sentence = [lowered(name, locale) for name in names]
        joined = in_sentence[0]
        if len(in_sentence) > 1:
            values = {"names": ", ".join(in_sentence[:-1]), "last": in_sentence[-1]}
            joined = fill(texts["names_joined"], values)
        meaning = fill(copy["patterns"][code]["meaning"], {"dimension": joined})
        title = fill(
            texts["pattern_title"],
            {"title": copy["patterns"][code]["title"], "names": ", ".join(names)},
        )
        notes.append(PatternNote(title, meaning))
    return tuple(notes)


def without_context_meanings(card: Card, data: dict) -> Card:
    """The card's patterns with a CTX pattern's meaning left to the work/close split."""
    codes = data["dimensions"][card.code]["patterns"]
    patterns = tuple(
        PatternNote(note.title, "" if code in CONTEXT_PATTERNS else note.meaning)
        for code, note in zip(codes, card.patterns, strict=True)
    )
    return dataclasses.replace(card, patterns=patterns)


def focus_targets(data: dict) -> list[str]:
    focus = data["focus"]
    if focus["primary"] is None:
        return []
    return [focus[key]["target"] for key in ("primary", "secondary") if focus[key] is not None]


def openers_for(target: str, texts: dict) -> tuple[str, ...]:
    openers = texts["openers"][target]
    return tuple(openers[str(n)] for n in range(1, OPENERS_PER_KEY + 1))


def change_from(view: ComparisonView, previous: Share, words: dict, locale: str) -> Change:
    """Change since the previous shared profile (§6): the comparison's labels, reworded for
    the practitioner."""
    texts = words["change"]
    reasons = [texts["reasons"][row.reason] for row in view.rows if row.reason]
    notes = list(dict.fromkeys(reasons))
    if view.memory_note:
        notes.append(texts["memory_note"])
    if view.patterns_new or view.patterns_resolved:
        notes.append(texts["threshold_note"])
    return Change(
        intro=fill(texts["intro"], {"date": profile_date(previous)}),
        rows=tuple(
            ChangeRow(
                row.name, row.earlier, row.later, row.delta, row.label, texts["labels"][row.label]
            )
            for row in view.rows
        ),
        notes=tuple(notes),
        patterns_new=tuple(
            f"{p.title} ({lowered(p.dimension, locale)})" for p in view.patterns_new
        ),
        patterns_resolved=tuple(
            f"{p.title} ({lowered(p.dimension, locale)})" for p in view.patterns_resolved
        ),
    )


def cache_key(source: BriefSource, brief: Brief, *, branding=None, moments=None) -> str:
    """The digest of every input of a stored brief PDF. Shares, levels, snapshots, both copy
    versions, the check-in choice, the display name, branding and (once wired) the live-moment
    summary: when any of them changes, the key changes and the stored PDF is not served."""
    previous = source.previous
    parts = {
        "format": BRIEF_FORMAT,
        "share": [str(source.share.profile.public_id), source.snapshot.pk, source.share.level],
        "previous": previous
        and [str(previous.profile.public_id), source.previous_snapshot.pk, previous.level],
        "copy": brief.copy_version,
        "brief_copy": brief.brief_copy_version,
        "checkin": source.connection.share_checkin,
        "name": brief.name,
        "branding": branding and [str(branding.name), str(branding.accent)],
        "moments": moments_key(moments),
    }
    encoded = json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


# ----------------------------------------------------------------------------- slots
def branding_for(connection: Connection) -> Branding | None:
    """The practitioner's organisation branding (name, #rrggbb accent), read live: removing
    them from the organisation takes it off their next brief (practice/branding.py)."""
    practitioner = connection.practitioner
    # queries.brief_source reads the membership with the connection (no query here).
    return membership_branding(getattr(practitioner, "membership", None))


def moments_summary_for(connection: Connection, brief: Brief, now=None) -> Presented | None:
    """The person's 4-week live-moments summary (PRACTICE.md §7), only while they share their
    moments on this connection, in the words of the brief's copy (its `moments_views`)."""
    if not connection.share_moments or connection.person_id is None:
        return None
    try:
        words = copy_texts(brief.brief_copy_version, brief.locale).get("moments_views")
    except CopyLocaleUnavailable:  # the brief's copy is read in its locale (build_brief)
        return None
    if words is None:  # a copy from before live moments: nothing to say it with
        return None
    return moments_summary.presented_for(
        connection.person_id, 4, now or timezone.now(), words, chart_id="brief-moments"
    )


def moments_key(moments: Presented | None) -> str | None:
    """What the summary shows, for the PDF's cache key: its numbers, weeks and words, not the
    minute it was read (a key that changed every minute would remake the PDF each time)."""
    if moments is None:
        return None
    summary = moments.summary
    return repr((summary.all, summary.close, summary.work, summary.per_week, moments.words))


def brief_context(source: BriefSource) -> dict:
    """Everything the brief's screen and PDF templates show, with the PDF's cache key; built
    in the snapshot's locale (its dates too), whatever the practitioner's interface language.
    CopyLocaleUnavailable when the snapshot's copy is not released in its locale."""
    with in_locale(source.snapshot.locale):
        made = build_brief(source)
        moments = moments_summary_for(source.connection, made)
    branding = branding_for(source.connection)
    return {
        "brief": made,
        "connection": source.connection,
        "share": source.share,
        "profile": source.share.profile,
        "branding": branding,
        "moments_summary": moments,
        "cache_key": cache_key(source, made, branding=branding, moments=moments),
    }
