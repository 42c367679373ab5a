"""Program list pages cost the same number of queries however many rows they show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.program_helpers import open_everything
from twofold.program import actions
from twofold.program.models import Goal, PlanEvent, PracticeLog


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def plan(couple):
    return open_everything(couple)


def _grow(plan, couple, partner_a, partner_b, n):
    key = plan.stage.exercises[0].key
    for i in range(n):
        for person in (partner_a, partner_b):
            PracticeLog.objects.create(
                plan=plan,
                couple=couple,
                owner=person,
                exercise_key=key,
                stage_index=0,
                practised_on=timezone.localdate() - timedelta(days=i % 20),
                comfort=5,
                anxiety=4,
                closeness=6,
                pleasure=5,
                note=f"note {i}",
                shared_with_partner=True,
                shared_with_care=True,
            )
        PlanEvent.objects.create(
            plan=plan, couple=couple, actor=partner_a, kind="paused", stage_index=0
        )
        goal = actions.create_goal(couple, text=f"Goal {i}", acting_user=partner_a)
        actions.propose_goal(couple, goal, acting_user=partner_a)
        actions.respond_to_goal(goal, "accept", acting_user=partner_b)
        Goal.objects.filter(pk=goal.pk).update(measure="practice_together", measure_target=2)


@pytest.mark.parametrize(
    "url", ["/program/", "/program/logs/", "/program/history/", "/goals/", "/boundaries/"]
)
def test_partner_program_pages_do_not_grow_with_rows(
    url, client_for, plan, couple, partner_a, partner_b
):
    _grow(plan, couple, partner_a, partner_b, 2)
    few = _count(client_for(partner_b), url)
    _grow(plan, couple, partner_a, partner_b, 8)
    assert _count(client_for(partner_b), url) == few


def test_care_plan_page_does_not_grow_with_rows(
    client_for, plan, couple, partner_a, partner_b, clinician
):
    url = f"/care/couples/{couple.pk}/program/"
    _grow(plan, couple, partner_a, partner_b, 2)
    few = _count(client_for(clinician), url)
    _grow(plan, couple, partner_a, partner_b, 8)
    assert _count(client_for(clinician), url) == few
