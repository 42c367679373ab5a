"""Partner pages for the weekly check-in: answer, see together, history, cadence."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.accounts.privacy_lock import Locked, is_locked, privacy_locked
from twofold.checkins import actions, safety
from twofold.checkins.forms import CheckInForm
from twofold.checkins.models import (
    SAFETY_ITEM,
    SCORED_ITEMS,
    SKIPPABLE_ITEMS,
    TEXT_ITEMS,
    Cadence,
    CheckIn,
    CheckInRevision,
    CheckInSchedule,
    Round,
    SafetyAnswer,
)
from twofold.conversations.prompts import prompts_after_reveal
from twofold.couples.access import partner_page
from twofold.couples.models import Couple
from twofold.couples.visibility import participants, participation
from twofold.lib.charts import Point, Series, line_chart
from twofold.lib.errors import ActionError
from twofold.lib.safety_resources import grouped_resources

NOT_OPEN = "checkins/not_open.html"


def _schedule(request: AuthenticatedHttpRequest, couple: Couple) -> CheckInSchedule:
    """The couple's schedule, made when the couple opened (never by a page view)."""
    schedule = CheckInSchedule.objects.visible_to(request.user).filter(couple=couple).first()
    if schedule is None:
        raise Http404
    return schedule


def _round_rows(
    request: AuthenticatedHttpRequest, couple: Couple, rounds: list[Round]
) -> list[dict[str, Any]]:
    """For each round: who answered (on time or late), and whether it was missed.

    Participation is a fact both partners see; answers come only through visible_to.
    """
    user = request.user
    seats = couple.seats()
    starts = [r.start for r in rounds]
    facts = {
        (owner_id, start): late
        for owner_id, start, late in participation(CheckIn, user, couple, period_start__in=starts)
    }
    today = timezone.localdate()
    rows = []
    for current in rounds:
        people = []
        for seat in seats:
            key = (seat.user_id, current.start)
            if key in facts:
                state = "late" if facts[key] else "on_time"
            elif current.is_open(today):
                state = "open"
            else:
                state = "missed"
            people.append({"seat": seat, "is_me": seat.user_id == user.pk, "state": state})
        rows.append({"round": current, "people": people, "is_open": current.is_open(today)})
    return rows


