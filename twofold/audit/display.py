"""Turning stored events into lines a person can read.

Two audiences, two shapes:

* a partner's "who viewed my data": one line per actor, per what, per day, with a count;
  who (the name and role they had then, and what they are called now if that changed),
  whose data (theirs or the couple's); never where from (network address, browser);
* a clinic admin's access log: every event, with where it came from.

Both read in a fixed number of queries whatever the number of events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.accounts.models import User
from twofold.audit.models import AccessEvent, AccessEventQuerySet, NameChange, label_of
from twofold.lib.audit import What

ACTION_LABELS = dict(AccessEvent.Action.choices)

# The labels of :class:`What` speak to a partner ("your check-ins"); the clinic's own log
# names the same things about "the couple".
STAFF_LABELS = {
    What.CASELOAD: _("the couple's names and status in a caseload list"),
    What.COUPLE_OVERVIEW: _("the couple's overview"),
    What.COUPLE_CREATED: _("the couple's set-up"),
    What.INVITATION_REVOKED: _("an invitation"),
    What.CARE_NOTE: _("a care team note"),
    What.CHECKINS: _("check-in answers"),
    What.CHECKIN_CADENCE: _("how often the couple checks in"),
    What.PROGRAM_PLAN: _("the couple's program and practice"),
    What.PROGRAM_APPROVAL: _("moving on to the next stage"),
    What.PROGRAM_ASSIGNMENT: _("an exercise suggested to the couple"),
    What.PROGRAM_UNSUITABLE: _("an exercise set aside for the couple"),
    What.PRACTICE_LOG: _("practice notes shared with the care team"),
    What.CYCLES: _("the changes the couple is trying together"),
    What.JOURNAL: _("journal entries shared with the care team"),
    What.MOMENTS: _("how often the couple noted moments together"),
    What.QUESTIONNAIRES: _("the partners' questionnaire answers and results"),
    What.QUESTIONNAIRE_SCHEDULE: _("when the couple is asked to fill in questionnaires"),
    What.QUESTIONNAIRE_EXPORT: _("a download of the partners' questionnaire answers and results"),
}


def staff_label_of(what: str) -> str:
    """The label of a stored ``what`` for the clinic's log; never the internal value."""
    label = STAFF_LABELS.get(what)  # type: ignore[call-overload]
    return str(label) if label is not None else str(_("something in a couple's space"))


@dataclass(frozen=True)
class DayLine:
    """Everything one actor did with one kind of data on one day, for a partner."""

    day: date
    actor_name: str
    actor_role: str
    now_called: str  # empty when the name is unchanged (or the account no longer exists)
    action: str
    what: str
    yours: bool  # about the viewer alone (True), or about the couple (False)
    times: int
    first_at: datetime
    last_at: datetime


def by_day(events: AccessEventQuerySet) -> Any:
    """``events`` grouped per local day, actor (and their name then), action, what, subject.

    Grouped in the database; the result is a values queryset (paginate it, then call
    :func:`day_lines` on the page).
    """
    tz = timezone.get_current_timezone()
    return (
        events.order_by()
        .annotate(day=TruncDate("at", tzinfo=tz))
        .values("day", "actor_id", "actor_name", "actor_role", "action", "what", "subject_id")
        .annotate(times=Count("id"), first_at=Min("at"), last_at=Max("at"))
        .order_by("-day", "-last_at", "actor_name", "what")
    )


def names_now(actor_ids: Iterable[Any]) -> dict[Any, str]:
    """The name each actor is shown by today (one query)."""
    ids = set(actor_ids)
    if not ids:
        return {}
    return {
        pk: display_name or email
        for pk, display_name, email in User.objects.filter(pk__in=ids).values_list(
            "pk", "display_name", "email"
        )
    }


def _now_called(name_then: str, current: str | None) -> str:
    return current if current and current != name_then else ""


def day_lines(rows: Sequence[dict[str, Any]], viewer: Any) -> list[DayLine]:
    """One page of :func:`by_day` rows as lines for ``viewer`` (one query for names)."""
    current = names_now(row["actor_id"] for row in rows)
    return [
        DayLine(
            day=row["day"],
            actor_name=row["actor_name"],
            actor_role=row["actor_role"],
            now_called=_now_called(row["actor_name"], current.get(row["actor_id"])),
            action=str(ACTION_LABELS.get(row["action"], row["action"])),
            what=label_of(row["what"]),
            yours=row["subject_id"] is not None and row["subject_id"] == viewer.pk,
            times=row["times"],
            first_at=row["first_at"],
            last_at=row["last_at"],
        )
        for row in rows
    ]


def for_clinic(events: Sequence[AccessEvent]) -> list[AccessEvent]:
    """A page of the clinic's log, each event with ``now_called`` and ``label`` set.

    One query for the names, whatever the number of events.
    """
    current = names_now(e.actor_id for e in events)
    for event in events:
        event.now_called = _now_called(  # type: ignore[attr-defined]
            event.actor_name, current.get(event.actor_id)
        )
        event.label = staff_label_of(event.what)  # type: ignore[attr-defined]
    return list(events)


def name_changes_of_actors(events: AccessEventQuerySet, limit: int = 50) -> list[NameChange]:
    """Renames of anyone who appears in ``events``, newest first (one query)."""
    actors = events.order_by().values("actor_id")
    return list(NameChange.objects.filter(user_id__in=actors).order_by("-at", "-id")[:limit])
