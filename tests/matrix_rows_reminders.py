"""Authorization matrix rows for the reminders app: the partner's gentle nudge."""

from __future__ import annotations

from typing import Any

from tests.matrix_support import Row, _only

ROWS: dict[str, Row] = {
    # Either partner may nudge the other; anybody else is not in a couple here (404).
    "reminders_nudge": Row("POST", _only({"partner_a": 302, "partner_b": 302})),
}


def extend_world(world: dict[str, Any]) -> None:
    """The nudge needs nothing beyond the couple."""
