"""Talk together on one screen: a warm reminder to sign out at the end, with the button."""

from __future__ import annotations

from django.urls import reverse

from tests.test_get_never_writes import ALLOWED_TABLES, WriteRecorder
from twofold.conversations import actions, content

REMINDER = "please sign out"


def _talk(couple, user):
    script = next(iter(content.scripts().values()))
    return actions.start_talk(couple, script, acting_user=user)


def _page(client, session, **params) -> str:
    url = reverse("talk_session", kwargs={"session_id": session.pk})
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_one_screen_mode_reminds_people_to_sign_out_with_a_button(client_for, couple, partner_a):
    session = _talk(couple, partner_a)
    page = _page(client_for(partner_a), session, screen="one")
    assert REMINDER in page
    assert "This device is signed in as Alex" in page
    form = page.split('id="one-screen-heading"')[1].split("</section>")[0]
    assert f'method="post" action="{reverse("account_logout")}"' in form
    assert "Sign out now" in form and "csrfmiddlewaretoken" in form


def test_without_one_screen_mode_there_is_no_reminder_only_the_way_to_turn_it_on(
    client_for, couple, partner_a
):
    session = _talk(couple, partner_a)
    page = _page(client_for(partner_a), session)
    assert REMINDER not in page and "Sign out now" not in page
    assert "?screen=one" in page


def test_the_mode_stays_for_this_sign_in_until_it_is_turned_off(client_for, couple, partner_a):
    session = _talk(couple, partner_a)
    client = client_for(partner_a)
    _page(client, session, screen="one")
    assert REMINDER in _page(client, session)
    assert REMINDER not in _page(client, session, screen="own")
    assert REMINDER not in _page(client, session)


def test_one_screen_mode_is_this_devices_not_the_partners(client_for, couple, partner_a, partner_b):
    session = _talk(couple, partner_a)
    _page(client_for(partner_a), session, screen="one")
    assert REMINDER not in _page(client_for(partner_b), session)


def test_the_sign_out_button_signs_out(client_for, couple, partner_a):
    session = _talk(couple, partner_a)
    client = client_for(partner_a)
    _page(client, session, screen="one")
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_choosing_the_mode_writes_nothing_but_the_session(client_for, couple, partner_a):
    from django.db import connection

    session = _talk(couple, partner_a)
    client = client_for(partner_a)
    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        _page(client, session, screen="one")
    assert [t for t in recorder.tables if t not in ALLOWED_TABLES] == []
