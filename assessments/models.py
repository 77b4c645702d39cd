"""Instrument versions and their item versions: the questionnaire as versioned, immutable data."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from assessments.locales import LOCALE_NAMES, SOURCE_LOCALE, TARGET_LOCALES
from relcap.immutability import FrozenModel, FrozenQuerySet, ReadOnlyError


class Dimension(models.TextChoices):
    MEN = "MEN", "Mentalizing"
    EMP = "EMP", "Embodied empathy"
    REG = "REG", "Regulation"
    TRU = "TRU", "Trust"
    REP = "REP", "Repair"
    BON = "BON", "Bonding"


class Context(models.TextChoices):
    CLOSE = "C", "Close relationships"
    WORK = "W", "Work"


class ItemKind(models.TextChoices):
    SCORED = "scored", "Scored item"
    QC = "qc", "Quality check"
    WB = "wb", "Well-being check"


class Change(models.TextChoices):
    NEW = "new", "New item"
    UNCHANGED = "unchanged", "Unchanged"
    WORDING = "wording", "Wording-equivalent edit"
    SUBSTANTIVE = "substantive", "Substantive change"


# ASSESSMENT.md §2.1: seven points, every point labelled, stored as 1-7; skipping stores null.
RESPONSE_SCALE = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Slightly disagree"),
    (4, "Neither agree nor disagree"),
    (5, "Slightly agree"),
    (6, "Agree"),
    (7, "Strongly agree"),
)
PAGE_INSTRUCTION = "Think about the last three months. There are no right or wrong answers."


class InstrumentVersionQuerySet(FrozenQuerySet):
    def published(self) -> "InstrumentVersionQuerySet":
        return self.filter(status=InstrumentVersion.Status.PUBLISHED)


class InstrumentVersion(FrozenModel):
    """A version of the questionnaire; published and retired versions are frozen (§5.4)."""

    frozen_label = "published or retired instrument version"
    frozen_hint = "Make a new draft from it to change anything."

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    version = models.CharField(max_length=20, unique=True, help_text="For example 1.1 or 2.0.")
    title = models.CharField(max_length=120, default="Relational Capacity Profile (RCP-72)")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derived_versions"
    )
    notes = models.TextField(blank=True, help_text="What changed in this version and why.")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = InstrumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="published"), name="one_published_instrument"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_instrument_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="retired") | Q(retired_at__isnull=False),
                name="retired_instrument_has_date",
            ),
        ]
        permissions = [("view_statistics", "Can view item statistics and export responses")]

    def __str__(self) -> str:
        return f"{self.title} {self.version} ({self.get_status_display().lower()})"

    @classmethod
    def frozen_rows(cls) -> Q:
        return ~Q(status=cls.Status.DRAFT)

    def permits_change(self, stored: "InstrumentVersion") -> bool:
        return _is_retirement(stored, self)

    def get_absolute_url(self) -> str:
        return reverse("admin:assessments_instrumentversion_change", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


def _is_retirement(stored: InstrumentVersion, new: InstrumentVersion) -> bool:
    """The only edit a published version allows: becoming retired, with nothing else changed."""
    if stored.status != InstrumentVersion.Status.PUBLISHED:
        return False
    if new.status != InstrumentVersion.Status.RETIRED or new.retired_at is None:
        return False
    fields = ("version", "title", "based_on_id", "notes", "published_at")
    return all(getattr(stored, f) == getattr(new, f) for f in fields)


class ItemVersion(FrozenModel):
    """One statement as it appears in one instrument version (ASSESSMENT.md §5.4); frozen
    once its version is published or any answer refers to it."""

    frozen_label = "statement of a published version or with answers"
    frozen_hint = "Edit it in a new draft instead."

    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(max_length=20, help_text="Stable code, for example REG1-W3.")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=ItemKind.choices, default=ItemKind.SCORED)
    dimension = models.CharField(max_length=3, choices=Dimension.choices, blank=True)
    facet = models.PositiveSmallIntegerField(null=True, blank=True, choices=[(1, "1"), (2, "2")])
    context = models.CharField(max_length=1, choices=Context.choices, blank=True)
    reverse = models.BooleanField("reverse-keyed", default=False)
    page = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(help_text="Order across the whole questionnaire.")
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derivatives"
    )
    change = models.CharField(max_length=12, choices=Change.choices, default=Change.NEW)

    class Meta:
        ordering = ["instrument_version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument_version", "code"], name="item_code_unique_in_version"
            ),
            models.UniqueConstraint(
                fields=["instrument_version", "position"], name="item_position_unique_in_version"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="scored", facet__in=[1, 2], context__in=["C", "W"]) & ~Q(dimension="")
                )
                | (
                    ~Q(kind="scored")
                    & Q(dimension="", facet__isnull=True, context="", reverse=False)
                ),
                name="item_scored_fields_consistent",
            ),
            models.CheckConstraint(condition=Q(page__gte=1), name="item_page_positive"),
            models.CheckConstraint(condition=Q(position__gte=1), name="item_position_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @classmethod
    def frozen_rows(cls) -> Q:
        return Q(answers__isnull=False) | ~Q(
            instrument_version__status=InstrumentVersion.Status.DRAFT
        )

    @classmethod
    def check_new_rows(cls, objs: list["ItemVersion"]) -> None:
        """A statement is added only to a draft: a published version keeps exactly its items."""
        cached = [o.instrument_version for o in objs if cls.instrument_version.is_cached(o)]
        others = {o.instrument_version_id for o in objs if not cls.instrument_version.is_cached(o)}
        published = InstrumentVersion.objects.filter(pk__in=others).exclude(
            status=InstrumentVersion.Status.DRAFT
        )
        if any(not v.is_draft for v in cached) or (others and published.exists()):
            raise ReadOnlyError("A statement can only be added to a draft version.")

    @property
    def is_locked(self) -> bool:
        """Locked when answers depend on it or its instrument version is no longer a draft."""
        if self.pk is None:
            return not self.instrument_version.is_draft
        return self.stored_if_frozen() is not None


def _refuse_unless_draft(objs, label: str) -> None:
    """Rows that belong to an instrument version are added only while it is a draft."""
    field = objs[0].__class__.instrument_version if objs else None
    if field is None:
        return
    cached = [o.instrument_version for o in objs if field.is_cached(o)]
    others = {o.instrument_version_id for o in objs if not field.is_cached(o)}
    published = InstrumentVersion.objects.filter(pk__in=others).exclude(
        status=InstrumentVersion.Status.DRAFT
    )
    if any(not v.is_draft for v in cached) or (others and published.exists()):
        raise ReadOnlyError(f"A {label} can only be added to a draft version.")


class InstrumentText(FrozenModel):
    """A text the respondent reads in the questionnaire that is not a statement (issue 16 line
    2): the context-mode question, the consent notice, the page instruction and the response
    labels, keyed as in `assessments.locales.INSTRUMENT_TEXT_KEYS`. The English source of one
    instrument version, frozen with it exactly like its statements (§5.4)."""

    frozen_label = "text of a published or retired instrument version"
    frozen_hint = "Edit it in a new draft instead."

    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="texts"
    )
    key = models.CharField(max_length=40)
    text = models.TextField()

    class Meta:
        ordering = ["instrument_version", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument_version", "key"], name="instrument_text_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"

    @classmethod
    def frozen_rows(cls) -> Q:
        return ~Q(instrument_version__status=InstrumentVersion.Status.DRAFT)

    @classmethod
    def check_new_rows(cls, objs: list["InstrumentText"]) -> None:
        _refuse_unless_draft(objs, "questionnaire text")


LOCALE_CHOICES = list(TARGET_LOCALES.items())


class LocaleRelease(FrozenModel):
    """The decision to offer a locale of a published instrument version to respondents
    (issue 16 line 2): made only when every text of the version is approved and current in
    it (services.release_locale), and never changed afterwards. Once released, the locale's
    translations of that version are frozen like the version's English texts."""

    frozen_label = "locale release"
    frozen_hint = "Respondents may have answered in it; translate a new draft instead."

    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="locale_releases"
    )
    locale = models.CharField(max_length=10, choices=LOCALE_CHOICES)
    released_at = models.DateTimeField()
    # As in the staff access log: the account link goes if the account is deleted, the name
    # stays, so the record of who decided survives (and never blocks deleting an account).
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["instrument_version", "locale"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument_version", "locale"], name="one_release_per_locale"
            ),
        ]
        permissions = [("release_locale", "Can offer a translated locale to respondents")]

    def __str__(self) -> str:
        return f"{self.locale} of instrument {self.instrument_version_id}"


