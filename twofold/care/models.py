"""Clinics (tenants), their people, caseloads and the care team's own notes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.couples.visibility import Audience, PartnerDataQuerySet
from twofold.lib import limits
from twofold.lib.deletion import KeepsWriterName, SetNullAndStamp
from twofold.lib.fields import EncryptedTextField


class Clinic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("clinic name"), max_length=limits.NAME)
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


class CareAssignment(KeepsWriterName, models.Model):
    """A clinician on a couple's care team (the clinician's caseload)."""

    writer_field = "clinician"

    couple = models.ForeignKey(
        "couples.Couple", on_delete=models.CASCADE, related_name="care_assignments"
    )
    # A deleted clinician's assignments end and keep their name: the couple's history of
    # who was on their care team stays, and the caseload is never handed on silently.
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=SetNullAndStamp("ended_at"),
        related_name="care_assignments",
    )
    clinician_name = models.CharField(max_length=limits.NAME, blank=True, editable=False)
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
        return f"{self.writer_label} on {self.couple_id}"


class CareNote(KeepsWriterName, models.Model):
    """The care team's own notes about a couple: never shown to the partners."""

    writer_field = "author"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    # Kept when the author's account is deleted, with the name they had when writing.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=limits.NAME, blank=True, editable=False)
    text = EncryptedTextField(
        _("note"), max_length=limits.NOTE, validators=[limits.TextLimit(limits.NOTE)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    audience = Audience.CARE_TEAM

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # Never the text: notes are private to the care team.
        return f"Care note {self.pk}"
