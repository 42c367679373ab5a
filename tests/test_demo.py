"""``manage.py demo``: named personas to sign in as, and synthetic couples with history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from twofold.accounts.models import User
from twofold.audit.models import AccessEvent
from twofold.care.models import CareAssignment, CareNote, Clinic, ClinicMembership
from twofold.checkins.models import CheckIn, CheckInSchedule, monday_of
from twofold.conversations import content as conversation_content
from twofold.couples.models import Consent, Couple, CoupleStatus, Invitation, Partner
from twofold.cycles.models import AdjustmentCycle, OutcomeRating
from twofold.journal.models import Appreciation, JournalEntry, Moment
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
    with timezone.override(None):  # as on the command line: the server's time zone
        call_command("demo", couples=couples, weeks=weeks, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def visitor_time_zone() -> Iterator[None]:
    """Dates as the named people see them (their time zone, as the pages use it)."""
    with timezone.override(settings.TWOFOLD_DEFAULT_USER_TIME_ZONE):
        yield


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
        CheckInSchedule,
        CheckIn,
        AdjustmentCycle,
        OutcomeRating,
        JournalEntry,
        Moment,
        Appreciation,
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


def page(client: Client, url: str) -> str:
    """The page's text with runs of white space made single spaces."""
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(response.content.decode().split())


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
    for model in (
        *("Plan", "PlanEvent", "BoundaryAnswer", "PracticeLog", "Goal", "Assignment"),
        *("CheckInSchedule", "CheckIn", "AdjustmentCycle", "OutcomeRating"),
        *("JournalEntry", "Moment", "Appreciation"),
    ):
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
    assert group("Talking") | group("Affection") | group("Everyday touch") <= shared
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
    assert not shared & group("Everyday touch")
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
    program = demo.program_version(Clinic.objects.get(name="Riverside Clinic")).program
    now = timezone.now()

    def history(
        index: int,
    ) -> tuple[
        list[tuple[int, str, date, int, bool]],
        list[tuple[str, str]],
        list[tuple[int, date, datetime, int]],
    ]:
        plan = demo.plan_couple(index, now=now, weeks=8, program=program)
        logs = [
            (log.seat, log.exercise_key, log.practised_on, log.comfort, log.shared_with_care)
            for log in plan.practice
        ]
        answers = [(k, v) for _at, mine in plan.answers for k, v in sorted(mine.items())]
        checkins = [(c.seat, c.period_start, c.at, c.scores[0]) for c in plan.checkins]
        return logs, answers, checkins

    for index in (1, 4, 9, 13):
        assert history(index) == history(index)
        assert demo.plan_couple(index, now=now, weeks=8, program=program) == demo.plan_couple(
            index, now=now, weeks=8, program=program
        )
    assert any(history(index)[0] for index in (1, 4, 9, 13))
    assert any(history(index)[2] for index in (1, 4, 9, 13))


# --- check-ins -----------------------------------------------------------------------


def alex_and_sam_rounds() -> tuple[Couple, User, User, CheckInSchedule, date, list[date]]:
    """Alex and Sam's couple, the two of them, their schedule, this round's first day and
    the first days of the five rounds before it (newest first)."""
    couple = couple_of("alex@twofold.example")
    schedule = CheckInSchedule.objects.get(couple=couple)
    current = schedule.round_for(timezone.localdate()).start
    past = [current - timedelta(weeks=k) for k in range(1, 6)]
    return (
        couple,
        user("alex@twofold.example"),
        user("sam@twofold.example"),
        schedule,
        current,
        past,
    )


@pytest.mark.usefixtures("visitor_time_zone")
def test_alex_sees_that_sam_has_checked_in_this_round_without_seeing_sams_answers() -> None:
    run()
    couple, alex, sam, _schedule, current, _past = alex_and_sam_rounds()
    assert CheckIn.objects.filter(couple=couple, period_start=current).get().owner == sam
    assert not CheckIn.objects.visible_to(alex).filter(period_start=current).exists()
    client = signed_in("alex@twofold.example")
    home = page(client, "/check-in/")
    this_round = home[home.index(f"{current.day} {current:%b} to ") :]
    assert this_round.index("Sam: checked in") < this_round.index("How often")
    assert "You: not yet" in this_round and "Check in now" in this_round
    together = page(client, f"/check-in/{current.isoformat()}/together/")
    assert "Sam has checked in" in together
    assert "Planning a weekend away" not in together
    # Sam sees their own answers are in, waiting for Alex.
    sams = page(signed_in("sam@twofold.example"), f"/check-in/{current.isoformat()}/together/")
    assert "Alex hasn't checked in yet" in sams


