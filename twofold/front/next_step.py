"""The one next step a partner's home suggests, from facts the viewer may know.

:func:`next_step` is a pure function of :class:`Facts`; :func:`facts_for` gathers them for
one viewer: who joined and agreed (the couple's record), and whether the viewer has checked
in or practised, as participation facts (:func:`~twofold.couples.visibility.participants`),
never their answers. It lives here, in the composition layer, because it reads facts from
several features.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from django.urls import reverse

from twofold.checkins.models import CheckIn
from twofold.couples.models import Consent, Couple, Invitation
from twofold.couples.visibility import participants
from twofold.program.models import PracticeLog


class Step(StrEnum):
    INVITE = "invite"  # nobody invited yet
    AGREE = "agree"  # the viewer has not agreed to take part
    WAIT_FOR_PARTNER = "wait_for_partner"  # invited, not joined yet
    WAIT_FOR_AGREEMENT = "wait_for_agreement"  # joined, not agreed yet
    FIRST_CHECKIN = "first_checkin"
    FIRST_EXERCISE = "first_exercise"
    SETTLED = "settled"  # every first step taken


@dataclass(frozen=True)
class Facts:
    partner_joined: bool
    invitation_waiting: bool
    i_agreed: bool
    partner_agreed: bool
    i_checked_in: bool = False
    i_practised: bool = False


def next_step(facts: Facts) -> Step:
    """What the viewer can do now, or is waiting for: their own steps come first."""
    if not facts.partner_joined and not facts.invitation_waiting:
        return Step.INVITE
    if not facts.i_agreed:
        return Step.AGREE
    if not facts.partner_joined:
        return Step.WAIT_FOR_PARTNER
    if not facts.partner_agreed:
        return Step.WAIT_FOR_AGREEMENT
    if not facts.i_checked_in:
        return Step.FIRST_CHECKIN
    if not facts.i_practised:
        return Step.FIRST_EXERCISE
    return Step.SETTLED


def facts_for(couple: Couple, viewer: Any) -> Facts:
    """The facts for ``viewer``'s next step (no query for a couple that is not open yet)."""
    partner = couple.partner_of(viewer)
    facts = Facts(
        partner_joined=partner is not None,
        invitation_waiting=any(i.role == Invitation.Role.PARTNER for i in couple.pending()),
        i_agreed=couple.has_consent(viewer, Consent.Kind.PARTICIPATION),
        partner_agreed=partner is not None
        and couple.has_consent(partner.user, Consent.Kind.PARTICIPATION),
    )
    if not couple.is_active:
        return facts
    checked_in = viewer.pk in participants(CheckIn, viewer, couple, owner=viewer)
    practised = checked_in and viewer.pk in participants(PracticeLog, viewer, couple, owner=viewer)
    return replace(facts, i_checked_in=checked_in, i_practised=practised)


def url_for(step: Step) -> str:
    """Where the step is taken (the home page for the waiting ones)."""
    if step == Step.INVITE:
        return reverse("home") + "#invite-heading"
    if step == Step.AGREE:
        return reverse("consent_give", kwargs={"kind": Consent.Kind.PARTICIPATION})
    if step == Step.FIRST_CHECKIN:
        return reverse("checkin_home")
    if step == Step.FIRST_EXERCISE:
        return reverse("program_home")
    return reverse("home")
