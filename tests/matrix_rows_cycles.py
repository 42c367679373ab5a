"""Authorization matrix rows for adjustment cycles (twofold.cycles)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.matrix_support import Row, _only

PARTNERS = {"partner_a": 200, "partner_b": 200}
PARTNERS_REDIRECTED = {"partner_a": 302, "partner_b": 302}


def _cycle(w: dict) -> dict:
    return {"cycle_id": w["cycle"].pk}


ROWS: dict[str, Row] = {
    "cycles_list": Row("GET", _only(PARTNERS)),
    "cycle_new": Row("GET", _only(PARTNERS)),
    "cycle_detail": Row("GET", _only(PARTNERS), kwargs=_cycle),
    # The world's cycle is being tried, so either partner may say how it went.
    "cycle_step": Row(
        "POST",
        _only(PARTNERS_REDIRECTED),
        kwargs=_cycle,
        data={"action": "rate", "rating": "helped"},
    ),
    # Partner A (who raised it) sets it aside; partner B is kindly told it isn't theirs to.
    "cycle_withdraw": Row("POST", _only(PARTNERS_REDIRECTED), kwargs=_cycle),
    # The care team reads the couple's cycles on their own page only.
    "cycles_care": Row(
        "GET", _only({"clinician": 200}), kwargs=lambda w: {"couple_id": w["couple"].pk}
    ),
}


def extend_world(world: dict) -> None:
    """A cycle raised by partner A, heard, agreed and now being tried."""
    from twofold.cycles import actions

    couple = world["couple"]
    a, b = (seat.user for seat in couple.seats())
    cycle = actions.raise_concern(
        couple, "I miss our evening walks.", "Walk after dinner", acting_user=a
    )
    actions.reflect(cycle, "You miss the walks we used to take.", acting_user=b)
    actions.confirm(cycle, acting_user=a)
    actions.propose(
        cycle, "A short walk twice a week", timezone.localdate() + timedelta(days=7), acting_user=a
    )
    actions.agree(cycle, acting_user=b)
    cycle.refresh_from_db()
    world["cycle"] = cycle
