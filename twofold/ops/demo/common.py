"""What the demo's parts share: the run's tally, local times, and writing as someone.

History is written through the real actions (``twofold/*/actions.py``), each inside
``clock.moved_to(moment)`` so it lands at the moment the story says. Only rows that no
action makes (clinics, staff memberships, accounts, e-mail addresses) are created
directly.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from twofold.accounts.models import User
from twofold.audit.recording import context_for_background
from twofold.couples import actions as couple_actions
from twofold.couples.models import Invitation, hash_token
from twofold.lib.audit import AuditContext
from twofold.program.models import BoundaryAnswer

YES = BoundaryAnswer.Answer.YES.value
MAYBE = BoundaryAnswer.Answer.MAYBE.value
NOT_NOW = BoundaryAnswer.Answer.NOT_NOW.value
NO = BoundaryAnswer.Answer.NO.value


@dataclass
class DemoResult:
    couples_created: int = 0
    couples_existing: int = 0
    access_events: int = 0
    plans: int = 0
    practice_logs: int = 0
    checkins: int = 0
    named_created: list[str] = field(default_factory=list)


def staff_audit() -> AuditContext:
    """The audit context of care staff's writes made by the demo (no network address)."""
    return context_for_background()


def local_time(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time on ``day`` (the active time zone), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def accept_as(invitation: Invitation, person: User) -> Invitation:
    """``person`` accepts ``invitation`` as if from the link in their e-mail.

    The raw token lives only in that e-mail, so the demo first gives the invitation a
    token it knows (the e-mailed link then no longer opens it), then accepts through the
    real action.
    """
    raw = secrets.token_urlsafe(32)
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(raw))
    return couple_actions.accept_invitation(raw, acting_user=person)
