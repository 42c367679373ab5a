"""The check-in's private safety item: for the person and their care team, never the partner.

Where there is coercion, a low score the partner can see (or can see was hidden) can
bring retaliation. So the partner must receive exactly the same bytes whatever the
answer is, or whether there is one; the person who answered low, or clearly lower than
last time, is shown support at once, alone.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import UserFactory, make_couple
from twofold.checkins.models import (
    SAFETY_ITEM,
    SCORED_ITEMS,
    TEXT_ITEMS,
    CheckIn,
    CheckInRevision,
    CheckInSchedule,
    SafetyAnswer,
)
from twofold.conversations import content as conversation_content
from twofold.couples.models import Consent

MONDAY = "2026-11-30"
LAST_MONDAY = "2026-11-23"
SUPPORT = "have to carry this alone"


def answers(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "openness": 7,
        "sexual_comfort": 5,
        "mutual_support": 8,
        "stress": 4,
        "sleep_quality": 6,
        "mood": 7,
        "appreciated": "the walk by the river",
        "talk_about": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        yield


def _opened_last_week(couple: Any) -> None:
    CheckInSchedule.objects.filter(couple=couple).update(anchor=date(2026, 11, 23))


def _post(client: Any, data: dict[str, Any], start: str = MONDAY) -> Any:
    return client.post(f"/check-in/{start}/", data)


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


PARTNER_PAGES = (
    "/",
    "/check-in/",
    f"/check-in/{MONDAY}/",
    f"/check-in/{MONDAY}/together/",
    "/check-in/history/",
    "/talk/",
    "/program/",
    "/journal/",
)


def _what_the_partner_receives(client_b: Any) -> dict[str, str]:
    received = {}
    for url in PARTNER_PAGES:
        response = client_b.get(url)
        received[url] = f"{response.status_code} {_normalised(response.content.decode())}"
    received["mail"] = repr([(m.to, m.subject, m.body) for m in mail.outbox])
    return received


def test_the_partner_receives_the_same_bytes_whatever_the_safety_answer(
    client_for, couple, partner_a, partner_b
):
    """Low, high or none at all, first answer or a correction: B cannot tell."""
    client_a, client_b = client_for(partner_a), client_for(partner_b)

    def scenario(felt_safe: int | None, corrected_to: int | None = None) -> dict[str, str]:
        with transaction.atomic():
            _post(client_a, answers(felt_safe=felt_safe))
            _post(client_b, answers(openness=4))
            if corrected_to is not None:
                _post(client_a, answers(felt_safe=corrected_to))
            received = _what_the_partner_receives(client_b)
            transaction.set_rollback(True)
        return received

    baseline = scenario(9)
    assert "200" in baseline[f"/check-in/{MONDAY}/together/"][:3]
    assert "the walk by the river" in baseline[f"/check-in/{MONDAY}/together/"]
    for case in (scenario(1), scenario(None), scenario(9, corrected_to=2)):
        for url, body in baseline.items():
            assert case[url] == body, url


def test_the_partner_never_meets_the_item_at_all(client_for, couple, partner_a, partner_b):
    _post(client_for(partner_a), answers(felt_safe=2))
    _post(client_for(partner_b), answers(felt_safe=2))
    together = client_for(partner_b).get(f"/check-in/{MONDAY}/together/").content.decode()
    # Not revealed, not "kept private", not a row at all: B sees only B's own support.
    assert str(SAFETY_ITEM.label) not in together.split("support-heading")[-1]
    assert str(SAFETY_ITEM.short) not in together
    assert together.count("kept private") == 0
    # The safety answer is nowhere in what the partner may read.
    assert SafetyAnswer.objects.visible_to(partner_b).filter(owner=partner_a).count() == 0
    theirs = CheckIn.objects.visible_to(partner_b).get(owner=partner_a)
    assert "felt_safe" not in theirs.answers_for(partner_b)
    # And never a prompt or a talk: prompts only come from shared items.
    shared = {item.key for item in SCORED_ITEMS} | {key for key, _label in TEXT_ITEMS}
    assert set(conversation_content.difference_prompts()) <= shared
    assert SAFETY_ITEM.key not in shared


def test_the_form_says_exactly_who_sees_the_answer(client_for, couple, partner_a):
    page = client_for(partner_a).get(f"/check-in/{MONDAY}/").content.decode()
    assert str(SAFETY_ITEM.label) in page
    assert "Just for you and your care team." in page

    alone_a, alone_b = UserFactory(display_name="Jo"), UserFactory(display_name="Ren")
    make_couple(alone_a, alone_b)
    page = client_for(alone_a).get(f"/check-in/{MONDAY}/").content.decode()
    assert "Just for you. Your partner never sees this answer" in page
    assert "care team" not in page.split('id="safety-who"')[1].split("</p>")[0]


def test_a_low_answer_shows_that_person_support_at_once(client_for, couple, partner_a, partner_b):
    response = _post(client_for(partner_a), answers(felt_safe=4))
    page = client_for(partner_a).get(response["Location"]).content.decode()
    assert SUPPORT in page
    assert "Your care team does" in page
    assert 'href="tel:' in page  # the deployment's support services, right there
    # The partner is shown nothing of it, before or after checking in.
    assert SUPPORT not in client_for(partner_b).get(response["Location"]).content.decode()
    _post(client_for(partner_b), answers(felt_safe=9))
    assert SUPPORT not in client_for(partner_b).get(response["Location"]).content.decode()


def test_a_middling_answer_is_not_met_with_alarm(client_for, couple, partner_a):
    response = _post(client_for(partner_a), answers(felt_safe=5))
    assert SUPPORT not in client_for(partner_a).get(response["Location"]).content.decode()


def test_a_drop_of_three_since_the_last_answer_shows_support(client_for, couple, partner_a):
    _opened_last_week(couple)
    with time_machine.travel("2026-11-24 10:00:00+00:00", tick=False):
        _post(client_for(partner_a), answers(felt_safe=9), start=LAST_MONDAY)
    client = client_for(partner_a)
    _post(client, answers(felt_safe=6))
    assert SUPPORT in client.get(f"/check-in/{MONDAY}/together/").content.decode()
    _post(client, answers(felt_safe=7))  # corrected: two lower is not a clear drop
    assert SUPPORT not in client.get(f"/check-in/{MONDAY}/together/").content.decode()


def test_a_drop_from_an_answer_to_the_earlier_question_counts_too(client_for, couple, partner_a):
    _opened_last_week(couple)
    with time_machine.travel("2026-11-24 10:00:00+00:00", tick=False):
        _post(client_for(partner_a), answers(), start=LAST_MONDAY)
    client = client_for(partner_a)
    SafetyAnswer.objects.create(
        checkin=CheckIn.objects.get(owner=partner_a),
        couple=couple,
        owner=partner_a,
        period_start=date(2026, 11, 23),
        safe_with_each_other=8,
    )
    _post(client, answers(felt_safe=5))
    assert SUPPORT in client.get(f"/check-in/{MONDAY}/together/").content.decode()


def test_correcting_only_the_safety_answer_leaves_the_checkin_untouched(
    client_for, couple, partner_a
):
    client = client_for(partner_a)
    _post(client, answers(felt_safe=8))
    before = CheckIn.objects.get(owner=partner_a)
    with time_machine.travel("2026-12-01 10:05:00+00:00", tick=False):
        _post(client, answers(felt_safe=3))
    after = CheckIn.objects.get(owner=partner_a)
    assert after.updated_at == before.updated_at
    assert not CheckInRevision.objects.exists()
    safety = SafetyAnswer.objects.get(owner=partner_a)
    assert safety.felt_safe == 3
    assert [value for _when, value in safety.earlier] == [8]
    # The person sees their own answer back when correcting.
    page = client.get(f"/check-in/{MONDAY}/").content.decode()
    assert re.search(r'<input[^>]*name="felt_safe" value="3"[^>]*checked', page)


def test_the_care_team_sees_it_only_while_care_consent_holds(
    client_for, couple, partner_a, clinician
):
    _post(client_for(partner_a), answers(felt_safe=3))
    page = client_for(clinician).get(f"/check-in/care/{couple.pk}/").content.decode()
    assert "low or dropping" in page
    Consent.objects.filter(user=partner_a, kind="care").update(withdrawn_at=timezone.now())
    assert SafetyAnswer.objects.visible_to(clinician).count() == 0


def test_no_closeness_this_time_is_an_answer(client_for, couple, partner_a, partner_b):
    _post(client_for(partner_a), answers(sexual_comfort="none"))
    assert CheckIn.objects.get(owner=partner_a).sexual_comfort is None
    _post(client_for(partner_b), answers())
    page = client_for(partner_b).get(f"/check-in/{MONDAY}/together/").content.decode()
    assert "no closeness this time" in page
    assert "kept private" not in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "Please choose a number from 0 to 10, or"),
        ({"sexual_comfort": "11"}, "Please choose a number from 0 to 10, or"),
        ({"sexual_comfort": "nothing"}, "Please choose a number from 0 to 10, or"),
    ],
)
def test_comfort_needs_a_number_or_no_closeness_and_keeps_what_was_typed(
    client_for, couple, partner_a, extra, message
):
    data = answers(sexual_comfort=None, appreciated="words I typed") | extra
    response = _post(client_for(partner_a), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "words I typed" in page
    assert not CheckIn.objects.exists() and not SafetyAnswer.objects.exists()


@pytest.mark.parametrize("value", ["11", "-1", "lots"])
def test_a_bad_safety_answer_is_refused_and_nothing_is_saved(client_for, couple, partner_a, value):
    response = _post(client_for(partner_a), answers(felt_safe=value))
    assert response.status_code == 400
    assert not CheckIn.objects.exists() and not SafetyAnswer.objects.exists()


def _closing(client_for, couple, a, b, mine: int, theirs: int) -> str:
    scores = {"openness": 0, "sexual_comfort": 0, "mutual_support": 0, "sleep_quality": 0}
    _post(client_for(a), answers(**dict.fromkeys(scores, mine), mood=mine, stress=10 - mine))
    _post(client_for(b), answers(**dict.fromkeys(scores, theirs), mood=theirs, stress=10 - theirs))
    return client_for(a).get(f"/check-in/{MONDAY}/together/").content.decode()


def test_a_hard_time_for_both_is_met_as_one(client_for, couple, partner_a, partner_b):
    page = _closing(client_for, couple, partner_a, partner_b, 2, 3)
    assert "This has been a hard time for both of you." in page


def test_a_hard_time_for_one_names_nobody(client_for, couple, partner_a, partner_b):
    page = _closing(client_for, couple, partner_a, partner_b, 8, 2)
    assert "It has been harder for one of you lately." in page
    assert "hard time for both" not in page


def test_good_times_are_noticed(client_for, couple, partner_a, partner_b):
    page = _closing(client_for, couple, partner_a, partner_b, 8, 9)
    assert "Things have felt good for you both." in page


def test_the_first_checkin_says_which_time_to_think_about(client_for, couple, partner_a):
    page = client_for(partner_a).get(f"/check-in/{MONDAY}/").content.decode()
    assert "This is your first check-in, so think about the past week." in page
    assert "since your last check-in" in page
    _post(client_for(partner_a), answers())
    with time_machine.travel("2026-12-08 10:00:00+00:00", tick=False):
        later = client_for(partner_a).get("/check-in/2026-12-07/").content.decode()
    assert "This is your first check-in" not in later


@pytest.mark.django_db(transaction=True)
def test_earlier_answers_to_the_old_shared_item_become_private_to_their_author() -> None:
    executor = MigrationExecutor(connection)
    before = [("checkins", "0003_schedule_keeps_earlier_rhythms")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    a, b = UserFactory(), UserFactory()
    couple = make_couple(a, b)
    old_checkin = old.get_model("checkins", "CheckIn")
    scores = {"sexual_comfort": 5, "mutual_support": 5, "stress": 5, "sleep_quality": 5, "mood": 5}
    for person, safe in ((a, 2), (b, 9)):
        old_checkin.objects.create(
            couple_id=couple.pk,
            owner_id=person.pk,
            period_start=date(2026, 11, 23),
            emotional_safety=safe,
            **scores,
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert SafetyAnswer.objects.get(owner=a).safe_with_each_other == 2
    assert SafetyAnswer.objects.visible_to(a).get().safe_with_each_other == 2
    assert not SafetyAnswer.objects.visible_to(b).filter(owner=a).exists()
    # The check-in itself is still revealed to the partner, now without the item.
    theirs = CheckIn.objects.visible_to(b).get(owner=a)
    assert "emotional_safety" not in theirs.answers_for(b)
    assert theirs.openness is None


def test_a_privacy_lock_keeps_the_answers_closed_until_the_password(
    client_for, couple, partner_a, partner_b
):
    from tests.factories import PASSWORD
    from twofold.accounts import actions as account_actions

    _post(client_for(partner_a), answers(felt_safe=2, appreciated="a-kept-thought-51c"))
    _post(client_for(partner_b), answers())
    account_actions.set_privacy_lock(True, acting_user=partner_a, password=PASSWORD, ip="1.2.3.4")
    client = client_for(partner_a)
    for url in (f"/check-in/{MONDAY}/", f"/check-in/{MONDAY}/together/"):
        page = client.get(url).content.decode()
        assert "Enter your password to open this" in page, url
        assert "a-kept-thought-51c" not in page and SUPPORT not in page, url
    # A correction sent while locked changes nothing.
    assert _post(client, answers(felt_safe=9)).status_code == 403
    assert SafetyAnswer.objects.get(owner=partner_a).felt_safe == 2
    # The partner's own pages never ask.
    page = client_for(partner_b).get(f"/check-in/{MONDAY}/together/").content.decode()
    assert "Enter your password" not in page and "a-kept-thought-51c" in page

    client.post("/me/privacy-lock/open/", {"password": PASSWORD, "next": "/check-in/"})
    page = client.get(f"/check-in/{MONDAY}/together/").content.decode()
    assert "a-kept-thought-51c" in page and SUPPORT in page
