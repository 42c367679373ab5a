"""Deleting an account: a person's private rows go with them; the other partner's words stay.

Every foreign key to a person is decided here, one by one (see the README's architecture
paragraph): a new one without a decision fails :func:`test_every_link_to_a_person_is_decided`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from tests.factories import UserFactory, make_couple
from twofold.care.models import CareAssignment, CareNote, ClinicMembership
from twofold.checkins.models import CheckIn, CheckInSchedule
from twofold.conversations.models import TalkSession
from twofold.couples.models import Consent, Couple, Invitation, Partner
from twofold.cycles.models import AdjustmentCycle, OutcomeRating
from twofold.journal.models import Appreciation, JournalEntry, Moment
from twofold.lib.deletion import SetNullAndStamp, SetNullIf
from twofold.program import actions as program_actions
from twofold.program import content
from twofold.program.models import (
    Assignment,
    BoundaryAnswer,
    ExerciseFlag,
    Goal,
    Plan,
    PlanEvent,
    PracticeLog,
    StageApproval,
    StageReadiness,
)
from twofold.reminders.models import Reminder

KEEP = "kept without the person"  # SET_NULL and friends: the row stays
GOES = "deleted with the person"  # CASCADE: the person's own private row
DECIDED: dict[str, str] = {
    # The person's own rows.
    "care.ClinicMembership.user": GOES,
    "checkins.CheckIn.owner": GOES,
    "checkins.CheckInRevision.owner": GOES,
    "checkins.SafetyAnswer.owner": GOES,
    "couples.Consent.user": GOES,
    "journal.JournalEntry.owner": GOES,
    "outcomes.QuestionnaireResponse.owner": GOES,
    "outcomes.QuestionnaireResult.owner": GOES,
    "program.ChangeNote.owner": GOES,
    "program.BoundaryAnswer.owner": GOES,
    "program.PracticeLog.owner": GOES,
    "program.StageReadiness.owner": GOES,
    "reminders.Reminder.user": GOES,
    # Shared records and the couple's history: kept, the person forgotten.
    "care.CareAssignment.clinician": KEEP,
    "care.CareNote.author": KEEP,
    "checkins.CheckInSchedule.changed_by": KEEP,
    "checkins.CheckInSchedule.proposed_by": KEEP,
    "conversations.TalkSession.started_by": KEEP,
    "couples.Couple.created_by": KEEP,
    "couples.Invitation.accepted_by": KEEP,
    "couples.Invitation.invited_by": KEEP,
    "couples.Partner.user": KEEP,
    "cycles.AdjustmentCycle.awaiting": KEEP,
    "cycles.AdjustmentCycle.decided_by": KEEP,
    "cycles.AdjustmentCycle.proposed_by": KEEP,
    "cycles.AdjustmentCycle.raised_by": KEEP,
    "cycles.OutcomeRating.owner": KEEP,
    "journal.Appreciation.owner": KEEP,
    "journal.Appreciation.recipient": KEEP,
    "journal.Moment.owner": KEEP,
    "outcomes.OutcomeSchedule.changed_by": KEEP,
    "program.Assignment.assigned_by": KEEP,
    "program.ExerciseFlag.flagged_by": KEEP,
    "program.Goal.awaiting": KEEP,
    "program.Goal.owner": KEEP,  # shared goals stay; private drafts go (SetNullIf)
    "program.Plan.paused_by": KEEP,
    "program.PlanEvent.actor": KEEP,
    "program.StageApproval.clinician": KEEP,
    # The access log keeps the actor's name and role itself; no database constraint.
    "audit.AccessEvent.actor": "not a constraint",
    "audit.AccessEvent.subject": "not a constraint",
    "audit.NameChange.user": "not a constraint",
}


def _plan(couple: Couple) -> Plan:
    """The couple's plan (made when they became active, or here)."""
    existing = Plan.objects.filter(couple=couple).first()
    if existing is not None:
        return existing
    program = content.programs()["default"]
    return Plan.objects.create(couple=couple, program_version=program_actions.snapshot(program))


