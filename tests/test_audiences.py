"""Who sees what: one row of every declared model, persona by persona.

The table below is the policy of PRODUCT.md §4 written out. Each case builds one row
(authored by Alex where there is an author) and lists exactly the people who may read it
through ``visible_to``. ``test_widening_any_grant_breaks_the_table`` then widens each grant
in turn and checks that this table notices, so the table cannot pass by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tests.factories import UserFactory, make_couple, make_staff
from twofold.care.models import CareAssignment, CareNote, ClinicMembership
from twofold.checkins.models import CheckIn, CheckInRevision, CheckInSchedule, SafetyAnswer
from twofold.conversations.models import TalkSession
from twofold.couples.models import Consent, Couple, Invitation, Partner
from twofold.couples.visibility import (
    CareTeam,
    CareWhileAllConsent,
    CareWhileOwnerConsents,
    Owner,
    PartnerAfterReveal,
    PartnerIfShared,
    Partners,
    Recipient,
    care_team_couple_ids,
    declared_partner_data_models,
    is_partner,
    partner_couple_ids,
)
from twofold.cycles.models import AdjustmentCycle, OutcomeRating
from twofold.journal.models import Appreciation, JournalEntry, Moment
from twofold.outcomes.models import OutcomeSchedule, QuestionnaireResponse, QuestionnaireResult
from twofold.program import actions as program_actions
from twofold.program import content
from twofold.program.models import (
    Assignment,
    BoundaryAnswer,
    ChangeNote,
    ExerciseFlag,
    Goal,
    Plan,
    PlanEvent,
    PracticeLog,
    StageApproval,
    StageReadiness,
)

PERSONAS = (
    "author",  # Alex, partner A
    "partner",  # Sam, partner B
    "clinician",  # on Alex and Sam's care team
    "other_clinician",  # another clinic
    "clinic_admin",  # runs Alex and Sam's clinic
    "anon",
    "stranger",  # a partner in another couple of the same clinic, same clinician
    "colleague",  # another clinician of the same clinic, not on this couple's care team
    "moved_away",  # still assigned to the couple, but now works for another clinic
)
OUTSIDERS = {
    "other_clinician",
    "clinic_admin",
    "anon",
    "stranger",
    "colleague",
    "moved_away",
}
MONDAY = date(2026, 11, 30)


@dataclass
class World:
    couple: Couple
    a: Any
    b: Any
    clinician: Any
    plan: Plan

    def withdraw_care(self, person: Any) -> None:
        Consent.objects.filter(couple=self.couple, user=person, kind="care").update(
            withdrawn_at=timezone.now()
        )


def _plan(couple: Couple) -> Plan:
    existing = Plan.objects.filter(couple=couple).first()
    if existing is not None:
        return existing
    program = content.programs()["default"]
    return Plan.objects.create(couple=couple, program_version=program_actions.snapshot(program))


def _checkin(w: World, owner: Any, **extra: Any) -> CheckIn:
    scores = dict.fromkeys(
        ("openness", "sexual_comfort", "mutual_support", "stress", "sleep_quality", "mood"),
        5,
    )
    return CheckIn.objects.create(
        couple=w.couple, owner=owner, period_start=MONDAY, **scores, **extra
    )


def _log(w: World, **flags: Any) -> PracticeLog:
    return PracticeLog.objects.create(
        plan=w.plan,
        couple=w.couple,
        owner=w.a,
        exercise_key="breathing-together",
        stage_index=0,
        comfort=5,
        anxiety=5,
        closeness=5,
        pleasure=5,
        note="private words",
        **flags,
    )


def _cycle(w: World) -> AdjustmentCycle:
    return AdjustmentCycle.objects.create(couple=w.couple, raised_by=w.a, concern="a concern")


def _talk(w: World) -> TalkSession:
    return TalkSession.objects.create(
        couple=w.couple, script_key="weekly", script_version="1", speaker_seat="a"
    )


def _safety_answer(w: World) -> SafetyAnswer:
    """Alex's private answer in a round both answered (reusing that round if built)."""
    return SafetyAnswer.objects.create(
        checkin=_revealed(w),
        couple=w.couple,
        owner=w.a,
        period_start=MONDAY,
        felt_safe=2,
        safe_with_each_other=3,
    )


