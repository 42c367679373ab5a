"""The named couples' history, written through the real actions at the moments it tells.

* Alex and Sam, guided by Dr Rivera at Riverside: invited five weeks ago, at the second
  stage after Dr Rivera approved, practising, with goals, five weeks of check-ins, two
  adjustment cycles, journal entries, moments and notes to each other, and the CSI-4 at
  the start and in week 4 with the PHQ-4 in week 4 (some of it shared with each other).
* Robin and Kai, on their own: two weeks in, Robin ready to move on and Kai not yet; both
  answered the CSI-4 at the start (Robin shared theirs).
* Jordan: started alone and waiting for their partner to accept the invitation.

The plan and the check-in schedule are not made here: they start when a couple opens
(both partners agreed to take part), so the story opens each couple at the moment its
history begins. Each part is guarded by an existence check, so a second run adds nothing
and an older demo database gains only what it lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import NamedTuple

from django.utils import timezone

from twofold.accounts.models import User
from twofold.care import actions as care_actions
from twofold.care.models import CareNote
from twofold.checkins import actions as checkin_actions
from twofold.checkins.models import SCORED_ITEMS, CheckIn, CheckInSchedule, monday_of
from twofold.couples import actions as couple_actions
from twofold.couples import opening
from twofold.couples.models import Consent, Couple, Invitation
from twofold.cycles import actions as cycle_actions
from twofold.cycles.models import AdjustmentCycle, OutcomeRating
from twofold.journal import actions as journal_actions
from twofold.journal import content as journal_content
from twofold.journal.models import Appreciation, JournalEntry, Moment, Sharing
from twofold.lib import clock
from twofold.lib.audit import AuditContext
from twofold.ops.demo.common import MAYBE, NO, NOT_NOW, YES, accept_as, local_time
from twofold.ops.demo.people import JORDAN_PARTNER_EMAIL, Cast, seat_of
from twofold.outcomes import actions as outcome_actions
from twofold.outcomes.instruments import instrument
from twofold.outcomes.models import OutcomeSchedule, QuestionnaireResult
from twofold.program import actions as program_actions
from twofold.program import boundaries, content
from twofold.program.models import (
    Assignment,
    BoundaryAnswer,
    Goal,
    Plan,
    PlanEvent,
    PracticeLog,
    StageReadiness,
)

CARE_NOTES = (
    # (days ago, text)
    (33, "First session went well. Both keen to go slowly."),
    (12, "Talked through the week's exercises together. Agreed to keep the same pace for now."),
)

SCORE_KEYS = tuple(item.key for item in SCORED_ITEMS)


class _Practice(NamedTuple):
    """One practice log of a named persona, ``days_ago`` before the run."""

    days_ago: int
    exercise_key: str
    comfort: int
    anxiety: int
    closeness: int
    # How much of the time they could stay with the sensations (0 hardly - 4 nearly all);
    # asked only after touch exercises.
    attention: int
    note: str = ""
    with_partner: bool = False
    with_care: bool = False


# Alex and Sam: both open to talking, affection and non-sexual touch; Alex is open to more,
# Sam not yet, so the overlap stops before less clothing and sexual touch.
ALEX_BOUNDARIES = {
    "groups": {
        "Talking": YES,
        "Affection": YES,
        "Everyday touch": YES,
        "Being seen, less clothing": MAYBE,
        "Closer touch": MAYBE,
        "Sexual touch": NOT_NOW,
    },
    "activities": {
        "genital-touch-giving": MAYBE,
        "genital-touch-receiving": MAYBE,
        "lubricant": YES,
        "sex-toys": MAYBE,
    },
}
SAM_BOUNDARIES = {
    "groups": {
        "Talking": YES,
        "Affection": YES,
        "Everyday touch": YES,
        "Being seen, less clothing": NOT_NOW,
        "Closer touch": NOT_NOW,
        "Sexual touch": NOT_NOW,
    },
    "activities": {
        "talking-sex": MAYBE,
        "kissing-brief": MAYBE,
        "face-hair-touch": MAYBE,
        "penetration-vaginal": NO,
        "penetration-anal": NO,
    },
}
ALEX_PRACTICE = (
    _Practice(19, "holding-each-other", 6, 4, 7, 2,
              "A bit awkward to begin with, then it was nice just to be close.", True, True),
    _Practice(12, "hands-and-arms", 7, 3, 8, 3, "Felt calmer than last time.", True, False),
    _Practice(8, "hello-and-goodbye-hugs", 7, 2, 7, 3),
    _Practice(3, "hands-and-arms", 8, 2, 8, 3,
              "We laughed a lot. Easier to say what I liked.", False, True),
)  # fmt: skip
SAM_PRACTICE = (
    _Practice(19, "holding-each-other", 5, 5, 6, 1,
              "Needed a pause halfway; the stop signal helped.", False, True),
    _Practice(12, "hands-and-arms", 6, 4, 7, 2, "Felt calmer than last time.", True, True),
    _Practice(5, "caring-for-feet", 7, 3, 7, 3),
    _Practice(3, "hands-and-arms", 7, 3, 8, 3,
              "Nice to slow down together after a long week.", True, False),
)  # fmt: skip
#: The stage-2 exercise Dr Rivera suggested (inside Alex and Sam's overlap).
ALEX_AND_SAM_ASSIGNMENT = "hands-and-arms"

# Robin and Kai: both open to talking and affection; Robin to non-sexual touch too.
ROBIN_BOUNDARIES = {
    "groups": {"Talking": YES, "Affection": YES, "Everyday touch": MAYBE},
    "activities": {"kissing-brief": MAYBE},
}
KAI_BOUNDARIES = {
    "groups": {"Talking": YES, "Affection": YES, "Sexual touch": NO},
    "activities": {"talking-sex": MAYBE, "sleeping-same-bed": MAYBE},
}
ROBIN_PRACTICE = (
    _Practice(6, "agreeing-ground-rules", 6, 4, 6, 2,
              "Good to write down what we both need.", True, False),
)  # fmt: skip
KAI_PRACTICE = (_Practice(2, "practising-a-stop-signal", 7, 3, 7, 3),)

#: Jordan answered a few activities while waiting; the rest stays unanswered.
JORDAN_BOUNDARIES = {
    "activities": {"talking-closeness": YES, "talking-sex": MAYBE, "holding-hands": YES},
}


def answers_from(spec: dict[str, dict[str, str]], *, complete: bool = True) -> dict[str, str]:
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


# --- couples ---------------------------------------------------------------------------


def _fresh(couple: Couple) -> Couple:
    """The couple read again (seats and consents change as the story goes)."""
    return Couple.objects.get(pk=couple.pk)


def _consent(couple: Couple, people: Sequence[User], kinds: Sequence[str]) -> None:
    """Each person gives each consent (nothing when given already); the couple opens when
    both have agreed to take part."""
    for person in people:
        for kind in kinds:
            couple_actions.give_consent(_fresh(couple), kind, acting_user=person)


def _opened_at(rounds_ago: int) -> datetime:
    """Monday morning ``rounds_ago`` weeks back: where a couple's history begins."""
    return local_time(monday_of(timezone.localdate()) - timedelta(weeks=rounds_ago), 9)


