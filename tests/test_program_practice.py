"""Practice logs: private by default, shared by choice; participation visible to both."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.program_helpers import open_everything
from twofold.program.models import PracticeLog


@pytest.fixture
def plan(couple):
    return open_everything(couple)


def _log(client, key, **extra):
    data = {
        "practised_on": timezone.localdate().isoformat(),
        "comfort": 7,
        "anxiety": 3,
        "closeness": 8,
        "pleasure": 6,
        "note": "Felt shy at first, then calmer.",
        **extra,
    }
    return client.post(f"/program/exercises/{key}/log/", data)


def test_a_private_log_is_seen_by_its_author_only(
    client_for, plan, partner_a, partner_b, clinician, couple
):
    key = plan.stage.exercises[0].key
    assert _log(client_for(partner_a), key).status_code == 302
    assert "Felt shy at first" in client_for(partner_a).get("/program/logs/").content.decode()
    assert "Felt shy at first" not in client_for(partner_b).get("/program/logs/").content.decode()
    care = client_for(clinician).get(f"/care/couples/{couple.pk}/program/").content.decode()
    assert "Felt shy at first" not in care


def test_the_partner_sees_that_you_practised_but_not_how_it_went(
    client_for, plan, partner_a, partner_b
):
    _log(client_for(partner_a), plan.stage.exercises[0].key)
    page = client_for(partner_b).get("/program/").content.decode()
    assert "Alex practised this week." in page
    assert "practised once" not in page and "times this week" not in page
    assert "Felt shy" not in page


def test_sharing_with_the_partner_and_the_care_team(
    client_for, plan, partner_a, partner_b, clinician, couple
):
    _log(
        client_for(partner_a),
        plan.stage.exercises[0].key,
        shared_with_partner="on",
        shared_with_care="on",
    )
    assert "Felt shy at first" in client_for(partner_b).get("/program/logs/").content.decode()
    care = client_for(clinician).get(f"/care/couples/{couple.pk}/program/").content.decode()
    assert "Felt shy at first" in care


def test_a_score_out_of_range_is_refused_and_keeps_the_note(client_for, plan, partner_a):
    response = _log(client_for(partner_a), plan.stage.exercises[0].key, comfort=11)
    assert response.status_code == 400
    body = response.content.decode()
    assert "less than or equal to 10" in body
    assert "Felt shy at first, then calmer." in body
    assert not PracticeLog.objects.exists()


def test_a_future_date_is_refused(client_for, plan, partner_a):
    response = _log(client_for(partner_a), plan.stage.exercises[0].key, practised_on="2999-01-01")
    assert response.status_code == 400
    assert "in the future" in response.content.decode()


def test_the_note_is_encrypted_at_rest(client_for, plan, partner_a):
    from django.db import connection

    _log(client_for(partner_a), plan.stage.exercises[0].key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM program_practicelog")
        (raw,) = cursor.fetchone()
    assert raw.startswith("tf1:") and "shy" not in raw


def test_an_exercise_from_a_later_stage_cannot_be_opened_yet(client_for, plan, partner_a):
    later = plan.program.stages[2].exercises[0].key
    assert client_for(partner_a).get(f"/program/exercises/{later}/").status_code == 404
