"""Append-only records: every read and write of partner data by care staff, and every
change of the name a staff member is shown by (so a rename cannot disguise past reads)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.care.models import ClinicMembership
from twofold.couples.models import Partner
from twofold.lib.audit import What


class AppendOnlyError(Exception):
    """Audit events are never changed or deleted through the application."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Bulk updates and deletes are refused (the database refuses them too)."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be deleted")


class AppendOnly(models.Model):
    """A row that is written once and never changed or deleted, in the ORM and the database."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} cannot be deleted")


class AccessEventQuerySet(AppendOnlyQuerySet):
    def about(self, user: Any) -> AccessEventQuerySet:
        """Events about ``user``'s data while they held a seat in the couple.

        The couple's records (no subject) or their own (subject is them), and only from
        the time they joined that couple until they left it: a person never sees what was
        looked at before they were part of it or after they stopped being part of it.
        One query (the seats are an EXISTS, not a list fetched first).
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        held_seat = Partner.objects.filter(
            user=user, couple_id=OuterRef("couple_id"), joined_at__lte=OuterRef("at")
        ).filter(Q(left_at__isnull=True) | Q(left_at__gt=OuterRef("at")))
        return self.filter(Exists(held_seat)).filter(
            Q(subject_id=user.pk) | Q(subject__isnull=True)
        )

    def for_clinic_admin(self, user: Any) -> AccessEventQuerySet:
        """Events in the clinics ``user`` administers."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        clinics = ClinicMembership.objects.filter(
            user=user, role=ClinicMembership.Role.ADMIN, ended_at__isnull=True
        ).values("clinic_id")
        return self.filter(clinic_id__in=clinics)


class AccessEvent(AppendOnly, models.Model):
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
    what = models.CharField(max_length=40, choices=What.choices)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=200, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["couple", "-at"]), models.Index(fields=["clinic", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.what}"


def label_of(what: str) -> str:
    """The plain-language label of a stored ``what``; never the internal value itself."""
    try:
        return str(What(what).label)
    except ValueError:
        return str(_("something in your couple's space"))


class NameChange(AppendOnly, models.Model):
    """A staff member changed the name they are shown by: from ``old_name`` to ``new_name``.

    Events keep the name the actor had when they acted; these rows let a page say who that
    person is called now and when they changed it, so renaming an account does not hide
    (or re-attribute) what it looked at. Append-only, like the access log.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    old_name = models.CharField(max_length=120)
    new_name = models.CharField(max_length=120)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"
