"""Program content (stages, exercises) and the boundaries activity list, as data files.

Files are JSON, validated when loaded: a broken file fails with the file, the field and
the reason. Built-in files live in ``twofold/program/content/``; a deployment or clinic
adds programs as more files in the directories named by ``TWOFOLD_PROGRAM_DIRS``.
A program is identified by its ``key``; a clinic chooses which program its couples start
on. A couple's plan keeps a snapshot of the exact version it started with.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from twofold.lib.content import ContentError, read_json, require
from twofold.program import activity_keys

BUILTIN_DIR = Path(__file__).resolve().parent / "content"
ADAPTATIONS = ("pain", "limited_mobility", "fatigue", "after_surgery")
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_STAGES = 5
MIN_EXERCISES_PER_STAGE = 4
# Health conditions an exercise can carry a note for (program.condition_notes).
CONDITIONS = ("heart", "spinal_cord_injury", "after_radiotherapy_or_menopause", "chemotherapy")
# Sex or genital touch with each other: none before the program's genital stage.
GENITAL_ACTIVITIES = frozenset(
    {
        "genital-touch-giving",
        "genital-touch-receiving",
        "self-touch-with-partner",
        "medical-aids",
        "sex-toys",
        "oral-sex-giving",
        "oral-sex-receiving",
        "penetration-fingers-toys",
        "penetration-vaginal",
        "penetration-anal",
    }
)
# Offered only after several comfortable genital-touch sessions: after the genital stage.
AFTER_GENITAL_STAGE = frozenset(
    {
        "oral-sex-giving",
        "oral-sex-receiving",
        "penetration-fingers-toys",
        "penetration-vaginal",
        "penetration-anal",
    }
)
MIN_GROUND_RULES = 3
MIN_STOP_AND_CALL = 5
DIRECTIONS = ("giving", "receiving")


@dataclass(frozen=True)
class Activity:
    """One line of the boundaries list, labelled from the answering person's side.

    ``physical`` activities gate exercises; talking does not. A giving/receiving item
    names its ``pair`` and ``direction`` ("Touching your partner's chest" gives,
    "Your partner touching your chest" receives).
    """

    key: str
    label: str
    group: str
    physical: bool = True
    pair: str = ""
    direction: str = ""
    # For the care team, who reads a pair from neither side: "Chest touch".
    pair_label: str = ""


@dataclass(frozen=True)
class Exercise:
    key: str
    title: str
    purpose: str
    steps: tuple[str, ...]
    duration_minutes: int
    frequency: str
    sessions_per_week: int
    activities: frozenset[str]
    adaptations: dict[str, str]
    # The physical ones among ``activities``: only these gate the exercise, so education,
    # talking and solo exercises are never hidden by a boundary.
    physical_activities: frozenset[str]
    # Parts the exercise may include when both partners are open to them; never required.
    optional_activities: frozenset[str]

    def fits(self, overlap: frozenset[str] | set[str]) -> bool:
        """True when every physical activity the exercise needs is inside the overlap."""
        return self.physical_activities <= overlap

    def optional_in(self, overlap: frozenset[str] | set[str]) -> frozenset[str]:
        """The optional parts that are on the couple's shared list."""
        return self.optional_activities & overlap

    # Safety notes for this exercise (warmth, fragile bones, a swollen leg…).
    safety: tuple[str, ...] = ()
    # Keys of the program's condition notes that apply here (see CONDITIONS).
    conditions: tuple[str, ...] = ()
    # Done alone: involves no partner activity, so no boundary ever hides it.
    solo: bool = False
    # Involves touch (a partner's or one's own): the practice log asks about sensations.
    touch: bool = False


@dataclass(frozen=True)
class ConditionNote:
    key: str
    title: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    summary: str
    exercises: tuple[Exercise, ...]
    # How a couple can tell they are ready to move on.
    ready_when: str = ""


