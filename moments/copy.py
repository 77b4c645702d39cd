"""The words of live moments: the `moments` group of a report-copy version (copy-3 on).

New entries record the version of the copy their page was read in; an entry is always shown in
the words of the version it names, so rewording a chip in a later copy never rewrites an old
entry. Pages read the words in the person's language (issue 16): `interface_words(locale)` is
the `moments` group of `assessments.queries.interface_copy(locale)`, and an entry is shown in
its version's texts in that locale.
"""

from assessments.locales import SOURCE_LOCALE
from assessments.models import ReportCopyVersion
from assessments.queries import CopyLocaleUnavailable, copy_texts, interface_copy


class NoMomentsCopy(LookupError):
    """A copy version without a `moments` group (before copy-3), or no such version."""


def texts(version: str, locale: str = SOURCE_LOCALE) -> dict:
    """The `moments` group of one copy version in `locale` (cached for released versions). A
    version not released in `locale` gives its English: only copy-3 and later have moments,
    and the copy a locale's pages read is released in it (`interface_words`)."""
    try:
        try:
            group = copy_texts(version, locale).get("moments")
        except CopyLocaleUnavailable:
            group = copy_texts(version).get("moments")
    except ReportCopyVersion.DoesNotExist as missing:
        raise NoMomentsCopy(version) from missing
    if not group:
        raise NoMomentsCopy(version)
    return group


def interface_words(locale: str) -> tuple[str, dict]:
    """The copy version a page in `locale` reads and its `moments` group (one query, as
    `published_version` with `texts`)."""
    found = interface_copy(locale)
    if not found.get("moments"):
        raise NoMomentsCopy(found.get("version", "published"))
    return found["version"], found["moments"]


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
