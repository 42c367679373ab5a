"""Work out which reminders are due, plan them once, and hand them to the task queue.

``tick(now)`` is safe to run as often as you like and from several processes: a
reminder is a unique (person, kind, occasion) row, claimed before it is enqueued, and the
sending task claims it again before sending, so each one goes out at most once.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from twofold.accounts.models import User
from twofold.checkins.models import CheckInSchedule
from twofold.couples.models import Couple, CoupleStatus
from twofold.cycles.reminders import reviews_due
from twofold.program.models import Plan
from twofold.reminders.models import Reminder
from twofold.reminders.tasks import send_reminder


@dataclass(frozen=True)
class Due:
    user: Any
    kind: str
    occasion: str
    path: str
    local_day: dt.date


def _local_today(user: Any, now: dt.datetime) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()


def _due_at(user: Any, day: dt.date) -> dt.datetime:
    """The reminder hour on ``day`` in the person's own time zone, moved past quiet hours."""
    tz = zoneinfo.ZoneInfo(user.time_zone)
    moment = dt.datetime.combine(day, dt.time(settings.TWOFOLD_REMINDER_HOUR), tzinfo=tz)
    if user.in_quiet_hours(moment):
        end = dt.datetime.combine(day, user.quiet_hours_end, tzinfo=tz)
        if end <= moment:
            end += timedelta(days=1)
        moment = end
    return moment.astimezone(dt.UTC)


def _active_couples() -> Any:
    return [c for c in Couple.objects.with_status() if c.status == CoupleStatus.ACTIVE]


def checkin_reminders(now: dt.datetime) -> Iterator[Due]:
    """Two days into a round, a nudge for each partner; it is dropped at sending time
    if they have checked in by then."""
    couples = {c.pk: c for c in _active_couples()}
    schedules = CheckInSchedule.objects.filter(couple_id__in=couples)
    for schedule in schedules:
        couple = couples[schedule.couple_id]
        for seat in couple.seats():
            user = seat.user
            today = _local_today(user, now)
            current = schedule.round_for(today)
            if today < current.start + timedelta(days=2):
                continue
            yield Due(
                user,
                Reminder.Kind.CHECKIN,
                f"{couple.pk}:{current.start.isoformat()}",
                reverse("checkin_home"),
                current.start + timedelta(days=2),
            )


def practice_reminders(now: dt.datetime) -> Iterator[Due]:
    """Once a week (from Thursday), for a running plan where someone hasn't practised."""
    couples = {c.pk: c for c in _active_couples()}
    for plan in Plan.objects.filter(couple_id__in=couples, paused_at__isnull=True):
        couple = couples[plan.couple_id]
        for seat in couple.seats():
            user = seat.user
            today = _local_today(user, now)
            monday = today - timedelta(days=today.weekday())
            if today.weekday() < 3:
                continue
            yield Due(
                user,
                Reminder.Kind.PRACTICE,
                f"{couple.pk}:{monday.isoformat()}",
                reverse("program_home"),
                monday + timedelta(days=3),
            )


def review_reminders(now: dt.datetime) -> Iterator[Due]:
    """On an adjustment's review date, for each partner who hasn't looked back yet."""
    today = now.date()
    due = reviews_due(today)
    people = User.objects.in_bulk({uid for _cycle, ids in due for uid in ids})
    for cycle, user_ids in due:
        for user_id in user_ids:
            user = people[user_id]
            yield Due(
                user,
                Reminder.Kind.REVIEW,
                str(cycle.pk),
                reverse("cycle_detail", args=[cycle.pk]),
                cycle.review_on or today,
            )


SOURCES = (checkin_reminders, practice_reminders, review_reminders)


def plan(now: dt.datetime) -> int:
    """Create the reminder rows that are due by now; existing ones are left alone."""
    created = 0
    for source in SOURCES:
        for due in source(now):
            if not due.user.reminders_enabled:
                continue
            try:
                with transaction.atomic():
                    _reminder, made = Reminder.objects.get_or_create(
                        user=due.user,
                        kind=due.kind,
                        occasion=due.occasion,
                        defaults={"path": due.path, "due_at": _due_at(due.user, due.local_day)},
                    )
            except IntegrityError:  # another process planned it at the same moment
                continue
            created += int(made)
    return created


def enqueue_due(now: dt.datetime) -> int:
    """Hand reminders whose time has come (outside quiet hours) to the task queue."""
    enqueued = 0
    with transaction.atomic():
        rows = (
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(enqueued_at__isnull=True, due_at__lte=now)
            .select_related("user")
        )
        for reminder in rows:
            if reminder.user.in_quiet_hours(now):
                continue
            Reminder.objects.filter(pk=reminder.pk).update(enqueued_at=now)
            transaction.on_commit(partial(send_reminder.enqueue, reminder.pk))
            enqueued += 1
    return enqueued


def tick(now: dt.datetime | None = None) -> tuple[int, int]:
    now = now or timezone.now()
    return plan(now), enqueue_due(now)
