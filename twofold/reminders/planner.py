"""Work out which reminders are due, plan them once, and hand them to the task queue.

``tick(now)`` is safe to run as often as you like and from several processes: each event
is a unique (person, kind, occasion) row, inserted before anything is sent; only the
process whose insert succeeded goes on, a row is claimed before it is enqueued, and the
sending task claims it again before sending, so each one goes out at most once.
``manage.py scheduler`` runs the tick every minute (``manage.py reminders_tick`` once).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from twofold.reminders import sources
from twofold.reminders.models import Reminder
from twofold.reminders.sources import Due, Source
from twofold.reminders.tasks import send_reminder

# A reminder that could not go out for this long (a scheduler or worker down for days)
# is set aside rather than sent late.
STALE = dt.timedelta(days=2)


def _already_planned(source: Source, dues: list[Due]) -> set[tuple[Any, str]]:
    occasions = sorted({due.occasion for due in dues})
    planned: set[tuple[Any, str]] = set()
    for start in range(0, len(occasions), 500):
        planned |= set(
            Reminder.objects.filter(
                kind=source.kind, occasion__in=occasions[start : start + 500]
            ).values_list("user_id", "occasion")
        )
    return planned


def plan_one(source: Source, due: Due, now: dt.datetime) -> Reminder | None:
    """Insert the row for one event (set aside at once when the person does not want it,
    or it no longer stands); None when another process inserted it first."""
    wanted = due.user.wants_reminder(source.kind) and source.holds(due.user, due.occasion, now)
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                user=due.user,
                kind=source.kind,
                occasion=due.occasion,
                path=due.path,
                due_at=due.user.after_quiet_hours(max(due.at, now)),
                created_at=now,
                skipped_at=None if wanted else now,
            )
    except IntegrityError:  # another scheduler planned it at the same moment
        return None


def plan(now: dt.datetime) -> int:
    """Insert a row for every event that is due by now; returns how many will be sent."""
    planned = 0
    for source in sources.REGISTRY.values():
        if source.find is None:
            continue
        dues = list(source.find(now))
        if not dues:
            continue
        seen = _already_planned(source, dues)
        for due in dues:
            key = (due.user.pk, due.occasion)
            if key in seen:
                continue
            seen.add(key)
            reminder = plan_one(source, due, now)
            planned += int(reminder is not None and reminder.skipped_at is None)
    return planned


def enqueue_due(now: dt.datetime) -> int:
    """Hand reminders whose time has come (outside quiet hours) to the task queue."""
    enqueued = 0
    with transaction.atomic():
        rows = (
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(
                enqueued_at__isnull=True,
                skipped_at__isnull=True,
                sent_at__isnull=True,
                due_at__lte=now,
            )
            .select_related("user")
        )
        for reminder in rows:
            if reminder.due_at < now - STALE:
                Reminder.objects.filter(pk=reminder.pk).update(skipped_at=now)
                continue
            if reminder.user.in_quiet_hours(now):
                continue
            Reminder.objects.filter(pk=reminder.pk).update(enqueued_at=now)
            transaction.on_commit(partial(send_reminder.enqueue, reminder.pk))
            enqueued += 1
    return enqueued


def tick(now: dt.datetime | None = None) -> tuple[int, int]:
    now = now or timezone.now()
    return plan(now), enqueue_due(now)
