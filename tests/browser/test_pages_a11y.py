"""Accessibility (axe, zero violations) of the pages each kind of person uses, and quick exit."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_a11y, sign_in
from tests.factories import PASSWORD
from twofold.accounts.models import User
from twofold.couples.models import Couple


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
