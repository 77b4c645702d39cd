"""The descriptive views of a person's own moments (PRACTICE.md §7): /moments/views/?weeks=4|12."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from moments import summary
from profiles.locales import interface_copy


@never_cache
@login_required
@require_GET
def views(request: HttpRequest) -> HttpResponse:
    """A bad or missing `weeks` shows the 4-week view: a link with a stray parameter still
    opens the page (nothing is written here)."""
    weeks = 12 if request.GET.get("weeks") == "12" else 4
    texts = interface_copy()
    words = texts["moments_views"]
    context = {
        "moments_summary": summary.presented_for(request.user.pk, weeks, timezone.now(), words),
        "words": words,
        "weeks": weeks,
        "week_choices": summary.WEEK_CHOICES,
    }
    return render(request, "moments/views_page.html", context)


def practice_page_part(request: HttpRequest) -> tuple[str, dict]:
    """The practice page's "Over the weeks" part (moments/registry.py, added in apps.py): the
    4-week summary's measures with a link to the 4- and 12-week views page."""
    words = interface_copy()["moments_views"]
    presented = summary.presented_for(
        request.user.pk, 4, timezone.now(), words, chart_id="practice-moments", heading_level=3
    )
    return "moments/_summary_part.html", {"moments_summary": presented, "words": words}
