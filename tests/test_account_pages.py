"""Sign-in, sign-up, e-mail and two-step pages are Twofold pages, in Twofold's words, and
the e-mails they send say nothing about what Twofold is for."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import allauth
import pytest
from allauth.account.adapter import get_adapter
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.template.loader import get_template, render_to_string
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, make_staff

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
OUR_TEMPLATES = Path(settings.BASE_DIR) / "twofold" / "templates"

ANON_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/done/",
    "/accounts/password/reset/key/1-not-a-key/",
    "/accounts/inactive/",
]
PARTNER_PAGES = [
    "/accounts/logout/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
]
STAFF_PAGES = [
    "/accounts/2fa/",
    "/accounts/2fa/reauthenticate/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
]
# Words that would tell a person looking over a shoulder, or at a shared inbox, what
# Twofold is for.
HEALTH_WORDS = (
    "sex",
    "rehabilitation",
    "intima",
    "therap",
    "clinic",
    "health",
    "erecti",
    "arousal",
    "treatment",
)
# allauth's own stiff or technical words, which Twofold's pages say otherwise.
ALLAUTH_WORDS = (
    "Sign In",
    "Sign Up",
    "Signup",
    "Two-Factor",
    "two-factor",
    "Reauthenticate",
    "reauthenticate",
    "Confirm Access",
    "Email Address",
    "Make Primary",
    "Re-send Verification",
    "Authenticator App",
    "Recovery Codes",
    "Password Reset",
    "Change Password",
    "Current Password",
    "Bad Token",
    "Menu:",
    "Messages:",
)


def _visible_text(html: str) -> str:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match
    return match.group(1).strip()


def _reauthenticated(client: Client) -> None:
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def staff_with_codes(clinic: Any) -> Any:
    member = make_staff(clinic, "clinician", email="rivera@example.org", display_name="Dr Rivera")
    RecoveryCodes.activate(member)
    return member


def _pages(who: str, partner_a: Any, staff: Any) -> list[tuple[str, str]]:
    """(path, page) for each allauth page the person can open."""
    client = Client()
    if who == "partner":
        client.force_login(partner_a)
        _reauthenticated(client)
        paths = PARTNER_PAGES
    elif who == "staff":
        client.force_login(staff)
        _reauthenticated(client)
        paths = STAFF_PAGES
    else:
        paths = ANON_PAGES
    pages = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, f"{path} as {who}: {response.status_code}"
        pages.append((path, response.content.decode()))
    return pages


@pytest.mark.parametrize("who", ["anon", "partner", "staff"])
def test_every_account_page_is_a_twofold_page(who, partner_a, couple, staff_with_codes):
    for path, page in _pages(who, partner_a, staff_with_codes):
        assert "data-quick-exit" in page, path
        assert '<a class="brand" href="/">Twofold</a>' in page, path
        assert 'href="/safety/"' in page, path
        assert "vendor/pico/pico.min.css" in page and "twofold/app.css" in page, path
        assert _title(page).endswith("· Twofold"), path
        assert page.count("<h1") == 1, path


@pytest.mark.parametrize("who", ["anon", "partner", "staff"])
def test_account_pages_speak_in_twofolds_words(who, partner_a, couple, staff_with_codes):
    for path, page in _pages(who, partner_a, staff_with_codes):
        text = _visible_text(page) + " " + _title(page)
        for stiff in ALLAUTH_WORDS:
            assert stiff not in text, f"{path} says {stiff!r}"
        for word in HEALTH_WORDS:
            assert word not in _title(page).lower(), f"{path}'s title says {word!r}"


def test_the_sign_in_page_in_a_few_words(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert _title(page) == "Sign in · Twofold"
    assert "<h1>Sign in</h1>" in page
    assert '<label for="id_login">E-mail address:</label>' in page
    assert "placeholder=" not in page.split("<main", 1)[1]
    assert "Forgot your password?" in page


def test_the_two_step_pages_in_a_few_words(client_for, clinician, staff_with_codes):
    page = client_for(staff_with_codes).get("/accounts/2fa/").content.decode()
    assert "<h1>Two-step sign-in</h1>" in page
    assert "Someone who learns your password still can't get in." in page
    assert "You have 10 of 10 codes left." in page
    assert "As a member of a care team you keep it on" in page
    assert '<a href="/me/">Your details</a>' in page  # the way back to the other settings


def test_the_second_step_of_signing_in_asks_for_the_apps_code(client, clinician):
    response = client.post("/accounts/login/", {"login": clinician.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    page = client.get("/accounts/2fa/authenticate/").content.decode()
    assert _title(page) == "Sign in · Twofold"
    assert "<h1>Two-step sign-in</h1>" in page
    assert "Open your authenticator app and enter the code it shows for Twofold." in page
    assert "one of your recovery codes" in page
    assert 'for="id_code"' in page


def test_a_wrong_password_is_answered_kindly(client, partner_a):
    page = client.post(
        "/accounts/login/", {"login": partner_a.email, "password": "not it"}
    ).content.decode()
    assert "That e-mail address and password don&#x27;t go together." in page


def test_signing_in_says_so_in_plain_words(client, partner_a):
    response = client.post("/accounts/login/", {"login": partner_a.email, "password": PASSWORD})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["You're signed in."]


# --- E-mails -------------------------------------------------------------------------


def _allauth_email_templates() -> list[str]:
    return sorted(
        str(path.relative_to(ALLAUTH_TEMPLATES))
        for folder in ("account/email", "mfa/email")
        for path in (ALLAUTH_TEMPLATES / folder).glob("*.txt")
    )


def test_every_email_allauth_can_send_is_written_by_twofold():
    for name in _allauth_email_templates():
        origin = Path(get_template(name).origin.name)
        assert OUR_TEMPLATES in origin.parents, f"{name} is still allauth's own"


def _email_context(user: Any) -> dict[str, Any]:
    return {
        "user": user,
        "site_name": "Twofold",
        "code": "ABCD-EFGH",
        "activate_url": "https://twofold.example/accounts/confirm-email/key/",
        "password_reset_url": "https://twofold.example/accounts/password/reset/key/1-key/",
        "signup_url": "https://twofold.example/accounts/signup/",
        "ip": "203.0.113.5",
        "user_agent": "Mozilla/5.0",
        "timestamp": timezone.now(),
        "email": "alex@example.org",
        "added_email": "alex.new@example.org",
        "deleted_email": "alex.old@example.org",
        "from_email": "alex.old@example.org",
        "to_email": "alex@example.org",
    }


def _sign_off() -> str:
    """The last line of Twofold's own e-mails (the invitation's)."""
    body = render_to_string(
        "front/emails/invitation_message.txt",
        {"inviter_name": "Alex", "accept_url": "https://x.example/", "expires_on": timezone.now()},
    )
    return body.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "prefix",
    sorted(
        {
            name.rsplit("_", 1)[0]
            for name in _allauth_email_templates()
            if name.endswith("_subject.txt")
        }
    ),
)
def test_emails_say_nothing_about_what_twofold_is_for_and_sign_off_as_twofold(prefix, partner_a):
    message = get_adapter().render_mail(prefix, partner_a.email, _email_context(partner_a))
    text = f"{message.subject}\n{message.body}"
    for word in HEALTH_WORDS:
        assert word not in text.lower(), f"{prefix} mentions {word!r}:\n{text}"
    assert message.subject.startswith("Twofold: ")
    assert "Twofold" in message.body
    assert message.body.strip().splitlines()[-1] == _sign_off() == "Twofold"
    assert "example.com" not in text and "Thank you for using" not in text
    assert "Mozilla" not in text  # the browser's own words are left out


def test_a_password_reset_email_is_neutral_end_to_end(
    client, partner_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": partner_a.email})
    assert response["Location"] == "/accounts/password/reset/done/"
    [message] = mail.outbox
    assert message.subject == "Twofold: Choose a new password"
    assert "/accounts/password/reset/key/" in message.body
    for word in HEALTH_WORDS:
        assert word not in message.body.lower()