def _revealed(w: World) -> CheckIn:
    """A round both answered (the one already built, where a case built it before)."""
    mine = CheckIn.objects.filter(couple=w.couple, owner=w.a, period_start=MONDAY).first()
    if mine is not None:
        return mine
    mine = _checkin(w, w.a)
    _checkin(w, w.b)
    return mine


def _withdrawn(build: Callable[[World], models.Model], who: str) -> Callable[[World], Any]:
    def make(w: World) -> Any:
        row = build(w)
        w.withdraw_care(w.a if who == "author" else w.b)
        return row

    return make


def _appreciation(w: World) -> Appreciation:
    return Appreciation.objects.create(couple=w.couple, owner=w.a, recipient=w.b, text="thanks")


def _appreciation_after_recipient_left(w: World) -> Appreciation:
    note = _appreciation(w)
    Partner.objects.filter(couple=w.couple, user=w.b).update(left_at=timezone.now())
    return note


def _outcome_schedule(w: World) -> OutcomeSchedule:
    # Made when the couple opened.
    return OutcomeSchedule.objects.get_or_create(couple=w.couple, defaults={"starts_on": MONDAY})[0]


def _result(w: World, **fields: Any) -> QuestionnaireResult:
    return QuestionnaireResult.objects.create(
        couple=w.couple,
        owner=w.a,
        instrument_key=fields.pop("instrument_key", "csi-4"),
        instrument_version="1",
        instrument_sha256="0" * 64,
        slot="baseline",
        total=fields.pop("total", 12),
        scored_with="1",
        **fields,
    )


def _answers(w: World, **fields: Any) -> QuestionnaireResponse:
    """Alex's answers (sent, with a result shared with Sam where ``shared``)."""
    shared = fields.pop("shared", False)
    key = fields.pop("instrument_key", "csi-4")
    result = _result(w, instrument_key=key, shared_with_partner=shared)
    response = QuestionnaireResponse(
        couple=w.couple,
        owner=w.a,
        instrument_key=key,
        instrument_version="1",
        instrument_sha256="0" * 64,
        slot="baseline",
        submitted_at=timezone.now(),
        result=result,
        **fields,
    )
    response.set_answer_values({"item": "1"})
    response.save()
    return response


def _draft_answers(w: World) -> QuestionnaireResponse:
    response = QuestionnaireResponse(
        couple=w.couple,
        owner=w.a,
        instrument_key="phq-9",
        instrument_version="1",
        instrument_sha256="0" * 64,
        slot="baseline",
        critical=["self_harm"],
    )
    response.set_answer_values({"self_harm": "1"})
    response.save()
    return response


def _event(kind: str, actor: str) -> Callable[[World], PlanEvent]:
    def make(w: World) -> PlanEvent:
        return PlanEvent.objects.create(
            plan=w.plan, couple=w.couple, actor=getattr(w, actor), kind=kind, stage_index=0
        )

    return make


COUPLE = {"author", "partner", "clinician"}
ONLY_AUTHOR = {"author"}
AUTHOR_AND_CARE = {"author", "clinician"}
PARTNERS = {"author", "partner"}

