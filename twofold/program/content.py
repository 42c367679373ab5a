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


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    summary: str
    exercises: tuple[Exercise, ...]


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
    if len(items) < minimum:
        raise ContentError(path, f"{where}.{field}", f"needs at least {minimum} entries")
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise ContentError(path, f"{where}.{field}[{i}]", "must be a non-empty sentence")
    return tuple(items)


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


def parse_program(data: Any, path: Path, activities: dict[str, Activity]) -> Program:
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
                    physical_activities=frozenset(t for t in tags if activities[t].physical),
                    optional_activities=frozenset(optional),
                )
            )
        stages.append(
            Stage(
                key=_key(stage, path, where),
                title=require(stage, "title", str, path, where=where),
                summary=require(stage, "summary", str, path, where=where),
                exercises=tuple(exercises),
            )
        )
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
    keeps the snapshot's own data and checksum.
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
    program = parse_program(translated, Path("(saved program)"), known)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return dataclasses.replace(program, raw=data, sha256=hashlib.sha256(canonical).hexdigest())


def reload() -> None:
    """Forget cached content (tests and the content check command)."""
    activities.cache_clear()
    programs.cache_clear()
