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

STAGE_ORDER = [
    "foundations",
    "affection",
    "broader-touch",
    "genital-touch",
    "oral-sex-and-penetration",
    "maintenance",
]
OLD_EDITION = Path(__file__).resolve().parent / "data" / "default-program-2026-11.1.json"
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
# Touch is for attention (temperature, pressure, texture), not to soothe or to please.
NOT_ATTENTION = re.compile(
    r"\b(massag\w*|relax\w*|tension|sooth\w*|unwind\w*|pleasing|pleasure)\b", re.IGNORECASE
)
# Medical safety words may name the body's responses plainly ("an erection that lasts
# more than four hours"); the rest of the program never sets a performance goal.
SAFETY_FIELDS = ("stop_and_call", "stop_and_call_advice", "condition_notes", "safety")
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
    assert program.version == "2026-12.2"
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


def _without_safety_fields(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_safety_fields(v) for k, v in data.items() if k not in SAFETY_FIELDS}
    if isinstance(data, list):
        return [_without_safety_fields(v) for v in data]
    return data


def test_no_performance_language_in_the_program(program):
    text = json.dumps(_without_safety_fields(program.raw), ensure_ascii=False)
    found = PERFORMANCE.findall(text)
    assert not found, sorted(set(found))


def test_touch_is_described_as_attention_not_massage_relaxation_or_pleasing(program):
    found = NOT_ATTENTION.findall(json.dumps(program.raw, ensure_ascii=False))
    # Pleasing may be named only as what touch is not for ("not to please or to arouse").
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


# Faithful sensate focus ----------------------------------------------------------------


def _all_exercises(program: content.Program) -> list[tuple[int, content.Exercise]]:
    return [(i, e) for i, s in enumerate(program.stages) for e in s.exercises]


def test_the_ground_rules_hold_no_sex_or_genital_touch_until_the_genital_stage(program):
    rules = " ".join(program.ground_rules).lower()
    assert "until you reach the genital stage" in rules
    assert "no sex and no genital touch with each other" in rules
    assert "in sessions and between them" in rules
    assert "treatment a clinician prescribed" in rules and "dilators" in rules
    assert "decides alone what to share with your care team" in rules
    exercise = program.exercise("agreeing-ground-rules")
    steps = " ".join(exercise.steps).lower()
    assert "until the genital stage, no sex and no genital touch with each other" in steps
    assert "in sessions or between them" in steps
    assert "treatment a clinician prescribed" in steps
    assert "each of you decides alone what to share with your care team" in steps


def test_genital_touch_waits_for_its_stage_and_oral_sex_and_penetration_come_after_it(
    program,
):
    genital = program.genital_stage_index
    assert genital is not None and program.stages[genital].key == "genital-touch"
    assert genital < len(program.stages) - 1
    for index, exercise in _all_exercises(program):
        involved = exercise.activities | exercise.optional_activities
        if index < genital:
            assert not involved & content.GENITAL_ACTIVITIES, exercise.key
        if involved & content.AFTER_GENITAL_STAGE:
            assert index > genital, exercise.key
    later = [e for i, e in _all_exercises(program) if i == genital + 1]
    assert {"including-oral-sex", "penetration-by-choice"} <= {e.key for e in later}
    # Readiness to go on asks for several comfortable genital-touch sessions first.
    assert "several genital-touch sessions" in program.stages[genital].ready_when


def test_chest_touch_is_optional_inside_genital_sensate_focus(program):
    exercise = program.exercise("including-the-genitals")
    assert {"chest-touch-giving", "chest-touch-receiving"} <= exercise.optional_activities
    assert not {"chest-touch-giving", "chest-touch-receiving"} & exercise.activities


def test_every_stage_says_how_much_to_do_who_suggests_and_how_to_tell_you_are_ready(program):
    for stage in program.stages:
        summary = stage.summary.lower()
        assert "take turns to suggest a session" in summary, stage.key
        assert "two or three sessions" in summary or "one or two sessions" in summary, stage.key
        assert stage.ready_when.strip(), stage.key
    for stage in program.stages[:4]:
        assert "one or two exercises a week, in the order they come" in stage.summary.lower()


