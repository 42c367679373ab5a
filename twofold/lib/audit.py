"""The audit vocabulary, and the context that carries it into actions.

Reads and writes of partner data by anyone outside the couple (care staff) are recorded
in an append-only log that each partner can read ("who viewed my data"). This module is a
leaf: it imports no Twofold app. The audit app supplies the sink that stores events
(:mod:`twofold.audit.recording`) and builds an :class:`AuditContext` for each request,
task or command; lower layers (couples, care) and every action receive that context
explicitly and call :meth:`AuditContext.read` / :meth:`AuditContext.write`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _


class What(models.TextChoices):
    """What was looked at or changed, in words a partner understands.

    Pages show the label, never the value; the value is what the log stores, so a value
    is never renamed or removed once events carry it (CASELOAD is no longer written but
    older events still say it).
    """

    CASELOAD = "caseload", _("your names and status in a caseload list")
    COUPLE_OVERVIEW = "couple.overview", _("your couple's overview")
    COUPLE_CREATED = "couple.created", _("your couple's set-up")
    INVITATION_REVOKED = "invitation.revoked", _("an invitation")
    CARE_NOTE = "care_note", _("a care team note")
    CHECKINS = "checkins", _("check-in answers")
    CHECKIN_CADENCE = "checkin.cadence", _("how often you check in")
    PROGRAM_PLAN = "program.plan", _("your program and practice")
    PROGRAM_APPROVAL = "program.approval", _("moving on to the next stage")
    PROGRAM_ASSIGNMENT = "program.assignment", _("an exercise suggested to you")
    PROGRAM_UNSUITABLE = "program.unsuitable", _("an exercise set aside for you")
    PRACTICE_LOG = "program.practice", _("practice notes shared with the care team")
    CYCLES = "cycles", _("the changes you are trying together")
    JOURNAL = "journal", _("journal entries shared with the care team")
    MOMENTS = "moments", _("how often you noted moments together")
    QUESTIONNAIRES = "questionnaires", _("your questionnaire answers and results")
    QUESTIONNAIRE_SCHEDULE = (
        "questionnaires.schedule",
        _("when you are asked to fill in questionnaires"),
    )
    QUESTIONNAIRE_EXPORT = (
        "questionnaires.export",
        _("a download of your questionnaire answers and results"),
    )


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

    def read_each(self, actor: Any, couple: Any, what: What, subjects: Iterable[Any]) -> None:
        """A page showed records of each of ``subjects``: one read about each person.

        When it showed nobody's own records, the page itself was still about the couple,
        so one read about the couple is recorded instead.
        """
        people = {getattr(s, "pk", s): s for s in subjects if s is not None}
        if not people:
            self.read(actor, couple, what)
        for person in people.values():
            self.read(actor, couple, what, subject=person)

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


#: Sent by the place where a person edits the name they are shown by (``user``, and
#: ``old_name``, the name shown until now). The audit app keeps staff members' changes, so
#: past reads stay attributable; lower layers announce the change here instead of
#: importing the audit app.
display_name_changed = Signal()
