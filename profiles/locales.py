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


def default_locale(offered: list[str]) -> str:
    """The active interface language when it is offered, else English."""
    active = base_language(translation.get_language())
    return active if active in offered else SOURCE_LOCALE


def in_locale(locale: str) -> AbstractContextManager:
    """The interface in `locale` for a page of a questionnaire taken in it; nothing changes
    when the active language already is that locale (English pages stay byte for byte)."""
    if base_language(translation.get_language()) == locale:
        return nullcontext()
    # English is the site's own English (en-gb: "23 November 2026"), not Django's "en" formats.
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
