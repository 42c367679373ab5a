"""Demo data: named personas to sign in as, plus optional synthetic couples with history.

Everything here is idempotent: people are found by e-mail, clinics by name, couples by
their first partner's seat, so running it again creates nothing twice. History (dates
spread over past weeks, withdrawn consents, audit events, program plans and practice,
check-ins) is only written for a couple in the run that creates it; the named couples'
program, check-ins, adjustment cycles, journal, moments and notes are each guarded by an
existence check instead, so an older demo database gains them too.

Used by ``manage.py demo``; a plain module so that tests and other tools can reuse it.
"""

from __future__ import annotations

import random
import secrets
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from twofold.accounts.models import User
from twofold.audit.models import AccessEvent
from twofold.care.models import CareAssignment, CareNote, Clinic, ClinicMembership
from twofold.checkins import actions as checkin_actions
from twofold.checkins.models import GRACE_DAYS, SCORED_ITEMS, CheckIn, CheckInSchedule, monday_of
from twofold.couples import actions, consent_texts
from twofold.couples.models import Consent, Couple, Invitation, Partner, hash_token
from twofold.cycles import actions as cycle_actions
from twofold.cycles.models import AdjustmentCycle, OutcomeRating
from twofold.journal import actions as journal_actions
from twofold.journal import content as journal_content
from twofold.journal.models import Appreciation, JournalEntry, Moment, Sharing
from twofold.program import actions as program_actions
from twofold.program import boundaries, content
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

PASSWORD = "twofold-demo"  # noqa: S105 - public demo logins, printed on purpose
DOMAIN = "twofold.example"

RIVERSIDE = "Riverside Clinic"
HARBOUR = "Harbour Clinic"

CLINICIAN_EMAIL = f"clinician@{DOMAIN}"
ADMIN_EMAIL = f"admin@{DOMAIN}"
HARBOUR_CLINICIAN_EMAIL = f"harbour.clinician@{DOMAIN}"
ALEX_EMAIL = f"alex@{DOMAIN}"
SAM_EMAIL = f"sam@{DOMAIN}"
ROBIN_EMAIL = f"robin@{DOMAIN}"
KAI_EMAIL = f"kai@{DOMAIN}"
JORDAN_EMAIL = f"jordan@{DOMAIN}"
JORDAN_PARTNER_EMAIL = f"jordan.partner@{DOMAIN}"

#: The people a demo visitor signs in as: e-mail -> display name.
PERSONAS: dict[str, str] = {
    CLINICIAN_EMAIL: "Dr Rivera",
    ADMIN_EMAIL: "Morgan",
    HARBOUR_CLINICIAN_EMAIL: "Dr Okafor",
    ALEX_EMAIL: "Alex",
    SAM_EMAIL: "Sam",
    ROBIN_EMAIL: "Robin",
    KAI_EMAIL: "Kai",
    JORDAN_EMAIL: "Jordan",
}

#: First names of the named personas; synthetic couples never reuse them.
RESERVED_NAMES = frozenset({"Alex", "Sam", "Robin", "Kai", "Jordan", "Morgan"})

#: Gender-neutral first names from many places, for synthetic couples.
SYNTHETIC_NAMES: tuple[str, ...] = (
    "Ari", "Noa", "Eli", "Rowan", "Sasha", "Quinn", "Avery", "Charlie",
    "Jamie", "Taylor", "Casey", "Riley", "Emerson", "Finley", "Hayden", "Jesse",
    "Kendall", "Marlowe", "Nico", "Oakley", "Parker", "Reese", "Sage", "Skyler",
    "Tatum", "Wren", "Yuki", "Hikaru", "Akira", "Ren", "Haru", "Sora",
    "Min", "Jin", "Nour", "Amani", "Imani", "Ayo", "Femi", "Dara",
    "Rio", "Tal", "Lior", "Shai", "Noam", "Yael", "Sol", "Paz",
    "Ira", "Kiran", "Rumi", "Sunny", "Shiloh", "Indigo", "Remy", "Elliot",
    "Frankie", "Harper", "Blair", "Jules", "Kit", "Toni", "Camille", "Dominique",
    "Maxime", "Eden", "Aviv", "Mika", "Zhen", "Hui", "Ming", "Amari",
    "Onyx", "Ellis", "Arden", "Lumi", "Kamal", "Anan", "Sevda", "Deniz",
)  # fmt: skip

if len(SYNTHETIC_NAMES) < 60 or len(set(SYNTHETIC_NAMES)) != len(SYNTHETIC_NAMES):
    raise RuntimeError("SYNTHETIC_NAMES needs at least 60 different names")
if {n.casefold() for n in SYNTHETIC_NAMES} & {n.casefold() for n in RESERVED_NAMES}:
    raise RuntimeError("SYNTHETIC_NAMES must not reuse the named personas' names")

CARE_NOTES = (
    "First session went well. Both keen to go slowly.",
    "Talked through the week's exercises together. Agreed to keep the same pace for now.",
)

#: How many synthetic couples are written per batch (one bulk insert per table).
BATCH_SIZE = 100

YES = BoundaryAnswer.Answer.YES.value
MAYBE = BoundaryAnswer.Answer.MAYBE.value
NOT_NOW = BoundaryAnswer.Answer.NOT_NOW.value
NO = BoundaryAnswer.Answer.NO.value

#: Activity groups (as in the activities file) in the order couples usually open up to them.
GROUP_ORDER = (
    "Talking",
    "Affection",
    "Non-sexual touch",
    "Touch with less clothing",
    "Sensual touch",
    "Sexual touch",
)
#: For a synthetic couple at stage ``i``: how many of GROUP_ORDER both partners are open to
#: (enough for every exercise of that stage and the ones before it to be offered).
OPEN_GROUPS_AT_STAGE = (2, 3, 5, 6, 6)
#: Sexual-touch activities that partners of a couple open to the group may still not want.
SOMETIMES_NOT_NOW = frozenset(
    {"self-touch-with-partner", "sex-toys", "oral-sex", "penetrative-sex"}
)


@dataclass
class DemoResult:
    couples_created: int = 0
    couples_existing: int = 0
    access_events: int = 0
    plans: int = 0
    practice_logs: int = 0
    checkins: int = 0
    named_created: list[str] = field(default_factory=list)


