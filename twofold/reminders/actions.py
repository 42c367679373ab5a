"""Writes of the reminders app: a partner's gentle nudge.

Like every app's actions these take the person as ``acting_user`` and never a request.
"""

from __future__ import annotations

from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.lib import clock
from twofold.lib.errors import ActionError
from twofold.reminders import sources
from twofold.reminders.models import Reminder
from twofold.reminders.tasks import send_reminder


def nudged_today(couple: Couple, *, acting_user: User) -> bool:
    """True when ``acting_user`` has already nudged their partner today (their own day)."""
    day = sources.local_today(acting_user, clock.now())
    return Reminder.objects.filter(
        kind=sources.NUDGE.kind, occasion=sources.nudge_key(couple, acting_user, day)
    ).exists()


def nudge_partner(couple: Couple, *, acting_user: User) -> bool:
    """Send ``acting_user``'s partner a gentle nudge; False if they already did today.

    At most one a day in each direction (the unique reminder row). The e-mail goes from
    the task queue, after the partner's quiet hours; a partner who turned nudges off gets
    nothing, and the sender is told the same as if it went: their partner's choices are
    theirs alone.
    """
    partner = couple.partner_of(acting_user)
    recipient = partner.user if partner is not None else None
    if couple.seat_of(acting_user) is None or recipient is None or not couple.is_active:
        raise ActionError(_("Your partner hasn't joined yet."), "no_partner")
    now = clock.now()
    day = sources.local_today(acting_user, now)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                user=recipient,
                kind=sources.NUDGE.kind,
                occasion=sources.nudge_key(couple, acting_user, day),
                path=reverse("home"),
                due_at=recipient.after_quiet_hours(now),
                created_at=now,
                skipped_at=None if recipient.wants_reminder(sources.NUDGE.kind) else now,
            )
            if reminder.skipped_at is None and reminder.due_at <= now:
                # Outside quiet hours: straight to the queue (else the scheduler sends it
                # when they end).
                Reminder.objects.filter(pk=reminder.pk).update(enqueued_at=now)
                transaction.on_commit(partial(send_reminder.enqueue, reminder.pk))
    except IntegrityError:
        return False
    return True
