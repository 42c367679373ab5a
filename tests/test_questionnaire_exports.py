"""Downloads of questionnaire data (CSV, JSON, FHIR R4B): a partner's own, with what their
partner shared; the care team's of a couple while each partner consents; neutral file
names, no caching, audited as reads, and never anything the viewer may not see."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
import time_machine
from django.db import transaction
from fhir.resources.R4B.bundle import Bundle

from tests.outcomes_helpers import answer, draft, hark, values_for
from twofold.audit.models import AccessEvent
from twofold.couples.models import Consent
from twofold.outcomes import actions, exports
from twofold.outcomes.models import QuestionnaireResponse

MONDAY = "2026-11-30 10:00:00+00:00"
PARTNER = "/questionnaires/export.{fmt}"
FORMATS = ("csv", "json", "fhir")


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def _care(couple: Any, fmt: str) -> str:
    return f"/care/couples/{couple.pk}/questionnaires/export.{fmt}"


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def _bundle(content: bytes) -> Bundle:
    return Bundle.model_validate_json(content)


def _resources(bundle: Bundle, kind: str) -> list[Any]:
    return [e.resource for e in bundle.entry or [] if e.resource.get_resource_type() == kind]


@pytest.fixture
def story(couple: Any, partner_a: Any, partner_b: Any) -> dict[str, Any]:
    """Alex answered the CSI-4 (shared), the PHQ-9 (kept) and the safety screen; Sam
    answered the CSI-4 (shared), the GAD-7 (kept) and a positive safety screen."""
    a_csi = answer(couple, partner_a, "csi-4", values=values_for("csi-4", default=2))
    actions.set_result_sharing(a_csi.pk, True, acting_user=partner_a)
    answer(couple, partner_a, "phq-9")
    answer(couple, partner_a, "hark", values=hark(positive=False))
    b_csi = answer(couple, partner_b, "csi-4", values=values_for("csi-4", default=1))
    actions.set_result_sharing(b_csi.pk, True, acting_user=partner_b)
    answer(couple, partner_b, "gad-7", values=values_for("gad-7", default=3))
    answer(couple, partner_b, "hark", values=hark(positive=True))
    draft(couple, partner_a, "pss-10", values={"upset": values_for("pss-10")["upset"]})
    return {"a_csi": a_csi, "b_csi": b_csi}


# --- the partner's own download -------------------------------------------------------


def test_a_partners_csv_has_their_answers_and_scores_and_the_partners_shared_scores(
    story: Any, partner_a: Any, client_for: Any
):
    response = client_for(partner_a).get(PARTNER.format(fmt="csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="twofold-export-2026-11-30.csv"'
    assert "no-store" in response["Cache-Control"]
    rows = _rows(response.content)
    mine = [(r["instrument"], r["answers_included"]) for r in rows if r["person"] == "you"]
    assert sorted(mine) == [("csi-4", "yes"), ("hark", "yes"), ("phq-9", "yes")]
    theirs = [r for r in rows if r["person"] == "Sam"]
    assert [(r["instrument"], r["answers_included"]) for r in theirs] == [("csi-4", "no")]
    assert all(v == "" for k, v in theirs[0].items() if k.startswith("answer:"))
    own_csi = next(r for r in rows if r["person"] == "you" and r["instrument"] == "csi-4")
    assert own_csi["answer:csi-4:happiness"] != ""
    assert own_csi["submitted_at"] == "2026-11-30T10:00:00Z"
    assert own_csi["total"] != "" and own_csi["instrument_version"] == "1"
    phq = next(r for r in rows if r["instrument"] == "phq-9")
    assert phq["answer:phq-9:interest"] == "not_at_all" and phq["band"]


def test_a_partners_json_is_the_same_data_nested(story: Any, partner_a: Any, client_for: Any):
    response = client_for(partner_a).get(PARTNER.format(fmt="json"))
    assert response["Content-Disposition"].endswith('filename="twofold-export-2026-11-30.json"')
    data = json.loads(response.content)
    assert data["format"] == "twofold-questionnaires" and data["format_version"] == 1
    people = {p["id"]: p for p in data["people"]}
    you = next(p for p in data["people"] if p["is_you"])
    assert you["name"] == "you" and "Sam" in {p["name"] for p in people.values()}
    titles = {i["key"]: i["title"] for i in data["instruments"]}
    assert set(titles) == {"csi-4", "phq-9", "hark"}
    shared = [r for r in data["results"] if r["person"] != you["id"]]
    assert [(r["instrument"], r["answers"]) for r in shared] == [("csi-4", None)]
    phq = next(r for r in data["results"] if r["instrument"] == "phq-9")
    assert phq["answers"]["interest"] == "not_at_all" and phq["total"] == 0
    assert phq["submitted_at"] == "2026-11-30T10:00:00Z" and phq["withheld"] is None


def test_a_partners_fhir_bundle_validates_with_the_right_resources_and_links(
    story: Any, partner_a: Any, client_for: Any
):
    response = client_for(partner_a).get(PARTNER.format(fmt="fhir"))
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert response["Content-Disposition"].endswith('"twofold-export-2026-11-30.fhir.json"')
    bundle = _bundle(response.content)
    assert bundle.type == "collection"
    assert all(e.fullUrl.startswith("urn:uuid:") for e in bundle.entry)
    assert len({e.fullUrl for e in bundle.entry}) == len(bundle.entry)
    patients = _resources(bundle, "Patient")
    assert sorted(p.name[0].text for p in patients) == ["Alex", "Sam"]
    assert all(p.telecom is None and p.identifier is None for p in patients)
    questionnaires = _resources(bundle, "Questionnaire")
    assert sorted(q.url.rsplit("/", 1)[1] for q in questionnaires) == ["csi-4", "hark", "phq-9"]
    phq9 = next(q for q in questionnaires if q.url.endswith("/phq-9"))
    assert phq9.version == "1" and len(phq9.item) == 9
    assert phq9.item[0].answerOption[0].valueCoding.code == "not_at_all"
    responses = _resources(bundle, "QuestionnaireResponse")
    assert len(responses) == 3  # Alex's own three; Sam's shared score has no answers
    assert {r.status for r in responses} == {"completed"}
    assert all("|" in r.questionnaire for r in responses)
    observations = _resources(bundle, "Observation")
    assert len(observations) == 4
    urls = {e.fullUrl: e.resource for e in bundle.entry}
    linked = [o for o in observations if o.derivedFrom]
    assert len(linked) == 3
    assert all(
        urls[o.derivedFrom[0].reference].get_resource_type() == "QuestionnaireResponse"
        for o in linked
    )
    sams = next(o for o in observations if o.subject.display == "Sam")
    assert sams.derivedFrom is None and sams.code.text.startswith("Couples Satisfaction")


def test_the_partners_download_never_holds_the_others_answers_or_unshared_results(
    story: Any, partner_a: Any, client_for: Any
):
    client = client_for(partner_a)
    everything = b"".join(client.get(PARTNER.format(fmt=f)).content for f in FORMATS)
    assert b"gad-7" not in everything  # Sam kept it
    data = json.loads(client.get(PARTNER.format(fmt="json")).content)
    sam = next(p["id"] for p in data["people"] if p["name"] == "Sam")
    assert [r["instrument"] for r in data["results"] if r["person"] == sam] == ["csi-4"]
    # A draft is nobody's export.
    assert "pss-10" not in {r["instrument"] for r in data["results"]}


def test_the_partner_gets_the_same_file_whatever_the_others_safety_screen_said(
    couple: Any, partner_a: Any, partner_b: Any, client_for: Any
):
    sam = client_for(partner_b)
    answer(couple, partner_b, "csi-4")
    seen = []
    for positive in (True, False, None):
        with transaction.atomic():
            if positive is not None:
                answer(couple, partner_a, "hark", values=hark(positive=positive))
                answer(
                    couple,
                    partner_a,
                    "phq-9",
                    values=values_for(
                        "phq-9", {"self_harm": "nearly_every_day"} if positive else None
                    ),
                )
            seen.append([sam.get(PARTNER.format(fmt=f)).content for f in FORMATS])
            transaction.set_rollback(True)
    assert seen[0] == seen[1] == seen[2]


def test_csv_cells_never_run_as_formulas(
    couple: Any, partner_a: Any, partner_b: Any, client_for: Any
):
    partner_b.display_name = '=HYPERLINK("http://x")'
    partner_b.save()
    result = answer(couple, partner_b, "csi-4")
    actions.set_result_sharing(result.pk, True, acting_user=partner_b)
    rows = _rows(client_for(partner_a).get(PARTNER.format(fmt="csv")).content)
    assert rows[0]["person"] == '\'=HYPERLINK("http://x")'
    for value in ("=1", "+1", "-1", "@a", "\tx", "\rx"):
        assert exports.safe_cell(value) == "'" + value
    assert exports.safe_cell("several_days") == "several_days"
    assert exports.safe_cell(None) == ""


def test_a_partners_own_download_is_theirs_and_leaves_no_audit_row(
    story: Any, partner_a: Any, client_for: Any
):
    for fmt in FORMATS:
        client_for(partner_a).get(PARTNER.format(fmt=fmt))
    assert not AccessEvent.objects.filter(what="questionnaires.export").exists()


def test_an_empty_download_is_still_a_valid_file(couple: Any, partner_a: Any, client_for: Any):
    client = client_for(partner_a)
    assert _rows(client.get(PARTNER.format(fmt="csv")).content) == []
    assert json.loads(client.get(PARTNER.format(fmt="json")).content)["results"] == []
    assert _bundle(client.get(PARTNER.format(fmt="fhir")).content).entry is None


# --- the care team's download -----------------------------------------------------------


def test_the_care_teams_download_has_each_partners_answers_and_results(
    story: Any, couple: Any, partner_a: Any, partner_b: Any, clinician: Any, client_for: Any
):
    client = client_for(clinician)
    response = client.get(_care(couple, "csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="twofold-export-2026-11-30.csv"'
    rows = _rows(response.content)
    got = sorted((r["person"], r["instrument"], r["answers_included"]) for r in rows)
    assert got == [
        ("Alex", "csi-4", "yes"),
        ("Alex", "hark", "yes"),
        ("Alex", "phq-9", "yes"),
        ("Sam", "csi-4", "yes"),
        ("Sam", "gad-7", "yes"),
        ("Sam", "hark", "yes"),
    ]
    data = json.loads(client.get(_care(couple, "json")).content)
    assert not any(p["is_you"] for p in data["people"])
    assert all(r["answers"] for r in data["results"])
    bundle = _bundle(client.get(_care(couple, "fhir")).content)
    assert len(_resources(bundle, "Patient")) == 2
    assert len(_resources(bundle, "Questionnaire")) == 4
    assert len(_resources(bundle, "QuestionnaireResponse")) == 6
    observations = _resources(bundle, "Observation")
    assert len(observations) == 6 and all(o.derivedFrom for o in observations)
    phq4_like = [o for o in observations if o.component]
    assert all(c.code.text and c.valueQuantity is not None for o in phq4_like for c in o.component)
    reads = AccessEvent.objects.filter(what="questionnaires.export", action="read")
    assert reads.count() == 6  # three downloads, each a read about each partner
    assert {e.subject_id for e in reads} == {partner_a.pk, partner_b.pk}
    assert {e.actor_id for e in reads} == {clinician.pk}


def test_the_care_teams_download_drops_a_partner_who_stopped_sharing(
    story: Any, couple: Any, partner_a: Any, partner_b: Any, clinician: Any, client_for: Any
):
    Consent.objects.filter(couple=couple, user=partner_a, kind="care").update(
        withdrawn_at="2026-11-30T10:00:00+00:00"
    )
    client = client_for(clinician)
    rows = _rows(client.get(_care(couple, "csv")).content)
    assert {r["person"] for r in rows} == {"Sam"}
    bundle = _bundle(client.get(_care(couple, "fhir")).content)
    assert [p.name[0].text for p in _resources(bundle, "Patient")] == ["Sam"]
    assert b"Alex" not in client.get(_care(couple, "json")).content.replace(b'"name": "Alex"', b"")
    reads = AccessEvent.objects.filter(what="questionnaires.export")
    assert {e.subject_id for e in reads} == {partner_b.pk}


def test_phq4_subscales_become_components(
    couple: Any, partner_a: Any, clinician: Any, client_for: Any
):
    with time_machine.travel("2026-12-29 10:00:00+00:00", tick=False):
        answer(couple, partner_a, "phq-4", slot="week-4", values=values_for("phq-4", default=1))
        bundle = _bundle(client_for(clinician).get(_care(couple, "fhir")).content)
    (observation,) = _resources(bundle, "Observation")
    assert observation.valueQuantity.value == 4
    assert sorted(c.code.text for c in observation.component) == [
        "Anxiety (GAD-2)",
        "Depression (PHQ-2)",
    ]
    assert observation.interpretation[0].text == "Mild"
    assert observation.effectiveDateTime is not None


def test_exports_are_read_only_besides_the_audit(
    story: Any, couple: Any, partner_a: Any, clinician: Any, client_for: Any
):
    from tests.test_get_never_writes import writes_of

    for fmt in FORMATS:
        assert writes_of(client_for(partner_a), PARTNER.format(fmt=fmt)) == []
        assert writes_of(client_for(clinician), _care(couple, fmt)) == []
    assert QuestionnaireResponse.objects.filter(submitted_at__isnull=True).count() == 1


def test_an_unknown_format_is_not_found(
    couple: Any, partner_a: Any, clinician: Any, client_for: Any
):
    assert client_for(partner_a).get("/questionnaires/export.xml").status_code == 404
    assert client_for(clinician).get(_care(couple, "xlsx")).status_code == 404


def test_the_list_and_the_care_page_link_to_the_downloads(
    story: Any, couple: Any, partner_a: Any, clinician: Any, client_for: Any
):
    page = client_for(partner_a).get("/questionnaires/").content.decode()
    for fmt in FORMATS:
        assert f'href="/questionnaires/export.{fmt}"' in page
    care = client_for(clinician).get(f"/care/couples/{couple.pk}/questionnaires/").content.decode()
    for fmt in FORMATS:
        assert f'href="{_care(couple, fmt)}"' in care


def test_no_download_link_before_there_is_anything_to_download(
    couple: Any, partner_a: Any, client_for: Any
):
    page = client_for(partner_a).get("/questionnaires/").content.decode()
    assert "export." not in page
