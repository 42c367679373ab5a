"""Pacing: move on only when both are ready (and the care team agrees when guided)."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory, make_couple
from tests.program_helpers import open_everything
from twofold.lib.errors import ActionError
from twofold.program import actions
from twofold.program.models import Plan, PlanEvent


@pytest.fixture
def plan(couple):
    return open_everything(couple)


@pytest.fixture
def self_guided(db):
    robin, kai = UserFactory(display_name="Robin"), UserFactory(display_name="Kai")
    couple = make_couple(robin, kai)
    return robin, kai, open_everything(couple)


def test_self_guided_couple_moves_on_when_both_are_ready(client_for, self_guided):
    robin, kai, plan = self_guided
    client_for(robin).post("/program/ready/", {"ready": "yes"})
    plan.refresh_from_db()
    assert plan.stage_index == 0
    page = client_for(kai).get("/program/").content.decode()
    assert "Stage 1 of" in page
    client_for(kai).post("/program/ready/", {"ready": "yes"})
    plan.refresh_from_db()
    assert plan.stage_index == 1
    assert "Stage 2 of" in client_for(robin).get("/program/").content.decode()


def test_one_partners_readiness_is_not_shown_to_the_other(client_for, self_guided):
    robin, kai, _plan = self_guided
    before = client_for(kai).get("/program/").content.decode()
    client_for(robin).post("/program/ready/", {"ready": "yes"})
    after = client_for(kai).get("/program/").content.decode()
    assert _without_tokens(before) == _without_tokens(after)


def _without_tokens(html: str) -> str:
    import re

    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_guided_couple_also_needs_the_care_teams_approval(
    client_for, couple, plan, partner_a, partner_b, clinician
):
    client_for(partner_a).post("/program/ready/", {"ready": "yes"})
    client_for(partner_b).post("/program/ready/", {"ready": "yes"})
    plan.refresh_from_db()
    assert plan.stage_index == 0
    client_for(clinician).post(f"/care/couples/{couple.pk}/program/approve/")
    plan.refresh_from_db()
    assert plan.stage_index == 1


def test_approval_first_then_readiness_also_moves_on(
    client_for, couple, plan, partner_a, partner_b, clinician
):
    client_for(clinician).post(f"/care/couples/{couple.pk}/program/approve/")
    client_for(partner_a).post("/program/ready/", {"ready": "yes"})
    client_for(partner_b).post("/program/ready/", {"ready": "yes"})
    plan.refresh_from_db()
    assert plan.stage_index == 1


def test_changing_your_mind_about_readiness_holds_the_couple(client_for, self_guided):
    robin, kai, plan = self_guided
    client_for(robin).post("/program/ready/", {"ready": "yes"})
    client_for(robin).post("/program/ready/", {"ready": "no"})
    client_for(kai).post("/program/ready/", {"ready": "yes"})
    plan.refresh_from_db()
    assert plan.stage_index == 0


def test_either_partner_can_step_back_and_readiness_starts_afresh(client_for, self_guided):
    robin, kai, plan = self_guided
    for person in (robin, kai):
        client_for(person).post("/program/ready/", {"ready": "yes"})
    assert client_for(kai).post("/program/step-back/").status_code == 302
    plan.refresh_from_db()
    assert plan.stage_index == 0
    client_for(robin).post("/program/ready/", {"ready": "yes"})
    plan.refresh_from_db()
    assert plan.stage_index == 0, "Kai's earlier readiness must not count after stepping back"


def test_paused_shows_only_paused_to_the_other_partner_and_only_the_pauser_resumes(
    client_for, self_guided
):
    robin, kai, plan = self_guided
    assert client_for(robin).post("/program/pause/").status_code == 302
    page = client_for(kai).get("/program/").content.decode()
    assert "The program is paused" in page
    assert "Resume the program" not in page
    client_for(kai).post("/program/resume/")
    plan.refresh_from_db()
    assert plan.is_paused
    assert "Resume the program" in client_for(robin).get("/program/").content.decode()
    assert client_for(robin).post("/program/resume/").status_code == 302
    plan.refresh_from_db()
    assert not plan.is_paused


def test_nothing_moves_on_while_paused(self_guided):
    robin, kai, plan = self_guided
    actions.pause(plan, acting_user=robin)
    with pytest.raises(ActionError):
        actions.set_ready(plan, True, acting_user=kai)


def test_every_change_is_recorded_with_who_and_when(client_for, self_guided):
    robin, kai, plan = self_guided
    client_for(robin).post("/program/pause/")
    client_for(robin).post("/program/resume/")
    for person in (robin, kai):
        client_for(person).post("/program/ready/", {"ready": "yes"})
    client_for(kai).post("/program/step-back/")
    kinds = list(
        PlanEvent.objects.filter(plan=plan).order_by("at", "id").values_list("kind", "actor")
    )
    assert kinds == [
        ("started", None),
        ("paused", robin.pk),
        ("resumed", robin.pk),
        ("advanced", None),
        ("stepped_back", kai.pk),
    ]
    history = client_for(robin).get("/program/history/").content.decode()
    # Slowing down is never pinned on anyone: the other partner sees that it happened.
    assert "Your program stepped back a stage" in history and "Kai" not in history
    assert "You paused the program" in history
    own = client_for(kai).get("/program/history/").content.decode()
    assert "You stepped back a stage" in own


def test_the_history_never_tells_the_other_partner_who_paused(client_for, self_guided):
    robin, kai, _plan = self_guided
    client_for(robin).post("/program/pause/")
    client_for(robin).post("/program/resume/")
    history = client_for(kai).get("/program/history/").content.decode()
    assert "Your program was paused" in history
    assert "Your program was resumed" in history
    assert "Robin" not in history


def test_a_plan_keeps_the_program_version_it_started_with(couple, settings, tmp_path):
    import json

    from twofold.program import content

    plan = open_everything(couple)
    original = plan.program_version.version
    data = json.loads(json.dumps(content.programs()["default"].raw))
    data["version"] = "2099-01.1"
    data["title"] = "A newer edition"
    (tmp_path / "default.json").write_text(json.dumps(data))
    settings.TWOFOLD_PROGRAM_DIRS = [str(tmp_path)]
    content.reload()
    try:
        assert content.programs()["default"].version == "2099-01.1"
        plan = Plan.objects.get(pk=plan.pk)
        assert plan.program_version.version == original
        assert plan.program.title != "A newer edition"
    finally:
        settings.TWOFOLD_PROGRAM_DIRS = []
        content.reload()


def test_a_clinic_can_start_its_couples_on_its_own_program(couple, clinic, settings, tmp_path):
    import json

    from twofold.program import content

    data = json.loads(json.dumps(content.programs()["default"].raw))
    data["key"], data["title"] = "riverside", "Riverside's own program"
    (tmp_path / "riverside.json").write_text(json.dumps(data))
    settings.TWOFOLD_PROGRAM_DIRS = [str(tmp_path)]
    content.reload()
    try:
        clinic.program_key = "riverside"
        clinic.save()
        newcomers = make_couple(UserFactory(), UserFactory(), clinic=clinic)
        # The plan starts when the couple opens, on the clinic's program of that moment;
        # a couple already under way keeps the program it started on.
        assert Plan.objects.get(couple=newcomers).program.title == "Riverside's own program"
        assert open_everything(couple).program.title != "Riverside's own program"
    finally:
        settings.TWOFOLD_PROGRAM_DIRS = []
        content.reload()


def test_program_is_closed_until_both_have_joined_and_consented(client_for, db):
    jordan = UserFactory(display_name="Jordan")
    make_couple(jordan)
    page = client_for(jordan).get("/program/")
    assert page.status_code == 200
    assert "opens when you have both joined" in page.content.decode()
    assert not Plan.objects.exists()


def test_clinic_admin_chooses_the_program_and_unknown_keys_are_refused(
    client_for, clinic_admin, clinic
):
    response = client_for(clinic_admin).post(
        "/care/clinic/program/", {"program_key": "nope"}, follow=True
    )
    assert "Please choose one of the programs" in response.content.decode()
    clinic.refresh_from_db()
    assert clinic.program_key == "default"
