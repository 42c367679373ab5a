"""The care team's program page explains instead of failing, and names agreed directions."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.program_helpers import answer_all, open_everything
from twofold.audit.models import AccessEvent
from twofold.couples.models import Consent
from twofold.lib.content import ContentError
from twofold.program import actions, content


def _url(couple) -> str:
    return f"/care/couples/{couple.pk}/program/"


def test_a_partner_not_sharing_is_named_instead_of_a_missing_page(
    client_for, couple, partner_a, clinician
):
    plan = open_everything(couple)
    Consent.objects.filter(user=partner_a, kind="care").update(withdrawn_at=timezone.now())
    before = AccessEvent.objects.count()
    response = client_for(clinician).get(_url(couple))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alex is not sharing with the care team at the moment" in page
    assert plan.stage.title not in page
    # Nothing was shown, so nothing is recorded as read.
    assert AccessEvent.objects.count() == before


def test_another_clinic_still_gets_not_found(client_for, couple, partner_a, other_clinician):
    open_everything(couple)
    Consent.objects.filter(user=partner_a, kind="care").update(withdrawn_at=timezone.now())
    assert client_for(other_clinician).get(_url(couple)).status_code == 404


def test_approving_appears_only_when_both_are_ready(
    client_for, couple, partner_a, partner_b, clinician
):
    plan = open_everything(couple)
    page = client_for(clinician).get(_url(couple)).content.decode()
    assert "Approve moving on" not in page
    assert "once both partners have said they are ready" in page
    actions.set_ready(plan, True, acting_user=partner_a)
    assert "Approve moving on" not in client_for(clinician).get(_url(couple)).content.decode()
    actions.set_ready(plan, True, acting_user=partner_b)
    assert "Approve moving on" in client_for(clinician).get(_url(couple)).content.decode()


def test_the_overlap_names_each_agreed_direction(
    client_for, couple, partner_a, partner_b, clinician
):
    open_everything(couple)
    page = client_for(clinician).get(_url(couple)).content.decode()
    assert "Chest touch (Alex to Sam, Sam to Alex)" in page
    # Sam would rather only receive: only one direction is agreed.
    answer_all(partner_b, couple, "yes")
    actions.save_boundaries(couple, {"chest-touch-giving": "no"}, acting_user=partner_b)
    page = client_for(clinician).get(_url(couple)).content.decode()
    assert "Chest touch (Alex to Sam)" in page
    assert "Sam to Alex" not in page.split("Chest touch")[1].split(";")[0]
    assert "Touching your partner" not in page


def test_a_pair_without_its_care_label_is_refused(tmp_path):
    data = {
        "activities": [
            {"key": "x-giving", "label": "A", "group": "G", "physical": True,
             "pair": "x", "direction": "giving"},
            {"key": "x-receiving", "label": "B", "group": "G", "physical": True,
             "pair": "x", "direction": "receiving", "pair_label": "X"},
        ]
    }  # fmt: skip
    with pytest.raises(ContentError, match=r"activities\[0\]\.pair_label"):
        content.parse_activities(data, tmp_path / "activities.json")
