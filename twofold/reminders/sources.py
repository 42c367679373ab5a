"""Where reminders come from: a registry of sources, one per kind of e-mail.

Each :class:`Source` declares

* ``kind``: its key, stored on every :class:`~twofold.reminders.models.Reminder` it plans
  and used for the person's own choice to turn that kind off;
* ``label``: how the preferences page offers it ("When your partner joins you");
* ``find(now)``: who is due for it now, each a :class:`Due` carrying the event's dedupe
  key (``occasion``): the same event always gives the same key, so the planner's unique
  row lets it go out at most once. ``find`` yields an event only once it is due for
  that person (their own day, in their own time zone); it may narrow the candidates with
  plain queries, since it shows nothing to anyone;
* ``holds(user, occasion, now)``: whether the event still stands for that person, read
  only from what they may know (``visible_to`` and ``participation`` in
  :mod:`twofold.couples.visibility`). The planner asks before planning and the sending
  task asks again just before sending; a "no" sets the reminder aside for good, so it
  must mean "done already" or "no longer theirs", never "not yet";
* ``subject`` and ``line``: the e-mail's words, the same for everybody. They never say
  anything about health, the program or what anyone wrote: only that something is
  waiting in Twofold.

A source without ``find`` is planned by an action instead (the partner's nudge). A new
kind (questionnaires, say) is one more :func:`register` call at the end of this module.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from twofold.accounts import reminder_kinds
from twofold.accounts.models import User
from twofold.checkins.models import CheckIn, CheckInSchedule
from twofold.couples.models import Consent, Couple, CoupleStatus, Partner
from twofold.couples.visibility import participants
from twofold.cycles.models import AdjustmentCycle, OutcomeRating
from twofold.cycles.reminders import reviews_due
from twofold.outcomes import schedules as outcome_schedules
from twofold.outcomes.catalogue import schedulable
from twofold.outcomes.due import own_standing
from twofold.outcomes.models import OutcomeSchedule, QuestionnaireResponse
from twofold.program.models import Goal, Plan, PracticeLog
from twofold.reminders.models import Reminder

# How long after something happened a notice about it may still be planned: long enough
# to survive a scheduler that was down for a while, short enough that turning this on
# (or back on) never brings a flood of old news.
FRESH = timedelta(days=2)
# A notice about something a partner just did waits this long, so a person who is doing
# the same thing at that moment is not told to do it.
SETTLE = timedelta(minutes=10)

Text = str | Promise


@dataclass(frozen=True)
class Due:
    """One person due for one event: ``occasion`` is the event's dedupe key."""

    user: Any
    occasion: str
    path: str
    # When it may go out at the earliest (the planner moves it past quiet hours).
    at: dt.datetime


Find = Callable[[dt.datetime], Iterable[Due]]
Holds = Callable[[Any, str, dt.datetime], bool]


@dataclass(frozen=True)
class Source:
    kind: str
    label: Text
    find: Find | None
    holds: Holds
    subject: Text
    line: Text


REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add ``source`` to the registry and offer its kind on the preferences page."""
    longest = Reminder._meta.get_field("kind").max_length or 0
    if len(source.kind) > longest:
        raise ImproperlyConfigured(f"reminder kind {source.kind!r} is over {longest} characters")
    if source.kind in REGISTRY:
        raise ImproperlyConfigured(f"reminder kind {source.kind!r} is registered twice")
    REGISTRY[source.kind] = source
    reminder_kinds.register(source.kind, source.label)
    return source


def get(kind: str) -> Source | None:
    return REGISTRY.get(kind)


# --- Helpers ------------------------------------------------------------------------


def local_today(user: Any, now: dt.datetime) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()


def reminder_time(user: Any, day: dt.date) -> dt.datetime:
    """The reminder hour (``TWOFOLD_REMINDER_HOUR``) on ``day``, in the person's zone."""
    tz = zoneinfo.ZoneInfo(user.time_zone)
    local = dt.datetime.combine(day, dt.time(settings.TWOFOLD_REMINDER_HOUR), tzinfo=tz)
    return local.astimezone(dt.UTC)


