"""Sign-in and abuse: re-authentication and notices, enumeration, client address, floods."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.factories import PASSWORD
from twofold.accounts.models import User
from twofold.audit.recording import context_for_request
from twofold.lib.net import client_ip

NEW_PASSWORD = "a different long passphrase"
# Words that must never appear in an account e-mail (a notice says what changed, not why).
HEALTH_WORDS = ("therap", "sexual", "rehab", "intima", "health", "clinic", "partner", "couple")


def _signed_in(user: User) -> Client:
    """A client that signed in with the password just now (a fresh authentication)."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _confirmed(user: User) -> Client:
    """Signed in, and the password given again just now (allauth's re-authentication)."""
    client = _signed_in(user)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _stale() -> time_machine.travel:
    """Ten minutes later: past the five minutes a password confirmation lasts."""
    return time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False)


def _second_address(user: User, email: str = "alex.new@example.org") -> EmailAddress:
    return EmailAddress.objects.create(user=user, email=email, verified=True, primary=False)


def _assert_neutral(message: Any) -> None:
    text = (message.subject + "\n" + message.body).lower()
    for word in HEALTH_WORDS:
        assert word not in text, f"{word!r} in an account e-mail: {message.subject}"


# --- Re-authentication before changing addresses or the password -------------------------


def test_adding_an_address_asks_for_the_password_again_once_the_confirmation_is_stale(
    partner_a, django_capture_on_commit_callbacks
):
    client = _confirmed(partner_a)
    with _stale(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/email/", {"action_add": "", "email": "someone.else@example.org"}
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert not mail.outbox  # no code went to the new address
        assert not EmailAddress.objects.filter(email="someone.else@example.org").exists()

        # Once the password is given again, the suspended request goes through.
        response = client.post(response["Location"], {"password": PASSWORD}, follow=False)
    assert [m.to for m in mail.outbox] == [["someone.else@example.org"]]


def test_adding_an_address_goes_straight_through_just_after_giving_the_password(
    partner_a, django_capture_on_commit_callbacks
):
    client = _confirmed(partner_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/email/", {"action_add": "", "email": "someone.else@example.org"}
        )
    assert not response["Location"].startswith("/accounts/reauthenticate/")
    assert [m.to for m in mail.outbox] == [["someone.else@example.org"]]


@pytest.mark.parametrize("action", ["action_remove", "action_primary"])
def test_removing_or_switching_an_address_asks_for_the_password_again_when_stale(partner_a, action):
    second = _second_address(partner_a)
    client = _confirmed(partner_a)
    with _stale():
        response = client.post("/accounts/email/", {action: "", "email": second.email})
    assert response["Location"].startswith("/accounts/reauthenticate/")
    second.refresh_from_db()
    assert EmailAddress.objects.filter(pk=second.pk, primary=False).exists()


def test_signing_in_alone_is_not_enough_to_remove_an_address(partner_a):
    second = _second_address(partner_a)
    response = _signed_in(partner_a).post(
        "/accounts/email/", {"action_remove": "", "email": second.email}
    )
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert EmailAddress.objects.filter(pk=second.pk).exists()


def test_changing_the_password_needs_the_current_one(partner_a):
    client = _signed_in(partner_a)
    with _stale():
        page = client.get("/accounts/password/change/").content.decode()
        assert 'name="oldpassword"' in page
        client.post(
            "/accounts/password/change/",
            {
                "oldpassword": "not my password",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
    partner_a.refresh_from_db()
    assert partner_a.check_password(PASSWORD)


# --- The old address hears about every change ----------------------------------------------


def test_switching_the_main_address_tells_the_old_one(
    partner_a, django_capture_on_commit_callbacks
):
    second = _second_address(partner_a)
    client = _confirmed(partner_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_primary": "", "email": second.email})
    assert EmailAddress.objects.get(pk=second.pk).primary
    notices = [m for m in mail.outbox if m.to == [partner_a.email]]
    assert len(notices) == 1
    assert "alex.new@example.org" in notices[0].body
    _assert_neutral(notices[0])


def test_removing_an_address_tells_the_main_address_and_the_removed_one(
    partner_a, django_capture_on_commit_callbacks
):
    second = _second_address(partner_a)
    client = _confirmed(partner_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_remove": "", "email": second.email})
    assert not EmailAddress.objects.filter(pk=second.pk).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [second.email, partner_a.email]
    for message in mail.outbox:
        _assert_neutral(message)


def test_adding_an_address_tells_the_main_address_once_the_new_one_is_confirmed(
    partner_a, django_capture_on_commit_callbacks
):
    client = _confirmed(partner_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_add": "", "email": "alex.new@example.org"})
    (code_mail,) = mail.outbox
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", code_mail.body, re.M).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/confirm-email/", {"code": code})
    assert EmailAddress.objects.filter(email="alex.new@example.org", verified=True).exists()
    notices = [m for m in mail.outbox if m.to == [partner_a.email]]
    assert len(notices) == 1
    assert "alex.new@example.org" in notices[0].body
    _assert_neutral(notices[0])


def test_changing_the_password_tells_the_account_address(
    partner_a, django_capture_on_commit_callbacks
):
    client = _signed_in(partner_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    partner_a.refresh_from_db()
    assert partner_a.check_password(NEW_PASSWORD)
    (notice,) = mail.outbox
    assert notice.to == [partner_a.email]
    assert "password" in notice.subject.lower()
    _assert_neutral(notice)


def test_a_notice_does_not_repeat_what_the_browser_says_about_itself(
    partner_a, django_capture_on_commit_callbacks
):
    client = Client(HTTP_USER_AGENT="Click www.evil.example to keep your account")
    client.post("/accounts/login/", {"login": partner_a.email, "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    (notice,) = mail.outbox
    assert "evil.example" not in notice.body


# --- Sign-up gives nothing away ---------------------------------------------------------------


class CountingHasher(MD5PasswordHasher):
    """Fast, and counts how often a password is hashed."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password: str, salt: str) -> str:
        type(self).calls += 1
        return super().encode(password, salt)


def _sign_up(client: Client, email: str) -> Any:
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": "River",
            "time_zone": "Europe/London",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )


def test_signing_up_with_a_taken_address_looks_like_signing_up_with_a_new_one(
    partner_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = _sign_up(Client(), partner_a.email)
        new = _sign_up(Client(), "river@example.org")
    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    assert User.objects.filter(email=partner_a.email).count() == 1
    # Each address got one e-mail: a code for the new one, a "you already have an account"
    # note for the taken one (which never says so on the page).
    assert sorted(m.to[0] for m in mail.outbox) == [partner_a.email, "river@example.org"]


def test_signing_up_with_a_taken_address_hashes_the_password_like_a_new_account(
    partner_a, settings
):
    settings.PASSWORD_HASHERS = ["tests.test_signin_security.CountingHasher"]
    CountingHasher.calls = 0
    _sign_up(Client(), "river@example.org")
    new_account = CountingHasher.calls
    CountingHasher.calls = 0
    _sign_up(Client(), partner_a.email)
    assert new_account >= 1
    assert CountingHasher.calls == new_account


# --- The client's address behind trusted proxies --------------------------------------------


def _request(remote: str = "10.0.0.1", forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TWOFOLD_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("192.0.2.10", "203.0.113.99")) == "192.0.2.10"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.TWOFOLD_TRUSTED_PROXY_COUNT = 1
    # The client wrote "203.0.113.99" itself; our proxy appended what it saw.
    assert client_ip(_request("10.0.0.1", "203.0.113.99, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.1", "198.51.100.7")) == "198.51.100.7"


def test_behind_two_proxies_the_second_address_from_the_right_is_the_client(settings):
    settings.TWOFOLD_TRUSTED_PROXY_COUNT = 2
    spoofed = "1.1.1.1, 2.2.2.2, 198.51.100.7, 10.0.0.5"
    assert client_ip(_request("10.0.0.1", spoofed)) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "198.51.100.7, ", "garbage, <script>"])
def test_a_header_that_cannot_be_trusted_falls_back_to_the_connecting_address(settings, forwarded):
    settings.TWOFOLD_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("10.0.0.1", forwarded)) == "10.0.0.1"


def test_ports_and_brackets_from_proxies_are_dropped(settings):
    settings.TWOFOLD_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("10.0.0.1", "198.51.100.7:5123")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.1", "[2001:db8::1]:443")) == "2001:db8::1"
    assert client_ip(_request("10.0.0.1", "2001:db8::1")) == "2001:db8::1"


def test_the_audit_records_the_same_client_address(settings):
    settings.TWOFOLD_TRUSTED_PROXY_COUNT = 1
    request = _request("10.0.0.1", "203.0.113.99, 198.51.100.7")
    assert context_for_request(request).ip_address == "198.51.100.7"


def test_a_care_page_view_is_logged_with_the_address_behind_the_proxy(
    settings, client_for, clinician, couple
):
    from twofold.audit.models import AccessEvent

    settings.TWOFOLD_TRUSTED_PROXY_COUNT = 1
    client_for(clinician).get(
        f"/care/couples/{couple.pk}/",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7",
    )
    addresses = set(AccessEvent.objects.values_list("ip_address", flat=True))
    assert addresses == {"198.51.100.7"}


# --- A flood of wrong passwords ---------------------------------------------------------------


def _wrong_passwords(user: User, times: int, **address: str) -> None:
    client = Client()
    for _ in range(times):
        client.post(
            "/accounts/login/", {"login": user.email, "password": "wrong password"}, **address
        )


def _signs_in(user: User, **address: str) -> bool:
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}, **address)
    return client.session.get("_auth_user_id") == str(user.pk)


def test_wrong_passwords_from_one_address_do_not_lock_the_person_out_elsewhere(partner_a):
    _wrong_passwords(partner_a, 20, REMOTE_ADDR="203.0.113.66")
    assert not _signs_in(partner_a, REMOTE_ADDR="203.0.113.66")  # the flooding address waits
    assert _signs_in(partner_a, REMOTE_ADDR="198.51.100.7")  # the person does not


def test_wrong_passwords_from_one_address_do_not_lock_out_others_behind_the_same_proxy(
    settings, partner_a, partner_b
):
    settings.TWOFOLD_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    _wrong_passwords(partner_a, 20, HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
    assert _signs_in(partner_a, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert _signs_in(partner_b, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)


def test_a_spoofed_forwarded_header_does_not_escape_the_limit(settings, partner_a):
    settings.TWOFOLD_TRUSTED_PROXY_COUNT = 1
    client = Client()
    for n in range(20):
        client.post(
            "/accounts/login/",
            {"login": partner_a.email, "password": "wrong password"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66",
        )
    assert not _signs_in(
        partner_a, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.66"
    )
