"""Writes for the program: pacing, practice, boundaries, assignments and goals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _

from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.lib import clock
from twofold.lib.audit import AuditContext, What
from twofold.lib.errors import ActionError
from twofold.program import boundaries, content
from twofold.program.models import (
    Assignment,
    BoundaryAnswer,
    ChangeNote,
    ExerciseFlag,
    Goal,
    Plan,
    PlanEvent,
    PracticeLog,
    ProgramVersion,
    StageApproval,
    StageReadiness,
)


def snapshot(program: content.Program) -> ProgramVersion:
    """The stored copy of this program version, made on first use."""
    version, created = ProgramVersion.objects.get_or_create(
        key=program.key,
        version=program.version,
        defaults={"title": program.title, "sha256": program.sha256, "data": program.raw},
    )
    if not created and version.sha256 != program.sha256:
        raise content.ContentError(
            program.key, "version", "the content changed without a new version number"
        )
    return version


@transaction.atomic
def ensure_plan(couple: Couple) -> Plan:
    """The couple's plan, on their clinic's program; started when the couple opens."""
    existing = Plan.objects.select_related("program_version").filter(couple=couple).first()
    if existing:
        return existing
    key = couple.clinic.program_key if couple.clinic else "default"
    program = content.programs().get(key) or content.programs()["default"]
    plan = Plan.objects.create(couple=couple, program_version=snapshot(program))
    PlanEvent.objects.create(plan=plan, couple=couple, kind=PlanEvent.Kind.STARTED, stage_index=0)
    return plan


def _event(plan: Plan, actor: Any, kind: str, exercise_key: str = "") -> None:
    PlanEvent.objects.create(
        plan=plan,
        couple_id=plan.couple_id,
        actor=actor,
        kind=kind,
        stage_index=plan.stage_index,
        exercise_key=exercise_key,
    )


def _clear_marks(plan: Plan) -> None:
    now = clock.now()
    StageReadiness.objects.filter(plan=plan, cleared_at__isnull=True).update(cleared_at=now)
    StageApproval.objects.filter(plan=plan, cleared_at__isnull=True).update(cleared_at=now)


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("couple").get(pk=plan.pk)


def readiness_of(plan: Plan) -> set[int]:
    """User ids of the partners marked ready for the current stage.

    For the write side only (does the couple move on?); pages learn readiness through
    the policy's participation scope, where a partner sees only their own mark.
    """
    return set(
        StageReadiness.objects.filter(
            plan=plan, stage_index=plan.stage_index, cleared_at__isnull=True
        ).values_list("owner_id", flat=True)
    )


def is_approved(plan: Plan) -> bool:
    return StageApproval.objects.filter(
        plan=plan, stage_index=plan.stage_index, cleared_at__isnull=True
    ).exists()


def _advance_if_agreed(plan: Plan) -> bool:
    """Move on when both partners are ready (and, when guided, the care team agrees)."""
    if plan.is_paused or plan.is_last_stage:
        return False
    seats = {p.user_id for p in plan.couple.seats()}
    if len(seats) < 2 or not seats <= readiness_of(plan):
        return False
    if plan.needs_approval and not is_approved(plan):
        return False
    _clear_marks(plan)
    plan.stage_index += 1
    plan.save(update_fields=["stage_index"])
    _event(plan, None, PlanEvent.Kind.ADVANCED)
    return True


@transaction.atomic
def set_ready(plan: Plan, ready: bool, *, acting_user: User) -> bool:
    """Mark or unmark oneself ready; returns True when this moved the couple on."""
    plan = _locked(plan)
    if plan.is_paused:
        raise ActionError(_("The program is paused, so nothing moves on for now."), "paused")
    if plan.is_last_stage:
        raise ActionError(_("This is the last stage; there is nowhere further to go."), "last")
    current = StageReadiness.objects.filter(
        plan=plan, owner=acting_user, stage_index=plan.stage_index, cleared_at__isnull=True
    )
    if ready and not current.exists():
        StageReadiness.objects.create(
            plan=plan, couple_id=plan.couple_id, owner=acting_user, stage_index=plan.stage_index
        )
    elif not ready:
        current.update(cleared_at=clock.now())
    return _advance_if_agreed(plan)


@transaction.atomic
def approve(plan: Plan, *, acting_user: User, audit: AuditContext) -> bool:
    plan = _locked(plan)
    if plan.is_last_stage:
        raise ActionError(_("This couple is at the last stage."), "last")
    if not is_approved(plan):
        StageApproval.objects.create(
            plan=plan,
            couple_id=plan.couple_id,
            clinician=cast(Any, acting_user),
            stage_index=plan.stage_index,
        )
        _event(plan, acting_user, PlanEvent.Kind.APPROVED)
        audit.write(acting_user, plan.couple, What.PROGRAM_APPROVAL)
    return _advance_if_agreed(plan)


@transaction.atomic
def step_back(plan: Plan, *, acting_user: User) -> None:
    plan = _locked(plan)
    if plan.stage_index == 0:
        raise ActionError(_("You're at the first stage already."), "first")
    _clear_marks(plan)
    plan.stage_index -= 1
    plan.save(update_fields=["stage_index"])
    _event(plan, acting_user, PlanEvent.Kind.STEPPED_BACK)


@transaction.atomic
def pause(plan: Plan, *, acting_user: User) -> None:
    plan = _locked(plan)
    if plan.is_paused:
        return
    plan.paused_at, plan.paused_by = clock.now(), acting_user
    plan.save(update_fields=["paused_at", "paused_by"])
    _event(plan, acting_user, PlanEvent.Kind.PAUSED)


@transaction.atomic
def resume(plan: Plan, *, acting_user: User) -> None:
    plan = _locked(plan)
    if not plan.is_paused:
        return
    if plan.paused_by_id != acting_user.pk:
        raise ActionError(
            _("The program can be resumed by the partner who paused it."), "not_pauser"
        )
    plan.paused_at, plan.paused_by = None, None
    plan.save(update_fields=["paused_at", "paused_by"])
    _event(plan, acting_user, PlanEvent.Kind.RESUMED)


def flagged_keys(plan: Plan) -> set[str]:
    return set(ExerciseFlag.objects.filter(plan=plan).values_list("exercise_key", flat=True))


def offered_exercises(
    plan: Plan, overlap: frozenset[str], flagged: set[str] | None = None
) -> list[content.Exercise]:
    """This stage's exercises that fit both partners' boundaries and the care team's view."""
    flagged = flagged_keys(plan) if flagged is None else flagged
    return [e for e in plan.stage.exercises if e.fits(overlap) and e.key not in flagged]


