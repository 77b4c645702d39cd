"""The words of live moments: the `moments` group of a report-copy version (copy-3 on).

New entries record the published copy's version; an entry is always shown in the words of the
version it names, so rewording a chip in a later copy never rewrites an old entry.
"""

from assessments.locales import SOURCE_LOCALE
from assessments.models import ReportCopyVersion
from assessments.queries import copy_texts


class NoMomentsCopy(LookupError):
    """A copy version without a `moments` group (before copy-3), or no such version."""


def texts(version: str, locale: str = SOURCE_LOCALE) -> dict:
    """The `moments` group of one copy version (cached for released versions), in `locale`
    (English unless told; `copy_texts` raises `CopyLocaleUnavailable` for a locale the copy is
    not released in)."""
    try:
        group = copy_texts(version, locale).get("moments")
    except ReportCopyVersion.DoesNotExist as missing:
        raise NoMomentsCopy(version) from missing
    if not group:
        raise NoMomentsCopy(version)
    return group


def published_version() -> str:
    return (
        ReportCopyVersion.objects.filter(status=ReportCopyVersion.Status.PUBLISHED)
        .values_list("version", flat=True)
        .get()
    )


def published_texts() -> dict:
    """The published copy's `moments` group in one query, whatever is cached."""
    texts = (
        ReportCopyVersion.objects.filter(status=ReportCopyVersion.Status.PUBLISHED)
        .values_list("texts", flat=True)
        .get()
    )
    if "moments" not in texts:
        raise NoMomentsCopy("published")
    return texts["moments"]