def synthetic_email(index: int, seat: str) -> str:
    return f"demo.couple{index:03d}.{seat}@{DOMAIN}"


def synthetic_names(index: int) -> tuple[str, str]:
    """The two display names of synthetic couple ``index`` (1-based); stable across runs."""
    n = len(SYNTHETIC_NAMES)
    k = index - 1
    a = k % n
    b = (a + n // 2 + k // n) % n
    if b == a:
        b = (b + 1) % n
    return SYNTHETIC_NAMES[a], SYNTHETIC_NAMES[b]


def logins_table() -> str:
    rows = [
        ("clinician", CLINICIAN_EMAIL),
        ("clinic admin", ADMIN_EMAIL),
        ("couple (with clinic)", f"{ALEX_EMAIL} + {SAM_EMAIL}"),
        ("couple (on their own)", f"{ROBIN_EMAIL} + {KAI_EMAIL}"),
        ("waiting for partner", JORDAN_EMAIL),
    ]
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"Demo logins (password: {PASSWORD})"]
    lines += [f"  {label.ljust(width)}{value}" for label, value in rows]
    lines.append(f"Open {settings.SITE_URL}")
    return "\n".join(lines)


# --- named personas ------------------------------------------------------------------


def _clinic(name: str) -> Clinic:
    clinic = Clinic.objects.filter(name=name).order_by("created_at").first()
    return clinic or Clinic.objects.create(name=name)


def _verify(users: Iterable[User]) -> None:
    """Each user gets a verified, primary address (allauth requires one to sign in)."""
    users = list(users)
    existing = dict(EmailAddress.objects.filter(user__in=users).values_list("email", "verified"))
    EmailAddress.objects.filter(user__in=users, verified=False).update(verified=True)
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users
            if u.email not in existing
        ]
    )


def _person(email: str, name: str, password_hash: str, result: DemoResult) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "password": password_hash}
    )
    if created:
        result.named_created.append(email)
    _verify([user])
    return user


def _member(clinic: Clinic, user: User, role: str) -> None:
    ClinicMembership.objects.get_or_create(clinic=clinic, user=user, role=role, ended_at=None)


def _seat(user: User) -> Partner | None:
    return Partner.objects.filter(user=user, left_at__isnull=True).select_related("couple").first()


def _couple_of(
    a: User, b: User | None, *, clinic: Clinic | None, created_by: User
) -> tuple[Couple, bool]:
    """The couple ``a`` holds seat A in, created (with ``b`` in seat B) if there is none."""
    seat = _seat(a)
    created = seat is None
    if seat is None:
        couple = Couple.objects.create(
            mode=Couple.Mode.GUIDED if clinic else Couple.Mode.SELF,
            clinic=clinic,
            created_by=created_by,
        )
        Partner.objects.create(couple=couple, user=a, seat=Partner.Seat.A)
    else:
        couple = seat.couple
    if b is not None and _seat(b) is None:
        taken = set(couple.partners.filter(left_at__isnull=True).values_list("seat", flat=True))
        free = [s for s in Partner.Seat if s not in taken]
        if free:
            Partner.objects.create(couple=couple, user=b, seat=free[0])
    return couple, created


def _consent(couple: Couple, people: Sequence[User], kinds: Sequence[str]) -> None:
    vars(couple).pop("active_partners", None)  # seats may have changed: read them again
    for person in people:
        for kind in kinds:
            actions.give_consent(couple, kind, acting_user=person)


# --- the program, for the named couples ------------------------------------------------


class _Practice(NamedTuple):
    """One practice log of a named persona, ``days_ago`` before the run."""

    days_ago: int
    exercise_key: str
    comfort: int
    anxiety: int
    closeness: int
    pleasure: int
    note: str = ""
    with_partner: bool = False
    with_care: bool = False


# Alex and Sam: both open to talking, affection and non-sexual touch; Alex is open to more,
# Sam not yet, so the overlap stops before touch with less clothing and sexual touch.
ALEX_BOUNDARIES = {
    "groups": {
        "Talking": YES,
        "Affection": YES,
        "Non-sexual touch": YES,
        "Touch with less clothing": MAYBE,
        "Sensual touch": MAYBE,
        "Sexual touch": NOT_NOW,
    },
    "activities": {"genital-touch": MAYBE, "lubricant": YES, "sex-toys": MAYBE},
}
SAM_BOUNDARIES = {
    "groups": {
        "Talking": YES,
        "Affection": YES,
        "Non-sexual touch": YES,
        "Touch with less clothing": NOT_NOW,
        "Sensual touch": NOT_NOW,
        "Sexual touch": NOT_NOW,
    },
    "activities": {
        "talking-sex": MAYBE,
        "kissing-lips": MAYBE,
        "face-hair-touch": MAYBE,
        "penetrative-sex": NO,
    },
}
ALEX_PRACTICE = (
    _Practice(19, "holding-each-other", 6, 4, 7, 5,
              "A bit awkward to begin with, then it was nice just to be close.", True, True),
    _Practice(12, "hands-and-arms", 7, 3, 8, 6, "Felt calmer than last time.", True, False),
    _Practice(8, "hello-and-goodbye-hugs", 7, 2, 7, 6),
    _Practice(3, "hands-and-arms", 8, 2, 8, 7,
              "We laughed a lot. Easier to say what I liked.", False, True),
)  # fmt: skip
SAM_PRACTICE = (
    _Practice(19, "holding-each-other", 5, 5, 6, 4,
              "Needed a pause halfway; the stop signal helped.", False, True),
    _Practice(12, "hands-and-arms", 6, 4, 7, 5, "Felt calmer than last time.", True, True),
    _Practice(5, "caring-for-feet", 7, 3, 7, 6),
    _Practice(3, "hands-and-arms", 7, 3, 8, 6,
              "Nice to slow down together after a long week.", True, False),
)  # fmt: skip
#: The stage-2 exercise Dr Rivera suggested (inside Alex and Sam's overlap).
ALEX_AND_SAM_ASSIGNMENT = "hands-and-arms"