def earlier_exercises(
    plan: Plan, overlap: frozenset[str], flagged: set[str] | None = None
) -> list[tuple[int, content.Stage, list[content.Exercise]]]:
    """The stages before this one, each with its exercises that still fit.

    A couple can go back to any earlier exercise at any time: moving on never takes one
    away (boundaries and the care team's "not right for you" still apply).
    """
    flagged = flagged_keys(plan) if flagged is None else flagged
    found = []
    for index, stage in enumerate(plan.program.stages[: plan.stage_index]):
        fitting = [e for e in stage.exercises if e.fits(overlap) and e.key not in flagged]
        if fitting:
            found.append((index, stage, fitting))
    return found


@transaction.atomic
def log_practice(
    plan: Plan, exercise: content.Exercise, *, acting_user: User, **fields: Any
) -> PracticeLog:
    if plan.program.exercise(exercise.key) is None:
        raise ActionError(_("That exercise isn't part of your program."))
    return PracticeLog.objects.create(
        plan=plan,
        couple_id=plan.couple_id,
        owner=acting_user,
        exercise_key=exercise.key,
        stage_index=plan.program.stage_of(exercise.key) or 0,
        **fields,
    )


@transaction.atomic
def save_boundaries(couple: Couple, answers: dict[str, str], *, acting_user: User) -> int:
    """Store a partner's answers, then set aside assignments that left the overlap.

    Saving also marks as read this partner's own note that the list gained finer items.
    Returns how many assigned exercises were set aside.
    """
    known = content.activities()
    now = clock.now()
    for key, value in answers.items():
        if key not in known or value not in BoundaryAnswer.Answer.values:
            raise ActionError(_("Please choose one answer for each activity."))
        BoundaryAnswer.objects.update_or_create(
            couple=couple,
            owner=acting_user,
            activity_key=key,
            defaults={"answer": value, "updated_at": now},
        )
    ChangeNote.objects.filter(
        couple=couple,
        owner=acting_user,
        kind=ChangeNote.Kind.FINER_BOUNDARIES,
        read_at__isnull=True,
    ).update(read_at=now)
    return withdraw_outside_overlap(couple)


