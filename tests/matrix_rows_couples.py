"""Authorization matrix rows for the first steps: a new invitation link, joining from the
start page, and the way on to the next step."""

from __future__ import annotations

from typing import Any

from tests.matrix_support import Row, _only

ROWS: dict[str, Row] = {
    # The world's couple is complete, so a partner is told no new link can be made (and
    # is sent home); nobody else learns the invitation exists.
    "invitation_new_link": Row(
        "POST",
        _only({"partner_a": 302, "partner_b": 302}),
        kwargs=lambda w: {"invitation_id": w["invitation"].pk},
    ),
    # Only the person the invitation is addressed to can join from the start page; it is
    # addressed to nobody here, so everyone gets the 404 of an invitation that does not exist.
    "invitation_accept_waiting": Row(
        "POST", _only({}), kwargs=lambda w: {"invitation_id": w["invitation"].pk}
    ),
    "next_step": Row("GET", _only({"partner_a": 302, "partner_b": 302})),
}


def extend_world(world: dict[str, Any]) -> None:
    """The rows above use the world's pending invitation; nothing more is needed."""
