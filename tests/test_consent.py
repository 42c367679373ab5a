"""Recorded, versioned, revocable consent; couple features unlock only with both."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory, make_couple
from twofold.couples import consent_texts
from twofold.couples.models import Consent, CoupleStatus
from twofold.couples.visibility import shared_care_couple_ids
from twofold.lib.content import ContentError


def _recently_reauthenticated(client):
    """Confirm the password, as allauth asks before sensitive actions."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def fresh_couple(partner_a, partner_b, clinic, clinician):
    return make_couple(
        partner_a, partner_b, clinic=clinic, clinician=clinician, consent=False, care_consent=False
    )


def test_couple_stays_locked_until_both_partners_consent(
    client_for, fresh_couple, partner_a, partner_b
):
    assert fresh_couple.status == CoupleStatus.WAITING_FOR_CONSENT
    response = client_for(partner_a).post("/consent/participation/", {"agree": "on"})
    assert response.status_code == 302
    page = client_for(partner_b).get("/").content.decode()
    assert "Alex has agreed to take part" in page
    assert "You&#x27;re both here" not in page
    client_for(partner_b).post("/consent/participation/", {"agree": "on"})
    fresh_couple.refresh_from_db()
    fresh_couple.__dict__.pop("active_consents", None)
    assert fresh_couple.is_active
    assert "both here" in client_for(partner_a).get("/").content.decode()


def test_consent_records_the_text_version_its_hash_and_the_time(
    client_for, fresh_couple, partner_a
):
    client_for(partner_a).post("/consent/participation/", {"agree": "on"})
    consent = Consent.objects.get(user=partner_a)
    text = consent_texts.current("participation")
    assert consent.version == text.version
    assert consent.text_sha256 == text.sha256
    assert abs((timezone.now() - consent.given_at).total_seconds()) < 5


def test_consent_without_the_tick_explains_and_records_nothing(client_for, fresh_couple, partner_a):
    response = client_for(partner_a).post("/consent/participation/", {})
    assert response.status_code == 400
    assert "Please tick the box if you agree" in response.content.decode()
    assert not Consent.objects.exists()


def test_withdrawing_asks_who_you_are_first(client_for, couple, partner_a):
    response = client_for(partner_a).post("/consent/care/withdraw/")
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    assert Consent.objects.filter(user=partner_a, kind="care", withdrawn_at=None).exists()


def test_withdrawing_care_consent_stops_sharing_but_deletes_nothing(
    client_for, couple, partner_a, clinician
):
    assert couple.pk in set(shared_care_couple_ids(clinician).values_list("pk", flat=True))
    client = client_for(partner_a)
    _recently_reauthenticated(client)
    response = client.post("/consent/care/withdraw/")
    assert response.status_code == 302
    consent = Consent.objects.get(user=partner_a, kind="care")
    assert consent.withdrawn_at is not None
    assert not shared_care_couple_ids(clinician).filter(pk=couple.pk).exists()
    # The care relationship itself is still there; only sharing stopped.
    assert Consent.objects.filter(user=partner_a).count() == 2


def test_withdrawing_taking_part_locks_the_couple_features_again(client_for, couple, partner_a):
    client = client_for(partner_a)
    _recently_reauthenticated(client)
    client.post("/consent/participation/withdraw/")
    couple.__dict__.pop("active_consents", None)
    assert couple.status == CoupleStatus.WAITING_FOR_CONSENT
    assert Consent.objects.filter(user=partner_a, kind="participation").exists()


def test_consent_can_be_given_again_after_withdrawal(client_for, couple, partner_a):
    client = client_for(partner_a)
    _recently_reauthenticated(client)
    client.post("/consent/care/withdraw/")
    client.post("/consent/care/", {"agree": "on"})
    assert Consent.objects.filter(user=partner_a, kind="care").count() == 2
    assert Consent.objects.filter(user=partner_a, kind="care", withdrawn_at=None).count() == 1


def test_self_guided_couples_have_no_care_consent_page(client_for, db):
    robin = UserFactory(display_name="Robin")
    make_couple(robin, UserFactory())
    assert client_for(robin).get("/consent/care/").status_code == 404


def test_a_broken_consent_file_names_the_file_and_field(tmp_path):
    broken = tmp_path / "participation.json"
    broken.write_text('{"kind": "participation", "version": "1", "title": "T", "points": [""]}')
    with pytest.raises(ContentError) as excinfo:
        consent_texts.load(broken)
    assert "participation.json" in str(excinfo.value)
    assert "points[0]" in str(excinfo.value)


def test_the_care_consent_says_exactly_what_the_care_team_sees():
    from twofold.checkins.models import CheckIn
    from twofold.couples import consent_texts
    from twofold.couples.visibility import CareWhileOwnerConsents, grants_of
    from twofold.program.models import BoundaryAnswer

    text = " ".join(consent_texts.current("care").points)
    # Check-in answers reach the care team whole, items kept from the partner included:
    # the text must say so, or a person could think "private" means private from everyone.
    assert CareWhileOwnerConsents() in grants_of(CheckIn)
    assert "including any you keep from your partner" in text
    # Boundary answers never reach anyone but their owner.
    assert all(not isinstance(g, CareWhileOwnerConsents) for g in grants_of(BoundaryAnswer))
    assert "never see your boundary answers" in text


def test_the_participation_consent_says_who_twofold_is_not_for_right_now():
    from twofold.couples import consent_texts

    text = " ".join(consent_texts.current("participation").points)
    assert "afraid of your partner" in text and "pushed into taking part" in text
    assert "Safety and support" in text
