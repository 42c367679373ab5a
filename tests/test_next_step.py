"""One clear next step: join → agree → first check-in → first exercise, and no dead ends
on the way (accepting leads to consent, consent to the next step)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import UserFactory, make_couple
from twofold.accounts.models import User
from twofold.checkins.models import CheckIn, CheckInSchedule
from twofold.couples import actions
from twofold.couples.models import Consent, Couple, Invitation
from twofold.front.next_step import Facts, Step, facts_for, next_step, url_for
from twofold.program.models import Plan, PracticeLog

# --- The pure function ------------------------------------------------------------------

ALONE = Facts(partner_joined=False, invitation_waiting=False, i_agreed=False, partner_agreed=False)


@pytest.mark.parametrize(
    ("facts", "step"),
    [
        (ALONE, Step.INVITE),
        (Facts(False, False, True, False), Step.INVITE),
        (Facts(False, True, False, False), Step.AGREE),
        (Facts(False, True, True, False), Step.WAIT_FOR_PARTNER),
        (Facts(True, False, False, False), Step.AGREE),
        (Facts(True, False, False, True), Step.AGREE),
        (Facts(True, False, True, False), Step.WAIT_FOR_AGREEMENT),
        (Facts(True, False, True, True), Step.FIRST_CHECKIN),
        (Facts(True, False, True, True, i_practised=True), Step.FIRST_CHECKIN),
        (Facts(True, False, True, True, i_checked_in=True), Step.FIRST_EXERCISE),
        (Facts(True, False, True, True, i_checked_in=True, i_practised=True), Step.SETTLED),
    ],
    ids=lambda value: value.value if isinstance(value, Step) else "",
)
def test_the_next_step_follows_from_the_facts(facts, step):
    assert next_step(facts) == step


def test_every_step_has_a_place_to_take_it(db):
    assert url_for(Step.INVITE) == "/#invite-heading"
    assert url_for(Step.AGREE) == "/consent/participation/"
    assert url_for(Step.FIRST_CHECKIN) == "/check-in/"
    assert url_for(Step.FIRST_EXERCISE) == "/program/"
    for waiting in (Step.WAIT_FOR_PARTNER, Step.WAIT_FOR_AGREEMENT, Step.SETTLED):
        assert url_for(waiting) == "/"


# --- Facts from what the viewer may know ------------------------------------------------


def _check_in(couple: Couple, person: User, weeks_ago: int = 0) -> CheckIn:
    schedule = CheckInSchedule.objects.get(couple=couple)
    start = schedule.round_for(timezone.localdate() - timedelta(weeks=weeks_ago)).start
    return CheckIn.objects.create(
        couple=couple,
        owner=person,
        period_start=start,
        openness=6,
        sexual_comfort=5,
        mutual_support=7,
        stress=4,
        sleep_quality=6,
        mood=6,
    )


def _practise(couple: Couple, person: User) -> PracticeLog:
    plan = Plan.objects.get(couple=couple)
    return PracticeLog.objects.create(
        plan=plan,
        couple=couple,
        owner=person,
        exercise_key=plan.stage.exercises[0].key,
        stage_index=0,
        comfort=5,
        anxiety=4,
        closeness=6,
        pleasure=5,
    )


def test_the_partners_check_in_and_practice_are_not_the_viewers(partner_a, partner_b):
    couple = make_couple(partner_a, partner_b)
    _check_in(couple, partner_b)
    _practise(couple, partner_b)

    facts = facts_for(Couple.objects.with_status().get(pk=couple.pk), partner_a)

    assert (facts.i_checked_in, facts.i_practised) == (False, False)
    assert next_step(facts) == Step.FIRST_CHECKIN


def test_a_check_in_of_any_round_counts_as_the_first(partner_a, partner_b):
    couple = make_couple(partner_a, partner_b)
    _check_in(couple, partner_a, weeks_ago=3)
    _practise(couple, partner_a)

    facts = facts_for(Couple.objects.with_status().get(pk=couple.pk), partner_a)

    assert next_step(facts) == Step.SETTLED


def test_the_facts_come_from_participation_never_from_answers(partner_a, partner_b, monkeypatch):
    # Answers are read through visible_to; the next step must not need them at all.
    couple = make_couple(partner_a, partner_b)
    _check_in(couple, partner_a)

    def no_answers(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the next step read check-in answers")

    monkeypatch.setattr(CheckIn.objects, "visible_to", no_answers)
    monkeypatch.setattr(PracticeLog.objects, "visible_to", no_answers)

    facts = facts_for(Couple.objects.with_status().get(pk=couple.pk), partner_a)
    assert facts.i_checked_in


# --- The card on the home page ----------------------------------------------------------


def _card(client: Any) -> tuple[str, str]:
    body = client.get("/").content.decode()
    match = re.search(r'<article class="next-step"[^>]*data-next-step="([a-z_]+)"', body)
    assert match, "no next-step card"
    card = body[match.start() : body.index("</article>", match.start())]
    return match.group(1), card


def _checklist_open(client: Any) -> bool:
    body = client.get("/").content.decode()
    tag = re.search(r'<details class="setup-checklist"[^>]*>', body)
    assert tag, "no setup checklist"
    return " open" in tag.group(0)


def test_a_partner_on_their_own_is_asked_to_invite(client_for, partner_a):
    make_couple(partner_a, consent=False)
    step, card = _card(client_for(partner_a))
    assert step == "invite"
    assert "Invite your partner" in card
    assert 'href="/#invite-heading"' in card
    assert _checklist_open(client_for(partner_a))


def test_after_inviting_the_partner_agrees_then_waits(
    client_for, partner_a, django_capture_on_commit_callbacks
):
    couple = make_couple(partner_a, consent=False)
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_partner(couple, "riley@example.org", acting_user=partner_a)
    client = client_for(partner_a)
    step, card = _card(client)
    assert step == "agree"
    assert 'href="/consent/participation/"' in card

    actions.give_consent(couple, Consent.Kind.PARTICIPATION, acting_user=partner_a)
    step, card = _card(client)
    assert step == "wait_for_partner"
    assert "Waiting for your partner to join" in card
    assert 'href="/boundaries/"' in card  # theirs alone, meanwhile


def test_a_partner_who_joined_is_asked_to_agree_then_waits_for_the_other(
    client_for, partner_a, partner_b
):
    couple = make_couple(partner_a, partner_b, consent=False)
    client = client_for(partner_b)
    assert _card(client)[0] == "agree"

    actions.give_consent(couple, Consent.Kind.PARTICIPATION, acting_user=partner_b)
    step, card = _card(client)
    assert step == "wait_for_agreement"
    assert f"Waiting for {partner_a.display_name} to agree" in card


def test_an_open_couple_is_asked_for_the_first_check_in_then_the_first_exercise(
    client_for, partner_a, partner_b
):
    couple = make_couple(partner_a, partner_b)
    client = client_for(partner_a)
    step, card = _card(client)
    assert step == "first_checkin"
    assert "Your first check-in" in card
    assert 'href="/check-in/"' in card
    assert not _checklist_open(client)  # everything is set up: folded away

    _check_in(couple, partner_a)
    step, card = _card(client)
    assert step == "first_exercise"
    assert "Try your first exercise" in card
    assert 'href="/program/"' in card

    _practise(couple, partner_a)
    step, card = _card(client)
    assert step == "settled"
    assert "all set up" in card


def test_the_card_is_one_card(client_for, partner_a, partner_b):
    make_couple(partner_a, partner_b)
    body = client_for(partner_a).get("/").content.decode()
    assert body.count('class="next-step"') == 1


# --- No dead ends: accept → consent → next step ------------------------------------------


@pytest.fixture
def invited(partner_a: User, django_capture_on_commit_callbacks: Any) -> tuple[Couple, str]:
    couple = make_couple(partner_a)  # partner A has agreed already
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_partner(couple, "riley@example.org", acting_user=partner_a)
    match = re.search(r"/invitations/[\w-]+/", mail.outbox[0].body)
    assert match
    return couple, match.group(0)


def test_accepting_leads_straight_to_consent_and_consent_to_the_first_check_in(invited, client_for):
    _couple, url = invited
    riley = UserFactory(email="riley@example.org")
    client = client_for(riley)

    accepted = client.post(url + "accept/")
    assert accepted["Location"] == "/consent/participation/"
    page = client.get(accepted["Location"]).content.decode()
    assert "You&#x27;ve joined. Welcome to Twofold." in page
    assert "Record my consent" in page

    consented = client.post("/consent/participation/", {"agree": "on"})
    assert consented["Location"] == "/next/"
    onward = client.get("/next/")
    assert onward.status_code == 302
    assert onward["Location"] == "/check-in/"  # the couple just opened
    assert "Thank you. Your consent is recorded." in client.get("/check-in/").content.decode()


def test_the_first_to_agree_is_sent_home_where_the_card_says_what_they_wait_for(
    client_for, partner_a, partner_b
):
    make_couple(partner_a, partner_b, consent=False)
    client = client_for(partner_a)

    consented = client.post("/consent/participation/", {"agree": "on"})

    assert consented["Location"] == "/next/"
    assert client.get("/next/")["Location"] == "/"
    assert _card(client)[0] == "wait_for_agreement"


def test_with_a_care_team_agreeing_leads_on_to_the_optional_sharing_choice(
    client_for, partner_a, partner_b, clinic, clinician
):
    make_couple(
        partner_a, partner_b, clinic=clinic, clinician=clinician, consent=False, care_consent=False
    )
    client = client_for(partner_a)

    consented = client.post("/consent/participation/", {"agree": "on"})
    assert consented["Location"] == "/consent/care/"

    page = client.get("/consent/care/").content.decode()
    not_now = re.search(r'<a href="([^"]+)"[^>]*>Not now</a>', page)
    assert not_now and not_now.group(1) == "/next/"
    shared = client.post("/consent/care/", {"agree": "on"})
    assert shared["Location"] == "/next/"


def test_not_now_on_the_taking_part_consent_goes_home(client_for, partner_a, partner_b):
    make_couple(partner_a, partner_b, consent=False)
    page = client_for(partner_a).get("/consent/participation/").content.decode()
    not_now = re.search(r'<a href="([^"]+)"[^>]*>Not now</a>', page)
    assert not_now and not_now.group(1) == "/"


@pytest.mark.parametrize(
    ("how_far", "where"),
    [("alone", "/#invite-heading"), ("open", "/check-in/"), ("checked_in", "/program/")],
)
def test_the_next_step_address_goes_where_the_step_is_taken(
    how_far, where, client_for, partner_a, partner_b
):
    if how_far == "alone":
        make_couple(partner_a)
    else:
        couple = make_couple(partner_a, partner_b)
        if how_far == "checked_in":
            _check_in(couple, partner_a)

    response = client_for(partner_a).get("/next/")

    assert response.status_code == 302
    assert response["Location"] == where


def test_a_clinic_invitation_still_goes_home(client_for, clinic, clinic_admin):
    _invitation, raw = Invitation.issue(
        email="new.clinician@example.org",
        role=Invitation.Role.CLINICIAN,
        clinic=clinic,
        invited_by=clinic_admin,
    )
    person = UserFactory(email="new.clinician@example.org")
    response = client_for(person).post(f"/invitations/{raw}/accept/")
    assert response["Location"] == "/"
