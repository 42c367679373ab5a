"""Write audit events for reads and writes of partner data by care staff.

Partners reading their own couple's data are not audited (it is theirs); everybody
else who touches partner data is: the clinician on the care team, a clinic admin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from twofold.couples.models import Couple


def client_ip(request: HttpRequest) -> str | None:
    if getattr(settings, "TWOFOLD_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _event(
    request: HttpRequest,
    *,
    action: str,
    couple: Couple,
    what: str,
    subject: Any = None,
    object_id: Any = "",
) -> Any:
    from twofold.accounts.roles import roles_for
    from twofold.audit.models import AccessEvent

    user: Any = request.user
    roles = roles_for(user)
    role = "clinician" if roles.is_clinician else "admin" if roles.is_clinic_admin else "other"
    return AccessEvent(
        actor=user,
        actor_name=str(user)[:120],
        actor_role=role,
        clinic_id=couple.clinic_id,
        action=action,
        couple=couple,
        couple_reference=couple.reference,
        subject=subject,
        what=what,
        object_id=str(object_id or ""),
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
    )


def _is_partner_of(request: HttpRequest, couple: Couple) -> bool:
    from twofold.accounts.roles import roles_for

    partner = roles_for(request.user).partner
    return partner is not None and partner.couple_id == couple.pk


def record_read(
    request: HttpRequest, couple: Couple, what: str, *, subject: Any = None, object_id: Any = ""
) -> None:
    if not _is_partner_of(request, couple):
        _event(
            request, action="read", couple=couple, what=what, subject=subject, object_id=object_id
        ).save()


def record_write(
    request: HttpRequest, couple: Couple, what: str, *, subject: Any = None, object_id: Any = ""
) -> None:
    if not _is_partner_of(request, couple):
        _event(
            request, action="write", couple=couple, what=what, subject=subject, object_id=object_id
        ).save()


def record_list_read(request: HttpRequest, couples: Iterable[Couple], what: str) -> None:
    """One event per couple shown in a list, written in a single query."""
    from twofold.audit.models import AccessEvent

    events = [
        _event(request, action="read", couple=c, what=what)
        for c in couples
        if not _is_partner_of(request, c)
    ]
    if events:
        AccessEvent.objects.bulk_create(events)