@dataclass(frozen=True)
class Program:
    key: str
    version: str
    title: str
    description: str
    stop_reminder: str
    stages: tuple[Stage, ...]
    sha256: str
    raw: dict[str, Any]
    # Shown with the program and in the ground-rules exercise.
    ground_rules: tuple[str, ...] = ()
    # Signs to stop and call for help, shown on every exercise page, and what to do.
    stop_and_call: tuple[str, ...] = ()
    stop_and_call_advice: str = ""
    condition_notes: dict[str, ConditionNote] = dataclasses.field(default_factory=dict)
    # The stage where genital touch begins; before it, the arousal note applies.
    genital_stage: str = ""
    arousal_note: str = ""

    @property
    def genital_stage_index(self) -> int | None:
        return next((i for i, s in enumerate(self.stages) if s.key == self.genital_stage), None)

    def before_genital_stage(self, stage_index: int) -> bool:
        genital = self.genital_stage_index
        return genital is not None and stage_index < genital

    def conditions_for(self, exercise: Exercise) -> list[ConditionNote]:
        """The condition notes that apply to ``exercise``, always in the same order."""
        return [note for key, note in self.condition_notes.items() if key in exercise.conditions]

    def exercise(self, key: str) -> Exercise | None:
        return next((e for s in self.stages for e in s.exercises if e.key == key), None)

    def stage_of(self, exercise_key: str) -> int | None:
        for index, stage in enumerate(self.stages):
            if any(e.key == exercise_key for e in stage.exercises):
                return index
        return None


def _key(data: dict[str, Any], path: Path, where: str) -> str:
    value = require(data, "key", str, path, where=where)
    if not KEY.match(value):
        raise ContentError(
            path, f"{where}.key" if where else "key", "use lower-case words joined by hyphens"
        )
    return value


def _text_list(
    data: dict[str, Any], field: str, path: Path, where: str, minimum: int
) -> tuple[str, ...]:
    items = require(data, field, list, path, where=where)
    label = f"{where}.{field}" if where else field
    if len(items) < minimum:
        raise ContentError(path, label, f"needs at least {minimum} entries")
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise ContentError(path, f"{label}[{i}]", "must be a non-empty sentence")
    return tuple(items)


# Fields added with the 2026-12 editions. A snapshot of an earlier edition (``legacy``)
# may lack them and still loads; a content file must have them.


def _texts(
    data: dict[str, Any], field: str, path: Path, where: str, minimum: int, legacy: bool
) -> tuple[str, ...]:
    if legacy and isinstance(data, dict) and field not in data:
        return ()
    return _text_list(data, field, path, where, minimum)


def _text(data: dict[str, Any], field: str, path: Path, where: str, legacy: bool) -> str:
    if legacy and isinstance(data, dict) and field not in data:
        return ""
    value = require(data, field, str, path, where=where)
    if not value.strip():
        raise ContentError(path, f"{where}.{field}" if where else field, "must not be blank")
    return str(value)


def _flag(data: dict[str, Any], field: str, path: Path, where: str, default: bool) -> bool:
    if field not in data:
        return default
    return bool(require(data, field, bool, path, where=where))


def _condition_notes(data: dict[str, Any], path: Path, legacy: bool) -> dict[str, ConditionNote]:
    if legacy and "condition_notes" not in data:
        return {}
    raw = require(data, "condition_notes", dict, path)
    unknown = sorted(set(raw) - set(CONDITIONS))
    if unknown:
        raise ContentError(
            path, "condition_notes", f"unknown conditions {unknown}; known: {', '.join(CONDITIONS)}"
        )
    notes = {}
    for key in CONDITIONS:
        where = f"condition_notes.{key}"
        if key not in raw:
            raise ContentError(path, where, "is missing")
        item = raw[key]
        notes[key] = ConditionNote(
            key=key,
            title=_text(item, "title", path, where, legacy=False),
            notes=_text_list(item, "notes", path, where, 1),
        )
    return notes


def _conditions(ex: dict[str, Any], path: Path, where: str) -> tuple[str, ...]:
    if ex.get("conditions") == [] or "conditions" not in ex:
        return ()
    items = require(ex, "conditions", list, path, where=where)
    for index, item in enumerate(items):
        if item not in CONDITIONS:
            raise ContentError(
                path,
                f"{where}.conditions[{index}]",
                f"{item!r} is not a condition; known: {', '.join(CONDITIONS)}",
            )
        if item in items[:index]:
            raise ContentError(path, f"{where}.conditions[{index}]", f"{item!r} appears twice")
    return tuple(items)


