"""Invitations: hashed single-use tokens bound to an e-mail and a role, accepted by POST."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection as db_connection
from django.utils import timezone

from tests.factories import ClinicFactory, UserFactory, make_couple
from twofold.audit.models import AccessEvent
from twofold.care.models import ClinicMembership
from twofold.couples import actions
from twofold.couples.models import Couple, Invitation, Partner, hash_token
from twofold.lib.errors import ActionError

HEALTH_WORDS = re.compile(r"sex|rehabilit|therap|intima|erecti|pain|surgery|clinic", re.I)


def _invite_url(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://[^\s]+/invitations/([\w-]+)/", message.body)
    assert match, message.body
    return "/invitations/" + match.group(1) + "/"


@pytest.fixture
def jordan(db):
    user = UserFactory(email="jordan@example.org", display_name="Jordan")
    actions.start_couple(acting_user=user)
    return user


def _send(client_for, user, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client_for(user).post("/couple/invite/", {"email": email})


def test_partner_invitation_sends_a_neutral_email_and_stores_only_a_hash(
    client_for, jordan, django_capture_on_commit_callbacks
):
    response = _send(client_for, jordan, "Riley@Example.org", django_capture_on_commit_callbacks)
    # The page that sent it shows the link once (to pass on another way); nothing keeps it.
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["riley@example.org"]
    assert "Jordan has invited you" in message.body
    assert not HEALTH_WORDS.search(message.subject + message.body)
    token = _invite_url(message).split("/")[2]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.values_list().get())


def test_opening_the_link_does_not_accept_it_because_mail_scanners_follow_links(
    client_for, jordan, django_capture_on_commit_callbacks
):
    _send(client_for, jordan, "riley@example.org", django_capture_on_commit_callbacks)
    riley = UserFactory(email="riley@example.org", display_name="Riley")
    url = _invite_url(mail.outbox[0])
    response = client_for(riley).get(url)
    assert response.status_code == 200
    assert "Accept and join" in response.content.decode()
    assert not Partner.objects.filter(user=riley).exists()

    response = client_for(riley).post(url + "accept/")
    assert response.status_code == 302
    couple = Couple.objects.get(partners__user=jordan)
    assert {p.user for p in couple.seats()} == {jordan, riley}
    assert Invitation.objects.get().state == Invitation.State.ACCEPTED


def test_a_used_link_cannot_be_used_again(client_for, jordan, django_capture_on_commit_callbacks):
    _send(client_for, jordan, "riley@example.org", django_capture_on_commit_callbacks)
    url = _invite_url(mail.outbox[0])
    riley = UserFactory(email="riley@example.org")
    client_for(riley).post(url + "accept/")
    response = client_for(riley).get(url)
    assert "already been used" in response.content.decode()


def test_an_expired_link_explains_itself_and_changes_nothing(
    client_for, jordan, django_capture_on_commit_callbacks
):
    _send(client_for, jordan, "riley@example.org", django_capture_on_commit_callbacks)
    url = _invite_url(mail.outbox[0])
    riley = UserFactory(email="riley@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        page = client_for(riley).get(url)
        assert page.status_code == 410
        assert "This invitation has expired" in page.content.decode()
        response = client_for(riley).post(url + "accept/", follow=True)
    assert "This invitation has expired" in response.content.decode()
    assert not Partner.objects.filter(user=riley).exists()


def test_a_withdrawn_link_says_so(client_for, jordan, django_capture_on_commit_callbacks):
    _send(client_for, jordan, "riley@example.org", django_capture_on_commit_callbacks)
    url = _invite_url(mail.outbox[0])
    invitation = Invitation.objects.get()
    assert (
        client_for(jordan).post(f"/couple/invitations/{invitation.pk}/withdraw/").status_code == 302
    )
    riley = UserFactory(email="riley@example.org")
    response = client_for(riley).post(url + "accept/", follow=True)
    assert "withdrawn by the person who sent it" in response.content.decode()
    assert not Partner.objects.filter(user=riley).exists()


def test_the_wrong_account_is_told_to_switch_and_nothing_changes(
    client_for, jordan, django_capture_on_commit_callbacks
):
    _send(client_for, jordan, "riley@example.org", django_capture_on_commit_callbacks)
    url = _invite_url(mail.outbox[0])
    someone = UserFactory(email="someone@example.org")
    page = client_for(someone).get(url).content.decode()
    assert "sent to a different e-mail address" in page
    client_for(someone).post(url + "accept/")
    assert not Partner.objects.filter(user=someone).exists()
    assert Invitation.objects.get().is_pending


def test_a_partner_already_in_a_couple_cannot_join_another(
    client_for, jordan, django_capture_on_commit_callbacks
):
    _send(client_for, jordan, "alex@example.org", django_capture_on_commit_callbacks)
    alex = UserFactory(email="alex@example.org")
    make_couple(alex, UserFactory())
    response = client_for(alex).post(_invite_url(mail.outbox[0]) + "accept/", follow=True)
    assert "already part of a couple" in response.content.decode()
    assert Partner.objects.filter(user=alex).count() == 1


def test_a_new_invitation_replaces_the_waiting_one(
    client_for, jordan, django_capture_on_commit_callbacks
):
    _send(client_for, jordan, "first@example.org", django_capture_on_commit_callbacks)
    _send(client_for, jordan, "second@example.org", django_capture_on_commit_callbacks)
    states = dict(Invitation.objects.values_list("email", "revoked_at"))
    assert states["first@example.org"] is not None
    assert states["second@example.org"] is None


def test_inviting_your_own_address_is_refused_and_keeps_what_you_typed(client_for, jordan):
    response = client_for(jordan).post("/couple/invite/", {"email": "jordan@example.org"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "your own e-mail address" in body
    assert 'value="jordan@example.org"' in body
    assert not Invitation.objects.exists()


def test_a_malformed_address_gets_a_specific_error(client_for, jordan):
    response = client_for(jordan).post("/couple/invite/", {"email": "not an address"})
    assert response.status_code == 400
    assert "valid email" in response.content.decode().lower()
    assert 'value="not an address"' in response.content.decode()


def test_clinician_invites_a_couple_onto_their_caseload(
    client_for, clinician, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clinician).post(
            "/care/couples/new/",
            {
                "first_name": "Ash",
                "first_email": "ash@example.org",
                "second_name": "Lee",
                "second_email": "lee@example.org",
            },
        )
    assert response.status_code == 302
    couple = Couple.objects.get()
    assert couple.is_guided and couple.clinic.name == "Riverside Clinic"
    assert couple.care_assignments.get().clinician == clinician
    assert sorted(m.to[0] for m in mail.outbox) == ["ash@example.org", "lee@example.org"]
    assert all(not HEALTH_WORDS.search(m.body) for m in mail.outbox)
    assert AccessEvent.objects.filter(actor=clinician, action="write", couple=couple).exists()


def test_clinician_form_with_the_same_address_twice_keeps_the_typed_values(client_for, clinician):
    data = {
        "first_name": "Ash",
        "first_email": "ash@example.org",
        "second_name": "Lee",
        "second_email": "ASH@example.org",
    }
    response = client_for(clinician).post("/care/couples/new/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "different e-mail addresses" in body
    assert 'value="Lee"' in body
    assert not Couple.objects.exists()


def test_clinic_admin_invites_a_clinician_who_then_joins_the_clinic(
    client_for, clinic_admin, clinic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(clinic_admin).post(
            "/care/clinic/invite/", {"email": "new.clinician@example.org", "role": "clinician"}
        )
    newcomer = UserFactory(email="new.clinician@example.org")
    client_for(newcomer).post(_invite_url(mail.outbox[0]) + "accept/")
    assert ClinicMembership.objects.filter(clinic=clinic, user=newcomer, role="clinician").exists()


def test_a_partner_invitation_cannot_make_someone_a_clinician(db):
    other = ClinicFactory()
    with pytest.raises(Exception):  # noqa: B017 - the database refuses the combination
        Invitation.issue(
            email="x@example.org", role="clinician", clinic=other, couple=make_couple(UserFactory())
        )


def test_accepting_twice_gives_one_seat(client_for, jordan):
    _inv, raw = Invitation.issue(
        email="riley@example.org", role="partner", couple=Couple.objects.get(), invited_by=jordan
    )
    riley = UserFactory(email="riley@example.org")
    actions.accept_invitation(raw, acting_user=riley)
    with pytest.raises(ActionError):
        actions.accept_invitation(raw, acting_user=riley)
    assert Partner.objects.filter(user=riley).count() == 1


def _accept_at_the_same_moment(attempts: list[tuple[str, Any]]) -> list[str]:
    """Each attempt in its own thread, with its own database connection, released
    together; returns "accepted" or the refusal's code, in order."""
    from django.db import connection

    start = threading.Barrier(len(attempts))
    outcomes: list[str] = ["?"] * len(attempts)

    def attempt(index: int, raw: str, user: Any) -> None:
        try:
            start.wait(timeout=10)
            actions.accept_invitation(raw, acting_user=user)
            outcomes[index] = "accepted"
        except ActionError as refused:
            outcomes[index] = str(refused.code)
        except Exception as error:  # reported by the assertion below
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(i, raw, user))
        for i, (raw, user) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.skipif(
    db_connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite lets only one writer in at a time, so nothing races",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["the same person in two tabs", "two people for the last seat"])
def test_two_accepts_at_the_same_moment_fill_the_seat_once(jordan, who):
    couple = Couple.objects.get()
    riley = UserFactory(email="riley@example.org")
    _inv, riley_link = Invitation.issue(
        email=riley.email, role="partner", couple=couple, invited_by=jordan
    )
    if who == "the same person in two tabs":
        attempts = [(riley_link, riley), (riley_link, riley)]
    else:
        casey = UserFactory(email="casey@example.org")
        _other, casey_link = Invitation.issue(
            email=casey.email, role="partner", couple=couple, invited_by=jordan
        )
        attempts = [(riley_link, riley), (casey_link, casey)]

    outcomes = _accept_at_the_same_moment(attempts)

    assert outcomes.count("accepted") == 1, outcomes
    assert not [o for o in outcomes if o.startswith(("?", "error"))], outcomes
    seats = Partner.objects.filter(couple=couple, left_at__isnull=True)
    assert sorted(seats.values_list("seat", flat=True)) == [Partner.Seat.A, Partner.Seat.B]
    assert seats.exclude(user=jordan).count() == 1
    assert Invitation.objects.filter(accepted_at__isnull=False).count() == 1