# (case, model, builder, who sees it)
CASES: list[tuple[str, type[models.Model], Callable[[World], Any], set[str]]] = [
    # The couple's records: both partners and the care team, consent or not.
    ("couple", Couple, lambda w: w.couple, COUPLE),
    ("couple, care consent withdrawn", Couple, _withdrawn(lambda w: w.couple, "author"), COUPLE),
    ("partner seat", Partner, lambda w: Partner.objects.get(user=w.a), COUPLE),
    ("consent", Consent, lambda w: Consent.objects.filter(user=w.a).first(), COUPLE),
    (
        "invitation",
        Invitation,
        lambda w: Invitation.objects.create(
            couple=w.couple,
            token_hash="x" * 64,
            email="new@example.org",
            role="partner",
            expires_at=timezone.now() + timedelta(days=1),
        ),
        COUPLE,
    ),
    (
        "care assignment",
        CareAssignment,
        lambda w: CareAssignment.objects.get(couple=w.couple, clinician=w.clinician),
        COUPLE,
    ),
    # Care-only records.
    (
        "care note",
        CareNote,
        lambda w: CareNote.objects.create(couple=w.couple, author=w.clinician, text="note"),
        {"clinician"},
    ),
    (
        "care note, care consent withdrawn",
        CareNote,
        _withdrawn(
            lambda w: CareNote.objects.create(couple=w.couple, author=w.clinician, text="n"), "b"
        ),
        {"clinician"},
    ),
    # The shared space: both partners; the care team while both share with it.
    ("plan", Plan, lambda w: w.plan, COUPLE),
    ("plan, one partner stopped sharing", Plan, _withdrawn(lambda w: w.plan, "partner"), PARTNERS),
    ("plan event", PlanEvent, _event("advanced", "a"), COUPLE),
    (
        "approval",
        StageApproval,
        lambda w: StageApproval.objects.create(
            plan=w.plan, couple=w.couple, clinician=w.clinician, stage_index=0
        ),
        COUPLE,
    ),
    (
        "assignment",
        Assignment,
        lambda w: Assignment.objects.create(plan=w.plan, couple=w.couple, exercise_key="x"),
        COUPLE,
    ),
    (
        "exercise flag",
        ExerciseFlag,
        lambda w: ExerciseFlag.objects.create(
            plan=w.plan, couple=w.couple, exercise_key="x", flagged_by=w.clinician
        ),
        COUPLE,
    ),
    (
        "check-in schedule",
        CheckInSchedule,
        # Made when the couple opened.
        lambda w: CheckInSchedule.objects.get_or_create(
            couple=w.couple, defaults={"anchor": MONDAY}
        )[0],
        COUPLE,
    ),
    ("adjustment cycle", AdjustmentCycle, _cycle, COUPLE),
    (
        "adjustment cycle, one partner stopped sharing",
        AdjustmentCycle,
        _withdrawn(_cycle, "partner"),
        PARTNERS,
    ),
    (
        "outcome rating",
        OutcomeRating,
        lambda w: OutcomeRating.objects.create(
            cycle=_cycle(w), couple=w.couple, owner=w.a, rating="better"
        ),
        COUPLE,
    ),
    (
        "moment",
        Moment,
        lambda w: Moment.objects.create(couple=w.couple, owner=w.a, kind="laughter"),
        COUPLE,
    ),
    # Talks: only the two partners (nothing is recorded in one).
    ("talk session", TalkSession, _talk, PARTNERS),
    # Mutual reveal.
    ("check-in, partner not answered yet", CheckIn, lambda w: _checkin(w, w.a), AUTHOR_AND_CARE),
    ("check-in, both answered", CheckIn, _revealed, COUPLE),
    (
        "check-in, both answered, author stopped sharing with care",
        CheckIn,
        _withdrawn(_revealed, "author"),
        PARTNERS,
    ),
    (
        "check-in, both answered, partner stopped sharing with care",
        CheckIn,
        _withdrawn(_revealed, "partner"),
        COUPLE,
    ),
    # About one partner: that partner and their care team, never the other partner.
    (
        "earlier check-in answers",
        CheckInRevision,
        lambda w: CheckInRevision.objects.create(
            checkin=_revealed(w), couple=w.couple, owner=w.a, answers="{}"
        ),
        AUTHOR_AND_CARE,
    ),
    (
        "private safety answer, even after both checked in",
        SafetyAnswer,
        lambda w: _safety_answer(w),
        AUTHOR_AND_CARE,
    ),
    (
        "readiness mark",
        StageReadiness,
        lambda w: StageReadiness.objects.create(
            plan=w.plan, couple=w.couple, owner=w.a, stage_index=0
        ),
        AUTHOR_AND_CARE,
    ),
    (
        "readiness mark, author stopped sharing with care",
        StageReadiness,
        _withdrawn(
            lambda w: StageReadiness.objects.create(
                plan=w.plan, couple=w.couple, owner=w.a, stage_index=0
            ),
            "author",
        ),
        ONLY_AUTHOR,
    ),
    # Private, shareable by the author.
    ("practice log, private", PracticeLog, lambda w: _log(w), ONLY_AUTHOR),
    (
        "practice log, shared with partner",
        PracticeLog,
        lambda w: _log(w, shared_with_partner=True),
        PARTNERS,
    ),
    (
        "practice log, shared with care",
        PracticeLog,
        lambda w: _log(w, shared_with_care=True),
        AUTHOR_AND_CARE,
    ),
    (
        "practice log, shared with care, author stopped sharing",
        PracticeLog,
        _withdrawn(lambda w: _log(w, shared_with_care=True), "author"),
        ONLY_AUTHOR,
    ),
    (
        "journal entry, private",
        JournalEntry,
        lambda w: JournalEntry.objects.create(couple=w.couple, owner=w.a, body="mine"),
        ONLY_AUTHOR,
    ),
    (
        "journal entry, shared with both",
        JournalEntry,
        lambda w: JournalEntry.objects.create(
            couple=w.couple,
            owner=w.a,
            body="ours",
            shared_with_partner=True,
            shared_with_care=True,
        ),
        COUPLE,
    ),
    (
        "goal, draft",
        Goal,
        lambda w: Goal.objects.create(couple=w.couple, owner=w.a, text="a draft"),
        ONLY_AUTHOR,
    ),
    (
        "goal, shared",
        Goal,
        lambda w: Goal.objects.create(
            couple=w.couple, owner=w.a, text="ours", visible_to_partner=True, is_shared=True
        ),
        COUPLE,
    ),
    (
        "boundary answer",
        BoundaryAnswer,
        lambda w: BoundaryAnswer.objects.create(
            couple=w.couple, owner=w.a, activity_key="holding-hands", answer="no"
        ),
        ONLY_AUTHOR,
    ),
    (
        "note that the boundaries list has finer items",
        ChangeNote,
        lambda w: ChangeNote.objects.create(couple=w.couple, owner=w.a, kind="finer_boundaries"),
        ONLY_AUTHOR,
    ),
    # Sender and recipient.
    ("appreciation note", Appreciation, _appreciation, PARTNERS),
    (
        "appreciation note, recipient left the couple",
        Appreciation,
        _appreciation_after_recipient_left,
        ONLY_AUTHOR,
    ),
    # Questionnaires: the schedule is the couple's record; answers (and the risk and
    # safety flags on them) are the author's and their care team's, never the partner's,
    # even once the score is shared; the score reaches the partner only when shared.
    ("questionnaire schedule", OutcomeSchedule, _outcome_schedule, COUPLE),
    (
        "questionnaire schedule, care consent withdrawn",
        OutcomeSchedule,
        _withdrawn(_outcome_schedule, "author"),
        COUPLE,
    ),
    (
        "questionnaire answers, a draft with a risk answer",
        QuestionnaireResponse,
        _draft_answers,
        AUTHOR_AND_CARE,
    ),
    (
        "questionnaire answers, their score shared with the partner",
        QuestionnaireResponse,
        lambda w: _answers(w, shared=True),
        AUTHOR_AND_CARE,
    ),
    (
        "questionnaire answers, author stopped sharing with care",
        QuestionnaireResponse,
        _withdrawn(lambda w: _answers(w, shared=True), "author"),
        ONLY_AUTHOR,
    ),
    (
        "safety screen answers, positive",
        QuestionnaireResponse,
        lambda w: _answers(w, instrument_key="hark", safety_positive=True, critical=["afraid"]),
        AUTHOR_AND_CARE,
    ),
    ("questionnaire result, not shared", QuestionnaireResult, _result, AUTHOR_AND_CARE),
    (
        "questionnaire result, shared with the partner",
        QuestionnaireResult,
        lambda w: _result(w, shared_with_partner=True),
        COUPLE,
    ),
    (
        "questionnaire result, shared, author stopped sharing with care",
        QuestionnaireResult,
        _withdrawn(lambda w: _result(w, shared_with_partner=True), "author"),
        PARTNERS,
    ),
    (
        "safety screen result (it can never be shared)",
        QuestionnaireResult,
        lambda w: _result(w, instrument_key="hark", total=1, private_safety=True),
        AUTHOR_AND_CARE,
    ),
]