@require_GET
@partner_page(not_open=NOT_OPEN)
def checkin_home(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    schedule = _schedule(request, couple)
    today = timezone.localdate()
    current = schedule.current_round(today)
    previous = schedule.round_for(current.start - timedelta(days=1))
    user = request.user
    rounds = [current]
    # Last round stays here only while the viewer can still add a late answer to it.
    # Never a round from before the couple's first one (the week they opened).
    if (
        previous.start >= schedule.first_day
        and previous.is_open(today)
        and user.pk not in participants(CheckIn, user, couple, period_start=previous.start)
    ):
        rounds.append(previous)
    rows = _round_rows(request, couple, rounds)
    return render(
        request,
        "checkins/home.html",
        {
            "couple": couple,
            "schedule": schedule,
            "rows": rows,
            # A gentle nudge is offered while the partner has not checked in this round.
            "partner_not_yet": any(
                not p["is_me"] and p["state"] == "open" for p in rows[0]["people"]
            ),
            "cadences": Cadence.choices,
            "proposal_from_partner": schedule.proposed_cadence
            and schedule.proposed_by_id not in (None, user.pk),
            "my_proposal": schedule.proposed_cadence and schedule.proposed_by_id == user.pk,
            "partner": couple.partner_of(user),
        },
    )


def _parse_round(request: AuthenticatedHttpRequest, couple: Couple, day: date) -> tuple[Any, Round]:
    """The round starting on ``day`` (a date the URL converter already checked)."""
    schedule = _schedule(request, couple)
    found = schedule.round_for(day)
    if found.start != day:
        raise Http404
    return schedule, found


@require_http_methods(["GET", "POST"])
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.CHECKIN_ANSWERS)
def checkin_answer(request: AuthenticatedHttpRequest, couple: Couple, start: date) -> HttpResponse:
    schedule, current = _parse_round(request, couple, start)
    today = timezone.localdate()
    mine = (
        CheckIn.objects.visible_to(request.user)
        .filter(couple=couple, owner_id=request.user.pk, period_start=current.start)
        .first()
    )
    if not current.is_open(today) or current.start < schedule.first_day:
        messages.info(request, _("That check-in has closed. The current one is below."))
        return redirect("checkin_home")
    user = request.user
    care_sees = couple.is_guided and couple.has_consent(user, "care")
    if request.method == "POST":
        form = CheckInForm(request.POST, care_sees=care_sees)
        if form.is_valid():
            try:
                actions.save_checkin(
                    couple,
                    current.start,
                    form.answers(),
                    felt_safe=form.felt_safe(),
                    acting_user=user,
                )
            except ActionError as exc:
                messages.error(request, exc.message)
                return redirect("checkin_home")
            messages.success(
                request,
                _("Thank you. Your check-in is saved.")
                if mine is None
                else _("Your answers are updated. Earlier answers are kept in your history."),
            )
            return redirect("checkin_together", start=current.start.isoformat())
    else:
        initial = None
        if mine is not None:
            own_safety = safety.own_answer(user, couple, current.start)
            initial = CheckInForm.initial_from(
                mine, own_safety.felt_safe if own_safety is not None else None
            )
        form = CheckInForm(initial=initial, care_sees=care_sees)
    first = (
        mine is None
        and not CheckIn.objects.visible_to(user)
        .filter(couple=couple, owner_id=user.pk, period_start__lt=current.start)
        .exists()
    )
    return render(
        request,
        "checkins/answer.html",
        {
            "form": form,
            "round": current,
            "late": current.is_late(today),
            "correcting": mine,
            "first": first,
        },
        status=400 if form.errors else 200,
    )