@pytest.mark.usefixtures("visitor_time_zone")
def test_alex_and_sams_past_five_rounds_are_revealed_one_late_and_one_missed_by_sam() -> None:
    run()
    couple, alex, sam, schedule, _current, past = alex_and_sam_rounds()
    assert schedule.cadence == "weekly"
    assert schedule.anchor == monday_of(timezone.localdate()) - timedelta(weeks=5)
    rows = CheckIn.objects.filter(couple=couple, period_start__in=past)
    alex_rounds = sorted(c.period_start for c in rows if c.owner == alex)
    sams = sorted((c for c in rows if c.owner == sam), key=lambda c: c.period_start)
    assert alex_rounds == sorted(past)
    assert len(sams) == 4 and len({c.period_start for c in sams}) == 4
    assert [c.late for c in sams].count(True) == 1
    for checkin in rows:
        round_ = schedule.round_for(checkin.period_start)
        sent = timezone.localdate(checkin.submitted_at)
        if checkin.late:
            assert round_.end <= sent < round_.closes
        else:
            assert round_.start <= sent < round_.end
    # Past rounds Sam answered are revealed to Alex (and Alex's to Sam); the missed one isn't.
    revealed = CheckIn.objects.visible_to(alex).filter(owner=sam, period_start__in=past)
    assert {c.period_start for c in revealed} == {c.period_start for c in sams}
    missed = (set(past) - {c.period_start for c in sams}).pop()
    assert not CheckIn.objects.visible_to(sam).filter(owner=alex, period_start=missed).exists()
    # A gentle story of improvement, with an item kept private now and then.
    for mine in (sorted(rows.filter(owner=alex), key=lambda c: c.period_start), sams):
        assert mine[-1].openness > mine[0].openness
        assert mine[-1].stress < mine[0].stress
    assert sum(1 for c in rows if c.private_items) >= 2
    assert {c.appreciated for c in rows} >= {"Our walk on Sunday"}
    assert "How we plan evenings" in {c.talk_about for c in rows}


@pytest.mark.usefixtures("visitor_time_zone")
def test_the_round_where_alex_and_sam_felt_differently_about_openness_suggests_a_talk() -> None:
    run()
    couple, alex, sam, _schedule, _current, past = alex_and_sam_rounds()
    by_round: dict[date, dict[User, CheckIn]] = {}
    for checkin in CheckIn.objects.filter(couple=couple, period_start__in=past):
        by_round.setdefault(checkin.period_start, {})[checkin.owner] = checkin
    apart = [
        start
        for start, answers in by_round.items()
        if len(answers) == 2 and abs(answers[alex].openness - answers[sam].openness) >= 3
    ]
    assert len(apart) == 1
    together = page(signed_in("alex@twofold.example"), f"/check-in/{apart[0]}/together/")
    assert "worth talking about" in together
    assert conversation_content.difference_prompts()["openness"].title in together
    assert "How we plan evenings" in together
    calm = next(s for s in by_round if s not in apart and len(by_round[s]) == 2)
    assert "worth talking about" not in page(
        signed_in("sam@twofold.example"), f"/check-in/{calm}/together/"
    )


@pytest.mark.usefixtures("visitor_time_zone")
def test_alex_sees_what_sam_kept_private_as_kept_private() -> None:
    run()
    couple, _alex, sam, _schedule, _current, past = alex_and_sam_rounds()
    kept = CheckIn.objects.filter(couple=couple, owner=sam, period_start__in=past).exclude(
        private_items=[]
    )
    assert kept.exists()
    together = page(
        signed_in("alex@twofold.example"), f"/check-in/{kept[0].period_start}/together/"
    )
    assert "kept private" in together


