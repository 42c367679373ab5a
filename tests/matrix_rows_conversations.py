"""Authorization matrix rows for "talk together": only the couple's two partners."""

from __future__ import annotations

from typing import Any

from tests.matrix_support import Row, _only
from twofold.conversations import actions, content

PARTNERS_GET = _only({"partner_a": 200, "partner_b": 200})
PARTNERS_POST = _only({"partner_a": 302, "partner_b": 302})


def _session(world: dict[str, Any]) -> dict[str, Any]:
    return {"session_id": world["talk_session"].pk}


ROWS: dict[str, Row] = {
    "talk_home": Row("GET", PARTNERS_GET),
    "talk_start": Row("POST", PARTNERS_POST, kwargs=lambda w: {"script_key": "weekly-check-in"}),
    "talk_session": Row("GET", PARTNERS_GET, kwargs=_session),
    "talk_state": Row("GET", PARTNERS_GET, kwargs=_session),
    "talk_next": Row("POST", PARTNERS_POST, kwargs=_session, data={"seen_step": 0}),
    "talk_swap": Row(
        "POST", PARTNERS_POST, kwargs=_session, data={"seen_step": 0, "seen_speaker": "a"}
    ),
    "talk_pause": Row("POST", PARTNERS_POST, kwargs=_session, data={"pause": "yes"}),
    "talk_end": Row("POST", PARTNERS_POST, kwargs=_session),
}


def extend_world(world: dict[str, Any]) -> None:
    couple = world["couple"]
    starter = couple.seats()[0].user
    world["talk_session"] = actions.start_talk(
        couple, content.scripts()["weekly-check-in"], acting_user=starter
    )
