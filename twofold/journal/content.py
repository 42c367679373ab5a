"""Journal prompts, as a data file validated on load.

``content/prompts.json`` holds groups (guided reflection, writing freely, hopes and
small wins…), each with prompts. A broken file fails with the file, the field and the
reason. Prompt keys are stored on entries, so a key must never change meaning; they are
kept neutral (``reflection-03``) because they appear in addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from twofold.lib.content import ContentError, read_json, require

BUILTIN_DIR = Path(__file__).resolve().parent / "content"
PROMPTS_FILE = BUILTIN_DIR / "prompts.json"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_PROMPT_LENGTH = 400


@dataclass(frozen=True)
class Prompt:
    key: str
    text: str
    group_key: str


@dataclass(frozen=True)
class PromptGroup:
    key: str
    title: str
    intro: str
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class PromptSet:
    version: str
    groups: tuple[PromptGroup, ...]

    def get(self, key: str | None) -> Prompt | None:
        if not key:
            return None
        return next((p for g in self.groups for p in g.prompts if p.key == key), None)

    def group(self, key: str) -> PromptGroup | None:
        return next((g for g in self.groups if g.key == key), None)

    def interleaved(self) -> list[Prompt]:
        """Every prompt, taking one from each group in turn (so neighbours differ)."""
        result: list[Prompt] = []
        longest = max((len(g.prompts) for g in self.groups), default=0)
        for i in range(longest):
            result += [g.prompts[i] for g in self.groups if i < len(g.prompts)]
        return result

    def for_day(self, day: date, count: int = 3) -> list[Prompt]:
        """A few prompts for ``day``: the same all day, different the next."""
        pool = self.interleaved()
        if not pool:
            return []
        count = min(count, len(pool))
        start = day.toordinal() % len(pool)
        step = max(1, len(pool) // count)
        return [pool[(start + i * step) % len(pool)] for i in range(count)]


def _key(data: dict[str, Any], path: Path, where: str) -> str:
    value = require(data, "key", str, path, where=where)
    if not KEY.match(value):
        raise ContentError(path, f"{where}.key", "use lower-case words joined by hyphens")
    return str(value)


def _text(data: dict[str, Any], field: str, path: Path, where: str) -> str:
    value = require(data, field, str, path, where=where).strip()
    if not value:
        raise ContentError(path, f"{where}.{field}", "must not be blank")
    if len(value) > MAX_PROMPT_LENGTH:
        raise ContentError(
            path, f"{where}.{field}", f"keep it under {MAX_PROMPT_LENGTH} characters"
        )
    return str(value)


def parse_prompts(data: Any, path: Path) -> PromptSet:
    version = require(data, "version", str, path)
    groups_raw = require(data, "groups", list, path)
    seen_groups: set[str] = set()
    seen_prompts: set[str] = set()
    groups = []
    for g_index, group in enumerate(groups_raw):
        where = f"groups[{g_index}]"
        group_key = _key(group, path, where)
        if group_key in seen_groups:
            raise ContentError(path, f"{where}.key", f"{group_key!r} appears twice")
        seen_groups.add(group_key)
        prompts = []
        for p_index, item in enumerate(require(group, "prompts", list, path, where=where)):
            pw = f"{where}.prompts[{p_index}]"
            key = _key(item, path, pw)
            if key in seen_prompts:
                raise ContentError(path, f"{pw}.key", f"{key!r} is used by another prompt")
            seen_prompts.add(key)
            prompts.append(Prompt(key=key, text=_text(item, "text", path, pw), group_key=group_key))
        groups.append(
            PromptGroup(
                key=group_key,
                title=_text(group, "title", path, where),
                intro=_text(group, "intro", path, where) if "intro" in group else "",
                prompts=tuple(prompts),
            )
        )
    return PromptSet(version=version, groups=tuple(groups))


@cache
def prompts() -> PromptSet:
    return parse_prompts(read_json(PROMPTS_FILE), PROMPTS_FILE)


def reload() -> None:
    """Forget cached prompts (tests and content checks)."""
    prompts.cache_clear()