def _guided_couple(cast: Cast, audit: AuditContext, opened_at: datetime) -> Couple:
    """Dr Rivera invited Alex and Sam the week before; they accepted and agreed."""
    seat = seat_of(cast.alex)
    if seat is not None:
        couple = seat.couple
    else:
        with clock.moved_to(opened_at - timedelta(days=6)):
            couple = couple_actions.invite_couple(
                cast.riverside,
                [(str(cast.alex), cast.alex.email), (str(cast.sam), cast.sam.email)],
                acting_user=cast.rivera,
                audit=audit,
            )
        for hours, person in ((30, cast.alex), (2, cast.sam)):
            invitation = couple.invitations.pending().get(email=person.email)
            with clock.moved_to(opened_at - timedelta(hours=hours)):
                accept_as(invitation, person)
    with clock.moved_to(opened_at):
        _consent(couple, [cast.alex, cast.sam], [Consent.Kind.PARTICIPATION, Consent.Kind.CARE])
    return _fresh(couple)


def _own_couple(cast: Cast, opened_at: datetime) -> Couple:
    """Robin started on their own, invited Kai, and Kai accepted."""
    seat = seat_of(cast.robin)
    if seat is not None:
        couple = seat.couple
    else:
        with clock.moved_to(opened_at - timedelta(days=1)):
            couple = couple_actions.start_couple(acting_user=cast.robin)
            invitation = couple_actions.invite_partner(
                couple, cast.kai.email, acting_user=cast.robin
            )
        if seat_of(cast.kai) is None:
            with clock.moved_to(opened_at - timedelta(hours=1)):
                accept_as(invitation, cast.kai)
    with clock.moved_to(opened_at):
        _consent(couple, [cast.robin, cast.kai], [Consent.Kind.PARTICIPATION])
    return _fresh(couple)


