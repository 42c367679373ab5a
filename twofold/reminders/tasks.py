"""The task that sends one reminder, at most once, with nothing about health in it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from twofold.reminders.models import Reminder


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
        from twofold.reminders.planner import still_needed

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
