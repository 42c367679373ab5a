"""Joint goals: drafted privately, proposed, shared when both accept; progress measured."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from tests.program_helpers import open_everything
from twofold.program import actions
from twofold.program.models import Goal, PracticeLog


@pytest.fixture
def plan(couple):
    return open_everything(couple)


def _draft(client, text="Practise together twice a week", **extra):
    return client.post("/goals/", {"text": text, **extra})


def test_a_draft_is_private_to_its_author(
    client_for, plan, partner_a, partner_b, clinician, couple
):
    _draft(client_for(partner_a))
    assert "Practise together twice a week" in client_for(partner_a).get("/goals/").content.decode()
    assert (
        "Practise together twice a week"
        not in client_for(partner_b).get("/goals/").content.decode()
    )
    assert not Goal.objects.visible_to(clinician).exists()


def test_a_proposed_goal_becomes_shared_when_the_partner_accepts(
    client_for, plan, partner_a, partner_b, clinician
):
    _draft(client_for(partner_a))
    goal = Goal.objects.get()
    client_for(partner_a).post(f"/goals/{goal.pk}/propose/")
    page = client_for(partner_b).get("/goals/").content.decode()
    assert "Waiting for your answer" in page
    client_for(partner_b).post(f"/goals/{goal.pk}/respond/", {"response": "accept"})
    goal.refresh_from_db()
    assert goal.state == Goal.State.SHARED and goal.review_on is not None
    assert Goal.objects.visible_to(clinician).filter(pk=goal.pk).exists()


def test_declining_kindly_returns_the_goal_to_its_author_and_hides_it_again(
    client_for, plan, partner_a, partner_b
):
    _draft(client_for(partner_a))
    goal = Goal.objects.get()
    client_for(partner_a).post(f"/goals/{goal.pk}/propose/")
    client_for(partner_b).post(f"/goals/{goal.pk}/respond/", {"response": "decline"})
    assert (
        "would rather not take this on right now"
        in client_for(partner_a).get("/goals/").content.decode()
    )
    assert (
        "Practise together twice a week"
        not in client_for(partner_b).get("/goals/").content.decode()
    )


def test_suggesting_other_words_goes_back_to_the_author_who_can_accept_them(
    client_for, plan, partner_a, partner_b
):
    _draft(client_for(partner_a), text="Practise every day")
    goal = Goal.objects.get()
    client_for(partner_a).post(f"/goals/{goal.pk}/propose/")
    client_for(partner_b).post(
        f"/goals/{goal.pk}/respond/",
        {"response": "suggest", "suggestion": "Practise together twice a week"},
    )
    assert "suggested instead" in client_for(partner_a).get("/goals/").content.decode()
    client_for(partner_a).post(f"/goals/{goal.pk}/respond/", {"response": "accept"})
    goal.refresh_from_db()
    assert goal.state == Goal.State.SHARED and goal.text == "Practise together twice a week"


def test_only_the_awaited_partner_can_answer(client_for, plan, partner_a):
    _draft(client_for(partner_a))
    goal = Goal.objects.get()
    client_for(partner_a).post(f"/goals/{goal.pk}/propose/")
    client_for(partner_a).post(f"/goals/{goal.pk}/respond/", {"response": "accept"})
    goal.refresh_from_db()
    assert goal.state == Goal.State.PROPOSED


def test_an_empty_goal_or_a_past_review_date_is_refused_and_keeps_the_text(
    client_for, plan, partner_a
):
    response = _draft(client_for(partner_a), text="   ")
    assert response.status_code == 400 and "Please write a few words" in response.content.decode()
    response = _draft(client_for(partner_a), text="Walk together", review_on="2001-01-01")
    assert response.status_code == 400
    assert "Choose a day after today" in response.content.decode()
    assert "Walk together" in response.content.decode()
    assert not Goal.objects.exists()


def test_a_measure_needs_a_number(client_for, plan, partner_a):
    response = _draft(client_for(partner_a), measure="practice_together")
    assert response.status_code == 400
    assert "How many times a week" in response.content.decode()


def test_practising_together_is_counted_from_both_partners_logs():
    monday = date(2026, 11, 23)
    facts = [
        (1, monday),
        (2, monday),
        (1, monday + timedelta(days=2)),
        (2, monday + timedelta(days=3)),
    ]
    weeks = actions.weeks_practised_together(
        facts, [1, 2], today=monday + timedelta(days=4), weeks=2
    )
    assert weeks == [(monday - timedelta(weeks=1), 0), (monday, 1)]


@time_machine.travel("2026-11-27 12:00:00+00:00", tick=False)
def test_shared_goal_progress_shows_on_the_goals_page(
    client_for, plan, couple, partner_a, partner_b
):
    goal = actions.create_goal(
        couple,
        text="Practise together twice a week",
        measure=Goal.Measure.PRACTICE_TOGETHER,
        measure_target=2,
        acting_user=partner_a,
    )
    actions.propose_goal(couple, goal, acting_user=partner_a)
    actions.respond_to_goal(goal, "accept", acting_user=partner_b)
    for person in (partner_a, partner_b):
        for day in (date(2026, 11, 24), date(2026, 11, 26)):
            PracticeLog.objects.create(
                plan=plan,
                couple=couple,
                owner=person,
                exercise_key=plan.stage.exercises[0].key,
                stage_index=0,
                practised_on=day,
                comfort=5,
                anxiety=5,
                closeness=5,
                pleasure=5,
            )
    page = client_for(partner_b).get("/goals/").content.decode()
    assert "Recent weeks you practised together:" in page and "week of 23 Nov" in page
    # No ticks and no counts against the aim: a goal is not a test.
    assert "✓" not in page and "2 times together" not in page
