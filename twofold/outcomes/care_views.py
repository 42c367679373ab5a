"""The care team's page of a couple's questionnaires: both partners' results while each
shares with the care team, the answers that need following up, and the schedule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.couples.access import care_page
from twofold.couples.models import Couple
from twofold.lib.audit import What
from twofold.lib.errors import ActionError
from twofold.outcomes import actions, schedules, words
from twofold.outcomes.catalogue import schedulable
from twofold.outcomes.charts import Person, trajectory_charts
from twofold.outcomes.forms import ScheduleForm
from twofold.outcomes.models import OutcomeSchedule, QuestionnaireResponse, QuestionnaireResult


@require_GET
@care_page(None)
def care_questionnaires(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    """Audited as a read of each partner whose results are shown (of the couple's when
    none are)."""
    user = request.user
    offered = schedulable()
    results = list(
        QuestionnaireResult.objects.visible_to(user)
        .filter(couple=couple)
        .select_related("owner")
        .order_by("-submitted_at", "pk")
    )
    flags = {
        row["result_id"]: row
        for row in QuestionnaireResponse.objects.visible_to(user)
        .filter(couple=couple, result__isnull=False)
        .values("result_id", "critical", "safety_positive")
    }
    people: dict[Any, dict[str, Any]] = {}
    for seat in couple.seats():
        if seat.user is not None:
            people[seat.user_id] = {"name": seat.user.display_name, "rows": []}
    for result in results:
        definition = offered.get(result.instrument_key)
        flag: dict[str, Any] = dict(flags.get(result.pk) or {})
        person = people.setdefault(result.owner_id, {"name": result.owner.display_name, "rows": []})
        person["rows"].append(
            {
                "result": result,
                "title": definition.short_title if definition else result.instrument_key,
                "total": words.number(result.total),
                "critical": bool(flag.get("critical")),
                "safety_positive": bool(flag.get("safety_positive")),
            }
        )
    # Both partners' totals over time, from the results read above (each partner's only
    # while they consent): the safety screen included, as in the table.
    by_owner: dict[Any, list[QuestionnaireResult]] = {}
    for result in results:
        by_owner.setdefault(result.owner_id, []).append(result)
    charts = trajectory_charts(
        offered.values(),
        [Person(person["name"], by_owner.get(owner_id, [])) for owner_id, person in people.items()],
        key_prefix="care",
    )
    schedule = OutcomeSchedule.objects.visible_to(user).filter(couple=couple).first()
    form = None
    upcoming = []
    if schedule is not None:
        form = ScheduleForm(offered, initial=ScheduleForm.initial_from(schedule.spec))
        groups = schedules.by_slot(
            schedules.Standing(a, schedules.State.UPCOMING)
            for a in schedules.administrations(schedule.spec)
        )
        upcoming = [
            {
                "slot": group.slot,
                "titles": [
                    offered[s.instrument].short_title
                    for s in group.standings
                    if s.instrument in offered
                ],
            }
            for group in groups
        ]
    request.audit.read_each(user, couple, What.QUESTIONNAIRES, [r.owner for r in results])
    return render(
        request,
        "outcomes/care.html",
        {
            "couple": couple,
            "people": list(people.values()),
            "has_results": bool(results),
            "charts": charts,
            "schedule": schedule,
            "form": form,
            "slots": upcoming,
        },
    )


@require_POST
@care_page(What.QUESTIONNAIRE_SCHEDULE)
def care_questionnaire_schedule(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    form = ScheduleForm(schedulable(), request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, _("Nothing was changed: %(reason)s") % {"reason": first})
        return redirect("care_questionnaires", couple_id=couple.pk)
    try:
        actions.set_schedule_by_care_team(
            couple,
            program_weeks=form.cleaned_data["program_weeks"],
            booster_weeks=form.cleaned_data["booster_weeks"],
            rules=form.rules(),
            acting_user=request.user,
            audit=request.audit,
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved. Questionnaires already answered keep their place."))
    return redirect("care_questionnaires", couple_id=couple.pk)
