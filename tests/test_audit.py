"""The append-only access log and each partner's "who viewed my data" page."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tests.factories import UserFactory, make_couple
from twofold.audit.models import AccessEvent, AppendOnlyError


def test_clinician_viewing_a_couple_is_recorded_with_where_from(client_for, clinician, couple):
    client_for(clinician).get(f"/care/couples/{couple.pk}/", REMOTE_ADDR="203.0.113.7")
    event = AccessEvent.objects.get()
    assert (event.actor, event.action, event.couple, event.what) == (
        clinician,
        "read",
        couple,
        "couple.overview",
    )
    assert event.ip_address == "203.0.113.7"


def test_both_partners_see_who_viewed_their_couple(
    client_for, clinician, couple, partner_a, partner_b
):
    client_for(clinician).get(f"/care/couples/{couple.pk}/")
    for partner in (partner_a, partner_b):
        page = client_for(partner).get("/privacy/who-viewed-my-data/").content.decode()
        assert "Dr Rivera" in page
        assert "your couple&#x27;s overview" in page or "your couple's overview" in page


def test_partners_reading_their_own_data_are_not_logged(client_for, partner_a, couple):
    client_for(partner_a).get("/")
    assert not AccessEvent.objects.exists()


def test_writes_by_the_care_team_are_logged(client_for, clinician, couple):
    client_for(clinician).post(f"/care/couples/{couple.pk}/notes/", {"text": "Phoned both."})
    assert AccessEvent.objects.filter(action="write", what="care_note", couple=couple).exists()


def test_another_couples_events_are_not_shown(client_for, clinician, clinic, couple):
    other = make_couple(
        UserFactory(display_name="Quinn"), UserFactory(), clinic=clinic, clinician=clinician
    )
    client_for(clinician).get(f"/care/couples/{other.pk}/")
    page = client_for(couple.seats()[0].user).get("/privacy/who-viewed-my-data/").content.decode()
    assert "Dr Rivera" not in page


def test_events_cannot_be_changed_or_deleted_through_the_app(client_for, clinician, couple):
    client_for(clinician).get(f"/care/couples/{couple.pk}/")
    event = AccessEvent.objects.get()
    event.what = "something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().update(what="x")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()


def test_the_database_itself_refuses_to_change_an_event(client_for, clinician, couple):
    client_for(clinician).get(f"/care/couples/{couple.pk}/")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accessevent SET what = 'tampered'")
    assert AccessEvent.objects.get().what == "couple.overview"


def test_clinic_admin_log_shows_references_not_names(client_for, clinician, clinic_admin, couple):
    client_for(clinician).get(f"/care/couples/{couple.pk}/")
    page = client_for(clinic_admin).get("/care/clinic/audit/").content.decode()
    assert couple.reference in page
    assert "Dr Rivera" in page
    assert "Alex" not in page and "Sam" not in page


def test_times_are_shown_in_the_viewers_time_zone(client_for, clinician, couple, partner_a):
    import time_machine

    with time_machine.travel("2027-07-01 12:00:00+00:00", tick=False):
        client_for(clinician).get(f"/care/couples/{couple.pk}/")
    partner_a.time_zone = "Asia/Tokyo"
    partner_a.save()
    page = client_for(partner_a).get("/privacy/who-viewed-my-data/").content.decode()
    assert "1 Jul 2027" in page and "Once, at 21:00" in page
