"""A readable audit: plain words, whose data, who (even after a rename), per day, per seat."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory, make_couple
from tests.program_helpers import open_everything
from twofold.audit.display import STAFF_LABELS
from twofold.audit.models import AccessEvent, AppendOnlyError, NameChange
from twofold.audit.recording import context_for_background
from twofold.couples.models import Partner
from twofold.lib.audit import What
from twofold.program.actions import log_practice

LOG = "/privacy/who-viewed-my-data/"
CLINIC_LOG = "/care/clinic/audit/"
DAY = dt.datetime(2027, 7, 1, 9, 0, tzinfo=dt.UTC)  # after the fixtures joined
UA = "Mozilla/5.0 (Staff laptop) TestBrowser/1.0"

# Session and user (2), roles (2), staff MFA check (1), the couples with their seats,
# consents and invitations (4), the session's idle-time stamp (3): nothing per couple.
CASELOAD_QUERIES = 12
# Session and user (2), roles (2), count and page of day lines (2), names now (1), name
# changes (1), the session's idle-time stamp (3): nothing per event or per day.
PARTNER_LOG_QUERIES = 11


def _page(client, url=LOG) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _read(actor, couple, what, *, at, subject=None):
    with time_machine.travel(at, tick=False):
        context_for_background().read(actor, couple, what, subject=subject)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


# Plain words.


def test_partners_and_clinic_admins_see_labels_never_internal_names(
    client_for, clinician, clinic_admin, couple, partner_a
):
    for what in What:
        _read(clinician, couple, what, at=DAY)
    partner_page = _page(client_for(partner_a))
    admin_page = _page(client_for(clinic_admin), CLINIC_LOG)
    assert set(STAFF_LABELS) == set(What)
    for what in What:
        assert str(what.label).replace("'", "&#x27;") in partner_page
        assert str(STAFF_LABELS[what]).replace("'", "&#x27;") in admin_page
        if "." in what.value or "_" in what.value:
            assert what.value not in partner_page and what.value not in admin_page


def test_an_event_with_a_what_no_longer_known_shows_a_kind_general_label(
    client_for, clinician, couple, partner_a
):
    AccessEvent.objects.create(
        actor=clinician,
        actor_name="Dr Rivera",
        actor_role="clinician",
        clinic=couple.clinic,
        action="read",
        couple=couple,
        what="legacy.internal_name",
    )
    page = _page(client_for(partner_a))
    assert "legacy.internal_name" not in page
    assert "something in your couple&#x27;s space" in page


# Whose data.


def test_a_partners_own_records_say_yours_and_the_other_partner_does_not_see_them(
    client_for, clinician, couple, partner_a, partner_b
):
    _read(clinician, couple, What.JOURNAL, at=DAY, subject=partner_a)
    _read(clinician, couple, What.COUPLE_OVERVIEW, at=DAY)
    alex, sam = _page(client_for(partner_a)), _page(client_for(partner_b))
    assert "journal entries shared with the care team" in alex and "Yours" in alex
    assert "journal entries shared with the care team" not in sam and "Yours" not in sam
    assert "Both of you" in alex and "Both of you" in sam


def test_the_care_plan_records_each_partner_whose_practice_notes_it_showed(
    client_for, clinician, couple, partner_a, partner_b
):
    plan = open_everything(couple)
    exercise = plan.program.stages[0].exercises[0]
    scores = {"comfort": 5, "anxiety": 2, "closeness": 6, "pleasure": 5}
    log_practice(plan, exercise, acting_user=partner_a, shared_with_care=True, **scores)
    log_practice(plan, exercise, acting_user=partner_b, shared_with_care=False, **scores)
    url = reverse("care_plan", kwargs={"couple_id": couple.pk})
    assert client_for(clinician).get(url).status_code == 200
    practice = AccessEvent.objects.filter(what=What.PRACTICE_LOG)
    assert list(practice.values_list("subject", flat=True)) == [partner_a.pk]
    assert AccessEvent.objects.filter(what=What.PROGRAM_PLAN, subject__isnull=True).count() == 1


def test_the_journal_page_records_whose_entries_it_showed_and_the_couples_moments(
    client_for, clinician, couple, partner_a, partner_b
):
    from twofold.journal.actions import create_entry
    from twofold.journal.models import Sharing

    create_entry(couple, acting_user=partner_a, body="For the care team.", sharing=Sharing.CARE)
    create_entry(couple, acting_user=partner_b, body="Mine alone.", sharing=Sharing.ONLY_ME)
    url = reverse("journal_care", kwargs={"couple_id": couple.pk})
    assert client_for(clinician).get(url).status_code == 200
    rows = set(AccessEvent.objects.values_list("what", "subject"))
    assert rows == {(What.JOURNAL, partner_a.pk), (What.MOMENTS, None)}


def test_a_care_page_showing_nobodys_own_records_is_a_read_of_the_couples(
    client_for, clinician, couple
):
    url = reverse("checkin_care", kwargs={"couple_id": couple.pk})
    assert client_for(clinician).get(url).status_code == 200
    assert set(AccessEvent.objects.values_list("what", "subject")) == {(What.CHECKINS, None)}


# Caseload.


def test_listing_the_caseload_writes_nothing_and_costs_the_same_for_many_couples(
    client_for, clinician, clinic, couple
):
    client = client_for(clinician)
    one = _queries(client, "/care/")
    for _ in range(5):
        make_couple(UserFactory(), UserFactory(), clinic=clinic, clinician=clinician)
    six = _queries(client, "/care/")
    assert (one, six) == (CASELOAD_QUERIES, CASELOAD_QUERIES)
    assert not AccessEvent.objects.exists()


# 404s are not views.


CARE_PAGES = ["care_couple_detail", "care_plan", "checkin_care", "journal_care", "cycles_care"]


@pytest.mark.parametrize("name", CARE_PAGES)
def test_another_clinics_clinician_gets_404_and_nothing_is_recorded(
    client_for, other_clinician, couple, name
):
    open_everything(couple)
    url = reverse(name, kwargs={"couple_id": couple.pk})
    response = client_for(other_clinician).get(url)
    assert response.status_code == 404
    assert not AccessEvent.objects.exists()


def test_a_plan_page_that_shows_nothing_is_not_recorded(client_for, clinician, couple, partner_a):
    """A partner stopped sharing: the page explains, shows no plan, and records no read."""
    from twofold.couples import actions
    from twofold.couples.models import Consent

    open_everything(couple)
    actions.withdraw_consent(couple, Consent.Kind.CARE, acting_user=partner_a)
    response = client_for(clinician).get(reverse("care_plan", kwargs={"couple_id": couple.pk}))
    assert response.status_code == 200
    assert "not sharing with the care team" in response.content.decode()
    assert not AccessEvent.objects.exists()


# Who: a stable identity.


def _rename(client, name: str):
    return client.post(
        "/me/",
        {
            "display_name": name,
            "time_zone": "Europe/London",
            "reminders_enabled": "on",
            "quiet_hours_start": "21:00",
            "quiet_hours_end": "08:00",
        },
    )


def test_a_renamed_clinician_still_shows_by_the_name_they_read_under(
    client_for, clinician, couple, partner_a
):
    _read(clinician, couple, What.COUPLE_OVERVIEW, at=DAY)
    assert _rename(client_for(clinician), "Nobody Special").status_code == 302
    change = NameChange.objects.get()
    assert (change.user, change.old_name, change.new_name) == (
        clinician,
        "Dr Rivera",
        "Nobody Special",
    )
    page = _page(client_for(partner_a))
    assert "Dr Rivera" in page
    assert "now called Nobody Special" in page
    assert "Dr Rivera is now called Nobody Special" in page


def test_a_partner_renaming_themselves_is_not_kept(client_for, partner_a, couple):
    assert _rename(client_for(partner_a), "Alexa").status_code == 302
    assert not NameChange.objects.exists()


def test_name_changes_cannot_be_edited_or_removed(clinician):
    from twofold.audit.recording import record_name_change

    change = record_name_change(clinician, "Dr Rivera", "Someone")
    assert change is not None
    change.new_name = "Dr Rivera"
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        NameChange.objects.all().update(new_name="x")
    with pytest.raises(AppendOnlyError):
        NameChange.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_namechange SET new_name = 'tampered'")
    assert NameChange.objects.get().new_name == "Someone"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's test flush deletes rows")
@pytest.mark.parametrize("table", ["audit_accessevent", "audit_namechange"])
def test_on_postgresql_the_database_refuses_to_delete_from_the_log(clinician, couple, table):
    _read(clinician, couple, What.COUPLE_OVERVIEW, at=DAY)
    NameChange.objects.create(user=clinician, old_name="Dr Rivera", new_name="Someone")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a fixed table name
    assert AccessEvent.objects.exists() and NameChange.objects.exists()


# Where from: for clinic admins only.


def test_partners_never_see_staff_addresses_or_browsers_but_clinic_admins_do(
    client_for, clinician, clinic_admin, couple, partner_a
):
    staff = client_for(clinician)
    staff.get(f"/care/couples/{couple.pk}/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=UA)
    assert AccessEvent.objects.get().ip_address == "203.0.113.7"
    partner_page = _page(client_for(partner_a))
    assert "Dr Rivera" in partner_page
    assert "203.0.113.7" not in partner_page and "TestBrowser" not in partner_page
    admin_page = _page(client_for(clinic_admin), CLINIC_LOG)
    assert "203.0.113.7" in admin_page and "TestBrowser" in admin_page


# Per day.


def test_repeated_views_are_one_line_per_person_per_what_per_day(
    client_for, clinician, couple, partner_a
):
    for hour in (9, 11, 16):
        _read(clinician, couple, What.COUPLE_OVERVIEW, at=DAY.replace(hour=hour))
    _read(clinician, couple, What.CYCLES, at=DAY.replace(hour=12))
    _read(clinician, couple, What.COUPLE_OVERVIEW, at=DAY + dt.timedelta(days=1))
    page = _page(client_for(partner_a))
    assert page.count("your couple&#x27;s overview") == 2
    assert "3 times, 10:00 to 17:00" in page  # London summer time
    assert page.count("Once, at") == 2


def test_the_partner_page_costs_the_same_whatever_the_number_of_events(
    client_for, clinician, couple, partner_a
):
    client = client_for(partner_a)
    _read(clinician, couple, What.COUPLE_OVERVIEW, at=DAY)
    few = _queries(client, LOG)
    for day in range(20):
        for what in (What.COUPLE_OVERVIEW, What.CHECKINS, What.JOURNAL):
            _read(clinician, couple, what, at=DAY + dt.timedelta(days=day, hours=1))
            _read(clinician, couple, what, at=DAY + dt.timedelta(days=day, hours=2))
    many = _queries(client, LOG)
    assert (few, many) == (PARTNER_LOG_QUERIES, PARTNER_LOG_QUERIES)


# Per seat.


def test_a_partner_sees_nothing_from_before_they_joined(client_for, clinic, clinician, partner_a):
    partner_b = UserFactory(display_name="Sam")
    with time_machine.travel(DAY, tick=False):
        couple = make_couple(partner_a, clinic=clinic, clinician=clinician)
    _read(clinician, couple, What.COUPLE_CREATED, at=DAY + dt.timedelta(hours=1))
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):
        Partner.objects.create(couple=couple, user=partner_b, seat=Partner.Seat.B)
    _read(clinician, couple, What.COUPLE_OVERVIEW, at=DAY + dt.timedelta(days=2))
    alex, sam = _page(client_for(partner_a)), _page(client_for(partner_b))
    assert "your couple&#x27;s set-up" in alex and "your couple&#x27;s overview" in alex
    assert "your couple&#x27;s set-up" not in sam and "your couple&#x27;s overview" in sam


def test_a_partner_who_left_sees_their_time_only(client_for, clinician, couple, partner_b):
    _read(clinician, couple, What.COUPLE_OVERVIEW, at=dt.datetime.now(dt.UTC))
    Partner.objects.filter(user=partner_b).update(left_at=dt.datetime.now(dt.UTC))
    _read(clinician, couple, What.CYCLES, at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    page = _page(client_for(partner_b))
    assert "your couple&#x27;s overview" in page
    assert "the changes you are trying together" not in page
    assert not AccessEvent.objects.about(partner_b).filter(what=What.CYCLES).exists()
