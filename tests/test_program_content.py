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
