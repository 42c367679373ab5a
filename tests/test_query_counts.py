"""List pages cost the same number of queries whatever the number of rows."""

from __future__ import annotations

from functools import partial

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, make_couple, make_staff
from twofold.care.models import CareNote


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _add_couples(clinic, clinician, n):
    for _ in range(n):
        make_couple(UserFactory(), UserFactory(), clinic=clinic, clinician=clinician)


def test_caseload_query_count_does_not_grow_with_couples(client_for, clinician, clinic, couple):
    client = client_for(clinician)
    _add_couples(clinic, clinician, 2)
    few = _queries(client, "/care/")
    _add_couples(clinic, clinician, 8)
    many = _queries(client, "/care/")
    assert few == many
    assert "Alex" in client.get("/care/").content.decode()


def test_couple_page_query_count_does_not_grow_with_notes(client_for, clinician, couple):
    client = client_for(clinician)
    url = f"/care/couples/{couple.pk}/"
    CareNote.objects.create(couple=couple, author=clinician, text="one")
    few = _queries(client, url)
    for i in range(10):
        CareNote.objects.create(couple=couple, author=clinician, text=f"note {i}")
    assert _queries(client, url) == few


def test_access_log_query_count_does_not_grow_with_events(client_for, clinician, couple, partner_a):
    staff = client_for(clinician)
    url = f"/care/couples/{couple.pk}/"
    staff.get(url)
    few = _queries(client_for(partner_a), "/privacy/who-viewed-my-data/")
    for _ in range(12):
        staff.get(url)
    assert _queries(client_for(partner_a), "/privacy/who-viewed-my-data/") == few


def test_clinic_pages_query_count_does_not_grow(
    client_for, clinic_admin, clinician, clinic, couple
):
    admin = client_for(clinic_admin)
    client_for(clinician).get(f"/care/couples/{couple.pk}/")
    home_few, audit_few = _queries(admin, "/care/clinic/"), _queries(admin, "/care/clinic/audit/")
    for i in range(6):
        make_staff(clinic, "clinician", display_name=f"Clinician {i}")
        client_for(clinician).get(f"/care/couples/{couple.pk}/")
    assert _queries(admin, "/care/clinic/") == home_few
    assert _queries(admin, "/care/clinic/audit/") == audit_few


def test_partner_home_is_cheap(client_for, partner_a, couple):
    # Session, roles, the couple with its status, the together summaries (the check-in
    # schedule exists from the moment the couple opened) and the next step's facts (has
    # this person checked in, practised) and the questionnaires waiting (the schedule and
    # the person's own answers): a fixed budget.
    assert _queries(client_for(partner_a), "/") <= 21


# Exact numbers on the key pages, measured with a few rows and again with many. A change
# in one of these numbers is a change to look at: set the new number only once you know
# why it moved (and that it does not grow with rows).
KEY_PAGES: dict[str, tuple[str, str, int]] = {
    # name: (who opens it, URL, queries)
    # 17, the next step's two facts, and the questionnaires waiting (schedule, own answers)
    "partner home": ("partner_a", "/", 21),
    "program": ("partner_a", "/program/", 19),
    # A couple that opened this week has no earlier round to offer (one check fewer), and
    # the gentle nudge asks whether one went out today.
    "check-in": ("partner_a", "/check-in/", 14),
    "adjustment cycles": ("partner_a", "/adjustments/", 14),
    "journal": ("partner_a", "/journal/", 13),
    "moments": ("partner_a", "/journal/moments/", 13),
    "care couple page": ("clinician", "/care/couples/{couple}/", 14),
    "caseload": ("clinician", "/care/", 12),
    "who viewed my data": ("partner_a", "/privacy/who-viewed-my-data/", 9),
}


def _grow_everything(couple, partner_a, partner_b, clinician, clinic, client_for, n, first):
    """``n`` more rows of every kind the key pages list (weeks back from ``first``)."""
    import datetime as dt

    from twofold.checkins.models import CheckIn
    from twofold.cycles.models import AdjustmentCycle
    from twofold.journal.models import Appreciation, JournalEntry, Moment
    from twofold.program.models import Goal, Plan, PlanEvent, PracticeLog

    plan = Plan.objects.get(couple=couple)
    key = plan.stage.exercises[0].key
    today = dt.date(2026, 11, 30)
    for i in range(first, first + n):
        monday = today - dt.timedelta(weeks=i + 1)
        for person in (partner_a, partner_b):
            CheckIn.objects.create(
                couple=couple,
                owner=person,
                period_start=monday,
                openness=6,
                sexual_comfort=5,
                mutual_support=7,
                stress=4,
                sleep_quality=6,
                mood=6,
                talk_about=f"something {i}",
            )
            PracticeLog.objects.create(
                plan=plan,
                couple=couple,
                owner=person,
                exercise_key=key,
                stage_index=0,
                practised_on=monday,
                comfort=5,
                anxiety=4,
                closeness=6,
                pleasure=5,
                shared_with_partner=True,
                shared_with_care=True,
            )
            JournalEntry.objects.create(
                couple=couple,
                owner=person,
                body=f"entry {i}",
                shared_with_partner=True,
                shared_with_care=True,
            )
            Moment.objects.create(couple=couple, owner=person, kind="humour", note=f"{i}")
            Appreciation.objects.create(
                couple=couple,
                owner=person,
                recipient=partner_b if person == partner_a else partner_a,
                text=f"thanks {i}",
            )
        Goal.objects.create(
            couple=couple, owner=partner_a, text=f"goal {i}", visible_to_partner=True
        )
        PlanEvent.objects.create(
            plan=plan, couple=couple, actor=partner_a, kind="paused", stage_index=0
        )
        AdjustmentCycle.objects.create(couple=couple, raised_by=partner_a, concern=f"c {i}")
        CareNote.objects.create(couple=couple, author=clinician, text=f"note {i}")
        make_couple(UserFactory(), UserFactory(), clinic=clinic, clinician=clinician)
        client_for(clinician).get(f"/care/couples/{couple.pk}/")  # one more access event


@pytest.mark.parametrize("page", list(KEY_PAGES))
def test_key_pages_cost_an_exact_number_of_queries_however_many_rows(
    page,
    personas,
    couple,
    partner_a,
    partner_b,
    clinician,
    clinic,
    client_for,
    django_assert_num_queries,
):
    who, url, expected = KEY_PAGES[page]
    url = url.format(couple=couple.pk)
    client = client_for(personas[who])
    grow = partial(_grow_everything, couple, partner_a, partner_b, clinician, clinic, client_for)
    with time_machine.travel("2026-12-02 12:00:00+00:00", tick=False):
        grow(2, 0)
        assert client.get(url).status_code == 200  # once, so nothing first-time is counted
        with django_assert_num_queries(expected):
            client.get(url)
        grow(8, 2)
        with django_assert_num_queries(expected):
            response = client.get(url)
    assert response.status_code == 200