# Who-did-what facts: who may know who did it (see Participation on each model).
FACTS: list[tuple[str, type[models.Model], Callable[[World], Any], set[str]]] = [
    ("who checked in", CheckIn, lambda w: _checkin(w, w.a), COUPLE),
    ("who practised", PracticeLog, lambda w: _log(w), COUPLE),
    (
        "who is ready",
        StageReadiness,
        lambda w: StageReadiness.objects.create(
            plan=w.plan, couple=w.couple, owner=w.a, stage_index=0
        ),
        AUTHOR_AND_CARE,
    ),
    ("who paused (history)", PlanEvent, _event("paused", "a"), AUTHOR_AND_CARE),
    ("who stepped back (history)", PlanEvent, _event("stepped_back", "a"), AUTHOR_AND_CARE),
    ("who suggested an exercise (history)", PlanEvent, _event("assigned", "a"), COUPLE),
]


@pytest.fixture
def world(couple, partner_a, partner_b, clinician, clinic) -> World:
    return World(couple=couple, a=partner_a, b=partner_b, clinician=clinician, plan=_plan(couple))


@pytest.fixture
def people(world, other_clinician, other_clinic, clinic_admin, clinic, clinician) -> dict[str, Any]:
    stranger = UserFactory(email="stranger@example.org", display_name="Jo")
    make_couple(stranger, UserFactory(), clinic=clinic, clinician=clinician)
    colleague = make_staff(clinic, "clinician", email="colleague@example.org")
    make_couple(UserFactory(), UserFactory(), clinic=clinic, clinician=colleague)
    moved_away = make_staff(clinic, "clinician", email="moved@example.org")
    CareAssignment.objects.create(couple=world.couple, clinician=moved_away)
    ClinicMembership.objects.filter(user=moved_away).update(ended_at=timezone.now())
    ClinicMembership.objects.create(clinic=other_clinic, user=moved_away, role="clinician")
    return {
        "author": world.a,
        "partner": world.b,
        "clinician": world.clinician,
        "other_clinician": other_clinician,
        "clinic_admin": clinic_admin,
        "anon": None,
        "stranger": stranger,
        "colleague": colleague,
        "moved_away": moved_away,
    }


