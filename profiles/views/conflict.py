"""The conflict page: this tab changed answers that were saved differently somewhere else."""

from collections.abc import Mapping, Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments import queries as instrument_queries
from assessments.models import RESPONSE_SCALE, ItemVersion
from profiles import locales, queries
from profiles.forms import RenderStamp, field_name, render_stamp
from profiles.models import Profile
from profiles.services import PageConflict

ANSWER_LABELS = dict(RESPONSE_SCALE)
NO_ANSWER = "No answer"


def answer_label(value: int | None, labels: Mapping[int, str] = ANSWER_LABELS) -> str:
    return NO_ANSWER if value is None else labels[value]


def hidden_answers(answers: Mapping[int, int | None]) -> list[tuple[str, str]]:
    return [(field_name(i), "" if v is None else str(v)) for i, v in answers.items()]


def conflict_page(
    request: HttpRequest,
    profile: Profile,
    page: int,
    items: Sequence[ItemVersion],
    stamp: RenderStamp,
    conflict: PageConflict,
    nav: str,
) -> HttpResponse:
    """409 Conflict: nothing was written. Two small forms post the page again under a fresh
    stamp of what is stored now, so a further change elsewhere is caught as well: one carries
    every answer this tab changed, the other only those that did not clash. The page's time
    is counted once, when the person chooses, from the first render (the stamp keeps it)."""
    clashing = set(conflict.clashing)
    # The statements and answer labels in the profile's locale (issue 16 line 4).
    texts = instrument_queries.texts_of_version(profile.instrument_version_id, profile.locale)
    labels = dict(texts.scale())
    rows = [
        {
            "text": texts.items[item.pk],
            "this_tab": answer_label(conflict.changes[item.pk], labels),
            "elsewhere": answer_label(conflict.stored.get(item.pk), labels),
        }
        for item in items
        if item.pk in clashing
    ]
    others = {i: v for i, v in conflict.changes.items() if i not in clashing}
    context = {
        "profile": profile,
        "page": page,
        "nav": nav,
        "rows": rows,
        "keep_this_tab": hidden_answers(conflict.changes),
        "keep_elsewhere": hidden_answers(others),
        "other_changes": len(others),
        "stamp": render_stamp(profile.public_id, page, stamp.rendered_ms, conflict.stored),
        "resume_token": queries.resume_token(profile),
    }
    with locales.in_locale(profile.locale):
        return render(request, "profiles/page_conflict.html", context, status=409)