def _side_by_side(
    viewer: Any, mine: CheckIn, theirs: CheckIn
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """Both answers to each shared item, as the viewer may read them (None where the
    partner kept one private or gave none)."""
    my_answers, their_answers = mine.answers_for(viewer), theirs.answers_for(viewer)
    scored = [
        {
            "item": item,
            "mine": my_answers[item.key],
            "theirs": their_answers[item.key],
            "theirs_private": item.key in theirs.private_items,
            "none_label": SKIPPABLE_ITEMS.get(item.key),
            "apart": (
                my_answers[item.key] is not None
                and their_answers[item.key] is not None
                and abs(my_answers[item.key] - their_answers[item.key]) >= 3
            ),
        }
        for item in SCORED_ITEMS
    ]
    texts = [
        {
            "key": key,
            "label": label,
            "mine": my_answers[key],
            "theirs": their_answers[key],
            "theirs_private": key in theirs.private_items,
        }
        for key, label in TEXT_ITEMS
    ]
    return scored, texts, my_answers, their_answers


# How a person's shared answers lean, on the 0-10 scale where higher is better.
HARD, GOOD = 4, 7


def _leaning(answers: dict[str, Any]) -> float | None:
    values = [
        (answers[item.key] if item.higher_is_better else 10 - answers[item.key])
        for item in SCORED_ITEMS
        if answers.get(item.key) is not None
    ]
    return sum(values) / len(values) if values else None


def closing_words(my_answers: dict[str, Any], their_answers: dict[str, Any]) -> str:
    """The page's last words, from the shared answers the viewer can read (never from
    anything private): a hard time for both is met as one, without naming anyone."""
    mine, theirs = _leaning(my_answers), _leaning(their_answers)
    if mine is None or theirs is None:
        return _("Thank you both for checking in. Noticing how things are is enough for now.")
    if mine <= HARD and theirs <= HARD:
        return _(
            "This has been a hard time for both of you. You don't have to fix anything "
            "tonight. Be gentle with yourselves and each other. A few kind words are "
            "plenty, and so is simply resting."
        )
    if mine <= HARD or theirs <= HARD:
        return _(
            "It has been harder for one of you lately. Listening may help more than "
            "solving. Ask what would feel kind this week."
        )
    if mine >= GOOD and theirs >= GOOD:
        return _(
            "Things have felt good for you both. Take a moment to notice what helped, "
            "so you can keep doing it."
        )
    return _("Thank you both for checking in. Small, steady steps are how this works.")


@require_GET
@partner_page(not_open=NOT_OPEN)
@privacy_locked(Locked.CHECKIN_ANSWERS)
def checkin_together(
    request: AuthenticatedHttpRequest, couple: Couple, start: date
) -> HttpResponse:
    """The mutual reveal: the partner's shared answers, only after one's own."""
    _sched, current = _parse_round(request, couple, start)
    user = request.user
    visible = {
        c.owner_id: c
        for c in CheckIn.objects.visible_to(user).filter(couple=couple, period_start=current.start)
    }
    mine = visible.get(user.pk)
    partner = couple.partner_of(user)
    theirs = visible.get(partner.user_id) if partner and partner.user_id else None
    partner_done = partner is not None and partner.user_id in participants(
        CheckIn, user, couple, period_start=current.start
    )
    context: dict[str, Any] = {
        "couple": couple,
        "round": current,
        "mine": mine,
        "partner": partner,
        "partner_done": partner_done,
        "can_correct": mine is not None and current.is_open(timezone.localdate()),
    }
    if mine is not None:
        context["revisions"] = [
            (revision.saved_at, json.loads(revision.answers))
            for revision in CheckInRevision.objects.visible_to(user).filter(
                checkin=mine, owner_id=user.pk
            )
        ]
        context["items"] = SCORED_ITEMS
        context["own_safety"] = safety.own_answer(user, couple, current.start)
    if mine is not None and theirs is not None:
        scored, texts, my_answers, their_answers = _side_by_side(user, mine, theirs)

        talk_count = sum(1 for a in (my_answers, their_answers) if a["talk_about"])
        context.update(
            scored=scored,
            texts=texts,
            prompts=prompts_after_reveal(my_answers, their_answers, talk_count),
            closing=closing_words(my_answers, their_answers),
        )
    if mine is not None and safety.support_due(user, couple, current.start):
        # Only ever for the person who answered: the partner's page never asks.
        context["support_groups"] = grouped_resources(settings.TWOFOLD_SAFETY_RESOURCES_FILE)
        context["care_sees"] = couple.is_guided and couple.has_consent(user, "care")
    return render(request, "checkins/together.html", context)


# The list of rounds covers half a year; the charts above it up to two years.
HISTORY_WEEKS = 26
CHART_WEEKS = 104


def _dimension_charts(
    request: AuthenticatedHttpRequest, couple: Couple, rounds: list[Round]
) -> dict[str, Any]:
    """One chart per shared item ("you" and the partner), and the viewer's own safety
    answers in a chart of their own, over ``rounds``: two queries, however many rounds.

    The partner's answers come only through ``visible_to`` (rounds revealed to the viewer)
    and ``answers_for`` (never an item they kept private); the safety answers are read for
    the viewer alone, so nothing on the partner's page depends on them.
    """
    user = request.user
    seat = couple.partner_of(user)
    partner = seat.user if seat is not None and seat.user_id is not None else None
    partner_id = partner.pk if partner is not None else None
    first, last = rounds[0].start, rounds[-1].start
    mine: dict[date, dict[str, Any]] = {}
    theirs: dict[date, tuple[dict[str, Any], list[str]]] = {}
    for checkin in CheckIn.objects.visible_to(user).filter(
        couple=couple, period_start__gte=first, period_start__lte=last
    ):
        if checkin.owner_id == user.pk:
            mine[checkin.period_start] = checkin.answers_for(user)
        elif partner_id is not None and checkin.owner_id == partner_id:
            theirs[checkin.period_start] = (checkin.answers_for(user), checkin.private_items)
    felt_safe = {
        start: (felt if felt is not None else earlier)
        for start, felt, earlier in SafetyAnswer.objects.visible_to(user)
        .filter(couple=couple, owner_id=user.pk, period_start__gte=first, period_start__lte=last)
        .values_list("period_start", "felt_safe", "safe_with_each_other")
    }
    answered = sorted(set(mine) | set(theirs))
    if not answered:
        return {"charts": [], "safety_chart": None}
    # From the first round anybody's answer shows to the last: no empty weeks at the ends.
    shown = [r.start for r in rounds if answered[0] <= r.start <= answered[-1]]
    kept_private = _("kept private")
    you = _("You")

    def my_point(day: date, key: str) -> Point:
        value = mine.get(day, {}).get(key)
        note = (
            str(SKIPPABLE_ITEMS[key])
            if value is None and day in mine and key in SKIPPABLE_ITEMS
            else ""
        )
        return Point(day, value, note=note)

    def their_point(day: date, key: str) -> Point:
        if day not in theirs:
            return Point(day, None)
        answers, private = theirs[day]
        if key in private:
            return Point(day, None, note=kept_private)
        value = answers.get(key)
        note = str(SKIPPABLE_ITEMS[key]) if value is None and key in SKIPPABLE_ITEMS else ""
        return Point(day, value, note=note)

    charts = []
    for item in SCORED_ITEMS:
        series = [Series(you, [my_point(day, item.key) for day in shown])]
        if partner is not None:
            series.append(
                Series(partner.display_name, [their_point(day, item.key) for day in shown])
            )
        charts.append(
            {
                "item": item,
                "chart": line_chart(
                    key=f"checkin-{item.key.replace('_', '-')}",
                    title=str(item.short),
                    series=series,
                    y_min=0,
                    y_max=10,
                    y_ticks=(0, 2, 4, 6, 8, 10),
                    period_label=_("Check-in"),
                ),
            }
        )
    safety_chart = None
    if any(felt_safe.get(day) is not None for day in shown):
        safety_chart = line_chart(
            key="checkin-felt-safe",
            title=str(SAFETY_ITEM.short),
            series=[Series(you, [Point(day, felt_safe.get(day)) for day in shown])],
            y_min=0,
            y_max=10,
            y_ticks=(0, 2, 4, 6, 8, 10),
            period_label=_("Check-in"),
        )
    return {"charts": charts, "safety_chart": safety_chart, "safety_item": SAFETY_ITEM}


@require_GET
@partner_page(not_open=NOT_OPEN)
def checkin_history(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    schedule = _schedule(request, couple)
    today = timezone.localdate()
    # From the couple's first round (the week they opened), never before it.
    first_day = schedule.first_day
    rounds = schedule.rounds_between(max(first_day, today - timedelta(weeks=CHART_WEEKS)), today)
    listed = [r for r in rounds if r.end > today - timedelta(weeks=HISTORY_WEEKS)]
    rows = list(reversed(_round_rows(request, couple, listed)))
    context: dict[str, Any] = {"rows": rows, "schedule": schedule}
    # The charts are answers: behind the person's privacy lock (the list of who checked
    # in is not, as the check-in home shows it too).
    context["charts_locked"] = is_locked(request)
    if not context["charts_locked"]:
        context.update(_dimension_charts(request, couple, rounds))
        context["care_sees"] = couple.is_guided and couple.has_consent(request.user, "care")
    return render(request, "checkins/history.html", context)


@require_POST
@partner_page(not_open=NOT_OPEN)
def checkin_cadence(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    try:
        if request.POST.get("decision") == "decline":
            actions.decline_cadence(couple, acting_user=request.user)
            messages.success(request, _("Kept as it is."))
        elif actions.propose_cadence(
            couple, request.POST.get("cadence", ""), acting_user=request.user
        ):
            messages.success(
                request, _("You both agreed. The new rhythm starts when the current check-in ends.")
            )
        else:
            messages.success(request, _("Suggested. It changes when your partner agrees too."))
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("checkin_home")
