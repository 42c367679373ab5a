"""Append-only record of every read and write of partner data by care staff."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Audit events are never changed or deleted through the application."""


class AccessEventQuerySet(models.QuerySet["AccessEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit events cannot be deleted")

    def about(self, user: Any) -> AccessEventQuerySet:
        """Events about ``user``'s data: their couple's records, or their own records.

        Covers every couple the person has been part of, so history survives a change.
        """
        from twofold.couples.models import Partner

        if not getattr(user, "is_authenticated", False):
            return self.none()
        couples = Partner.objects.filter(user=user).values("couple_id")
        return self.filter(
            Q(couple_id__in=couples) & (Q(subject_id=user.pk) | Q(subject__isnull=True))
        )

    def for_clinic_admin(self, user: Any) -> AccessEventQuerySet:
        """Events in the clinics ``user`` administers."""
        from twofold.care.models import ClinicMembership

        if not getattr(user, "is_authenticated", False):
            return self.none()
        clinics = ClinicMembership.objects.filter(
            user=user, role=ClinicMembership.Role.ADMIN, ended_at__isnull=True
        ).values("clinic_id")
        return self.filter(clinic_id__in=clinics)


class AccessEvent(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("viewed")
        WRITE = "write", _("changed")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # No database constraints: history must outlive the rows it mentions, and SET_NULL
    # would be an update of an append-only row.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(max_length=120)
    actor_role = models.CharField(max_length=16)
    clinic = models.ForeignKey(
        "care.Clinic", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    couple = models.ForeignKey(
        "couples.Couple",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    couple_reference = models.CharField(max_length=12, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text="whose data, when it belongs to one partner; empty for the couple's",
    )
    what = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=200, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["couple", "-at"]), models.Index(fields=["clinic", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be deleted")
