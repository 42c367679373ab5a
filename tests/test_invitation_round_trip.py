"""Signing up or signing in from an invitation comes back to it; an invited person who
reaches the start page is offered the invitation instead of a second, empty couple.

Everything goes through allauth's real views with the test client.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from twofold.accounts.models import User
from twofold.couples import actions
from twofold.couples.models import Couple, Invitation, Partner

NEW_PASSWORD = "a long enough passphrase"
RILEY = "riley@example.org"


@pytest.fixture
def jordan(db: None) -> User:
    user = UserFactory(email="jordan@example.org", display_name="Jordan")
    actions.start_couple(acting_user=user)
    return user


@pytest.fixture
def invitation_url(jordan: User, django_capture_on_commit_callbacks: Any) -> str:
    couple = Couple.objects.get(partners__user=jordan)
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_partner(couple, RILEY, acting_user=jordan, note="See you tonight")
    (message,) = mail.outbox
    match = re.search(r"https?://[^\s/]+(/invitations/[\w-]+/)", message.body)
    assert match, message.body
    mail.outbox.clear()
    return match.group(1)


def _link(page: str, text: str) -> str:
    match = re.search(r'<a href="([^"]+)" role="button"[^>]*>' + re.escape(text) + "<", page)
    assert match, f"no link {text!r} on the page"
    return html.unescape(match.group(1))


def _code(address: str) -> str:
    body = [m for m in mail.outbox if address in m.to][-1].body
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def _sign_up(client: Client, url: str, email: str, capture: Any) -> Any:
    """Submit allauth's sign-up form as the page at ``url`` renders it (its hidden ``next``)."""
    page = client.get(url).content.decode()
    hidden_next = re.search(r'name="next" value="([^"]*)"', page)
    data = {
        "email": email,
        "display_name": "Riley",
        "time_zone": "Europe/London",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    if hidden_next:
        data["next"] = html.unescape(hidden_next.group(1))
    with capture(execute=True):
        return client.post(urlsplit(url).path, data)


def _accept_lands_on_consent(client: Client, invitation_url: str) -> None:
    page = client.get(invitation_url).content.decode()
    assert "Accept and join" in page
    response = client.post(invitation_url + "accept/")
    assert response.status_code == 302
    assert response["Location"] == "/consent/participation/"
    riley = User.objects.get(email=RILEY)
    assert Partner.objects.filter(user=riley, left_at__isnull=True).exists()


# --- Sign up ------------------------------------------------------------------------------


def test_signing_up_from_the_invitation_comes_straight_back_to_it(
    invitation_url, django_capture_on_commit_callbacks
):
    client = Client()
    page = client.get(invitation_url).content.decode()
    signup_url = _link(page, "Create an account")
    assert parse_qs(urlsplit(signup_url).query)["next"] == [invitation_url]

    response = _sign_up(client, signup_url, RILEY, django_capture_on_commit_callbacks)

    # Opening the link proved the address: no code, straight back to the invitation.
    assert response.status_code == 302
    assert response["Location"] == invitation_url
    assert not [m for m in mail.outbox if RILEY in m.to]
    _accept_lands_on_consent(client, invitation_url)


def test_signing_up_with_a_code_to_type_still_comes_back_to_the_invitation(
    invitation_url, django_capture_on_commit_callbacks
):
    # The sign-up link opened somewhere the invitation page was not (another browser):
    # nothing proved the address yet, so allauth asks for the e-mailed code first.
    client = Client()
    signup_url = _link(Client().get(invitation_url).content.decode(), "Create an account")

    response = _sign_up(client, signup_url, RILEY, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] != invitation_url  # to the code page first
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(response["Location"], {"code": _code(RILEY)})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == invitation_url
    _accept_lands_on_consent(client, invitation_url)


def test_the_sign_in_link_on_the_sign_up_page_keeps_the_invitation(invitation_url):
    client = Client()
    signup_url = _link(client.get(invitation_url).content.decode(), "Create an account")
    page = client.get(signup_url).content.decode()
    login_link = re.search(r'<a href="(/accounts/login/\?[^"]*)"', page)
    assert login_link, "no sign-in link on the sign-up page"
    assert parse_qs(urlsplit(html.unescape(login_link.group(1))).query)["next"] == [invitation_url]


# --- Sign in ------------------------------------------------------------------------------


def test_signing_in_from_the_invitation_comes_straight_back_to_it(invitation_url):
    UserFactory(email=RILEY, display_name="Riley")
    client = Client()
    login_url = _link(client.get(invitation_url).content.decode(), "I already have an account")
    assert parse_qs(urlsplit(login_url).query)["next"] == [invitation_url]
    page = client.get(login_url).content.decode()
    assert f'name="next" value="{invitation_url}"' in page

    response = client.post(
        urlsplit(login_url).path, {"login": RILEY, "password": PASSWORD, "next": invitation_url}
    )

    assert response.status_code == 302
    assert response["Location"] == invitation_url
    _accept_lands_on_consent(client, invitation_url)


def test_signing_in_with_an_unconfirmed_address_confirms_it_and_comes_back(
    invitation_url, django_capture_on_commit_callbacks
):
    riley = UserFactory(email=RILEY, display_name="Riley")
    EmailAddress.objects.filter(user=riley).update(verified=False)
    client = Client()  # never opened the invitation page in this browser
    login_url = _link(Client().get(invitation_url).content.decode(), "I already have an account")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            urlsplit(login_url).path,
            {"login": RILEY, "password": PASSWORD, "next": invitation_url},
        )
    assert response.status_code == 302
    assert response["Location"] != invitation_url  # the code first
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(response["Location"], {"code": _code(RILEY)})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == invitation_url
    _accept_lands_on_consent(client, invitation_url)