def _check_genital_stage(path: Path, genital: str, stages: list[Stage]) -> None:
    """No sex or genital touch before the genital stage; oral sex and penetration after it."""
    keys = [stage.key for stage in stages]
    if genital not in keys:
        raise ContentError(path, "genital_stage", f"{genital!r} is not one of the stages")
    at = keys.index(genital)
    for s_index, stage in enumerate(stages):
        for e_index, exercise in enumerate(stage.exercises):
            for field, tags in (
                ("activities", exercise.activities),
                ("optional_activities", exercise.optional_activities),
            ):
                where = f"stages[{s_index}].exercises[{e_index}].{field}"
                early = sorted(tags & GENITAL_ACTIVITIES) if s_index < at else []
                if early:
                    raise ContentError(
                        path, where, f"{early} must wait for the genital stage {genital!r}"
                    )
                too_soon = sorted(tags & AFTER_GENITAL_STAGE) if s_index <= at else []
                if too_soon:
                    raise ContentError(
                        path, where, f"{too_soon} come only after the genital stage {genital!r}"
                    )


def _int(data: dict[str, Any], field: str, path: Path, where: str, low: int, high: int) -> int:
    value = require(data, field, int, path, where=where)
    if not low <= value <= high:
        raise ContentError(path, f"{where}.{field}", f"must be between {low} and {high}")
    return int(value)


def _pair(item: dict[str, Any], key: str, path: Path, where: str) -> tuple[str, str]:
    """The (pair, direction) of a giving/receiving item, or ("", "") for any other."""
    if "pair" not in item and "direction" not in item:
        return "", ""
    for field, other in (("pair", "direction"), ("direction", "pair")):
        if field not in item:
            raise ContentError(path, f"{where}.{field}", f"is missing (the item has a {other})")
    pair = require(item, "pair", str, path, where=where)
    if not KEY.match(pair):
        raise ContentError(path, f"{where}.pair", "use lower-case words joined by hyphens")
    direction = require(item, "direction", str, path, where=where)
    if direction not in DIRECTIONS:
        raise ContentError(
            path, f"{where}.direction", f"must be 'giving' or 'receiving', not {direction!r}"
        )
    expected = f"{pair}-{direction}"
    if key != expected:
        raise ContentError(path, f"{where}.key", f"must be {expected!r}, its pair and direction")
    if item.get("physical") is not True:
        raise ContentError(path, f"{where}.physical", "a giving or receiving item is physical")
    return pair, direction


def _pair_label(item: dict[str, Any], pair: str, path: Path, where: str) -> str:
    """A pair's name from neither side, required on both of its items."""
    if not pair:
        if "pair_label" in item:
            raise ContentError(
                path, f"{where}.pair_label", "only a giving or receiving item has one"
            )
        return ""
    label = require(item, "pair_label", str, path, where=where)
    if not label.strip():
        raise ContentError(path, f"{where}.pair_label", "must not be empty")
    return label


def parse_activities(data: Any, path: Path) -> dict[str, Activity]:
    items = require(data, "activities", list, path)
    result: dict[str, Activity] = {}
    pairs: dict[str, dict[str, int]] = {}
    for i, item in enumerate(items):
        where = f"activities[{i}]"
        key = _key(item, path, where)
        if key in result:
            raise ContentError(path, f"{where}.key", f"{key!r} appears twice")
        physical = require(item, "physical", bool, path, where=where)
        pair, direction = _pair(item, key, path, where)
        if pair:
            if direction in pairs.setdefault(pair, {}):
                raise ContentError(
                    path, f"{where}.direction", f"pair {pair!r} already has a {direction} item"
                )
            pairs[pair][direction] = i
        result[key] = Activity(
            key=key,
            label=require(item, "label", str, path, where=where),
            group=require(item, "group", str, path, where=where),
            physical=physical,
            pair=pair,
            direction=direction,
            pair_label=_pair_label(item, pair, path, where),
        )
    for pair, found in pairs.items():
        if pair in result:
            raise ContentError(
                path, f"activities[{found[next(iter(found))]}].pair", f"{pair!r} is an item's key"
            )
        for direction in DIRECTIONS:
            if direction not in found:
                first = next(iter(found.values()))
                raise ContentError(
                    path, f"activities[{first}].pair", f"pair {pair!r} has no {direction} item"
                )
    return result