def couple_of(user: Any, couple_id: Any) -> Couple | None:
    """``user``'s couple with this id, read as they may see it, while they hold a seat."""
    couple = Couple.objects.visible_to(user).with_status().filter(pk=couple_id).first()
    if couple is None or couple.seat_of(user) is None:
        return None
    return couple


def open_couple_of(user: Any, couple_id: Any) -> Couple | None:
    """As :func:`couple_of`, and only while both joined and both agreed to take part."""
    couple = couple_of(user, couple_id)
    return couple if couple is not None and couple.is_active else None


def _active_couples() -> dict[Any, Couple]:
    return {c.pk: c for c in Couple.objects.with_status() if c.status == CoupleStatus.ACTIVE}


def _seated_users(couple_ids: Iterable[Any]) -> dict[Any, list[Any]]:
    seats = Partner.objects.filter(couple_id__in=set(couple_ids), left_at__isnull=True)
    by_couple: dict[Any, list[Any]] = defaultdict(list)
    for seat in seats.select_related("user"):
        by_couple[seat.couple_id].append(seat.user)
    return by_couple


def _recent(now: dt.datetime) -> dict[str, dt.datetime]:
    return {"gt": now - FRESH, "lte": now}


# --- Your partner has joined --------------------------------------------------------


def _last_step(couple: Couple, seat: Partner) -> dt.datetime:
    """When this partner last did their part in opening the couple (joined, agreed)."""
    agreed = [
        c.given_at
        for c in couple._active_consents()
        if c.user_id == seat.user_id and c.kind == Consent.Kind.PARTICIPATION
    ]
    return max([seat.joined_at, *agreed])


def joined_due(now: dt.datetime) -> Iterator[Due]:
    """The partner who was there first, when the other takes their seat (``joined:``)
    and when the other's agreement opens the couple (``opened:``)."""
    window = _recent(now)
    seated = Partner.objects.filter(
        left_at__isnull=True, joined_at__gt=window["gt"], joined_at__lte=window["lte"]
    ).values_list("couple_id", flat=True)
    agreed = Consent.objects.filter(
        kind=Consent.Kind.PARTICIPATION,
        withdrawn_at__isnull=True,
        given_at__gt=window["gt"],
        given_at__lte=window["lte"],
    ).values_list("couple_id", flat=True)
    couple_ids = set(seated) | set(agreed)
    if not couple_ids:
        return
    for couple in Couple.objects.with_status().filter(pk__in=couple_ids):
        seats = couple.seats()
        if len(seats) != 2:
            continue
        if couple.is_active:
            first, last = sorted(seats, key=lambda seat: _last_step(couple, seat))
            at = _last_step(couple, last)
            if window["gt"] < at <= window["lte"] and at > _last_step(couple, first):
                yield Due(first.user, f"opened:{couple.pk}", reverse("home"), at + SETTLE)
        else:
            first, last = sorted(seats, key=lambda seat: seat.joined_at)
            if window["gt"] < last.joined_at <= window["lte"]:
                yield Due(
                    first.user, f"joined:{couple.pk}", reverse("home"), last.joined_at + SETTLE
                )


def joined_holds(user: Any, occasion: str, now: dt.datetime) -> bool:
    event, couple_id = occasion.split(":", 1)
    couple = couple_of(user, couple_id)
    if couple is None:
        return False
    mine, partner = couple.seat_of(user), couple.partner_of(user)
    if mine is None or partner is None:
        return False
    if event == "opened":
        return couple.is_active and _last_step(couple, partner) > _last_step(couple, mine)
    # Once the couple is open, "opened" says it all.
    return not couple.is_active and partner.joined_at > mine.joined_at


# --- Your turn: your partner has checked in for this round, and you have not --------


def your_turn_due(now: dt.datetime) -> Iterator[Due]:
    recent = list(
        CheckIn.objects.filter(**{f"submitted_at__{k}": v for k, v in _recent(now).items()})
        .order_by("submitted_at")
        .values_list("couple_id", "owner_id", "period_start", "submitted_at")
    )
    if not recent:
        return
    seated = _seated_users(couple_id for couple_id, *_rest in recent)
    for couple_id, owner_id, start, submitted_at in recent:
        for user in seated[couple_id]:
            if user.pk != owner_id:
                yield Due(
                    user,
                    f"{couple_id}:{start.isoformat()}",
                    reverse("checkin_home"),
                    submitted_at + SETTLE,
                )