# --- The start page -----------------------------------------------------------------------


@pytest.fixture
def riley(invitation_url: str) -> User:
    """Signed up without the link (their address confirmed): invited, not joined."""
    return UserFactory(email=RILEY, display_name="Riley")


def test_an_invited_person_on_the_start_page_is_offered_the_invitation(riley, client_for):
    page = client_for(riley).get("/").content.decode()

    assert "Jordan has invited you" in page
    invitation = Invitation.objects.get(email=RILEY)
    assert f'action="/couple/join/{invitation.pk}/"' in page
    assert "Start a space of your own instead" in page
    assert ">Start our space<" not in page
    assert "See you tonight" not in page  # the note is for the invitation page only


def test_starting_a_space_while_invited_creates_no_second_couple(riley, client_for):
    client = client_for(riley)
    couples = Couple.objects.count()

    response = client.post("/couple/start/", follow=True)

    assert Couple.objects.count() == couples
    assert not Partner.objects.filter(user=riley).exists()
    page = response.content.decode()
    assert "Your partner has already invited you" in page
    assert "Jordan has invited you" in page


def test_joining_from_the_start_page_goes_straight_on_to_consent(riley, jordan, client_for):
    invitation = Invitation.objects.get(email=RILEY)

    response = client_for(riley).post(f"/couple/join/{invitation.pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/consent/participation/"
    couple = Couple.objects.get(partners__user=jordan)
    assert {p.user for p in couple.seats()} == {jordan, riley}
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert Couple.objects.count() == 1


def test_a_person_who_would_rather_not_join_can_still_start_their_own(riley, client_for):
    response = client_for(riley).post("/couple/start/", {"on_my_own": "yes"})

    assert response.status_code == 302
    assert Partner.objects.filter(user=riley).exists()
    assert Invitation.objects.get(email=RILEY).is_pending  # nobody is told


def test_an_unconfirmed_address_is_offered_nothing_and_cannot_join(riley, client_for):
    EmailAddress.objects.filter(user=riley).update(verified=False)
    invitation = Invitation.objects.get(email=RILEY)
    client = client_for(riley)

    assert "has invited you" not in client.get("/").content.decode()
    assert client.post(f"/couple/join/{invitation.pk}/").status_code == 404
    assert client.post("/couple/start/").status_code == 302
    assert Partner.objects.filter(user=riley).exists()  # started on their own


def test_nobody_can_join_by_an_invitation_addressed_to_someone_else(
    invitation_url, client_for, partner_a
):
    invitation = Invitation.objects.get(email=RILEY)
    someone = UserFactory(email="someone@example.org")
    for person in (someone, partner_a):
        response = client_for(person).post(f"/couple/join/{invitation.pk}/")
        assert response.status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).is_pending


def test_a_withdrawn_invitation_is_no_longer_offered(riley, jordan, client_for):
    invitation = Invitation.objects.get(email=RILEY)
    client_for(jordan).post(f"/couple/invitations/{invitation.pk}/withdraw/")

    page = client_for(riley).get("/").content.decode()

    assert "has invited you" not in page
    assert ">Start our space<" in page
    assert client_for(riley).post(f"/couple/join/{invitation.pk}/").status_code == 302
    assert not Partner.objects.filter(user=riley).exists()
