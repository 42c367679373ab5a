"""Shared pieces of the authorization matrix; per-feature rows live in matrix_rows_*.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("partner_a", "partner_b", "clinician", "other_clinician", "clinic_admin", "anon")
LOGIN = "login"  # a redirect to the sign-in page


@dataclass
class Row:
    method: str
    expect: dict[str, int | str]
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda w: {}
    data: dict[str, Any] = field(default_factory=dict)


def _everyone(status: int | str) -> dict[str, int | str]:
    return dict.fromkeys(PERSONAS, status)


def _only(allowed: dict[str, int | str], others: int | str = 404) -> dict[str, int | str]:
    result: dict[str, int | str] = dict.fromkeys(PERSONAS, others)
    result["anon"] = LOGIN
    result.update(allowed)
    return result
