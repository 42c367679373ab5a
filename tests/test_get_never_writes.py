"""A page view never writes: every GET in the authorization matrix, as every persona.

The only rows a GET may add are the audit log's (a care-staff read is itself a fact the
partners can see) and the session's bookkeeping (sign-in state, idle timer).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from tests.matrix_support import PERSONAS
from tests.test_authorization_matrix import MATRIX, build_world
from twofold.audit.models import AccessEvent

ALLOWED_TABLES = {"django_session", AccessEvent._meta.db_table}
WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE | re.MULTILINE
)
GET_ROWS = sorted(name for name, row in MATRIX.items() if row.method == "GET")


class WriteRecorder:
    def __init__(self) -> None:
        self.tables: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        match = WRITE.match(sql)
        if match:
            self.tables.append(match.group(1))
        return execute(sql, params, many, context)


def writes_of(client: Any, url: str) -> list[str]:
    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        client.get(url)
    return [table for table in recorder.tables if table not in ALLOWED_TABLES]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_view_writes_anything(
    persona: str, personas: dict[str, Any], couple: Any, clinician: Any, client_for: Any
) -> None:
    world = build_world(couple, clinician)
    client = client_for(personas[persona])
    for name in GET_ROWS:
        url = reverse(name, kwargs=MATRIX[name].kwargs(world))
        assert writes_of(client, url) == [], f"GET {name} as {persona} wrote"


def test_the_recorder_sees_a_write(couple: Any, partner_a: Any, client_for: Any) -> None:
    # The guard itself can fail: a POST that saves something is caught.
    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        client_for(partner_a).post(reverse("moment_add"), {"kind": "humour"})
    assert "journal_moment" in recorder.tables