def test_arousal_before_the_genital_stage_is_noticed_and_let_come_and_go(program):
    note = program.arousal_note.lower()
    assert "orgasm" in note and "let it come and go" in note
    assert "do not need to act on it" in note and "only stop if you want to" in note
    assert "bring your attention back to the touch" in note
    assert program.before_genital_stage(2) and not program.before_genital_stage(3)


def test_the_person_who_stopped_chooses_closeness_or_space(program):
    steps = " ".join(program.exercise("practising-a-stop-signal").steps).lower()
    assert "the person who stopped then chooses: staying close, or some space" in steps


def test_a_solo_exercise_for_getting_to_know_your_own_body_is_never_gated(program):
    exercise = program.exercise("getting-to-know-your-body")
    assert exercise.solo and exercise.touch
    assert not exercise.activities and not exercise.optional_activities
    assert exercise.fits(frozenset())
    text = " ".join([exercise.purpose, *exercise.steps, *exercise.safety]).lower()
    assert "scar" in text and "stoma" in text


# Physical safety ----------------------------------------------------------------------

STOP_AND_CALL_SIGNS = (
    "bleeding",
    "new pain",
    "chest pain",
    "breathlessness",
    "erection that lasts more than four hours",
    "fever",
    "chemotherapy",
    "wound that opens",
    "leg that is newly swollen",
)


def test_the_stop_and_call_list_names_every_sign(program):
    signs = " ".join(program.stop_and_call).lower()
    for sign in STOP_AND_CALL_SIGNS:
        assert sign in signs, sign
    assert "emergency number" in program.stop_and_call_advice


def test_every_exercise_has_its_own_safety_notes(program):
    for _index, exercise in _all_exercises(program):
        assert exercise.safety, exercise.key


def test_warmth_fragile_bones_and_a_swollen_leg_are_covered_where_touch_reaches_them(program):
    notes = {n for _i, e in _all_exercises(program) for n in e.safety}
    warmth = next(n for n in notes if "own wrist" in n)
    assert "numb, swollen or treated" in warmth
    bones = next(n for n in notes if "bones are fragile" in n)
    assert "light, still touch" in bones
    leg = next(n for n in notes if "newly swollen, red or painful" in n)
    assert "that same day" in leg
    for key in ("caring-for-feet", "touch-for-curiosity", "front-and-back"):
        assert leg in program.exercise(key).safety, key
    assert warmth in program.exercise("texture-and-temperature").safety


def test_condition_notes_give_the_facts_that_keep_people_safe(program):
    notes = {k: " ".join(n.notes).lower() for k, n in program.condition_notes.items()}
    assert set(notes) == set(content.CONDITIONS)
    assert "two flights of stairs" in notes["heart"] and "without chest pain" in notes["heart"]
    assert "never take erection medicines" in notes["heart"] and "nitrates" in notes["heart"]
    sci = notes["spinal_cord_injury"]
    assert "t6 or above" in sci and "autonomic dysreflexia" in sci
    assert "pounding headache" in sci and "flushing or sweating above the injury" in sci
    assert "stop" in sci and "sit up" in sci and "call" in sci
    rt = notes["after_radiotherapy_or_menopause"]
    assert "water-based or silicone-based" in rt
    assert "do not use a silicone lubricant with silicone toys" in rt
    chemo = notes["chemotherapy"]
    assert "condom or a dental dam" in chemo and "protects your partner" in chemo
    assert "pregnancy" in chemo


def test_condition_notes_go_where_they_apply(program):
    inside = {"lubricant", "penetration-fingers-toys", "penetration-vaginal", "penetration-anal"}
    for _index, exercise in _all_exercises(program):
        needs = exercise.physical_activities
        conditions = set(exercise.conditions)
        if needs & content.GENITAL_ACTIVITIES:
            assert {"heart", "spinal_cord_injury"} <= conditions, exercise.key
        if needs & inside:
            assert "after_radiotherapy_or_menopause" in conditions, exercise.key
        if needs & content.AFTER_GENITAL_STAGE:
            assert "chemotherapy" in conditions, exercise.key


# Validation of the new fields ----------------------------------------------------------


def test_a_stage_without_readiness_words_names_the_field(tmp_path, program):
    data = copy.deepcopy(program.raw)
    del data["stages"][2]["ready_when"]
    error = _parse_broken(tmp_path, data)
    assert error.field == "stages[2].ready_when" and error.reason == "is missing"