def _links_to_people() -> dict[str, Any]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    links = {}
    for model in apps.get_models():
        if not model.__module__.startswith("twofold."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is user_model:
                links[f"{model._meta.label}.{field.name}"] = field
    return links


def _kind(field: Any) -> str:
    rule = field.remote_field.on_delete
    if rule is models.CASCADE:
        return GOES
    if rule is models.SET_NULL or isinstance(rule, SetNullAndStamp | SetNullIf):
        return KEEP
    if rule is models.DO_NOTHING and not field.db_constraint:
        return "not a constraint"
    return f"blocks deletion ({rule.__name__ if hasattr(rule, '__name__') else rule})"


def test_every_link_to_a_person_is_decided():
    found = {label: _kind(field) for label, field in _links_to_people().items()}
    assert found == DECIDED


def test_nothing_stops_an_account_from_being_deleted():
    blocking = [
        label
        for label, field in _links_to_people().items()
        if field.remote_field.on_delete in (models.PROTECT, models.RESTRICT)
    ]
    assert blocking == []


@dataclass
class Shared:
    couple: Couple
    plan: Plan
    cycle_by_a: AdjustmentCycle
    cycle_by_b: AdjustmentCycle
    shared_goal_by_a: Goal
    draft_by_a: Goal
    goal_by_b: Goal
    moment_by_a: Moment
    moment_by_b: Moment
    note_to_b: Appreciation
    note_to_a: Appreciation
    rating_by_a: OutcomeRating
    rating_by_b: OutcomeRating
    event_by_a: PlanEvent
    talk_by_a: TalkSession
    schedule: CheckInSchedule


@pytest.fixture
def shared(couple, partner_a, partner_b) -> Shared:
    plan = _plan(couple)
    cycle_by_a = AdjustmentCycle.objects.create(
        couple=couple, raised_by=partner_a, concern="Alex's concern", reflection="Sam heard"
    )
    cycle_by_b = AdjustmentCycle.objects.create(
        couple=couple, raised_by=partner_b, concern="Sam's concern", proposed_by=partner_a
    )
    return Shared(
        couple=couple,
        plan=plan,
        cycle_by_a=cycle_by_a,
        cycle_by_b=cycle_by_b,
        shared_goal_by_a=Goal.objects.create(
            couple=couple,
            owner=partner_a,
            text="walk together",
            state=Goal.State.SHARED,
            visible_to_partner=True,
            is_shared=True,
        ),
        draft_by_a=Goal.objects.create(couple=couple, owner=partner_a, text="a private draft"),
        goal_by_b=Goal.objects.create(
            couple=couple, owner=partner_b, text="Sam's goal", visible_to_partner=True
        ),
        moment_by_a=Moment.objects.create(couple=couple, owner=partner_a, kind="humour"),
        moment_by_b=Moment.objects.create(couple=couple, owner=partner_b, kind="touch"),
        note_to_b=Appreciation.objects.create(
            couple=couple, owner=partner_a, recipient=partner_b, text="thank you, Sam"
        ),
        note_to_a=Appreciation.objects.create(
            couple=couple, owner=partner_b, recipient=partner_a, text="thank you, Alex"
        ),
        rating_by_a=OutcomeRating.objects.create(
            cycle=cycle_by_a, couple=couple, owner=partner_a, rating="helped"
        ),
        rating_by_b=OutcomeRating.objects.create(
            cycle=cycle_by_a, couple=couple, owner=partner_b, rating="helped"
        ),
        event_by_a=PlanEvent.objects.create(
            plan=plan, couple=couple, actor=partner_a, kind="started", stage_index=0
        ),
        talk_by_a=TalkSession.objects.create(
            couple=couple,
            script_key="weekly",
            script_version="1",
            speaker_seat="a",
            started_by=partner_a,
        ),
        schedule=CheckInSchedule.objects.update_or_create(
            couple=couple, defaults={"anchor": date(2026, 11, 30), "changed_by": partner_a}
        )[0],
    )


def _visible(model: type[models.Model], user: Any) -> set[Any]:
    return set(model.objects.visible_to(user).values_list("pk", flat=True))  # type: ignore[attr-defined]


def test_deleting_a_partner_keeps_everything_the_other_partner_wrote_or_received(
    shared, partner_a, partner_b
):
    partner_a.delete()

    assert _visible(AdjustmentCycle, partner_b) == {shared.cycle_by_a.pk, shared.cycle_by_b.pk}
    assert AdjustmentCycle.objects.get(pk=shared.cycle_by_a.pk).reflection == "Sam heard"
    assert _visible(Goal, partner_b) == {shared.shared_goal_by_a.pk, shared.goal_by_b.pk}
    assert _visible(Moment, partner_b) == {shared.moment_by_a.pk, shared.moment_by_b.pk}
    assert _visible(Appreciation, partner_b) == {shared.note_to_b.pk, shared.note_to_a.pk}
    assert Appreciation.objects.get(pk=shared.note_to_b.pk).text == "thank you, Sam"
    assert _visible(OutcomeRating, partner_b) == {shared.rating_by_a.pk, shared.rating_by_b.pk}
    assert shared.event_by_a.pk in _visible(PlanEvent, partner_b)
    assert _visible(TalkSession, partner_b) == {shared.talk_by_a.pk}
    assert _visible(CheckInSchedule, partner_b) == {shared.schedule.pk}
    assert _visible(Plan, partner_b) == {shared.plan.pk}


def test_deleting_a_partner_takes_their_private_drafts_with_them(shared, partner_a):
    partner_a.delete()

    assert not Goal.objects.filter(pk=shared.draft_by_a.pk).exists()
    assert Goal.objects.get(pk=shared.shared_goal_by_a.pk).owner_id is None


def test_what_a_departed_partner_did_is_credited_to_a_former_partner(shared, partner_a, partner_b):
    partner_a.delete()

    couple = Couple.objects.get(pk=shared.couple.pk)
    cycle = AdjustmentCycle.objects.get(pk=shared.cycle_by_a.pk)
    cycle.awaiting = partner_b
    assert "a former partner" in cycle.status_for(partner_b, couple, timezone.localdate())


def test_deleting_a_partner_deletes_their_own_private_rows(couple, partner_a, partner_b):
    scores = dict.fromkeys(
        ("openness", "sexual_comfort", "mutual_support", "stress", "sleep_quality", "mood"),
        5,
    )
    plan = _plan(couple)
    JournalEntry.objects.create(
        couple=couple, owner=partner_a, body="mine", shared_with_partner=True
    )
    CheckIn.objects.create(
        couple=couple, owner=partner_a, period_start=date(2026, 11, 30), **scores
    )
    PracticeLog.objects.create(
        plan=plan,
        couple=couple,
        owner=partner_a,
        exercise_key="x",
        stage_index=0,
        comfort=5,
        anxiety=5,
        closeness=5,
        pleasure=5,
    )
    BoundaryAnswer.objects.create(couple=couple, owner=partner_a, activity_key="x", answer="yes")
    StageReadiness.objects.create(plan=plan, couple=couple, owner=partner_a, stage_index=0)
    Reminder.objects.create(
        user=partner_a, kind="checkin", occasion="2026-11-30", path="/", due_at=timezone.now()
    )
    JournalEntry.objects.create(couple=couple, owner=partner_b, body="Sam's own")

    partner_a.delete()

    for model in (JournalEntry, CheckIn, PracticeLog, BoundaryAnswer, StageReadiness):
        assert list(model.objects.values_list("owner_id", flat=True)) in ([], [partner_b.pk])
    assert not Reminder.objects.exists()
    assert not Consent.objects.filter(user_id=partner_a.pk).exists()
    assert JournalEntry.objects.filter(owner=partner_b).count() == 1


@pytest.fixture
def care_records(couple, clinician, partner_a):
    plan = _plan(couple)
    invitation, _raw = Invitation.issue(
        email="newcomer@example.org",
        role=Invitation.Role.CLINICIAN,
        clinic=couple.clinic,
        invited_by=clinician,
    )
    return {
        "note": CareNote.objects.create(couple=couple, author=clinician, text="seen today"),
        "assignment": Assignment.objects.create(
            plan=plan, couple=couple, exercise_key="x", assigned_by=clinician
        ),
        "approval": StageApproval.objects.create(
            plan=plan, couple=couple, clinician=clinician, stage_index=0
        ),
        "flag": ExerciseFlag.objects.create(
            plan=plan, couple=couple, exercise_key="y", flagged_by=clinician, note="not now"
        ),
        "invitation": invitation,
    }


def test_deleting_the_clinician_keeps_their_notes_and_assignments_with_their_name(
    couple, clinician, care_records
):
    clinician.delete()  # no ProtectedError

    note = CareNote.objects.get(pk=care_records["note"].pk)
    assert (note.author_id, note.writer_label, note.text) == (None, "Dr Rivera", "seen today")
    assert Assignment.objects.get(pk=care_records["assignment"].pk).writer_label == "Dr Rivera"
    assert StageApproval.objects.get(pk=care_records["approval"].pk).writer_label == "Dr Rivera"
    assert ExerciseFlag.objects.get(pk=care_records["flag"].pk).writer_label == "Dr Rivera"
    assert Invitation.objects.get(pk=care_records["invitation"].pk).writer_label == "Dr Rivera"


def test_a_deleted_clinicians_caseload_ends_and_remembers_them(couple, clinician):
    clinician.delete()

    assignment = CareAssignment.objects.get(couple=couple)
    assert assignment.clinician_id is None
    assert assignment.ended_at is not None
    assert assignment.writer_label == "Dr Rivera"
    assert not ClinicMembership.objects.filter(user_id=clinician.pk).exists()


def test_a_renamed_clinician_keeps_the_name_they_wrote_under(couple, clinician):
    note = CareNote.objects.create(couple=couple, author=clinician, text="first")
    clinician.display_name = "Dr R. Rivera"
    clinician.save()

    assert CareNote.objects.get(pk=note.pk).author_name == "Dr Rivera"


def test_a_partner_who_deletes_their_account_leaves_the_couple(couple, partner_a, partner_b):
    partner_b.delete()

    assert Partner.objects.filter(couple=couple).count() == 2
    assert not Couple.objects.get(pk=couple.pk).is_active
    other = make_couple(UserFactory())
    assert Partner.objects.filter(couple=other).count() == 1
