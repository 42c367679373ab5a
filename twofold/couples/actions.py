"""Writes for couples, invitations and consent. Side effects (e-mail, audit) live here."""

from __future__ import annotations

from typing import Any, cast

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twofold.care.models import CareAssignment, ClinicMembership
from twofold.couples import consent_texts
from twofold.couples.models import Consent, Couple, Invitation, Partner, hash_token
from twofold.couples.roles import forget_roles
from twofold.lib import audit
from twofold.lib.errors import ActionError
from twofold.lib.mail import queue_email


def send_invitation_email(invitation: Invitation, raw_token: str, inviter: Any) -> None:
    context = {
        "inviter_name": str(inviter) if inviter else "Twofold",
        "accept_url": settings.SITE_URL + reverse("invitation_detail", args=[raw_token]),
        "expires_on": timezone.localdate(invitation.expires_at),
        "role": invitation.role,
    }
    subject = render_to_string("front/emails/invitation_subject.txt", context).strip()
    body = render_to_string("front/emails/invitation_message.txt", context)
    queue_email(EmailMessage(subject=subject, body=body, to=[invitation.email]))


def _active_partner(user: Any) -> Partner | None:
    return Partner.objects.filter(user=user, left_at__isnull=True).first()


@transaction.atomic
def start_couple(user: Any) -> Couple:
    """A partner starts on their own (self-guided) and can invite the other later."""
    if _active_partner(user):
        raise ActionError(_("You're already part of a couple on Twofold."), "already_partner")
    couple = Couple.objects.create(mode=Couple.Mode.SELF, created_by=user)
    Partner.objects.create(couple=couple, user=user, seat=Partner.Seat.A)
    forget_roles(user)
    return couple


@transaction.atomic
def invite_partner(inviter: Any, couple: Couple, email: str) -> Invitation:
    """Invite the other partner by e-mail; a new invitation replaces a waiting one."""
    email = email.strip().lower()
    if couple.seat_of(inviter) is None:
        raise ActionError(_("Only a partner in this couple can invite the other."), "not_partner")
    if couple.both_joined:
        raise ActionError(_("Both of you have already joined."), "full")
    if email == inviter.email.lower():
        raise ActionError(
            _("That's your own e-mail address. Please enter your partner's."), "own_email"
        )
    couple.invitations.pending().filter(role=Invitation.Role.PARTNER).update(
        revoked_at=timezone.now()
    )
    invitation, raw = Invitation.issue(
        email=email, role=Invitation.Role.PARTNER, couple=couple, invited_by=inviter
    )
    send_invitation_email(invitation, raw, inviter)
    return invitation


@transaction.atomic
def invite_couple(request: HttpRequest, clinic: Any, partners: list[tuple[str, str]]) -> Couple:
    """A clinician creates a guided couple on their caseload and invites both partners."""

    clinician: Any = request.user
    emails = [email.strip().lower() for _name, email in partners]
    if len(set(emails)) != len(emails):
        raise ActionError(_("The two partners need different e-mail addresses."), "same_email")
    couple = Couple.objects.create(mode=Couple.Mode.GUIDED, clinic=clinic, created_by=clinician)
    CareAssignment.objects.create(couple=couple, clinician=clinician)
    for (name, _email), email in zip(partners, emails, strict=True):
        invitation, raw = Invitation.issue(
            email=email,
            role=Invitation.Role.PARTNER,
            couple=couple,
            invited_by=clinician,
            display_name=name.strip(),
        )
        send_invitation_email(invitation, raw, clinician)
    audit.record_write(request, couple, "couple.created")
    return couple


@transaction.atomic
def revoke_invitation(request: HttpRequest, invitation: Invitation) -> None:
    if not invitation.is_pending:
        raise ActionError(
            _("This invitation is no longer waiting, so there is nothing to withdraw.")
        )
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    if invitation.couple is not None:
        audit.record_write(
            request, invitation.couple, "invitation.revoked", object_id=invitation.pk
        )


def find_invitation(raw_token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("couple", "clinic", "invited_by")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def invitation_problem(invitation: Invitation | None, user: Any) -> str | None:
    """Why ``user`` can't accept ``invitation`` now, as a code, or None if they can."""
    if invitation is None:
        return "not_found"
    state = invitation.state
    if state == Invitation.State.ACCEPTED:
        return "used"
    if state == Invitation.State.REVOKED:
        return "revoked"
    if state == Invitation.State.EXPIRED:
        return "expired"
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email:
            return "wrong_account"
        if invitation.role == Invitation.Role.PARTNER:
            if _active_partner(user):
                return "already_partner"
            couple = invitation.couple
            if couple is not None and couple.partners.filter(left_at__isnull=True).count() >= 2:
                return "full"
    return None


@transaction.atomic
def accept_invitation(raw_token: str, user: Any) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=hash_token(raw_token)).first()
    )
    problem = invitation_problem(invitation, user)
    if problem or invitation is None:
        raise ActionError(_("This invitation can't be accepted."), problem or "not_found")
    now = timezone.now()
    if invitation.role == Invitation.Role.PARTNER:
        couple = cast(Couple, invitation.couple)
        taken = set(couple.partners.filter(left_at__isnull=True).values_list("seat", flat=True))
        seat = Partner.Seat.A if Partner.Seat.A not in taken else Partner.Seat.B
        try:
            with transaction.atomic():
                Partner.objects.create(couple=couple, user=user, seat=seat, joined_at=now)
        except IntegrityError:
            raise ActionError(_("This invitation can't be accepted."), "full") from None
        # Any other waiting invitation for this seat is no longer needed once both joined.
        if len(taken) + 1 >= 2:
            couple.invitations.pending().exclude(pk=invitation.pk).update(revoked_at=now)
    else:
        ClinicMembership.objects.get_or_create(
            clinic=invitation.clinic, user=user, role=invitation.role, ended_at=None
        )
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=now, accepted_by=user)
    # Holding the link from the e-mail proves the address is theirs.
    EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(verified=True)
    forget_roles(user)
    invitation.accepted_at = now
    return invitation


@transaction.atomic
def give_consent(user: Any, couple: Couple, kind: str) -> Consent:
    if couple.seat_of(user) is None:
        raise ActionError(_("Only a partner in this couple can give this consent."))
    if kind == Consent.Kind.CARE and not couple.is_guided:
        raise ActionError(_("Your couple is not working with a clinic, so there is no care team."))
    if kind not in Consent.Kind.values:
        raise ActionError(_("Unknown consent."))
    existing = Consent.objects.filter(
        user=user, couple=couple, kind=kind, withdrawn_at__isnull=True
    ).first()
    if existing:
        return existing
    text = consent_texts.current(kind)
    return Consent.objects.create(
        user=user,
        couple=couple,
        clinic=couple.clinic if kind == Consent.Kind.CARE else None,
        kind=kind,
        version=text.version,
        text_sha256=text.sha256,
    )


@transaction.atomic
def withdraw_consent(user: Any, couple: Couple, kind: str) -> Consent:
    """Stop sharing from now on; the record and everything else stay."""
    consent = (
        Consent.objects.select_for_update()
        .filter(user=user, couple=couple, kind=kind, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        raise ActionError(_("There is no consent of this kind to withdraw."), "nothing_to_withdraw")
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    return consent
