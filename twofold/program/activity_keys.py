"""How the boundaries activity keys of the 2026-11 list map to the finer 2026-12 list.

The one place this mapping lives in code. Two users: ``content.program_from_snapshot``
(plans started on an older program version name old keys) and, as a frozen copy, the
data migration that carried people's answers over (``twofold/ops/migrations``).

Conservative on purpose:

* a **renamed** item is the same activity under a new name: its answer is kept;
* a **split** item became finer items (a brief and a deeper kiss; giving and receiving;
  three kinds of penetration). Nobody said yes to any one part, so the old answer is not
  carried over: every part starts unanswered, which counts as closed. In an old program
  snapshot an exercise that needed the old item needs *all* its parts.

Every other old key (``sex-toys`` among them) is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

RENAMED: dict[str, str] = {
    "hand-arm-massage": "hand-arm-touch",
    "foot-massage": "foot-touch",
    "back-massage-clothed": "back-touch-clothed",
    "massage-less-clothing": "body-touch-less-clothing",
}

SPLIT: dict[str, tuple[str, ...]] = {
    "kissing-lips": ("kissing-brief", "kissing-deep"),
    "chest-touch": ("chest-touch-giving", "chest-touch-receiving"),
    "genital-touch": ("genital-touch-giving", "genital-touch-receiving"),
    "oral-sex": ("oral-sex-giving", "oral-sex-receiving"),
    "penetrative-sex": ("penetration-fingers-toys", "penetration-vaginal", "penetration-anal"),
}


def current_keys(key: str) -> tuple[str, ...]:
    """The key(s) an activity key stands for now (itself when it did not change)."""
    if key in RENAMED:
        return (RENAMED[key],)
    return SPLIT.get(key, (key,))


def translate(keys: Iterable[str]) -> list[str]:
    """Old keys to current ones, in order, without duplicates."""
    result: list[str] = []
    for key in keys:
        for new in current_keys(key):
            if new not in result:
                result.append(new)
    return result