# Robin and Kai: both open to talking and affection; Robin to non-sexual touch too.
ROBIN_BOUNDARIES = {
    "groups": {"Talking": YES, "Affection": YES, "Non-sexual touch": MAYBE},
    "activities": {"kissing-lips": MAYBE},
}
KAI_BOUNDARIES = {
    "groups": {"Talking": YES, "Affection": YES, "Sexual touch": NO},
    "activities": {"talking-sex": MAYBE, "sleeping-same-bed": MAYBE},
}
ROBIN_PRACTICE = (
    _Practice(6, "agreeing-ground-rules", 6, 4, 6, 5,
              "Good to write down what we both need.", True, False),
)  # fmt: skip
KAI_PRACTICE = (_Practice(2, "practising-a-stop-signal", 7, 3, 7, 6),)

#: Jordan answered a few activities while waiting; the rest stays unanswered.
JORDAN_BOUNDARIES = {
    "activities": {"talking-closeness": YES, "talking-sex": MAYBE, "holding-hands": YES},
}


def _answers(spec: dict[str, dict[str, str]], *, complete: bool = True) -> dict[str, str]:
    """Answers from a spec: by group (others "not now" when ``complete``), then per activity.

    Keys the activities file no longer has are left out.
    """
    known = content.activities()
    groups = spec.get("groups", {})
    answers = (
        {key: groups.get(activity.group, NOT_NOW) for key, activity in known.items()}
        if complete
        else {}
    )
    answers.update({k: v for k, v in spec.get("activities", {}).items() if k in known})
    return answers


def _program_version(clinic: Clinic | None) -> ProgramVersion:
    """The snapshot of the program the clinic starts couples on (as ``ensure_plan`` does)."""
    programs = content.programs()
    key = clinic.program_key if clinic else "default"
    return program_actions.snapshot(programs.get(key) or programs["default"])


def _plan(couple: Couple, *, stage_index: int, started_at: datetime) -> tuple[Plan, bool]:
    """The couple's plan; when there is none yet, one started at ``started_at``."""
    plan = Plan.objects.select_related("program_version").filter(couple=couple).first()
    created = plan is None
    if plan is None:
        version = _program_version(couple.clinic)
        stage_index = min(stage_index, len(version.program.stages) - 1)
        plan = Plan.objects.create(
            couple=couple, program_version=version, stage_index=stage_index, started_at=started_at
        )
        PlanEvent.objects.create(
            plan=plan, couple=couple, kind=PlanEvent.Kind.STARTED, stage_index=0, at=started_at
        )
    plan.couple = couple  # keeps the couple's cached seats
    return plan, created


def _boundaries(couple: Couple, person: User, answers: dict[str, str]) -> None:
    if not BoundaryAnswer.objects.filter(couple=couple, owner=person).exists():
        program_actions.save_boundaries(couple, answers, acting_user=person)


def _practice(plan: Plan, person: User, entries: Iterable[_Practice], now: datetime) -> None:
    if PracticeLog.objects.filter(couple=plan.couple, owner=person).exists():
        return
    program = plan.program
    for entry in entries:
        if program.exercise(entry.exercise_key) is None:
            continue
        at = now - timedelta(days=entry.days_ago)
        PracticeLog.objects.create(
            plan=plan,
            couple=plan.couple,
            owner=person,
            exercise_key=entry.exercise_key,
            stage_index=program.stage_of(entry.exercise_key) or 0,
            practised_on=timezone.localdate(at),
            comfort=entry.comfort,
            anxiety=entry.anxiety,
            closeness=entry.closeness,
            pleasure=entry.pleasure,
            note=entry.note,
            shared_with_partner=entry.with_partner,
            shared_with_care=entry.with_care,
            created_at=at,
        )


def _assign(plan: Plan, clinician: User, preferred: str, at: datetime) -> None:
    """The care team's suggestion of an exercise of the current stage inside the overlap."""
    if Assignment.objects.filter(plan=plan).exists():
        return
    offered = program_actions.offered_exercises(plan, boundaries.overlap(plan.couple))
    exercise = next((e for e in offered if e.key == preferred), offered[0] if offered else None)
    if exercise is None:
        return
    couple = plan.couple
    assignment = Assignment.objects.create(
        plan=plan, couple=couple, exercise_key=exercise.key, assigned_by=clinician, assigned_at=at
    )
    PlanEvent.objects.create(
        plan=plan,
        couple=couple,
        actor=clinician,
        kind=PlanEvent.Kind.ASSIGNED,
        stage_index=plan.stage_index,
        exercise_key=exercise.key,
        at=at,
    )
    AccessEvent.objects.create(
        at=at,
        actor=clinician,
        actor_name=str(clinician)[:120],
        actor_role="clinician",
        clinic=couple.clinic,
        action=AccessEvent.Action.WRITE,
        couple=couple,
        couple_reference=couple.reference,
        what="program.assignment",
        object_id=str(assignment.pk),
        ip_address="127.0.0.1",
    )


def _guided_program(couple: Couple, alex: User, sam: User, rivera: User) -> None:
    """Alex and Sam: at stage 2 after Dr Rivera approved, practising, with goals."""
    now = timezone.now()
    started_at = now - timedelta(weeks=5)
    moved_on_at = now - timedelta(days=24)
    plan, created = _plan(couple, stage_index=1, started_at=started_at)
    if created:
        for person, days in ((alex, 27), (sam, 25)):
            StageReadiness.objects.create(
                plan=plan,
                couple=couple,
                owner=person,
                stage_index=0,
                marked_at=now - timedelta(days=days),
                cleared_at=moved_on_at,
            )
        StageApproval.objects.create(
            plan=plan,
            couple=couple,
            clinician=rivera,
            stage_index=0,
            approved_at=moved_on_at,
            cleared_at=moved_on_at,
        )
        PlanEvent.objects.bulk_create(
            [
                PlanEvent(
                    plan=plan,
                    couple=couple,
                    actor=rivera,
                    kind=PlanEvent.Kind.APPROVED,
                    stage_index=0,
                    at=moved_on_at,
                ),
                PlanEvent(
                    plan=plan,
                    couple=couple,
                    kind=PlanEvent.Kind.ADVANCED,
                    stage_index=1,
                    at=moved_on_at + timedelta(seconds=1),
                ),
            ]
        )
    _boundaries(couple, alex, _answers(ALEX_BOUNDARIES))
    _boundaries(couple, sam, _answers(SAM_BOUNDARIES))
    _assign(plan, rivera, ALEX_AND_SAM_ASSIGNMENT, now - timedelta(days=20))
    _practice(plan, alex, ALEX_PRACTICE, now)
    _practice(plan, sam, SAM_PRACTICE, now)

    if Goal.objects.filter(couple=couple).exists():
        return
    together = program_actions.create_goal(
        couple,
        text="Practise together twice a week",
        measure=Goal.Measure.PRACTICE_TOGETHER,
        measure_target=2,
        review_on=timezone.localdate(now) + timedelta(weeks=3),
        created_at=now - timedelta(days=17),
        acting_user=alex,
    )
    program_actions.propose_goal(couple, together, acting_user=alex)
    program_actions.respond_to_goal(together, "accept", acting_user=sam)
    Goal.objects.filter(pk=together.pk).update(shared_at=now - timedelta(days=16))
    program_actions.create_goal(
        couple,
        text="Tell Sam in the moment when something feels good",
        created_at=now - timedelta(days=4),
        acting_user=alex,
    )
    proposed = program_actions.create_goal(
        couple,
        text="One evening a week without phones, just the two of us",
        created_at=now - timedelta(days=2),
        acting_user=sam,
    )
    program_actions.propose_goal(couple, proposed, acting_user=sam)


