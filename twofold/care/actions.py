"""Writes by care staff. Each one that touches partner data is audited here."""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _

from twofold.accounts.models import User
from twofold.accounts.ratelimits import check_invitation_rate
from twofold.care.models import CareNote, Clinic
from twofold.couples.actions import send_invitation_email
from twofold.couples.models import Couple, Invitation
from twofold.lib import clock
from twofold.lib.audit import AuditContext, What
from twofold.lib.errors import ActionError


@transaction.atomic
def add_care_note(couple: Couple, text: str, *, acting_user: User, audit: AuditContext) -> CareNote:
    note = CareNote.objects.create(couple=couple, author=cast(Any, acting_user), text=text)
    audit.write(acting_user, couple, What.CARE_NOTE, object_id=note.pk)
    return note


@transaction.atomic
def invite_staff(
    clinic: Clinic, email: str, role: str, *, acting_user: User, audit: AuditContext
) -> Invitation:
    inviter: Any = acting_user
    email = email.strip().lower()
    if clinic.memberships.filter(user__email=email, role=role, ended_at__isnull=True).exists():
        raise ActionError(_("This person already has that role in your clinic."), "member")
    check_invitation_rate(inviter, email)
    clinic.invitations.pending().filter(email=email, role=role).update(revoked_at=clock.now())
    invitation, raw = Invitation.issue(email=email, role=role, clinic=clinic, invited_by=inviter)
    send_invitation_email(invitation, raw, inviter)
    return invitation