@pytest.mark.usefixtures("visitor_time_zone")
def test_robin_and_kai_have_a_schedule_and_checked_in_for_two_rounds() -> None:
    run()
    couple = couple_of("robin@twofold.example")
    schedule = CheckInSchedule.objects.get(couple=couple)
    current = schedule.round_for(timezone.localdate()).start
    rows = CheckIn.objects.filter(couple=couple)
    assert {c.period_start for c in rows} == {current - timedelta(weeks=k) for k in (1, 2)}
    assert {c.owner.email for c in rows} == {"robin@twofold.example", "kai@twofold.example"}
    assert rows.count() == 4


def test_synthetic_active_couples_check_in_most_weeks_since_they_started() -> None:
    run(couples=12, weeks=6)
    synthetic = Couple.objects.filter(partners__user__email__startswith="demo.couple").distinct()
    now, today = timezone.now(), timezone.localdate()
    answered = slots = 0
    for couple in synthetic:
        rows = list(CheckIn.objects.filter(couple=couple))
        if couple.status != CoupleStatus.ACTIVE:
            assert not rows and not CheckInSchedule.objects.filter(couple=couple).exists()
            continue
        schedule = CheckInSchedule.objects.get(couple=couple)
        # Rounds start in the week both partners had agreed to take part.
        active_at = max(c.given_at for c in couple.consents.all())
        assert schedule.anchor == monday_of(timezone.localdate(active_at))
        rounds = schedule.rounds_between(schedule.anchor, today)
        starts = {r.start for r in rounds}
        for checkin in rows:
            assert checkin.period_start in starts
            assert active_at <= checkin.submitted_at <= now
            assert checkin.appreciated == "" and checkin.talk_about == ""
            round_ = schedule.round_for(checkin.period_start)
            sent = timezone.localdate(checkin.submitted_at)
            if checkin.late:
                assert round_.end <= sent < round_.closes
            else:
                assert round_.start <= sent < round_.end
        answered += len(rows)
        slots += 2 * len(rounds)
    assert 0 < answered < slots  # most rounds answered, some missed


# --- adjustment cycles ---------------------------------------------------------------


@pytest.mark.usefixtures("visitor_time_zone")
def test_alex_and_sam_kept_one_small_change_and_are_trying_another() -> None:
    run()
    couple = couple_of("alex@twofold.example")
    cycles = {c.state: c for c in AdjustmentCycle.objects.filter(couple=couple)}
    assert set(cycles) == {AdjustmentCycle.State.CLOSED, AdjustmentCycle.State.TRYING}
    closed = cycles[AdjustmentCycle.State.CLOSED]
    assert closed.raised_by.email == "alex@twofold.example"
    assert closed.concern == "I'd like evenings to feel less rushed"
    assert closed.adjustment == "Phones away after nine"
    assert closed.outcome_decision == AdjustmentCycle.Decision.KEEP
    assert closed.learned == "Small changes are easier to keep"
    ratings = OutcomeRating.objects.filter(cycle=closed)
    assert sorted(r.rating for r in ratings) == ["helped", "helped"]
    assert closed.agreed_at is not None and closed.closed_at is not None
    assert closed.created_at < closed.agreed_at < closed.closed_at < timezone.now() - timedelta(7)
    assert closed.review_on is not None and closed.review_on < timezone.localdate()
    trying = cycles[AdjustmentCycle.State.TRYING]
    assert trying.review_on == timezone.localdate() + timedelta(days=3)
    assert trying.agreed_at is not None and trying.agreed_at < timezone.now() - timedelta(days=1)
    listing = page(signed_in("sam@twofold.example"), "/adjustments/")
    assert "Looked back together, and kept it" in listing
    assert "Trying until" in listing


# --- journal, moments and appreciation ------------------------------------------------