def withdraw_outside_overlap(couple: Couple) -> int:
    plan = Plan.objects.select_related("program_version").filter(couple=couple).first()
    if plan is None:
        return 0
    shared = boundaries.overlap(couple)
    program = plan.program
    crossing = []
    for assignment in Assignment.objects.filter(plan=plan, withdrawn_at__isnull=True):
        exercise = program.exercise(assignment.exercise_key)
        if exercise is None or not exercise.fits(shared):
            crossing.append(assignment.pk)
    if crossing:
        Assignment.objects.filter(pk__in=crossing).update(
            withdrawn_at=clock.now(), withdrawal=Assignment.Withdrawal.BOUNDARY
        )
    return len(crossing)


@transaction.atomic
def assign(plan: Plan, exercise_key: str, *, acting_user: User, audit: AuditContext) -> Assignment:
    exercise = plan.program.exercise(exercise_key)
    if exercise is None:
        raise ActionError(_("That exercise isn't part of this couple's program."))
    if not exercise.fits(boundaries.overlap(plan.couple)):
        raise ActionError(
            _("That exercise involves something outside what both partners are open to."),
            "outside_overlap",
        )
    if exercise_key in flagged_keys(plan):
        raise ActionError(_("You marked this exercise as not right for this couple."))
    existing = Assignment.objects.filter(
        plan=plan, exercise_key=exercise_key, withdrawn_at__isnull=True
    ).first()
    if existing:
        return existing
    assignment = Assignment.objects.create(
        plan=plan,
        couple_id=plan.couple_id,
        exercise_key=exercise_key,
        assigned_by=cast(Any, acting_user),
    )
    _event(plan, acting_user, PlanEvent.Kind.ASSIGNED, exercise_key)
    audit.write(acting_user, plan.couple, What.PROGRAM_ASSIGNMENT, object_id=assignment.pk)
    return assignment


@transaction.atomic
def withdraw_assignment(assignment: Assignment, *, acting_user: User, audit: AuditContext) -> None:
    if assignment.withdrawn_at:
        return
    Assignment.objects.filter(pk=assignment.pk).update(
        withdrawn_at=clock.now(), withdrawal=Assignment.Withdrawal.CARE_TEAM
    )
    _event(assignment.plan, acting_user, PlanEvent.Kind.WITHDRAWN, assignment.exercise_key)
    audit.write(
        acting_user, assignment.plan.couple, What.PROGRAM_ASSIGNMENT, object_id=assignment.pk
    )


