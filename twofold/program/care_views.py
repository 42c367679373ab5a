"""The care team's view of a couple's plan (clinician-guided couples)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.couples.access import care_page
from twofold.couples.models import Couple
from twofold.couples.visibility import participants
from twofold.lib.audit import What
from twofold.lib.errors import ActionError
from twofold.program import actions, boundaries, content
from twofold.program.access import get_plan
from twofold.program.forms import UnsuitableForm
from twofold.program.models import (
    Assignment,
    ExerciseFlag,
    Goal,
    Plan,
    PracticeLog,
    StageReadiness,
)


def _not_shared(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    """What the care team is told instead of the plan: who does not share, in plain words
    (the care team already sees each partner's consent on the couple's page)."""
    seats = couple.seats()
    response = render(
        request,
        "program/care_not_shared.html",
        {
            "couple": couple,
            "not_sharing": [
                p.user
                for p in seats
                if p.user is not None and not couple.has_consent(p.user, "care")
            ],
        },
    )
    response.shows_no_partner_data = True  # type: ignore[attr-defined]
    return response


def _overlap_lines(couple: Couple, shared: frozenset[str]) -> list[str]:
    """The overlap in the care team's words: an item both are open to, and for a giving
    and receiving pair the directions agreed, by name ("Alex to Sam")."""
    activities = content.activities()
    people = [p.user for p in couple.seats() if p.user is not None]
    if len(people) < 2:
        return []
    first, second = people
    from_first = boundaries.shared_for(couple, first)
    lines = []
    for activity in activities.values():
        if not activity.pair:
            if activity.key in shared:
                lines.append(activity.label)
            continue
        if activity.direction != "giving":
            continue
        receiving = next(
            a.key
            for a in activities.values()
            if a.pair == activity.pair and a.direction == "receiving"
        )
        ways = []
        if activity.key in from_first:
            ways.append(
                _("%(giver)s to %(receiver)s")
                % {"giver": first.display_name, "receiver": second.display_name}
            )
        if receiving in from_first:
            ways.append(
                _("%(giver)s to %(receiver)s")
                % {"giver": second.display_name, "receiver": first.display_name}
            )
        if ways:
            lines.append(
                _("%(item)s (%(ways)s)")
                % {"item": activity.pair_label or activity.label, "ways": ", ".join(ways)}
            )
    return lines


@require_GET
@care_page(What.PROGRAM_PLAN)
def care_plan(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    user = request.user
    plan = (
        Plan.objects.visible_to(user)
        .select_related("program_version")
        .filter(couple=couple)
        .first()
    )
    if plan is None:
        return _not_shared(request, couple)
    plan.couple = couple
    program = plan.program
    shared = boundaries.overlap(couple)
    ready = participants(
        StageReadiness, user, couple, stage_index=plan.stage_index, cleared_at__isnull=True
    )
    flagged = actions.flagged_keys(plan)
    active = {
        a.exercise_key: a
        for a in Assignment.objects.visible_to(user).filter(plan=plan, withdrawn_at__isnull=True)
    }
    stages = []
    for index, stage in enumerate(program.stages):
        rows = [
            {
                "exercise": e,
                "fits": e.fits(shared),
                "flagged": e.key in flagged,
                "assignment": active.get(e.key),
            }
            for e in stage.exercises
        ]
        stages.append((index, stage, rows))
    logs = list(
        PracticeLog.objects.visible_to(user).filter(couple=couple).select_related("owner")[:50]
    )
    context = {
        "couple": couple,
        "plan": plan,
        "program": program,
        "stages": stages,
        "seats": [(p, p.user_id in ready) for p in couple.seats()],
        "all_ready": len(ready) == 2,
        "approved": actions.is_approved(plan),
        "overlap": _overlap_lines(couple, shared),
        "logs": [(log, program.exercise(log.exercise_key)) for log in logs],
        "goals": Goal.objects.visible_to(user).filter(couple=couple, state=Goal.State.SHARED),
        "flags": [
            (f, program.exercise(f.exercise_key))
            for f in ExerciseFlag.objects.visible_to(user).filter(plan=plan)
        ],
    }
    # The plan itself is the couple's (the gate records it); practice notes are one
    # partner's each, so the partner whose notes are shown is told so.
    for owner in {log.owner_id: log.owner for log in logs}.values():
        request.audit.read(user, couple, What.PRACTICE_LOG, subject=owner)
    return render(request, "program/care_plan.html", context)


@require_POST
@care_page(What.PROGRAM_PLAN)
def care_approve(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    plan = get_plan(request.user, couple)
    try:
        moved = actions.approve(plan, acting_user=request.user, audit=request.audit)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Approved. They have moved on.")
            if moved
            else _("Approved. They will move on when both partners are ready."),
        )
    return redirect("care_plan", couple_id=couple.pk)


@require_POST
@care_page(What.PROGRAM_PLAN)
def care_assign(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    plan = get_plan(request.user, couple)
    try:
        actions.assign(
            plan,
            request.POST.get("exercise_key", ""),
            acting_user=request.user,
            audit=request.audit,
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Exercise suggested to the couple."))
    return redirect("care_plan", couple_id=couple.pk)


@require_POST
@care_page(What.PROGRAM_PLAN)
def care_unassign(
    request: AuthenticatedHttpRequest, couple: Couple, assignment_id: Any
) -> HttpResponse:
    plan = get_plan(request.user, couple)
    assignment = (
        Assignment.objects.visible_to(request.user).filter(plan=plan, pk=assignment_id).first()
    )
    if assignment is None:
        raise Http404
    assignment.plan = plan
    actions.withdraw_assignment(assignment, acting_user=request.user, audit=request.audit)
    messages.success(request, _("Exercise withdrawn."))
    return redirect("care_plan", couple_id=couple.pk)


@require_POST
@care_page(What.PROGRAM_PLAN)
def care_unsuitable(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    plan = get_plan(request.user, couple)
    form = UnsuitableForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the note."))
        return redirect("care_plan", couple_id=couple.pk)
    try:
        actions.mark_unsuitable(
            plan,
            form.cleaned_data["exercise_key"],
            form.cleaned_data["note"],
            acting_user=request.user,
            audit=request.audit,
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Marked as not right for this couple. They will see your note.")
        )
    return redirect("care_plan", couple_id=couple.pk)
