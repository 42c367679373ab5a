"""The privacy lock: private pages ask for the password again, and show nothing before."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from tests.factories import PASSWORD
from tests.program_helpers import answer_all
from tests.test_get_never_writes import ALLOWED_TABLES, WriteRecorder
from twofold.accounts import actions, privacy_lock
from twofold.accounts.models import User
from twofold.journal import actions as journal_actions
from twofold.journal import views as journal_views
from twofold.journal.models import JournalEntry, Sharing
from twofold.program import content
from twofold.program import views as program_views
from twofold.program.models import BoundaryAnswer

SECRET_TITLE = "Kept-title-7f3a"
SECRET_BODY = "Kept-only-for-me-and-nobody-else-9c41"
SHARED_BODY = "Shared-with-my-partner-2b88"
LOCK_HEADING = "Enter your password to open this"


def _lock_on(user: User) -> None:
    actions.set_privacy_lock(True, acting_user=user, password=PASSWORD, ip="127.0.0.1")


def _entry(owner: User, couple: Any, body: str = SECRET_BODY, **extra: Any) -> JournalEntry:
    return journal_actions.create_entry(
        couple,
        title=extra.pop("title", SECRET_TITLE),
        body=body,
        sharing=extra.pop("sharing", Sharing.ONLY_ME),
        acting_user=owner,
    )


def _unlock(client: Any, password: str = PASSWORD, next_url: str = "/journal/", **extra: Any):
    return client.post(reverse("privacy_unlock"), {"password": password, "next": next_url, **extra})


def _journal_pages(entry: JournalEntry) -> list[str]:
    return [
        reverse("journal_list"),
        reverse("journal_detail", kwargs={"entry_id": entry.pk}),
        reverse("journal_edit", kwargs={"entry_id": entry.pk}),
    ]


def _without_tokens(content: bytes) -> bytes:
    """The page with its per-response tokens (CSRF, CSP nonce) blanked."""
    content = re.sub(rb'nonce="[^"]*"', b'nonce=""', content)
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
    return re.sub(rb'"X-CSRFToken": "[^"]*"', b"", content)


# Off by default, and only the person can turn it on or off.


def test_the_lock_is_off_by_default(client_for, couple, partner_a):
    assert partner_a.privacy_lock is False
    _entry(partner_a, couple)
    page = client_for(partner_a).get(reverse("journal_list")).content.decode()
    assert SECRET_TITLE in page and LOCK_HEADING not in page


def test_the_lock_page_says_it_is_off_and_offers_to_turn_it_on(client_for, partner_a):
    page = client_for(partner_a).get(reverse("privacy_lock")).content.decode()
    assert "Your privacy lock is off" in page and "Turn the lock on" in page
    assert 'autocomplete="current-password"' in page


@pytest.mark.parametrize("password", ["", "not my password"])
def test_turning_the_lock_on_needs_the_right_password(client_for, partner_a, password):
    response = client_for(partner_a).post(
        reverse("privacy_lock"), {"turn": "on", "password": password}
    )
    assert response.status_code == 400
    partner_a.refresh_from_db()
    assert partner_a.privacy_lock is False
    page = response.content.decode()
    assert "Please enter your password." in page or "That password isn" in page


def test_turning_the_lock_on_with_the_password_locks_at_once(client_for, couple, partner_a):
    _entry(partner_a, couple)
    client = client_for(partner_a)
    response = client.post(reverse("privacy_lock"), {"turn": "on", "password": PASSWORD})
    assert response.status_code == 302
    partner_a.refresh_from_db()
    assert partner_a.privacy_lock is True
    page = client.get(reverse("journal_list")).content.decode()
    assert LOCK_HEADING in page and SECRET_TITLE not in page


def test_turning_the_lock_off_needs_the_password_too(client_for, couple, partner_a):
    _lock_on(partner_a)
    client = client_for(partner_a)
    refused = client.post(reverse("privacy_lock"), {"turn": "off", "password": "guess"})
    assert refused.status_code == 400
    partner_a.refresh_from_db()
    assert partner_a.privacy_lock is True

    client.post(reverse("privacy_lock"), {"turn": "off", "password": PASSWORD})
    partner_a.refresh_from_db()
    assert partner_a.privacy_lock is False
    _entry(partner_a, couple)
    assert SECRET_TITLE in client.get(reverse("journal_list")).content.decode()


def test_the_preferences_page_links_to_the_lock_and_tells_its_state(client_for, partner_a):
    client = client_for(partner_a)
    page = client.get(reverse("preferences")).content.decode()
    assert reverse("privacy_lock") in page and "(off)" in page
    _lock_on(partner_a)
    assert "(on:" in client.get(reverse("preferences")).content.decode()


# While it is on, nothing private shows before the password.


def test_a_locked_journal_shows_no_entry_until_the_password_is_given(
    client_for, couple, partner_a, partner_b
):
    entry = _entry(partner_a, couple)
    _entry(partner_b, couple, body=SHARED_BODY, title="From-Sam-title", sharing=Sharing.PARTNER)
    _lock_on(partner_a)
    client = client_for(partner_a)

    for url in _journal_pages(entry):
        response = client.get(url)
        page = response.content.decode()
        for private in (SECRET_TITLE, SECRET_BODY, SHARED_BODY, "From-Sam-title"):
            assert private not in page, f"{private} shown on {url} while locked"
        assert response.status_code == 200, url
        assert LOCK_HEADING in page, url
        assert "Your journal is behind your privacy lock" in page, url

    response = _unlock(client, next_url=reverse("journal_detail", kwargs={"entry_id": entry.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("journal_detail", kwargs={"entry_id": entry.pk})
    for url in _journal_pages(entry):
        page = client.get(url).content.decode()
        assert LOCK_HEADING not in page, url
        assert SECRET_TITLE in page, url
    assert "From-Sam-title" in client.get(reverse("journal_list")).content.decode()


def test_a_locked_boundaries_page_shows_no_answer_at_all(client_for, couple, partner_a):
    _lock_on(partner_a)
    client = client_for(partner_a)
    answer_all(partner_a, couple, "no")
    locked_no = client.get(reverse("boundaries"))
    answer_all(partner_a, couple, "yes")
    locked_yes = client.get(reverse("boundaries"))

    # The same page, byte for byte, whatever the answers are.
    assert _without_tokens(locked_no.content) == _without_tokens(locked_yes.content)
    page = locked_yes.content.decode()
    assert LOCK_HEADING in page and "what feels right for you" in page
    assert 'type="radio"' not in page
    for activity in content.activities().values():
        assert f'name="{activity.key}"' not in page

    _unlock(client, next_url=reverse("boundaries"))
    opened = client.get(reverse("boundaries")).content.decode()
    assert LOCK_HEADING not in opened
    first = next(iter(content.activities()))
    field = re.search(rf'<input[^>]*name="{first}"[^>]*value="yes"[^>]*>', opened)
    assert field and "checked" in field.group(0)


def test_the_journal_and_boundaries_views_are_guarded():
    for view in (
        journal_views.journal_list,
        journal_views.journal_detail,
        journal_views.journal_edit,
        journal_views.journal_delete,
    ):
        assert view.privacy_locked == privacy_lock.Locked.JOURNAL, view.__name__
    assert program_views.boundaries_page.privacy_locked == privacy_lock.Locked.BOUNDARIES


def test_a_wrong_password_keeps_it_locked_and_says_so(client_for, couple, partner_a):
    _entry(partner_a, couple)
    _lock_on(partner_a)
    client = client_for(partner_a)
    response = _unlock(client, password="a wrong guess", what="journal")
    assert response.status_code == 400
    page = response.content.decode()
    assert "That password isn" in page and "nothing has changed" in page
    assert "Your journal is behind your privacy lock" in page
    assert SECRET_TITLE not in page
    assert privacy_lock.UNLOCKED not in client.session
    assert LOCK_HEADING in client.get(reverse("journal_list")).content.decode()


def test_too_many_wrong_passwords_are_refused_for_a_while(client_for, couple, partner_a):
    _lock_on(partner_a)
    # The middle of a five-minute window, so that the count cannot start again mid-test.
    start = datetime(2026, 3, 2, 10, 1, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = client_for(partner_a)
        for _ in range(5):
            assert _unlock(client, password="a wrong guess").status_code == 400
        refused = _unlock(client)
        assert refused.status_code == 429
        assert "Please wait a few minutes" in refused.content.decode()
        assert privacy_lock.UNLOCKED not in client.session

        traveller.move_to(start + timedelta(minutes=5))
        assert _unlock(client).status_code == 302
        assert LOCK_HEADING not in client.get(reverse("journal_list")).content.decode()


def test_the_right_password_starts_the_count_of_wrong_ones_again(client_for, couple, partner_a):
    _lock_on(partner_a)
    start = datetime(2026, 3, 2, 10, 1, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client = client_for(partner_a)
        for _ in range(4):
            _unlock(client, password="a wrong guess")
        assert _unlock(client).status_code == 302
        client.post(reverse("privacy_lock_close"))
        for _ in range(4):
            _unlock(client, password="a wrong guess")
        assert _unlock(client).status_code == 302


# It stays open for a while in that sign-in only.


def test_the_lock_closes_again_after_the_configured_minutes(
    client_for, couple, partner_a, settings
):
    settings.TWOFOLD_PRIVACY_LOCK_MINUTES = 3
    _entry(partner_a, couple)
    _lock_on(partner_a)
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = client_for(partner_a)
        _unlock(client)
        traveller.move_to(start + timedelta(minutes=2, seconds=59))
        assert SECRET_TITLE in client.get(reverse("journal_list")).content.decode()
        traveller.move_to(start + timedelta(minutes=3))
        page = client.get(reverse("journal_list")).content.decode()
        assert LOCK_HEADING in page and SECRET_TITLE not in page
        assert "3 minutes" in page


def test_signing_out_locks_it_again(client, couple, partner_a):
    _entry(partner_a, couple)
    _lock_on(partner_a)
    client.post("/accounts/login/", {"login": partner_a.email, "password": PASSWORD})
    _unlock(client)
    assert SECRET_TITLE in client.get(reverse("journal_list")).content.decode()

    client.post(reverse("account_logout"))
    client.post("/accounts/login/", {"login": partner_a.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(partner_a.pk)
    page = client.get(reverse("journal_list")).content.decode()
    assert LOCK_HEADING in page and SECRET_TITLE not in page


def test_lock_it_now_closes_it_before_the_time_is_up(client_for, couple, partner_a):
    _entry(partner_a, couple)
    _lock_on(partner_a)
    client = client_for(partner_a)
    _unlock(client)
    assert "Lock it now" in client.get(reverse("privacy_lock")).content.decode()
    client.post(reverse("privacy_lock_close"))
    assert LOCK_HEADING in client.get(reverse("journal_list")).content.decode()


def test_an_open_lock_belongs_to_the_person_who_opened_it(client_for, couple, partner_a):
    _entry(partner_a, couple)
    _lock_on(partner_a)
    client = client_for(partner_a)
    session = client.session
    session[privacy_lock.UNLOCKED] = {"user": "someone-else", "until": 2**40}
    session.save()
    assert LOCK_HEADING in client.get(reverse("journal_list")).content.decode()


# The partner is not affected.


def test_the_partners_journal_pages_are_unaffected(client_for, couple, partner_a, partner_b):
    shared = _entry(partner_a, couple, body=SHARED_BODY, sharing=Sharing.PARTNER)
    _entry(partner_b, couple, body="Sams-own-words-4d1e", title="Sams-title")
    _lock_on(partner_a)
    client = client_for(partner_b)
    listing = client.get(reverse("journal_list")).content.decode()
    assert LOCK_HEADING not in listing
    assert "Sams-title" in listing and SECRET_TITLE in listing
    detail = client.get(reverse("journal_detail", kwargs={"entry_id": shared.pk}))
    assert SHARED_BODY in detail.content.decode()
    assert LOCK_HEADING not in client.get(reverse("boundaries")).content.decode()


# Writes, fragments and where the person goes next.


def test_a_write_sent_while_locked_changes_nothing(client_for, couple, partner_a):
    entry = _entry(partner_a, couple)
    answer_all(partner_a, couple, "maybe")
    _lock_on(partner_a)
    client = client_for(partner_a)
    edit = reverse("journal_edit", kwargs={"entry_id": entry.pk})

    response = client.post(
        edit,
        {"title": "Overwritten", "body": "Overwritten", "sharing": "me"},
        HTTP_REFERER=f"http://testserver{edit}",
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert LOCK_HEADING in page and "nothing has changed" in page
    assert f'name="next" value="{edit}"' in page
    assert SECRET_TITLE not in page and SECRET_BODY not in page
    entry.refresh_from_db()
    assert entry.body == SECRET_BODY

    delete = reverse("journal_delete", kwargs={"entry_id": entry.pk})
    assert client.post(delete).status_code == 403
    assert JournalEntry.objects.filter(pk=entry.pk).exists()

    answers = dict.fromkeys(content.activities(), "no")
    assert client.post(reverse("boundaries"), answers).status_code == 403
    assert set(BoundaryAnswer.objects.filter(owner=partner_a).values_list("answer", flat=True)) == {
        "maybe"
    }


def test_a_write_from_another_site_sends_the_person_home_after_unlocking(
    client_for, couple, partner_a
):
    entry = _entry(partner_a, couple)
    _lock_on(partner_a)
    response = client_for(partner_a).post(
        reverse("journal_delete", kwargs={"entry_id": entry.pk}),
        HTTP_REFERER="https://elsewhere.example/journal/",
    )
    assert 'name="next" value="/"' in response.content.decode()


def test_a_fragment_request_while_locked_reloads_the_page(client_for, couple, partner_a):
    _lock_on(partner_a)
    response = client_for(partner_a).get(reverse("journal_list"), HTTP_HX_REQUEST="true")
    assert response.headers.get("HX-Refresh") == "true"
    assert response.content == b""


@pytest.mark.parametrize(
    "next_url",
    [
        "https://elsewhere.example/",
        "//elsewhere.example/journal/",
        "/\\elsewhere.example/",
        "javascript:alert(1)",
        "http:/elsewhere.example",
        "journal/",
        "",
    ],
)
def test_unlocking_never_sends_anyone_off_the_site(client_for, couple, partner_a, next_url):
    _lock_on(partner_a)
    response = _unlock(client_for(partner_a), next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_unlocking_goes_on_to_a_page_of_this_site_with_its_query(client_for, couple, partner_a):
    _lock_on(partner_a)
    response = _unlock(client_for(partner_a), next_url="/journal/?page=2")
    assert response["Location"] == "/journal/?page=2"


def test_the_unlock_page_sends_an_unlocked_person_straight_on(client_for, couple, partner_a):
    response = client_for(partner_a).get(reverse("privacy_unlock"), {"next": "/journal/"})
    assert response.status_code == 302 and response["Location"] == "/journal/"
    _lock_on(partner_a)
    page = client_for(partner_a).get(reverse("privacy_unlock"), {"next": "/journal/"})
    assert page.status_code == 200 and LOCK_HEADING in page.content.decode()


def test_a_locked_page_view_writes_nothing(client_for, couple, partner_a):
    entry = _entry(partner_a, couple)
    _lock_on(partner_a)
    client = client_for(partner_a)
    urls = [*_journal_pages(entry), reverse("boundaries"), reverse("privacy_unlock")]
    urls.append(reverse("privacy_lock"))
    for url in urls:
        recorder = WriteRecorder()
        with connection.execute_wrapper(recorder):
            client.get(url)
        assert [t for t in recorder.tables if t not in ALLOWED_TABLES] == [], url


# Accounts that sign in without a password.


def test_an_account_without_a_password_is_told_how_to_set_one(client_for, couple, partner_a):
    _entry(partner_a, couple)
    _lock_on(partner_a)
    partner_a.set_unusable_password()
    partner_a.save()
    client = client_for(partner_a)

    page = client.get(reverse("journal_list")).content.decode()
    assert SECRET_TITLE not in page
    assert reverse("account_set_password") in page
    assert 'type="password"' not in page
    settings_page = client.get(reverse("privacy_lock")).content.decode()
    assert reverse("account_set_password") in settings_page


def test_an_account_without_a_password_cannot_turn_the_lock_on(client_for, partner_a):
    partner_a.set_unusable_password()
    partner_a.save()
    client = client_for(partner_a)
    assert reverse("account_set_password") in client.get(reverse("privacy_lock")).content.decode()
    response = client.post(reverse("privacy_lock"), {"turn": "on", "password": "anything"})
    assert response.status_code == 400
    partner_a.refresh_from_db()
    assert partner_a.privacy_lock is False


# Configuration.


def test_the_lock_stays_open_ten_minutes_unless_configured():
    assert django_settings.TWOFOLD_PRIVACY_LOCK_MINUTES == 10


def test_a_lock_time_under_a_minute_is_refused_at_start_up():
    env = {**os.environ, "TWOFOLD_PRIVACY_LOCK_MINUTES": "0"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "TWOFOLD_PRIVACY_LOCK_MINUTES must be 1 or more" in result.stderr
