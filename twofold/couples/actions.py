"""Writes for couples, invitations and consent. Side effects (e-mail, audit) live here."""

from __future__ import annotations

from typing import Any, cast

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twofold.accounts.models import User
from twofold.accounts.ratelimits import check_invitation_rate
from twofold.care.models import CareAssignment, ClinicMembership
from twofold.couples import consent_texts, opening
from twofold.couples.models import Consent, Couple, Invitation, Partner, hash_token
from twofold.couples.roles import forget_roles
from twofold.lib import clock, limits
from twofold.lib.audit import AuditContext, What
from twofold.lib.errors import ActionError
from twofold.lib.mail import name_for_email, queue_email


def invitation_link(raw_token: str) -> str:
    """The whole link of an invitation: its token is in it, so it is never stored."""
    return settings.SITE_URL + reverse("invitation_detail", args=[raw_token])


def send_invitation_email(invitation: Invitation, raw_token: str, inviter: Any) -> None:
    # The inviter's note stays out of the e-mail: anyone sharing the inbox may read it.
    context = {
        "inviter_name": name_for_email(str(inviter)) if inviter else "Twofold",
        "accept_url": invitation_link(raw_token),
        "expires_on": timezone.localdate(invitation.expires_at),
        "role": invitation.role,
    }
    subject = render_to_string("front/emails/invitation_subject.txt", context).strip()
    body = render_to_string("front/emails/invitation_message.txt", context)
    queue_email(EmailMessage(subject=subject, body=body, to=[invitation.email]))


def _active_partner(user: Any) -> Partner | None:
    return Partner.objects.filter(user=user, left_at__isnull=True).first()


def has_confirmed_own_address(user: Any) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def waiting_invitations_for(user: Any) -> list[Invitation]:
    """Partner invitations waiting for ``user``'s own address, which they have confirmed.

    An invitation is bound to an address: the token in its link proves the address, and
    so does a confirmed address on the account. Somebody who signed up without opening
    the link is offered it this way, instead of starting a second, empty couple.
    Invitations that could not be accepted now (a couple full or closed) are left out.
    """
    if not getattr(user, "is_authenticated", False) or not has_confirmed_own_address(user):
        return []
    waiting = (
        Invitation.objects.pending()
        .filter(role=Invitation.Role.PARTNER, email=user.email.lower())
        .select_related("couple", "invited_by")
    )
    return [invitation for invitation in waiting if invitation_problem(invitation, user) is None]


@transaction.atomic
def start_couple(*, acting_user: User, even_if_invited: bool = False) -> Couple:
    """A partner starts on their own (self-guided) and can invite the other later.

    Somebody whose partner has already invited them is offered that invitation first; they
    start a space of their own only when they say so (``even_if_invited``).
    """
    if _active_partner(acting_user):
        raise ActionError(_("You're already part of a couple on Twofold."), "already_partner")
    if not even_if_invited and waiting_invitations_for(acting_user):
        raise ActionError(
            _("Your partner has already invited you. You can join them below."), "invited"
        )
    couple = Couple.objects.create(mode=Couple.Mode.SELF, created_by=acting_user)
    Partner.objects.create(couple=couple, user=acting_user, seat=Partner.Seat.A)
    forget_roles(acting_user)
    return couple


def invite_partner(couple: Couple, email: str, *, acting_user: User, note: str = "") -> Invitation:
    """Invite the other partner by e-mail; a new invitation replaces a waiting one."""
    invitation, _link = invite_partner_with_link(couple, email, acting_user=acting_user, note=note)
    return invitation


