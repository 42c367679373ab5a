"""The built-in program and boundaries activity list load, and keep their clinical promises.

No database: these tests only read and validate the content files.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from twofold.lib.content import ContentError, read_json
from twofold.program import content

PROGRAM_FILE = content.BUILTIN_DIR / "programs" / "default.json"
ACTIVITIES_FILE = content.BUILTIN_DIR / "activities.json"

STAGE_ORDER = ["foundations", "affection", "broader-touch", "integration", "maintenance"]
GROUP_ORDER = [
    "Talking",
    "Affection",
    "Everyday touch",
    "Being seen, less clothing",
    "Closer touch",
    "Sexual touch",
]
EARLY_STAGE_GROUPS = {"Talking", "Affection", "Everyday touch"}
GENDERED = re.compile(
    r"\b(he|she|him|her|his|hers|man|woman|men|women|husband|wife|boyfriend|girlfriend"
    r"|penis|vagina|vulva|breasts?)\b",
    re.IGNORECASE,
)
PERFORMANCE = re.compile(r"\b(success\w*|erections?|climax\w*|perform\w*)\b", re.IGNORECASE)
# The first phrase found in an exercise's frequency text fixes its sessions per week.
SESSIONS_BY_FREQUENCY_PHRASE = {
    "every day": 7,
    "three times a week": 3,
    "twice a week": 2,
    "once a week": 1,
}


@pytest.fixture
def program() -> content.Program:
    content.reload()
    return content.programs()["default"]


@pytest.fixture
def activities() -> dict[str, content.Activity]:
    content.reload()
    return content.activities()


def _stage(program: content.Program, key: str) -> content.Stage:
    return next(s for s in program.stages if s.key == key)


def _groups(exercise: content.Exercise, activities: dict[str, content.Activity]) -> set[str]:
    return {activities[tag].group for tag in exercise.activities}


def _parse_broken(tmp_path: Path, data: dict[str, Any]) -> ContentError:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ContentError) as excinfo:
        content.parse_program(read_json(path), path, content.activities())
    assert excinfo.value.path == str(path)
    assert "broken.json" in str(excinfo.value)
    return excinfo.value


def test_default_program_and_activities_load(program, activities):
    assert program.key == "default"
    assert program.version == "2026-12.1"
    assert len(activities) == 32
    for stage in program.stages:
        for exercise in stage.exercises:
            assert exercise.activities <= set(activities), exercise.key


def test_activities_run_from_talking_to_sexual_touch_in_group_order(activities):
    positions = [GROUP_ORDER.index(a.group) for a in activities.values()]
    assert positions == sorted(positions)
    assert set(positions) == set(range(len(GROUP_ORDER)))


def test_stages_are_in_the_clinical_order(program):
    assert [s.key for s in program.stages] == STAGE_ORDER


def test_every_stage_has_at_least_four_exercises(program):
    for stage in program.stages:
        assert len(stage.exercises) >= 4, stage.key


def test_every_exercise_has_four_to_seven_steps_and_a_plausible_schedule(program):
    for stage in program.stages:
        for exercise in stage.exercises:
            assert 4 <= len(exercise.steps) <= 7, exercise.key
            frequency = exercise.frequency.lower()
            expected = next(
                n for phrase, n in SESSIONS_BY_FREQUENCY_PHRASE.items() if phrase in frequency
            )
            assert exercise.sessions_per_week == expected, exercise.key


def test_first_two_stages_use_only_talking_affection_and_non_sexual_touch(program, activities):
    for key in ("foundations", "affection"):
        for exercise in _stage(program, key).exercises:
            assert _groups(exercise, activities) <= EARLY_STAGE_GROUPS, exercise.key


def test_no_sexual_touch_before_the_second_half_of_broader_touch(program, activities):
    broader = _stage(program, "broader-touch").exercises
    early = [
        *_stage(program, "foundations").exercises,
        *_stage(program, "affection").exercises,
        *broader[: (len(broader) + 1) // 2],
    ]
    for exercise in early:
        assert "Sexual touch" not in _groups(exercise, activities), exercise.key


def test_broader_touch_never_involves_sexual_touch_and_starts_without_the_chest(
    program, activities
):
    broader = _stage(program, "broader-touch").exercises
    for exercise in broader:
        assert "Sexual touch" not in _groups(exercise, activities), exercise.key
    for exercise in broader[: (len(broader) + 1) // 2]:
        assert "Closer touch" not in _groups(exercise, activities), exercise.key


def test_stopping_is_always_on_the_table(program):
    assert "stop" in program.stop_reminder.lower()
    for stage in program.stages:
        for exercise in stage.exercises:
            assert any("stop" in step.lower() for step in exercise.steps), exercise.key


def test_no_gendered_words_anywhere_in_the_content():
    for path in (PROGRAM_FILE, ACTIVITIES_FILE):
        found = GENDERED.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {sorted(set(found))}"


def test_no_performance_language_in_the_program():
    found = PERFORMANCE.findall(PROGRAM_FILE.read_text(encoding="utf-8"))
    assert not found, sorted(set(found))


def test_a_missing_adaptation_names_the_file_and_field(tmp_path, program):
    data = copy.deepcopy(program.raw)
    del data["stages"][1]["exercises"][2]["adaptations"]["after_surgery"]
    error = _parse_broken(tmp_path, data)
    assert error.field == "stages[1].exercises[2].adaptations.after_surgery"
    assert "adaptations.after_surgery" in str(error)


def test_an_unknown_activity_tag_names_the_file_and_field(tmp_path, program):
    data = copy.deepcopy(program.raw)
    data["stages"][0]["exercises"][0]["activities"] = ["talking-closeness", "skydiving"]
    error = _parse_broken(tmp_path, data)
    assert error.field == "stages[0].exercises[0].activities[1]"
    assert "skydiving" in error.reason


def test_a_program_with_only_three_stages_is_refused(tmp_path, program):
    data = copy.deepcopy(program.raw)
    data["stages"] = data["stages"][:3]
    error = _parse_broken(tmp_path, data)
    assert error.field == "stages"
    assert "5" in error.reason


def test_duplicate_exercise_keys_are_refused(tmp_path, program):
    data = copy.deepcopy(program.raw)
    first_key = data["stages"][0]["exercises"][0]["key"]
    data["stages"][2]["exercises"][1]["key"] = first_key
    error = _parse_broken(tmp_path, data)
    assert error.field == "stages[2].exercises[1].key"
    assert first_key in error.reason


# --- The finer boundaries list: physical, giving and receiving, optional parts ---------


def test_activities_say_which_are_physical_and_pair_giving_with_receiving(activities):
    assert [k for k, a in activities.items() if not a.physical] == [
        "talking-closeness",
        "talking-sex",
    ]
    pairs: dict[str, dict[str, str]] = {}
    for key, activity in activities.items():
        if activity.pair:
            pairs.setdefault(activity.pair, {})[activity.direction] = key
    assert pairs == {
        name: {"giving": f"{name}-giving", "receiving": f"{name}-receiving"}
        for name in ("chest-touch", "genital-touch", "oral-sex")
    }
    assert activities["chest-touch-giving"].label == "Touching your partner's chest"
    assert activities["chest-touch-receiving"].label == "Your partner touching your chest"
    assert not any("massage" in a.label.lower() for a in activities.values())
    # Medical aids are their own item, apart from sex toys; penetration is three items.
    assert "medical-aids" in activities and "sex-toys" in activities
    assert {"penetration-fingers-toys", "penetration-vaginal", "penetration-anal"} <= set(
        activities
    )


def test_chest_touch_is_optional_inside_genital_touch(program):
    exercise = program.exercise("including-the-genitals")
    assert exercise.optional_activities == {"chest-touch-giving", "chest-touch-receiving"}
    assert {"genital-touch-giving", "genital-touch-receiving"} <= exercise.activities
    assert not exercise.optional_activities & exercise.activities


def _activities_broken(tmp_path: Path, change: Any) -> ContentError:
    data = read_json(ACTIVITIES_FILE)
    change(data["activities"])
    path = tmp_path / "activities.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ContentError) as excinfo:
        content.parse_activities(read_json(path), path)
    assert excinfo.value.path == str(path)
    return excinfo.value


def _index(items: list[dict[str, Any]], key: str) -> int:
    return next(i for i, item in enumerate(items) if item["key"] == key)


def _set(key: str, field: str, value: Any) -> Any:
    def change(items: list[dict[str, Any]]) -> None:
        items[_index(items, key)][field] = value

    return change


def _drop(key: str, field: str) -> Any:
    def change(items: list[dict[str, Any]]) -> None:
        del items[_index(items, key)][field]

    return change


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (_drop("hugging", "physical"), "activities[4].physical", "is missing"),
        (_set("hugging", "physical", "yes"), "activities[4].physical", "must be bool, not str"),
        (
            _drop("chest-touch-giving", "direction"),
            "activities[19].direction",
            "is missing (the item has a pair)",
        ),
        (
            _drop("chest-touch-giving", "pair"),
            "activities[19].pair",
            "is missing (the item has a direction)",
        ),
        (
            _set("chest-touch-giving", "direction", "taking"),
            "activities[19].direction",
            "must be 'giving' or 'receiving', not 'taking'",
        ),
        (
            _set("chest-touch-giving", "pair", "Chest"),
            "activities[19].pair",
            "use lower-case words joined by hyphens",
        ),
        (
            _set("chest-touch-giving", "pair", "chest"),
            "activities[19].key",
            "must be 'chest-giving', its pair and direction",
        ),
        (
            _set("chest-touch-giving", "physical", False),
            "activities[19].physical",
            "a giving or receiving item is physical",
        ),
        (
            _set("hugging", "pair", "hugging"),
            "activities[4].direction",
            "is missing (the item has a pair)",
        ),
    ],
)
def test_a_broken_activity_field_names_the_file_field_and_reason(tmp_path, change, field, reason):
    error = _activities_broken(tmp_path, change)
    assert (error.field, error.reason) == (field, reason)


def test_a_pair_without_its_other_direction_is_refused(tmp_path):
    def drop_receiving(items: list[dict[str, Any]]) -> None:
        items.pop(_index(items, "oral-sex-receiving"))

    error = _activities_broken(tmp_path, drop_receiving)
    assert (
        error.field
        == f"activities[{_index(read_json(ACTIVITIES_FILE)['activities'], 'oral-sex-giving')}].pair"
    )
    assert error.reason == "pair 'oral-sex' has no receiving item"


def test_a_pair_with_two_giving_items_is_refused(tmp_path):
    def twice(items: list[dict[str, Any]]) -> None:
        extra = dict(items[_index(items, "oral-sex-giving")], key="oral-sex-giving")
        items[_index(items, "oral-sex-receiving")] = extra

    error = _activities_broken(tmp_path, twice)
    assert error.reason == "'oral-sex-giving' appears twice"


def _exercise(data: dict[str, Any], key: str) -> tuple[str, dict[str, Any]]:
    for s, stage in enumerate(data["stages"]):
        for e, exercise in enumerate(stage["exercises"]):
            if exercise["key"] == key:
                return f"stages[{s}].exercises[{e}]", exercise
    raise KeyError(key)


@pytest.mark.parametrize(
    ("field", "value", "at", "reason"),
    [
        ("optional_activities", "chest", "optional_activities", "must be list, not str"),
        (
            "optional_activities",
            ["chest-touch-giving", "chest-touch-receiving", "skydiving"],
            "optional_activities[2]",
            "'skydiving' is not in the activities list",
        ),
        (
            "optional_activities",
            ["chest-touch-giving", "chest-touch-receiving", "body-touch-less-clothing"],
            "optional_activities[2]",
            "'body-touch-less-clothing' is already a required activity",
        ),
        (
            "optional_activities",
            ["chest-touch-giving"],
            "optional_activities[0]",
            "'chest-touch-giving' needs 'chest-touch-receiving' in the same list "
            "(partners take turns)",
        ),
        (
            "optional_activities",
            ["chest-touch-giving", "chest-touch-receiving", "chest-touch-giving"],
            "optional_activities[2]",
            "'chest-touch-giving' appears twice",
        ),
        (
            "activities",
            ["body-touch-less-clothing", "genital-touch-receiving", "talking-closeness"],
            "activities[1]",
            "'genital-touch-receiving' needs 'genital-touch-giving' in the same list "
            "(partners take turns)",
        ),
    ],
)
def test_a_broken_exercise_activity_list_names_the_file_field_and_reason(
    tmp_path, program, field, value, at, reason
):
    data = copy.deepcopy(program.raw)
    where, exercise = _exercise(data, "including-the-genitals")
    exercise[field] = value
    error = _parse_broken(tmp_path, data)
    assert (error.field, error.reason) == (f"{where}.{at}", reason)


def test_optional_activities_default_to_none(tmp_path, program):
    data = copy.deepcopy(program.raw)
    _where, exercise = _exercise(data, "including-the-genitals")
    del exercise["optional_activities"]
    path = tmp_path / "p.json"
    parsed = content.parse_program(data, path, content.activities())
    assert parsed.exercise("including-the-genitals").optional_activities == frozenset()
    assert program.stages[0].exercises[0].optional_activities == frozenset()
