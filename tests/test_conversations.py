"""Talk together: scripts and prompts as data, and guided conversations both partners follow.

Nothing said in a conversation is ever recorded; the session only knows the step, whose
turn it is and the timer.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection, models
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import UserFactory, make_couple
from twofold.conversations import actions, content
from twofold.conversations.models import TalkSession
from twofold.conversations.prompts import (
    CHECKIN_ITEMS,
    SuggestedPrompt,
    prompts_after_reveal,
)
from twofold.lib.content import ContentError, read_json

HTMX = {"HTTP_HX_REQUEST": "true"}
GENDERED = re.compile(
    r"\b(he|she|him|her|his|hers|man|woman|men|women|husband|wife|boyfriend|girlfriend)\b",
    re.IGNORECASE,
)
EXPLICIT = re.compile(
    r"\b(sex|sexual|penis|vagina|vulva|breasts?|orgasm\w*|erections?|climax\w*|arous\w*)\b",
    re.IGNORECASE,
)
BLAME = re.compile(r"\b(your fault|blame|you always|you never|wrong with you)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _fresh_content() -> None:
    content.reload()


# Content ---------------------------------------------------------------------------------


def _all_texts() -> list[str]:
    texts: list[str] = []
    for script in content.scripts().values():
        texts += [script.title, script.purpose]
        for step in script.steps:
            texts += [step.prompt, step.hint]
    for prompt in content.difference_prompts().values():
        texts += [prompt.title, prompt.prompt]
    return texts


def test_the_five_promised_scripts_load_in_their_fixed_order():
    assert list(content.scripts()) == [
        "weekly-check-in",
        "raising-a-concern",
        "reviewing-an-adjustment",
        "celebrating-progress",
        "booster-meeting",
    ]
    for key, script in content.scripts().items():
        path = content.SCRIPTS_DIR / f"{key}.json"
        assert read_json(path)["key"] == key
        assert 6 <= len(script.steps) <= 10, key
        assert script.turn_seconds >= 60, key


def test_every_script_opens_with_a_time_limit_and_pausing_and_closes_with_appreciation():
    for key, script in content.scripts().items():
        opening, closing = script.steps[0], script.steps[-1]
        assert opening.kind == "together", key
        assert "how long" in opening.prompt.lower(), key
        assert "pause" in opening.prompt.lower(), key
        assert closing.kind == "together", key
        assert "appreciat" in closing.prompt.lower(), key


def test_every_script_lets_both_partners_speak_and_be_reflected():
    for key, script in content.scripts().items():
        kinds = [s.kind for s in script.steps]
        assert kinds.count("speak") >= 2, key
        assert kinds.count("reflect") >= 2, key


def test_content_is_gender_neutral_never_explicit_and_never_blaming():
    for text in _all_texts():
        assert not GENDERED.search(text), text
        assert not EXPLICIT.search(text), text
        assert not BLAME.search(text), text


def test_every_checkin_item_has_a_difference_prompt_pointing_at_a_script():
    prompts = content.difference_prompts()
    assert set(prompts) == {*CHECKIN_ITEMS, "talk_about"}
    for prompt in prompts.values():
        assert prompt.script_key in {"weekly-check-in", "raising-a-concern"}
        assert prompt.title and prompt.prompt


def test_the_talk_about_prompt_invites_the_person_who_raised_it_to_speak_first():
    text = content.difference_prompts()["talk_about"].prompt.lower()
    assert "raised it" in text and "speak first" in text


def _script_data() -> dict[str, Any]:
    return copy.deepcopy(read_json(content.SCRIPTS_DIR / "weekly-check-in.json"))


def _broken_script(tmp_path: Path, data: dict[str, Any], name: str = "weekly-check-in") -> Any:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ContentError) as excinfo:
        content.parse_script(read_json(path), path)
    assert excinfo.value.path == str(path)
    return excinfo.value


def test_an_unknown_step_kind_is_refused_naming_the_file_and_field(tmp_path):
    data = _script_data()
    data["steps"][2]["kind"] = "debate"
    error = _broken_script(tmp_path, data)
    assert error.field == "steps[2].kind"
    assert "weekly-check-in.json" in str(error) and "debate" in str(error)


def test_a_step_without_a_prompt_is_refused(tmp_path):
    data = _script_data()
    del data["steps"][1]["prompt"]
    assert _broken_script(tmp_path, data).field == "steps[1].prompt"


def test_a_blank_prompt_is_refused(tmp_path):
    data = _script_data()
    data["steps"][3]["prompt"] = "   "
    assert _broken_script(tmp_path, data).field == "steps[3].prompt"


def test_a_script_key_different_from_its_file_name_is_refused(tmp_path):
    data = _script_data()
    data["key"] = "weekly-chat"
    error = _broken_script(tmp_path, data)
    assert error.field == "key"
    assert "file name" in error.reason


def test_a_script_with_too_few_steps_or_no_second_speaker_is_refused(tmp_path):
    data = _script_data()
    data["steps"] = data["steps"][:5]
    assert _broken_script(tmp_path, data).field == "steps"
    data = _script_data()
    data["steps"][4]["kind"] = "together"
    assert "both speak" in _broken_script(tmp_path, data).reason


def test_a_reflect_step_before_anyone_spoke_is_refused(tmp_path):
    data = _script_data()
    data["steps"][1]["kind"] = "reflect"
    assert _broken_script(tmp_path, data).field == "steps[1].kind"


def test_a_misspelt_step_field_is_refused(tmp_path):
    data = _script_data()
    data["steps"][0]["hnit"] = "typo"
    assert _broken_script(tmp_path, data).field == "steps[0]"


def test_a_missing_promised_script_is_refused(tmp_path):
    for key in content.REQUIRED_SCRIPTS[1:]:
        source = content.SCRIPTS_DIR / f"{key}.json"
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), "utf-8")
    with pytest.raises(ContentError) as excinfo:
        content.load_scripts(tmp_path)
    assert "weekly-check-in.json" in excinfo.value.path


def _difference_data() -> dict[str, Any]:
    return copy.deepcopy(read_json(content.DIFFERENCE_PROMPTS_FILE))


def _broken_prompts(tmp_path: Path, data: dict[str, Any]) -> ContentError:
    path = tmp_path / "difference_prompts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ContentError) as excinfo:
        content.parse_difference_prompts(read_json(path), path, frozenset(content.scripts()))
    assert "difference_prompts.json" in str(excinfo.value)
    return excinfo.value


def test_a_difference_prompt_for_an_unknown_item_is_refused(tmp_path):
    data = _difference_data()
    data["items"]["weather"] = dict(data["items"]["mood"])
    error = _broken_prompts(tmp_path, data)
    assert error.field == "items.weather"


def test_a_missing_item_or_unknown_script_in_difference_prompts_is_refused(tmp_path):
    data = _difference_data()
    del data["items"]["stress"]
    assert _broken_prompts(tmp_path, data).field == "items.stress"
    data = _difference_data()
    data["talk_about"]["script"] = "shouting-match"
    assert _broken_prompts(tmp_path, data).field == "talk_about.script"


def test_reload_forgets_cached_content():
    first = content.scripts()
    assert content.scripts() is first
    content.reload()
    assert content.scripts() is not first


# Prompts after a reveal (pure: no database) ------------------------------------------------


def _scores(**values: int | None) -> dict[str, int | None]:
    return dict(values)


def test_a_difference_of_exactly_three_suggests_a_talk():
    result = prompts_after_reveal(_scores(mood=4), _scores(mood=7), 0)
    assert [p.key for p in result] == ["mood"]
    prompt = result[0]
    assert isinstance(prompt, SuggestedPrompt)
    expected = content.difference_prompts()["mood"]
    assert (prompt.title, prompt.text, prompt.script_key) == (
        expected.title,
        expected.prompt,
        expected.script_key,
    )


def test_a_difference_of_two_suggests_nothing():
    assert prompts_after_reveal(_scores(mood=4), _scores(mood=6), 0) == []


def test_an_item_kept_private_by_either_partner_suggests_nothing():
    assert prompts_after_reveal(_scores(stress=0), _scores(stress=None), 0) == []
    assert prompts_after_reveal(_scores(stress=None), _scores(stress=10), 0) == []
    assert prompts_after_reveal(_scores(), _scores(stress=10), 0) == []


def test_largest_differences_come_first_and_ties_keep_the_item_order():
    first = _scores(openness=5, sexual_comfort=2, mutual_support=9, stress=1, mood=3)
    second = _scores(openness=8, sexual_comfort=9, mutual_support=4, stress=5, mood=6)
    result = prompts_after_reveal(first, second, 0)
    # Differences: sexual_comfort 7, mutual_support 5, stress 4, openness 3, mood 3.
    assert [p.key for p in result] == [
        "sexual_comfort",
        "mutual_support",
        "stress",
        "openness",
        "mood",
    ]


def test_the_prompts_are_the_same_whoever_scored_higher():
    first = _scores(sleep_quality=1, mood=9)
    second = _scores(sleep_quality=8, mood=2)
    assert prompts_after_reveal(first, second, 1) == prompts_after_reveal(second, first, 1)


def test_a_talk_about_prompt_comes_last_and_only_once():
    result = prompts_after_reveal(_scores(stress=0), _scores(stress=9), 2)
    assert [p.key for p in result] == ["stress", "talk_about"]
    assert [p.key for p in prompts_after_reveal({}, {}, 1)] == ["talk_about"]
    assert prompts_after_reveal({}, {}, 0) == []


def test_unknown_keys_in_the_answers_are_ignored():
    assert prompts_after_reveal({"shoe_size": 1}, {"shoe_size": 9}, 0) == []


# The shared check-in items, the only ones a prompt may ever be built from. For now they
# are the content's own keys; once the check-in model names its shared items, take them
# from there instead.
SHARED_ITEMS = frozenset(CHECKIN_ITEMS)
# The safety item, old and new, and anything else the partner never sees.
PRIVATE_ITEMS = ("emotional_safety", "felt_safe", "safe_with_each_other")


def test_the_safety_items_are_never_among_the_items_prompts_are_built_from():
    assert "openness" in SHARED_ITEMS
    assert not SHARED_ITEMS & set(PRIVATE_ITEMS)
    assert not set(content.difference_prompts()) & set(PRIVATE_ITEMS)


def test_a_gap_in_the_safety_items_never_builds_a_prompt():
    for key in PRIVATE_ITEMS:
        assert prompts_after_reveal({key: 0}, {key: 10}, 0) == []
        assert [p.key for p in prompts_after_reveal({key: 0}, {key: 10}, 1)] == ["talk_about"]


@given(
    answers=st.lists(
        st.tuples(
            st.sampled_from([*CHECKIN_ITEMS, *PRIVATE_ITEMS, "shoe_size", "talk_about"])
            | st.text(max_size=12),
            st.integers(0, 10) | st.none(),
            st.integers(0, 10) | st.none(),
        ),
        max_size=12,
    ),
    talk_about_count=st.integers(0, 2),
)
def test_no_prompt_is_ever_built_from_a_key_that_is_not_a_shared_item(answers, talk_about_count):
    first = {key: a for key, a, _b in answers}
    second = {key: b for key, _a, b in answers}
    keys = [p.key for p in prompts_after_reveal(first, second, talk_about_count)]
    assert set(keys) <= SHARED_ITEMS | {"talk_about"}
    assert keys.count("talk_about") == (1 if talk_about_count else 0)
    for key in keys:
        if key != "talk_about":
            a, b = first[key], second[key]
            assert a is not None and b is not None and abs(a - b) >= 3


def test_the_openness_prompt_wonders_together_and_never_says_who_answered_lower():
    prompt = content.difference_prompts()["openness"]
    text = f"{prompt.title} {prompt.prompt}".lower()
    assert "open" in text and "judge" in text
    assert not re.search(r"\b(higher|lower|more open|less open|scored)\b", text), text


def test_no_prompt_or_script_speaks_of_safety_except_to_point_to_the_safety_page():
    for text in _all_texts():
        rest = text.replace("Safety and support page", "")
        assert not re.search(r"\b(safe|safety|unsafe|safely)\b", rest, re.IGNORECASE), text


def test_where_a_script_speaks_of_the_care_team_each_person_decides_alone_what_to_tell_it():
    mentions = 0
    for key, script in content.scripts().items():
        for index, step in enumerate(script.steps):
            words = f"{step.prompt} {step.hint}"
            if "care team" in words.lower():
                mentions += 1
                assert re.search(r"\beach\b.*\bdecides? alone\b", words), (key, index)
    assert mentions >= 1


# Starting and following a conversation -----------------------------------------------------


def _start(client: Any, key: str = "weekly-check-in") -> TalkSession:
    response = client.post(reverse("talk_start", args=[key]))
    assert response.status_code == 302
    session = TalkSession.objects.order_by("-started_at").first()
    assert session is not None
    assert response["Location"] == reverse("talk_session", args=[session.pk])
    return session


def _press(client: Any, name: str, session: TalkSession, htmx: bool = False, **data: Any) -> Any:
    return client.post(reverse(name, args=[session.pk]), data, **(HTMX if htmx else {}))


def _next(client: Any, session: TalkSession, **kwargs: Any) -> Any:
    session.refresh_from_db()
    return _press(client, "talk_next", session, seen_step=session.step_index, **kwargs)


def test_talk_home_lists_every_script_with_a_start_button(client_for, couple, partner_a):
    response = client_for(partner_a).get(reverse("talk_home"))
    assert response.status_code == 200
    page = response.content.decode()
    for key, script in content.scripts().items():
        assert escape(script.title) in page
        assert escape(script.purpose) in page
        assert reverse("talk_start", args=[key]) in page
    assert "Nothing you say is recorded" in page


def test_starting_a_talk_makes_the_starter_the_first_speaker(client_for, couple, partner_b):
    session = _start(client_for(partner_b), "raising-a-concern")
    assert session.couple == couple
    assert session.script_key == "raising-a-concern"
    assert session.script_version == content.scripts()["raising-a-concern"].version
    assert session.started_by == partner_b
    assert session.speaker_seat == "b"
    assert session.step_index == 0
    assert session.is_open and not session.paused


def test_an_open_talk_is_shown_with_a_join_link_to_the_other_partner(
    client_for, couple, partner_a, partner_b
):
    session = _start(client_for(partner_a))
    page = client_for(partner_b).get(reverse("talk_home")).content.decode()
    assert "A conversation in progress" in page
    assert reverse("talk_session", args=[session.pk]) in page
    assert "Join" in page


def test_starting_a_new_talk_ends_the_open_one(client_for, couple, partner_a, partner_b):
    first = _start(client_for(partner_a))
    second = _start(client_for(partner_b), "celebrating-progress")
    first.refresh_from_db()
    assert not first.is_open
    assert second.is_open
    assert TalkSession.objects.open().filter(couple=couple).count() == 1


def test_starting_an_unknown_script_is_a_404(client_for, couple, partner_a):
    response = client_for(partner_a).post(reverse("talk_start", args=["shouting-match"]))
    assert response.status_code == 404
    assert not TalkSession.objects.exists()


def test_starting_needs_a_post(client_for, couple, partner_a):
    response = client_for(partner_a).get(reverse("talk_start", args=["weekly-check-in"]))
    assert response.status_code == 405


def test_the_session_page_shows_the_script_step_and_controls(client_for, couple, partner_a):
    client = client_for(partner_a)
    session = _start(client)
    script = content.scripts()["weekly-check-in"]
    response = client.get(reverse("talk_session", args=[session.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(script.title) in page
    assert "Step 1 of 8" in page
    assert escape(script.steps[0].prompt) in page
    assert escape(script.steps[0].hint) in page
    for label in ("Next step", "Swap speaker", "Pause", "End conversation"):
        assert label in page
    assert f'hx-get="{reverse("talk_state", args=[session.pk])}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert 'name="seen_step" value="0"' in page
    assert "conversations/talk.js" in page
    assert 'aria-live="polite"' in page
    assert "Time's up. Finish your thought, then swap." in page
    assert "<title>Talk together · Twofold</title>" in page


def _advance_to(client: Any, session: TalkSession, index: int) -> None:
    while True:
        session.refresh_from_db()
        if session.step_index >= index:
            return
        _next(client, session)


def test_both_partners_see_the_same_step_and_who_speaks(client_for, couple, partner_a, partner_b):
    alex, sam = client_for(partner_a), client_for(partner_b)
    session = _start(alex)
    _advance_to(alex, session, 2)  # the first speak step
    url = reverse("talk_state", args=[session.pk])
    for_alex = alex.get(url, **HTMX).content.decode()
    for_sam = sam.get(url, **HTMX).content.decode()
    prompt = content.scripts()["weekly-check-in"].steps[2].prompt
    for page in (for_alex, for_sam):
        assert "Step 3 of 8" in page
        assert escape(prompt) in page
        assert "Alex speaks, Sam listens." in page
        assert "Listen without interrupting. You&#x27;ll have your turn." in page
        assert "<html" not in page
    assert "You speak." in for_alex and "You listen." not in for_alex
    assert "You listen." in for_sam and "You speak." not in for_sam


def test_reflect_steps_ask_the_listener_to_say_back_what_they_heard(
    client_for, couple, partner_a, partner_b
):
    alex = client_for(partner_a)
    session = _start(alex)
    _advance_to(alex, session, 3)
    page = client_for(partner_b).get(reverse("talk_state", args=[session.pk])).content.decode()
    assert "Sam says back what they heard, Alex confirms or clarifies." in page
    assert "You say back what you heard." in page
    assert "Say back what you heard, in your own words. Then check: did I get that right?" in page


def test_turns_alternate_so_both_partners_speak(client_for, couple, partner_a, partner_b):
    alex = client_for(partner_a)
    session = _start(alex)
    speakers = {}
    script = content.scripts()["weekly-check-in"]
    for index, step in enumerate(script.steps):
        _advance_to(alex, session, index)
        session.refresh_from_db()
        if step.kind == "speak":
            speakers[index] = session.speaker_seat
    assert speakers == {2: "a", 4: "b"}
    page = client_for(partner_b).get(reverse("talk_state", args=[session.pk])).content.decode()
    assert "Together" in page


def test_the_opening_step_says_who_will_speak_first(client_for, couple, partner_a, partner_b):
    session = _start(client_for(partner_b))
    url = reverse("talk_state", args=[session.pk])
    assert "You speak first" in client_for(partner_b).get(url).content.decode()
    assert "Sam speaks first" in client_for(partner_a).get(url).content.decode()


def test_next_step_moves_on_and_restarts_the_turn_clock(client_for, couple, partner_a):
    client = client_for(partner_a)
    with time_machine.travel(datetime(2026, 3, 2, 19, 0, tzinfo=UTC), tick=False):
        session = _start(client)
    with time_machine.travel(datetime(2026, 3, 2, 19, 5, tzinfo=UTC), tick=False):
        response = _next(client, session)
    assert response.status_code == 302
    assert response["Location"] == reverse("talk_session", args=[session.pk])
    session.refresh_from_db()
    assert session.step_index == 1
    assert session.turn_started_at == datetime(2026, 3, 2, 19, 5, tzinfo=UTC)


def test_an_htmx_press_returns_the_fresh_state_fragment(client_for, couple, partner_a):
    client = client_for(partner_a)
    session = _start(client)
    response = _press(client, "talk_next", session, htmx=True, seen_step=0)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="talk-state"')
    assert "Step 2 of 8" in page


def test_a_stale_double_press_does_not_skip_a_step(client_for, couple, partner_a, partner_b):
    session = _start(client_for(partner_a))
    # Both devices saw step 0 and pressed "Next step" at the same moment.
    _press(client_for(partner_a), "talk_next", session, htmx=True, seen_step=0)
    response = _press(client_for(partner_b), "talk_next", session, htmx=True, seen_step=0)
    session.refresh_from_db()
    assert session.step_index == 1
    assert "Step 2 of 8" in response.content.decode()


def test_a_stale_press_without_javascript_explains_what_happened(client_for, couple, partner_a):
    client = client_for(partner_a)
    session = _start(client)
    _next(client, session)
    response = _press(client, "talk_next", session, seen_step=0)
    session.refresh_from_db()
    assert session.step_index == 1
    page = client.get(response["Location"]).content.decode()
    assert "already changed" in page


def test_a_press_without_a_seen_step_changes_nothing(client_for, couple, partner_a):
    client = client_for(partner_a)
    session = _start(client)
    _press(client, "talk_next", session)
    _press(client, "talk_next", session, seen_step="soon")
    session.refresh_from_db()
    assert session.step_index == 0


def test_swap_speaker_hands_the_turn_over_once(client_for, couple, partner_a, partner_b):
    session = _start(client_for(partner_a))
    for client in (client_for(partner_a), client_for(partner_b)):
        _press(client, "talk_swap", session, htmx=True, seen_step=0, seen_speaker="a")
    session.refresh_from_db()
    assert session.speaker_seat == "b"
    _advance_to(client_for(partner_a), session, 2)
    page = client_for(partner_a).get(reverse("talk_state", args=[session.pk])).content.decode()
    assert "Sam speaks, Alex listens." in page
    assert "You listen." in page


def test_pausing_freezes_the_talk_until_either_partner_resumes(
    client_for, couple, partner_a, partner_b
):
    alex, sam = client_for(partner_a), client_for(partner_b)
    session = _start(alex)
    _advance_to(alex, session, 2)
    response = _press(alex, "talk_pause", session, htmx=True, pause="yes")
    page = response.content.decode()
    assert "Paused" in page
    assert "Resume" in page
    assert "Next step" not in page
    assert 'role="timer"' not in page
    # Pressing Next on a stale screen does nothing while paused.
    _press(sam, "talk_next", session, seen_step=2)
    session.refresh_from_db()
    assert session.paused and session.step_index == 2

    with time_machine.travel(datetime(2026, 3, 2, 20, 0, tzinfo=UTC), tick=False):
        _press(sam, "talk_pause", session, pause="no")
    session.refresh_from_db()
    assert not session.paused
    assert session.turn_started_at == datetime(2026, 3, 2, 20, 0, tzinfo=UTC)


def test_pausing_twice_is_harmless(client_for, couple, partner_a, partner_b):
    session = _start(client_for(partner_a))
    _press(client_for(partner_a), "talk_pause", session, pause="yes")
    _press(client_for(partner_b), "talk_pause", session, pause="yes")
    session.refresh_from_db()
    assert session.paused


def test_ending_closes_the_talk_warmly_with_a_journal_link(
    client_for, couple, partner_a, partner_b
):
    session = _start(client_for(partner_a))
    response = _press(client_for(partner_b), "talk_end", session, htmx=True)
    session.refresh_from_db()
    assert not session.is_open
    page = response.content.decode()
    assert "Thank you for talking together" in page
    assert "If you'd like to keep a note of anything, you can write one in your journal." in page
    assert 'href="/journal/new/"' in page
    assert "hx-trigger" not in page  # polling stops once the talk is over
    assert (
        reverse("talk_session", args=[session.pk])
        not in client_for(partner_a).get(reverse("talk_home")).content.decode()
    )


def test_next_on_the_last_step_ends_the_talk(client_for, couple, partner_a):
    client = client_for(partner_a)
    session = _start(client, "celebrating-progress")
    last = len(content.scripts()["celebrating-progress"].steps) - 1
    _advance_to(client, session, last)
    page = client.get(reverse("talk_session", args=[session.pk])).content.decode()
    assert "Finish" in page and "Step 7 of 7" in page
    _next(client, session)
    session.refresh_from_db()
    assert not session.is_open
    assert (
        "Thank you for talking together"
        in client.get(reverse("talk_session", args=[session.pk])).content.decode()
    )


def test_presses_on_an_ended_talk_change_nothing(client_for, couple, partner_a):
    client = client_for(partner_a)
    session = _start(client)
    _press(client, "talk_end", session)
    _press(client, "talk_next", session, seen_step=0)
    _press(client, "talk_swap", session, seen_step=0, seen_speaker="a")
    _press(client, "talk_pause", session, pause="yes")
    session.refresh_from_db()
    assert (session.step_index, session.speaker_seat, session.paused) == (0, "a", False)


def test_the_timer_counts_down_from_when_the_turn_began(client_for, couple, partner_a):
    client = client_for(partner_a)
    start = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        session = _start(client)
        _advance_to(client, session, 2)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        page = client.get(reverse("talk_state", args=[session.pk])).content.decode()
    assert 'role="timer" aria-live="off"' in page
    assert 'data-turn-started="2026-03-02T19:00:00.000Z"' in page
    assert 'data-turn-seconds="120"' in page
    assert ">1:30</span>" in page
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        page = client.get(reverse("talk_state", args=[session.pk])).content.decode()
    assert ">0:00</span>" in page


def test_together_steps_have_no_turn_timer(client_for, couple, partner_a):
    client = client_for(partner_a)
    session = _start(client)
    page = client.get(reverse("talk_state", args=[session.pk])).content.decode()
    assert 'role="timer"' not in page


def test_the_timer_script_is_served(client_for, couple, partner_a):
    from django.contrib.staticfiles import finders

    path = finders.find("conversations/talk.js")
    assert path is not None
    source = Path(path).read_text(encoding="utf-8")
    assert "data-turn-started" in source and "data-turn-seconds" in source


def test_a_forgotten_screen_stops_polling_so_the_sign_in_can_time_out(
    client_for, couple, partner_a, settings
):
    settings.SESSION_COOKIE_AGE = 30 * 60
    client = client_for(partner_a)
    start = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        session = _start(client)
        page = client.get(reverse("talk_session", args=[session.pk])).content.decode()
    assert f'hx-vals=\'{{"since": "{int(start.timestamp())}"}}\'' in page
    url = reverse("talk_state", args=[session.pk])
    for minutes in (10, 20):  # the page kept polling, which keeps the sign-in alive
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            polled = client.get(url, {"since": int(start.timestamp())}, **HTMX)
            assert 'hx-trigger="every 2s"' in polled.content.decode()
    later = start + timedelta(minutes=31)
    with time_machine.travel(later, tick=False):
        quiet = client.get(url, {"since": int(start.timestamp())}, **HTMX).content.decode()
        recent = client.get(
            url, {"since": int((start + timedelta(minutes=5)).timestamp())}, **HTMX
        ).content.decode()
        reloaded = client.get(reverse("talk_session", args=[session.pk])).content.decode()
    assert "hx-trigger" not in quiet
    assert "Carry on" in quiet and "Next step" in quiet
    assert 'hx-trigger="every 2s"' in recent
    assert 'hx-trigger="every 2s"' in reloaded


def test_a_talk_whose_script_was_retired_can_still_be_closed(client_for, couple, partner_a):
    session = TalkSession.objects.create(
        couple=couple, script_key="retired-talk", script_version="1", speaker_seat="a"
    )
    client = client_for(partner_a)
    page = client.get(reverse("talk_session", args=[session.pk])).content.decode()
    assert "no longer available" in page
    _press(client, "talk_end", session)
    session.refresh_from_db()
    assert not session.is_open


# Who may take part -------------------------------------------------------------------------


def _session_urls(session: TalkSession) -> list[tuple[str, str]]:
    return [
        ("GET", reverse("talk_session", args=[session.pk])),
        ("GET", reverse("talk_state", args=[session.pk])),
        ("POST", reverse("talk_next", args=[session.pk])),
        ("POST", reverse("talk_swap", args=[session.pk])),
        ("POST", reverse("talk_pause", args=[session.pk])),
        ("POST", reverse("talk_end", args=[session.pk])),
    ]


@pytest.mark.parametrize("persona", ["clinician", "other_clinician", "clinic_admin"])
def test_care_staff_never_open_a_talk(persona, personas, client_for, couple, partner_a):
    session = _start(client_for(partner_a))
    client = client_for(personas[persona])
    for method, url in _session_urls(session):
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, {"seen_step": 0, "seen_speaker": "a", "pause": "yes"})
        assert response.status_code == 404, (persona, url)
    assert client.get(reverse("talk_home")).status_code == 404
    session.refresh_from_db()
    assert (session.step_index, session.is_open) == (0, True)


def test_a_partner_of_another_couple_gets_a_404(client_for, couple, partner_a):
    session = _start(client_for(partner_a))
    stranger = UserFactory(display_name="Robin")
    make_couple(stranger, UserFactory(display_name="Kai"))
    client = client_for(stranger)
    for method, url in _session_urls(session):
        response = client.get(url) if method == "GET" else client.post(url, {"seen_step": 0})
        assert response.status_code == 404, url
    session.refresh_from_db()
    assert session.step_index == 0 and session.is_open


def test_a_couple_not_yet_open_sees_the_waiting_page(client_for, db):
    alex, sam = UserFactory(display_name="Ari"), UserFactory(display_name="Noor")
    make_couple(alex, sam, consent=False)
    client = client_for(alex)
    response = client.get(reverse("talk_home"))
    assert response.status_code == 200
    assert "Guided conversations open when you have both joined" in response.content.decode()
    response = client.post(reverse("talk_start", args=["weekly-check-in"]))
    assert response.status_code == 400
    assert not TalkSession.objects.exists()


def test_a_couple_that_closes_mid_talk_is_refreshed_out_of_the_fragment(
    client_for, couple, partner_a, partner_b
):
    from twofold.couples.models import Consent

    session = _start(client_for(partner_a))
    Consent.objects.filter(couple=couple, user=partner_b, kind="participation").delete()
    response = client_for(partner_a).get(reverse("talk_state", args=[session.pk]), **HTMX)
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"


def test_only_the_two_partners_are_granted_a_talk_and_there_is_no_care_page(
    client_for, couple, partner_a, partner_b, clinician
):
    session = _start(client_for(partner_a))
    from twofold.conversations import urls

    assert list(TalkSession.objects.visible_to(partner_b)) == [session]
    # The policy says what the pages enforce: the care team is not granted talk sessions.
    assert list(TalkSession.objects.visible_to(clinician)) == []
    # There is nothing to read in a talk (no free text is kept), so no care page exists.
    assert [p.name for p in urls.urlpatterns if "care" in str(p.pattern) + str(p.name)] == []


# Nothing is recorded -----------------------------------------------------------------------


def test_a_talk_session_has_no_free_text_fields():
    allowed_chars = {"script_key": 60, "script_version": 40, "speaker_seat": 1}
    for field in TalkSession._meta.get_fields():
        if not field.concrete:
            continue
        assert not isinstance(field, models.TextField | models.JSONField), field.name
        if isinstance(field, models.CharField):
            assert field.name in allowed_chars, f"{field.name} could hold free text"
            assert field.max_length <= allowed_chars[field.name], field.name
    assert TalkSession._meta.get_field("speaker_seat").choices


def test_whatever_is_posted_nothing_said_is_stored(client_for, couple, partner_a):
    client = client_for(partner_a)
    session = _start(client)
    client.post(
        reverse("talk_next", args=[session.pk]),
        {"seen_step": 0, "note": "something private I said"},
    )
    row = TalkSession.objects.filter(pk=session.pk).values().get()
    assert "something private" not in json.dumps(row, default=str)


# Query counts ------------------------------------------------------------------------------


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **HTMX)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_state_fragment_costs_a_fixed_number_of_queries(client_for, couple, partner_a):
    client = client_for(partner_a)
    for key in ("celebrating-progress", "booster-meeting", "reviewing-an-adjustment"):
        _start(client, key)  # each start ends the one before
    session = _start(client)
    url = reverse("talk_state", args=[session.pk])
    opening = _count(client, url)
    _advance_to(client, session, 3)
    assert _count(client, url) == opening
    _press(client, "talk_pause", session, pause="yes")
    assert _count(client, url) == opening
    assert opening <= 12


def test_talk_home_does_not_grow_with_past_talks(client_for, couple, partner_a):
    client = client_for(partner_a)
    _start(client)
    few = _count(client, reverse("talk_home"))
    for _ in range(5):
        _start(client, "booster-meeting")
    assert _count(client, reverse("talk_home")) == few


# Fragments for other pages -----------------------------------------------------------------


def test_suggested_talks_render_a_start_button_for_each_prompt(rf, couple, partner_a):
    prompts = prompts_after_reveal({"mood": 1}, {"mood": 9}, 1)
    request = rf.get("/")
    html = Template("{% load conversations_tags %}{% suggested_talks prompts %}").render(
        Context({"prompts": prompts, "csrf_token": "token123", "request": request})
    )
    assert "Mood lately" in html
    assert reverse("talk_start", args=["weekly-check-in"]) in html
    assert reverse("talk_start", args=["raising-a-concern"]) in html
    assert "token123" in html


def test_open_talk_shows_a_join_link_only_while_a_talk_is_open(client_for, couple, partner_a):
    template = Template("{% load conversations_tags %}{% open_talk couple user %}")
    assert "Join" not in template.render(Context({"couple": couple, "user": partner_a}))
    session = _start(client_for(partner_a))
    html = template.render(Context({"couple": couple, "user": partner_a}))
    assert reverse("talk_session", args=[session.pk]) in html
    actions.end_talk(session, acting_user=partner_a)
    assert "Join" not in template.render(Context({"couple": couple, "user": partner_a}))
