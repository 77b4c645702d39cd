"""Previews of the practice texts in the report copy editor (issue 19 line 3), registered with
profiles.copy_previews in PracticeConfig.ready:

- `brief`, `openers`: the pre-session brief a practitioner reads, composed by practice.brief
  from a sample's snapshot (the sample as the newest shared profile, another sample as the one
  before it, so "change since" shows too), with the check-in shared, no display name chosen,
  a sample organisation's branding and a sample 4-week live-moments summary.
- `organisations`: the invitation page a practitioner opens to join an organisation, the
  organisation's own page with a sample practitioner, invitation and monthly counts, and its
  invitation and branding forms as after a refused post.

Everything is built in memory from unsaved model instances: no query, nothing stored.
"""

import uuid
import zlib
from datetime import date, timedelta
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from assessments import scoring
from assessments.copy_text import fill, with_released_wording
from moments import copy_previews as moments_previews
from moments import summary as moments_summary
from practice import brief
from practice.branding import Branding
from practice.models import Connection, Share
from profiles import copy_previews, copy_samples
from profiles.comparison import build_comparison
from profiles.models import Profile, ResultSnapshot

SAMPLE_ORGANISATION = Branding(name="Harbour Counselling", accent="#1f5f8b")
EARLIER_BY = timedelta(days=91)
# The earlier shared profile: every capacity less developed (so most samples show reliable
# increases, new and resolved patterns), and for that sample itself every one well developed.
EARLIER = ("all-low", "well")
JOIN_TEXTS = ("join_title", "join_intro", "join_private")


def _shared(sample, copy_version: str, at) -> tuple[Profile, ResultSnapshot]:
    profile = Profile(submitted_at=at, created_at=at, context_mode=sample.mode)
    snapshot = ResultSnapshot(
        profile=profile,
        data=sample.data,
        copy_version=copy_version,
        scoring_version=scoring.CURRENT,
    )
    return profile, snapshot


def brief_preview(texts: dict, sample) -> str:
    """The brief's body (templates/practice/_brief_body.html) for `sample` with `texts`."""
    copy = with_released_wording(texts)
    version = texts.get("version", "")
    profile, snapshot = _shared(sample, version, sample.submitted_at)
    earlier_sample = copy_samples.cached(EARLIER[sample.key == EARLIER[0]]) or sample
    earlier, earlier_snapshot = _shared(earlier_sample, version, sample.submitted_at - EARLIER_BY)
    # Each sample is shared at one of the three levels, and one in four as the first profile
    # shared (so that every level's line and "first profile" show on some sample's brief).
    spread = zlib.crc32(sample.key.encode())
    level = Connection.Level.values[spread % 3]
    connection = Connection(created_at=sample.submitted_at - EARLIER_BY, share_checkin=True)
    share = Share(connection=connection, profile=profile, level=level)
    previous, comparison = None, None
    if spread % 4:
        previous = Share(connection=connection, profile=earlier, level=level)
        comparison = build_comparison(
            earlier, profile, earlier_snapshot, snapshot, substantive=set(), copy=copy
        )
    source = brief.BriefSource(
        connection, share, snapshot, previous, earlier_snapshot if previous else None, 2
    )
    made = brief.compose(source, copy, copy, comparison)
    summary = None
    if "moments_views" in copy:
        summary = moments_summary.present(
            moments_previews.sample_summary(), copy["moments_views"], chart_id="brief-moments"
        )
    context = {
        "brief": made,
        "branding": SAMPLE_ORGANISATION,
        "moments_summary": summary,
        "connection": connection,
    }
    return render_to_string("practice/_brief_body.html", context)


def organisation_preview(texts: dict, sample) -> str:
    """The join page of an organisation invitation, the organisation's page, its invitation
    and branding forms."""
    words = texts["organisations"]
    values = {
        "organisation": SAMPLE_ORGANISATION.name,
        "practitioner": "Sam Rivera",
        "email": "sam@example.org",
    }
    join = copy_previews.render_block(
        "practice/organisation_join.html",
        {
            "texts": words,
            "branding": SAMPLE_ORGANISATION,
            "shown": {k: fill(words[k], values) for k in JOIN_TEXTS},
            "button": fill(words["join_button"], values),
            "user": _SignedIn(),
        },
    )
    until = fill(words["pending_until"], {"date": "16 December 2026"})
    organisation = copy_previews.render_block(
        "practice/organisation.html",
        {
            "organisation": SimpleNamespace(shown_name=SAMPLE_ORGANISATION.name),
            "texts": words,
            "rows": [_member_row(words)],
            "pending": [(SimpleNamespace(email="alex@example.org"), until)],
            "branding": SAMPLE_ORGANISATION,
        },
    )
    # The invitation and branding forms as after a refused post, so their problems show too.
    invite = copy_previews.render_block(
        "practice/organisation_invite.html",
        {
            "texts": words,
            "form": SimpleNamespace(nonce="", email=SimpleNamespace(value="sam@example")),
            "problem": words["invite_email_problem"],
        },
    )
    brand = copy_previews.render_block(
        "practice/organisation_branding.html",
        {
            "texts": words,
            "form": SimpleNamespace(
                display_name=SimpleNamespace(value=SAMPLE_ORGANISATION.name),
                accent=SimpleNamespace(value="yellow"),
            ),
            "display_name_help": fill(words["display_name_help"], values),
            "accent_problem": words["accent_refused"],
            "branding": SAMPLE_ORGANISATION,
        },
    )
    return "".join(
        f'<article class="copy-preview-page">{page}</article>'
        for page in (join, organisation, invite, brand)
    )


def _member_row(words: dict) -> SimpleNamespace:
    practitioner = SimpleNamespace(display_name="Sam Rivera")
    membership = SimpleNamespace(practitioner=practitioner, public_id=uuid.UUID(int=1))
    months = [
        SimpleNamespace(
            month=date(2026, 11, 1),
            invitations=words["fewer_than_5"],
            connections=words["fewer_than_5"],
            shared=words["fewer_than_5"],
        ),
    ]
    return SimpleNamespace(membership=membership, months=months)


class _SignedIn:
    is_authenticated = True


def register() -> None:
    copy_previews.register(("brief", "openers"), brief_preview, label=_("Pre-session brief"))
    copy_previews.register(
        ("organisations",),
        organisation_preview,
        label=_("Organisation invitation"),
        per_sample=False,
    )
