"""The care team's view of a couple's check-ins (with each partner's care consent)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from twofold.checkins import actions
from twofold.checkins.models import SCORED_ITEMS, Cadence, CheckIn
from twofold.couples.access import get_care_couple_for_user
from twofold.lib.errors import ActionError


@require_GET
def checkin_care(request: HttpRequest, couple_id: Any) -> HttpResponse:
    couple = get_care_couple_for_user(request, couple_id, "checkins")
    schedule = actions.ensure_schedule(couple)
    since = timezone.localdate() - timedelta(weeks=26)
    checkins = list(
        CheckIn.objects.visible_to(request.user)
        .filter(couple=couple, period_start__gte=since)
        .select_related("owner")
        .order_by("-period_start", "owner__display_name")
    )
    return render(
        request,
        "checkins/care.html",
        {
            "couple": couple,
            "schedule": schedule,
            "checkins": checkins,
            "items": SCORED_ITEMS,
            "cadences": Cadence.choices,
        },
    )


@require_POST
def checkin_care_cadence(request: HttpRequest, couple_id: Any) -> HttpResponse:
    couple = get_care_couple_for_user(request, couple_id, "checkins")
    try:
        actions.set_cadence_by_care_team(request, couple, request.POST.get("cadence", ""))
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved. The couple's new rhythm starts this week."))
    return redirect("checkin_care", couple_id=couple.pk)
