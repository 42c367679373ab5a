"""The care team's view of a couple's plan (clinician-guided couples)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from twofold.couples.visibility import participants
from twofold.lib.errors import ActionError
from twofold.program import actions, boundaries, content
from twofold.program.access import get_care_plan
from twofold.program.forms import UnsuitableForm
from twofold.program.models import Assignment, ExerciseFlag, Goal, PracticeLog, StageReadiness


@require_GET
def care_plan(request: HttpRequest, couple_id: Any) -> HttpResponse:
    couple, plan = get_care_plan(request, couple_id, "program.plan")
    user: Any = request.user
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
        "approved": actions.is_approved(plan),
        "overlap": [a.label for a in content.activities().values() if a.key in shared],
        "logs": [(log, program.exercise(log.exercise_key)) for log in logs],
        "goals": Goal.objects.visible_to(user).filter(couple=couple, state=Goal.State.SHARED),
        "flags": [
            (f, program.exercise(f.exercise_key))
            for f in ExerciseFlag.objects.visible_to(user).filter(plan=plan)
        ],
    }
    return render(request, "program/care_plan.html", context)


@require_POST
def care_approve(request: HttpRequest, couple_id: Any) -> HttpResponse:
    couple, plan = get_care_plan(request, couple_id, "program.plan")
    try:
        moved = actions.approve(request, plan)
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
def care_assign(request: HttpRequest, couple_id: Any) -> HttpResponse:
    couple, plan = get_care_plan(request, couple_id, "program.plan")
    try:
        actions.assign(request, plan, request.POST.get("exercise_key", ""))
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Exercise suggested to the couple."))
    return redirect("care_plan", couple_id=couple.pk)


@require_POST
def care_unassign(request: HttpRequest, couple_id: Any, assignment_id: Any) -> HttpResponse:
    couple, plan = get_care_plan(request, couple_id, "program.plan")
    assignment = (
        Assignment.objects.visible_to(request.user).filter(plan=plan, pk=assignment_id).first()
    )
    if assignment is None:
        raise Http404
    assignment.plan = plan
    actions.withdraw_assignment(request, assignment)
    messages.success(request, _("Exercise withdrawn."))
    return redirect("care_plan", couple_id=couple.pk)


@require_POST
def care_unsuitable(request: HttpRequest, couple_id: Any) -> HttpResponse:
    couple, plan = get_care_plan(request, couple_id, "program.plan")
    form = UnsuitableForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the note."))
        return redirect("care_plan", couple_id=couple.pk)
    try:
        actions.mark_unsuitable(
            request, plan, form.cleaned_data["exercise_key"], form.cleaned_data["note"]
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Marked as not right for this couple. They will see your note.")
        )
    return redirect("care_plan", couple_id=couple.pk)
