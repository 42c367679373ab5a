"""Conversation scripts and check-in difference prompts, as data files.

Files are JSON in ``twofold/conversations/content/``, validated when loaded: a broken file
fails with :class:`ContentError` naming the file, the field and the reason.

* ``scripts/<key>.json``: one guided conversation each (speaker and listener turns);
  the file name is the script's key.
* ``difference_prompts.json``: what to suggest talking about after a check-in reveal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from twofold.lib.content import ContentError, read_json, require

BUILTIN_DIR = Path(__file__).resolve().parent / "content"
SCRIPTS_DIR = BUILTIN_DIR / "scripts"
DIFFERENCE_PROMPTS_FILE = BUILTIN_DIR / "difference_prompts.json"

# The shared check-in items a difference prompt can be about, in the order prompts are
# offered. Only items the partner sees after the reveal belong here: the private safety
# item is never compared, prompted or talked about.
CHECKIN_ITEMS = (
    "openness",
    "sexual_comfort",
    "mutual_support",
    "stress",
    "sleep_quality",
    "mood",
)
# The scripts the product promises (PRODUCT.md §2.9), in the order they are offered.
REQUIRED_SCRIPTS = (
    "weekly-check-in",
    "raising-a-concern",
    "reviewing-an-adjustment",
    "celebrating-progress",
    "booster-meeting",
)
TOGETHER, SPEAK, REFLECT = "together", "speak", "reflect"
STEP_KINDS = (TOGETHER, SPEAK, REFLECT)
STEP_FIELDS = {"kind", "prompt", "hint"}
MIN_STEPS, MAX_STEPS = 6, 10
TURN_SECONDS = (30, 900)
TALK_ABOUT = "talk_about"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

__all__ = ["ContentError", "DifferencePrompt", "Script", "Step"]


@dataclass(frozen=True)
class Step:
    kind: str
    prompt: str
    hint: str = ""

    @property
    def has_turns(self) -> bool:
        """Speak and reflect steps belong to one person's turn (and run the timer)."""
        return self.kind in (SPEAK, REFLECT)


@dataclass(frozen=True)
class Script:
    key: str
    version: str
    title: str
    purpose: str
    turn_seconds: int
    steps: tuple[Step, ...]

    @property
    def turn_clock(self) -> str:
        """The turn length as minutes and seconds, e.g. ``2:30``."""
        return f"{self.turn_seconds // 60}:{self.turn_seconds % 60:02d}"


@dataclass(frozen=True)
class DifferencePrompt:
    key: str
    title: str
    prompt: str
    script_key: str


def _text(data: Any, field: str, path: Path, where: str = "") -> str:
    value = require(data, field, str, path, where=where)
    if not value.strip():
        raise ContentError(path, f"{where}.{field}" if where else field, "must not be blank")
    return str(value.strip())


def parse_step(data: Any, path: Path, where: str) -> Step:
    if not isinstance(data, dict):
        raise ContentError(path, where, "must be an object")
    unknown = set(data) - STEP_FIELDS
    if unknown:
        raise ContentError(path, where, f"unknown fields: {sorted(unknown)}")
    kind = require(data, "kind", str, path, where=where)
    if kind not in STEP_KINDS:
        raise ContentError(
            path, f"{where}.kind", f"unknown step kind {kind!r} (use {', '.join(STEP_KINDS)})"
        )
    hint = data.get("hint", "")
    if not isinstance(hint, str):
        raise ContentError(path, f"{where}.hint", "must be str")
    return Step(kind=kind, prompt=_text(data, "prompt", path, where), hint=hint.strip())


