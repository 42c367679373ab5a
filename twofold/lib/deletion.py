"""``on_delete`` rules for what a person leaves behind when their account is deleted.

Django's own rules cover most cases (``CASCADE`` for a person's private rows,
``SET_NULL`` for what they wrote in a shared space). These two cover the rest:

* :class:`SetNullAndStamp` lets go of the person and marks the row as ended (a seat
  becomes "left", a caseload assignment "ended"), so the row stays as a fact of history
  and is never taken over by somebody else;
* :class:`SetNullIf` keeps the rows matching a condition (those the other person can
  already read), without the person, and deletes the rest with them (their private
  drafts).

Rows written by staff keep a snapshot of the writer's name (:func:`name_snapshot`, filled
when the row is saved), shown by :func:`written_by` once the account is gone.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext

from twofold.lib.limits import NAME


def name_snapshot(person: Any) -> str:
    """A person's name as it is now, kept on what they wrote or did (staff records)."""
    return str(person.display_name)[:NAME] if person is not None else ""


def written_by(person: Any, snapshot: str) -> str:
    """Who wrote something: their name now, or as it was if their account is gone."""
    if person is not None:
        return str(person.display_name)
    return snapshot or gettext("someone who has left")


class KeepsWriterName(models.Model):
    """A staff record that keeps the name of whoever wrote it.

    The model names its writer's foreign key in ``writer_field`` and has a
    ``<writer_field>_name`` text field, filled on save; ``writer_label`` is who wrote it,
    also after their account is gone.
    """

    writer_field: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        name_field = f"{self.writer_field}_name"
        if not getattr(self, name_field) and getattr(self, f"{self.writer_field}_id"):
            setattr(self, name_field, name_snapshot(getattr(self, self.writer_field)))
        super().save(*args, **kwargs)

    @property
    def writer_label(self) -> str:
        return written_by(
            getattr(self, self.writer_field), getattr(self, f"{self.writer_field}_name")
        )


@deconstructible(path="twofold.lib.deletion.SetNullAndStamp")
class SetNullAndStamp:
    """Set the foreign key to NULL and ``stamp`` (a date-time field) to now where empty."""

    def __init__(self, stamp: str) -> None:
        self.stamp = stamp

    def __call__(self, collector: Any, field: Any, sub_objs: Any, using: str) -> None:
        stamp_field = field.model._meta.get_field(self.stamp)
        # Updates run in the order they are added: stamp first, while the rows can still
        # be found by the person they belong to.
        collector.add_field_update(
            stamp_field, timezone.now(), sub_objs.filter(**{f"{self.stamp}__isnull": True})
        )
        collector.add_field_update(field, None, sub_objs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SetNullAndStamp) and other.stamp == self.stamp

    def __hash__(self) -> int:
        return hash(("SetNullAndStamp", self.stamp))


@deconstructible(path="twofold.lib.deletion.SetNullIf")
class SetNullIf:
    """Keep rows matching ``keep`` (field look-ups) with the key set to NULL; delete the rest."""

    def __init__(self, **keep: Any) -> None:
        self.keep = keep

    def __call__(self, collector: Any, field: Any, sub_objs: Any, using: str) -> None:
        condition = Q(**self.keep)
        collector.add_field_update(field, None, sub_objs.filter(condition))
        collector.collect(
            sub_objs.exclude(condition),
            source=field.remote_field.model,
            source_attr=field.name,
            nullable=field.null,
            fail_on_restricted=False,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SetNullIf) and other.keep == self.keep

    def __hash__(self) -> int:
        return hash(("SetNullIf", tuple(sorted(self.keep.items()))))