def test_an_exercise_without_safety_notes_names_the_field(tmp_path, program):
    data = copy.deepcopy(program.raw)
    del data["stages"][1]["exercises"][0]["safety"]
    assert _parse_broken(tmp_path, data).field == "stages[1].exercises[0].safety"
    data["stages"][1]["exercises"][0]["safety"] = [""]
    error = _parse_broken(tmp_path, data)
    assert error.field == "stages[1].exercises[0].safety[0]"


def test_an_unknown_condition_is_refused(tmp_path, program):
    data = copy.deepcopy(program.raw)
    data["stages"][3]["exercises"][0]["conditions"] = ["heart", "broken-heart"]
    error = _parse_broken(tmp_path, data)
    assert error.field == "stages[3].exercises[0].conditions[1]"
    assert "broken-heart" in error.reason and "spinal_cord_injury" in error.reason


def test_every_condition_note_is_required(tmp_path, program):
    data = copy.deepcopy(program.raw)
    del data["condition_notes"]["spinal_cord_injury"]
    assert _parse_broken(tmp_path, data).field == "condition_notes.spinal_cord_injury"
    data = copy.deepcopy(program.raw)
    data["condition_notes"]["gout"] = {"title": "Gout", "notes": ["Rest."]}
    assert "gout" in _parse_broken(tmp_path, data).reason


def test_a_short_stop_and_call_list_and_too_few_ground_rules_are_refused(tmp_path, program):
    data = copy.deepcopy(program.raw)
    data["stop_and_call"] = data["stop_and_call"][:2]
    error = _parse_broken(tmp_path, data)
    assert error.field == "stop_and_call" and "5" in error.reason
    data = copy.deepcopy(program.raw)
    del data["ground_rules"]
    assert _parse_broken(tmp_path, data).field == "ground_rules"


def test_genital_touch_before_the_genital_stage_is_refused(tmp_path, program):
    data = copy.deepcopy(program.raw)
    data["stages"][2]["exercises"][1]["optional_activities"] = [
        "genital-touch-giving",
        "genital-touch-receiving",
    ]
    error = _parse_broken(tmp_path, data)
    assert error.field == "stages[2].exercises[1].optional_activities"
    assert "genital stage" in error.reason


def test_oral_sex_inside_the_genital_stage_is_refused(tmp_path, program):
    data = copy.deepcopy(program.raw)
    data["stages"][3]["exercises"][0]["activities"] += ["oral-sex-giving", "oral-sex-receiving"]
    error = _parse_broken(tmp_path, data)
    assert error.field == "stages[3].exercises[0].activities"
    assert "only after the genital stage" in error.reason


def test_the_genital_stage_must_be_one_of_the_stages(tmp_path, program):
    data = copy.deepcopy(program.raw)
    data["genital_stage"] = "somewhere-else"
    assert _parse_broken(tmp_path, data).field == "genital_stage"


def test_a_solo_exercise_with_partner_activities_is_refused(tmp_path, program):
    data = copy.deepcopy(program.raw)
    solo = next(i for i, e in enumerate(data["stages"][0]["exercises"]) if e.get("solo"))
    data["stages"][0]["exercises"][solo]["activities"] = ["holding-hands"]
    error = _parse_broken(tmp_path, data)
    assert error.field == f"stages[0].exercises[{solo}].solo"


def test_a_snapshot_of_the_earlier_edition_still_loads_without_the_new_fields():
    content.reload()
    data = json.loads(OLD_EDITION.read_text(encoding="utf-8"))
    old = content.program_from_snapshot(data)
    assert old.version == "2026-11.1" and len(old.stages) == 5
    assert old.stop_and_call == () and old.genital_stage == "" and old.condition_notes == {}
    assert all(not e.safety for _i, e in _all_exercises(old))
    assert not old.before_genital_stage(0)
    # A content file, unlike a snapshot, must have them.
    with pytest.raises(ContentError) as excinfo:
        content.parse_program(data, OLD_EDITION, content.activities())
    assert excinfo.value.field in {"stages[0].exercises[0].safety", "stages[0].ready_when"}
