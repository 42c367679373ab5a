"""Clinics (tenants), their people, caseloads and the care team's own notes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.couples.visibility import Audience, PartnerDataQuerySet
from twofold.lib.fields import EncryptedTextField


class Clinic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("clinic name"), max_length=120)
    program_key = models.CharField(
        _("program for new couples"),
        max_length=60,
        default="default",
        help_text=_("Couples start on this program; a plan keeps the version it started with."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClinicMembership(models.Model):
    class Role(models.TextChoices):
        CLINICIAN = "clinician", _("clinician")
        ADMIN = "admin", _("clinic admin")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "user", "role"],
                condition=Q(ended_at__isnull=True),
                name="one_active_membership_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.clinic})"


class CareAssignment(models.Model):
    """A clinician on a couple's care team (the clinician's caseload)."""

    couple = models.ForeignKey(
        "couples.Couple", on_delete=models.CASCADE, related_name="care_assignments"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.COUPLE_RECORD

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "clinician"],
                condition=Q(ended_at__isnull=True),
                name="one_active_assignment_per_clinician",
            )
        ]

    def __str__(self) -> str:
        return f"{self.clinician} on {self.couple_id}"


class CareNote(models.Model):
    """The care team's own notes about a couple: never shown to the partners."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    audience = Audience.CARE_TEAM

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # Never the text: notes are private to the care team.
        return f"Care note {self.pk}"
