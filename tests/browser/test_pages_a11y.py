"""Accessibility (axe, zero violations) of the pages each kind of person uses, and quick exit."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_a11y, sign_in
from tests.factories import PASSWORD
from tests.program_helpers import answer_all
from twofold.accounts.models import User
from twofold.couples.models import Couple
from twofold.journal import actions as journal_actions
from twofold.journal.models import Sharing


def test_safety_page_for_anyone(transactional_db: None, live_server: Any, page: Page) -> None:
    page.goto(live_server.url + "/safety/")
    expect(page.get_by_role("heading", name="Safety and support", level=1)).to_be_visible()
    check_a11y(page)


def test_sign_in_page(transactional_db: None, live_server: Any, page: Page) -> None:
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_label("Password")).to_be_visible()
    check_a11y(page)


def test_clinician_caseload_and_couple_page(
    transactional_db: None, live_server: Any, page: Page, couple: Couple, clinician: User
) -> None:
    sign_in(page, live_server.url, clinician.email, PASSWORD, totp=True)

    expect(page).to_have_url(live_server.url + "/care/")
    expect(page.get_by_role("heading", name="Your couples")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Alex & Sam").click()
    expect(page).to_have_url(f"{live_server.url}/care/couples/{couple.pk}/")
    check_a11y(page)


def test_clinic_admin_clinic_page(
    transactional_db: None, live_server: Any, page: Page, clinic_admin: User
) -> None:
    sign_in(page, live_server.url, clinic_admin.email, PASSWORD, totp=True)

    expect(page).to_have_url(live_server.url + "/care/clinic/")
    expect(page.get_by_text("Riverside Clinic").first).to_be_visible()
    check_a11y(page)


def test_escape_three_times_leaves_for_the_quick_exit_page(
    transactional_db: None, live_server: Any, page: Page
) -> None:
    # settings.TWOFOLD_QUICK_EXIT_URL points at /healthz (tests/browser/conftest.py).
    page.goto(live_server.url + "/safety/")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Work through it together")).to_be_visible()

    for _ in range(3):
        page.keyboard.press("Escape")

    expect(page).to_have_url(live_server.url + "/healthz")
    # The page left behind was replaced in history: Back skips it.
    page.go_back()
    expect(page).to_have_url(live_server.url + "/safety/")


def _fits_320_pixels(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at a 320px viewport"


def test_privacy_lock_pages_and_one_screen_talk(
    transactional_db: None, live_server: Any, page: Page, couple: Couple, partner_a: User
) -> None:
    journal_actions.create_entry(
        couple,
        title="Kept-for-me",
        body="Only mine.",
        sharing=Sharing.ONLY_ME,
        acting_user=partner_a,
    )
    answer_all(partner_a, couple, "maybe")
    page.set_viewport_size({"width": 320, "height": 720})
    sign_in(page, live_server.url, partner_a.email, PASSWORD)

    page.goto(live_server.url + "/me/privacy-lock/")
    expect(page.get_by_role("heading", name="Your privacy lock is off")).to_be_visible()
    check_a11y(page)
    _fits_320_pixels(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Turn the lock on").click()
    expect(page.get_by_role("heading", name="Your privacy lock is on")).to_be_visible()
    check_a11y(page)

    for path in ("/journal/", "/boundaries/"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", name="Enter your password to open this")).to_be_visible()
        expect(page.get_by_text("Kept-for-me")).to_have_count(0)
        check_a11y(page)
        _fits_320_pixels(page)

    page.goto(live_server.url + "/journal/")
    page.get_by_label("Your password").fill("not the password")
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_text("That password isn't right")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Open").click()
    expect(page).to_have_url(live_server.url + "/journal/")
    expect(page.get_by_text("Kept-for-me")).to_be_visible()

    page.goto(live_server.url + "/talk/")
    page.get_by_role("button", name="Start").first.click()
    page.get_by_role("link", name="Use one-screen mode").click()
    expect(page.get_by_role("heading", name="Sharing one screen")).to_be_visible()
    check_a11y(page)
    _fits_320_pixels(page)
    page.get_by_role("button", name="Sign out now").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