def test_journal_entries_reach_only_the_people_they_were_shared_with() -> None:
    run()
    couple = couple_of("alex@twofold.example")
    alex, sam = user("alex@twofold.example"), user("sam@twofold.example")
    rivera = user("clinician@twofold.example")
    alexs = list(JournalEntry.objects.filter(couple=couple, owner=alex))
    assert sorted((e.shared_with_partner, e.shared_with_care) for e in alexs) == [
        (False, False),
        (False, False),
        (True, False),
    ]
    sams = JournalEntry.objects.filter(couple=couple, owner=sam).get()
    assert (sams.shared_with_partner, sams.shared_with_care) == (False, True)
    seen_by_sam = set(JournalEntry.objects.visible_to(sam).filter(couple=couple))
    assert seen_by_sam == {sams, next(e for e in alexs if e.shared_with_partner)}
    assert set(JournalEntry.objects.visible_to(rivera).filter(couple=couple)) == {sams}
    journal = page(signed_in("sam@twofold.example"), "/journal/")
    assert "Something I wanted you to read" in journal
    assert "After our session" not in journal


@pytest.mark.usefixtures("visitor_time_zone")
def test_alex_and_sam_logged_moments_and_sent_each_other_notes() -> None:
    run()
    couple = couple_of("alex@twofold.example")
    moments = list(Moment.objects.filter(couple=couple))
    assert 6 <= len(moments) <= 10
    assert {m.owner.email for m in moments} == {"alex@twofold.example", "sam@twofold.example"}
    assert len({m.kind for m in moments}) >= 3
    assert 2 <= sum(1 for m in moments if m.note) < len(moments)
    today = timezone.localdate()
    assert all(today - timedelta(weeks=2) <= m.happened_on <= today for m in moments)
    notes = {n.recipient.email: n for n in Appreciation.objects.filter(couple=couple)}
    assert set(notes) == {"alex@twofold.example", "sam@twofold.example"}
    assert notes["alex@twofold.example"].seen_at is None
    assert notes["sam@twofold.example"].seen_at is not None


@pytest.mark.usefixtures("visitor_time_zone")
def test_a_demo_database_from_before_check_ins_gains_them_and_the_journal() -> None:
    run(couples=0)
    couple = couple_of("alex@twofold.example")
    for model in (CheckIn, AdjustmentCycle, JournalEntry, Moment, Appreciation):
        model.objects.all().delete()
    # A visit to the check-in page had made a schedule starting this week.
    CheckInSchedule.objects.filter(couple=couple).update(anchor=monday_of(timezone.localdate()))
    run(couples=0)
    schedule = CheckInSchedule.objects.get(couple=couple)
    assert schedule.anchor == monday_of(timezone.localdate()) - timedelta(weeks=5)
    assert CheckIn.objects.filter(couple=couple).count() == 10
    assert AdjustmentCycle.objects.filter(couple=couple).count() == 2
    assert JournalEntry.objects.filter(couple=couple).count() == 4
    first = counts()
    run(couples=0)
    assert counts() == first


# --- history written through the actions, at the story's moments ----------------------


@pytest.mark.usefixtures("visitor_time_zone")
def test_alex_and_sams_history_is_dated_from_the_monday_they_opened_five_weeks_ago() -> None:
    started = timezone.now()
    run(couples=0)
    couple = couple_of("alex@twofold.example")
    opened_on = monday_of(timezone.localdate()) - timedelta(weeks=5)
    consents = list(couple.consents.all())
    assert len(consents) == 4
    assert {timezone.localdate(c.given_at) for c in consents} == {opened_on}
    plan = Plan.objects.get(couple=couple)
    assert timezone.localdate(plan.started_at) == opened_on
    assert CheckInSchedule.objects.get(couple=couple).anchor == opened_on
    partners = list(Partner.objects.filter(couple=couple))
    assert all(p.joined_at < plan.started_at for p in partners)
    # Every row the story wrote carries its own moment, none the time of the run.
    for log in PracticeLog.objects.filter(couple=couple):
        assert log.created_at < started and timezone.localdate(log.created_at) == log.practised_on
    for checkin in CheckIn.objects.filter(couple=couple):
        assert timezone.localdate(checkin.submitted_at) >= checkin.period_start
        assert checkin.submitted_at < started
    for rows in (
        [e.at for e in AccessEvent.objects.filter(couple=couple)],
        [e.created_at for e in JournalEntry.objects.filter(couple=couple)],
        [m.created_at for m in Moment.objects.filter(couple=couple)],
        [n.created_at for n in CareNote.objects.filter(couple=couple)],
        [g.created_at for g in Goal.objects.filter(couple=couple)],
    ):
        assert rows and all(at < started - timedelta(hours=3) for at in rows)


