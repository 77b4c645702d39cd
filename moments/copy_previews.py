"""Previews of the live-moments texts in the report copy editor (issue 19 line 3), registered
with profiles.copy_previews in MomentsConfig.ready:

- `moments`: the practice page (with three sample moments, one waiting for its follow-up, and
  the sample's focus), the entry form, the consent page and the page that deletes a moment;
- `moments_views`: the 4- and 12-week views page, with a sample four weeks of moments, and
  the 4-week part of the practice page;
- `moments_reminders`: the reminder settings page.

Each page's `content` block is rendered by its own template, without the site's layout, from
unsaved Moment instances and fixed dates: no query, nothing stored.
"""

import uuid
from datetime import UTC, datetime, timedelta

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from assessments.copy_text import with_released_wording
from moments import summary
from moments.forms import ConsentForm
from moments.models import Moment
from moments.present import chip_groups, line_in
from moments.reminder_forms import ReminderForm
from profiles import copy_previews
from profiles.report import focus_blocks

NOW = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)  # the sample's "now": a Monday evening
FOLLOW_UP_ANSWERS = ("repaired", "not_yet", "no_need")
# (days before NOW, hours earlier, context, role, triggers, signals, intensity, responses,
#  follow-up): a calm spread over four weeks, close and work, steering and reactive.
SAMPLE_MOMENTS = (
    (0, 3, "close", "partner", ["not_heard"], ["tight_chest"], 6, ["paused", "wondered"], ""),
    (1, 2, "work", "colleague", ["criticised"], ["heat"], 7, ["snapped", "reached_out"], ""),
    (2, 5, "close", "family", ["let_down"], [], 4, ["felt_with"], "repaired"),
    (8, 1, "work", "manager", ["pressure"], ["racing_heart"], 8, ["withdrew"], "not_yet"),
    (9, 4, "close", "friend", ["left_out"], ["stomach"], 5, ["reached_out"], "repaired"),
    (15, 2, "work", "client", ["tone"], [], 3, ["benefit_of_doubt"], "no_need"),
    (17, 6, "", "", ["disagreement"], ["clenched_jaw"], None, ["paused"], "repaired"),
    (23, 3, "close", "partner", ["pulled_away"], ["tears"], 6, ["stayed_close"], "repaired"),
)


def sample_moments() -> list[Moment]:
    found = []
    for n, (
        days,
        hours,
        context,
        role,
        triggers,
        signals,
        intensity,
        responses,
        answer,
    ) in enumerate(SAMPLE_MOMENTS):
        occurred = NOW - timedelta(days=days, hours=hours)
        found.append(
            Moment(
                client_id=uuid.UUID(int=n + 1),
                occurred_at=occurred,
                entered_at=occurred + timedelta(minutes=5 if n else 90),
                context=context,
                role=role,
                triggers=triggers,
                trigger_text="They checked their phone while I talked." if n == 0 else "",
                signals=signals,
                intensity=intensity,
                responses=responses,
                used_practice=n == 0,
                follow_up=answer,
                follow_up_at=occurred + timedelta(hours=20) if answer else None,
            )
        )
    return found


def sample_summary(weeks: int = 4) -> summary.Summary:
    """The sample moments summarised as a person's 4-week (or 12-week) view."""
    rows = [{name: getattr(m, name) for name in summary.FIELDS} for m in sample_moments()]
    return summary.summarise(rows, weeks, NOW, UTC)


def _page(template_name: str, context: dict) -> str:
    body = copy_previews.render_block(template_name, context)
    return f'<article class="copy-preview-page">{body}</article>'


def moments_preview(texts: dict, sample) -> str:
    """The practice page, the entry form, consent and deleting one moment, in `texts`."""
    words = texts["moments"]
    copy = with_released_wording(texts)
    lines = [line_in(m, words["chips"]) for m in sample_moments()]
    week = [m for m, row in zip(lines, SAMPLE_MOMENTS, strict=True) if row[0] < 7]
    focus = focus_blocks(sample.data, copy)
    views = []
    if "moments_views" in texts:
        presented = summary.present(
            sample_summary(), texts["moments_views"], chart_id="practice-moments", heading_level=3
        )
        views.append(
            render_to_string(
                "moments/_summary_part.html",
                {"moments_summary": presented, "words": texts["moments_views"]},
            )
        )
    practice = {
        "words": words,
        "focus": focus,
        "week": week,
        "due": week[1:2],
        "answers": [(code, words["follow_up"][code]) for code in FOLLOW_UP_ANSWERS],
        "keep": True,
        "parts": [],
        "views": views,
        "zone": UTC,
        "owner": "",
    }
    entry = {
        "words": words,
        "chips": chip_groups(words),
        "copy_version": texts.get("version", ""),
        "client_id": uuid.UUID(int=0),
        "focus": focus[0] if focus else None,
        "focus_key": "",
        "problem": "",
        "chosen": {"when": "now"},
        "trigger_text": "",
    }
    consent = {"words": words, "form": ConsentForm(), "next": ""}
    delete = {"words": words, "moment": lines[0], "everything": False, "zone": UTC}
    return "".join(
        [
            _page("moments/practice.html", practice),
            _page("moments/log.html", entry),
            _page("moments/consent.html", consent),
            _page("moments/confirm_delete.html", delete),
            _page("moments/confirm_delete.html", {"words": words, "everything": True}),
        ]
    )


def views_preview(texts: dict, sample) -> str:
    """The views page, then the 4-week part the practice page shows."""
    words = texts["moments_views"]
    presented = summary.present(sample_summary(), words)
    context = {"words": words, "weeks": 4, "moments_summary": presented}
    part = summary.present(sample_summary(), words, chart_id="practice-moments", heading_level=3)
    compact = render_to_string(
        "moments/_summary_part.html", {"moments_summary": part, "words": words}
    )
    return _page("moments/views_page.html", context) + (
        f'<article class="copy-preview-page">{compact}</article>'
    )


def reminders_preview(texts: dict, sample) -> str:
    words = texts["moments_reminders"]
    initial = {"frequency": "weekly", "at": "19:30", "weekday": 0, "time_zone": "Europe/London"}
    context = {
        "form": ReminderForm(initial=initial, words=words),
        "words": words,
        "next_due": NOW + timedelta(days=7, hours=1, minutes=30),
        "paused": False,
    }
    return _page("moments/reminders_settings.html", context)


def register() -> None:
    # The pages' own texts do not depend on the sample (only the focus shown, a report text).
    copy_previews.register(
        ("moments",), moments_preview, label=_("Live moments pages"), per_sample=False
    )
    copy_previews.register(
        ("moments_views",), views_preview, label=_("Live moments views"), per_sample=False
    )
    copy_previews.register(
        ("moments_reminders",), reminders_preview, label=_("Reminder settings"), per_sample=False
    )
