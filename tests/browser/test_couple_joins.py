"""Two people, two browsers: one signs up and invites, the other joins, both consent."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import check_a11y, code_from_mail, latest_mail_to

PASSWORD = "a long and private phrase 42"
HEALTH_WORDS = ("sex", "rehabilitation", "therapy", "intimacy")


def fill_signup(page: Page, name: str, email: str | None = None) -> None:
    if email is not None:
        page.get_by_label("Email").fill(email)
    page.get_by_label("Name to show").fill(name)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()


def give_consent(page: Page) -> None:
    page.get_by_role("link", name="Read and agree to taking part").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("I have read this and I agree").check()
    page.get_by_role("button", name="Record my consent").click()
    expect(page.get_by_text("Thank you. Your consent is recorded.")).to_be_visible()


def test_a_couple_signs_up_invites_joins_and_consents(
    transactional_db: None, live_server: Any, new_context: Any
) -> None:
    alex_email, sam_email = "alex.k@example.org", "sam.k@example.org"

    # a. Alex signs up, confirms the e-mailed code and starts the couple's space.
    alex_context: BrowserContext = new_context()
    alex = alex_context.new_page()
    alex.goto(live_server.url)
    expect(alex.get_by_role("heading", name="Work through it together")).to_be_visible()
    check_a11y(alex)

    alex.get_by_role("main").get_by_role("button", name="Create an account").click()
    expect(alex.get_by_label("Name to show")).to_be_visible()
    check_a11y(alex)
    fill_signup(alex, "Alex", alex_email)

    code_field = alex.get_by_label("Code")
    expect(code_field).to_be_visible()
    code_field.fill(code_from_mail(alex_email))
    alex.get_by_role("button", name="Confirm").click()

    expect(alex.get_by_role("heading", name="Welcome, Alex")).to_be_visible()
    alex.get_by_role("button", name="Start our space").click()
    expect(alex.get_by_role("heading", name="Hello, Alex")).to_be_visible()
    alex.get_by_label("Your partner's e-mail address").fill(sam_email)
    alex.get_by_role("button", name="Send invitation").click()
    expect(alex.get_by_text(f"Invitation sent to {sam_email}.")).to_be_visible()
    expect(alex.get_by_text("Waiting for your partner to accept the invitation")).to_be_visible()
    check_a11y(alex)

    # b. The invitation e-mail: a link to this site, and no word about health.
    invitation = latest_mail_to(sam_email)
    text = f"{invitation.subject}\n{invitation.body}".lower()
    for word in HEALTH_WORDS:
        assert word not in text, f"the invitation e-mail mentions {word!r}"
    match = re.search(re.escape(live_server.url) + r"/invitations/[\w-]+/", invitation.body)
    assert match, invitation.body
    invitation_url = match.group(0)

    # c. Sam opens the link in another browser, signs up without a code and joins.
    sam_context: BrowserContext = new_context()
    sam = sam_context.new_page()
    sam.goto(invitation_url)
    expect(sam.get_by_text("Alex has invited you")).to_be_visible()
    check_a11y(sam)

    sam.get_by_role("main").get_by_role("button", name="Create an account").click()
    expect(sam.get_by_label("Email")).to_have_value(sam_email)
    fill_signup(sam, "Sam")

    # Opening the invitation proved Sam owns the address: no code to type, no e-mail.
    expect(sam).to_have_url(invitation_url)
    assert [m.subject for m in mail.outbox if sam_email in m.to] == [invitation.subject]
    sam.get_by_role("button", name="Accept and join").click()
    expect(sam.get_by_text("You've joined. Welcome to Twofold.")).to_be_visible()
    expect(sam.get_by_role("heading", name="Hello, Sam")).to_be_visible()
    check_a11y(sam)

    # d. Both agree to take part.
    give_consent(alex)
    give_consent(sam)

    # e. Each sees the couple is complete, and the other by name.
    alex.reload()
    expect(alex.get_by_text("You're both here")).to_be_visible()
    expect(alex.get_by_text("Sam has joined")).to_be_visible()
    expect(alex.get_by_text("Sam has agreed to take part")).to_be_visible()
    check_a11y(alex)

    sam.reload()
    expect(sam.get_by_text("You're both here")).to_be_visible()
    expect(sam.get_by_text("Alex has joined")).to_be_visible()
    expect(sam.get_by_text("Alex has agreed to take part")).to_be_visible()
    check_a11y(sam)
