"""The invitation page: what Twofold is, what joining means, how privacy works, and the
inviter's few words (on the page only, never in the e-mail); the link to copy, once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils.html import escape

from tests.factories import UserFactory, make_couple
from twofold.accounts.models import User
from twofold.couples import actions, consent_texts
from twofold.couples.models import Couple, Invitation
from twofold.lib.limits import INVITATION_NOTE, too_long_message

RILEY = "riley@example.org"
NOTE = "I'd love us to try this together.\nNo pressure <3 & see you tonight"
LINK = re.compile(r"https?://[^\s\"<]+/invitations/([\w-]+)/")


@pytest.fixture
def jordan(db: None) -> User:
    user = UserFactory(email="jordan@example.org", display_name="Jordan")
    actions.start_couple(acting_user=user)
    return user


def _invite(client_for: Any, user: User, capture: Any, **data: str) -> Any:
    with capture(execute=True):
        return client_for(user).post("/couple/invite/", {"email": RILEY, **data})


def _path(link: str) -> str:
    return "/invitations/" + LINK.search(link).group(1) + "/"  # type: ignore[union-attr]


def _page_text(body: str) -> str:
    text = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", text)


# --- What the page says ----------------------------------------------------------------

# The page's sentences that restate the participation consent text, word for word.
FROM_THE_CONSENT_TEXT = (
    "Twofold is a space for the two of you to rebuild closeness together, at a pace you "
    "both agree to.",
    "Either of you can pause or stop at any time, without giving a reason.",
    "You decide what to share. What you keep just for yourself stays private.",
    "Your partner sees that you took part (for example, that you checked in), never what "
    "you wrote privately.",
    "Twofold is not the right place for now if you are afraid of your partner, or if you "
    "feel pushed into taking part.",
)


def test_the_invitation_page_says_what_twofold_is_what_joining_means_and_how_privacy_works(
    client_for, jordan, django_capture_on_commit_callbacks
):
    _invite(client_for, jordan, django_capture_on_commit_callbacks)
    url = _path(mail.outbox[0].body)

    response = client_for(None).get(url)

    assert response.status_code == 200
    body = response.content.decode()
    text = _page_text(body)
    assert "Jordan has invited you to join them on Twofold, as a couple." in text
    for heading in ("What Twofold is", "What you would agree to", "How your privacy works"):
        assert f">{heading}</h2>" in body
    for sentence in FROM_THE_CONSENT_TEXT:
        assert escape(sentence) in body, sentence
    assert "Nothing is shared before you agree." in text
    assert 'href="/safety/"' in body.split("data-invitation-about")[1]
    assert "Create an account" in body and "I already have an account" in body


def test_the_invitation_words_agree_with_the_participation_consent_text():
    # Changing one without the other fails here: the invited partner reads both.
    points = " ".join(consent_texts.current("participation").points)
    for sentence in FROM_THE_CONSENT_TEXT:
        assert sentence in points, sentence


def test_a_guided_couples_invitation_names_the_care_team_and_its_separate_choice(
    client_for, clinician, clinic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(clinician).post(
            "/care/couples/new/",
            {
                "first_name": "Ash",
                "first_email": "ash@example.org",
                "second_name": "Lee",
                "second_email": "lee@example.org",
            },
        )
    body = client_for(None).get(_path(mail.outbox[0].body)).content.decode()

    assert f"Your care team at {clinic.name} is there alongside you." in body
    assert "What your care team sees is a separate choice" in body


def test_the_invitation_words_are_gender_neutral(
    client_for, jordan, django_capture_on_commit_callbacks
):
    _invite(client_for, jordan, django_capture_on_commit_callbacks)
    body = client_for(None).get(_path(mail.outbox[0].body)).content.decode()
    text = _page_text(body.split("<main")[1].split("</main>")[0])
    assert not re.search(
        r"\b(he|she|him|her|his|hers|husband|wife|boyfriend|girlfriend)\b", text, re.I
    )


# --- The inviter's note ----------------------------------------------------------------


def test_the_note_is_shown_on_the_invitation_page_and_never_in_the_email(
    client_for, jordan, django_capture_on_commit_callbacks
):
    _invite(client_for, jordan, django_capture_on_commit_callbacks, note=NOTE)

    (message,) = mail.outbox
    for part in (message.subject, message.body):
        assert "try this together" not in part
        assert "see you tonight" not in part
    for alternative in getattr(message, "alternatives", []):
        assert "try this together" not in str(alternative[0])

    body = client_for(None).get(_path(message.body)).content.decode()
    note = body.split("data-invitation-note")[1].split("</figure>")[0]
    assert "A few words from Jordan:" in note
    # Escaped, and its line breaks kept.
    assert "I&#x27;d love us to try this together.<br>No pressure &lt;3 &amp; see you tonight" in (
        note
    )


def test_the_note_is_sealed_at_rest(client_for, jordan, django_capture_on_commit_callbacks):
    _invite(client_for, jordan, django_capture_on_commit_callbacks, note=NOTE)
    invitation = Invitation.objects.get(email=RILEY)
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM couples_invitation WHERE id = %s", [invitation.pk.hex])
        row = cursor.fetchone()
        if row is None:
            cursor.execute("SELECT note FROM couples_invitation WHERE id = %s", [invitation.pk])
            row = cursor.fetchone()
    assert row is not None
    assert "together" not in row[0]
    assert invitation.note == NOTE.strip()


def test_the_note_is_not_shown_once_the_invitation_cannot_be_accepted(
    client_for, jordan, django_capture_on_commit_callbacks
):
    _invite(client_for, jordan, django_capture_on_commit_callbacks, note=NOTE)
    url = _path(mail.outbox[0].body)
    someone = UserFactory(email="someone@example.org")

    assert "try this together" not in client_for(someone).get(url).content.decode()


@pytest.mark.parametrize("how", ["accepted", "withdrawn", "replaced"])
def test_the_note_is_forgotten_once_the_invitation_is_answered(
    how, client_for, jordan, django_capture_on_commit_callbacks
):
    _invite(client_for, jordan, django_capture_on_commit_callbacks, note=NOTE)
    invitation = Invitation.objects.get(email=RILEY)
    if how == "accepted":
        riley = UserFactory(email=RILEY)
        client_for(riley).post(_path(mail.outbox[0].body) + "accept/")
    elif how == "withdrawn":
        client_for(jordan).post(f"/couple/invitations/{invitation.pk}/withdraw/")
    else:
        with django_capture_on_commit_callbacks(execute=True):
            client_for(jordan).post("/couple/invite/", {"email": "casey@example.org"})

    invitation.refresh_from_db()
    assert invitation.state != Invitation.State.PENDING
    assert invitation.note == ""


def test_a_note_over_the_limit_is_refused_clearly_and_keeps_what_was_typed(
    client_for, jordan, django_capture_on_commit_callbacks
):
    note = "word " * (INVITATION_NOTE // 5) + "and one more"

    response = _invite(client_for, jordan, django_capture_on_commit_callbacks, note=note)

    assert response.status_code == 400
    body = response.content.decode()
    assert too_long_message(INVITATION_NOTE, len(note.strip())) in body
    assert escape(note.strip()) in body or note.strip() in body
    assert 'value="riley@example.org"' in body
    assert not Invitation.objects.filter(email=RILEY).exists()
    assert mail.outbox == []


def test_the_action_refuses_a_note_over_the_limit_too(jordan):
    couple = Couple.objects.get(partners__user=jordan)
    from twofold.lib.errors import ActionError

    with pytest.raises(ActionError) as refused:
        actions.invite_partner(couple, RILEY, acting_user=jordan, note="x" * (INVITATION_NOTE + 1))
    assert refused.value.code == "too_long"
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"note": "null \x00 byte"},
        {"note": "x" * 50_000},
        {"note": ["one", "two"]},
        {"email": "not an address", "note": "hello"},
        {"email": "", "note": ""},
        {},
    ],
    ids=["nul", "huge", "twice", "bad-email", "empty", "nothing"],
)
def test_bad_input_to_the_invitation_form_never_fails(
    data, client_for, jordan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(jordan).post("/couple/invite/", {"email": RILEY, **data})
    assert response.status_code in (200, 400)
    if "note" in data and data["note"] not in ("", ["one", "two"]):
        assert response.status_code == 400


@pytest.mark.parametrize(
    "token", ["x" * 5_000, "%00", "..%2F..%2Fetc", "\u00e9\u00e8", "-", "a" * 43]
)
def test_odd_invitation_links_answer_plainly(token, client, db):
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 404
    if "%2F" not in token:  # a slash in the token is simply another address
        assert "We couldn&#x27;t find this invitation" in response.content.decode()


# --- The link to copy, once ------------------------------------------------------------


def test_the_page_that_sent_the_invitation_shows_the_link_once_to_copy(
    client_for, jordan, django_capture_on_commit_callbacks
):
    response = _invite(client_for, jordan, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    body = response.content.decode()
    emailed = LINK.search(mail.outbox[0].body).group(0)  # type: ignore[union-attr]
    field = re.search(r"<input[^>]*data-copy-source[^>]*>", body)
    assert field, "no link field"
    assert "readonly" in field.group(0)
    assert f'value="{emailed}"' in field.group(0)
    assert '<label for="invitation-link">' in body
    button = re.search(r"<button[^>]*data-copy-button[^>]*>([^<]*)</button>", body)
    assert button and button.group(1) == "Copy link"
    assert "hidden" in button.group(0)  # shown by app.js; the field works without it
    assert "Invitation sent to riley@example.org." in body
    assert (
        response["Cache-Control"].startswith("no-store")
        or "no-store" in (response["Cache-Control"])
    )

    # Nothing keeps the link: the next visit to the home page cannot show it.
    later = client_for(jordan).get("/").content.decode()
    assert emailed not in later
    assert "data-copy-source" not in later
    assert "Make a new link" in later


def test_copying_is_a_targeted_addition_to_app_js():
    from pathlib import Path

    script = (Path(__file__).parent.parent / "twofold/front/static/twofold/app.js").read_text()
    assert "[data-copy-link]" in script
    assert "navigator.clipboard" in script


def test_a_new_link_stops_the_old_one_keeps_the_note_and_sends_no_email(
    client_for, jordan, django_capture_on_commit_callbacks
):
    _invite(client_for, jordan, django_capture_on_commit_callbacks, note=NOTE)
    old_url = _path(mail.outbox[0].body)
    old = Invitation.objects.get(email=RILEY)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(jordan).post(f"/couple/invitations/{old.pk}/new-link/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Here is a new link. The one sent before no longer works." in body
    field = re.search(r"<input[^>]*data-copy-source[^>]*>", body).group(0)  # type: ignore[union-attr]
    new_url = _path(re.search(r'value="([^"]+)"', field).group(1))  # type: ignore[union-attr]
    assert new_url != old_url
    assert len(mail.outbox) == 1  # no second e-mail

    anon = client_for(None)
    assert "withdrawn by the person who sent it" in anon.get(old_url).content.decode()
    page = anon.get(new_url).content.decode()
    assert "Jordan has invited you" in page
    assert "try this together" in page
    old.refresh_from_db()
    assert old.note == ""


def test_nobody_else_can_make_a_new_link(
    client_for, jordan, partner_a, partner_b, django_capture_on_commit_callbacks
):
    make_couple(partner_a, partner_b)
    _invite(client_for, jordan, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email=RILEY)

    for person in (partner_a, UserFactory(email=RILEY)):
        response = client_for(person).post(f"/couple/invitations/{invitation.pk}/new-link/")
        assert response.status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).is_pending
    assert Invitation.objects.count() == 1
