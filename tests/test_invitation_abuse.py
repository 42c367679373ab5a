"""Invitations cannot flood inboxes, and display names cannot smuggle links into e-mails."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tests.factories import UserFactory, make_couple
from twofold.accounts import ratelimits
from twofold.accounts.models import User
from twofold.couples.models import Couple, Invitation
from twofold.lib.mail import name_for_email

TOO_MANY = "a lot of invitations have gone out in a short time"

pytestmark = pytest.mark.django_db


def _waiting_partner(email: str, name: str = "Jordan") -> User:
    """Someone whose couple is started and who has not invited anyone yet."""
    user = UserFactory(email=email, display_name=name)
    make_couple(user)
    return user


def _invite(client_for, user, email, capture):
    with capture(execute=True):
        return client_for(user).post("/couple/invite/", {"email": email})


# --- Per sender and per recipient -------------------------------------------------------------


def test_a_partner_who_keeps_inviting_is_asked_kindly_to_wait_and_nothing_more_is_sent(
    client_for, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(ratelimits, "PER_SENDER", [(2, ratelimits.HOUR)])
    jordan = _waiting_partner("jordan@example.org")
    for n in range(2):
        response = _invite(
            client_for, jordan, f"riley{n}@example.org", django_capture_on_commit_callbacks
        )
        assert response.status_code == 200  # sent: the page shows the link once
    response = _invite(client_for, jordan, "riley9@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert TOO_MANY in response.content.decode()
    assert [m.to for m in mail.outbox] == [["riley0@example.org"], ["riley1@example.org"]]
    assert not Invitation.objects.filter(email="riley9@example.org").exists()


def test_the_limit_lifts_after_a_while(client_for, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(ratelimits, "PER_SENDER", [(1, ratelimits.HOUR)])
    jordan = _waiting_partner("jordan@example.org")
    _invite(client_for, jordan, "riley@example.org", django_capture_on_commit_callbacks)
    refused = _invite(client_for, jordan, "riley@example.org", django_capture_on_commit_callbacks)
    assert refused.status_code == 400
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        again = _invite(client_for, jordan, "riley@example.org", django_capture_on_commit_callbacks)
    assert again.status_code == 200
    assert len(mail.outbox) == 2


def test_one_address_cannot_be_buried_in_invitations_from_different_people(
    client_for, django_capture_on_commit_callbacks
):
    senders = [_waiting_partner(f"sender{n}@example.org", f"Sender {n}") for n in range(4)]
    answers = [
        _invite(client_for, s, "target@example.org", django_capture_on_commit_callbacks)
        for s in senders
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 400]
    # The refusal reads the same as the sender's own limit: it says nothing about others.
    assert TOO_MANY in answers[-1].content.decode()
    assert len(mail.outbox) == 3


def test_a_clinician_setting_up_couples_is_limited_too_and_a_refused_couple_is_not_created(
    client_for, clinician, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(ratelimits, "PER_SENDER", [(3, ratelimits.HOUR)])

    def new_couple(n):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(clinician).post(
                "/care/couples/new/",
                {
                    "first_name": "Ash",
                    "first_email": f"ash{n}@example.org",
                    "second_name": "Lee",
                    "second_email": f"lee{n}@example.org",
                },
            )

    assert new_couple(1).status_code == 302
    refused = new_couple(2)  # would be the fourth invitation
    assert refused.status_code == 400
    assert TOO_MANY in refused.content.decode()
    assert Couple.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["ash1@example.org", "lee1@example.org"]


def test_a_clinic_admin_inviting_staff_is_limited_too(
    client_for, clinic_admin, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(ratelimits, "PER_SENDER", [(1, ratelimits.HOUR)])

    def invite(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(clinic_admin).post(
                "/care/clinic/invite/", {"email": email, "role": "clinician"}
            )

    assert invite("first@example.org").status_code == 302
    refused = invite("second@example.org")
    assert TOO_MANY in refused.content.decode()
    assert [m.to for m in mail.outbox] == [["first@example.org"]]
    assert not Invitation.objects.filter(email="second@example.org").exists()


def test_counts_are_kept_under_a_hash_of_the_address_never_the_address(db, partner_a):
    from django.core.cache import cache

    now = time.time()
    ratelimits.check_invitation_rate(partner_a, "riley@example.org")
    keys = [
        key for key, _limit, _window in ratelimits._buckets(partner_a, "riley@example.org", now)
    ]
    assert len(cache.get_many(keys)) == len(keys)
    assert all("riley" not in key for key in keys)


# --- Display names ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["www.evil.example", "http://x.y"])
def test_an_invitation_from_a_name_that_looks_like_a_link_leaves_the_name_out(
    client_for, django_capture_on_commit_callbacks, name
):
    inviter = _waiting_partner("jordan@example.org", name)
    _invite(client_for, inviter, "riley@example.org", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert name not in message.body
    assert "evil.example" not in message.body and "x.y" not in message.body
    assert "You have been invited to join Twofold." in message.body


def test_an_invitation_from_an_ordinary_name_says_who_it_is_from(
    client_for, django_capture_on_commit_callbacks
):
    inviter = _waiting_partner("jordan@example.org", "Dr. Jo Lane")
    _invite(client_for, inviter, "riley@example.org", django_capture_on_commit_callbacks)
    assert "Dr. Jo Lane has invited you" in mail.outbox[0].body


@pytest.mark.parametrize(
    "name",
    [
        "www.evil.example",
        "http://x.y",
        "evil.example",
        "Sam evil.co.uk",
        "".join(chr(ord(c) + 0xFEE0) for c in "www.evil.example"),  # written full-width
        "evil\u200b.example",  # a zero-width space hidden before the dot
        "sam@evil.example",
        "mailto:sam",
        "198.51.100.7",
        "Sam\nClick here",
    ],
)
def test_names_a_mail_client_could_turn_into_a_link_are_kept_out_of_e_mails(name):
    assert name_for_email(name) == ""


@pytest.mark.parametrize("name", ["Alex", "Dr. Rivera", "Ana-María", "O'Brien", "Sam (they/them)"])
def test_ordinary_names_appear_in_e_mails_as_typed(name):
    assert name_for_email(name) == name


def test_sign_up_refuses_a_name_over_sixty_characters_with_a_clear_message(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "river@example.org",
            "display_name": "R" * 61,
            "time_zone": "Europe/London",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 200
    assert "Please keep the name to 60 characters or fewer." in response.content.decode()
    assert not User.objects.exists()


def test_your_details_refuse_a_name_over_sixty_characters_and_keep_the_old_one(
    client_for, partner_a, couple
):
    response = client_for(partner_a).post(
        "/me/",
        {
            "display_name": "A" * 61,
            "time_zone": "Europe/London",
            "reminders_enabled": "on",
            "quiet_hours_start": "21:00",
            "quiet_hours_end": "08:00",
        },
    )
    assert response.status_code == 400
    assert "Please keep the name to 60 characters or fewer." in response.content.decode()
    partner_a.refresh_from_db()
    assert partner_a.display_name == "Alex"


def test_the_name_column_holds_sixty_characters():
    assert User._meta.get_field("display_name").max_length == 60