def your_turn_holds(user: Any, occasion: str, now: dt.datetime) -> bool:
    couple_id, start = occasion.split(":")
    couple = open_couple_of(user, couple_id)
    partner = couple.partner_of(user) if couple is not None else None
    if couple is None or partner is None:
        return False
    schedule = CheckInSchedule.objects.visible_to(user).filter(couple=couple).first()
    if schedule is None or schedule.round_for(local_today(user, now)).start.isoformat() != start:
        return False  # that round is over: the next one brings its own
    done = participants(CheckIn, user, couple, period_start=start)
    return partner.user_id in done and user.pk not in done


# --- Waiting for your answer: a goal, or a step in an adjustment cycle --------------

# The steps of a cycle that wait for one partner's answer. Looking back (TRYING,
# REVIEWING) is the review source's.
CYCLE_TURNS = (
    AdjustmentCycle.State.RAISED,
    AdjustmentCycle.State.REFLECTED,
    AdjustmentCycle.State.UNDERSTOOD,
)


def _goal_key(goal_id: Any, last_response: str) -> str:
    # A goal waits for an answer after a proposal, and after each suggested wording.
    return f"goal:{goal_id}:{last_response or 'proposed'}"


def _cycle_key(cycle_id: Any, updated_at: dt.datetime) -> str:
    # Every step of a cycle moves updated_at: one key per step.
    return f"cycle:{cycle_id}:{updated_at.astimezone(dt.UTC):%Y%m%dT%H%M%S.%f}"


def awaiting_due(now: dt.datetime) -> Iterator[Due]:
    goals = list(
        Goal.objects.filter(state=Goal.State.PROPOSED, awaiting__isnull=False).values_list(
            "pk", "awaiting_id", "last_response"
        )
    )
    cycles = list(
        AdjustmentCycle.objects.filter(
            state__in=CYCLE_TURNS,
            awaiting__isnull=False,
            **{f"updated_at__{k}": v for k, v in _recent(now).items()},
        ).values_list("pk", "awaiting_id", "updated_at")
    )
    people = User.objects.in_bulk({row[1] for row in [*goals, *cycles]})
    for goal_id, user_id, last_response in goals:
        key = _goal_key(goal_id, last_response)
        yield Due(people[user_id], key, reverse("goals"), now + SETTLE)
    for cycle_id, user_id, updated_at in cycles:
        yield Due(
            people[user_id],
            _cycle_key(cycle_id, updated_at),
            reverse("cycle_detail", args=[cycle_id]),
            updated_at + SETTLE,
        )


def awaiting_holds(user: Any, occasion: str, now: dt.datetime) -> bool:
    what, pk, _step = occasion.split(":", 2)
    if what == "goal":
        goal = (
            Goal.objects.visible_to(user)
            .filter(pk=pk, state=Goal.State.PROPOSED, awaiting=user)
            .values_list("couple_id", "last_response")
            .first()
        )
        return (
            goal is not None
            and _goal_key(pk, goal[1]) == occasion
            and open_couple_of(user, goal[0]) is not None
        )
    cycle = (
        AdjustmentCycle.objects.visible_to(user)
        .filter(pk=pk, state__in=CYCLE_TURNS, awaiting=user)
        .values_list("couple_id", "updated_at")
        .first()
    )
    return (
        cycle is not None
        and _cycle_key(pk, cycle[1]) == occasion
        and open_couple_of(user, cycle[0]) is not None
    )


# --- A day to look back: an adjustment cycle's, or a shared goal's ------------------


def review_due(now: dt.datetime) -> Iterator[Due]:
    # The calendar day furthest ahead anywhere; each person's own day is checked below.
    latest = (now + timedelta(hours=14)).date()
    for cycle, user_ids in reviews_due(latest):
        people = {seat.user_id: seat.user for seat in cycle.couple.seats()}
        for user_id in user_ids:
            user = people[user_id]
            today = local_today(user, now)
            review_on = cycle.review_on or today
            if review_on <= today:
                yield Due(
                    user,
                    str(cycle.pk),
                    reverse("cycle_detail", args=[cycle.pk]),
                    reminder_time(user, max(review_on, today)),
                )
    goals = list(
        Goal.objects.filter(
            state=Goal.State.SHARED, review_on__lte=latest, review_on__gt=latest - FRESH
        ).values_list("pk", "couple_id", "review_on")
    )
    seated = _seated_users(couple_id for _pk, couple_id, _day in goals)
    for goal_id, couple_id, goal_day in goals:
        for user in seated[couple_id]:
            today = local_today(user, now)
            if goal_day is not None and goal_day <= today:
                yield Due(
                    user,
                    f"goal:{goal_id}:{goal_day.isoformat()}",
                    reverse("goals"),
                    reminder_time(user, max(goal_day, today)),
                )


