"""The care team's view of a couple's check-ins (with each partner's care consent)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.checkins import actions
from twofold.checkins.models import (
    SAFETY_ITEM,
    SCORED_ITEMS,
    Cadence,
    CheckIn,
    CheckInSchedule,
    SafetyAnswer,
    needs_support,
)
from twofold.couples.access import care_page
from twofold.couples.models import Couple
from twofold.lib.audit import What
from twofold.lib.errors import ActionError


@require_GET
@care_page(None)
def checkin_care(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    """Audited as a read of each partner whose answers are shown (of the couple's when none)."""
    # Shown only while both partners share with the care team (the schedule's audience).
    schedule = CheckInSchedule.objects.visible_to(request.user).filter(couple=couple).first()
    since = timezone.localdate() - timedelta(weeks=26)
    checkins = list(
        CheckIn.objects.visible_to(request.user)
        .filter(couple=couple, period_start__gte=since)
        .select_related("owner")
        .order_by("-period_start", "owner__display_name")
    )
    safety = _safety_rows(request, couple, since)
    rows = [{"checkin": c, "answers": c.answers(), "safety": safety.get(c.pk)} for c in checkins]
    request.audit.read_each(request.user, couple, What.CHECKINS, [c.owner for c in checkins])
    return render(
        request,
        "checkins/care.html",
        {
            "couple": couple,
            "schedule": schedule,
            "rows": rows,
            "items": SCORED_ITEMS,
            "safety_item": SAFETY_ITEM,
            "cadences": Cadence.choices,
        },
    )


def _safety_rows(
    request: AuthenticatedHttpRequest, couple: Couple, since: Any
) -> dict[Any, dict[str, Any]]:
    """Each check-in's private safety answer (while its author shares with the care
    team), and whether it is low or clearly lower than that person's last one."""
    answers = list(
        SafetyAnswer.objects.visible_to(request.user)
        .filter(couple=couple)
        .order_by("owner_id", "period_start")
        .values_list("checkin_id", "owner_id", "period_start", "felt_safe", "safe_with_each_other")
    )
    rows: dict[Any, dict[str, Any]] = {}
    last: dict[Any, int] = {}
    for checkin_id, owner_id, start, felt_safe, earlier_item in answers:
        value = felt_safe if felt_safe is not None else earlier_item
        if start >= since:
            rows[checkin_id] = {
                "felt_safe": felt_safe,
                "safe_with_each_other": earlier_item,
                "concern": needs_support(felt_safe, last.get(owner_id)),
            }
        if value is not None:
            last[owner_id] = value
    return rows


@require_POST
@care_page(What.CHECKINS)
def checkin_care_cadence(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    try:
        actions.set_cadence_by_care_team(
            couple, request.POST.get("cadence", ""), acting_user=request.user, audit=request.audit
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Saved. The couple's new rhythm starts when their current check-in ends.")
        )
    return redirect("checkin_care", couple_id=couple.pk)
