"""The task that sends one reminder, at most once, with nothing about health in it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from twofold.lib.mail import name_for_email
from twofold.reminders import sources
from twofold.reminders.models import Reminder


def render_email(reminder: Reminder, source: sources.Source) -> EmailMessage:
    """The e-mail for ``reminder``: its source's neutral words, a greeting and one link."""
    context = {
        "name": name_for_email(reminder.user.display_name),
        "line": source.line,
        "url": settings.SITE_URL + reminder.path,
    }
    return EmailMessage(
        subject=str(source.subject),
        body=render_to_string("reminders/email_message.txt", context),
        to=[reminder.user.email],
    )


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
        user = reminder.user
        if user.in_quiet_hours(now):
            # The queue was slow and quiet hours have begun: back to the planner's list,
            # due again when they end.
            Reminder.objects.filter(pk=reminder.pk).update(
                enqueued_at=None, due_at=user.after_quiet_hours(now)
            )
            return "held for quiet hours"
        source = sources.get(reminder.kind)
        if (
            source is None
            or not user.wants_reminder(reminder.kind)
            or not source.holds(user, reminder.occasion, now)
        ):
            Reminder.objects.filter(pk=reminder.pk).update(skipped_at=now)
            return "no longer needed"
        # Claimed before sending: a crash after this point can lose a reminder, but can
        # never send it twice.
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=now)
    render_email(reminder, source).send()
    return "sent"