def _waiting_couple(cast: Cast) -> Couple:
    """Jordan started three days ago and is waiting for their partner."""
    started_at = timezone.now() - timedelta(days=3)
    seat = seat_of(cast.jordan)
    with clock.moved_to(started_at):
        couple = seat.couple if seat else couple_actions.start_couple(acting_user=cast.jordan)
        _consent(couple, [cast.jordan], [Consent.Kind.PARTICIPATION])
        if not couple.invitations.pending().filter(role=Invitation.Role.PARTNER).exists():
            couple_actions.invite_partner(couple, JORDAN_PARTNER_EMAIL, acting_user=cast.jordan)
    # The program opens once both have joined; until then Jordan's answers wait, private.
    _boundaries(couple, cast.jordan, answers_from(JORDAN_BOUNDARIES, complete=False), started_at)
    return couple


# --- the program -----------------------------------------------------------------------


def _plan(couple: Couple, opened_at: datetime) -> Plan:
    """The plan the couple's opening started (started again for an older database)."""
    plan = Plan.objects.select_related("program_version").filter(couple=couple).first()
    if plan is None:
        with clock.moved_to(opened_at):
            opening.open_if_ready(couple)
        plan = Plan.objects.select_related("program_version").get(couple=couple)
    plan.couple = couple  # keeps the couple's cached seats
    return plan


def _has_moved(plan: Plan) -> bool:
    """Whether anything happened to the plan since it started."""
    return PlanEvent.objects.filter(plan=plan).exclude(kind=PlanEvent.Kind.STARTED).exists()


def _boundaries(couple: Couple, person: User, answers: dict[str, str], at: datetime) -> None:
    if not BoundaryAnswer.objects.filter(couple=couple, owner=person).exists():
        with clock.moved_to(at):
            program_actions.save_boundaries(couple, answers, acting_user=person)


def _practice(plan: Plan, person: User, entries: Iterable[_Practice]) -> None:
    if PracticeLog.objects.filter(couple=plan.couple, owner=person).exists():
        return
    now = timezone.now()
    for entry in entries:
        exercise = plan.program.exercise(entry.exercise_key)
        if exercise is None:
            continue
        at = now - timedelta(days=entry.days_ago)
        with clock.moved_to(at):
            program_actions.log_practice(
                plan,
                exercise,
                acting_user=person,
                practised_on=clock.localdate(),
                comfort=entry.comfort,
                anxiety=entry.anxiety,
                closeness=entry.closeness,
                attention=entry.attention if exercise.touch else None,
                note=entry.note,
                shared_with_partner=entry.with_partner,
                shared_with_care=entry.with_care,
            )


def _assign(plan: Plan, clinician: User, preferred: str, at: datetime, audit: AuditContext) -> None:
    """The care team's suggestion of an exercise of the current stage inside the overlap."""
    if Assignment.objects.filter(plan=plan).exists():
        return
    offered = program_actions.offered_exercises(plan, boundaries.overlap(plan.couple))
    exercise = next((e for e in offered if e.key == preferred), offered[0] if offered else None)
    if exercise is None:
        return
    with clock.moved_to(at):
        program_actions.assign(plan, exercise.key, acting_user=clinician, audit=audit)