def _activity_list(
    ex: dict[str, Any], field: str, path: Path, where: str, activities: dict[str, Activity]
) -> list[str]:
    """An exercise's list of activity keys (absent or empty is an empty list)."""
    if field not in ex or ex[field] == []:
        return []
    tags = require(ex, field, list, path, where=where)
    for index, tag in enumerate(tags):
        if not isinstance(tag, str) or tag not in activities:
            raise ContentError(
                path, f"{where}.{field}[{index}]", f"{tag!r} is not in the activities list"
            )
        if tag in tags[:index]:
            raise ContentError(path, f"{where}.{field}[{index}]", f"{tag!r} appears twice")
    # Turn-taking: an exercise that names one direction of a pair names both, in the
    # same list, so the plain overlap (both open to each key) agrees touch both ways.
    for index, tag in enumerate(tags):
        activity = activities[tag]
        if activity.pair:
            other = next(
                a.key
                for a in activities.values()
                if a.pair == activity.pair and a.direction != activity.direction
            )
            if other not in tags:
                raise ContentError(
                    path,
                    f"{where}.{field}[{index}]",
                    f"{tag!r} needs {other!r} in the same list (partners take turns)",
                )
    return list(tags)


def parse_program(
    data: Any, path: Path, activities: dict[str, Activity], *, legacy: bool = False
) -> Program:
    """Validate and build a program; ``legacy`` lets a saved earlier edition lack new fields."""
    stages_raw = require(data, "stages", list, path)
    if len(stages_raw) < MIN_STAGES:
        raise ContentError(path, "stages", f"needs at least {MIN_STAGES} stages")
    seen: set[str] = set()
    stages = []
    for s_index, stage in enumerate(stages_raw):
        where = f"stages[{s_index}]"
        exercises_raw = require(stage, "exercises", list, path, where=where)
        if len(exercises_raw) < MIN_EXERCISES_PER_STAGE:
            raise ContentError(
                path, f"{where}.exercises", f"needs at least {MIN_EXERCISES_PER_STAGE} exercises"
            )
        exercises = []
        for e_index, ex in enumerate(exercises_raw):
            ew = f"{where}.exercises[{e_index}]"
            key = _key(ex, path, ew)
            if key in seen:
                raise ContentError(path, f"{ew}.key", f"{key!r} is used by another exercise")
            seen.add(key)
            tags = _activity_list(ex, "activities", path, ew, activities)
            optional = _activity_list(ex, "optional_activities", path, ew, activities)
            for o_index, tag in enumerate(optional):
                if tag in tags:
                    raise ContentError(
                        path,
                        f"{ew}.optional_activities[{o_index}]",
                        f"{tag!r} is already a required activity",
                    )
            solo = _flag(ex, "solo", path, ew, default=False)
            if solo and (tags or optional):
                raise ContentError(
                    path, f"{ew}.solo", "a solo exercise involves no partner activities"
                )
            physical = frozenset(t for t in tags if activities[t].physical)
            adaptations = require(ex, "adaptations", dict, path, where=ew)
            for name in ADAPTATIONS:
                require(adaptations, name, str, path, where=f"{ew}.adaptations")
            unknown = set(adaptations) - set(ADAPTATIONS)
            if unknown:
                raise ContentError(path, f"{ew}.adaptations", f"unknown kinds: {sorted(unknown)}")
            exercises.append(
                Exercise(
                    key=key,
                    title=require(ex, "title", str, path, where=ew),
                    purpose=require(ex, "purpose", str, path, where=ew),
                    steps=_text_list(ex, "steps", path, ew, 2),
                    duration_minutes=_int(ex, "duration_minutes", path, ew, 1, 180),
                    frequency=require(ex, "frequency", str, path, where=ew),
                    sessions_per_week=_int(ex, "sessions_per_week", path, ew, 1, 7),
                    activities=frozenset(tags),
                    adaptations={k: adaptations[k] for k in ADAPTATIONS},
                    physical_activities=physical,
                    optional_activities=frozenset(optional),
                    safety=_texts(ex, "safety", path, ew, 1, legacy),
                    conditions=_conditions(ex, path, ew),
                    solo=solo,
                    touch=_flag(ex, "touch", path, ew, default=bool(physical)),
                )
            )
        stages.append(
            Stage(
                key=_key(stage, path, where),
                title=require(stage, "title", str, path, where=where),
                summary=require(stage, "summary", str, path, where=where),
                exercises=tuple(exercises),
                ready_when=_text(stage, "ready_when", path, where, legacy),
            )
        )
    genital = _text(data, "genital_stage", path, "", legacy)
    if genital:
        _check_genital_stage(path, genital, stages)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return Program(
        key=_key(data, path, ""),
        version=require(data, "version", str, path),
        title=require(data, "title", str, path),
        description=require(data, "description", str, path),
        stop_reminder=require(data, "stop_reminder", str, path),
        stages=tuple(stages),
        sha256=hashlib.sha256(canonical).hexdigest(),
        raw=data,
        ground_rules=_texts(data, "ground_rules", path, "", MIN_GROUND_RULES, legacy),
        stop_and_call=_texts(data, "stop_and_call", path, "", MIN_STOP_AND_CALL, legacy),
        stop_and_call_advice=_text(data, "stop_and_call_advice", path, "", legacy),
        condition_notes=_condition_notes(data, path, legacy),
        genital_stage=genital,
        arousal_note=_text(data, "arousal_note", path, "", legacy),
    )


