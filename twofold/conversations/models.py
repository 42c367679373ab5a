"""Guided conversations ("talk together"): where a couple is in a script, nothing more.

Nothing anyone says is recorded: a talk session holds only the script, the step, whose
turn it is and the timer, so there is no free text on it at all.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from twofold.conversations import content
from twofold.couples.models import Partner
from twofold.couples.visibility import Audience, PartnerDataQuerySet, Partners


class TalkSessionQuerySet(PartnerDataQuerySet["TalkSession"]):
    def open(self) -> TalkSessionQuerySet:
        return self.filter(ended_at__isnull=True)


def other_seat(seat: str) -> str:
    return Partner.Seat.B if seat == Partner.Seat.A else Partner.Seat.A


class TalkSession(models.Model):
    """One guided conversation of a couple, followed on one or two devices."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey(
        "couples.Couple", on_delete=models.CASCADE, related_name="talk_sessions"
    )
    script_key = models.SlugField(max_length=60)
    script_version = models.CharField(max_length=40)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    step_index = models.PositiveSmallIntegerField(default=0)
    # The partner in this seat speaks during "speak" steps; the other listens, and
    # reflects during "reflect" steps.
    speaker_seat = models.CharField(max_length=1, choices=Partner.Seat.choices)
    # When the current step or turn began: the timer counts down from here.
    turn_started_at = models.DateTimeField(default=timezone.now)
    paused = models.BooleanField(default=False)
    ended_at = models.DateTimeField(null=True, blank=True)

    # Only the two partners ever open a talk (nothing is recorded in one): the care team
    # is not granted it, which is what the talk pages enforce.
    audience = Audience.of(Partners())

    objects = TalkSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["couple"],
                condition=Q(ended_at__isnull=True),
                name="one_open_talk_per_couple",
            )
        ]

    def __str__(self) -> str:
        return f"Talk {self.pk}"

    @property
    def script(self) -> content.Script | None:
        """The script as it is now (None if it has since been removed)."""
        return content.script(self.script_key)

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def step_count(self) -> int:
        script = self.script
        return len(script.steps) if script else 0

    @property
    def current_index(self) -> int:
        """The step index, kept inside the script even if the file has since shrunk."""
        return min(self.step_index, max(self.step_count - 1, 0))

    @property
    def step(self) -> content.Step | None:
        script = self.script
        return script.steps[self.current_index] if script else None

    @property
    def step_number(self) -> int:
        return self.current_index + 1

    @property
    def is_last_step(self) -> bool:
        return self.current_index >= self.step_count - 1

    @property
    def listener_seat(self) -> str:
        return other_seat(self.speaker_seat)

    def next_speaker_seat(self) -> str:
        """Who speaks at the next speak step from here.

        Turns alternate: every speak step after the first hands the word to the other
        partner, so each one speaks and each one listens.
        """
        script = self.script
        if script is None:
            return self.speaker_seat
        index = self.current_index
        spoken_before = any(s.kind == content.SPEAK for s in script.steps[: index + 1])
        return other_seat(self.speaker_seat) if spoken_before else self.speaker_seat

    def remaining_seconds(self, now: datetime | None = None) -> int:
        script = self.script
        if script is None:
            return 0
        elapsed = ((now or timezone.now()) - self.turn_started_at).total_seconds()
        return max(0, int(script.turn_seconds - elapsed))
