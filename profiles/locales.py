"""The locale a person takes the questionnaire in (issue 16 line 4).

A locale is offered to respondents when the instrument version offers it (released and
complete: `assessments.queries.offered_locales`) and the report copy published now is released
in it (`assessments.queries.copy_locales`), so the report is in the language of the answers.
The start page defaults to the active interface language when it is offered, else English; the
choice is stored on the profile and every questionnaire page then renders that locale's texts,
with the interface in the same language, so no page of a German questionnaire carries an
English text.
"""

from contextlib import AbstractContextManager, nullcontext

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from assessments import queries as instrument_queries
from assessments.locales import LOCALE_NAMES, NOT_VALIDATED_OWN, SOURCE_LOCALE
from assessments.models import InstrumentVersion


def respondent_locales(instrument: InstrumentVersion) -> list[str]:
    """The locales a person may choose for this version, English first: offered by the
    instrument version and released in the report copy published now (no query when the
    version was read by `profiles.queries.start_state`)."""
    return instrument_queries.respondent_locales_of(instrument)


def base_language(code: str | None) -> str:
    """ "de-at" → "de", "en-gb" → "en"."""
    return (code or SOURCE_LOCALE).split("-")[0].lower()


def interface_locale() -> str:
    """The copy locale of the active interface language ("de-at" → "de", "en-gb" → "en"); a
    language relcap has no copy locale for reads as English."""
    active = base_language(translation.get_language())
    return active if active in LOCALE_NAMES else SOURCE_LOCALE


def interface_copy() -> dict:
    """The live copy for the interface text of the page being rendered, in the person's
    language (`assessments.queries.interface_copy`)."""
    return instrument_queries.interface_copy(interface_locale())


def person_locale(user_id: int) -> str:
    """The language to write to a person in when no page tells it (an e-mail sent by a
    worker): the interface language they chose in the switcher (relcap.accounts.language),
    else the locale of their newest profile, else English. One query."""
    from django.contrib.auth import get_user_model
    from django.db.models import F, OuterRef, Subquery

    from profiles.models import Profile

    newest = Profile.objects.filter(user_id=OuterRef("pk")).order_by("-created_at")
    row = (
        get_user_model()
        .objects.filter(pk=user_id)
        .annotate(
            chosen=F("language_choice__language"), newest=Subquery(newest.values("locale")[:1])
        )
        .values_list("chosen", "newest")
        .first()
    )
    for candidate in row or ():
        if candidate and base_language(candidate) in LOCALE_NAMES:
            return base_language(candidate)
    return SOURCE_LOCALE


def default_locale(offered: list[str]) -> str:
    """The active interface language when it is offered, else English."""
    active = base_language(translation.get_language())
    return active if active in offered else SOURCE_LOCALE


def in_locale(locale: str) -> AbstractContextManager:
    """The interface in `locale` for a page of a questionnaire taken in it; nothing changes
    when the active language already is that locale (English pages stay byte for byte)."""
    if base_language(translation.get_language()) == locale:
        return nullcontext()
    # English is the site's own English (en-gb: its date formats), not Django's generic "en".
    return translation.override(settings.LANGUAGE_CODE if locale == SOURCE_LOCALE else locale)


def choices(offered: list[str]) -> list[dict]:
    """Each offered locale with its name and its validation mark, both in its own language."""
    return [
        {"code": code, "name": LOCALE_NAMES[code], "not_validated": not_validated(code)}
        for code in offered
    ]


def not_validated(locale: str) -> str:
    """ASSESSMENT.md §5.5: "translation — not yet validated", in the locale's own language
    ("" for English, the source)."""
    return NOT_VALIDATED_OWN.get(locale, "")


def other_language(locale: str) -> str:
    """`locale` when the interface speaks another language (a part of the page then carries
    its own `lang`), else ""."""
    return "" if base_language(translation.get_language()) == locale else locale


# The long date of a report, its PDF and its comparison, in the locale of the snapshot (issue 16
# line 6). Spelled out here, not taken from the interface formats (relcap/formats/), so an
# English report keeps its bytes whatever the interface formats become.
REPORT_DATE_FORMATS = {SOURCE_LOCALE: "j F Y", "de": "j. F Y"}
REPORT_SHORT_DATE_FORMATS = {SOURCE_LOCALE: "j M Y", "de": "j. M Y"}


def report_date(moment, locale: str | None, *, short: bool = False) -> str:
    """`moment` as a report in `locale` writes its dates: "3 December 2026", "3. Dezember 2026"
    (short: "3 Dec 2026", "3. Dez 2026"), with the month names of the active language, which a
    report sets to its locale."""
    if moment is None:
        return ""
    forms = REPORT_SHORT_DATE_FORMATS if short else REPORT_DATE_FORMATS
    form = forms.get(base_language(locale), forms[SOURCE_LOCALE])
    return date_format(localtime(moment), form)