def review_holds(user: Any, occasion: str, now: dt.datetime) -> bool:
    if occasion.startswith("goal:"):
        _what, goal_id, day = occasion.split(":")
        goal = (
            Goal.objects.visible_to(user)
            .filter(pk=goal_id, state=Goal.State.SHARED, review_on=day)
            .values_list("couple_id", flat=True)
            .first()
        )
        return goal is not None and open_couple_of(user, goal) is not None
    cycle = AdjustmentCycle.objects.visible_to(user).filter(pk=occasion).first()
    if cycle is None or open_couple_of(user, cycle.couple_id) is None:
        return False
    rated = OutcomeRating.objects.visible_to(user).filter(cycle=cycle, owner=user).exists()
    return cycle.review_due(local_today(user, now)) and not rated


# --- Gentle reminders: the check-in round, the week's practice ----------------------


def checkin_due(now: dt.datetime) -> Iterator[Due]:
    """Two days into a round, for each partner (set aside if they have checked in)."""
    couples = _active_couples()
    for schedule in CheckInSchedule.objects.filter(couple_id__in=couples):
        couple = couples[schedule.couple_id]
        for seat in couple.seats():
            user = seat.user
            today = local_today(user, now)
            current = schedule.round_for(today)
            day = current.start + timedelta(days=2)
            if today < day:
                continue
            yield Due(
                user,
                f"{couple.pk}:{current.start.isoformat()}",
                reverse("checkin_home"),
                reminder_time(user, day),
            )


def checkin_holds(user: Any, occasion: str, now: dt.datetime) -> bool:
    couple_id, start = occasion.split(":")
    couple = open_couple_of(user, couple_id)
    if couple is None:
        return False
    return user.pk not in participants(CheckIn, user, couple, period_start=start)


def practice_due(now: dt.datetime) -> Iterator[Due]:
    """Once a week (from Thursday), for a running plan where someone hasn't practised."""
    couples = _active_couples()
    for plan in Plan.objects.filter(couple_id__in=couples, paused_at__isnull=True):
        couple = couples[plan.couple_id]
        for seat in couple.seats():
            user = seat.user
            today = local_today(user, now)
            monday = today - timedelta(days=today.weekday())
            if today.weekday() < 3:
                continue
            yield Due(
                user,
                f"{couple.pk}:{monday.isoformat()}",
                reverse("program_home"),
                reminder_time(user, monday + timedelta(days=3)),
            )


def practice_holds(user: Any, occasion: str, now: dt.datetime) -> bool:
    couple_id, monday = occasion.split(":")
    couple = open_couple_of(user, couple_id)
    if couple is None:
        return False
    if not Plan.objects.visible_to(user).filter(couple=couple, paused_at__isnull=True).exists():
        return False
    return user.pk not in participants(PracticeLog, user, couple, practised_on__gte=monday)


# --- Questionnaires due: one reminder per slot of the schedule, a person's own -------


def questionnaire_due(now: dt.datetime) -> Iterator[Due]:
    """A couple of days after a slot opens, for each partner with something in it still
    to answer (their own answers only: never anything about the other's)."""
    couples = _active_couples()
    found = list(OutcomeSchedule.objects.filter(couple_id__in=couples))
    if not found:
        return
    done: dict[tuple[Any, Any], set[tuple[str, str]]] = defaultdict(set)
    for couple_id, owner_id, slot, key in QuestionnaireResponse.objects.filter(
        couple_id__in=[s.couple_id for s in found], submitted_at__isnull=False
    ).values_list("couple_id", "owner_id", "slot", "instrument_key"):
        done[(couple_id, owner_id)].add((slot, key))
    offered = schedulable()
    for schedule in found:
        couple = couples[schedule.couple_id]
        spec = schedule.spec
        for seat in couple.seats():
            user = seat.user
            if user is None:
                continue
            today = local_today(user, now)
            waiting = [
                s
                for s in outcome_schedules.open_now(spec, today, done[(couple.pk, user.pk)])
                if s.instrument in offered
            ]
            for group in outcome_schedules.by_slot(waiting):
                day = group.standings[0].administration.remind_on
                if today < day:
                    continue
                yield Due(
                    user,
                    f"{couple.pk}:{group.slot.key}",
                    reverse("questionnaires"),
                    reminder_time(user, day),
                )


