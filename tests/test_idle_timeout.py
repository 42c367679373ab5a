"""The idle sign-out counts what a person does, never what a page polls by itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from twofold.accounts.middleware import BACKGROUND_HEADER
from twofold.conversations.models import TalkSession

START = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
POLL = {"HTTP_HX_REQUEST": "true", f"HTTP_{BACKGROUND_HEADER.upper().replace('-', '_')}": "poll"}


@pytest.fixture
def idle_minutes(settings):
    settings.SESSION_COOKIE_AGE = 30 * 60  # TWOFOLD_IDLE_TIMEOUT_MINUTES=30
    return 30


@pytest.fixture
def talking(client_for, couple, partner_a, idle_minutes):
    """Alex, signed in, with the talk page open at START."""
    client = client_for(partner_a)
    with time_machine.travel(START, tick=False):
        client.post(reverse("talk_start", args=["weekly-check-in"]))
        session = TalkSession.objects.get()
        assert client.get(reverse("talk_session", args=[session.pk])).status_code == 200
    return client, session


def _signed_in(client, at: datetime) -> bool:
    with time_machine.travel(at, tick=False):
        return "_auth_user_id" in client.session


def _poll(client, session, at: datetime):
    with time_machine.travel(at, tick=False):
        return client.get(
            reverse("talk_state", args=[session.pk]), {"since": int(START.timestamp())}, **POLL
        )


def test_the_talk_page_marks_its_own_polling_as_background(talking):
    client, session = talking
    with time_machine.travel(START, tick=False):
        page = client.get(reverse("talk_session", args=[session.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert f'hx-headers=\'{{"{BACKGROUND_HEADER}": "poll"}}\'' in page


def test_a_person_who_only_polls_is_signed_out_after_the_idle_time(talking, idle_minutes):
    client, session = talking
    for minutes in range(2, idle_minutes + 1, 2):  # a forgotten screen, polling away
        assert _poll(client, session, START + timedelta(minutes=minutes)).status_code == 200
    last = START + timedelta(minutes=idle_minutes, seconds=30)
    assert _signed_in(client, last)
    response = _poll(client, session, last)
    # The page reloads itself, and the reload goes to sign-in.
    assert response.headers.get("HX-Refresh") == "true"
    assert not _signed_in(client, last)
    with time_machine.travel(START + timedelta(minutes=idle_minutes + 1), tick=False):
        page = client.get(reverse("talk_session", args=[session.pk]))
    assert page.status_code == 302 and page.url.startswith(reverse("account_login"))


def test_a_real_click_resets_the_idle_timer(talking, idle_minutes):
    client, session = talking
    _poll(client, session, START + timedelta(minutes=20))
    with time_machine.travel(START + timedelta(minutes=25), tick=False):
        pressed = client.post(reverse("talk_next", args=[session.pk]), {"seen_step": 0}, **POLL)
    assert pressed.status_code == 200  # a press inside the polling region is activity
    for minutes in (35, 45, 54):
        assert _poll(client, session, START + timedelta(minutes=minutes)).status_code == 200
    assert _signed_in(client, START + timedelta(minutes=54))
    with time_machine.travel(START + timedelta(minutes=55), tick=False):
        assert client.get("/check-in/").status_code == 200  # a page opened
    assert _poll(client, session, START + timedelta(minutes=84)).status_code == 200
    assert _signed_in(client, START + timedelta(minutes=84))
    _poll(client, session, START + timedelta(minutes=86))
    assert not _signed_in(client, START + timedelta(minutes=86))


def test_a_quiet_while_without_any_request_also_signs_out(client_for, couple, partner_a):
    client = client_for(partner_a)
    with time_machine.travel(START, tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(START + timedelta(minutes=29), tick=False):
        assert client.get("/check-in/").status_code == 200
    with time_machine.travel(START + timedelta(minutes=60), tick=False):
        response = client.get("/check-in/")
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