def _guided_program(couple: Couple, cast: Cast, audit: AuditContext, opened_at: datetime) -> None:
    """Alex and Sam: at stage 2 after Dr Rivera approved, practising, with goals."""
    alex, sam, rivera = cast.alex, cast.sam, cast.rivera
    now = timezone.now()
    plan = _plan(couple, opened_at)
    _boundaries(couple, alex, answers_from(ALEX_BOUNDARIES), opened_at + timedelta(hours=1))
    _boundaries(couple, sam, answers_from(SAM_BOUNDARIES), opened_at + timedelta(hours=3))
    if not _has_moved(plan) and plan.stage_index == 0:
        # Both said they were ready, then Dr Rivera agreed and they moved on.
        with clock.moved_to(now - timedelta(days=27)):
            program_actions.set_ready(plan, True, acting_user=alex)
        with clock.moved_to(now - timedelta(days=25)):
            program_actions.set_ready(plan, True, acting_user=sam)
        with clock.moved_to(now - timedelta(days=24)):
            program_actions.approve(plan, acting_user=rivera, audit=audit)
        plan = _plan(couple, opened_at)
    _assign(plan, rivera, ALEX_AND_SAM_ASSIGNMENT, now - timedelta(days=20), audit)
    _practice(plan, alex, ALEX_PRACTICE)
    _practice(plan, sam, SAM_PRACTICE)

    if Goal.objects.filter(couple=couple).exists():
        return
    with clock.moved_to(now - timedelta(days=17)):
        together = program_actions.create_goal(
            couple,
            text="Practise together twice a week",
            measure=Goal.Measure.PRACTICE_TOGETHER,
            measure_target=2,
            review_on=timezone.localdate(now) + timedelta(weeks=3),
            acting_user=alex,
        )
        program_actions.propose_goal(couple, together, acting_user=alex)
    with clock.moved_to(now - timedelta(days=16)):
        program_actions.respond_to_goal(together, "accept", acting_user=sam)
    with clock.moved_to(now - timedelta(days=4)):
        program_actions.create_goal(
            couple, text="Tell Sam in the moment when something feels good", acting_user=alex
        )
    with clock.moved_to(now - timedelta(days=2)):
        proposed = program_actions.create_goal(
            couple,
            text="One evening a week without phones, just the two of us",
            acting_user=sam,
        )
        program_actions.propose_goal(couple, proposed, acting_user=sam)


def _own_program(couple: Couple, robin: User, kai: User, opened_at: datetime) -> None:
    """Robin and Kai: at stage 1, practising; Robin is ready to move on, Kai not yet."""
    plan = _plan(couple, opened_at)
    _boundaries(couple, robin, answers_from(ROBIN_BOUNDARIES), opened_at + timedelta(hours=2))
    _boundaries(couple, kai, answers_from(KAI_BOUNDARIES), opened_at + timedelta(days=1))
    _practice(plan, robin, ROBIN_PRACTICE)
    _practice(plan, kai, KAI_PRACTICE)
    ready = StageReadiness.objects.filter(plan=plan, owner=robin)
    if not plan.is_paused and not plan.is_last_stage and not ready.exists():
        with clock.moved_to(timezone.now() - timedelta(days=1)):
            program_actions.set_ready(plan, True, acting_user=robin)


# --- check-ins -------------------------------------------------------------------------


class _CheckIn(NamedTuple):
    """One check-in of a named persona: ``rounds_ago`` (0 is the current round), the six
    scores in SCORED_ITEMS order, and when in the round it was sent (``day`` 0 is the
    round's first day; a day past its end makes it late). ``felt_safe`` is the private
    safety answer (seen by the person and their care team only)."""

    rounds_ago: int
    scores: tuple[int, int, int, int, int, int]
    appreciated: str = ""
    talk_about: str = ""
    private: tuple[str, ...] = ()
    day: int = 5
    hour: int = 20
    felt_safe: int | None = 8


# A gentle story: more open, calmer and closer week by week. Five rounds ago Sam kept sleep
# private; three rounds ago their openness was 3 apart (prompts on that page); Sam
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


def _checkins(
    couple: Couple, rounds: int, opened_at: datetime, people: dict[User, Sequence[_CheckIn]]
) -> None:
    """Each person's check-ins over the ``rounds`` rounds since the couple opened."""
    if CheckIn.objects.filter(couple=couple).exists():
        return
    now = timezone.now()
    today = timezone.localdate(now)
    schedule = CheckInSchedule.objects.filter(couple=couple).first()
    if schedule is None:
        with clock.moved_to(opened_at):
            schedule = checkin_actions.ensure_schedule(couple)
    anchor = monday_of(today) - timedelta(weeks=rounds)
    if schedule.anchor > anchor and not CheckIn.objects.filter(couple=couple).exists():
        # An older demo database, where a page visit made the schedule this week: no round
        # has answers yet, so it may begin when the couple opened instead.
        CheckInSchedule.objects.filter(pk=schedule.pk).update(anchor=anchor, changed_at=opened_at)
        schedule.anchor = anchor
    current = schedule.round_for(today)
    for person, entries in people.items():
        for entry in entries:
            start = current.start - timedelta(days=schedule.length * entry.rounds_ago)
            this_round = schedule.round_for(start)
            if entry.rounds_ago == 0:
                # Sent earlier in this round: halfway between its start and now.
                sent_at = local_time(start, 0) + (now - local_time(start, 0)) / 2
            else:
                sent_at = min(now, local_time(start + timedelta(days=entry.day), entry.hour))
            answers = {
                **dict(zip(SCORE_KEYS, entry.scores, strict=True)),
                "appreciated": entry.appreciated,
                "talk_about": entry.talk_about,
                "private_items": list(entry.private),
            }
            with clock.moved_to(sent_at):
                checkin_actions.save_checkin(
                    couple,
                    this_round.start,
                    answers,
                    felt_safe=entry.felt_safe,
                    acting_user=person,
                )


