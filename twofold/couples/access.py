"""Look-ups of partner data within what the viewer may see: 404 for anything else.

"Missing" and "not yours" get the same answer, so nobody learns that a record exists.
Reads by care staff are written to the audit log here.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from twofold.couples.models import Couple, Invitation
from twofold.couples.roles import roles_for
from twofold.lib import audit


def get_own_couple(request: HttpRequest) -> Couple | None:
    """The couple the signed-in person is a partner in, with status prefetched."""
    partner = roles_for(request.user).partner
    if partner is None:
        return None
    return Couple.objects.with_status().select_related("clinic").get(pk=partner.couple_id)


def get_own_couple_or_404(request: HttpRequest) -> Couple:
    couple = get_own_couple(request)
    if couple is None:
        raise Http404
    return couple


def get_care_couple_for_user(request: HttpRequest, couple_id: Any, what: str) -> Couple:
    """A couple on the viewer's caseload (as their clinician); audited as a read."""
    from twofold.couples.visibility import care_team_couple_ids

    couple = (
        Couple.objects.filter(pk__in=care_team_couple_ids(request.user))
        .with_status()
        .select_related("clinic")
        .filter(pk=couple_id)
        .first()
    )
    if couple is None:
        raise Http404
    audit.record_read(request, couple, what)
    return couple


def get_invitation_for_user(request: HttpRequest, invitation_id: Any) -> Invitation:
    invitation = (
        Invitation.objects.visible_to(request.user)
        .select_related("couple")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation
