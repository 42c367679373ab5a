"""Couples on an earlier edition of the default program move to the new one.

The data migration ``program/0004`` moves every plan on an earlier default edition to
the current file's edition: same stage by key (a stage that is gone maps to the earliest
new stage holding its exercises), exercise keys kept, recorded stage positions renumbered,
marks for a changed stage cleared, and a "new edition" line in the history.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.utils.html import escape

from tests.factories import UserFactory, make_couple
from tests.program_helpers import open_everything
from twofold.program import content
from twofold.program.models import (
    Assignment,
    Plan,
    PlanEvent,
    PracticeLog,
    ProgramVersion,
    StageApproval,
    StageReadiness,
)

OLD_EDITION = Path(__file__).resolve().parent / "data" / "default-program-2026-11.1.json"
migration = importlib.import_module(
    "twofold.program.migrations.0004_plans_move_to_the_new_default_program"
)


def _old_version(key: str = "default") -> ProgramVersion:
    data = json.loads(OLD_EDITION.read_text(encoding="utf-8"))
    data["key"] = key
    return ProgramVersion.objects.create(
        key=key, version=data["version"], title=data["title"], sha256="old", data=data
    )


def _on_old_edition(couple, stage_index: int, key: str = "default") -> Plan:
    plan = open_everything(couple)
    Plan.objects.filter(pk=plan.pk).update(
        program_version=_old_version(key), stage_index=stage_index
    )
    return Plan.objects.get(pk=plan.pk)


def _move() -> int:
    content.reload()
    return migration.move_plans(apps, content.programs()["default"])


def _log(plan, owner, key: str, stage_index: int) -> PracticeLog:
    return PracticeLog.objects.create(
        plan=plan,
        couple=plan.couple,
        owner=owner,
        exercise_key=key,
        stage_index=stage_index,
        comfort=5,
        anxiety=3,
        closeness=6,
        pleasure=7,
    )


def test_stage_positions_follow_stage_keys_then_exercises_then_position():
    old = [
        {"key": "a", "exercises": [{"key": "a1"}]},
        {"key": "gone", "exercises": [{"key": "b1"}, {"key": "c1"}]},
        {"key": "c", "exercises": [{"key": "c2"}]},
        {"key": "vanished", "exercises": [{"key": "nowhere"}]},
    ]
    new = [
        {"key": "a", "exercises": [{"key": "a1"}]},
        {"key": "b", "exercises": [{"key": "b1"}]},
        {"key": "c", "exercises": [{"key": "c1"}, {"key": "c2"}]},
    ]
    assert migration.stage_positions(old, new) == [0, 1, 2, 2]


def test_a_couple_in_the_old_bringing_together_stage_arrives_at_genital_touch(
    couple, partner_a, partner_b, clinician, client_for
):
    plan = _on_old_edition(couple, 3)  # "integration": genital touch, oral sex, penetration
    old_version = plan.program_version
    for person in (partner_a, partner_b):
        StageReadiness.objects.create(plan=plan, couple=couple, owner=person, stage_index=3)
    StageApproval.objects.create(plan=plan, couple=couple, clinician=clinician, stage_index=3)
    PlanEvent.objects.create(plan=plan, couple=couple, kind="advanced", stage_index=3)
    oral = _log(plan, partner_a, "including-oral-sex", 3)
    hands = _log(plan, partner_b, "hands-and-arms", 1)
    suggested = Assignment.objects.create(
        plan=plan, couple=couple, exercise_key="including-the-genitals", assigned_by=clinician
    )

    assert _move() == 1

    plan = Plan.objects.get(pk=plan.pk)
    assert plan.program_version.version == content.programs()["default"].version
    assert plan.stage.key == "genital-touch"
    assert plan.program.stages[plan.stage_index + 1].key == "oral-sex-and-penetration"
    # Marks to move on were given for the old stage's content: both mark again.
    assert not StageReadiness.objects.filter(plan=plan, cleared_at__isnull=True).exists()
    assert not StageApproval.objects.filter(plan=plan, cleared_at__isnull=True).exists()
    # Logs follow their exercise to its new stage; old answers stay as written.
    oral.refresh_from_db()
    hands.refresh_from_db()
    assert (oral.stage_index, hands.stage_index) == (4, 1)
    assert oral.pleasure == 7 and oral.attention is None
    # The suggestion keeps naming the same exercise, which exists in the new edition.
    assert plan.program.exercise(suggested.exercise_key) is not None
    # The earlier edition stays stored, for the record.
    assert ProgramVersion.objects.filter(pk=old_version.pk).exists()
    event = PlanEvent.objects.get(plan=plan, kind="new_edition")
    assert event.actor_id is None and event.stage_index == plan.stage_index

    history = client_for(partner_b).get("/program/history/").content.decode()
    assert "Your program moved to its new edition" in history
    assert "Including genital touch" in history
    assert "Alex" not in history.split("new edition")[0].rsplit("<li>", 1)[-1]
    page = client_for(partner_a).get("/program/exercises/including-the-genitals/")
    assert page.status_code == 200
    assert escape(plan.program.stop_and_call[0]) in page.content.decode()


def test_a_stage_that_kept_its_key_keeps_its_marks_and_later_stages_are_renumbered(
    couple, partner_a
):
    plan = _on_old_edition(couple, 2)  # "broader-touch" in both editions
    StageReadiness.objects.create(plan=plan, couple=couple, owner=partner_a, stage_index=2)
    later = PlanEvent.objects.create(plan=plan, couple=couple, kind="advanced", stage_index=4)
    _move()
    plan = Plan.objects.get(pk=plan.pk)
    assert (plan.stage_index, plan.stage.key) == (2, "broader-touch")
    mark = StageReadiness.objects.get(plan=plan, owner=partner_a)
    assert mark.cleared_at is None and mark.stage_index == 2
    later.refresh_from_db()
    assert later.stage_index == 5  # old "maintenance" is the new edition's sixth stage


def test_a_couple_in_maintenance_stays_in_maintenance(couple):
    plan = _on_old_edition(couple, 4)
    _move()
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.stage.key == "maintenance" and plan.is_last_stage


def test_moving_twice_changes_nothing_more(couple):
    _on_old_edition(couple, 1)
    assert _move() == 1
    assert _move() == 0
    assert PlanEvent.objects.filter(kind="new_edition").count() == 1


def test_a_clinic_program_and_a_current_plan_are_left_alone(couple):
    own = _on_old_edition(couple, 1, key="riverside")
    others = make_couple(UserFactory(), UserFactory())
    current = open_everything(others)
    assert _move() == 0
    assert Plan.objects.get(pk=own.pk).program_version.key == "riverside"
    assert Plan.objects.get(pk=current.pk).program_version_id == current.program_version_id


def test_a_changed_file_under_an_existing_version_number_stops_the_move(couple):
    _on_old_edition(couple, 0)
    program = content.programs()["default"]
    ProgramVersion.objects.filter(key="default", version=program.version).delete()
    ProgramVersion.objects.create(
        key="default", version=program.version, title="x", sha256="different", data={}
    )
    with pytest.raises(RuntimeError, match="new version number"):
        _move()
