"""The sign-up page says who Twofold is not for right now, as the consent text does."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import escape

from twofold.couples import consent_texts

NOT_FOR = (
    "Twofold is not the right place for now if you are afraid of your partner, "
    "or if you feel pushed into taking part."
)


def _signup_page(client) -> str:
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_sign_up_page_says_who_twofold_is_not_for_right_now(client, db):
    page = _signup_page(client)
    section = page.split("data-signup-not-for")[1].split("</div>")[0]
    assert escape(NOT_FOR) in section or NOT_FOR in section
    assert f'href="{reverse("safety")}"' in section
    assert "Safety and support" in section


def test_the_sign_up_words_agree_with_the_participation_consent_text(client, db):
    # Changing one without the other fails here: people read both before taking part.
    points = consent_texts.current("participation").points
    assert any(point.startswith(NOT_FOR) for point in points)
    assert any("Safety and support" in point for point in points if point.startswith(NOT_FOR))


def test_the_sign_up_words_are_gender_neutral(client, db):
    section = _signup_page(client).split("data-signup-not-for")[1].split("</div>")[0]
    text = re.sub(r"<[^>]+>", " ", section)
    assert not re.search(
        r"\b(he|she|him|her|his|hers|husband|wife|boyfriend|girlfriend)\b", text, re.I
    )


def test_the_sign_up_form_is_still_there(client, db):
    page = _signup_page(client)
    for name in ("email", "password1", "password2", "display_name"):
        assert f'name="{name}"' in page