def _own_program(couple: Couple, robin: User, kai: User) -> None:
    """Robin and Kai: at stage 1, practising; Robin is ready to move on, Kai not yet."""
    now = timezone.now()
    plan, _ = _plan(couple, stage_index=0, started_at=now - timedelta(days=10))
    _boundaries(couple, robin, _answers(ROBIN_BOUNDARIES))
    _boundaries(couple, kai, _answers(KAI_BOUNDARIES))
    _practice(plan, robin, ROBIN_PRACTICE, now)
    _practice(plan, kai, KAI_PRACTICE, now)
    ready = StageReadiness.objects.filter(plan=plan, owner=robin)
    if not plan.is_paused and not plan.is_last_stage and not ready.exists():
        program_actions.set_ready(plan, True, acting_user=robin)


# --- check-ins, adjustment cycles and the journal, for the named couples --------------


class _CheckIn(NamedTuple):
    """One check-in of a named persona: ``rounds_ago`` (0 is the current round), the six
    scores in SCORED_ITEMS order, and when in the round it was sent (``day`` 0 is the
    round's first day; a day past its end makes it late)."""

    rounds_ago: int
    scores: tuple[int, int, int, int, int, int]
    appreciated: str = ""
    talk_about: str = ""
    private: tuple[str, ...] = ()
    day: int = 5
    hour: int = 20


# A gentle story: safer, calmer and closer week by week. Five rounds ago Sam kept sleep
# private; three rounds ago their sense of safety was 3 apart (prompts on that page); Sam
# missed four rounds ago and was late two rounds ago; this round only Sam has answered.
ALEX_CHECKINS = (
    _CheckIn(5, (5, 3, 6, 7, 5, 5), "You made tea when I got home late"),
    _CheckIn(4, (6, 4, 6, 6, 5, 6), "Our walk on Sunday", day=6, hour=19),
    _CheckIn(3, (7, 4, 7, 5, 6, 6), "Cooking together on Thursday", "How we plan evenings"),
    _CheckIn(2, (7, 5, 7, 5, 6, 7), "Phones away after nine", day=4, hour=21),
    _CheckIn(1, (8, 5, 8, 4, 7, 7), "Laughing at the film on Friday",
             "Visiting my family next month", private=("talk_about",)),
)  # fmt: skip
SAM_CHECKINS = (
    _CheckIn(5, (5, 2, 5, 7, 4, 4), "Our walk on Sunday", private=("sleep_quality",),
             day=6, hour=18),
    _CheckIn(3, (4, 3, 5, 7, 4, 4), "You listened when I was tired", "How we plan evenings",
             day=6, hour=21),
    _CheckIn(2, (6, 4, 7, 5, 6, 6), "Quiet evenings this week", day=8, hour=9),
    _CheckIn(1, (7, 5, 8, 4, 7, 7), "Our walk on Sunday", day=6, hour=20),
    _CheckIn(0, (8, 6, 8, 3, 7, 8), "Breakfast together on Saturday",
             "Planning a weekend away"),
)  # fmt: skip
ROBIN_CHECKINS = (
    _CheckIn(2, (6, 4, 6, 5, 6, 6), "Writing down our ground rules", day=5, hour=19),
    _CheckIn(1, (7, 5, 7, 4, 6, 7), "Practising the stop signal", day=6, hour=10),
)
KAI_CHECKINS = (
    _CheckIn(2, (6, 5, 6, 6, 5, 5), day=6, hour=21),
    _CheckIn(1, (6, 5, 7, 5, 6, 6), "Time to talk without rushing", day=6, hour=20),
)

SCORE_KEYS = tuple(item.key for item in SCORED_ITEMS)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time on ``day`` (the active time zone), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _checkins(couple: Couple, rounds: int, people: dict[User, Sequence[_CheckIn]]) -> None:
    """A weekly schedule that began ``rounds`` rounds ago, and each person's check-ins."""
    if CheckIn.objects.filter(couple=couple).exists():
        return
    now = timezone.now()
    today = timezone.localdate(now)
    anchor = monday_of(today) - timedelta(weeks=rounds)
    schedule = checkin_actions.ensure_schedule(couple)
    if schedule.anchor > anchor:  # a fresh schedule (or one a visit just made): move it back
        CheckInSchedule.objects.filter(pk=schedule.pk).update(
            anchor=anchor, changed_at=_at(anchor, 9)
        )
        schedule.anchor = anchor
    current = schedule.round_for(today)
    rows = []
    for person, entries in people.items():
        for entry in entries:
            start = current.start - timedelta(days=schedule.length * entry.rounds_ago)
            this_round = schedule.round_for(start)
            if entry.rounds_ago == 0:
                # Sent earlier in this round: halfway between its start and now.
                sent_at = _at(start, 0) + (now - _at(start, 0)) / 2
            else:
                sent_at = min(now, _at(start + timedelta(days=entry.day), entry.hour))
            rows.append(
                CheckIn(
                    couple=couple,
                    owner=person,
                    period_start=this_round.start,
                    submitted_at=sent_at,
                    updated_at=sent_at,
                    late=timezone.localdate(sent_at) >= this_round.end,
                    appreciated=entry.appreciated,
                    talk_about=entry.talk_about,
                    private_items=list(entry.private),
                    **dict(zip(SCORE_KEYS, entry.scores, strict=True)),
                )
            )
    CheckIn.objects.bulk_create(rows)