@transaction.atomic
def mark_unsuitable(
    plan: Plan, exercise_key: str, note: str, *, acting_user: User, audit: AuditContext
) -> ExerciseFlag:
    if plan.program.exercise(exercise_key) is None:
        raise ActionError(_("That exercise isn't part of this couple's program."))
    flag = ExerciseFlag.objects.create(
        plan=plan,
        couple_id=plan.couple_id,
        exercise_key=exercise_key,
        note=note.strip(),
        flagged_by=cast(Any, acting_user),
    )
    Assignment.objects.filter(
        plan=plan, exercise_key=exercise_key, withdrawn_at__isnull=True
    ).update(withdrawn_at=clock.now(), withdrawal=Assignment.Withdrawal.CARE_TEAM)
    _event(plan, acting_user, PlanEvent.Kind.UNSUITABLE, exercise_key)
    audit.write(acting_user, plan.couple, What.PROGRAM_UNSUITABLE, object_id=flag.pk)
    return flag


# Goals -------------------------------------------------------------------------------


def _partner_id(couple: Couple, user: Any) -> Any:
    other = couple.partner_of(user)
    if other is None:
        raise ActionError(_("Your partner hasn't joined yet."), "no_partner")
    return other.user_id


@transaction.atomic
def create_goal(couple: Couple, *, acting_user: User, **fields: Any) -> Goal:
    return Goal.objects.create(couple=couple, owner=acting_user, **fields)


@transaction.atomic
def propose_goal(couple: Couple, goal: Goal, *, acting_user: User) -> None:
    if goal.owner_id != acting_user.pk or goal.state not in (Goal.State.DRAFT,):
        raise ActionError(_("Only a draft of yours can be proposed."))
    goal.state = Goal.State.PROPOSED
    goal.awaiting_id = _partner_id(couple, acting_user)
    goal.visible_to_partner = True
    goal.last_response = ""
    if goal.review_on is None:
        goal.review_on = clock.localdate() + timedelta(weeks=4)
    goal.save()


@transaction.atomic
def respond_to_goal(goal: Goal, response: str, suggestion: str = "", *, acting_user: User) -> None:
    """The awaited partner accepts, declines kindly, or suggests other wording."""
    if goal.state != Goal.State.PROPOSED or goal.awaiting_id != acting_user.pk:
        raise ActionError(_("This goal isn't waiting for your answer."), "not_awaiting")
    if response == "accept":
        if goal.suggested_text:
            goal.text, goal.suggested_text = goal.suggested_text, ""
        goal.state, goal.awaiting, goal.is_shared = Goal.State.SHARED, None, True
        goal.shared_at = clock.now()
    elif response == "decline":
        # Back to the author's drafts, with a kind word; the partner no longer sees it.
        goal.state, goal.awaiting, goal.visible_to_partner = Goal.State.DRAFT, None, False
        goal.suggested_text = ""
    elif response == "suggest":
        if not suggestion.strip():
            raise ActionError(_("Please write the wording you'd suggest."), "empty")
        goal.suggested_text = suggestion.strip()
        goal.awaiting_id = (
            goal.owner_id
            if acting_user.pk != goal.owner_id
            else _partner_id(goal.couple, acting_user)
        )
    else:
        raise ActionError(_("Unknown answer."))
    goal.last_response = response
    goal.save()


@transaction.atomic
def put_away_goal(goal: Goal, *, acting_user: User) -> None:
    if goal.owner_id != acting_user.pk and not goal.is_shared:
        raise ActionError(_("Only the person who wrote this goal can put it away."))
    goal.state, goal.awaiting = Goal.State.ARCHIVED, None
    goal.save(update_fields=["state", "awaiting"])


def weeks_practised_together(
    participation: list[tuple[int, date]], seats: list[int], today: date, weeks: int = 4
) -> list[tuple[date, int]]:
    """For each of the last ``weeks`` weeks (Monday first), days both partners practised."""
    days: dict[date, set[int]] = {}
    for owner_id, day in participation:
        days.setdefault(day, set()).add(owner_id)
    together = {day for day, owners in days.items() if set(seats) <= owners}
    monday = today - timedelta(days=today.weekday())
    result = []
    for back in range(weeks - 1, -1, -1):
        start = monday - timedelta(weeks=back)
        count = sum(1 for d in together if start <= d < start + timedelta(days=7))
        result.append((start, count))
    return result
