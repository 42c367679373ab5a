"""A couple's plan and check-in schedule are made when it opens, never by a page view."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import UserFactory, make_couple
from twofold.checkins.models import CheckInSchedule
from twofold.couples import actions
from twofold.couples.models import Consent
from twofold.program.models import Plan, PlanEvent


def test_the_second_partner_agreeing_opens_the_couple_with_a_plan_and_a_schedule(db: None):
    a, b = UserFactory(), UserFactory()
    couple = make_couple(a, b, consent=False)
    actions.give_consent(couple, Consent.Kind.PARTICIPATION, acting_user=a)
    assert not Plan.objects.filter(couple=couple).exists()
    assert not CheckInSchedule.objects.filter(couple=couple).exists()

    actions.give_consent(couple, Consent.Kind.PARTICIPATION, acting_user=b)
    plan = Plan.objects.get(couple=couple)
    assert plan.stage_index == 0
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.STARTED).count() == 1
    assert CheckInSchedule.objects.filter(couple=couple).count() == 1


def test_agreeing_again_after_a_withdrawal_keeps_the_same_plan_and_schedule(
    couple: Any, partner_b: Any
):
    plan, schedule = Plan.objects.get(couple=couple), CheckInSchedule.objects.get(couple=couple)
    actions.withdraw_consent(couple, Consent.Kind.PARTICIPATION, acting_user=partner_b)
    actions.give_consent(couple, Consent.Kind.PARTICIPATION, acting_user=partner_b)
    assert list(Plan.objects.filter(couple=couple)) == [plan]
    assert list(CheckInSchedule.objects.filter(couple=couple)) == [schedule]
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.STARTED).count() == 1


def test_a_couple_still_waiting_for_a_partner_has_no_plan(db: None):
    solo = UserFactory()
    couple = make_couple(solo)
    assert not Plan.objects.filter(couple=couple).exists()
    assert not CheckInSchedule.objects.filter(couple=couple).exists()


@pytest.mark.django_db(transaction=True)
def test_couples_that_opened_before_get_their_plan_and_schedule_from_the_migration() -> None:
    a, b = UserFactory(), UserFactory()
    opened = make_couple(a, b)
    waiting = make_couple(UserFactory())
    Plan.objects.filter(couple=opened).delete()
    CheckInSchedule.objects.filter(couple=opened).delete()

    executor = MigrationExecutor(connection)
    target = [("ops", "0001_open_couples_have_a_plan_and_a_schedule")]
    executor.migrate([("ops", None)])
    executor = MigrationExecutor(connection)
    executor.migrate(target)

    assert Plan.objects.filter(couple=opened).count() == 1
    assert CheckInSchedule.objects.filter(couple=opened).count() == 1
    assert not Plan.objects.filter(couple=waiting).exists()