@transaction.atomic
def invite_partner_with_link(
    couple: Couple, email: str, *, acting_user: User, note: str = ""
) -> tuple[Invitation, str]:
    """:func:`invite_partner`, also giving the link, for the inviter to see once.

    ``note`` (a few words, :data:`limits.INVITATION_NOTE` at most) is shown on the
    invitation page only, never in the e-mail.
    """
    email = email.strip().lower()
    if couple.seat_of(acting_user) is None:
        raise ActionError(_("Only a partner in this couple can invite the other."), "not_partner")
    if couple.both_joined:
        raise ActionError(_("Both of you have already joined."), "full")
    problem = couple.newcomer_problem()
    if problem:
        # A couple is a fixed pair: once someone has left, nobody new can join it.
        raise ActionError(_("Someone has left this couple, so it can't take anyone new."), problem)
    if email == acting_user.email.lower():
        raise ActionError(
            _("That's your own e-mail address. Please enter your partner's."), "own_email"
        )
    note = note.strip()
    if len(note) > limits.INVITATION_NOTE:
        raise ActionError(limits.too_long_message(limits.INVITATION_NOTE, len(note)), "too_long")
    check_invitation_rate(acting_user, email)
    couple.invitations.pending().filter(role=Invitation.Role.PARTNER).update(
        revoked_at=clock.now(), note=""
    )
    invitation, raw = Invitation.issue(
        email=email, role=Invitation.Role.PARTNER, couple=couple, invited_by=acting_user, note=note
    )
    send_invitation_email(invitation, raw, acting_user)
    return invitation, invitation_link(raw)


@transaction.atomic
def renew_invitation_link(invitation: Invitation, *, acting_user: User) -> tuple[Invitation, str]:
    """A new link for a waiting partner invitation; the old link (the e-mail's) stops working.

    Only the hash of a token is kept, so the inviter cannot be shown the old link again;
    this is how they get one to pass on another way. No e-mail is sent.
    """
    couple = invitation.couple
    if invitation.role != Invitation.Role.PARTNER or couple is None:
        raise ActionError(_("Only a partner in this couple can do this."), "not_partner")
    if couple.seat_of(acting_user) is None:
        raise ActionError(_("Only a partner in this couple can do this."), "not_partner")
    Couple.objects.select_for_update().filter(pk=couple.pk).values_list("pk").first()
    waiting = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if waiting is None or not waiting.is_pending:
        raise ActionError(
            _("This invitation is no longer waiting. You can send a new one below."),
            "not_pending",
        )
    problem = couple.newcomer_problem()
    if problem:
        raise ActionError(
            _("Nobody new can join this couple now, so there is no link to make."), problem
        )
    check_invitation_rate(acting_user, waiting.email)
    Invitation.objects.filter(pk=waiting.pk).update(revoked_at=clock.now(), note="")
    renewed, raw = Invitation.issue(
        email=waiting.email,
        role=Invitation.Role.PARTNER,
        couple=couple,
        invited_by=acting_user,
        display_name=waiting.display_name,
        note=waiting.note,
    )
    return renewed, invitation_link(raw)


