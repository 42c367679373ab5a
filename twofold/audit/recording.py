"""Storing audit events, and building the :class:`AuditContext` for a request or a task.

Partners acting on their own couple's data are not audited (it is theirs); everybody else
who touches partner data is.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from twofold.lib.audit import AuditContext, AuditEvent, client_ip


def _role_of(actor: Any) -> str:
    from twofold.couples.roles import roles_for

    roles = roles_for(actor)
    return "clinician" if roles.is_clinician else "admin" if roles.is_clinic_admin else "other"


def _is_partner_of(actor: Any, couple: Any) -> bool:
    from twofold.couples.roles import roles_for

    partner = roles_for(actor).partner
    return partner is not None and partner.couple_id == couple.pk


def store(event: AuditEvent) -> None:
    """Write ``event`` to the append-only log unless the actor is a partner of the couple."""
    from twofold.audit.models import AccessEvent

    if _is_partner_of(event.actor, event.couple):
        return
    AccessEvent(
        actor=event.actor,
        actor_name=str(event.actor)[:120],
        actor_role=_role_of(event.actor),
        clinic_id=event.couple.clinic_id,
        action=event.action,
        couple=event.couple,
        couple_reference=event.couple.reference,
        subject=event.subject,
        what=str(event.what),
        object_id=event.object_id,
        ip_address=event.ip_address,
        user_agent=event.user_agent,
    ).save()


def context_for_request(request: HttpRequest) -> AuditContext:
    return AuditContext(
        sink=store,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
    )


def context_for_background() -> AuditContext:
    """For tasks and management commands: no network address to record."""
    return AuditContext(sink=store)
