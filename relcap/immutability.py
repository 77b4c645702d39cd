"""One guard for versioned and frozen rows, on the model and on every bulk queryset path.

A model opts in by inheriting `FrozenModel` and saying which stored rows are frozen
(`frozen_rows()`: a published instrument version, a released parameter set, every snapshot).
A frozen row refuses `save`, `delete`, `QuerySet.update`, `QuerySet.delete`, `bulk_update`
and an upsert (`bulk_create(update_conflicts=True)`) that would overwrite it;
`update_or_create` and `get_or_create` go through `save`. Drafts stay editable. Two narrow,
named ways through:

- `permits_change(stored)`: a transition a model allows on a frozen row, such as a published
  version becoming retired with nothing else changed.
- `erasing_personal_data()`: erasing a person's data at their request or by retention
  (ASSESSMENT.md §7.4) deletes their snapshots. Only models marked `erasable` let it through,
  and only for deletion; nothing can be changed inside it.

Django's cascades (deleting a profile deletes its snapshots) run in SQL beneath these methods,
so the privacy code deletes frozen rows explicitly, inside `erasing_personal_data()`, before
the rows that own them, and the guard never depends on how Django collects related rows.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q

_erasing: ContextVar[bool] = ContextVar("erasing_personal_data", default=False)


class ReadOnlyError(Exception):
    """Raised when code tries to change content that answers or profiles depend on."""


@contextmanager
def erasing_personal_data() -> Iterator[None]:
    """Within this block, rows of `erasable` models may be deleted (never changed)."""
    token = _erasing.set(True)
    try:
        yield
    finally:
        _erasing.reset(token)


class FrozenQuerySet(models.QuerySet):
    """Bulk paths refuse as soon as one matched row is frozen, before anything is written."""

    def update(self, **kwargs: Any) -> int:
        self._refuse_frozen("changed")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if not self.model.may_erase():
            self._refuse_frozen("deleted")
        return super().delete()

    def bulk_update(self, objs: Iterable[models.Model], fields, batch_size=None) -> int:
        objs = list(objs)
        pks = [obj.pk for obj in objs if obj.pk is not None]
        if pks and self._frozen(self.model._base_manager.using(self.db).filter(pk__in=pks)):
            raise ReadOnlyError(self.model.frozen_message("changed"))
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(
        self,
        objs: Iterable[models.Model],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Iterable[str] | None = None,
        unique_fields: Iterable[str] | None = None,
    ) -> list:
        objs = list(objs)
        self.model.check_new_rows(objs)
        if update_conflicts and objs:
            self._refuse_overwrite(objs, unique_fields or ["pk"])
        return super().bulk_create(
            objs,
            batch_size=batch_size,
            ignore_conflicts=ignore_conflicts,
            update_conflicts=update_conflicts,
            update_fields=update_fields,
            unique_fields=unique_fields,
        )

    def _refuse_overwrite(self, objs: list[models.Model], unique_fields: Iterable[str]) -> None:
        """An upsert overwrites the stored rows that share its unique fields with `objs`."""
        meta = self.model._meta
        fields = [meta.pk if name == "pk" else meta.get_field(name) for name in unique_fields]
        matches = Q()
        for obj in objs:
            matches |= Q(**{field.attname: getattr(obj, field.attname) for field in fields})
        if self._frozen(self.model._base_manager.using(self.db).filter(matches)):
            raise ReadOnlyError(self.model.frozen_message("overwritten"))

    def _refuse_frozen(self, verb: str) -> None:
        if self.query.is_sliced:  # Django refuses to update or delete a slice by itself
            return
        if self._frozen(self):
            raise ReadOnlyError(self.model.frozen_message(verb))

    def _frozen(self, rows: models.QuerySet) -> bool:
        return rows.filter(self.model.frozen_rows()).exists()


class FrozenModel(models.Model):
    """Base for versioned and write-once models; see the module docstring."""

    frozen_label: ClassVar[str] = "record"  # e.g. "published instrument version"
    frozen_hint: ClassVar[str] = ""  # what to do instead, one sentence
    erasable: ClassVar[bool] = False  # deleted with a person's data (§7.4)

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = self.stored_if_frozen()
        if stored is not None and not self.permits_change(stored):
            raise ReadOnlyError(self.frozen_message("changed"))
        if stored is None and (self.pk is None or self._state.adding):
            self.check_new_rows([self])
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if not self.may_erase() and self.stored_if_frozen() is not None:
            raise ReadOnlyError(self.frozen_message("deleted"))
        return super().delete(*args, **kwargs)

    @classmethod
    def frozen_rows(cls) -> Q:
        """Stored rows that may no longer change: every row unless a model narrows it."""
        return Q()

    @classmethod
    def frozen_message(cls, verb: str) -> str:
        return f"A {cls.frozen_label} is immutable: it cannot be {verb}. {cls.frozen_hint}".strip()

    @classmethod
    def may_erase(cls) -> bool:
        return cls.erasable and _erasing.get()

    @classmethod
    def check_new_rows(cls, objs: list["FrozenModel"]) -> None:
        """Raise ReadOnlyError if inserting `objs` would change frozen content (for example
        an item added to a published version). Every insert is allowed unless overridden."""

    def permits_change(self, stored: "FrozenModel") -> bool:
        """Whether this edit of the frozen row `stored` is an allowed transition."""
        return False

    def stored_if_frozen(self) -> "FrozenModel | None":
        """This row as stored, when it is stored and frozen; None otherwise."""
        if self.pk is None:
            return None
        rows = type(self)._base_manager.filter(self.frozen_rows(), pk=self.pk)
        return rows.first()
