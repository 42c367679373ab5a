"""The one visibility rule: every model with partner data declares its audience."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
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


def test_clinic_admin_sees_no_partner_content(personas, couple, clinic_admin, clinician):
    CareNote.objects.create(couple=couple, author=clinician, text="note")
    for model in declared_partner_data_models():
        manager = model._default_manager
        if hasattr(manager, "visible_to"):
            assert not manager.visible_to(clinic_admin).exists(), model.__name__


@pytest.mark.parametrize("model", [Partner, Consent, Invitation, CareNote, CareAssignment])
def test_anonymous_sees_nothing(model, couple):
    assert not model.objects.visible_to(None).exists()


def test_the_couple_page_of_another_clinic_is_a_plain_404(client_for, other_clinician, couple):
    response = client_for(other_clinician).get(f"/care/couples/{couple.pk}/")
    missing = client_for(other_clinician).get("/care/couples/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content
