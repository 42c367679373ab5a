"""The safety page: services grouped by kind, a deployment's own file, honest words."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from twofold.lib.safety_resources import KINDS, load_resources


def _write(tmp_path: Path, resources: Any, name: str = "resources.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"resources": resources}), encoding="utf-8")
    return str(path)


def _entry(**fields: str) -> dict[str, str]:
    return {
        "kind": "emergencies",
        "name": "A service",
        "description": "One line about it.",
        "hours": "24 hours",
        "phone": "123",
        **fields,
    }


def _headings(body: str) -> list[str]:
    return re.findall(r'<h3 id="kind-([a-z_]+)"', body)


def test_the_default_file_loads_and_covers_every_kind() -> None:
    from django.conf import settings

    resources = load_resources(settings.TWOFOLD_SAFETY_RESOURCES_FILE)
    assert {r.kind for r in resources} == set(KINDS)


def test_the_page_groups_services_by_kind_in_a_fixed_order_and_leaves_out_empty_kinds(
    client, db, settings, tmp_path
) -> None:
    settings.TWOFOLD_SAFETY_RESOURCES_FILE = _write(
        tmp_path,
        [
            _entry(kind="mental_health_crisis", name="Crisis line"),
            _entry(kind="emergencies", name="Emergency number"),
            _entry(kind="domestic_abuse", name="Abuse helpline"),
            _entry(kind="mental_health_crisis", name="Text line", phone="", text="85258"),
        ],
    )
    body = client.get("/safety/").content.decode()
    assert _headings(body) == ["emergencies", "domestic_abuse", "mental_health_crisis"]
    crisis = body[body.index('id="kind-mental_health_crisis"') :]
    assert "Crisis line" in crisis and "Text line" in crisis
    assert "Crisis line" not in body[: body.index('id="kind-mental_health_crisis"')]


def test_the_default_page_shows_every_kind_in_order(client, db) -> None:
    assert _headings(client.get("/safety/").content.decode()) == list(KINDS)


def test_a_deployment_file_replaces_the_default(client, db, settings, tmp_path) -> None:
    settings.TWOFOLD_SAFETY_RESOURCES_FILE = _write(
        tmp_path, [_entry(name="Notruf", phone="112", hours="Rund um die Uhr")]
    )
    body = client.get("/safety/").content.decode()
    assert "Notruf" in body and 'href="tel:112"' in body
    assert "Samaritans" not in body and "999" not in body


@pytest.mark.parametrize(
    ("resources", "field"),
    [
        ([_entry(kind="helpline")], "resources[0].kind"),
        ([_entry(), _entry(hours="")], "resources[1].hours"),
        ([_entry(name=7)], "resources[0].name"),  # type: ignore[arg-type]
        ([_entry(phone="")], "resources[0]: needs at least one of phone, text or web"),
        ([_entry(web="http://example.org")], "resources[0].web"),
        ([_entry(colour="red")], "resources[0].colour"),
        ({"kind": "emergencies"}, "resources: must be a list"),
    ],
)
def test_a_malformed_file_fails_loudly_naming_the_file_and_the_field(
    client, db, settings, tmp_path, resources, field
) -> None:
    path = _write(tmp_path, resources)
    settings.TWOFOLD_SAFETY_RESOURCES_FILE = path
    with pytest.raises(ImproperlyConfigured) as failure:
        client.get("/safety/")
    assert path in str(failure.value)
    assert field in str(failure.value)


def test_a_file_in_the_old_list_format_fails_loudly(tmp_path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps([_entry()]), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="resources"):
        load_resources(str(path))


def test_anyone_can_open_the_safety_page(personas, client_for) -> None:
    for name, person in personas.items():
        response = client_for(person).get("/safety/")
        assert response.status_code == 200, name
        assert b"People who can help" in response.content, name


def test_the_page_says_what_quick_exit_does_not_do_and_what_twofold_is_not(
    client, db, settings
) -> None:
    body = client.get("/safety/").content.decode()
    assert "It does not clear your browser" in body
    assert "It does not empty the tab" in body
    assert "private window" in body
    assert "It also signs you out" in body
    assert "not medical advice and not an emergency service" in body
    assert "psychosexual" in body

    settings.TWOFOLD_QUICK_EXIT_SIGNS_OUT = False
    body = client.get("/safety/").content.decode()
    assert "It also signs you out" not in body
    assert "It does not sign you out" in body


def test_the_page_title_names_no_health_topic(client, db) -> None:
    body = client.get("/safety/").content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    assert title is not None
    for word in ("sex", "abuse", "rape", "crisis", "violence", "therap"):
        assert word not in title.group(1).lower()


def test_the_page_uses_no_tables(client, db) -> None:
    assert "<table" not in client.get("/safety/").content.decode()


def test_a_broken_resources_file_stops_the_app_at_start_up(settings, tmp_path):
    from twofold.front.checks import safety_resources_file
    from twofold.lib.safety_resources import load_resources

    broken = tmp_path / "resources.json"
    broken.write_text('{"resources": [{"kind": "emergencies"}]}')
    settings.TWOFOLD_SAFETY_RESOURCES_FILE = str(broken)
    load_resources.cache_clear()
    try:
        errors = safety_resources_file()
        assert [e.id for e in errors] == ["twofold.E010"] and str(broken) in errors[0].msg
    finally:
        load_resources.cache_clear()
    settings.TWOFOLD_SAFETY_RESOURCES_FILE = str(
        settings.BASE_DIR / "twofold" / "front" / "safety_resources.json"
    )
    assert safety_resources_file() == []
