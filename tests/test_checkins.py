"""The weekly check-in: private answers, mutual reveal, rounds, corrections, cadence."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest
import time_machine

from twofold.checkins import actions
from twofold.checkins.models import CheckIn, CheckInRevision, CheckInSchedule

MONDAY = "2026-11-30"
SECRET_APPRECIATION = "the-lantern-walk-on-tuesday"
SECRET_TOPIC = "visiting-my-sister-in-spring"


def answers(**overrides):
    data = {
        "openness": 7,
        "sexual_comfort": 5,
        "mutual_support": 8,
        "stress": 4,
        "sleep_quality": 6,
        "mood": 7,
        "appreciated": SECRET_APPRECIATION,
        "talk_about": SECRET_TOPIC,
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        yield


def _post(client, data, start=MONDAY):
    return client.post(f"/check-in/{start}/", data)


def test_answers_are_private_until_both_have_checked_in(client_for, couple, partner_a, partner_b):
    assert _post(client_for(partner_a), answers()).status_code == 302
    page = client_for(partner_b).get(f"/check-in/{MONDAY}/together/").content.decode()
    assert "Alex has checked in" in page
    assert SECRET_APPRECIATION not in page and SECRET_TOPIC not in page

    _post(client_for(partner_b), answers(openness=3, appreciated="", talk_about=""))
    page = client_for(partner_b).get(f"/check-in/{MONDAY}/together/").content.decode()
    assert SECRET_APPRECIATION in page and SECRET_TOPIC in page


def test_a_partner_who_has_not_checked_in_cannot_reach_the_answers_anywhere(
    client_for, couple, partner_a, partner_b, personas
):
    """Every page partner B can open, including htmx fragments, is free of A's answers."""
    from django.urls import reverse

    from tests.test_authorization_matrix import FEATURE_MODULES, MATRIX

    _post(client_for(partner_a), answers())
    world = {"couple": couple, "clinician": personas["clinician"]}
    for module in FEATURE_MODULES:
        module.extend_world(world)
    client = client_for(partner_b)
    checked = 0
    for name, row in MATRIX.items():
        if row.method != "GET" or row.expect["partner_b"] != 200:
            continue
        try:
            url = reverse(name, kwargs=row.kwargs(world))
        except KeyError:
            continue  # needs objects only the core matrix world builds
        body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        body += client.get(url).content.decode()
        assert SECRET_APPRECIATION not in body and SECRET_TOPIC not in body, name
        checked += 1
    for url in (f"/check-in/{MONDAY}/together/", "/check-in/", "/check-in/history/"):
        body = client.get(url).content.decode()
        assert SECRET_APPRECIATION not in body and SECRET_TOPIC not in body, url
    assert checked >= 10
    assert not CheckIn.objects.visible_to(partner_b).exists()


def test_items_kept_private_never_reach_the_partner(
    client_for, couple, partner_a, partner_b, clinician
):
    _post(client_for(partner_a), answers(talk_about_private="on", mood_private="on", mood=2))
    _post(client_for(partner_b), answers(appreciated="", talk_about=""))
    page = client_for(partner_b).get(f"/check-in/{MONDAY}/together/").content.decode()
    assert SECRET_TOPIC not in page
    assert "kept private" in page
    care = client_for(clinician).get(f"/check-in/care/{couple.pk}/").content.decode()
    assert SECRET_TOPIC in care


def test_large_differences_and_talk_about_answers_become_prompts(
    client_for, couple, partner_a, partner_b
):
    _post(client_for(partner_a), answers(openness=9))
    _post(client_for(partner_b), answers(openness=5, talk_about=""))
    page = client_for(partner_a).get(f"/check-in/{MONDAY}/together/").content.decode()
    assert "worth talking about" in page
    assert "For your talk" in page
    assert "Talk it through together" in page


def test_a_difference_of_two_is_not_flagged(client_for, couple, partner_a, partner_b):
    _post(client_for(partner_a), answers(openness=7, talk_about=""))
    _post(client_for(partner_b), answers(openness=5, talk_about=""))
    page = client_for(partner_a).get(f"/check-in/{MONDAY}/together/").content.decode()
    assert "worth talking about" not in page


def test_corrections_within_the_round_keep_the_history(client_for, couple, partner_a):
    _post(client_for(partner_a), answers(mood=3))
    _post(client_for(partner_a), answers(mood=6))
    checkin = CheckIn.objects.get()
    assert checkin.mood == 6
    revision = CheckInRevision.objects.get()
    assert json.loads(revision.answers)["mood"] == 3
    page = client_for(partner_a).get(f"/check-in/{MONDAY}/together/").content.decode()
    assert "Earlier versions of your answers" in page and "Mood 3" in page


def test_answering_after_the_round_ends_is_marked_late_then_closes(client_for, couple, partner_a):
    with time_machine.travel("2026-12-08 09:00:00+00:00", tick=False):
        assert _post(client_for(partner_a), answers()).status_code == 302
    assert CheckIn.objects.get().late
    with time_machine.travel("2026-12-11 09:00:00+00:00", tick=False):
        response = _post(client_for(partner_a), answers(mood=1))
        assert response.status_code == 302
    assert CheckIn.objects.get().mood == 7, "a closed round cannot be changed"


def test_missed_rounds_show_gently_in_the_history(client_for, couple, partner_a, partner_b):
    with time_machine.travel("2026-12-20 09:00:00+00:00", tick=False):
        page = client_for(partner_a).get("/check-in/history/").content.decode()
    assert "no check-in this time" in page


