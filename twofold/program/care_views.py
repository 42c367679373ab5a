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
from twofold.program.models import Assignment, ExerciseFlag, Goal, PracticeLog, StageReadiness


@require_GET
@care_page(What.PROGRAM_PLAN)
def care_plan(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    plan = get_plan(request.user, couple)
    user = request.user
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
