"""Authorization matrix rows for the weekly check-in."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.matrix_support import Row, _only
from twofold.checkins import actions


def _start(world: dict[str, Any]) -> dict[str, Any]:
    return {"start": world["checkin_round"]}


ROWS: dict[str, Row] = {
    "checkin_home": Row("GET", _only({"partner_a": 200, "partner_b": 200})),
    "checkin_history": Row("GET", _only({"partner_a": 200, "partner_b": 200})),
    "checkin_cadence": Row(
        "POST", _only({"partner_a": 302, "partner_b": 302}), data={"cadence": "fortnightly"}
    ),
    "checkin_answer": Row("GET", _only({"partner_a": 200, "partner_b": 200}), kwargs=_start),
    "checkin_together": Row("GET", _only({"partner_a": 200, "partner_b": 200}), kwargs=_start),
    "checkin_care": Row(
        "GET", _only({"clinician": 200}), kwargs=lambda w: {"couple_id": w["couple"].pk}
    ),
    "checkin_care_cadence": Row(
        "POST",
        _only({"clinician": 302}),
        kwargs=lambda w: {"couple_id": w["couple"].pk},
        data={"cadence": "monthly"},
    ),
}


def extend_world(world: dict[str, Any]) -> None:
    schedule = actions.ensure_schedule(world["couple"])
    world["checkin_round"] = schedule.round_for(timezone.localdate()).start.isoformat()
