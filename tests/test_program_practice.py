"""Practice logs: private by default, shared by choice; participation visible to both."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.html import escape

from tests.program_helpers import answer_all, open_everything
from twofold.program import content
from twofold.program.models import Plan, PracticeLog

TOUCH = "getting-to-know-your-body"  # a touch exercise of the first stage (done alone)
TALK = "learning-how-the-body-has-changed"


@pytest.fixture
def plan(couple):
    return open_everything(couple)


def _log(client, key, **extra):
    data = {
        "practised_on": timezone.localdate().isoformat(),
        "comfort": 7,
        "anxiety": 3,
        "closeness": 8,
        "attention": 3,
        "noticed_most": "texture",
        "note": "Felt shy at first, then calmer.",
        **extra,
    }
    return client.post(f"/program/exercises/{key}/log/", data)


def test_a_private_log_is_seen_by_its_author_only(
    client_for, plan, partner_a, partner_b, clinician, couple
):
    key = plan.stage.exercises[0].key
    assert _log(client_for(partner_a), key).status_code == 302
    assert "Felt shy at first" in client_for(partner_a).get("/program/logs/").content.decode()
    assert "Felt shy at first" not in client_for(partner_b).get("/program/logs/").content.decode()
    care = client_for(clinician).get(f"/care/couples/{couple.pk}/program/").content.decode()
    assert "Felt shy at first" not in care


def test_the_partner_sees_that_you_practised_but_not_how_it_went(
    client_for, plan, partner_a, partner_b
):
    _log(client_for(partner_a), plan.stage.exercises[0].key)
    page = client_for(partner_b).get("/program/").content.decode()
    assert "Alex practised this week." in page
    assert "practised once" not in page and "times this week" not in page
    assert "Felt shy" not in page


def test_sharing_with_the_partner_and_the_care_team(
    client_for, plan, partner_a, partner_b, clinician, couple
):
    _log(
        client_for(partner_a),
        plan.stage.exercises[0].key,
        shared_with_partner="on",
        shared_with_care="on",
    )
    assert "Felt shy at first" in client_for(partner_b).get("/program/logs/").content.decode()
    care = client_for(clinician).get(f"/care/couples/{couple.pk}/program/").content.decode()
    assert "Felt shy at first" in care


def test_a_score_out_of_range_is_refused_and_keeps_the_note(client_for, plan, partner_a):
    response = _log(client_for(partner_a), plan.stage.exercises[0].key, comfort=11)
    assert response.status_code == 400
    body = response.content.decode()
    assert "less than or equal to 10" in body
    assert "Felt shy at first, then calmer." in body
    assert not PracticeLog.objects.exists()


def test_a_future_date_is_refused(client_for, plan, partner_a):
    response = _log(client_for(partner_a), plan.stage.exercises[0].key, practised_on="2999-01-01")
    assert response.status_code == 400
    assert "in the future" in response.content.decode()


def test_the_note_is_encrypted_at_rest(client_for, plan, partner_a):
    from django.db import connection

    _log(client_for(partner_a), plan.stage.exercises[0].key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM program_practicelog")
        (raw,) = cursor.fetchone()
    assert raw.startswith("tf1:") and "shy" not in raw


def test_an_exercise_from_a_later_stage_cannot_be_opened_yet(client_for, plan, partner_a):
    later = plan.program.stages[2].exercises[0].key
    assert client_for(partner_a).get(f"/program/exercises/{later}/").status_code == 404


def _at_stage(plan, index):
    Plan.objects.filter(pk=plan.pk).update(stage_index=index)
    return Plan.objects.get(pk=plan.pk)


def test_the_log_asks_about_staying_with_the_sensations_never_enjoyment(
    client_for, plan, partner_a
):
    form = client_for(partner_a).get(f"/program/exercises/{TOUCH}/log/").content.decode()
    assert "How much of the time could you stay with the sensations?" in form
    assert "Which sensation did you notice most?" in form
    for choice in ("Temperature", "Pressure", "Texture", "Movement", "Something else"):
        assert choice in form
    assert "enjoy" not in form.lower()
    assert _log(client_for(partner_a), TOUCH).status_code == 302
    log = PracticeLog.objects.get()
    assert (log.attention, log.noticed_most, log.pleasure) == (3, "texture", None)
    logs = client_for(partner_a).get("/program/logs/").content.decode()
    assert "Most of the time" in logs and "Texture" in logs and "Enjoyment" not in logs


def test_which_sensation_is_optional_but_how_much_of_the_time_is_asked(client_for, plan, partner_a):
    response = _log(client_for(partner_a), TOUCH, noticed_most="")
    assert response.status_code == 302
    assert PracticeLog.objects.get().noticed_most == ""
    PracticeLog.objects.all().delete()
    response = _log(client_for(partner_a), TOUCH, attention="")
    assert response.status_code == 400
    assert "closest to how it was" in response.content.decode()
    assert _log(client_for(partner_a), TOUCH, attention=9).status_code == 400
    assert not PracticeLog.objects.exists()


def test_a_talk_exercise_asks_nothing_about_sensations(client_for, plan, partner_a):
    form = client_for(partner_a).get(f"/program/exercises/{TALK}/log/").content.decode()
    assert "stay with the sensations" not in form and "noticed most" not in form
    assert _log(client_for(partner_a), TALK).status_code == 302
    log = PracticeLog.objects.get()
    assert (log.attention, log.noticed_most) == (None, "")


def test_an_earlier_enjoyment_answer_still_reads_as_it_was_written(
    client_for, plan, couple, partner_a
):
    PracticeLog.objects.create(
        plan=plan,
        couple=couple,
        owner=partner_a,
        exercise_key=TALK,
        stage_index=0,
        comfort=5,
        anxiety=4,
        closeness=6,
        pleasure=6,
    )
    page = client_for(partner_a).get("/program/logs/").content.decode()
    assert "Earlier question, enjoyment: 6 of 10" in page


def test_exercises_of_earlier_stages_stay_reachable(client_for, plan, couple, partner_a):
    plan = _at_stage(plan, 2)
    home = client_for(partner_a).get("/program/").content.decode()
    assert "Exercises from earlier stages" in home
    for earlier in plan.program.stages[:2]:
        assert escape(earlier.title) in home
        for exercise in earlier.exercises:
            assert f"/program/exercises/{exercise.key}/" in home, exercise.key
    page = client_for(partner_a).get("/program/exercises/hands-and-arms/")
    assert page.status_code == 200
    assert "an earlier stage, here whenever you want it" in page.content.decode()
    assert _log(client_for(partner_a), "hands-and-arms").status_code == 302
    assert PracticeLog.objects.get().stage_index == 1


def test_boundaries_still_gate_earlier_exercises(client_for, plan, couple, partner_a, partner_b):
    plan = _at_stage(plan, 2)
    answers = dict.fromkeys(content.activities(), "yes")
    answers["hand-arm-touch"] = "no"
    client_for(partner_b).post("/boundaries/", answers)
    assert client_for(partner_a).get("/program/exercises/hands-and-arms/").status_code == 404
    assert "/program/exercises/hands-and-arms/" not in (
        client_for(partner_a).get("/program/").content.decode()
    )
    answer_all(partner_b, couple, "yes")
    assert client_for(partner_a).get("/program/exercises/hands-and-arms/").status_code == 200


def test_every_exercise_page_shows_its_safety_notes_and_the_stop_and_call_list(
    client_for, plan, partner_a
):
    plan = _at_stage(plan, len(plan.program.stages) - 1)
    program = plan.program
    for stage in program.stages:
        for exercise in stage.exercises:
            body = client_for(partner_a).get(f"/program/exercises/{exercise.key}/")
            assert body.status_code == 200, exercise.key
            html = body.content.decode()
            assert "When to stop and call for help" in html
            for sign in program.stop_and_call:
                assert escape(sign) in html, (exercise.key, sign)
            assert escape(program.stop_and_call_advice) in html
            assert "Keeping safe" in html
            for note in exercise.safety:
                assert escape(note) in html, (exercise.key, note)
            for condition in program.conditions_for(exercise):
                assert f"<summary>{escape(condition.title)}</summary>" in html
                for note in condition.notes:
                    assert escape(note) in html


def test_the_arousal_note_shows_on_touch_before_the_genital_stage_only(client_for, plan, partner_a):
    plan = _at_stage(plan, 3)
    note = escape(plan.program.arousal_note)
    before = client_for(partner_a).get("/program/exercises/touch-for-curiosity/")
    assert note in before.content.decode()
    genital = client_for(partner_a).get("/program/exercises/including-the-genitals/")
    assert note not in genital.content.decode()
    talk = client_for(partner_a).get(f"/program/exercises/{TALK}/")
    assert note not in talk.content.decode()


def test_the_program_page_says_how_to_tell_you_are_ready_and_shows_the_ground_rules(
    client_for, plan, partner_a
):
    home = client_for(partner_a).get("/program/").content.decode()
    assert escape(plan.stage.ready_when) in home
    for rule in plan.program.ground_rules:
        assert escape(rule) in home
    assert escape(plan.program.arousal_note) in home
    _at_stage(plan, 3)
    home = client_for(partner_a).get("/program/").content.decode()
    assert escape(plan.program.arousal_note) not in home


def test_a_solo_exercise_does_not_ask_how_close_you_felt_to_your_partner(
    client_for, plan, partner_a
):
    form = client_for(partner_a).get(f"/program/exercises/{TOUCH}/log/").content.decode()
    assert "How close did you feel to your partner?" not in form
    assert _log(client_for(partner_a), TOUCH).status_code == 302
    assert PracticeLog.objects.get().closeness is None
    logs = client_for(partner_a).get("/program/logs/").content.decode()
    assert "None" not in logs


def test_an_exercise_together_still_asks_about_closeness(client_for, plan, partner_a):
    form = client_for(partner_a).get(f"/program/exercises/{TALK}/log/").content.decode()
    assert "How close did you feel to your partner?" in form