def test_bad_input_is_refused_and_keeps_what_was_typed(client_for, couple, partner_a):
    response = _post(client_for(partner_a), answers(mood=12))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please choose a number from 0 to 10." in body
    assert SECRET_APPRECIATION in body
    # Every other answer is still chosen, as it was sent.
    assert re.search(r'<input[^>]*name="openness" value="7"[^>]*checked', body)
    assert not CheckIn.objects.exists()


def test_an_unknown_round_start_is_not_found(client_for, couple, partner_a):
    assert client_for(partner_a).get("/check-in/2026-12-02/").status_code == 404
    assert client_for(partner_a).get("/check-in/2026-13-45/").status_code == 404


def test_the_couple_changes_the_cadence_only_when_both_agree(
    client_for, couple, partner_a, partner_b
):
    actions.ensure_schedule(couple)
    client_for(partner_a).post("/check-in/cadence/", {"cadence": "fortnightly"})
    assert CheckInSchedule.objects.get().cadence == "weekly"
    assert (
        "suggests checking in every two weeks"
        in client_for(partner_b).get("/check-in/").content.decode()
    )
    client_for(partner_b).post("/check-in/cadence/", {"cadence": "fortnightly"})
    schedule = CheckInSchedule.objects.get()
    assert schedule.cadence == "fortnightly"
    # This week's round keeps its dates; every two weeks from the next one on.
    assert schedule.round_for(date(2026, 12, 1)).end == date(2026, 12, 7)
    assert schedule.round_for(date(2026, 12, 10)).start == date(2026, 12, 7)
    assert schedule.round_for(date(2026, 12, 10)).end == date(2026, 12, 21)


def test_the_clinician_can_set_the_cadence(client_for, couple, clinician):
    client_for(clinician).post(f"/check-in/care/{couple.pk}/cadence/", {"cadence": "monthly"})
    assert CheckInSchedule.objects.get().cadence == "monthly"


def test_the_care_team_sees_answers_only_with_care_consent(
    client_for, couple, partner_a, clinician
):
    from django.utils import timezone

    from twofold.couples.models import Consent

    _post(client_for(partner_a), answers())
    Consent.objects.filter(user=partner_a, kind="care").update(withdrawn_at=timezone.now())
    care = client_for(clinician).get(f"/check-in/care/{couple.pk}/").content.decode()
    assert SECRET_APPRECIATION not in care


def test_answers_are_encrypted_at_rest(client_for, couple, partner_a):
    from django.db import connection

    _post(client_for(partner_a), answers())
    with connection.cursor() as cursor:
        cursor.execute("SELECT appreciated, talk_about FROM checkins_checkin")
        row = cursor.fetchone()
    assert all(v.startswith("tf1:") for v in row)
    assert SECRET_APPRECIATION not in str(row)


def test_history_query_count_does_not_grow_with_rounds(client_for, couple, partner_a, partner_b):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client_for(partner_a).get("/check-in/history/").status_code == 200
        return len(ctx.captured_queries)

    actions.ensure_schedule(couple)
    with time_machine.travel("2026-12-22 09:00:00+00:00", tick=False):
        few = count()
    with time_machine.travel("2027-03-22 09:00:00+00:00", tick=False):
        many = count()
    assert few == many


def test_last_rounds_late_answer_is_offered_only_until_you_have_given_it(
    client_for, couple, partner_a
):
    # The couple opened last week.
    CheckInSchedule.objects.filter(couple=couple).update(anchor=date(2026, 11, 23))
    page = client_for(partner_a).get("/check-in/").content.decode()
    assert "23 Nov to 29 Nov" in page and "30 Nov to 6 Dec" in page
    _post(client_for(partner_a), answers(), start="2026-11-23")
    page = client_for(partner_a).get("/check-in/").content.decode()
    assert "23 Nov to 29 Nov" not in page and "30 Nov to 6 Dec" in page


def test_the_couple_home_says_who_has_checked_in_but_never_what(
    client_for, couple, partner_a, partner_b
):
    _post(client_for(partner_a), answers())
    page = html.unescape(client_for(partner_b).get("/").content.decode())
    assert "Alex has checked in." in page and "You haven't checked in yet." in page
    assert SECRET_APPRECIATION not in page


def test_a_couple_that_opens_midweek_starts_with_this_week_and_never_an_earlier_round(
    client_for, partner_a, partner_b
):
    """Opened on a Tuesday: last week's round is still in its late days, but it was
    before the couple existed, so it is never offered, listed or answerable."""
    from tests.factories import make_couple

    make_couple(partner_a, partner_b)
    client = client_for(partner_a)
    home = client.get("/check-in/").content.decode()
    assert "2026-11-23" not in home and "23 Nov" not in home
    history = client.get("/check-in/history/").content.decode()
    assert "23 Nov" not in history and "missed" not in history.lower()
    response = _post(client, answers(), start="2026-11-23")
    assert response.status_code == 302
    assert not CheckIn.objects.exists()
    assert _post(client, answers()).status_code == 302
    assert CheckIn.objects.get().period_start == date(2026, 11, 30)


def test_a_gentle_nudge_is_offered_only_while_the_partner_has_not_checked_in(
    client_for, couple, partner_a, partner_b
):
    assert "Send a gentle nudge" in client_for(partner_a).get("/check-in/").content.decode()
    _post(client_for(partner_b), answers())
    assert "Send a gentle nudge" not in client_for(partner_a).get("/check-in/").content.decode()
    assert "Send a gentle nudge" in client_for(partner_b).get("/check-in/").content.decode()
