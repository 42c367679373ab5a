"""Reminders: one row per person and occasion, so each is sent at most once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Reminder(models.Model):
    """One e-mail to one person about one occasion, planned once and sent at most once.

    ``kind`` names the source that planned it (:mod:`twofold.reminders.sources`) and
    ``occasion`` is that source's dedupe key for the event, e.g. ``"<couple>:2026-11-30"``
    for a check-in round. The unique constraint makes planning an event twice harmless,
    from any number of schedulers: the row is inserted first, and only the process whose
    insert succeeded goes on to send it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    occasion = models.CharField(max_length=80)
    path = models.CharField(max_length=200)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set aside without sending: turned off by the person, or no longer needed.
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