def _cycles(couple: Couple, alex: User, sam: User) -> None:
    """One cycle looked back on and kept, and one being tried, through the real steps."""
    if AdjustmentCycle.objects.filter(couple=couple).exists():
        return
    now = timezone.now()
    today = timezone.localdate(now)

    closed = cycle_actions.raise_concern(
        couple,
        "I'd like evenings to feel less rushed",
        wish="Some time to wind down together before bed",
        acting_user=alex,
    )
    cycle_actions.reflect(
        closed, "Evenings feel hurried, and you'd like us to slow down together.", acting_user=sam
    )
    cycle_actions.confirm(closed, acting_user=alex)
    cycle_actions.propose(
        closed, "Phones away after nine", today + timedelta(days=14), acting_user=sam
    )
    cycle_actions.agree(closed, acting_user=alex)
    cycle_actions.rate(
        closed, OutcomeRating.Rating.HELPED, "Evenings feel calmer.", acting_user=sam
    )
    cycle_actions.rate(closed, OutcomeRating.Rating.HELPED, acting_user=alex)
    cycle_actions.decide(
        closed, AdjustmentCycle.Decision.KEEP, "Small changes are easier to keep", acting_user=alex
    )
    AdjustmentCycle.objects.filter(pk=closed.pk).update(
        created_at=now - timedelta(days=33),
        reflected_at=now - timedelta(days=32, hours=20),
        understood_at=now - timedelta(days=32, hours=18),
        agreed_at=now - timedelta(days=31),
        review_on=today - timedelta(days=17),
        closed_at=now - timedelta(days=16),
        updated_at=now - timedelta(days=16),
    )
    OutcomeRating.objects.filter(cycle=closed, owner=sam).update(
        created_at=now - timedelta(days=17)
    )
    OutcomeRating.objects.filter(cycle=closed, owner=alex).update(
        created_at=now - timedelta(days=16, hours=1)
    )

    trying = cycle_actions.raise_concern(
        couple,
        "Weekends fill up before we've had time for just us",
        wish="Keep a little of the weekend free",
        acting_user=sam,
    )
    cycle_actions.reflect(
        trying,
        "You'd like some weekend time that's only ours, before plans take over.",
        acting_user=alex,
    )
    cycle_actions.confirm(trying, acting_user=sam)
    cycle_actions.propose(
        trying,
        "Keep Saturday morning free for the two of us",
        today + timedelta(days=3),
        acting_user=alex,
    )
    cycle_actions.agree(trying, acting_user=sam)
    AdjustmentCycle.objects.filter(pk=trying.pk).update(
        created_at=now - timedelta(days=9),
        reflected_at=now - timedelta(days=8),
        understood_at=now - timedelta(days=8) + timedelta(hours=2),
        agreed_at=now - timedelta(days=4),
        updated_at=now - timedelta(days=4),
    )


class _Entry(NamedTuple):
    days_ago: int
    title: str
    body: str
    sharing: str = Sharing.ONLY_ME
    prompt_key: str = ""


ALEX_JOURNAL = (
    _Entry(9, "After our session",
           "Going slowly made sense to me today. I felt lighter on the way home."),
    _Entry(6, "Something I wanted you to read",
           "I've noticed I rush our evenings. Putting the phones away has helped me slow "
           "down, and I like how our evenings feel now.", Sharing.PARTNER),
    _Entry(3, "",
           "Sam laughed at my terrible joke while we were washing up, and for a moment "
           "everything felt easy.", prompt_key="reflection-01"),
)  # fmt: skip
SAM_JOURNAL = (
    _Entry(2, "Before our next session",
           "Sleep has been better this week. I'd like to talk about how to mention being "
           "tired without it sounding like a complaint.", Sharing.CARE),
)  # fmt: skip


class _Moment(NamedTuple):
    days_ago: int
    kind: str
    note: str = ""


ALEX_MOMENTS = (
    _Moment(13, Moment.Kind.TIME, "Sunday walk by the river"),
    _Moment(7, Moment.Kind.SUPPORT, "Sam made dinner after my long day"),
    _Moment(5, Moment.Kind.APPRECIATION),
    _Moment(2, Moment.Kind.TOUCH),
)
SAM_MOMENTS = (
    _Moment(11, Moment.Kind.HUMOUR),
    _Moment(9, Moment.Kind.TOUCH),
    _Moment(4, Moment.Kind.TIME, "Tea on the balcony"),
    _Moment(1, Moment.Kind.HUMOUR),
)


def _journal(couple: Couple, alex: User, sam: User) -> None:
    """Journal entries (private and shared), moments of closeness and two notes."""
    now = timezone.now()
    today = timezone.localdate(now)
    if not JournalEntry.objects.filter(couple=couple).exists():
        prompts = journal_content.prompts()
        for person, entries in ((alex, ALEX_JOURNAL), (sam, SAM_JOURNAL)):
            for entry in entries:
                written = journal_actions.create_entry(
                    couple,
                    body=entry.body,
                    title=entry.title,
                    prompt_key=entry.prompt_key if prompts.get(entry.prompt_key) else "",
                    sharing=entry.sharing,
                    acting_user=person,
                )
                at = _at(today - timedelta(days=entry.days_ago), 21, 15)
                JournalEntry.objects.filter(pk=written.pk).update(created_at=at, updated_at=at)

    if not Moment.objects.filter(couple=couple).exists():
        for person, moments in ((alex, ALEX_MOMENTS), (sam, SAM_MOMENTS)):
            for moment in moments:
                day = today - timedelta(days=moment.days_ago)
                logged = journal_actions.log_moment(
                    couple, moment.kind, note=moment.note, happened_on=day, acting_user=person
                )
                Moment.objects.filter(pk=logged.pk).update(created_at=_at(day, 20, 30))

    if not Appreciation.objects.filter(couple=couple).exists():
        to_sam = journal_actions.send_appreciation(
            couple, "Thank you for being so patient with me this week.", acting_user=alex
        )
        Appreciation.objects.filter(pk=to_sam.pk).update(
            created_at=now - timedelta(days=6), seen_at=now - timedelta(days=5)
        )
        to_alex = journal_actions.send_appreciation(
            couple,
            "Thank you for putting your phone away without me asking. It meant a lot.",
            acting_user=sam,
        )
        Appreciation.objects.filter(pk=to_alex.pk).update(created_at=now - timedelta(hours=20))


