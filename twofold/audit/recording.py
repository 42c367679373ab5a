"""Storing audit events, and building the :class:`AuditContext` for a request or a task.

Partners acting on their own couple's data are not audited (it is theirs); everybody else
who touches partner data is. Each event keeps the actor's name and role as they were at
that moment, and changes of a staff member's name are stored too (:class:`NameChange`),
so that a renamed account cannot disguise what it looked at.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from twofold.audit.models import AccessEvent, NameChange
from twofold.couples.roles import roles_for
from twofold.lib.audit import AuditContext, AuditEvent
from twofold.lib.net import client_ip


def _role_of(actor: Any) -> str:
    roles = roles_for(actor)
    return "clinician" if roles.is_clinician else "admin" if roles.is_clinic_admin else "other"


def _is_partner_of(actor: Any, couple: Any) -> bool:
    partner = roles_for(actor).partner
    return partner is not None and partner.couple_id == couple.pk


def store(event: AuditEvent) -> None:
    """Write ``event`` to the append-only log unless the actor is a partner of the couple."""
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


def record_name_change(user: Any, old_name: str, new_name: str) -> NameChange | None:
    """Keep a staff member's change of the name they are shown by.

    Only people whose name can appear in an access log are kept: current care staff, and
    anyone who has already acted on a couple's data (a former clinician renaming their
    account still renames past reads). Partners' own renames are nobody's audit.
    """
    old_name, new_name = (old_name or "")[:120], (new_name or "")[:120]
    if old_name == new_name:
        return None
    if not roles_for(user).is_care_staff and not AccessEvent.objects.filter(actor=user).exists():
        return None
    change = NameChange(user=user, old_name=old_name, new_name=new_name)
    change.save()
    return change


def on_display_name_changed(sender: Any, *, user: Any, old_name: str, **kwargs: Any) -> None:
    """Receiver of :data:`twofold.lib.audit.display_name_changed` (connected in apps.py)."""
    record_name_change(user, old_name, str(user))


def context_for_request(request: HttpRequest) -> AuditContext:
    return AuditContext(
        sink=store,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
    )


def context_for_background() -> AuditContext:
    """For tasks and management commands: no network address to record."""
    return AuditContext(sink=store)
