"""Changing the check-in cadence: rounds, once opened, are facts.

A couple checks in weekly from Monday 2 November 2026. Alex answered the round of
16 November; both answered the round of 23 November. Then they agree on a new cadence.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
import time_machine

from twofold.checkins.models import CheckIn, CheckInSchedule, Round

FIRST_MONDAY = date(2026, 11, 2)
SECRET = "the-walk-by-the-canal"
ANSWERS = {
    "openness": 7,
    "sexual_comfort": 5,
    "mutual_support": 8,
    "stress": 4,
    "sleep_quality": 6,
    "mood": 7,
    "appreciated": SECRET,
    "talk_about": "",
}
# Tuesday: last week's round is still open for late answers, the one before has closed.
# Thursday: last week's round has closed too.
TUESDAY, THURSDAY = date(2026, 12, 1), date(2026, 12, 3)


def _at(day: date) -> time_machine.travel:
    return time_machine.travel(f"{day.isoformat()} 10:00:00+00:00", tick=False)


@pytest.fixture
def answered(client_for, couple, partner_a, partner_b):
    """Weekly rounds since 2 November; answers in the rounds of 16 and 23 November."""
    CheckInSchedule.objects.update_or_create(
        couple=couple, defaults={"anchor": FIRST_MONDAY, "cadence": "weekly", "earlier": []}
    )
    with _at(date(2026, 11, 18)):
        client_for(partner_a).post("/check-in/2026-11-16/", ANSWERS)
    with _at(date(2026, 11, 25)):
        client_for(partner_a).post("/check-in/2026-11-23/", ANSWERS)
        client_for(partner_b).post("/check-in/2026-11-23/", ANSWERS)
    assert CheckIn.objects.count() == 3


def _rounds_up_to(today: date) -> dict[date, Round]:
    """The round of every day from October until ``today``."""
    schedule = CheckInSchedule.objects.get()
    days = (date(2026, 10, 1) + timedelta(days=n) for n in range((today - date(2026, 10, 1)).days))
    return {day: schedule.round_for(day) for day in [*days, today]}


def _closed_starts(today: date) -> list[date]:
    schedule = CheckInSchedule.objects.get()
    return [r.start for r in schedule.rounds_between(FIRST_MONDAY, today) if not r.is_open(today)]


def _agree(client_for, partner_a, partner_b, cadence: str) -> None:
    client_for(partner_a).post("/check-in/cadence/", {"cadence": cadence})
    client_for(partner_b).post("/check-in/cadence/", {"cadence": cadence})
    assert CheckInSchedule.objects.get().cadence == cadence


def _answers_so_far() -> list[tuple[object, date, bool]]:
    return sorted(CheckIn.objects.values_list("owner_id", "period_start", "late"))


def _assert_rounds_are_facts(client_for, partner_a, partner_b, today, rounds, closed, answers):
    """Same round for every day so far; closed rounds stay closed; answers keep their round."""
    assert _rounds_up_to(today) == rounds
    assert _closed_starts(today) == closed
    assert date(2026, 11, 16) in closed
    for start in closed:
        page = client_for(partner_b).get(f"/check-in/{start.isoformat()}/")
        assert page.status_code == 302, f"the closed round of {start} opened again"
        client_for(partner_b).post(f"/check-in/{start.isoformat()}/", ANSWERS)
    assert _answers_so_far() == answers
    together = client_for(partner_b).get("/check-in/2026-11-23/together/")
    assert together.status_code == 200
    assert SECRET in together.content.decode()
    history = html.unescape(client_for(partner_b).get("/check-in/history/").content.decode())
    assert "23 Nov 2026 to 29 Nov" in history and "16 Nov 2026 to 22 Nov" in history


@pytest.mark.parametrize("today", [TUESDAY, THURSDAY], ids=["tuesday", "thursday"])
@pytest.mark.parametrize("cadence", ["fortnightly", "monthly"])
def test_a_new_cadence_never_reopens_a_closed_round_nor_moves_an_answered_one(
    answered, client_for, partner_a, partner_b, today, cadence
):
    with _at(today):
        rounds, closed, answers = _rounds_up_to(today), _closed_starts(today), _answers_so_far()
        _agree(client_for, partner_a, partner_b, cadence)
        _assert_rounds_are_facts(client_for, partner_a, partner_b, today, rounds, closed, answers)
        # Switching straight back changes nothing either.
        _agree(client_for, partner_a, partner_b, "weekly")
        _assert_rounds_are_facts(client_for, partner_a, partner_b, today, rounds, closed, answers)
        assert CheckInSchedule.objects.get().earlier == []


@pytest.mark.parametrize("cadence", ["fortnightly", "monthly"])
def test_the_new_cadence_starts_when_the_current_round_ends(
    answered, client_for, partner_a, partner_b, cadence
):
    with _at(TUESDAY):
        _agree(client_for, partner_a, partner_b, cadence)
        page = html.unescape(client_for(partner_a).get("/check-in/").content.decode())
    assert "30 Nov to 6 Dec" in page
    assert "The new rhythm starts on 7 Dec" in page
    schedule = CheckInSchedule.objects.get()
    length = {"fortnightly": 14, "monthly": 28}[cadence]
    assert schedule.round_for(TUESDAY) == Round(date(2026, 11, 30), date(2026, 12, 7))
    assert schedule.round_for(date(2026, 12, 8)) == Round(
        date(2026, 12, 7), date(2026, 12, 7) + timedelta(days=length)
    )


@pytest.mark.parametrize("cadence", ["fortnightly", "monthly"])
def test_switching_back_later_keeps_the_longer_rounds_already_opened(
    answered, client_for, partner_a, partner_b, cadence
):
    with _at(TUESDAY):
        _agree(client_for, partner_a, partner_b, cadence)
    later = date(2026, 12, 15)  # inside the first round of the new cadence
    with _at(later):
        client_for(partner_a).post("/check-in/2026-12-07/", ANSWERS)
        rounds, closed, answers = _rounds_up_to(later), _closed_starts(later), _answers_so_far()
        _agree(client_for, partner_a, partner_b, "weekly")
        _assert_rounds_are_facts(client_for, partner_a, partner_b, later, rounds, closed, answers)
        assert client_for(partner_b).get("/check-in/2026-12-07/").status_code == 200
    schedule = CheckInSchedule.objects.get()
    first_long_round = schedule.round_for(date(2026, 12, 7))
    assert first_long_round.end == date(2026, 12, 7) + timedelta(
        days={"fortnightly": 14, "monthly": 28}[cadence]
    )
    assert schedule.round_for(first_long_round.end).end == first_long_round.end + timedelta(days=7)


def test_the_care_team_setting_the_cadence_keeps_rounds_as_facts(
    answered, client_for, partner_a, partner_b, clinician
):
    with _at(TUESDAY):
        rounds, closed, answers = (
            _rounds_up_to(TUESDAY),
            _closed_starts(TUESDAY),
            _answers_so_far(),
        )
        couple_id = CheckInSchedule.objects.get().couple_id
        client_for(clinician).post(f"/check-in/care/{couple_id}/cadence/", {"cadence": "monthly"})
        assert CheckInSchedule.objects.get().cadence == "monthly"
        _assert_rounds_are_facts(client_for, partner_a, partner_b, TUESDAY, rounds, closed, answers)
