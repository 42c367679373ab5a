"""What changed for a partner since a given time: a read for pages, never a write.

:func:`changes_since` lists what the viewer's partner (or the care team) did that the
viewer may know about, read only through the visibility policy (``visible_to`` for rows,
``participation`` for who-did-what facts), so it never tells more than the pages do: a
private answer, readiness mark or safety answer never shows up, and who paused the
program is never said. The viewer's own doings are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twofold.checkins.models import CheckIn
from twofold.couples.models import Couple, Partner
from twofold.couples.visibility import participation
from twofold.cycles.models import AdjustmentCycle
from twofold.journal.models import Appreciation, JournalEntry, Moment
from twofold.program.models import Goal, PlanEvent, PracticeLog
from twofold.reminders import sources
from twofold.reminders.models import Reminder


@dataclass(frozen=True)
class Change:
    """One thing that changed, in one plain sentence for the viewer, and where to see it."""

    kind: str
    text: str
    path: str
    # When it happened, where the viewer may know it; None where only the day (or the
    # round) is theirs to know.
    at: dt.datetime | None = None
    # True when it waits for the viewer's answer.
    for_you: bool = False


PROGRAM_CHANGES = {
    PlanEvent.Kind.STARTED: gettext_lazy("Your program has begun"),
    PlanEvent.Kind.ADVANCED: gettext_lazy("You have moved on to the next stage"),
    PlanEvent.Kind.STEPPED_BACK: gettext_lazy("Your program has stepped back a stage"),
    PlanEvent.Kind.PAUSED: gettext_lazy("Your program is paused for now"),
    PlanEvent.Kind.RESUMED: gettext_lazy("Your program has started again"),
    PlanEvent.Kind.APPROVED: gettext_lazy("Your care team approved moving on"),
    PlanEvent.Kind.ASSIGNED: gettext_lazy("Your care team suggested an exercise"),
    PlanEvent.Kind.WITHDRAWN: gettext_lazy("Your care team set an exercise aside"),
    PlanEvent.Kind.UNSUITABLE: gettext_lazy(
        "Your care team marked an exercise as not right for you"
    ),
}


def _cycle_moved_by_partner(cycle: AdjustmentCycle, viewer_id: Any) -> bool:
    """Whether the partner (not the viewer) took the cycle's latest step."""
    State = AdjustmentCycle.State
    if cycle.awaiting_id is not None:
        return bool(cycle.awaiting_id == viewer_id)  # whoever waits did not move last
    if cycle.state == State.UNDERSTOOD:  # the person who raised it confirmed
        return bool(cycle.raised_by_id != viewer_id)
    if cycle.state == State.TRYING:  # the one who did not suggest it agreed
        return bool(cycle.proposed_by_id == viewer_id)
    if cycle.state == State.CLOSED:
        return bool(cycle.decided_by_id != viewer_id)
    if cycle.state == State.WITHDRAWN:
        return bool(cycle.raised_by_id != viewer_id)
    return True


