"""Reminders: one row per person and occasion, so each is sent at most once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    class Kind(models.TextChoices):
        CHECKIN = "checkin", _("check-in")
        PRACTICE = "practice", _("practice")
        REVIEW = "review", _("review")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # What the reminder is about, e.g. "2026-11-30" for a check-in round: the unique key
    # that makes planning it twice harmless.
    occasion = models.CharField(max_length=80)
    path = models.CharField(max_length=200)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "occasion"], name="one_reminder_per_occasion"
            )
        ]
        indexes = [models.Index(fields=["enqueued_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.occasion}"