def parse_script(data: Any, path: Path) -> Script:
    """One script file; its ``key`` must be the file's name (without ``.json``)."""
    key = require(data, "key", str, path)
    if not KEY.match(key):
        raise ContentError(path, "key", "use lower-case words joined by hyphens")
    if key != path.stem:
        raise ContentError(path, "key", f"{key!r} differs from the file name {path.stem!r}")
    turn_seconds = require(data, "turn_seconds", int, path)
    low, high = TURN_SECONDS
    if not low <= turn_seconds <= high:
        raise ContentError(path, "turn_seconds", f"must be between {low} and {high}")
    raw_steps = require(data, "steps", list, path)
    if not MIN_STEPS <= len(raw_steps) <= MAX_STEPS:
        raise ContentError(path, "steps", f"needs {MIN_STEPS} to {MAX_STEPS} steps")
    steps = tuple(parse_step(s, path, f"steps[{i}]") for i, s in enumerate(raw_steps))
    _check_turns(steps, path)
    return Script(
        key=key,
        version=_text(data, "version", path),
        title=_text(data, "title", path),
        purpose=_text(data, "purpose", path),
        turn_seconds=int(turn_seconds),
        steps=steps,
    )


def _check_turns(steps: tuple[Step, ...], path: Path) -> None:
    """Open and close together, let both partners speak, reflect only what was said."""
    if steps[0].kind != TOGETHER:
        raise ContentError(path, "steps[0].kind", "the opening step is done together")
    if steps[-1].kind != TOGETHER:
        raise ContentError(
            path, f"steps[{len(steps) - 1}].kind", "the closing step is done together"
        )
    if sum(1 for s in steps if s.kind == SPEAK) < 2:
        raise ContentError(path, "steps", "needs at least two speak steps, so both speak")
    spoken = False
    for index, step in enumerate(steps):
        spoken = spoken or step.kind == SPEAK
        if step.kind == REFLECT and not spoken:
            raise ContentError(
                path, f"steps[{index}].kind", "a reflect step needs a speak step before it"
            )


def load_scripts(directory: Path) -> dict[str, Script]:
    """Every script in ``directory``, the required ones first in their fixed order."""
    found: dict[str, Script] = {}
    for path in sorted(directory.glob("*.json")):
        script = parse_script(read_json(path), path)
        found[script.key] = script
    for key in REQUIRED_SCRIPTS:
        if key not in found:
            raise ContentError(directory / f"{key}.json", "(file)", "this script is missing")
    ordered = {key: found[key] for key in REQUIRED_SCRIPTS}
    ordered.update((k, v) for k, v in sorted(found.items()) if k not in ordered)
    return ordered


def parse_difference_prompts(
    data: Any, path: Path, script_keys: set[str] | frozenset[str]
) -> dict[str, DifferencePrompt]:
    """Difference prompts by check-in item key, plus ``talk_about``."""
    require(data, "version", str, path)
    items = require(data, "items", dict, path)
    unknown = [key for key in items if key not in CHECKIN_ITEMS]
    if unknown:
        raise ContentError(path, f"items.{unknown[0]}", f"{unknown[0]!r} is not a check-in item")
    result: dict[str, DifferencePrompt] = {}
    entries = [
        (key, require(items, key, dict, path, where="items"), "items") for key in CHECKIN_ITEMS
    ]
    entries.append((TALK_ABOUT, require(data, TALK_ABOUT, dict, path), ""))
    for key, entry, parent in entries:
        where = f"{parent}.{key}" if parent else key
        script_key = require(entry, "script", str, path, where=where)
        if script_key not in script_keys:
            raise ContentError(path, f"{where}.script", f"{script_key!r} is not a known script")
        result[key] = DifferencePrompt(
            key=key,
            title=_text(entry, "title", path, where),
            prompt=_text(entry, "prompt", path, where),
            script_key=script_key,
        )
    return result


@cache
def scripts() -> dict[str, Script]:
    return load_scripts(SCRIPTS_DIR)


@cache
def difference_prompts() -> dict[str, DifferencePrompt]:
    return parse_difference_prompts(
        read_json(DIFFERENCE_PROMPTS_FILE), DIFFERENCE_PROMPTS_FILE, frozenset(scripts())
    )


def script(key: str) -> Script | None:
    return scripts().get(key)


def reload() -> None:
    """Forget cached content (tests and content checks)."""
    scripts.cache_clear()
    difference_prompts.cache_clear()