def _sees(model: type[models.Model], row: Any, people: dict[str, Any]) -> set[str]:
    manager: Any = model._default_manager
    return {
        name for name in PERSONAS if manager.visible_to(people[name]).filter(pk=row.pk).exists()
    }


def _knows(model: type[models.Model], row: Any, people: dict[str, Any], world: World) -> set[str]:
    from twofold.couples.visibility import participants

    return {name for name in PERSONAS if participants(model, people[name], world.couple, pk=row.pk)}


def _mismatches(world: World, people: dict[str, Any]) -> list[str]:
    """Build every case (in a savepoint each) and say where the table and policy differ."""
    from django.db import transaction

    found = []
    for name, model, build, expected in CASES:
        with transaction.atomic():
            seen = _sees(model, build(world), people)
            transaction.set_rollback(True)
        if seen != expected:
            found.append(f"{name}: seen by {sorted(seen)}, expected {sorted(expected)}")
    for name, model, build, expected in FACTS:
        with transaction.atomic():
            known = _knows(model, build(world), people, world)
            transaction.set_rollback(True)
        if known != expected:
            found.append(f"{name}: known to {sorted(known)}, expected {sorted(expected)}")
    return found


def test_every_declared_model_has_a_row_in_the_table():
    covered = {model for _name, model, _build, _expected in CASES}
    missing = [m.__name__ for m in declared_partner_data_models() if m not in covered]
    assert not missing, f"add a case for: {missing}"


def test_every_model_with_participation_facts_has_a_row_in_the_table():
    covered = {model for _name, model, _build, _expected in FACTS}
    declared = [m for m in declared_partner_data_models() if hasattr(m, "participation")]
    missing = [m.__name__ for m in declared if m not in covered and m is not Plan]
    assert not missing, f"add a participation case for: {missing}"


def test_each_row_is_seen_by_exactly_the_people_the_policy_names(world, people):
    assert _mismatches(world, people) == []


