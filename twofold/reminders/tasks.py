"""The task that sends one reminder, at most once, with nothing about health in it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from twofold.checkins.models import CheckIn
from twofold.couples.visibility import participants
from twofold.cycles.models import OutcomeRating
from twofold.program.models import PracticeLog
from twofold.reminders.models import Reminder


def still_needed(reminder: Reminder) -> bool:
    """False when the person already did what the reminder is about (checked at sending)."""
    if reminder.kind == Reminder.Kind.CHECKIN:
        couple_id, start = reminder.occasion.split(":")
        return reminder.user_id not in participants(
            CheckIn, reminder.user, couple_id, period_start=start
        )
    if reminder.kind == Reminder.Kind.PRACTICE:
        couple_id, monday = reminder.occasion.split(":")
        return reminder.user_id not in participants(
            PracticeLog, reminder.user, couple_id, practised_on__gte=monday
        )
    if reminder.kind == Reminder.Kind.REVIEW:
        return not OutcomeRating.objects.filter(
            Q(cycle_id=reminder.occasion) & Q(owner=reminder.user)
        ).exists()
    return True


@task()
def send_reminder(reminder_id: int) -> str:
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .select_related("user")
            .filter(pk=reminder_id, sent_at__isnull=True, skipped_at__isnull=True)
            .first()
        )
        if reminder is None:
            return "already handled"
        now = timezone.now()
        if not still_needed(reminder) or not reminder.user.reminders_enabled:
            Reminder.objects.filter(pk=reminder.pk).update(skipped_at=now)
            return "no longer needed"
        # Claimed before sending: a crash after this point can lose a reminder, but can
        # never send it twice.
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=now)
    context = {"name": reminder.user.display_name, "url": settings.SITE_URL + reminder.path}
    message = EmailMessage(
        subject=render_to_string("reminders/email_subject.txt", context).strip(),
        body=render_to_string("reminders/email_message.txt", context),
        to=[reminder.user.email],
    )
    message.send()
    return "sent"
