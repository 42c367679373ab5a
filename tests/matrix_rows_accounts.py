"""Authorization matrix rows for a person's own account pages (the privacy lock)."""

from __future__ import annotations

from typing import Any

from tests.matrix_support import LOGIN, Row, _everyone

ROWS: dict[str, Row] = {
    # Everyone signed in has their own lock; its page holds nothing of anybody else's.
    "privacy_lock": Row("GET", {**_everyone(200), "anon": LOGIN}),
    # The lock is off by default, so the unlock page sends the person straight on (home).
    "privacy_unlock": Row("GET", {**_everyone(302), "anon": LOGIN}),
    "privacy_lock_close": Row("POST", {**_everyone(302), "anon": LOGIN}),
}


def extend_world(world: dict[str, Any]) -> None:
    """These pages are about the signed-in person only: no records needed."""
