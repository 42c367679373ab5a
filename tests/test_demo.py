"""``manage.py demo``: named personas to sign in as, and synthetic couples with history."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from twofold.accounts.models import User
from twofold.audit.models import AccessEvent
from twofold.care.models import CareAssignment, CareNote, Clinic, ClinicMembership
from twofold.couples.models import Consent, Couple, CoupleStatus, Invitation, Partner
from twofold.ops import demo

pytestmark = pytest.mark.django_db

NAMED = [
    "clinician@twofold.example",
    "admin@twofold.example",
    "harbour.clinician@twofold.example",
    "alex@twofold.example",
    "sam@twofold.example",
    "robin@twofold.example",
    "kai@twofold.example",
    "jordan@twofold.example",
]


def run(couples: int = 5, weeks: int = 4) -> str:
    out = StringIO()
    call_command("demo", couples=couples, weeks=weeks, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [
        User,
        EmailAddress,
        Clinic,
        ClinicMembership,
        Couple,
        Partner,
        Consent,
        Invitation,
        CareAssignment,
        CareNote,
        AccessEvent,
    ]
    return {m.__name__: m.objects.count() for m in models}


def couple_of(email: str) -> Couple:
    return Partner.objects.get(user__email=email, left_at__isnull=True).couple


def test_running_demo_creates_the_named_people_who_can_sign_in() -> None:
    run()
    for email in NAMED:
        assert EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()
        assert Client().login(email=email, password="twofold-demo"), email
    assert User.objects.get(email="clinician@twofold.example").display_name == "Dr Rivera"


def test_running_demo_ends_with_the_table_of_demo_logins() -> None:
    out = run()
    assert "Demo logins (password: twofold-demo)" in out
    assert "alex@twofold.example + sam@twofold.example" in out
    assert out.rstrip().endswith("Open http://127.0.0.1:8000")


def test_running_demo_twice_creates_no_duplicates() -> None:
    run()
    first = counts()
    run()
    assert counts() == first


def test_alex_and_sam_are_an_active_couple_on_dr_riveras_caseload_with_care_consent() -> None:
    run()
    couple = couple_of("alex@twofold.example")
    assert couple.status == CoupleStatus.ACTIVE
    assert couple.clinic is not None and couple.clinic.name == "Riverside Clinic"
    assert couple.care_assignments.filter(clinician__email="clinician@twofold.example").exists()
    for person in couple.seats():
        assert couple.has_consent(person.user, Consent.Kind.CARE)
    notes = CareNote.objects.filter(couple=couple)
    assert notes.count() >= 1
    assert all(n.author.email == "clinician@twofold.example" for n in notes)


def test_robin_and_kai_are_an_active_couple_on_their_own() -> None:
    run()
    couple = couple_of("robin@twofold.example")
    assert couple.status == CoupleStatus.ACTIVE
    assert couple.clinic is None
    assert couple == couple_of("kai@twofold.example")


def test_jordans_couple_has_one_seat_and_a_pending_invitation() -> None:
    run()
    couple = couple_of("jordan@twofold.example")
    assert [p.seat for p in couple.seats()] == [Partner.Seat.A]
    assert couple.status == CoupleStatus.WAITING_FOR_PARTNER
    pending = list(couple.invitations.pending())
    assert [i.email for i in pending] == ["jordan.partner@twofold.example"]


def test_harbour_clinic_has_its_own_clinician_and_none_of_the_couples() -> None:
    run()
    harbour = Clinic.objects.get(name="Harbour Clinic")
    assert harbour.memberships.get().user.email == "harbour.clinician@twofold.example"
    assert not Couple.objects.filter(clinic=harbour).exists()


def test_synthetic_couples_belong_to_dr_riveras_caseload() -> None:
    run(couples=5)
    synthetic = Couple.objects.filter(partners__user__email__startswith="demo.couple").distinct()
    assert synthetic.count() == 5
    for couple in synthetic:
        assert couple.clinic is not None and couple.clinic.name == "Riverside Clinic"
        assert couple.care_assignments.get().clinician.email == "clinician@twofold.example"


def test_synthetic_couples_have_history_within_the_past_weeks() -> None:
    run(couples=10, weeks=4)
    synthetic = Couple.objects.filter(partners__user__email__startswith="demo.couple").distinct()
    created = sorted(c.created_at for c in synthetic)
    assert created[0] < created[-1]
    assert AccessEvent.objects.filter(
        couple__in=synthetic, actor__email="clinician@twofold.example", what="couple.overview"
    ).exists()
    # The 5th and 10th have one partner and a waiting invitation; the 7th withdrew care.
    fifth = couple_of("demo.couple005.a@twofold.example")
    assert fifth.status == CoupleStatus.WAITING_FOR_PARTNER
    assert fifth.invitations.pending().get().email == "demo.couple005.b@twofold.example"
    seventh = couple_of("demo.couple007.a@twofold.example")
    assert seventh.consents.filter(kind=Consent.Kind.CARE, withdrawn_at__isnull=False).exists()


def test_synthetic_names_never_reuse_the_named_peoples_names() -> None:
    reserved = {"Alex", "Sam", "Robin", "Kai", "Jordan", "Morgan"}
    assert len(set(demo.SYNTHETIC_NAMES)) >= 60
    assert not reserved & set(demo.SYNTHETIC_NAMES)
    run(couples=12)
    names = set(
        User.objects.filter(email__startswith="demo.couple").values_list("display_name", flat=True)
    )
    assert names and not names & reserved


def test_synthetic_names_are_stable_and_two_different_people() -> None:
    for index in range(1, 400):
        a, b = demo.synthetic_names(index)
        assert a != b
        assert demo.synthetic_names(index) == (a, b)


def test_a_bigger_couples_count_on_a_second_run_adds_only_the_difference() -> None:
    run(couples=3)
    before = counts()
    run(couples=5)
    after = counts()
    assert after["Couple"] - before["Couple"] == 2
    assert after["CareAssignment"] - before["CareAssignment"] == 2
    assert Partner.objects.filter(user__email__startswith="demo.couple").count() == 9  # 5th: one
