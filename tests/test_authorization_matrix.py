"""Every URL of the project, and what each persona gets from it.

Outsiders get 404 (never 403), anonymous people are sent to sign in, and a new URL
without a row here fails ``test_every_url_pattern_has_a_declared_expectation``.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from tests.matrix_support import LOGIN, PERSONAS, Row, _everyone, _only
from twofold.couples.models import Couple, Invitation

MATRIX: dict[str, Row] = {
    # The front door fits the person: partners see their home, staff are sent to theirs.
    "home": Row(
        "GET", {**_everyone(200), "clinician": 302, "other_clinician": 302, "clinic_admin": 302}
    ),
    "safety": Row("GET", _everyone(200)),
    # Quick exit sends everyone on to the everyday site (a GET never signs anyone out).
    "quick_exit": Row("GET", _everyone(302)),
    "healthz": Row("GET", _everyone(200)),
    "preferences": Row("GET", {**_everyone(200), "anon": LOGIN}),
    # Partner pages.
    "couple_start": Row("POST", {**_everyone(302), "anon": LOGIN}),
    "partner_invite": Row(
        "POST", _only({"partner_a": 400, "partner_b": 400}), data={"email": "x@example.org"}
    ),
    "invitation_revoke": Row(
        "POST",
        _only({"partner_a": 302, "partner_b": 302, "clinician": 302}),
        kwargs=lambda w: {"invitation_id": w["invitation"].pk},
    ),
    "invitation_detail": Row("GET", _everyone(200), kwargs=lambda w: {"token": w["token"]}),
    "invitation_accept": Row(
        "POST", {**_everyone(302), "anon": LOGIN}, kwargs=lambda w: {"token": w["token"]}
    ),
    "consent_give": Row(
        "GET", _only({"partner_a": 200, "partner_b": 200}), kwargs=lambda w: {"kind": "care"}
    ),
    "consent_withdraw": Row(
        "POST",
        # Partners are asked to confirm who they are first (a redirect to re-authenticate).
        _only({"partner_a": 302, "partner_b": 302}),
        kwargs=lambda w: {"kind": "care"},
    ),
    "access_log": Row("GET", _only({"partner_a": 200, "partner_b": 200})),
    # The program: the couple's own pages.
    "program_home": Row("GET", _only({"partner_a": 200, "partner_b": 200})),
    "program_ready": Row(
        "POST", _only({"partner_a": 302, "partner_b": 302}), data={"ready": "yes"}
    ),
    "program_step_back": Row("POST", _only({"partner_a": 302, "partner_b": 302})),
    "program_pause": Row("POST", _only({"partner_a": 302, "partner_b": 302})),
    "program_resume": Row("POST", _only({"partner_a": 302, "partner_b": 302})),
    "program_history": Row("GET", _only({"partner_a": 200, "partner_b": 200})),
    "exercise_detail": Row(
        "GET", _only({"partner_a": 200, "partner_b": 200}), kwargs=lambda w: {"key": w["exercise"]}
    ),
    "practice_log_new": Row(
        "GET", _only({"partner_a": 200, "partner_b": 200}), kwargs=lambda w: {"key": w["exercise"]}
    ),
    "practice_logs": Row("GET", _only({"partner_a": 200, "partner_b": 200})),
    "boundaries": Row("GET", _only({"partner_a": 200, "partner_b": 200})),
    "goals": Row("GET", _only({"partner_a": 200, "partner_b": 200})),
    # A private draft of partner A's: partner B does not know it exists.
    "goal_propose": Row(
        "POST", _only({"partner_a": 302}), kwargs=lambda w: {"goal_id": w["draft"].pk}
    ),
    "goal_put_away": Row(
        "POST", _only({"partner_a": 302}), kwargs=lambda w: {"goal_id": w["draft"].pk}
    ),
    # A goal partner A proposed: both partners see it.
    "goal_respond": Row(
        "POST",
        _only({"partner_a": 302, "partner_b": 302}),
        kwargs=lambda w: {"goal_id": w["proposed"].pk},
        data={"response": "accept"},
    ),
    # Care team pages: only the couple's own clinician sees the couple.
    "care_plan": Row(
        "GET", _only({"clinician": 200}), kwargs=lambda w: {"couple_id": w["couple"].pk}
    ),
    "care_approve": Row(
        "POST", _only({"clinician": 302}), kwargs=lambda w: {"couple_id": w["couple"].pk}
    ),
    # The exercise key of these two rows is filled in by world(), once a plan exists.
    "care_assign": Row(
        "POST",
        _only({"clinician": 302}),
        kwargs=lambda w: {"couple_id": w["couple"].pk},
        data={"exercise_key": ""},
    ),
    "care_unassign": Row(
        "POST",
        _only({"clinician": 302}),
        kwargs=lambda w: {"couple_id": w["couple"].pk, "assignment_id": w["assignment"].pk},
    ),
    "care_unsuitable": Row(
        "POST",
        _only({"clinician": 302}),
        kwargs=lambda w: {"couple_id": w["couple"].pk},
        data={"exercise_key": "", "note": "Let's leave this one."},
    ),
    "care_caseload": Row("GET", _only({"clinician": 200, "other_clinician": 200})),
    "care_couple_new": Row("GET", _only({"clinician": 200, "other_clinician": 200})),
    "care_couple_detail": Row(
        "GET", _only({"clinician": 200}), kwargs=lambda w: {"couple_id": w["couple"].pk}
    ),
    "care_note_add": Row(
        "POST",
        _only({"clinician": 302}),
        kwargs=lambda w: {"couple_id": w["couple"].pk},
        data={"text": "Spoke on the phone."},
    ),
    # Clinic admin pages: the clinic, its team and its access log; no partner content.
    "clinic_home": Row("GET", _only({"clinic_admin": 200})),
    "clinic_invite": Row(
        "POST", _only({"clinic_admin": 302}), data={"email": "new@example.org", "role": "clinician"}
    ),
    "clinic_audit": Row("GET", _only({"clinic_admin": 200})),
    "clinic_program": Row("POST", _only({"clinic_admin": 302}), data={"program_key": "default"}),
}

# Features add their rows and world objects in tests/matrix_rows_<feature>.py, each with
# ROWS (dict of Row) and extend_world(world) for the objects their URLs need.
FEATURE_MODULES = [
    importlib.import_module(f"tests.{m.name}")
    for m in pkgutil.iter_modules(tests.__path__)
    if m.name.startswith("matrix_rows_")
]
for _module in FEATURE_MODULES:
    overlap = set(_module.ROWS) & set(MATRIX)
    assert not overlap, f"{_module.__name__} redeclares {overlap}"
    MATRIX.update(_module.ROWS)

# Sign-in, sign-up, password and MFA pages come from allauth. They hold no partner data;
# each persona must get a page or a redirect from them, never an error.
THIRD_PARTY_PREFIXES = ("accounts/",)


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.name))
    return found


def all_patterns() -> list[tuple[str, str | None]]:
    return _walk(get_resolver().url_patterns)


def test_every_url_pattern_has_a_declared_expectation() -> None:
    missing = [
        (route, name)
        for route, name in all_patterns()
        if not route.startswith(THIRD_PARTY_PREFIXES) and name not in MATRIX
    ]
    assert not missing, f"URLs without rows in the authorization matrix: {missing}"
    stale = set(MATRIX) - {name for _route, name in all_patterns()}
    assert not stale, f"Matrix rows for URLs that no longer exist: {stale}"
    for name, row in MATRIX.items():
        assert set(row.expect) == set(PERSONAS), f"{name} must declare every persona"


@pytest.fixture
def world(couple: Couple, clinician: Any) -> dict[str, Any]:
    invitation, _raw = Invitation.issue(
        email="pending@example.org",
        role=Invitation.Role.PARTNER,
        couple=couple,
        invited_by=clinician,
    )
    _other, token = Invitation.issue(
        email="someone.else@example.org",
        role=Invitation.Role.PARTNER,
        couple=couple,
        invited_by=clinician,
    )
    from tests.program_helpers import open_everything
    from twofold.program import actions as program_actions
    from twofold.program.models import Assignment

    plan = open_everything(couple)
    exercise = plan.stage.exercises[0].key
    assignment = Assignment.objects.create(
        plan=plan, couple=couple, exercise_key=exercise, assigned_by=clinician
    )
    a = couple.seats()[0].user
    draft = program_actions.create_goal(a, couple, text="Walk together on Sundays")
    proposed = program_actions.create_goal(a, couple, text="Hold hands on the sofa")
    program_actions.propose_goal(a, couple, proposed)
    MATRIX["care_assign"].data["exercise_key"] = exercise
    MATRIX["care_unsuitable"].data["exercise_key"] = exercise
    world = {
        "couple": couple,
        "clinician": clinician,
        "invitation": invitation,
        "token": token,
        "exercise": exercise,
        "assignment": assignment,
        "draft": draft,
        "proposed": proposed,
    }
    for module in FEATURE_MODULES:
        module.extend_world(world)
    return world


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_persona_gets_the_declared_answer(
    name: str, persona: str, personas: dict[str, Any], world: dict[str, Any], client_for: Any
) -> None:
    from django.urls import reverse

    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(world))
    client = client_for(personas[persona])
    response = (
        client.generic(
            row.method,
            url,
            data=_encode(row.data),
            content_type="application/x-www-form-urlencoded",
        )
        if row.method == "POST"
        else client.get(url)
    )
    expected = row.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302, f"{name} as {persona}: {response.status_code}"
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, (
            f"{name} as {persona}: got {response.status_code}, expected {expected}"
        )
    if response.status_code == 404:
        # The same answer as for something that does not exist: no hint of a record.
        assert b"couple" not in response.content.lower() or b"Not Found" in response.content


def _encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


@pytest.mark.parametrize("persona", PERSONAS)
def test_third_party_account_pages_never_fail_for_anyone(
    persona: str, personas: dict[str, Any], client_for: Any
) -> None:
    from django.urls import reverse

    client = client_for(personas[persona])
    for route, name in all_patterns():
        if not route.startswith(THIRD_PARTY_PREFIXES) or name is None or "<" in route:
            continue
        response = client.get(reverse(name))
        assert response.status_code < 500, f"{route} as {persona}: {response.status_code}"