def questionnaire_holds(user: Any, occasion: str, now: dt.datetime) -> bool:
    couple_id, slot = occasion.split(":", 1)
    couple = open_couple_of(user, couple_id)
    if couple is None:
        return False
    _schedule, standing, _drafts = own_standing(user, couple, local_today(user, now))
    return any(s.is_open and s.slot.key == slot for s in standing)


# --- A nudge from your partner (planned by reminders.actions.nudge_partner) ----------


def nudge_key(couple: Couple, sender: Any, day: dt.date) -> str:
    """One nudge a day from ``sender`` to their partner (``day`` in the sender's zone)."""
    return f"{couple.pk}:{sender.pk}:{day.isoformat()}"


def nudge_holds(user: Any, occasion: str, now: dt.datetime) -> bool:
    couple_id, sender_id, _day = occasion.split(":")
    couple = open_couple_of(user, couple_id)
    partner = couple.partner_of(user) if couple is not None else None
    return partner is not None and str(partner.user_id) == sender_id


# --- The registry -------------------------------------------------------------------

NEWS = _("Something new is waiting for you in Twofold")
REMINDER = _("A gentle reminder from Twofold")
WAITING = _("There's something waiting for you in Twofold whenever you have a moment:")

JOINED = register(
    Source(
        kind="joined",
        label=_("When your partner joins you"),
        find=joined_due,
        holds=joined_holds,
        subject=NEWS,
        line=_(
            "Your partner has joined you in Twofold. Your next step is there when you're ready:"
        ),
    )
)
YOUR_TURN = register(
    Source(
        kind="your_turn",
        label=_("When your partner has checked in and it's your turn"),
        find=your_turn_due,
        holds=your_turn_holds,
        subject=NEWS,
        line=_("Your partner has done their part, and it's your turn whenever you have a moment:"),
    )
)
AWAITING = register(
    Source(
        kind="awaiting",
        label=_("When your partner suggests a goal or raises something, and it waits for you"),
        find=awaiting_due,
        holds=awaiting_holds,
        subject=NEWS,
        line=_(
            "Your partner has shared something with you, and it's waiting for your answer "
            "whenever you have a moment:"
        ),
    )
)
REVIEW = register(
    Source(
        kind="review",
        label=_("When a day you chose to look back together has come"),
        find=review_due,
        holds=review_holds,
        subject=NEWS,
        line=_("A day you chose together has come, and something is waiting for you both:"),
    )
)
CHECKIN = register(
    Source(
        kind="checkin",
        label=_("A reminder to check in, two days into each round"),
        find=checkin_due,
        holds=checkin_holds,
        subject=REMINDER,
        line=WAITING,
    )
)
PRACTICE = register(
    Source(
        kind="practice",
        label=_("A reminder once a week to practise, when you haven't yet"),
        find=practice_due,
        holds=practice_holds,
        subject=REMINDER,
        line=WAITING,
    )
)
QUESTIONNAIRE = register(
    Source(
        kind="questionnaire",
        label=_("A reminder when a questionnaire is waiting for you"),
        find=questionnaire_due,
        holds=questionnaire_holds,
        subject=REMINDER,
        line=WAITING,
    )
)
NUDGE = register(
    Source(
        kind="nudge",
        label=_("When your partner sends you a gentle nudge"),
        find=None,
        holds=nudge_holds,
        subject=_("A gentle nudge from Twofold"),
        line=_(
            "Your partner sent you a gentle nudge. Something is waiting for you in Twofold "
            "whenever you have a moment:"
        ),
    )
)
