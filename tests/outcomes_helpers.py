"""Helpers for questionnaire tests: answer and send a questionnaire through the actions."""

from __future__ import annotations

from typing import Any

from twofold.outcomes import actions
from twofold.outcomes.instruments import instrument
from twofold.outcomes.models import QuestionnaireResponse, QuestionnaireResult


def values_for(key: str, chosen: dict[str, str] | None = None, default: int = 0) -> dict[str, str]:
    """Every item of ``key`` answered with its option number ``default`` (0: the first),
    except those in ``chosen`` (item key -> option value)."""
    definition = instrument(key)
    values = {item.key: item.options[default].value for item in definition.items}
    values.update(chosen or {})
    return values


def draft(
    couple: Any, user: Any, key: str, slot: str = "baseline", values: dict[str, str] | None = None
) -> QuestionnaireResponse:
    response = actions.start_response(couple, key, slot, acting_user=user)
    if values:
        response = actions.save_answers(response.pk, dict(values), acting_user=user)
    return response


def answer(
    couple: Any, user: Any, key: str, slot: str = "baseline", values: dict[str, str] | None = None
) -> QuestionnaireResult:
    """``user`` answers and sends ``key`` in ``slot`` (every item the first option unless
    ``values`` says otherwise)."""
    response = draft(couple, user, key, slot, values if values is not None else values_for(key))
    return actions.submit_response(response.pk, acting_user=user)


def hark(positive: bool) -> dict[str, str]:
    return values_for("hark", {"afraid": "yes"} if positive else None)
