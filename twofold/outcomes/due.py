"""Where each of a person's questionnaires stands today, read from what they may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from twofold.couples.models import Couple
from twofold.outcomes import schedules
from twofold.outcomes.catalogue import schedulable
from twofold.outcomes.models import OutcomeSchedule, QuestionnaireResponse


def own_standing(
    user: Any, couple: Couple, today: date | None = None
) -> tuple[OutcomeSchedule | None, list[schedules.Standing], dict[tuple[str, str], Any]]:
    """The couple's schedule (made when the couple opened, never by a page view), where
    each questionnaire stands for ``user`` today, and their drafts by (slot, instrument).
    Two queries; no answer is opened."""
    schedule = OutcomeSchedule.objects.visible_to(user).filter(couple=couple).first()
    if schedule is None:
        return None, [], {}
    mine = list(
        QuestionnaireResponse.objects.visible_to(user)
        .filter(couple=couple, owner_id=user.pk)
        .values("id", "instrument_key", "slot", "submitted_at", "position", "result_id")
    )
    done = {(r["slot"], r["instrument_key"]) for r in mine if r["submitted_at"] is not None}
    drafts = {(r["slot"], r["instrument_key"]): r for r in mine if r["submitted_at"] is None}
    offered = schedulable()
    standing = [
        s
        for s in schedules.states(schedule.spec, today or timezone.localdate(), done)
        if s.instrument in offered
    ]
    return schedule, standing, drafts
