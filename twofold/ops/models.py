"""Records kept by Twofold's own upkeep (data migrations), not written by anybody."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.couples.visibility import Audience, Owner, PartnerDataQuerySet


class ChangeNote(models.Model):
    """A note to one person alone: Twofold changed something of theirs.

    Written by a data migration (for example when the boundaries list gained finer items
    and that person's answers were carried over). Only its owner ever sees it, and
    nothing shows the partner that the other has one. It is read once the owner acts on
    it (for the boundaries list: saves their answers again).
    """

    class Kind(models.TextChoices):
        FINER_BOUNDARIES = "finer_boundaries", _("the boundaries list has finer items")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.of(Owner())

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "owner", "kind"],
                condition=Q(read_at__isnull=True),
                name="one_unread_change_note_per_kind",
            )
        ]

    def __str__(self) -> str:
        return "Change note"
