"""``manage.py demo``: named personas to sign in as, and synthetic couples with history."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from twofold.accounts.models import User
from twofold.audit.models import AccessEvent
from twofold.care.models import CareAssignment, CareNote, Clinic, ClinicMembership
from twofold.couples.models import Consent, Couple, CoupleStatus, Invitation, Partner
from twofold.ops import demo
from twofold.program import actions, boundaries, content
from twofold.program.models import (
    Assignment,
    BoundaryAnswer,
    Goal,
    Plan,
    PlanEvent,
    PracticeLog,
    ProgramVersion,
    StageApproval,
    StageReadiness,
)

pytestmark = pytest.mark.django_db

NAMED = [
    "clinician@twofold.example",
    "admin@twofold.example",
    "harbour.clinician@twofold.example",
    "alex@twofold.example",
    "sam@twofold.example",
    "robin@twofold.example",
    "kai@twofold.example",
    "jordan@twofold.example",
]


def run(couples: int = 5, weeks: int = 4) -> str:
    out = StringIO()
    call_command("demo", couples=couples, weeks=weeks, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [
        User,
        EmailAddress,
        Clinic,
        ClinicMembership,
        Couple,
        Partner,
        Consent,
        Invitation,
        CareAssignment,
        CareNote,
        AccessEvent,
        ProgramVersion,
        Plan,
        PlanEvent,
        StageReadiness,
        StageApproval,
        Assignment,
        BoundaryAnswer,
        PracticeLog,
        Goal,
    ]
    return {m.__name__: m.objects.count() for m in models}


def couple_of(email: str) -> Couple:
    return Partner.objects.get(user__email=email, left_at__isnull=True).couple


def user(email: str) -> User:
    return User.objects.get(email=email)


def group(name: str) -> set[str]:
    """The activity keys of one group of the boundaries list."""
    keys = {a.key for a in content.activities().values() if a.group == name}
    assert keys, name
    return keys


def signed_in(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password="twofold-demo")
    return client


def test_running_demo_creates_the_named_people_who_can_sign_in() -> None:
    run()
    for email in NAMED:
        assert EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()
        assert Client().login(email=email, password="twofold-demo"), email
    assert User.objects.get(email="clinician@twofold.example").display_name == "Dr Rivera"


def test_running_demo_ends_with_the_table_of_demo_logins() -> None:
    out = run()
    assert "Demo logins (password: twofold-demo)" in out
    assert "alex@twofold.example + sam@twofold.example" in out
    assert out.rstrip().endswith("Open http://127.0.0.1:8000")


def test_running_demo_twice_creates_no_duplicates() -> None:
    run()
    first = counts()
    for model in ("Plan", "PlanEvent", "BoundaryAnswer", "PracticeLog", "Goal", "Assignment"):
        assert first[model] > 0, model
    run()
    assert counts() == first


def test_a_demo_database_from_before_the_program_gains_the_named_couples_program() -> None:
    run(couples=0)
    Plan.objects.all().delete()
    for model in (BoundaryAnswer, Goal, StageReadiness, StageApproval, PracticeLog):
        model.objects.all().delete()
    run(couples=0)
    assert Plan.objects.get(couple=couple_of("alex@twofold.example")).stage_index == 1
    assert Goal.objects.filter(couple=couple_of("alex@twofold.example")).count() == 3
    assert BoundaryAnswer.objects.filter(owner__email="jordan@twofold.example").exists()
    first = counts()
    run(couples=0)
    assert counts() == first


def test_alex_and_sam_are_an_active_couple_on_dr_riveras_caseload_with_care_consent() -> None:
    run()
    couple = couple_of("alex@twofold.example")
    assert couple.status == CoupleStatus.ACTIVE
    assert couple.clinic is not None and couple.clinic.name == "Riverside Clinic"
    assert couple.care_assignments.filter(clinician__email="clinician@twofold.example").exists()
    for person in couple.seats():
        assert couple.has_consent(person.user, Consent.Kind.CARE)
    notes = CareNote.objects.filter(couple=couple)
    assert notes.count() >= 1
    assert all(n.author.email == "clinician@twofold.example" for n in notes)


def test_robin_and_kai_are_an_active_couple_on_their_own() -> None:
    run()
    couple = couple_of("robin@twofold.example")
    assert couple.status == CoupleStatus.ACTIVE
    assert couple.clinic is None
    assert couple == couple_of("kai@twofold.example")


def test_jordans_couple_has_one_seat_and_a_pending_invitation() -> None:
    run()
    couple = couple_of("jordan@twofold.example")
    assert [p.seat for p in couple.seats()] == [Partner.Seat.A]
    assert couple.status == CoupleStatus.WAITING_FOR_PARTNER
    pending = list(couple.invitations.pending())
    assert [i.email for i in pending] == ["jordan.partner@twofold.example"]


def test_harbour_clinic_has_its_own_clinician_and_none_of_the_couples() -> None:
    run()
    harbour = Clinic.objects.get(name="Harbour Clinic")
    assert harbour.memberships.get().user.email == "harbour.clinician@twofold.example"
    assert not Couple.objects.filter(clinic=harbour).exists()


def test_synthetic_couples_belong_to_dr_riveras_caseload() -> None:
    run(couples=5)
    synthetic = Couple.objects.filter(partners__user__email__startswith="demo.couple").distinct()
    assert synthetic.count() == 5
    for couple in synthetic:
        assert couple.clinic is not None and couple.clinic.name == "Riverside Clinic"
        assert couple.care_assignments.get().clinician.email == "clinician@twofold.example"


def test_synthetic_couples_have_history_within_the_past_weeks() -> None:
    run(couples=10, weeks=4)
    synthetic = Couple.objects.filter(partners__user__email__startswith="demo.couple").distinct()
    created = sorted(c.created_at for c in synthetic)
    assert created[0] < created[-1]
    assert AccessEvent.objects.filter(
        couple__in=synthetic, actor__email="clinician@twofold.example", what="couple.overview"
    ).exists()
    # The 5th and 10th have one partner and a waiting invitation; the 7th withdrew care.
    fifth = couple_of("demo.couple005.a@twofold.example")
    assert fifth.status == CoupleStatus.WAITING_FOR_PARTNER
    assert fifth.invitations.pending().get().email == "demo.couple005.b@twofold.example"
    seventh = couple_of("demo.couple007.a@twofold.example")
    assert seventh.consents.filter(kind=Consent.Kind.CARE, withdrawn_at__isnull=False).exists()


def test_synthetic_names_never_reuse_the_named_peoples_names() -> None:
    reserved = {"Alex", "Sam", "Robin", "Kai", "Jordan", "Morgan"}
    assert len(set(demo.SYNTHETIC_NAMES)) >= 60
    assert not reserved & set(demo.SYNTHETIC_NAMES)
    run(couples=12)
    names = set(
        User.objects.filter(email__startswith="demo.couple").values_list("display_name", flat=True)
    )
    assert names and not names & reserved


def test_synthetic_names_are_stable_and_two_different_people() -> None:
    for index in range(1, 400):
        a, b = demo.synthetic_names(index)
        assert a != b
        assert demo.synthetic_names(index) == (a, b)


def test_a_bigger_couples_count_on_a_second_run_adds_only_the_difference() -> None:
    run(couples=3)
    before = counts()
    run(couples=5)
    after = counts()
    assert after["Couple"] - before["Couple"] == 2
    assert after["CareAssignment"] - before["CareAssignment"] == 2
    assert Partner.objects.filter(user__email__startswith="demo.couple").count() == 9  # 5th: one


# --- the program ---------------------------------------------------------------------


def test_alex_and_sam_are_at_the_affection_stage_after_dr_rivera_approved() -> None:
    run()
    couple = couple_of("alex@twofold.example")
    plan = Plan.objects.get(couple=couple)
    assert plan.stage_index == 1
    assert plan.stage.key == "affection"
    assert not plan.is_paused
    events = list(PlanEvent.objects.filter(plan=plan).order_by("at", "id"))
    assert [e.kind for e in events][:3] == ["started", "approved", "advanced"]
    assert events[1].actor is not None and events[1].actor.email == "clinician@twofold.example"
    assert all(e.at < timezone.now() - timedelta(days=7) for e in events[:3])
    # Moving on cleared the marks; nobody is marked ready for the new stage yet.
    assert actions.readiness_of(plan) == set()
    assert not actions.is_approved(plan)


def test_alex_and_sams_overlap_covers_affection_and_touch_but_no_sexual_touch() -> None:
    run()
    couple = couple_of("alex@twofold.example")
    shared = boundaries.overlap(couple)
    assert group("Talking") | group("Affection") | group("Non-sexual touch") <= shared
    assert not shared & group("Sexual touch")
    # Both answered every activity; Alex is open to some sexual touch, Sam is not (yet).
    for email in ("alex@twofold.example", "sam@twofold.example"):
        mine = BoundaryAnswer.objects.filter(couple=couple, owner__email=email)
        assert mine.count() == len(content.activities())
    alex_open = set(
        BoundaryAnswer.objects.filter(
            couple=couple, owner__email="alex@twofold.example", answer__in=["yes", "maybe"]
        ).values_list("activity_key", flat=True)
    )
    assert alex_open & group("Sexual touch")


def test_dr_riveras_assignment_is_a_stage_two_exercise_inside_the_overlap() -> None:
    run()
    couple = couple_of("alex@twofold.example")
    plan = Plan.objects.get(couple=couple)
    assignment = Assignment.objects.get(plan=plan)
    assert assignment.withdrawn_at is None
    assert assignment.assigned_by is not None
    assert assignment.assigned_by.email == "clinician@twofold.example"
    exercise = plan.program.exercise(assignment.exercise_key)
    assert exercise is not None and exercise in plan.stage.exercises
    assert exercise.fits(boundaries.overlap(couple))
    assert PlanEvent.objects.filter(plan=plan, kind="assigned", exercise_key=exercise.key).exists()


def test_alex_and_sam_logged_practice_in_the_last_three_weeks_some_of_it_shared() -> None:
    run()
    couple = couple_of("alex@twofold.example")
    plan = Plan.objects.get(couple=couple)
    shared = boundaries.overlap(couple)
    logs = list(PracticeLog.objects.filter(couple=couple))
    since = timezone.localdate() - timedelta(weeks=3)
    for email in ("alex@twofold.example", "sam@twofold.example"):
        mine = [log for log in logs if log.owner.email == email]
        assert len(mine) >= 3, email
        assert all(since <= log.practised_on <= timezone.localdate() for log in mine)
    assert any(log.shared_with_partner for log in logs)
    assert any(log.shared_with_care for log in logs)
    assert any(not log.shared_with_partner and not log.shared_with_care for log in logs)
    assert "Felt calmer than last time." in {log.note for log in logs}
    for log in logs:
        exercise = plan.program.exercise(log.exercise_key)
        assert exercise is not None and exercise.fits(shared)
        assert log.stage_index == plan.program.stage_of(log.exercise_key)


def test_alex_and_sam_share_a_goal_and_have_one_draft_and_one_proposal() -> None:
    run()
    couple = couple_of("alex@twofold.example")
    alex, sam = user("alex@twofold.example"), user("sam@twofold.example")
    goals = list(Goal.objects.filter(couple=couple))
    shared = [g for g in goals if g.state == Goal.State.SHARED]
    assert len(shared) == 1
    goal = shared[0]
    assert goal.text == "Practise together twice a week"
    assert goal.measure == Goal.Measure.PRACTICE_TOGETHER and goal.measure_target == 2
    assert goal.is_shared and goal.review_on == timezone.localdate() + timedelta(weeks=3)
    drafts = [g for g in goals if g.state == Goal.State.DRAFT]
    assert [(g.owner, g.visible_to_partner) for g in drafts] == [(alex, False)]
    proposed = [g for g in goals if g.state == Goal.State.PROPOSED]
    assert [(g.owner, g.awaiting) for g in proposed] == [(sam, alex)]


def test_alex_sees_the_stage_the_assignment_and_the_goals() -> None:
    run()
    client = signed_in("alex@twofold.example")
    home = client.get("/program/").content.decode()
    assert "Affection and everyday touch" in home
    assert "Suggested by your care team" in home
    goals = client.get("/goals/").content.decode()
    assert "Practise together twice a week" in goals
    assert "One evening a week without phones" in goals
    # Alex's draft stays Alex's.
    assert (
        "Tell Sam in the moment"
        not in signed_in("sam@twofold.example").get("/goals/").content.decode()
    )


def test_robin_is_ready_and_waiting_for_kai_at_the_first_stage() -> None:
    run()
    couple = couple_of("robin@twofold.example")
    plan = Plan.objects.get(couple=couple)
    assert plan.stage_index == 0
    shared = boundaries.overlap(couple)
    assert group("Talking") | group("Affection") <= shared
    assert not shared & group("Non-sexual touch")
    assert PracticeLog.objects.filter(couple=couple).count() == 2
    assert actions.readiness_of(plan) == {user("robin@twofold.example").pk}
    assert "You've said you're ready to move on" in (
        signed_in("robin@twofold.example").get("/program/").content.decode()
    )
    assert (
        "I'm ready to move on" in signed_in("kai@twofold.example").get("/program/").content.decode()
    )


def test_jordan_has_private_answers_but_no_plan_until_the_partner_joins() -> None:
    run()
    couple = couple_of("jordan@twofold.example")
    assert not Plan.objects.filter(couple=couple).exists()
    answers = BoundaryAnswer.objects.filter(couple=couple)
    assert answers.exists()
    assert {a.owner.email for a in answers} == {"jordan@twofold.example"}
    assert boundaries.overlap(couple) == frozenset()


def test_synthetic_couples_with_both_partners_have_a_plan_and_practice() -> None:
    run(couples=12, weeks=6)
    synthetic = Couple.objects.filter(partners__user__email__startswith="demo.couple").distinct()
    stages = set()
    for couple in synthetic:
        plan = Plan.objects.filter(couple=couple).first()
        if couple.status != CoupleStatus.ACTIVE:
            assert plan is None
            assert not BoundaryAnswer.objects.filter(couple=couple).exists()
            continue
        assert plan is not None, couple
        stages.add(plan.stage_index)
        shared = boundaries.overlap(couple)
        assert shared, couple
        offered = [e for e in plan.stage.exercises if e.fits(shared)]
        assert offered, couple
        assert PlanEvent.objects.filter(plan=plan, kind="started").exists()
        assert PlanEvent.objects.filter(plan=plan, kind="advanced").count() == plan.stage_index
        for log in PracticeLog.objects.filter(plan=plan):
            exercise = plan.program.exercise(log.exercise_key)
            assert exercise is not None and exercise.fits(shared)
            assert log.stage_index <= plan.stage_index
            assert log.note == ""
            assert couple.created_at.date() - timedelta(days=1) <= log.practised_on
            assert log.practised_on <= timezone.localdate()
    assert stages == {0, 1, 2, 3, 4}
    assert PracticeLog.objects.filter(owner__email__startswith="demo.couple").count() > 12


def test_a_synthetic_couples_history_is_the_same_on_every_run() -> None:
    run(couples=0)
    clinic = Clinic.objects.get(name="Riverside Clinic")
    version = demo._program_version(clinic)
    now = timezone.now()

    def history(index: int) -> tuple[list[tuple[str, str, date, int, bool]], list[tuple[str, str]]]:
        batch = demo._Batch()
        demo._plan_couple(
            batch,
            index,
            clinic=clinic,
            clinician=user("clinician@twofold.example"),
            version=version,
            now=now,
            weeks=8,
            password_hash="unused",
        )
        logs = [
            (log.owner.email, log.exercise_key, log.practised_on, log.comfort, log.shared_with_care)
            for log in batch.logs
        ]
        return logs, [(a.activity_key, a.answer) for a in batch.answers]

    for index in (1, 4, 9, 13):
        assert history(index) == history(index)
    assert any(history(index)[0] for index in (1, 4, 9, 13))
