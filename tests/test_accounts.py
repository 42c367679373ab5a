"""Sign-in rules: MFA for care staff, rate limits, idle timeout, sign-up details."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from tests.factories import PASSWORD, UserFactory, make_staff
from twofold.accounts.models import User


def test_clinician_without_mfa_is_sent_to_set_it_up_before_seeing_couples(
    client_for, clinic, couple
):
    newcomer = make_staff(clinic, "clinician", mfa=False, display_name="New clinician")
    response = client_for(newcomer).get("/care/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # The safety page stays reachable.
    assert client_for(newcomer).get("/safety/").status_code == 200


def test_clinic_admin_without_mfa_is_sent_to_set_it_up(client_for, clinic):
    admin = make_staff(clinic, "admin", mfa=False)
    assert client_for(admin).get("/care/clinic/")["Location"] == "/accounts/2fa/totp/activate/"


def test_the_demo_setting_turns_mfa_enforcement_off(client_for, clinic, settings):
    settings.TWOFOLD_ENFORCE_STAFF_MFA = False
    newcomer = make_staff(clinic, "clinician", mfa=False)
    assert client_for(newcomer).get("/care/").status_code == 200


def test_partners_are_not_forced_to_enrol_mfa(client_for, partner_a, couple):
    assert client_for(partner_a).get("/").status_code == 200


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, partner_a):
    for _ in range(5):
        client.post("/accounts/login/", {"login": partner_a.email, "password": "wrong password"})
    response = client.post("/accounts/login/", {"login": partner_a.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in_before_the_limit(client, partner_a):
    client.post("/accounts/login/", {"login": partner_a.email, "password": "wrong password"})
    response = client.post("/accounts/login/", {"login": partner_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(partner_a.pk)


def test_sessions_end_after_thirty_quiet_minutes(client_for, partner_a, couple):
    import time_machine
    from django.utils import timezone

    client = client_for(partner_a)
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=25)):
        assert client.get("/").status_code == 200  # activity renews the session
    with time_machine.travel(start + timedelta(minutes=50)):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=81)):
        response = client.get("/")
        assert response.status_code == 200
        assert "Create an account" in response.content.decode()  # signed out: landing page


def test_passwords_are_hashed_with_argon2_outside_tests():
    import twofold.settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sign_up_asks_for_a_name_and_time_zone_and_sends_a_code(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "River@Example.org",
                "display_name": "River",
                "time_zone": "America/Toronto",
                "password1": "a long enough passphrase",
                "password2": "a long enough passphrase",
            },
        )
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.email, user.display_name, user.time_zone) == (
        "river@example.org",
        "River",
        "America/Toronto",
    )
    assert len(mail.outbox) == 1
    assert "therap" not in mail.outbox[0].body.lower()


def test_sign_up_with_an_unknown_time_zone_keeps_what_was_typed(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "river@example.org",
            "display_name": "River",
            "time_zone": "Mars/Olympus",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "We don&#x27;t know a time zone called “Mars/Olympus”" in body
    assert 'value="River"' in body
    assert not User.objects.exists()


def test_preferences_reject_an_unknown_time_zone_and_keep_the_name(client_for, partner_a, couple):
    response = client_for(partner_a).post("/me/", {"display_name": "Alexa", "time_zone": "Nowhere"})
    assert response.status_code == 400
    assert 'value="Alexa"' in response.content.decode()
    partner_a.refresh_from_db()
    assert partner_a.display_name == "Alex"


@pytest.mark.parametrize("path", ["/", "/safety/", "/accounts/login/"])
def test_every_page_has_quick_exit_and_safety_links(client, db, path):
    body = client.get(path).content.decode()
    assert "data-quick-exit" in body
    assert 'href="/safety/"' in body


def test_pages_send_a_strict_nonce_content_security_policy(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "'nonce-" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_page_titles_hold_no_health_words(client_for, partner_a, couple):
    import re

    body = client_for(partner_a).get("/").content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert title.strip() == "Home · Twofold"


def test_user_email_is_stored_lower_case(db):
    assert UserFactory(email="MiXeD@Example.org").email == "mixed@example.org"