def _guided_extras(couple: Couple, alex: User, sam: User) -> None:
    """Alex and Sam's check-ins, adjustment cycles, journal, moments and notes."""
    couple = Couple.objects.get(pk=couple.pk)  # fresh seats and consents
    # Days (rounds, look-back dates) as Alex will see them, in Alex's time zone.
    with timezone.override(alex.time_zone):
        _checkins(couple, 5, {alex: ALEX_CHECKINS, sam: SAM_CHECKINS})
        _cycles(couple, alex, sam)
        _journal(couple, alex, sam)


def create_personas(result: DemoResult) -> User:
    """Create (or find) the named clinics, staff and couples. Returns Dr Rivera."""
    password_hash = make_password(PASSWORD)

    def person(email: str) -> User:
        return _person(email, PERSONAS[email], password_hash, result)

    riverside = _clinic(RIVERSIDE)
    harbour = _clinic(HARBOUR)
    rivera = person(CLINICIAN_EMAIL)
    _member(riverside, rivera, ClinicMembership.Role.CLINICIAN)
    _member(riverside, person(ADMIN_EMAIL), ClinicMembership.Role.ADMIN)
    _member(harbour, person(HARBOUR_CLINICIAN_EMAIL), ClinicMembership.Role.CLINICIAN)

    # Alex and Sam: guided by Dr Rivera at Riverside, consented to taking part and care.
    alex, sam = person(ALEX_EMAIL), person(SAM_EMAIL)
    guided, created = _couple_of(alex, sam, clinic=riverside, created_by=rivera)
    CareAssignment.objects.get_or_create(couple=guided, clinician=rivera, ended_at=None)
    _consent(guided, [alex, sam], [Consent.Kind.PARTICIPATION, Consent.Kind.CARE])
    if created:
        now = timezone.now()
        for offset, text in enumerate(CARE_NOTES):
            CareNote.objects.create(
                couple=guided, author=rivera, text=text, created_at=now + timedelta(seconds=offset)
            )

    _guided_program(guided, alex, sam, rivera)
    _guided_extras(guided, alex, sam)

    # Robin and Kai: on their own, consented to taking part.
    robin, kai = person(ROBIN_EMAIL), person(KAI_EMAIL)
    own, _ = _couple_of(robin, kai, clinic=None, created_by=robin)
    _consent(own, [robin, kai], [Consent.Kind.PARTICIPATION])
    _own_program(own, robin, kai)
    with timezone.override(robin.time_zone):
        _checkins(Couple.objects.get(pk=own.pk), 2, {robin: ROBIN_CHECKINS, kai: KAI_CHECKINS})

    # Jordan: started alone and is waiting for their partner to accept an invitation.
    jordan = person(JORDAN_EMAIL)
    seat = _seat(jordan)
    waiting = seat.couple if seat else actions.start_couple(acting_user=jordan)
    _consent(waiting, [jordan], [Consent.Kind.PARTICIPATION])
    if not waiting.invitations.pending().filter(role=Invitation.Role.PARTNER).exists():
        Invitation.issue(
            email=JORDAN_PARTNER_EMAIL,
            role=Invitation.Role.PARTNER,
            couple=waiting,
            invited_by=jordan,
        )
    # The program opens once both have joined; until then Jordan's answers wait, private.
    _boundaries(waiting, jordan, _answers(JORDAN_BOUNDARIES, complete=False))
    return rivera


# --- synthetic couples ---------------------------------------------------------------


@dataclass
class _Batch:
    users: list[User] = field(default_factory=list)
    couples: list[Couple] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    assignments: list[CareAssignment] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    events: list[AccessEvent] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    plan_events: list[PlanEvent] = field(default_factory=list)
    readiness: list[StageReadiness] = field(default_factory=list)
    answers: list[BoundaryAnswer] = field(default_factory=list)
    logs: list[PracticeLog] = field(default_factory=list)
    schedules: list[CheckInSchedule] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    # Partner and consent rows wait for their user's primary key: (user email, row).
    pending: list[tuple[str, Partner | Consent]] = field(default_factory=list)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    if end <= start:
        return end
    return start + (end - start) * rng.random()


