"""Partner pages for the program: plan, exercises, practice logs, boundaries, goals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.accounts.privacy_lock import Locked, privacy_locked
from twofold.couples.access import partner_page
from twofold.couples.models import Couple
from twofold.couples.visibility import participants, participation
from twofold.lib.errors import ActionError
from twofold.program import actions, boundaries, content
from twofold.program.access import get_goal_for_user, get_plan
from twofold.program.forms import (
    GoalForm,
    GoalResponseForm,
    PracticeLogForm,
    boundary_answer_form,
    boundary_form,
)
from twofold.program.models import (
    Assignment,
    BoundaryAnswer,
    ChangeNote,
    ExerciseFlag,
    Goal,
    Plan,
    PlanEvent,
    PracticeLog,
    StageReadiness,
)

NOT_OPEN = "program/not_open.html"


def _participation_summary(request: AuthenticatedHttpRequest, couple: Couple) -> dict[str, Any]:
    """Who practised this week and in the last four: facts, never content."""
    user = request.user
    today = timezone.localdate()
    since = today - timedelta(days=27)
    facts = participation(PracticeLog, user, couple, practised_on__gte=since)
    partner = couple.partner_of(user)
    week_start = today - timedelta(days=today.weekday())
    mine = [d for owner, d, *_ in facts if owner == user.pk]
    theirs = [d for owner, d, *_ in facts if partner and owner == partner.user_id]
    return {
        "me_week": sum(1 for d in mine if d >= week_start),
        "partner_week": sum(1 for d in theirs if d >= week_start),
        "me_month": len(mine),
        "partner_month": len(theirs),
        "partner": partner,
    }


@require_GET
@partner_page(not_open=NOT_OPEN)
def program_home(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    plan = get_plan(request.user, couple)
    user = request.user
    shared = boundaries.overlap(couple)
    flagged = actions.flagged_keys(plan)
    offered = actions.offered_exercises(plan, shared, flagged)
    assignments = list(Assignment.objects.visible_to(user).filter(plan=plan))
    active_keys = {a.exercise_key for a in assignments if a.withdrawn_at is None}
    recently = timezone.now() - timedelta(days=14)
    set_aside = [a for a in assignments if a.withdrawn_at and a.withdrawn_at >= recently]
    program = plan.program
    context = {
        "couple": couple,
        "plan": plan,
        "program": program,
        "stage": plan.stage,
        "stages": list(enumerate(program.stages)),
        "assigned": [e for e in offered if e.key in active_keys],
        "suggested": [e for e in offered if e.key not in active_keys],
        "earlier": actions.earlier_exercises(plan, shared, flagged),
        "before_genital_stage": program.before_genital_stage(plan.stage_index),
        "set_aside": [(a, program.exercise(a.exercise_key)) for a in set_aside],
        "flags": [
            (f, program.exercise(f.exercise_key))
            for f in ExerciseFlag.objects.visible_to(user).filter(plan=plan)
        ],
        # Read through the policy: a partner learns only their own readiness mark, and
        # only the person who paused learns that they did.
        "i_am_ready": user.pk
        in participants(
            StageReadiness, user, couple, stage_index=plan.stage_index, cleared_at__isnull=True
        ),
        "paused_by_me": user.pk in participants(Plan, user, couple),
        "summary": _participation_summary(request, couple),
        "overlap_empty": not shared,
    }
    return render(request, "program/home.html", context)


def _pace_change(
    request: AuthenticatedHttpRequest,
    couple: Couple,
    change: Callable[[Plan], Any],
    said: Callable[[Any], str],
) -> HttpResponse:
    """Run one pacing change; say how it went, kindly, and go back to the program."""
    plan = get_plan(request.user, couple)
    try:
        outcome = change(plan)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, said(outcome))
    return redirect("program_home")


@require_POST
@partner_page(not_open=NOT_OPEN)
def program_ready(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    ready = request.POST.get("ready") == "yes"

    def said(moved: bool) -> str:
        if moved:
            return _("You've both said you're ready, so you've moved on together.")
        if ready:
            return _("Noted. You'll move on when you're both ready; there's no hurry.")
        return _("Noted. You'll stay with this stage for now.")

    return _pace_change(
        request, couple, lambda plan: actions.set_ready(plan, ready, acting_user=request.user), said
    )


@require_POST
@partner_page(not_open=NOT_OPEN)
def program_step_back(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    return _pace_change(
        request,
        couple,
        lambda plan: actions.step_back(plan, acting_user=request.user),
        lambda _outcome: _("You've stepped back a stage. Going back is part of going on."),
    )


@require_POST
@partner_page(not_open=NOT_OPEN)
def program_pause(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    return _pace_change(
        request,
        couple,
        lambda plan: actions.pause(plan, acting_user=request.user),
        lambda _outcome: _("The program is paused. Resume it whenever you're ready."),
    )


@require_POST
@partner_page(not_open=NOT_OPEN)
def program_resume(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    return _pace_change(
        request,
        couple,
        lambda plan: actions.resume(plan, acting_user=request.user),
        lambda _outcome: _("Welcome back. The program is running again."),
    )


def _visible_exercise(
    request: AuthenticatedHttpRequest, plan: Plan, key: str
) -> tuple[content.Exercise, int]:
    """An exercise the couple may open, and its stage's position.

    Any exercise of this stage or an earlier one (moving on never takes one away), inside
    both partners' boundaries and not marked "not right for you" by the care team.
    """
    program = plan.program
    exercise = program.exercise(key)
    stage = program.stage_of(key)
    if (
        exercise is None
        or stage is None
        or stage > plan.stage_index
        or key in actions.flagged_keys(plan)
        or not exercise.fits(boundaries.overlap(plan.couple))
    ):
        raise Http404
    return exercise, stage


@require_GET
@partner_page(not_open=NOT_OPEN)
def exercise_detail(request: AuthenticatedHttpRequest, couple: Couple, key: str) -> HttpResponse:
    plan = get_plan(request.user, couple)
    exercise, stage_index = _visible_exercise(request, plan, key)
    program = plan.program
    optional_shared: list[str] = []
    if exercise.optional_activities:
        # Read from this person's side: "Touching your partner's chest" when agreed.
        shared = boundaries.shared_for(couple, request.user)
        optional_shared = [
            a.label
            for a in content.activities().values()
            if a.key in exercise.optional_activities and a.key in shared
        ]
    return render(
        request,
        "program/exercise.html",
        {
            "plan": plan,
            "exercise": exercise,
            "program": program,
            "labels": content.activities(),
            "optional_shared": optional_shared,
            "stage": program.stages[stage_index],
            "stage_number": stage_index + 1,
            "from_earlier_stage": stage_index < plan.stage_index,
            "conditions": program.conditions_for(exercise),
            # Before the genital stage, touch can still bring arousal: say what to do.
            "arousal_note": (
                program.arousal_note
                if exercise.touch
                and not exercise.solo
                and program.before_genital_stage(stage_index)
                else ""
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@partner_page(not_open=NOT_OPEN)
def practice_log_new(request: AuthenticatedHttpRequest, couple: Couple, key: str) -> HttpResponse:
    plan = get_plan(request.user, couple)
    exercise, _stage = _visible_exercise(request, plan, key)
    form = PracticeLogForm(
        request.POST if request.method == "POST" else None,
        guided=couple.is_guided,
        touch=exercise.touch,
        solo=exercise.solo,
    )
    if request.method == "POST" and form.is_valid():
        actions.log_practice(plan, exercise, **form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Thank you. Your log is saved."))
        return redirect("program_home")
    return render(
        request,
        "program/log_form.html",
        {"plan": plan, "exercise": exercise, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@partner_page(not_open=NOT_OPEN)
def practice_logs(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    plan = get_plan(request.user, couple)
    logs = list(
        PracticeLog.objects.visible_to(request.user)
        .filter(couple=couple)
        .select_related("owner")[:200]
    )
    program = plan.program
    rows = [(log, program.exercise(log.exercise_key)) for log in logs]
    return render(
        request,
        "program/logs.html",
        {"rows": rows, "summary": _participation_summary(request, couple), "plan": plan},
    )


@require_GET
@partner_page(not_open=NOT_OPEN)
def program_history(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    plan = get_plan(request.user, couple)
    events = PlanEvent.objects.visible_to(request.user).filter(plan=plan).select_related("actor")
    # Who made each change, as far as the viewer may know (never who paused).
    known_actor = {
        event_id: actor_id
        for actor_id, _at, event_id in participation(PlanEvent, request.user, couple, plan=plan)
    }
    program = plan.program
    rows = [
        (
            e,
            known_actor.get(e.pk),
            program.stages[e.stage_index].title if e.stage_index < len(program.stages) else "",
            program.exercise(e.exercise_key) if e.exercise_key else None,
        )
        for e in events[:300]
    ]
    return render(request, "program/history.html", {"rows": rows, "plan": plan})


def _own_answers(user: Any, couple: Couple) -> dict[str, str]:
    return dict(
        BoundaryAnswer.objects.visible_to(user)
        .filter(couple=couple)
        .values_list("activity_key", "answer")
    )


def _group_ids() -> dict[str, str]:
    """Each kind of activity, in the order of the activities file, with its element id."""
    ids: dict[str, str] = {}
    for activity in content.activities().values():
        ids.setdefault(activity.group, f"boundary-group-{len(ids) + 1}")
    return ids


def _group_count(group: str, mine: dict[str, str]) -> dict[str, Any]:
    """How many of a kind's activities this person has answered: a count, never answers."""
    keys = [a.key for a in content.activities().values() if a.group == group]
    return {
        "id": _group_ids()[group],
        "answered": sum(1 for key in keys if key in mine),
        "total": len(keys),
    }


