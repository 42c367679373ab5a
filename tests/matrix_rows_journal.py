"""Authorization matrix rows for the journal, moments and appreciation notes."""

from __future__ import annotations

from typing import Any

from tests.matrix_support import Row, _only

PARTNERS: dict[str, int | str] = {"partner_a": 200, "partner_b": 200}

ROWS: dict[str, Row] = {
    "journal_list": Row("GET", _only(PARTNERS)),
    "journal_new": Row("GET", _only(PARTNERS)),
    "journal_prompts": Row("GET", _only(PARTNERS)),
    # Partner A's entry, shared with partner B and the care team. The care team reads it
    # on the care page only; editing and deleting are for its author alone.
    "journal_detail": Row(
        "GET", _only(PARTNERS), kwargs=lambda w: {"entry_id": w["journal_entry"].pk}
    ),
    "journal_edit": Row(
        "GET", _only({"partner_a": 200}), kwargs=lambda w: {"entry_id": w["journal_entry"].pk}
    ),
    "journal_delete": Row(
        "POST", _only({"partner_a": 302}), kwargs=lambda w: {"entry_id": w["journal_entry"].pk}
    ),
    "journal_care": Row(
        "GET", _only({"clinician": 200}), kwargs=lambda w: {"couple_id": w["couple"].pk}
    ),
    "moments": Row("GET", _only(PARTNERS)),
    "moment_add": Row("POST", _only({"partner_a": 302, "partner_b": 302}), data={"kind": "humour"}),
    "appreciations": Row("GET", _only(PARTNERS)),
    "appreciations_seen": Row("POST", _only({"partner_a": 302, "partner_b": 302})),
    "appreciation_send": Row(
        "POST",
        _only({"partner_a": 302, "partner_b": 302}),
        data={"text": "Thank you for the tea this morning."},
    ),
}


def extend_world(world: dict[str, Any]) -> None:
    from twofold.journal import actions
    from twofold.journal.models import Sharing

    couple = world["couple"]
    partner_a = couple.seats()[0].user
    world["journal_entry"] = actions.create_entry(
        couple,
        title="A good Sunday",
        body="We walked by the river and it felt easy.",
        sharing=Sharing.BOTH,
        acting_user=partner_a,
    )
