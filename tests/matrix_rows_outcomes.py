"""Authorization matrix rows for questionnaires (the partner's pages and the care page).

Partner A has a draft of the PHQ-9 and a sent CSI-4 of the baseline; both are theirs
alone. Partner B, like everyone else, gets the same 404 as for answers that don't exist.
Each partner downloads their own data; the couple's clinician downloads the couple's.
"""

from __future__ import annotations

from typing import Any

from tests.matrix_support import Row, _only

PARTNERS: dict[str, int | str] = {"partner_a": 200, "partner_b": 200}
A_ONLY: dict[str, int | str] = {"partner_a": 200}


def _draft(world: dict[str, Any]) -> dict[str, Any]:
    return {"response_id": world["questionnaire_draft"].pk}


def _result(world: dict[str, Any]) -> dict[str, Any]:
    return {"result_id": world["questionnaire_result"].pk}


def _couple(world: dict[str, Any]) -> dict[str, Any]:
    return {"couple_id": world["couple"].pk}


ROWS: dict[str, Row] = {
    "questionnaires": Row("GET", _only(PARTNERS)),
    "questionnaire_start": Row(
        "GET", _only(PARTNERS), kwargs=lambda w: {"instrument": "gad-7", "slot": "baseline"}
    ),
    "questionnaire_form": Row("GET", _only(A_ONLY), kwargs=_draft),
    "questionnaire_step": Row("GET", _only(A_ONLY), kwargs=lambda w: {**_draft(w), "number": 1}),
    "questionnaire_check": Row("GET", _only(A_ONLY), kwargs=_draft),
    "questionnaire_send": Row("POST", _only({"partner_a": 302}), kwargs=_draft),
    "questionnaire_result": Row("GET", _only(A_ONLY), kwargs=_result),
    "questionnaire_share": Row(
        "POST", _only({"partner_a": 302}), kwargs=_result, data={"share": "yes"}
    ),
    "questionnaire_export": Row("GET", _only(PARTNERS), kwargs=lambda w: {"fmt": "csv"}),
    "care_questionnaires": Row("GET", _only({"clinician": 200}), kwargs=_couple),
    "care_questionnaire_export": Row(
        "GET", _only({"clinician": 200}), kwargs=lambda w: {**_couple(w), "fmt": "fhir"}
    ),
    "care_questionnaire_schedule": Row(
        "POST",
        _only({"clinician": 302}),
        kwargs=_couple,
        data={"program_weeks": "24", "booster_weeks": "4, 13", "csi-4__baseline": "on"},
    ),
}


def extend_world(world: dict[str, Any]) -> None:
    from tests.outcomes_helpers import answer, draft, values_for

    couple = world["couple"]
    partner_a = couple.seats()[0].user
    world["questionnaire_draft"] = draft(
        couple, partner_a, "phq-9", values={"interest": values_for("phq-9")["interest"]}
    )
    world["questionnaire_result"] = answer(couple, partner_a, "csi-4")