def _shared_labels(couple: Couple, user: Any) -> list[str]:
    """The shared list as this person reads it (giving and receiving from their side)."""
    shared = boundaries.shared_for(couple, user)
    return [a.label for a in content.activities().values() if a.key in shared]


def _boundaries_response(
    request: AuthenticatedHttpRequest,
    couple: Couple,
    form: Any,
    mine: dict[str, str],
    status: int = 200,
) -> HttpResponse:
    user = request.user
    groups: list[dict[str, Any]] = []
    by_name: dict[str, dict[str, Any]] = {}
    for activity in content.activities().values():
        if activity.group not in by_name:
            by_name[activity.group] = {"name": activity.group, "fields": []}
            by_name[activity.group].update(_group_count(activity.group, mine))
            groups.append(by_name[activity.group])
        by_name[activity.group]["fields"].append(form[activity.key])
    for group in groups:
        # Open where something waits for an answer (or needs another look); folded when done.
        group["open"] = group["answered"] < group["total"] or any(
            field.errors for field in group["fields"]
        )
    # Only to this person: their earlier answers were carried over to a finer list.
    finer_list_note = (
        ChangeNote.objects.visible_to(user)
        .filter(couple=couple, kind=ChangeNote.Kind.FINER_BOUNDARIES, read_at__isnull=True)
        .exists()
    )
    return render(
        request,
        "program/boundaries.html",
        {
            "form": form,
            "groups": groups,
            "overlap": _shared_labels(couple, user),
            "couple": couple,
            "finer_list_note": finer_list_note,
        },
        status=status,
    )


