"""Authorization matrix rows for the boundaries page's per-answer save."""

from __future__ import annotations

from typing import Any

from tests.matrix_support import Row, _only

ROWS: dict[str, Row] = {
    # One answer saved as it is chosen; sent without htmx it lands back on the page.
    "boundary_answer": Row(
        "POST",
        _only({"partner_a": 302, "partner_b": 302}),
        kwargs=lambda w: {"key": "hugging"},
        data={"hugging": "maybe"},
    ),
}


def extend_world(world: dict[str, Any]) -> None:
    return None
