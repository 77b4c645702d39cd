"""The "translation — not yet validated" mark of a locale (ASSESSMENT.md §5.5), in the
locale's own language, for the report of a snapshot taken in it (issue 16 line 4)."""

from django import template

from profiles import locales

register = template.Library()


@register.filter
def not_validated(locale: str | None) -> str:
    """The mark for `locale` ("" for English and for no locale)."""
    return locales.not_validated(locale or "")


@register.filter
def report_date(moment, locale: str | None) -> str:
    """A date of the report of a snapshot taken in `locale` (issue 16 line 6)."""
    return locales.report_date(moment, locale)