def _set_aside_note() -> str:
    return _("Some exercises were set aside, to stay within what feels right for both of you.")


@require_http_methods(["GET", "POST"])
@partner_page()
@privacy_locked(Locked.BOUNDARIES)
def boundaries_page(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    """Every answer at once: the page's own form, which works without JavaScript."""
    user = request.user
    mine = _own_answers(user, couple)
    form = boundary_form(mine, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if v}
        try:
            set_aside = actions.save_boundaries(couple, answers, acting_user=user)
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved. You can change these whenever you like."))
            if set_aside:
                messages.info(request, _set_aside_note())
            return redirect("boundaries")
    return _boundaries_response(request, couple, form, mine, 400 if form.errors else 200)


@require_POST
@partner_page()
@privacy_locked(Locked.BOUNDARIES)
def boundary_answer(request: AuthenticatedHttpRequest, couple: Couple, key: str) -> HttpResponse:
    """One answer, saved as it is chosen (htmx posts only that activity's value).

    The answer is the row's quiet "Saved", with the kind's count and the shared list
    swapped in out of band, since one answer can change the list. It goes through the
    same action as the whole form, so the same rule sets exercises aside. An answer that
    is not one of the four changes nothing (400).
    """
    activity = content.activities().get(key)
    if activity is None:
        raise Http404
    user = request.user
    mine = _own_answers(user, couple)
    form = boundary_answer_form(activity, mine.get(key), request.POST)
    error = ""
    set_aside = 0
    if form.is_valid():
        try:
            set_aside = actions.save_boundaries(
                couple, {key: form.cleaned_data[key]}, acting_user=user
            )
        except ActionError as exc:
            error = str(exc.message)
        else:
            mine[key] = form.cleaned_data[key]
    else:
        error = str(form.errors[key][0])
    if not request.htmx:
        # Sent without htmx: a plain post lands back on the page, like the whole form.
        if error:
            messages.error(request, error)
            return _boundaries_response(request, couple, boundary_form(mine), mine, 400)
        messages.success(request, _("Saved. You can change these whenever you like."))
        if set_aside:
            messages.info(request, _set_aside_note())
        return redirect("boundaries")
    return render(
        request,
        "program/_boundary_saved.html",
        {
            "error": error,
            "set_aside": set_aside,
            "count": _group_count(activity.group, mine),
            "overlap": _shared_labels(couple, user),
        },
        status=400 if error else 200,
    )


def _goal_lists(request: AuthenticatedHttpRequest, couple: Couple) -> dict[str, Any]:
    user = request.user
    goals = list(
        Goal.objects.visible_to(user).filter(couple=couple).exclude(state=Goal.State.ARCHIVED)
    )
    seats = [p.user_id for p in couple.seats() if p.user_id is not None]
    practised = [(owner, day) for owner, day in participation(PracticeLog, user, couple)]
    today = timezone.localdate()
    shared = []
    for goal in goals:
        if goal.state == Goal.State.SHARED:
            tracked = goal.measure == Goal.Measure.PRACTICE_TOGETHER
            # The weeks you did it, never a score against the aim: a goal is not a test.
            weeks = [
                start
                for start, together in actions.weeks_practised_together(practised, seats, today)
                if together
            ]
            shared.append((goal, tracked, weeks if tracked else []))
    return {
        "drafts": [g for g in goals if g.state == Goal.State.DRAFT and g.owner_id == user.pk],
        "for_me": [g for g in goals if g.state == Goal.State.PROPOSED and g.awaiting_id == user.pk],
        "waiting": [
            g for g in goals if g.state == Goal.State.PROPOSED and g.awaiting_id != user.pk
        ],
        "shared": shared,
        "partner": couple.partner_of(user),
        "today": today,
    }


@require_http_methods(["GET", "POST"])
@partner_page(not_open=NOT_OPEN)
def goals_page(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    form = GoalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.create_goal(couple, **form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Saved as a private draft."))
        return redirect("goals")
    context = {"form": form, "response_form": GoalResponseForm(), **_goal_lists(request, couple)}
    return render(request, "program/goals.html", context, status=400 if form.errors else 200)


@require_POST
@partner_page(not_open=NOT_OPEN)
def goal_propose(request: AuthenticatedHttpRequest, couple: Couple, goal_id: Any) -> HttpResponse:
    goal = get_goal_for_user(request.user, goal_id)
    try:
        actions.propose_goal(couple, goal, acting_user=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Proposed. Your partner can accept it, suggest other words, or say not now.")
        )
    return redirect("goals")


@require_POST
@partner_page(not_open=NOT_OPEN)
def goal_respond(request: AuthenticatedHttpRequest, couple: Couple, goal_id: Any) -> HttpResponse:
    goal = get_goal_for_user(request.user, goal_id)
    form = GoalResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose an answer."))
        return redirect("goals")
    try:
        actions.respond_to_goal(
            goal,
            form.cleaned_data["response"],
            form.cleaned_data["suggestion"],
            acting_user=request.user,
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            {
                "accept": _("It's a shared goal now."),
                "decline": _("Thank you for being honest. It's back with your partner."),
                "suggest": _("Your suggestion is with your partner."),
            }[form.cleaned_data["response"]],
        )
    return redirect("goals")


@require_POST
@partner_page(not_open=NOT_OPEN)
def goal_put_away(request: AuthenticatedHttpRequest, couple: Couple, goal_id: Any) -> HttpResponse:
    goal = get_goal_for_user(request.user, goal_id)
    try:
        actions.put_away_goal(goal, acting_user=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Put away."))
    return redirect("goals")
