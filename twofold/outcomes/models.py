"""Questionnaires answered by each partner: the schedule, the answers, and the results.

Answers and results live in two tables on purpose, with different audiences:

* :class:`QuestionnaireResponse` holds one person's answers (sealed at rest) and the
  flags the care team's safety rules read (a risk answer such as PHQ-9 item 9, a positive
  private safety screen). Its audience has **no partner grant**: no page, fragment,
  count or e-mail built from what the partner may read can contain it.
* :class:`QuestionnaireResult` holds the score worked out from those answers (total,
  subscales, band, cut-off, or why it was withheld). The partner may read it only once
  its owner chose to share it, which the database refuses for a private safety screen
  (HARK). It has no link back to the answers, so reading a result never reaches them.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from twofold.couples.visibility import (
    Audience,
    CareWhileOwnerConsents,
    Owner,
    PartnerDataQuerySet,
    PartnerIfShared,
)
from twofold.lib.fields import EncryptedTextField
from twofold.outcomes import schedules


class OutcomeSchedule(models.Model):
    """Which questionnaires a couple is asked, and when (see :mod:`schedules`).

    Made when the couple opens; the care team can change it. It is the couple's record,
    the same for both partners, and says nothing about anybody's answers.
    """

    couple = models.OneToOneField(
        "couples.Couple", on_delete=models.CASCADE, related_name="outcome_schedule"
    )
    starts_on = models.DateField()
    program_weeks = models.PositiveSmallIntegerField(default=schedules.DEFAULT_PROGRAM_WEEKS)
    booster_weeks = models.JSONField(default=list, blank=True)
    # [{"instrument": key, "baseline": bool, "every_weeks": n, "end": bool, "boosters": bool}]
    rules = models.JSONField(default=list, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    audience = Audience.COUPLE_RECORD

    objects = PartnerDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Questionnaires from {self.starts_on}"

    @property
    def spec(self) -> schedules.Spec:
        return schedules.Spec(
            starts_on=self.starts_on,
            program_weeks=self.program_weeks,
            booster_weeks=tuple(int(week) for week in self.booster_weeks),
            rules=tuple(schedules.Rule.from_json(raw) for raw in self.rules),
        )

    def rule_for(self, instrument: str) -> schedules.Rule | None:
        return next((r for r in self.spec.rules if r.instrument == instrument), None)


class QuestionnaireResult(models.Model):
    """The score of one submitted questionnaire, stored with the definition it used.

    ``total`` is None when the score was withheld (``withheld_code`` and ``withheld``
    say why) or the instrument has no total. ``band`` is the band's label as the
    definition wrote it. ``private_safety`` results (HARK) can never be shared.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    instrument_key = models.CharField(max_length=60)
    instrument_version = models.CharField(max_length=40)
    instrument_sha256 = models.CharField(max_length=64)
    slot = models.CharField(max_length=40, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    total = models.FloatField(null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=120, blank=True)
    above_cutoff = models.BooleanField(null=True, blank=True)
    withheld_code = models.CharField(max_length=40, blank=True)
    withheld = models.CharField(max_length=300, blank=True)
    answered = models.PositiveSmallIntegerField(default=0)
    prorated = models.BooleanField(default=False)
    # The definition version the score was worked out with (the answers' own, unless the
    # result was scored again under a later edition).
    scored_with = models.CharField(max_length=40)
    private_safety = models.BooleanField(default=False)
    shared_with_partner = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)

    audience = Audience.of(
        Owner(), PartnerIfShared("shared_with_partner"), CareWhileOwnerConsents()
    )

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(private_safety=True) & Q(shared_with_partner=True)),
                name="private_safety_result_never_shared",
            ),
        ]
        indexes = [models.Index(fields=["couple", "owner", "instrument_key", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.instrument_key} result ({self.submitted_at:%Y-%m-%d})"

    @property
    def is_withheld(self) -> bool:
        return bool(self.withheld_code)


class QuestionnaireResponse(models.Model):
    """One person's answers to one questionnaire, from the first answer to submitting.

    ``submitted_at`` None: a draft, resumable from ``position`` (the item shown last).
    ``answers`` (sealed): item key -> the chosen option's ``value``; an item left out has
    no key. ``critical``: keys of items answered at or above their risk level.
    ``safety_positive``: a positive private safety screen. Both are for the person and
    their care team only, like everything in this table.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    instrument_key = models.CharField(max_length=60)
    instrument_version = models.CharField(max_length=40)
    instrument_sha256 = models.CharField(max_length=64)
    slot = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    answers = EncryptedTextField(blank=True)
    critical = models.JSONField(default=list, blank=True)
    safety_positive = models.BooleanField(default=False)
    # One way only: from the answers to their score, never from a result to its answers.
    result = models.OneToOneField(
        QuestionnaireResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audience = Audience.of(Owner(), CareWhileOwnerConsents())

    objects = PartnerDataQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "owner", "instrument_key", "slot"],
                condition=~Q(slot=""),
                name="one_response_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_key} answers ({self.started_at:%Y-%m-%d})"

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None

    @property
    def needs_follow_up(self) -> bool:
        return bool(self.critical) or self.safety_positive

    def answer_values(self) -> dict[str, str]:
        """Item key -> chosen option value (read it only from a row the viewer may see)."""
        if not self.answers:
            return {}
        loaded: Any = json.loads(self.answers)
        return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}

    def set_answer_values(self, values: dict[str, str]) -> None:
        self.answers = json.dumps(values, sort_keys=True) if values else ""
