"""The one visibility rule: every model with partner data declares its audience."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import get_resolver, reverse
from django.utils import timezone

from twofold.audit.models import AccessEvent
from twofold.care.models import CareAssignment, CareNote, ClinicMembership
from twofold.couples.models import Consent, Couple, Invitation, Partner
from twofold.couples.visibility import Audience, declared_partner_data_models

# Models that mention a couple but are scoped by their own documented rule.
OWN_SCOPING = {AccessEvent: "audit: AccessEvent.objects.about(user) / for_clinic_admin(user)"}


def test_every_model_that_refers_to_a_couple_declares_an_audience():
    undeclared = []
    for model in apps.get_models():
        if model in OWN_SCOPING or not model.__module__.startswith("twofold."):
            continue
        refers = model is Couple or any(
            isinstance(f, models.ForeignKey) and f.related_model is Couple
            for f in model._meta.get_fields()
        )
        if refers and not isinstance(getattr(model, "audience", None), Audience):
            undeclared.append(model.__name__)
    assert not undeclared, f"declare an audience on: {undeclared}"
    assert set(declared_partner_data_models()) >= {Couple, Partner, Invitation, Consent, CareNote}


def _who_sees(queryset_for, personas):
    return {name for name, user in personas.items() if queryset_for(user).exists()}


def test_couple_is_seen_by_both_partners_and_their_clinician_only(personas, couple):
    seen = _who_sees(lambda u: Couple.objects.visible_to(u).filter(pk=couple.pk), personas)
    assert seen == {"partner_a", "partner_b", "clinician"}


def test_care_notes_are_seen_by_the_care_team_and_never_by_partners(personas, couple, clinician):
    note = CareNote.objects.create(couple=couple, author=clinician, text="Both keen to go slowly.")
    seen = _who_sees(lambda u: CareNote.objects.visible_to(u).filter(pk=note.pk), personas)
    assert seen == {"clinician"}


def test_consent_records_are_couple_records(personas, couple):
    seen = _who_sees(lambda u: Consent.objects.visible_to(u).filter(couple=couple), personas)
    assert seen == {"partner_a", "partner_b", "clinician"}


def test_a_clinician_who_leaves_the_clinic_loses_the_couple_at_once(personas, couple, clinician):
    ClinicMembership.objects.filter(user=clinician).update(ended_at=timezone.now())
    assert not Couple.objects.visible_to(clinician).exists()


def test_a_clinician_taken_off_the_care_team_loses_the_couple(couple, clinician):
    CareAssignment.objects.filter(clinician=clinician).update(ended_at=timezone.now())
    assert not Couple.objects.visible_to(clinician).exists()


def test_a_partner_who_left_no_longer_sees_the_couple(couple, partner_b):
    Partner.objects.filter(user=partner_b).update(left_at=timezone.now())
    assert not Couple.objects.visible_to(partner_b).exists()


def _one_row_of_every_declared_model(world: Any) -> list[models.Model]:
    """Rows of every declared model, shared as widely as partners can share them, each
    text field holding a marker that must never reach the clinic admin."""
    from tests.test_audiences import CASES

    built: list[models.Model] = []
    # Last case first: later cases build on earlier rows (revisions need both check-ins).
    for name, model, build, _seen_by in reversed(CASES):
        if any(word in name for word in ("withdrawn", "stopped sharing", "left")):
            continue
        try:
            with transaction.atomic():
                row = build(world)
        except IntegrityError:  # one already exists, e.g. a talk or this round's check-in
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.TextField)
            and not f.choices
            and isinstance(getattr(row, f.attname), str)
            and not getattr(row, f.attname).startswith(("{", "["))
        ]
        for field in fields:
            setattr(row, field, f"{MARKER}-{model.__name__}-{field}")
        if fields:
            row.save(update_fields=fields)
        built.append(row)
    missing = [
        m.__name__ for m in declared_partner_data_models() if not m._default_manager.exists()
    ]
    assert not missing, f"no row of {missing}: add a case in tests/test_audiences.py"
    return built


MARKER = "only-for-the-couple-3c9e"


def test_clinic_admin_sees_no_partner_content_through_the_policy_or_any_page(
    personas, couple, partner_a, partner_b, clinic_admin, clinician, client_for
):
    from tests.test_audiences import World, _plan
    from tests.test_authorization_matrix import MATRIX, _walk, build_world

    urls_world = build_world(couple, clinician)
    world = World(couple=couple, a=partner_a, b=partner_b, clinician=clinician, plan=_plan(couple))
    _one_row_of_every_declared_model(world)

    for model in declared_partner_data_models():
        assert not model._default_manager.visible_to(clinic_admin).exists(), model.__name__

    admin = client_for(clinic_admin)
    pages = 0
    for route, name, _converters in _walk(get_resolver().url_patterns):
        if name is None or (route.startswith("accounts/") and "<" in route):
            continue
        kwargs = MATRIX[name].kwargs(urls_world) if name in MATRIX else {}
        response = admin.get(reverse(name, kwargs=kwargs), follow=True)
        assert response.status_code < 500, name
        assert MARKER not in response.content.decode(), f"{name} shows partner content"
        pages += 1
    assert pages >= len(MATRIX)


@pytest.mark.parametrize("model", [Partner, Consent, Invitation, CareNote, CareAssignment])
def test_anonymous_sees_nothing(model, couple):
    assert not model.objects.visible_to(None).exists()


def test_the_couple_page_of_another_clinic_is_a_plain_404(client_for, other_clinician, couple):
    response = client_for(other_clinician).get(f"/care/couples/{couple.pk}/")
    missing = client_for(other_clinician).get("/care/couples/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content
