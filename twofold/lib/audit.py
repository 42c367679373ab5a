"""The audit vocabulary, and the context that carries it into actions.

Reads and writes of partner data by anyone outside the couple (care staff) are recorded
in an append-only log that each partner can read ("who viewed my data"). This module is a
leaf: it imports no Twofold app. The audit app supplies the sink that stores events
(:mod:`twofold.audit.recording`) and builds an :class:`AuditContext` for each request,
task or command; lower layers (couples, care) and every action receive that context
explicitly and call :meth:`AuditContext.read` / :meth:`AuditContext.write`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class What(models.TextChoices):
    """What was looked at or changed, in words a partner understands."""

    CASELOAD = "caseload", _("your names and status in a caseload list")
    COUPLE_OVERVIEW = "couple.overview", _("your couple's overview")
    COUPLE_CREATED = "couple.created", _("your couple's set-up")
    INVITATION_REVOKED = "invitation.revoked", _("an invitation")
    CARE_NOTE = "care_note", _("a care team note")
    CHECKINS = "checkins", _("your check-ins")
    CHECKIN_CADENCE = "checkin.cadence", _("how often you check in")
    PROGRAM_PLAN = "program.plan", _("your program and practice")
    PROGRAM_APPROVAL = "program.approval", _("moving on to the next stage")
    PROGRAM_ASSIGNMENT = "program.assignment", _("an exercise suggested to you")
    PROGRAM_UNSUITABLE = "program.unsuitable", _("an exercise set aside for you")
    CYCLES = "cycles", _("the changes you are trying together")
    JOURNAL = "journal", _("journal entries shared with the care team")


@dataclass(frozen=True)
class AuditEvent:
    """One read or write, as handed to the sink (which decides whether it is stored)."""

    action: str  # "read" or "write"
    actor: Any  # the acting user
    couple: Any  # the couple whose data it was
    what: What
    subject: Any = None  # the partner it concerned, when it concerned one partner
    object_id: str = ""
    ip_address: str | None = None
    user_agent: str = ""


AuditSink = Callable[[AuditEvent], None]


@dataclass(frozen=True)
class AuditContext:
    """Where an action comes from (request metadata) and where its audit events go."""

    sink: AuditSink
    ip_address: str | None = None
    user_agent: str = ""

    def read(
        self, actor: Any, couple: Any, what: What, *, subject: Any = None, object_id: Any = ""
    ) -> None:
        self._emit("read", actor, couple, what, subject, object_id)

    def write(
        self, actor: Any, couple: Any, what: What, *, subject: Any = None, object_id: Any = ""
    ) -> None:
        self._emit("write", actor, couple, what, subject, object_id)

    def _emit(
        self, action: str, actor: Any, couple: Any, what: What, subject: Any, object_id: Any
    ) -> None:
        self.sink(
            AuditEvent(
                action=action,
                actor=actor,
                couple=couple,
                what=What(what),
                subject=subject,
                object_id=str(object_id or ""),
                ip_address=self.ip_address,
                user_agent=self.user_agent[:200],
            )
        )


# --- Request-based helpers kept while call sites move to AuditContext. ---

from collections.abc import Iterable  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from django.http import HttpRequest  # noqa: E402

from twofold.lib import net  # noqa: E402

if TYPE_CHECKING:
    from twofold.couples.models import Couple


def client_ip(request: HttpRequest) -> str | None:
    """The client's address behind trusted proxies (see :mod:`twofold.lib.net`)."""
    return net.client_ip(request)


def _event(
    request: HttpRequest,
    *,
    action: str,
    couple: Couple,
    what: str,
    subject: Any = None,
    object_id: Any = "",
) -> Any:
    from twofold.audit.models import AccessEvent
    from twofold.couples.roles import roles_for

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
    from twofold.couples.roles import roles_for

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