def test_dr_riveras_writes_for_alex_and_sam_are_in_their_access_log() -> None:
    run(couples=0)
    couple = couple_of("alex@twofold.example")
    written = AccessEvent.objects.filter(
        couple=couple, actor__email="clinician@twofold.example", action="write"
    )
    assert set(written.values_list("what", flat=True)) == {
        "couple.created",
        "care_note",
        "program.approval",
        "program.assignment",
    }
    approval = StageApproval.objects.get(plan__couple=couple)
    assert approval.clinician.email == "clinician@twofold.example"
    assert approval.cleared_at is not None  # moving on cleared it


def test_synthetic_couples_moved_on_through_readiness_and_approval_at_past_moments() -> None:
    started = timezone.now()
    run(couples=12, weeks=6)
    synthetic = Couple.objects.filter(partners__user__email__startswith="demo.couple").distinct()
    for couple in synthetic:
        plan = Plan.objects.filter(couple=couple).first()
        if plan is None:
            continue
        # The couple opened with the second agreement to take part; the plan started then.
        opened = sorted(
            c.given_at for c in couple.consents.filter(kind=Consent.Kind.PARTICIPATION)
        )[-1]
        assert opened <= plan.started_at < opened + timedelta(seconds=5)
        approvals = StageApproval.objects.filter(plan=plan)
        assert approvals.count() == plan.stage_index
        assert (
            StageReadiness.objects.filter(plan=plan, cleared_at__isnull=False).count()
            == 2 * plan.stage_index
        )
        assert AccessEvent.objects.filter(couple=couple, what="program.approval").count() == (
            plan.stage_index
        )
        assert all(a.approved_at < started for a in approvals)
        assert all(
            log.created_at < started + timedelta(seconds=1)
            for log in PracticeLog.objects.filter(plan=plan)
        )


# --- questionnaires ---------------------------------------------------------------------


@pytest.mark.usefixtures("visitor_time_zone")
def test_the_named_couples_answered_questionnaires_over_the_weeks() -> None:
    from twofold.outcomes.models import QuestionnaireResponse, QuestionnaireResult

    started = timezone.now()
    run(couples=0)
    guided = couple_of("alex@twofold.example")
    results = QuestionnaireResult.objects.filter(couple=guided)
    got = sorted((r.owner.email, r.instrument_key, r.slot) for r in results)
    assert got == [
        ("alex@twofold.example", "csi-4", "baseline"),
        ("alex@twofold.example", "csi-4", "week-4"),
        ("alex@twofold.example", "phq-4", "week-4"),
        ("sam@twofold.example", "csi-4", "baseline"),
        ("sam@twofold.example", "csi-4", "week-4"),
        ("sam@twofold.example", "phq-4", "week-4"),
    ]
    assert all(r.total is not None and r.band for r in results)
    assert all(r.submitted_at < started - timedelta(days=3) for r in results)
    assert results.filter(shared_with_partner=True).count() == 3
    # Sent through the actions: each result has its sealed answers.
    responses = QuestionnaireResponse.objects.filter(couple=guided)
    assert {r.result_id for r in responses} == {r.pk for r in results}
    own = couple_of("robin@twofold.example")
    assert QuestionnaireResult.objects.filter(couple=own, instrument_key="csi-4").count() == 2
    # Alex sees their own and what Sam shared, and can download it.
    alex = signed_in("alex@twofold.example")
    assert "Shared with you by Sam" in page(alex, "/questionnaires/")
    download = alex.get("/questionnaires/export.json")
    assert download.status_code == 200 and b'"csi-4"' in download.content
    counts_before = QuestionnaireResult.objects.count()
    run(couples=0)
    assert QuestionnaireResult.objects.count() == counts_before
