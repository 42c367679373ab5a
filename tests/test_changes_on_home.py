"""The partner home says what changed since the person last signed in, and nothing private."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PASSWORD
from twofold.accounts.models import User
from twofold.checkins import actions as checkin_actions
from twofold.journal import actions as journal_actions

ANSWERS = dict.fromkeys(
    ("openness", "sexual_comfort", "mutual_support", "stress", "sleep_quality", "mood"), 5
)


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel("2026-12-01 18:00:00+00:00", tick=False):
        yield


def _sign_in(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _signed_in_before(user: User, hours: int) -> None:
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(hours=hours))
    user.refresh_from_db()


def test_what_the_partner_did_since_is_on_the_home_page(couple, partner_a, partner_b):
    _signed_in_before(partner_b, 5)
    checkin_actions.save_checkin(
        couple, timezone.localdate() - timedelta(days=1), ANSWERS, acting_user=partner_a
    )
    journal_actions.create_entry(couple, body="only-for-alex-7f1", acting_user=partner_a)
    page = _sign_in(partner_b).get("/").content.decode()
    assert "Since you last signed in" in page
    assert "Alex checked in" in page
    assert "only-for-alex-7f1" not in page


def test_nothing_is_listed_the_first_time_or_when_nothing_changed(couple, partner_a, partner_b):
    page = _sign_in(partner_b).get("/").content.decode()  # never signed in before
    assert "Since you last signed in" not in page
    _signed_in_before(partner_b, 0)  # everything so far happened before then
    page = _sign_in(partner_b).get("/").content.decode()
    assert "Since you last signed in" not in page


def test_the_home_page_costs_the_same_however_much_changed(couple, partner_a, partner_b):
    def queries() -> int:
        _signed_in_before(partner_b, 5)
        client = _sign_in(partner_b)
        client.get("/")
        with CaptureQueriesContext(connection) as seen:
            client.get("/")
        return len(seen)

    few = queries()
    for n in range(5):
        journal_actions.create_entry(
            couple, body=f"shared {n}", sharing="partner", acting_user=partner_a
        )
    assert queries() == few