class TranslationQuerySet(FrozenQuerySet):
    def approved(self) -> "TranslationQuerySet":
        return self.filter(status=Translation.Status.APPROVED)


class Translation(FrozenModel):
    """One locale's wording of one source text of an instrument version: a statement
    (`item`) or another questionnaire text (`instrument_text`). New, reviewed content: it
    never changes the English it was made from, and records that English's fingerprint
    (`assessments.locales.fingerprint`), so it is *out of date* as soon as the source's
    fingerprint differs (a reworded statement in a draft).

    A draft is edited freely. Approving freezes the text: an approved row never changes; a
    better wording is a new draft whose approval marks the old row `superseded` (the only
    change an approved row allows, and only while its locale is not released for the
    version). Once a locale is released for a version, its rows are frozen for good."""

    frozen_label = "approved translation"
    frozen_hint = "Write a new draft and approve it instead."

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="translations"
    )
    locale = models.CharField(max_length=10, choices=LOCALE_CHOICES)
    # Deleted with their source, which only a draft allows (its rows are never frozen).
    item = models.ForeignKey(
        ItemVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="translations"
    )
    instrument_text = models.ForeignKey(
        InstrumentText,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translations",
    )
    text = models.TextField()
    source_fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the English text this was translated from."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    # Accounts are linked with SET_NULL and their names kept (see LocaleRelease.released_by).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_name = models.CharField(
        max_length=150, blank=True, help_text="Empty for a translation shipped with relcap."
    )
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derivatives"
    )
    note = models.CharField(max_length=200, blank=True, help_text="Where it came from.")

    objects = TranslationQuerySet.as_manager()

    class Meta:
        ordering = ["instrument_version", "locale", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False, instrument_text__isnull=True)
                | Q(item__isnull=True, instrument_text__isnull=False),
                name="translation_has_one_source",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False),
                name="approved_translation_has_date",
            ),
            models.UniqueConstraint(
                fields=["item", "locale", "status"],
                condition=Q(status__in=["draft", "approved"]),
                name="one_current_item_translation",
            ),
            models.UniqueConstraint(
                fields=["instrument_text", "locale", "status"],
                condition=Q(status__in=["draft", "approved"]),
                name="one_current_text_translation",
            ),
        ]
        indexes = [models.Index(fields=["instrument_version", "locale", "status"])]
        permissions = [("approve_translation", "Can approve a translation")]

    def __str__(self) -> str:
        return f"{self.locale}: {self.text[:60]}"

    @property
    def source(self) -> "ItemVersion | InstrumentText":
        return self.item if self.item_id is not None else self.instrument_text

    @classmethod
    def frozen_rows(cls) -> Q:
        """Reviewed rows of a published or retired version, and every row of a released
        locale. A draft version's translations follow its statements: editable, and deleted
        with them (services keep an approved text unchanged there too)."""
        released = LocaleRelease.objects.filter(
            instrument_version=OuterRef("instrument_version"), locale=OuterRef("locale")
        )
        reviewed = ~Q(status=cls.Status.DRAFT) & ~Q(
            instrument_version__status=InstrumentVersion.Status.DRAFT
        )
        return reviewed | Q(Exists(released))

    @classmethod
    def check_new_rows(cls, objs: list["Translation"]) -> None:
        """No new translation for a locale already released for its version."""
        pairs = {(o.instrument_version_id, o.locale) for o in objs}
        released = Q(pk__in=[])
        for version_id, locale in pairs:
            released |= Q(instrument_version_id=version_id, locale=locale)
        if pairs and LocaleRelease.objects.filter(released).exists():
            raise ReadOnlyError(
                "This locale is released for the version: its translations are frozen."
            )

    def permits_change(self, stored: "Translation") -> bool:
        """An approved translation of an unreleased locale may become superseded, with
        nothing else changed."""
        fields = (
            "instrument_version_id", "locale", "item_id", "instrument_text_id", "text",
            "source_fingerprint", "approved_at", "approved_by_id", "approved_by_name",
            "derived_from_id",
        )  # fmt: skip
        return (
            stored.status == self.Status.APPROVED
            and self.status == self.Status.SUPERSEDED
            and all(getattr(stored, f) == getattr(self, f) for f in fields)
            and not LocaleRelease.objects.filter(
                instrument_version_id=stored.instrument_version_id, locale=stored.locale
            ).exists()
        )