def changes_since(viewer: Any, couple: Couple, since: dt.datetime) -> list[Change]:
    """What changed in ``couple`` for ``viewer`` after ``since``, newest known first.

    A fixed number of queries (one per kind of change), whatever the number of changes.
    Returns nothing for a viewer who holds no seat in ``couple``.
    """
    if couple.seat_of(viewer) is None:
        return []
    seat = couple.partner_of(viewer)
    name = seat.user.display_name if seat is not None and seat.user else _("Your partner")
    partner_id = seat.user_id if seat is not None else None
    found: list[Change] = []

    for joined in Partner.objects.visible_to(viewer).filter(
        couple=couple, left_at__isnull=True, joined_at__gt=since
    ):
        if joined.user_id != viewer.pk:
            found.append(
                Change(
                    "joined",
                    _("%(name)s joined you") % {"name": name},
                    reverse("home"),
                    joined.joined_at,
                )
            )

    checked_in = participation(CheckIn, viewer, couple, submitted_at__gt=since)
    if any(actor == partner_id for actor, *_rest in checked_in):
        found.append(
            Change("checked_in", _("%(name)s checked in") % {"name": name}, reverse("checkin_home"))
        )

    practised = participation(PracticeLog, viewer, couple, created_at__gt=since)
    if any(actor == partner_id for actor, *_rest in practised):
        found.append(
            Change("practised", _("%(name)s practised") % {"name": name}, reverse("practice_logs"))
        )

    # A goal does not record when it was proposed: its creation counts, and so does the
    # viewer's own notice about it (planned within a minute of it waiting for them).
    noticed = [
        occasion.split(":")[1]
        for occasion in Reminder.objects.filter(
            user=viewer,
            kind=sources.AWAITING.kind,
            occasion__startswith="goal:",
            created_at__gt=since,
        ).values_list("occasion", flat=True)
    ]
    goals = Goal.objects.visible_to(viewer).filter(couple=couple)
    waiting = Q(state=Goal.State.PROPOSED, awaiting=viewer) & (
        Q(created_at__gt=since) | Q(pk__in=noticed)
    )
    for goal in goals.filter(waiting | Q(state=Goal.State.SHARED, shared_at__gt=since)).only(
        "pk", "state", "shared_at"
    ):
        if goal.state == Goal.State.PROPOSED:
            found.append(
                Change(
                    "goal", _("A goal is waiting for your answer"), reverse("goals"), for_you=True
                )
            )
        else:
            found.append(
                Change(
                    "goal",
                    _("You and %(name)s now share a goal") % {"name": name},
                    reverse("goals"),
                    goal.shared_at,
                )
            )

    for cycle in (
        AdjustmentCycle.objects.visible_to(viewer)
        .filter(couple=couple, updated_at__gt=since)
        .only("pk", "state", "awaiting", "raised_by", "proposed_by", "decided_by", "updated_at")
    ):
        if not _cycle_moved_by_partner(cycle, viewer.pk):
            continue
        yours = cycle.awaiting_id == viewer.pk
        found.append(
            Change(
                "adjustment",
                _("Your turn in something you are working through together")
                if yours
                else _("Something you are working through together has moved on"),
                reverse("cycle_detail", args=[cycle.pk]),
                cycle.updated_at,
                for_you=yours,
            )
        )

    for event in (
        PlanEvent.objects.visible_to(viewer)
        .filter(couple=couple, at__gt=since)
        .exclude(actor_id=viewer.pk)
        .order_by("at")
    ):
        text = PROGRAM_CHANGES.get(PlanEvent.Kind(event.kind))
        found.append(
            Change(
                "program",
                str(text) if text else _("Your program has changed"),
                reverse("program_home"),
                event.at,
            )
        )

    for note in (
        Appreciation.objects.visible_to(viewer)
        .filter(couple=couple, recipient=viewer, created_at__gt=since)
        .only("pk", "created_at")
    ):
        found.append(
            Change(
                "appreciation",
                _("%(name)s sent you a note of appreciation") % {"name": name},
                reverse("appreciations"),
                note.created_at,
            )
        )

    for moment in (
        Moment.objects.visible_to(viewer)
        .filter(couple=couple, created_at__gt=since)
        .exclude(owner_id=viewer.pk)
        .only("pk", "created_at")
    ):
        found.append(
            Change(
                "moment",
                _("%(name)s noted a moment you shared") % {"name": name},
                reverse("moments"),
                moment.created_at,
            )
        )

    for entry in (
        JournalEntry.objects.visible_to(viewer)
        .filter(couple=couple, updated_at__gt=since)
        .exclude(owner_id=viewer.pk)
        .only("pk", "updated_at")
    ):
        found.append(
            Change(
                "journal",
                _("%(name)s shared a journal entry with you") % {"name": name},
                reverse("journal_detail", args=[entry.pk]),
                entry.updated_at,
            )
        )

    return sorted(found, key=lambda change: (change.at is None, -(change.at or since).timestamp()))
