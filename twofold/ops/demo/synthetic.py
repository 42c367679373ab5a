"""Synthetic couples for ``manage.py demo --couples N --weeks W``: a caseload to look at.

Each couple's history is first planned (:func:`plan_couple`: plain data, the same on
every run for the same index, time and program), then written (:func:`write_couple`)
through the real actions, each at its moment: both partners agree and the couple opens
(its plan and check-in schedule start then), they answer the boundaries list, mark
themselves ready and Dr Rivera approves each stage, they practise and check in most
weeks, and Dr Rivera looks at their overview about once a week.

Couples and seats are set up directly, as an import from another system would: the
invitation action counts every invitation against the clinician's hourly limit, which a
caseload of dozens would exceed. Every 5th couple has one partner only, whose invitation
is still waiting; in every 7th, the first partner later withdrew care consent.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from tqdm import tqdm

from twofold.accounts.models import User
from twofold.care.models import CareAssignment, Clinic
from twofold.checkins import actions as checkin_actions
from twofold.checkins.models import GRACE_DAYS, SCORED_ITEMS, CheckInSchedule, monday_of
from twofold.couples import actions as couple_actions
from twofold.couples.models import Consent, Couple, Invitation, Partner
from twofold.lib import clock
from twofold.lib.audit import AuditContext, What
from twofold.ops.demo.common import MAYBE, NO, NOT_NOW, YES, DemoResult, local_time
from twofold.ops.demo.people import DOMAIN, PASSWORD, RESERVED_NAMES, RIVERSIDE, clinic, verify
from twofold.program import actions as program_actions
from twofold.program import boundaries, content
from twofold.program.models import Plan, ProgramVersion

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

#: Activity groups (as in the activities file) in the order couples usually open up to them.
GROUP_ORDER = (
    "Talking",
    "Affection",
    "Everyday touch",
    "Being seen, less clothing",
    "Closer touch",
    "Sexual touch",
)
#: For a synthetic couple at stage ``i``: how many of GROUP_ORDER both partners are open to
#: (enough for every exercise of that stage and the ones before it to be offered).
OPEN_GROUPS_AT_STAGE = (2, 3, 5, 6, 6)
#: Sexual-touch activities that partners of a couple open to the group may still not want.
SOMETIMES_NOT_NOW = frozenset(
    {
        "self-touch-with-partner",
        "sex-toys",
        "oral-sex-giving",
        "oral-sex-receiving",
        "penetration-fingers-toys",
        "penetration-vaginal",
        "penetration-anal",
    }
)
#: For synthetic check-ins: (score at the start, change by now) per item, SCORED_ITEMS order.
CHECKIN_TRENDS = ((5, 3), (3, 4), (5, 3), (6, -3), (5, 2), (5, 3))
SCORE_KEYS = tuple(item.key for item in SCORED_ITEMS)


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


def synthetic_stage(index: int) -> int:
    """The program stage (0-4) of synthetic couple ``index`` if both partners joined.

    Every 5th couple has one partner only, so count the others: 1st at 0, 2nd at 1, ...
    """
    return (index - index // 5 - 1) % 5


# --- the plan: plain data --------------------------------------------------------------


@dataclass(frozen=True)
class Joining:
    """A partner who joined: their seat, name, e-mail, and when they joined and agreed."""

    seat: str
    name: str
    email: str
    joined_at: datetime
    agreed_at: datetime


@dataclass(frozen=True)
class Step:
    """The couple moved on to stage ``to_stage``: both ready, then the clinician agreed."""

    to_stage: int
    ready_at: tuple[datetime, datetime]  # by seat A, seat B
    approved_at: datetime


@dataclass(frozen=True)
class Practice:
    seat: int  # 0 for seat A, 1 for seat B
    at: datetime  # when it was logged
    exercise_key: str
    practised_on: date
    comfort: int
    anxiety: int
    closeness: int
    attention: int  # 0 (hardly at all) to 4 (nearly all the time)
    shared_with_partner: bool
    shared_with_care: bool


@dataclass(frozen=True)
class SentCheckIn:
    seat: int
    at: datetime
    period_start: date
    scores: tuple[int, ...]
    private_items: tuple[str, ...]


@dataclass
class CouplePlan:
    """Everything that happens to synthetic couple ``index``, in plain data."""

    index: int
    created_at: datetime
    joinings: list[Joining]
    invitation: tuple[str, str, datetime] | None = None  # (e-mail, name, sent at)
    care_withdrawn_at: datetime | None = None
    overview_reads: list[datetime] = field(default_factory=list)
    stage: int = 0
    answers: list[tuple[datetime, dict[str, str]]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    ready_mark: tuple[int, datetime] | None = None  # (seat, when), for the current stage
    practice: list[Practice] = field(default_factory=list)
    checkins: list[SentCheckIn] = field(default_factory=list)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    if end <= start:
        return end
    return start + (end - start) * rng.random()


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


def plan_couple(index: int, *, now: datetime, weeks: int, program: content.Program) -> CouplePlan:
    """The history of synthetic couple ``index`` over the ``weeks`` before ``now``."""
    rng = random.Random(index)  # noqa: S311 - demo data, deterministic on purpose
    span = timedelta(weeks=weeks)
    created_at = now - span * rng.random()
    names = synthetic_names(index)
    plan = CouplePlan(index=index, created_at=created_at, joinings=[])

    joined_at = created_at
    for seat, name in zip(Partner.Seat, names, strict=True):
        email = synthetic_email(index, seat.value)
        if seat == Partner.Seat.B and index % 5 == 0:
            # The clinician's invitation is still waiting (re-sent recently if it's old).
            ttl = timedelta(days=settings.INVITATION_TTL_DAYS)
            plan.invitation = (email, name, max(created_at, now - ttl / 2 * rng.random()))
            break
        joined_at = _between(rng, joined_at, min(now, joined_at + timedelta(days=4)))
        agreed_at = min(now, joined_at + timedelta(minutes=rng.randint(2, 30)))
        plan.joinings.append(Joining(seat.value, name, email, joined_at, agreed_at))
    if index % 7 == 0:
        first = plan.joinings[0].agreed_at
        plan.care_withdrawn_at = _between(rng, first + timedelta(minutes=1), now)

    # Dr Rivera looks at the couple's overview roughly once a week.
    seen_at = created_at + timedelta(hours=rng.uniform(1, 72))
    while seen_at < now:
        plan.overview_reads.append(seen_at)
        seen_at += timedelta(days=rng.uniform(5, 9))

    if len(plan.joinings) == 2:
        _plan_program(plan, rng, program, now=now)
    return plan


def _plan_program(
    plan: CouplePlan, rng: random.Random, program: content.Program, *, now: datetime
) -> None:
    """Boundaries, stages and practice of a couple whose partners both joined."""
    opened_at = plan.joinings[-1].agreed_at  # the second agreement opens the couple
    active_at = opened_at + timedelta(minutes=1)
    stage = plan.stage = min(synthetic_stage(plan.index), len(program.stages) - 1)

    answers = _synthetic_answers(rng, stage)
    for mine in answers:
        plan.answers.append((min(now, active_at + timedelta(minutes=rng.randint(5, 120))), mine))
    answered_at = max(at for at, _ in plan.answers)
    shared = boundaries.overlap_from_answers(dict(enumerate(answers)), [0, 1])
    fitting = [[e for e in s.exercises if e.fits(shared)] for s in program.stages[: stage + 1]]

    # The plan moved on at even steps: both ready, then the clinician agreed.
    span = now - active_at
    step = span / (stage + 1)
    for k in range(1, stage + 1):
        at = active_at + step * k
        window = min(step / 2, timedelta(hours=rng.uniform(1, 48)))
        earliest = max(answered_at, at - window)
        ready = sorted(_between(rng, earliest, at) for _ in range(2))
        plan.steps.append(Step(k, (ready[0], ready[1]), at + timedelta(seconds=1)))
    if stage < len(program.stages) - 1 and rng.random() < 0.3:
        plan.ready_mark = (
            rng.randrange(2),
            _between(rng, active_at + step * stage + timedelta(seconds=2), now),
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
            for seat in range(2):
                if rng.random() > 0.85:
                    continue
                comfort = _score(rng, 4, 4, progress)
                anxiety = _score(rng, 6, -4, progress)
                closeness = _score(rng, 5, 3, progress)
                attention = min(4, _score(rng, 1, 2.5, progress))
                with_partner = rng.random() < 0.4
                with_care = rng.random() < 0.5
                logged_at = min(now, at + timedelta(minutes=rng.randint(10, 240)))
                plan.practice.append(
                    Practice(
                        seat=seat,
                        at=max(logged_at, step * k + active_at + timedelta(seconds=2)),
                        exercise_key=exercise.key,
                        practised_on=timezone.localdate(at),
                        comfort=comfort,
                        anxiety=anxiety,
                        closeness=closeness,
                        attention=attention,
                        shared_with_partner=with_partner,
                        shared_with_care=with_care,
                    )
                )
        week += timedelta(weeks=1)

    _plan_checkins(plan, rng, opened_at=opened_at, active_at=active_at, now=now)


def _plan_checkins(
    plan: CouplePlan,
    rng: random.Random,
    *,
    opened_at: datetime,
    active_at: datetime,
    now: datetime,
) -> None:
    """Weekly rounds from the week the couple opened, and the check-ins each partner
    sent: most rounds, now and then late or missed; scores improve over time."""
    schedule = CheckInSchedule(anchor=monday_of(timezone.localdate(opened_at)))
    span = max(now - active_at, timedelta(hours=1))
    grace = timedelta(days=GRACE_DAYS)
    for current in schedule.rounds_between(schedule.anchor, timezone.localdate(now)):
        start, end = local_time(current.start, 0), local_time(current.end, 0)
        for seat in range(2):
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
            scores = tuple(_score(rng, first, change, progress) for first, change in CHECKIN_TRENDS)
            private = (rng.choice(SCORE_KEYS),) if rng.random() < 0.1 else ()
            plan.checkins.append(SentCheckIn(seat, at, current.start, scores, private))


# --- writing it, through the actions -----------------------------------------------------


def write_couple(
    plan: CouplePlan,
    *,
    place: Clinic,
    clinician: User,
    password_hash: str,
    audit: AuditContext,
    result: DemoResult,
) -> Couple:
    """Write synthetic couple ``plan`` (its history included)."""
    with clock.moved_to(plan.created_at):
        couple = Couple.objects.create(mode=Couple.Mode.GUIDED, clinic=place, created_by=clinician)
        CareAssignment.objects.create(couple=couple, clinician=clinician)
    members: list[User] = []
    for joining in plan.joinings:
        with clock.moved_to(joining.joined_at):
            member = User.objects.create(
                email=joining.email, display_name=joining.name, password=password_hash
            )
            verify([member])
            Partner.objects.create(couple=couple, user=member, seat=joining.seat)
        members.append(member)
    if plan.invitation is not None:
        email, name, sent_at = plan.invitation
        with clock.moved_to(sent_at):
            Invitation.issue(
                email=email,
                display_name=name,
                role=Invitation.Role.PARTNER,
                couple=couple,
                invited_by=clinician,
            )
    for joining, member in zip(plan.joinings, members, strict=True):
        with clock.moved_to(joining.agreed_at):
            for kind in (Consent.Kind.PARTICIPATION, Consent.Kind.CARE):
                couple_actions.give_consent(
                    Couple.objects.get(pk=couple.pk), kind, acting_user=member
                )
    if len(members) == 2:
        _write_program(plan, couple, members, clinician=clinician, audit=audit, result=result)
    if plan.care_withdrawn_at is not None:
        with clock.moved_to(plan.care_withdrawn_at):
            couple_actions.withdraw_consent(couple, Consent.Kind.CARE, acting_user=members[0])
    for seen_at in plan.overview_reads:
        with clock.moved_to(seen_at):
            audit.read(clinician, couple, What.COUPLE_OVERVIEW)
    result.access_events += len(plan.overview_reads)
    return couple


def _write_program(
    plan: CouplePlan,
    couple: Couple,
    members: list[User],
    *,
    clinician: User,
    audit: AuditContext,
    result: DemoResult,
) -> None:
    couple = Couple.objects.get(pk=couple.pk)
    for member, (at, mine) in zip(members, plan.answers, strict=True):
        with clock.moved_to(at):
            program_actions.save_boundaries(couple, mine, acting_user=member)
    program_plan = Plan.objects.select_related("program_version").get(couple=couple)
    result.plans += 1
    for step in plan.steps:
        for member, at in zip(members, step.ready_at, strict=True):
            with clock.moved_to(at):
                program_actions.set_ready(program_plan, True, acting_user=member)
        with clock.moved_to(step.approved_at):
            program_actions.approve(program_plan, acting_user=clinician, audit=audit)
    if plan.ready_mark is not None:
        seat, at = plan.ready_mark
        with clock.moved_to(at):
            program_actions.set_ready(program_plan, True, acting_user=members[seat])
    program = program_plan.program
    for log in plan.practice:
        exercise = program.exercise(log.exercise_key)
        if exercise is None:
            continue
        with clock.moved_to(log.at):
            program_actions.log_practice(
                program_plan,
                exercise,
                acting_user=members[log.seat],
                practised_on=log.practised_on,
                comfort=log.comfort,
                anxiety=log.anxiety,
                closeness=log.closeness,
                attention=log.attention if exercise.touch else None,
                shared_with_partner=log.shared_with_partner,
                shared_with_care=log.shared_with_care,
            )
    result.practice_logs += len(plan.practice)
    for sent in plan.checkins:
        answers: dict[str, Any] = {
            **dict(zip(SCORE_KEYS, sent.scores, strict=True)),
            "private_items": list(sent.private_items),
        }
        with clock.moved_to(sent.at):
            checkin_actions.save_checkin(
                couple, sent.period_start, answers, acting_user=members[sent.seat]
            )
    result.checkins += len(plan.checkins)


def program_version(place: Clinic | None) -> ProgramVersion:
    """The snapshot of the program the clinic starts couples on (as the opening does)."""
    programs = content.programs()
    key = place.program_key if place else "default"
    return program_actions.snapshot(programs.get(key) or programs["default"])


def existing_synthetic(count: int) -> set[int]:
    """Indices (1..count) of synthetic couples already there: their seat A is taken."""
    emails = {synthetic_email(i, "a"): i for i in range(1, count + 1)}
    taken = Partner.objects.filter(user__email__in=list(emails), left_at__isnull=True).values_list(
        "user__email", flat=True
    )
    return {emails[e] for e in taken}


def create_synthetic(
    count: int,
    weeks: int,
    *,
    clinician: User,
    audit: AuditContext,
    result: DemoResult,
    progress: bool = True,
) -> None:
    place = clinic(RIVERSIDE)
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
    program = program_version(place).program
    with tqdm(
        total=len(missing),
        desc="Demo couples",
        unit="couple",
        file=sys.stderr,
        disable=not progress,
    ) as bar:
        for index in missing:
            plan = plan_couple(index, now=now, weeks=weeks, program=program)
            write_couple(
                plan,
                place=place,
                clinician=clinician,
                password_hash=password_hash,
                audit=audit,
                result=result,
            )
            result.couples_created += 1
            bar.update(1)