def synthetic_stage(index: int) -> int:
    """The program stage (0-4) of synthetic couple ``index`` if both partners joined.

    Every 5th couple has one partner only, so count the others: 1st at 0, 2nd at 1, ...
    """
    return (index - index // 5 - 1) % 5


def _score(rng: random.Random, start: float, change: float, progress: float) -> int:
    return max(0, min(10, round(start + change * progress + rng.uniform(-1.5, 1.5))))


def _synthetic_answers(rng: random.Random, stage: int) -> list[dict[str, str]]:
    """Both partners' answers: open to the groups their stage needs, one bolder beyond."""
    open_groups = set(GROUP_ORDER[: OPEN_GROUPS_AT_STAGE[min(stage, 4)]])
    bolder = rng.randrange(2)
    result: list[dict[str, str]] = []
    for seat in range(2):
        answers = {}
        for key, activity in content.activities().items():
            if activity.group in open_groups:
                value = rng.choice((YES, YES, MAYBE))
                if key in SOMETIMES_NOT_NOW and rng.random() < 0.3:
                    value = NOT_NOW
            elif seat == bolder:
                value = rng.choice((MAYBE, NOT_NOW, NOT_NOW))
            else:
                value = rng.choice((NOT_NOW, NOT_NOW, NO))
            answers[key] = value
        result.append(answers)
    return result


def _plan_program(
    batch: _Batch,
    rng: random.Random,
    index: int,
    couple: Couple,
    members: Sequence[User],
    *,
    version: ProgramVersion,
    clinician: User,
    active_at: datetime,
    now: datetime,
) -> None:
    """The plan of a couple whose partners both joined: boundaries, stages, practice."""
    program = version.program
    stage = min(synthetic_stage(index), len(program.stages) - 1)
    plan = Plan(couple=couple, program_version=version, stage_index=stage, started_at=active_at)
    batch.plans.append(plan)

    answers = _synthetic_answers(rng, stage)
    for person, mine in zip(members, answers, strict=True):
        answered_at = min(now, active_at + timedelta(minutes=rng.randint(5, 120)))
        batch.answers += [
            BoundaryAnswer(
                couple=couple, owner=person, activity_key=k, answer=v, updated_at=answered_at
            )
            for k, v in mine.items()
        ]
    shared = boundaries.overlap_from_answers(dict(enumerate(answers)), [0, 1])
    fitting = [[e for e in s.exercises if e.fits(shared)] for s in program.stages[: stage + 1]]

    # The plan moved on at even steps; each step approved by the clinician first.
    span = now - active_at
    step = span / (stage + 1)
    batch.plan_events.append(
        PlanEvent(
            plan=plan, couple=couple, kind=PlanEvent.Kind.STARTED, stage_index=0, at=active_at
        )
    )
    for k in range(1, stage + 1):
        at = active_at + step * k
        batch.plan_events += [
            PlanEvent(
                plan=plan,
                couple=couple,
                actor=clinician,
                kind=PlanEvent.Kind.APPROVED,
                stage_index=k - 1,
                at=at - min(step / 2, timedelta(hours=rng.uniform(1, 48))),
            ),
            PlanEvent(plan=plan, couple=couple, kind=PlanEvent.Kind.ADVANCED, stage_index=k, at=at),
        ]
    if stage < len(program.stages) - 1 and rng.random() < 0.3:
        batch.readiness.append(
            StageReadiness(
                plan=plan,
                couple=couple,
                owner=rng.choice(members),
                stage_index=stage,
                marked_at=_between(rng, active_at + step * stage, now),
            )
        )

    # One to three practice sessions a week, mostly together; comfort grows over time.
    week = active_at
    while week < now:
        for _ in range(rng.randint(1, 3)):
            at = week + timedelta(days=7) * rng.random()
            if at >= now:
                continue
            progress = (at - active_at) / span
            k = min(stage, int((at - active_at) / step))
            if not fitting[k]:
                continue
            exercise = rng.choice(fitting[k])
            for person in members:
                if rng.random() > 0.85:
                    continue
                batch.logs.append(
                    PracticeLog(
                        plan=plan,
                        couple=couple,
                        owner=person,
                        exercise_key=exercise.key,
                        stage_index=k,
                        practised_on=timezone.localdate(at),
                        comfort=_score(rng, 4, 4, progress),
                        anxiety=_score(rng, 6, -4, progress),
                        closeness=_score(rng, 5, 3, progress),
                        pleasure=_score(rng, 3, 4, progress),
                        shared_with_partner=rng.random() < 0.4,
                        shared_with_care=rng.random() < 0.5,
                        created_at=at + timedelta(minutes=rng.randint(10, 240)),
                    )
                )
        week += timedelta(weeks=1)

    _plan_checkins(batch, rng, couple, members, active_at=active_at, now=now)


#: For synthetic check-ins: (score at the start, change by now) per item, SCORED_ITEMS order.
CHECKIN_TRENDS = ((5, 3), (3, 4), (5, 3), (6, -3), (5, 2), (5, 3))


def _plan_checkins(
    batch: _Batch,
    rng: random.Random,
    couple: Couple,
    members: Sequence[User],
    *,
    active_at: datetime,
    now: datetime,
) -> None:
    """A weekly schedule from the week the couple became active, and the check-ins each
    partner sent: most rounds, now and then late or missed; scores improve over time."""
    schedule = CheckInSchedule(
        couple=couple, anchor=monday_of(timezone.localdate(active_at)), changed_at=active_at
    )
    batch.schedules.append(schedule)
    span = max(now - active_at, timedelta(hours=1))
    grace = timedelta(days=GRACE_DAYS)
    for current in schedule.rounds_between(schedule.anchor, timezone.localdate(now)):
        start, end = _at(current.start, 0), _at(current.end, 0)
        for person in members:
            if rng.random() < 0.2:
                continue  # missed this round
            late = end < now and rng.random() < 0.1
            if late:
                lo, hi = end, min(end + grace, now)
            else:
                lo, hi = max(start, active_at), min(end, now)
            if hi <= lo:
                continue
            at = _between(rng, lo, hi)
            progress = (at - active_at) / span
            scores = [_score(rng, first, change, progress) for first, change in CHECKIN_TRENDS]
            private = [rng.choice(SCORE_KEYS)] if rng.random() < 0.1 else []
            batch.checkins.append(
                CheckIn(
                    couple=couple,
                    owner=person,
                    period_start=current.start,
                    submitted_at=at,
                    updated_at=at,
                    late=late,
                    private_items=private,
                    **dict(zip(SCORE_KEYS, scores, strict=True)),
                )
            )


def _plan_couple(
    batch: _Batch,
    index: int,
    *,
    clinic: Clinic,
    clinician: User,
    version: ProgramVersion,
    now: datetime,
    weeks: int,
    password_hash: str,
) -> None:
    """Add the rows of synthetic couple ``index`` (history included) to ``batch``."""
    rng = random.Random(index)  # noqa: S311 - demo data, deterministic on purpose
    span = timedelta(weeks=weeks)
    created_at = now - span * rng.random()
    names = synthetic_names(index)
    one_partner_only = index % 5 == 0
    withdraws_care = index % 7 == 0

    couple = Couple(
        mode=Couple.Mode.GUIDED, clinic=clinic, created_by=clinician, created_at=created_at
    )
    batch.couples.append(couple)
    batch.assignments.append(
        CareAssignment(couple=couple, clinician=clinician, assigned_at=created_at)
    )

    joined_at = created_at
    members: list[User] = []
    active_at = created_at
    for seat, name in zip(Partner.Seat, names, strict=True):
        email = synthetic_email(index, seat.value)
        if seat == Partner.Seat.B and one_partner_only:
            # The clinician's invitation is still waiting (re-sent recently if it's old).
            ttl = timedelta(days=settings.INVITATION_TTL_DAYS)
            sent_at = max(created_at, now - ttl / 2 * rng.random())
            batch.invitations.append(
                Invitation(
                    email=email,
                    display_name=name,
                    role=Invitation.Role.PARTNER,
                    couple=couple,
                    invited_by=clinician,
                    token_hash=hash_token(secrets.token_urlsafe(32)),
                    created_at=sent_at,
                    expires_at=sent_at + ttl,
                )
            )
            break
        joined_at = _between(rng, joined_at, min(now, joined_at + timedelta(days=4)))
        member = User(email=email, display_name=name, password=password_hash, date_joined=joined_at)
        batch.users.append(member)
        members.append(member)
        batch.pending.append((email, Partner(couple=couple, seat=seat.value, joined_at=joined_at)))
        given_at = min(now, joined_at + timedelta(minutes=rng.randint(2, 30)))
        active_at = given_at
        for kind in (Consent.Kind.PARTICIPATION, Consent.Kind.CARE):
            text = consent_texts.current(kind)
            withdrawn_at = None
            if kind == Consent.Kind.CARE and withdraws_care and seat == Partner.Seat.A:
                withdrawn_at = _between(rng, given_at, now)
            consent = Consent(
                couple=couple,
                clinic=clinic if kind == Consent.Kind.CARE else None,
                kind=kind,
                version=text.version,
                text_sha256=text.sha256,
                given_at=given_at,
                withdrawn_at=withdrawn_at,
            )
            batch.pending.append((email, consent))

    # Dr Rivera looks at the couple's overview roughly once a week.
    seen_at = created_at + timedelta(hours=rng.uniform(1, 72))
    while seen_at < now:
        batch.events.append(
            AccessEvent(
                at=seen_at,
                actor=clinician,
                actor_name=str(clinician)[:120],
                actor_role="clinician",
                clinic=clinic,
                action=AccessEvent.Action.READ,
                couple=couple,
                couple_reference=couple.reference,
                what="couple.overview",
                ip_address="127.0.0.1",
            )
        )
        seen_at += timedelta(days=rng.uniform(5, 9))

    if len(members) == 2:
        _plan_program(
            batch,
            rng,
            index,
            couple,
            members,
            version=version,
            clinician=clinician,
            active_at=active_at,
            now=now,
        )


def _write(batch: _Batch) -> None:
    users = User.objects.bulk_create(batch.users)
    by_email = {u.email: u for u in users}
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    Couple.objects.bulk_create(batch.couples)
    for email, row in batch.pending:
        row.user = by_email[email]
    CareAssignment.objects.bulk_create(batch.assignments)
    Partner.objects.bulk_create([r for _, r in batch.pending if isinstance(r, Partner)])
    Consent.objects.bulk_create([r for _, r in batch.pending if isinstance(r, Consent)])
    Invitation.objects.bulk_create(batch.invitations)
    AccessEvent.objects.bulk_create(batch.events, batch_size=500)
    # Users and couples have their keys now; plans and logs carry UUIDs of their own.
    Plan.objects.bulk_create(batch.plans)
    PlanEvent.objects.bulk_create(batch.plan_events, batch_size=500)
    StageReadiness.objects.bulk_create(batch.readiness)
    BoundaryAnswer.objects.bulk_create(batch.answers, batch_size=500)
    PracticeLog.objects.bulk_create(batch.logs, batch_size=500)
    CheckInSchedule.objects.bulk_create(batch.schedules)
    CheckIn.objects.bulk_create(batch.checkins, batch_size=500)


def existing_synthetic(count: int) -> set[int]:
    """Indices (1..count) of synthetic couples already there: their seat A is taken."""
    emails = {synthetic_email(i, "a"): i for i in range(1, count + 1)}
    taken = Partner.objects.filter(user__email__in=list(emails), left_at__isnull=True).values_list(
        "user__email", flat=True
    )
    return {emails[e] for e in taken}


def create_synthetic(
    count: int, weeks: int, *, clinician: User, result: DemoResult, progress: bool = True
) -> None:
    clinic = _clinic(RIVERSIDE)
    existing = existing_synthetic(count)
    # A half-made couple (user without a seat) would clash on the e-mail: skip its index.
    missing = [i for i in range(1, count + 1) if i not in existing]
    stale = set(
        User.objects.filter(
            email__in=[synthetic_email(i, s) for i in missing for s in ("a", "b")]
        ).values_list("email", flat=True)
    )
    missing = [
        i
        for i in missing
        if synthetic_email(i, "a") not in stale and synthetic_email(i, "b") not in stale
    ]
    result.couples_existing = count - len(missing)
    if not missing:
        return
    now = timezone.now()
    password_hash = make_password(PASSWORD)
    version = _program_version(clinic)
    with tqdm(
        total=len(missing),
        desc="Demo couples",
        unit="couple",
        file=sys.stderr,
        disable=not progress,
    ) as bar:
        for start in range(0, len(missing), BATCH_SIZE):
            batch = _Batch()
            chunk = missing[start : start + BATCH_SIZE]
            for index in chunk:
                _plan_couple(
                    batch,
                    index,
                    clinic=clinic,
                    clinician=clinician,
                    version=version,
                    now=now,
                    weeks=weeks,
                    password_hash=password_hash,
                )
            _write(batch)
            result.couples_created += len(chunk)
            result.access_events += len(batch.events)
            result.plans += len(batch.plans)
            result.practice_logs += len(batch.logs)
            result.checkins += len(batch.checkins)
            bar.update(len(chunk))


def create_demo(couples: int = 0, weeks: int = 12, *, progress: bool = True) -> DemoResult:
    """Create the demo personas and ``couples`` synthetic couples with ``weeks`` of history."""
    if couples < 0 or weeks < 0:
        raise ValueError("couples and weeks cannot be negative")
    result = DemoResult()
    with transaction.atomic():
        rivera = create_personas(result)
        create_synthetic(couples, weeks, clinician=rivera, result=result, progress=progress)
    return result
