"""A couple's first check-in round is the week they opened, for both partners, wherever
each of them lives: no round from before it is offered.

The check-in pages belong to ``twofold/checkins``; this file only checks them from the
first evening's side (issue 9). The opening partner's local date fixes the first round
(``CheckInSchedule.anchor``); a partner whose local date is still the day before sees the
round before it as "this week's" by the calendar, and is given the first round instead.
"""

from __future__ import annotations

import re

import pytest
import time_machine

from tests.factories import UserFactory, make_couple
from twofold.checkins.models import CheckInSchedule
from twofold.couples.models import Partner

# Monday 30 November 2026, 00:30 in London: still Sunday 29 November in Toronto.
LONDON_MONDAY_TORONTO_SUNDAY = "2026-11-30 00:30:00+00:00"


@pytest.fixture
def far_apart(db):
    ari = UserFactory(email="ari@example.org", display_name="Ari", time_zone="Europe/London")
    bo = UserFactory(email="bo@example.org", display_name="Bo", time_zone="America/Toronto")
    return ari, bo


def _open_as_londoner_on_monday(client_for, ari, bo):
    couple = make_couple(ari, consent=False)
    Partner.objects.create(couple=couple, user=bo, seat=Partner.Seat.B)
    client_for(bo).post("/consent/participation/", {"agree": "on"})
    client_for(ari).post("/consent/participation/", {"agree": "on"})  # opens the couple
    return couple


def test_the_first_round_is_the_openers_week(client_for, far_apart):
    ari, bo = far_apart
    with time_machine.travel(LONDON_MONDAY_TORONTO_SUNDAY, tick=False):
        couple = _open_as_londoner_on_monday(client_for, ari, bo)
        page = client_for(ari).get("/check-in/").content.decode()
    assert CheckInSchedule.objects.get(couple=couple).first_day.isoformat() == "2026-11-30"
    assert re.findall(r"/check-in/(\d{4}-\d\d-\d\d)/", page) == ["2026-11-30"]


def test_a_partner_whose_day_is_behind_the_openers_is_not_offered_the_week_before_the_first(
    client_for, far_apart
):
    ari, bo = far_apart
    with time_machine.travel(LONDON_MONDAY_TORONTO_SUNDAY, tick=False):
        _open_as_londoner_on_monday(client_for, ari, bo)
        page = client_for(bo).get("/check-in/").content.decode()
        home = client_for(bo).get("/").content.decode()
    assert "/check-in/2026-11-23/" not in page
    assert "/check-in/2026-11-30/" in page
    assert "23 Nov" not in home
