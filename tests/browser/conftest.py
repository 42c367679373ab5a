"""Browser tests: a real Chromium driven by Playwright against pytest-django's live server.

Every test in this folder is marked ``browser``. They need Debian's ``chromium``
(``/usr/bin/chromium``); without it they are skipped locally but fail on CI, where
they must run. ``live_server`` runs in this process, so e-mails land in
``django.core.mail.outbox`` and ``settings`` overrides reach the server.

Once Playwright's sync API has started, the main thread has a running asyncio loop
until the end of the session, so Django's ORM needs ``DJANGO_ALLOW_ASYNC_UNSAFE``
from then on. The browser tests therefore run last, and the variable is set just
before the first of them: set at import, it would leak into every subprocess the
other tests start (``manage.py check --deploy`` rejects it with async.E001).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Page, expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # tests.factories.give_mfa
HERE = Path(__file__).parent


def _is_browser_test(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).parents


@pytest.hookimpl(trylast=True)  # after every plugin's reordering (pytest-django sorts by db use)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_tests = [item for item in items if _is_browser_test(item)]
    for item in browser_tests:
        item.add_marker(pytest.mark.browser)
    # Last, so that nothing else runs with Playwright's loop (and the variable) around.
    items[:] = [item for item in items if not _is_browser_test(item)] + browser_tests


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Only called for items in this folder; stays set for the rest of the session.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium package to run browser tests"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # No CSP bypass: pages run under the app's real Content-Security-Policy, so a
    # blocked script or style shows up here. axe is injected through ``page.evaluate``
    # (the DevTools protocol), which the page's CSP does not govern.
    return {
        **browser_context_args,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
    }


# Runs in every page before the page's own scripts (added through the DevTools protocol,
# so the CSP does not block it) and notes each thing the policy refused.
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} refused ${event.blockedURI}`);
});
"""


@pytest.fixture
def new_context(new_context: Any) -> Any:
    """Browser contexts that watch for anything the page's CSP refused (see check_a11y)."""

    def make(**kwargs: Any) -> Any:
        created = new_context(**kwargs)
        created.add_init_script(CSP_WATCH)
        return created

    return make


@pytest.fixture(autouse=True)
def _live_site(settings: Any, live_server: Any) -> None:
    """Links in e-mails and the quick exit point at the live server, never outside."""
    settings.SITE_URL = live_server.url
    settings.TWOFOLD_QUICK_EXIT_URL = live_server.url + "/healthz"
    # A TOTP code computed just before a 30-second boundary still counts when submitted.
    settings.MFA_TOTP_TOLERANCE = 1


_axe = Axe()


# Every WCAG 2.0-2.2 A and AA rule axe has (target size included) and its best practices.
WCAG_22_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}


def check_a11y(page: Page, options: dict[str, Any] | None = None) -> None:
    """Fail when the page's CSP refused anything, or with axe's report when the page has
    any accessibility violation."""
    refused = page.evaluate("window.__cspViolations || []")
    assert refused == [], f"{page.url}: the Content-Security-Policy refused {refused}"
    results = _axe.run(page, options=options)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def latest_mail_to(address: str) -> mail.EmailMessage:
    messages = [m for m in mail.outbox if address in m.to]
    assert messages, f"no e-mail to {address}; outbox: {[m.to for m in mail.outbox]}"
    return messages[-1]


def code_from_mail(address: str) -> str:
    """The e-mailed confirmation code (e.g. ``ZRJD-SDSC``), alone on its own line."""
    body = latest_mail_to(address).body
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE)
    assert match, f"no code in e-mail body:\n{body}"
    return match.group(1)


def totp_code(secret: str = TOTP_SECRET) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page: Page, base_url: str, email: str, password: str, totp: bool = False) -> None:
    """Sign in through the real form; ``totp`` answers the authenticator-code step too."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    if totp:
        expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
        check_a11y(page)
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