def program_dirs() -> list[Path]:
    extra = [Path(p) for p in getattr(settings, "TWOFOLD_PROGRAM_DIRS", [])]
    return [BUILTIN_DIR / "programs", *extra]


@cache
def activities() -> dict[str, Activity]:
    path = BUILTIN_DIR / "activities.json"
    return parse_activities(read_json(path), path)


@cache
def programs() -> dict[str, Program]:
    """Every program file available now, by key (later directories override earlier)."""
    found: dict[str, Program] = {}
    for directory in program_dirs():
        for path in sorted(directory.glob("*.json")):
            program = parse_program(read_json(path), path, activities())
            found[program.key] = program
    if "default" not in found:
        raise ContentError(BUILTIN_DIR / "programs", "default", "the default program is missing")
    return found


def program_from_snapshot(data: dict[str, Any]) -> Program:
    """Rebuild a program from the snapshot a plan keeps.

    Old activity keys are read as today's (``activity_keys``): a renamed key as its new
    name, a split key as *all* its parts, so an old exercise needs every part. Keys that
    have since left the list still count as physical (an exercise that involves an
    unknown activity is then outside every couple's overlap, never inside). The program
    keeps the snapshot's own data and checksum. A snapshot of an edition from before the
    safety fields (stop-and-call signs, condition notes, readiness words) loads without
    them (``legacy``): the plan moves to the new edition by a data migration.
    """
    translated = copy.deepcopy(data)
    known = dict(activities())
    for stage in translated.get("stages", []):
        for exercise in stage.get("exercises", []):
            for field in ("activities", "optional_activities"):
                if isinstance(exercise.get(field), list):
                    exercise[field] = activity_keys.translate(exercise[field])
                    for tag in exercise[field]:
                        known.setdefault(tag, Activity(key=tag, label=tag, group="retired"))
    program = parse_program(translated, Path("(saved program)"), known, legacy=True)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return dataclasses.replace(program, raw=data, sha256=hashlib.sha256(canonical).hexdigest())


def reload() -> None:
    """Forget cached content (tests and the content check command)."""
    activities.cache_clear()
    programs.cache_clear()
