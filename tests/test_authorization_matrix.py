"""Every URL of the project, and what each persona gets from it.

Outsiders get 404 (never 403), anonymous people are sent to sign in, and a new URL
without a row here fails ``test_every_url_pattern_has_a_declared_expectation``. Every 404
is byte for byte the answer the same person gets for a random id on the same URL pattern
(only the CSP nonce may differ), so a 404 never hints that a record exists.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import secrets
import sys
import types
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.converters import IntConverter, UUIDConverter

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


def _walk(
    patterns: list[Any], prefix: str = "", converters: dict[str, Any] | None = None
) -> list[tuple[str, str | None, dict[str, Any]]]:
    found: list[tuple[str, str | None, dict[str, Any]]] = []
    for entry in patterns:
        inherited = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, prefix + str(entry.pattern), inherited)
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.name, inherited))
    return found


def all_patterns() -> list[tuple[str, str | None]]:
    return [(route, name) for route, name, _converters in _walk(get_resolver().url_patterns)]


def assert_every_url_has_a_row() -> None:
    patterns = all_patterns()
    missing = [
        (route, name)
        for route, name in patterns
        if not route.startswith(THIRD_PARTY_PREFIXES) and name not in MATRIX
    ]
    assert not missing, f"URLs without rows in the authorization matrix: {missing}"
    stale = set(MATRIX) - {name for _route, name in patterns}
    assert not stale, f"Matrix rows for URLs that no longer exist: {stale}"
    for name, row in MATRIX.items():
        assert set(row.expect) == set(PERSONAS), f"{name} must declare every persona"


def test_every_url_pattern_has_a_declared_expectation() -> None:
    assert_every_url_has_a_row()


def test_a_new_url_without_a_row_fails_the_matrix(settings: Any) -> None:
    from django.http import HttpResponse

    import twofold.urls

    urlconf = types.ModuleType("matrix_urls_with_a_new_page")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        *twofold.urls.urlpatterns,
        path("brand-new/<uuid:thing_id>/", lambda request, thing_id: HttpResponse(), name="new"),
    ]
    sys.modules[urlconf.__name__] = urlconf
    try:
        settings.ROOT_URLCONF = urlconf.__name__
        with pytest.raises(AssertionError, match="brand-new"):
            assert_every_url_has_a_row()
    finally:
        del sys.modules[urlconf.__name__]


# --- 404s that give nothing away ----------------------------------------------------


def _converters(name: str) -> dict[str, Any]:
    for _route, pattern_name, converters in _walk(get_resolver().url_patterns):
        if pattern_name == name:
            return converters
    raise AssertionError(f"no URL pattern named {name}")


def _random_value(converter: Any, real: Any) -> Any:
    """A value of the same shape as ``real`` that names no record of anyone's."""
    if isinstance(converter, UUIDConverter):
        return uuid.uuid4()
    if isinstance(converter, IntConverter):
        return secrets.randbelow(10**9) + 10**9
    regex = str(converter.regex)
    if re.fullmatch(r"[\w|-]+", regex) and "|" in regex:  # a fixed set of words
        return next(word for word in regex.split("|") if word != str(real))
    if regex == r"\d{4}-\d{2}-\d{2}":
        return (date(2026, 1, 5) - timedelta(weeks=secrets.randbelow(500))).isoformat()
    return f"no-such-{secrets.token_hex(6)}"  # slugs and strings


def _look_alike_url(name: str, kwargs: dict[str, Any]) -> str:
    """The same URL pattern with random values; a path that matches nothing when the
    pattern takes none."""
    from django.urls import reverse

    if not kwargs:
        return f"/no-such-page-{secrets.token_hex(6)}/"
    converters = _converters(name)
    return reverse(name, kwargs={k: _random_value(converters[k], v) for k, v in kwargs.items()})


def _without_nonce(content: bytes) -> bytes:
    return re.sub(rb'nonce="[^"]*"', b'nonce=""', content)


def test_the_look_alike_of_a_url_names_nothing_real(world: dict[str, Any]) -> None:
    from django.urls import reverse

    for name, row in MATRIX.items():
        kwargs = row.kwargs(world)
        real, fake = reverse(name, kwargs=kwargs), _look_alike_url(name, kwargs)
        assert fake != real, name
        for value in kwargs.values():
            assert f"/{value}/" not in fake, f"{name}: {fake} still names {value}"


@pytest.fixture
def world(couple: Couple, clinician: Any) -> dict[str, Any]:
    return build_world(couple, clinician)


def build_world(couple: Couple, clinician: Any) -> dict[str, Any]:
    """The records every row's URL points at (also used by the clinic-admin test)."""
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
    draft = program_actions.create_goal(couple, text="Walk together on Sundays", acting_user=a)
    proposed = program_actions.create_goal(couple, text="Hold hands on the sofa", acting_user=a)
    program_actions.propose_goal(couple, proposed, acting_user=a)
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
    response = _send(client, row, url)
    expected = row.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302, f"{name} as {persona}: {response.status_code}"
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, (
            f"{name} as {persona}: got {response.status_code}, expected {expected}"
        )
    if response.status_code == 404:
        # The same answer, byte for byte, as for something that does not exist.
        look_alike = _send(client, row, _look_alike_url(name, row.kwargs(world)))
        assert look_alike.status_code == 404, f"{name} as {persona}: random id answered"
        assert _without_nonce(response.content) == _without_nonce(look_alike.content), (
            f"{name} as {persona}: the 404 differs from the one for a random id"
        )


def _send(client: Any, row: Row, url: str) -> Any:
    if row.method == "POST":
        return client.generic(
            row.method,
            url,
            data=_encode(row.data),
            content_type="application/x-www-form-urlencoded",
        )
    return client.get(url)


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