@pytest.mark.parametrize("name,model,build,expected", CASES, ids=[c[0] for c in CASES])
def test_nobody_outside_the_couple_and_its_care_team_ever_sees_a_row(
    world, people, name, model, build, expected
):
    seen = _sees(model, build(world), people)
    assert not seen & OUTSIDERS


def test_who_paused_is_known_only_to_the_pauser_and_the_care_team(world, people):
    world.plan.paused_at, world.plan.paused_by = timezone.now(), world.a
    world.plan.save()
    assert _knows(Plan, world.plan, people, world) == AUTHOR_AND_CARE


def _any_partner(self: Any, rows: Any, user: Any) -> Q:
    return Q(pk__isnull=False) if is_partner(user) else Q(pk__in=[])


def _partners_of_the_couple(self: Any, rows: Any, user: Any) -> Q:
    return rows.in_couples(partner_couple_ids(user))


def _care_team(self: Any, rows: Any, user: Any) -> Q:
    return rows.in_couples(care_team_couple_ids(user))


def _any_clinician(self: Any, rows: Any, user: Any) -> Q:
    from twofold.care.models import ClinicMembership

    clinician = ClinicMembership.objects.filter(user=user, role="clinician").exists()
    return Q(pk__isnull=False) if user is not None and clinician else Q(pk__in=[])


def _clinic_staff(self: Any, rows: Any, user: Any) -> Q:
    from twofold.care.models import ClinicMembership

    clinics = ClinicMembership.objects.filter(user=user, role="clinician", ended_at__isnull=True)
    couples = Couple.objects.filter(clinic_id__in=clinics.values("clinic_id")).values("pk")
    return rows.in_couples(couples) if user is not None else Q(pk__in=[])


def _assigned(self: Any, rows: Any, user: Any) -> Q:
    if user is None:
        return Q(pk__in=[])
    assigned = CareAssignment.objects.filter(clinician=user, ended_at__isnull=True)
    return rows.in_couples(assigned.values("couple_id"))


Wider = Callable[[Any, Any, Any], Q]


def _flag_ignored(original: Wider) -> Wider:
    def q(self: Any, rows: Any, user: Any) -> Q:
        unflagged = CareWhileOwnerConsents(owner_field=self.owner_field)
        return original(unflagged if self.flag else self, rows, user)

    return q


# Each entry widens one grant a little: (grant class, original q -> wider q).
WIDENINGS: dict[str, tuple[type, Callable[[Wider], Wider]]] = {
    "partners of any couple": (Partners, lambda _q: _any_partner),
    "partners regardless of 'where'": (Partners, lambda _q: _partners_of_the_couple),
    "owner and their partner": (
        Owner,
        lambda q: (
            lambda self, rows, user: q(self, rows, user) | _partners_of_the_couple(self, rows, user)
        ),
    ),
    "recipient after leaving the seat": (
        Recipient,
        lambda _q: lambda self, rows, user: Q(**{f"{self.field}_id": getattr(user, "pk", None)}),
    ),
    "partner without the share flag": (PartnerIfShared, lambda _q: _partners_of_the_couple),
    "partner before the reveal": (PartnerAfterReveal, lambda _q: _partners_of_the_couple),
    "care without the owner's consent": (
        CareWhileOwnerConsents,
        lambda _q: (
            lambda self, rows, user: (
                _care_team(self, rows, user) & (Q(**{self.flag: True}) if self.flag else Q())
            )
        ),
    ),
    "care without the owner's share flag": (CareWhileOwnerConsents, _flag_ignored),
    "care while only one partner consents": (CareWhileAllConsent, lambda _q: _care_team),
    "care team of any clinic": (CareTeam, lambda _q: _any_clinician),
    "care team: every clinician of the couple's clinic": (CareTeam, lambda _q: _clinic_staff),
    "care team: still assigned after leaving the clinic": (CareTeam, lambda _q: _assigned),
}


@pytest.mark.parametrize("widening", list(WIDENINGS))
def test_widening_any_grant_breaks_the_table(world, people, monkeypatch, widening):
    grant, widen = WIDENINGS[widening]
    monkeypatch.setattr(grant, "q", widen(grant.q))
    assert _mismatches(world, people), f"widening '{widening}' went unnoticed"
