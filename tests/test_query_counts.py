"""List pages cost the same number of queries whatever the number of rows."""

from __future__ import annotations

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
    # schedule exists from the moment the couple opened): a fixed budget.
    assert _queries(client_for(partner_a), "/") <= 17