# --- questionnaires -----------------------------------------------------------------------


class _Answered(NamedTuple):
    """One questionnaire sent ``days`` (and ``hours``) after the couple opened, each item
    answered with the option at ``picks``' index, shared with the partner or not."""

    instrument: str
    slot: str
    days: int
    hours: int
    picks: tuple[int, ...]
    shared: bool = False


ALEX_QUESTIONNAIRES = (
    _Answered("csi-4", "baseline", 1, 12, (3, 3, 2, 3), shared=True),
    _Answered("csi-4", "week-4", 29, 11, (4, 3, 3, 4), shared=True),
    _Answered("phq-4", "week-4", 29, 11, (1, 1, 0, 1)),
)
SAM_QUESTIONNAIRES = (
    _Answered("csi-4", "baseline", 2, 10, (2, 3, 2, 2)),
    _Answered("csi-4", "week-4", 30, 12, (4, 4, 3, 3), shared=True),
    _Answered("phq-4", "week-4", 31, 11, (0, 1, 1, 0)),
)
ROBIN_QUESTIONNAIRES = (_Answered("csi-4", "baseline", 1, 11, (5, 4, 4, 4), shared=True),)
KAI_QUESTIONNAIRES = (_Answered("csi-4", "baseline", 3, 12, (4, 4, 3, 4)),)


def _questionnaires(
    couple: Couple, opened_at: datetime, people: dict[User, Sequence[_Answered]]
) -> None:
    """Each person's questionnaires, answered and sent through the actions at their moment."""
    if QuestionnaireResult.objects.filter(couple=couple).exists():
        return
    schedule = OutcomeSchedule.objects.filter(couple=couple).first()
    if schedule is None:
        with clock.moved_to(opened_at):
            schedule = outcome_actions.ensure_schedule(couple)
    opened_on = timezone.localdate(opened_at)
    if schedule.starts_on > opened_on:
        # An older demo database, where the schedule began when it was first made.
        OutcomeSchedule.objects.filter(pk=schedule.pk).update(starts_on=opened_on)
    now = timezone.now()
    for person, answered in people.items():
        for entry in answered:
            at = opened_at + timedelta(days=entry.days, hours=entry.hours - 9)
            if at >= now:
                continue
            definition = instrument(entry.instrument)
            values = {
                item.key: item.options[pick].value
                for item, pick in zip(definition.items, entry.picks, strict=True)
            }
            with clock.moved_to(at):
                response = outcome_actions.start_response(
                    couple, entry.instrument, entry.slot, acting_user=person
                )
                outcome_actions.save_answers(response.pk, values, acting_user=person)
                result = outcome_actions.submit_response(response.pk, acting_user=person)
                if entry.shared:
                    outcome_actions.set_result_sharing(result.pk, True, acting_user=person)


# --- adjustment cycles -------------------------------------------------------------------


def _cycles(couple: Couple, alex: User, sam: User) -> None:
    """One cycle looked back on and kept, and one being tried, step by step."""
    if AdjustmentCycle.objects.filter(couple=couple).exists():
        return
    now = timezone.now()
    today = timezone.localdate(now)

    def at(days: float, hours: float = 0) -> AbstractContextManager[datetime]:
        return clock.moved_to(now - timedelta(days=days, hours=hours))

    with at(33):
        closed = cycle_actions.raise_concern(
            couple,
            "I'd like evenings to feel less rushed",
            wish="Some time to wind down together before bed",
            acting_user=alex,
        )
    with at(32, 20):
        cycle_actions.reflect(
            closed,
            "Evenings feel hurried, and you'd like us to slow down together.",
            acting_user=sam,
        )
    with at(32, 18):
        cycle_actions.confirm(closed, acting_user=alex)
    with at(31, 3):
        cycle_actions.propose(
            closed, "Phones away after nine", today - timedelta(days=17), acting_user=sam
        )
    with at(31):
        cycle_actions.agree(closed, acting_user=alex)
    with at(17):
        cycle_actions.rate(
            closed, OutcomeRating.Rating.HELPED, "Evenings feel calmer.", acting_user=sam
        )
    with at(16, 1):
        cycle_actions.rate(closed, OutcomeRating.Rating.HELPED, acting_user=alex)
    with at(16):
        cycle_actions.decide(
            closed,
            AdjustmentCycle.Decision.KEEP,
            "Small changes are easier to keep",
            acting_user=alex,
        )

    with at(9):
        trying = cycle_actions.raise_concern(
            couple,
            "Weekends fill up before we've had time for just us",
            wish="Keep a little of the weekend free",
            acting_user=sam,
        )
    with at(8):
        cycle_actions.reflect(
            trying,
            "You'd like some weekend time that's only ours, before plans take over.",
            acting_user=alex,
        )
    with at(8, -2):
        cycle_actions.confirm(trying, acting_user=sam)
    with at(4, 2):
        cycle_actions.propose(
            trying,
            "Keep Saturday morning free for the two of us",
            today + timedelta(days=3),
            acting_user=alex,
        )
    with at(4):
        cycle_actions.agree(trying, acting_user=sam)