@transaction.atomic
def invite_couple(
    clinic: Any, partners: list[tuple[str, str]], *, acting_user: User, audit: AuditContext
) -> Couple:
    """A clinician creates a guided couple on their caseload and invites both partners."""

    clinician: Any = acting_user
    emails = [email.strip().lower() for _name, email in partners]
    if len(set(emails)) != len(emails):
        raise ActionError(_("The two partners need different e-mail addresses."), "same_email")
    for email in emails:
        check_invitation_rate(clinician, email)
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
    audit.write(acting_user, couple, What.COUPLE_CREATED)
    return couple


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, acting_user: User, audit: AuditContext) -> None:
    if not invitation.is_pending:
        raise ActionError(
            _("This invitation is no longer waiting, so there is nothing to withdraw.")
        )
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=clock.now(), note="")
    if invitation.couple is not None:
        audit.write(
            acting_user, invitation.couple, What.INVITATION_REVOKED, object_id=invitation.pk
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
            # A couple is a fixed pair: no seat is ever taken twice, and a couple
            # somebody has left takes nobody new ("full" or "closed").
            couple = invitation.couple
            if couple is not None and (problem := couple.newcomer_problem()):
                return problem
    return None


@transaction.atomic
def accept_invitation(raw_token: str, *, acting_user: User) -> Invitation:
    return _accept(acting_user, token_hash=hash_token(raw_token))


@transaction.atomic
def accept_waiting_invitation(invitation_id: Any, *, acting_user: User) -> Invitation:
    """Accept a partner invitation addressed to ``acting_user``'s confirmed own address
    (see :func:`waiting_invitations_for`), without its link."""
    if not has_confirmed_own_address(acting_user):
        raise ActionError(_("This invitation can't be accepted."), "not_found")
    return _accept(
        acting_user,
        pk=invitation_id,
        role=Invitation.Role.PARTNER,
        email=acting_user.email.lower(),
    )


def _accept(acting_user: User, **lookup: Any) -> Invitation:
    # The couple is locked before the invitation, in every acceptance: two people
    # accepting their own invitations to one couple at once would otherwise each hold the
    # row the other needs (a deadlock on PostgreSQL), instead of one waiting its turn.
    couple_id = Invitation.objects.filter(**lookup).values_list("couple_id", flat=True).first()
    if couple_id is not None:
        Couple.objects.select_for_update().filter(pk=couple_id).values_list("pk").first()
    invitation = Invitation.objects.select_for_update().filter(**lookup).first()
    problem = invitation_problem(invitation, acting_user)
    if problem or invitation is None:
        raise ActionError(_("This invitation can't be accepted."), problem or "not_found")
    now = clock.now()
    if invitation.role == Invitation.Role.PARTNER:
        # One acceptance at a time per couple, so two people never race for one seat.
        couple = Couple.objects.select_for_update().get(pk=cast(Couple, invitation.couple).pk)
        seat = couple.free_seat()
        if seat is None:
            raise ActionError(
                _("This invitation can't be accepted."), couple.newcomer_problem() or "full"
            )
        try:
            with transaction.atomic():
                Partner.objects.create(couple=couple, user=acting_user, seat=seat, joined_at=now)
        except IntegrityError:
            raise ActionError(_("This invitation can't be accepted."), "full") from None
        # Any other waiting invitation for this couple is no longer needed once both joined.
        if couple.free_seat() is None:
            couple.invitations.pending().exclude(pk=invitation.pk).update(revoked_at=now, note="")
    else:
        ClinicMembership.objects.get_or_create(
            clinic=invitation.clinic, user=acting_user, role=invitation.role, ended_at=None
        )
    # The note has done its work once the invitation is answered: it is not kept.
    Invitation.objects.filter(pk=invitation.pk).update(
        accepted_at=now, accepted_by=acting_user, note=""
    )
    # Holding the link from the e-mail proves the address is theirs.
    EmailAddress.objects.filter(user=acting_user, email__iexact=invitation.email).update(
        verified=True
    )
    forget_roles(acting_user)
    invitation.accepted_at = now
    return invitation


@transaction.atomic
def give_consent(couple: Couple, kind: str, *, acting_user: User) -> Consent:
    if couple.seat_of(acting_user) is None:
        raise ActionError(_("Only a partner in this couple can give this consent."))
    if kind == Consent.Kind.CARE and not couple.is_guided:
        raise ActionError(_("Your couple is not working with a clinic, so there is no care team."))
    if kind not in Consent.Kind.values:
        raise ActionError(_("Unknown consent."))
    existing = Consent.objects.filter(
        user=acting_user, couple=couple, kind=kind, withdrawn_at__isnull=True
    ).first()
    if existing:
        return existing
    text = consent_texts.current(kind)
    consent = Consent.objects.create(
        user=acting_user,
        couple=couple,
        clinic=couple.clinic if kind == Consent.Kind.CARE else None,
        kind=kind,
        version=text.version,
        text_sha256=text.sha256,
    )
    if kind == Consent.Kind.PARTICIPATION:
        opening.open_if_ready(couple)
    return consent


@transaction.atomic
def withdraw_consent(couple: Couple, kind: str, *, acting_user: User) -> Consent:
    """Stop sharing from now on; the record and everything else stay."""
    consent = (
        Consent.objects.select_for_update()
        .filter(user=acting_user, couple=couple, kind=kind, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        raise ActionError(_("There is no consent of this kind to withdraw."), "nothing_to_withdraw")
    consent.withdrawn_at = clock.now()
    consent.save(update_fields=["withdrawn_at"])
    return consent