class ReportCopyVersion(FrozenModel):
    """A versioned set of every text the report shows (ASSESSMENT.md §5.4, report copy).

    Like instrument versions: drafts are edited, a published or retired set never changes, and
    each result snapshot names the copy version its report renders with.
    """

    frozen_label = "published or retired report copy"
    frozen_hint = "Make a new draft from it to change a text."

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    version = models.CharField(max_length=20, unique=True, help_text="For example copy-2.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derived_versions"
    )
    texts = models.JSONField(help_text="Every report text, keyed as in report_copy_1.json.")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="published"), name="one_published_copy"
            ),
        ]

    def __str__(self) -> str:
        return f"Report copy {self.version} ({self.get_status_display().lower()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @classmethod
    def frozen_rows(cls) -> Q:
        return ~Q(status=cls.Status.DRAFT)

    def permits_change(self, stored: "ReportCopyVersion") -> bool:
        """Retiring a published copy, with nothing else changed."""
        fields = ("version", "texts", "based_on_id", "published_at")
        return (
            stored.status == self.Status.PUBLISHED
            and self.status == self.Status.RETIRED
            and all(getattr(stored, f) == getattr(self, f) for f in fields)
        )


class SupportResource(models.Model):
    """A help line or service listed on the support page (ASSESSMENT.md §7.3); admin-edited."""

    name = models.CharField(max_length=120)
    region = models.CharField(max_length=80, blank=True, help_text="Where it helps, e.g. UK.")
    description = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    is_emergency = models.BooleanField(
        "emergency line",
        default=False,
        help_text="Shown beside the emergency sentence at the top of the support page.",
    )
    is_worldwide = models.BooleanField(
        "worldwide",
        default=False,
        help_text=(
            "Correct wherever the person is (the shipped defaults). Add at least one "
            "resource for the region you serve as well: the admin warns until one exists."
        ),
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            'Name, region and description in another language, by its code: {"de": {"name": '
            '"…", "region": "…", "description": "…"}}. Give every field that is filled in above; '
            "without them the support page in that language shows this one in English, marked "
            "as English."
        ),
    )

    TRANSLATED_FIELDS = ("name", "region", "description")

    class Meta:
        ordering = ["-is_emergency", "order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.region})" if self.region else self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        problems = []
        if not isinstance(self.translations, dict):
            raise ValidationError({"translations": "Give an object of languages."})
        for locale, fields in self.translations.items():
            if locale not in TARGET_LOCALES:
                problems.append(f"{locale!r} is not one of {', '.join(TARGET_LOCALES)}.")
            elif not isinstance(fields, dict) or set(fields) - set(self.TRANSLATED_FIELDS):
                problems.append(f"{locale}: only {', '.join(self.TRANSLATED_FIELDS)}.")
            elif not all(isinstance(value, str) for value in fields.values()):
                problems.append(f"{locale}: every field is text.")
        if problems:
            raise ValidationError({"translations": problems})

    def translated(self, locale: str) -> dict[str, str] | None:
        """The name, region and description in `locale`, or None when `locale` is not English
        and a field filled in here has no translation in it (never half one, half the other)."""
        if locale == SOURCE_LOCALE:
            return {field: getattr(self, field) for field in self.TRANSLATED_FIELDS}
        given = self.translations.get(locale) if isinstance(self.translations, dict) else None
        if not isinstance(given, dict):
            return None
        texts = {}
        for field in self.TRANSLATED_FIELDS:
            if getattr(self, field) and not str(given.get(field) or "").strip():
                return None
            texts[field] = str(given.get(field) or "")
        return texts


class ReliabilityParameterSetQuerySet(FrozenQuerySet):
    def released(self) -> "ReliabilityParameterSetQuerySet":
        return self.filter(released_at__isnull=False)


class ReliabilityParameterSet(FrozenModel):
    """SD and reliability r per dimension for the reliable-change index (ASSESSMENT.md §6).

    `values` maps each dimension code to {"sd": "15", "r": "0.80"} (decimal strings). P0 is
    the default for every instrument version; later sets (P1, P2 …) belong to one version.
    A released set never changes, because saved comparisons name the set they used.
    """

    frozen_label = "released reliability parameter set"
    frozen_hint = "Comparisons name the set they used; release a new one instead."

    class Source(models.TextChoices):
        DEFAULT = "default", "Default (P0)"
        ALPHA = "alpha", "Cronbach's alpha"
        TEST_RETEST = "test-retest", "Test–retest correlation"

    name = models.CharField(max_length=20, unique=True, help_text="P0, P1, P2 …")
    instrument_version = models.ForeignKey(
        InstrumentVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reliability_parameter_sets",
    )
    # Issue 16 line 4: a set is computed from one locale's sample and applies to profiles
    # taken in that locale only (a translation is a new instrument until validated, §5.5).
    # P0, the default for every version, is the default for every locale too.
    locale = models.CharField(
        max_length=10,
        default=SOURCE_LOCALE,
        choices=[(SOURCE_LOCALE, LOCALE_NAMES[SOURCE_LOCALE]), *TARGET_LOCALES.items()],
        help_text="The locale whose respondents the set was computed from and applies to.",
    )
    values = models.JSONField(help_text='Per dimension: {"sd": "14.20", "r": "0.8312"}.')
    n = models.PositiveIntegerField(null=True, blank=True, help_text="Sample size behind it.")
    source = models.CharField(max_length=12, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    objects = ReliabilityParameterSetQuerySet.as_manager()

    class Meta:
        ordering = ["-released_at", "-pk"]

    def __str__(self) -> str:
        if not self.instrument_version_id:
            return f"Reliability parameters {self.name} (any version)"
        return (
            f"Reliability parameters {self.name} ({self.instrument_version.version}, {self.locale})"
        )

    @classmethod
    def frozen_rows(cls) -> Q:
        return Q(released_at__isnull=False)

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


# ------------------------------------------------------------------- report copy per locale
# Issue 16 line 3: report copy per locale under the rules of the instrument's translations
# (docs/translation.md, "Report copy per locale").
class CopyLocaleRelease(FrozenModel):
    """The decision that reports pinned to a copy version may be read in a locale: made only
    when every text of the copy is approved and current in it
    (services.release_copy_locale), never changed afterwards. From then on the locale's texts
    of that copy version are frozen like its English texts."""

    frozen_label = "released locale of a report copy"
    frozen_hint = "Reports may have been read in it; translate a new copy draft instead."

    copy_version = models.ForeignKey(
        ReportCopyVersion, on_delete=models.PROTECT, related_name="locale_releases"
    )
    locale = models.CharField(max_length=10, choices=LOCALE_CHOICES)
    released_at = models.DateTimeField()
    # Accounts are linked with SET_NULL and their names kept (see LocaleRelease.released_by).
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["copy_version", "locale"]
        constraints = [
            models.UniqueConstraint(
                fields=["copy_version", "locale"], name="one_release_per_copy_locale"
            ),
        ]
        permissions = [("release_copy_locale", "Can release a translated locale of report copy")]

    def __str__(self) -> str:
        return f"{self.locale} of report copy {self.copy_version_id}"


class CopyTranslationQuerySet(FrozenQuerySet):
    def approved(self) -> "CopyTranslationQuerySet":
        return self.filter(status=CopyTranslation.Status.APPROVED)


class CopyTranslation(FrozenModel):
    """One locale's wording of one text of a report-copy version, named by the text's dotted
    key (`patterns.EMP-COLD.meaning`, `assessments.copy_edit.dotted`). Like `Translation`: it
    records the fingerprint of the English text it was made from, so it is *out of date* once
    that English differs (a reworded text in a later copy draft); a draft is edited freely,
    an approved text of a published or retired copy never changes (a better wording is a new
    draft; approving it marks the old row superseded, only while the locale is unreleased),
    and every row of a released locale is frozen for good."""

    frozen_label = "approved translation of report copy"
    frozen_hint = "Write a new draft and approve it instead."

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    # A copy version is deleted only while it is a draft, whose translations are never
    # frozen (a release needs a published or retired copy), so they go with it.
    copy_version = models.ForeignKey(
        ReportCopyVersion, on_delete=models.CASCADE, related_name="translations"
    )
    locale = models.CharField(max_length=10, choices=LOCALE_CHOICES)
    key = models.CharField(max_length=300, help_text="The text's dotted key in the copy.")
    text = models.TextField()
    source_fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the English text this was translated from."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_name = models.CharField(
        max_length=150, blank=True, help_text="Empty for a translation shipped with relcap."
    )
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derivatives"
    )
    note = models.CharField(max_length=200, blank=True, help_text="Where it came from.")

    objects = CopyTranslationQuerySet.as_manager()

    class Meta:
        ordering = ["copy_version", "locale", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False),
                name="approved_copy_translation_has_date",
            ),
            models.UniqueConstraint(
                fields=["copy_version", "locale", "key", "status"],
                condition=Q(status__in=["draft", "approved"]),
                name="one_current_copy_translation",
            ),
        ]
        indexes = [models.Index(fields=["copy_version", "locale", "status"])]
        permissions = [("approve_copytranslation", "Can approve a translation of report copy")]

    def __str__(self) -> str:
        return f"{self.locale} {self.key}: {self.text[:60]}"

    @classmethod
    def frozen_rows(cls) -> Q:
        """Reviewed rows of a published or retired copy, and every row of a released locale."""
        released = CopyLocaleRelease.objects.filter(
            copy_version=OuterRef("copy_version"), locale=OuterRef("locale")
        )
        reviewed = ~Q(status=cls.Status.DRAFT) & ~Q(
            copy_version__status=ReportCopyVersion.Status.DRAFT
        )
        return reviewed | Q(Exists(released))

    @classmethod
    def check_new_rows(cls, objs: list["CopyTranslation"]) -> None:
        """No new translation for a locale already released for its copy version."""
        pairs = {(o.copy_version_id, o.locale) for o in objs}
        released = Q(pk__in=[])
        for version_id, locale in pairs:
            released |= Q(copy_version_id=version_id, locale=locale)
        if pairs and CopyLocaleRelease.objects.filter(released).exists():
            raise ReadOnlyError(
                "This locale is released for the report copy: its translations are frozen."
            )

    def permits_change(self, stored: "CopyTranslation") -> bool:
        """An approved text of an unreleased locale may become superseded, nothing else."""
        fields = (
            "copy_version_id", "locale", "key", "text", "source_fingerprint", "approved_at",
            "approved_by_id", "approved_by_name", "derived_from_id", "note",
        )  # fmt: skip
        return (
            stored.status == self.Status.APPROVED
            and self.status == self.Status.SUPERSEDED
            and all(getattr(stored, f) == getattr(self, f) for f in fields)
            and not CopyLocaleRelease.objects.filter(
                copy_version_id=stored.copy_version_id, locale=stored.locale
            ).exists()
        )