# --- journal, moments and appreciation ----------------------------------------------------


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
                with clock.moved_to(local_time(today - timedelta(days=entry.days_ago), 21, 15)):
                    journal_actions.create_entry(
                        couple,
                        body=entry.body,
                        title=entry.title,
                        prompt_key=entry.prompt_key if prompts.get(entry.prompt_key) else "",
                        sharing=entry.sharing,
                        acting_user=person,
                    )

    if not Moment.objects.filter(couple=couple).exists():
        for person, moments in ((alex, ALEX_MOMENTS), (sam, SAM_MOMENTS)):
            for moment in moments:
                day = today - timedelta(days=moment.days_ago)
                with clock.moved_to(local_time(day, 20, 30)):
                    journal_actions.log_moment(
                        couple, moment.kind, note=moment.note, happened_on=day, acting_user=person
                    )

    if not Appreciation.objects.filter(couple=couple).exists():
        with clock.moved_to(now - timedelta(days=6)):
            journal_actions.send_appreciation(
                couple, "Thank you for being so patient with me this week.", acting_user=alex
            )
        with clock.moved_to(now - timedelta(days=5)):
            journal_actions.mark_received_seen(couple, acting_user=sam)
        with clock.moved_to(now - timedelta(hours=20)):
            journal_actions.send_appreciation(
                couple,
                "Thank you for putting your phone away without me asking. It meant a lot.",
                acting_user=sam,
            )


def _care_notes(couple: Couple, clinician: User, audit: AuditContext) -> None:
    if CareNote.objects.filter(couple=couple).exists():
        return
    now = timezone.now()
    for days_ago, text in CARE_NOTES:
        with clock.moved_to(now - timedelta(days=days_ago)):
            care_actions.add_care_note(couple, text, acting_user=clinician, audit=audit)


# --- the whole story -----------------------------------------------------------------------


def tell(cast: Cast, audit: AuditContext) -> None:
    """Write (what is missing of) the named couples' history."""
    # Days (rounds, look-back dates) as Alex will see them, in Alex's time zone.
    with timezone.override(cast.alex.time_zone):
        opened_at = _opened_at(5)
        guided = _guided_couple(cast, audit, opened_at)
        _care_notes(guided, cast.rivera, audit)
        _guided_program(guided, cast, audit, opened_at)
        guided = _fresh(guided)
        _checkins(guided, 5, opened_at, {cast.alex: ALEX_CHECKINS, cast.sam: SAM_CHECKINS})
        _questionnaires(
            guided, opened_at, {cast.alex: ALEX_QUESTIONNAIRES, cast.sam: SAM_QUESTIONNAIRES}
        )
        _cycles(guided, cast.alex, cast.sam)
        _journal(guided, cast.alex, cast.sam)

    with timezone.override(cast.robin.time_zone):
        opened_at = _opened_at(2)
        own = _own_couple(cast, opened_at)
        _own_program(own, cast.robin, cast.kai, opened_at)
        own = _fresh(own)
        _checkins(own, 2, opened_at, {cast.robin: ROBIN_CHECKINS, cast.kai: KAI_CHECKINS})
        _questionnaires(
            own, opened_at, {cast.robin: ROBIN_QUESTIONNAIRES, cast.kai: KAI_QUESTIONNAIRES}
        )

    with timezone.override(cast.jordan.time_zone):
        _waiting_couple(cast)
