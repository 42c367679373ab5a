"""Writes for check-ins: answering, correcting, and the cadence."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from twofold.accounts.models import User
from twofold.checkins.models import (
    Cadence,
    CheckIn,
    CheckInRevision,
    CheckInSchedule,
    Round,
    SafetyAnswer,
    monday_of,
)
from twofold.couples.models import Couple
from twofold.lib import clock
from twofold.lib.audit import AuditContext, What
from twofold.lib.errors import ActionError


def ensure_schedule(couple: Couple) -> CheckInSchedule:
    schedule, _created = CheckInSchedule.objects.get_or_create(
        couple=couple, defaults={"anchor": monday_of(clock.localdate())}
    )
    return schedule


def open_round(schedule: CheckInSchedule, start: date, today: date) -> Round:
    """The round starting on ``start`` if it is open for answers today."""
    candidate = schedule.round_for(start)
    before_the_first = candidate.start < schedule.first_day
    if candidate.start != start or before_the_first or not candidate.is_open(today):
        raise ActionError(_("This check-in is closed. The next one opens soon."), "closed")
    return candidate


@transaction.atomic
def save_checkin(
    couple: Couple,
    start: date,
    answers: dict[str, Any],
    *,
    acting_user: User,
    felt_safe: int | None = None,
) -> CheckIn:
    """Answer (or correct, while the round is open) one's own check-in.

    ``felt_safe`` (the private safety item) goes to the person's own SafetyAnswer. A
    correction of it alone leaves the check-in row untouched, so nothing the partner
    can see (not even when the answers were last changed) moves with it.
    """
    schedule = ensure_schedule(couple)
    today = clock.localdate()
    current = open_round(schedule, start, today)
    now = clock.now()
    existing = (
        CheckIn.objects.select_for_update()
        .filter(couple=couple, owner=acting_user, period_start=current.start)
        .first()
    )
    if existing is None:
        checkin = CheckIn.objects.create(
            couple=couple,
            owner=acting_user,
            period_start=current.start,
            late=current.is_late(today),
            submitted_at=now,
            updated_at=now,
            **answers,
        )
    else:
        checkin = existing
        before = existing.answers() | {"private_items": existing.private_items}
        if any(before[key] != value for key, value in answers.items()):
            CheckInRevision.objects.create(
                checkin=existing,
                couple=couple,
                owner=acting_user,
                answers=json.dumps(before),
            )
            for key, value in answers.items():
                setattr(existing, key, value)
            existing.updated_at = now
            existing.save()
    _save_safety(checkin, felt_safe, now)
    return checkin


def _save_safety(checkin: CheckIn, felt_safe: int | None, now: Any) -> None:
    answer = SafetyAnswer.objects.select_for_update().filter(checkin=checkin).first()
    if answer is None:
        if felt_safe is not None:
            SafetyAnswer.objects.create(
                checkin=checkin,
                couple_id=checkin.couple_id,
                owner_id=checkin.owner_id,
                period_start=checkin.period_start,
                felt_safe=felt_safe,
                updated_at=now,
            )
        return
    if answer.felt_safe == felt_safe:
        return
    if answer.felt_safe is not None:
        answer.earlier = [*answer.earlier, [answer.updated_at.isoformat(), answer.felt_safe]]
    answer.felt_safe, answer.updated_at = felt_safe, now
    answer.save(update_fields=["felt_safe", "updated_at", "earlier"])


@transaction.atomic
def propose_cadence(couple: Couple, cadence: str, *, acting_user: User) -> bool:
    """A partner proposes a cadence; it applies when the other agrees. Returns True
    when the cadence changed now (both agreed)."""
    if cadence not in Cadence.values:
        raise ActionError(_("Please choose how often."))
    schedule = CheckInSchedule.objects.select_for_update().get(pk=ensure_schedule(couple).pk)
    if schedule.cadence == cadence:
        schedule.proposed_cadence, schedule.proposed_by = "", None
        schedule.save(update_fields=["proposed_cadence", "proposed_by"])
        return False
    if schedule.proposed_cadence == cadence and schedule.proposed_by_id not in (
        None,
        acting_user.pk,
    ):
        _apply(schedule, cadence, acting_user)
        return True
    schedule.proposed_cadence, schedule.proposed_by = cadence, acting_user
    schedule.save(update_fields=["proposed_cadence", "proposed_by"])
    return False


@transaction.atomic
def decline_cadence(couple: Couple, *, acting_user: User) -> None:
    schedule = CheckInSchedule.objects.select_for_update().get(pk=ensure_schedule(couple).pk)
    if schedule.proposed_by_id in (None, acting_user.pk):
        raise ActionError(_("There is no suggestion from your partner to answer."))
    schedule.proposed_cadence, schedule.proposed_by = "", None
    schedule.save(update_fields=["proposed_cadence", "proposed_by"])


@transaction.atomic
def set_cadence_by_care_team(
    couple: Couple, cadence: str, *, acting_user: User, audit: AuditContext
) -> None:
    if cadence not in Cadence.values:
        raise ActionError(_("Please choose how often."))
    schedule = CheckInSchedule.objects.select_for_update().get(pk=ensure_schedule(couple).pk)
    _apply(schedule, cadence, acting_user)
    audit.write(acting_user, couple, What.CHECKIN_CADENCE)


def _apply(schedule: CheckInSchedule, cadence: str, by: Any) -> None:
    """The new cadence starts when today's round ends: rounds already opened keep their
    dates, so a closed round never opens again and no answer changes round."""
    schedule.change_cadence(cadence, clock.localdate())
    schedule.changed_by, schedule.changed_at = by, clock.now()
    schedule.proposed_cadence, schedule.proposed_by = "", None
    schedule.save()
