"""Downloads of questionnaire data: CSV, JSON and a FHIR (R4B) bundle.

What goes in is decided once, in :func:`for_partner` and :func:`for_care_team`, and
always read through ``visible_to(viewer)``; the three formats only lay the same rows out:

* **A partner's own download**: their own submitted answers and results, every
  instrument (the private safety screen too: it is theirs), and the results their partner
  chose to share with them, as scores only. Never the partner's answers, safety screen,
  risk answers or unshared results (none of these is readable by the partner at all).
* **The care team's download of a couple**: each partner's answers and results while that
  partner's care consent holds (the same rule as the care team's questionnaire page).

Drafts are never exported. Times are ISO 8601 in UTC (``2026-12-04T09:30:00Z``); answers
are the stored option values (``several_days``), the stable keys the instrument's file
gives its options; scores are numbers as the scoring engine rounded them.

CSV (one row per result, columns in this order):
``person`` (the viewer is ``you``, anyone else their display name), ``instrument``,
``instrument_version``, ``slot``, ``submitted_at``, ``total``, ``band``, ``prorated``,
``withheld_code``, ``withheld``, then ``subscale:<instrument>:<subscale>`` for each
subscale that occurs, ``answers_included`` (``yes`` when the viewer may see this row's
answers), then ``answer:<instrument>:<item>`` for each item that occurs, in the
instrument's order. A cell that would start with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with ``'`` so a spreadsheet never runs it as a formula.

JSON (``format`` ``twofold-questionnaires``, ``format_version`` 1)::

    {"format", "format_version", "exported_at",
     "people": [{"id": "person-1", "name", "is_you"}],
     "instruments": [{"key", "version", "title", "short_title",
                      "subscales": [{"key", "label"}]}],
     "results": [{"person": "person-1", "instrument", "instrument_version", "slot",
                  "submitted_at", "total", "band", "prorated", "subscales": {key: score},
                  "withheld": null | {"code", "reason"},
                  "answers": null | {item key: option value}}]}

``answers`` is null where the viewer may not see them (a partner's shared result).

FHIR: a ``collection`` Bundle of bundle-local ``Patient`` resources (display name only),
one ``Questionnaire`` per instrument and version used (canonical
``<SITE_URL>/fhir/Questionnaire/<key>``; items and answer options only when this
deployment still has that version), one ``QuestionnaireResponse`` per response whose
answers are included, and one ``Observation`` per result (``derivedFrom`` its
QuestionnaireResponse when that is in the bundle). Every entry's ``fullUrl`` is a
``urn:uuid:``; the ids are stable, so the same data gives the same bundle.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from fhir.resources.R4B.bundle import Bundle

from twofold.couples.models import Couple
from twofold.outcomes import words
from twofold.outcomes.catalogue import definition_of
from twofold.outcomes.instruments import Instrument
from twofold.outcomes.models import QuestionnaireResponse, QuestionnaireResult

FORMATS = ("csv", "json", "fhir")
FORMAT_VERSION = 1
# Bundle-local ids are name-based UUIDs in this namespace (stable for the same data).
NAMESPACE = uuid.UUID("6f1d3a52-0c4b-4d8e-9a57-2f0c9e1b7d34")
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
SURVEY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey",
    "display": "Survey",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Person:
    ref: str  # "person-1", "person-2" in seat order
    user: Any
    user_id: Any
    name: str
    is_viewer: bool

    @property
    def label(self) -> str:
        return _("you") if self.is_viewer else self.name


@dataclass(frozen=True)
class Row:
    """One result, with its answers when the viewer may see them (else ``answers`` None)."""

    person: Person
    result: QuestionnaireResult
    definition: Instrument | None
    subscales: dict[str, float]
    answers: dict[str, str] | None
    response_id: Any = None

    @property
    def key(self) -> str:
        return self.result.instrument_key

    @property
    def version(self) -> str:
        return self.result.instrument_version

    @property
    def title(self) -> str:
        return self.definition.title if self.definition else self.key

    @property
    def same_edition(self) -> bool:
        return self.definition is not None and self.definition.version == self.version


@dataclass(frozen=True)
class Export:
    people: tuple[Person, ...]
    rows: tuple[Row, ...]
    exported_at: datetime

    @property
    def subjects(self) -> list[Any]:
        """Everybody whose data is in the export (for the audit), in seat order."""
        return [p.user for p in self.people if any(r.person.ref == p.ref for r in self.rows)]


def _people(couple: Couple, viewer: Any) -> tuple[Person, ...]:
    return tuple(
        Person(
            ref=f"person-{n}",
            user=user,
            user_id=user.pk,
            name=user.display_name,
            is_viewer=user.pk == getattr(viewer, "pk", None),
        )
        for n, user in enumerate((s.user for s in couple.seats() if s.user), start=1)
        if user is not None
    )


def _in_order(definition: Instrument | None, values: dict[str, str]) -> dict[str, str]:
    """``values`` in the instrument's item order (any key it no longer has last)."""
    order = list(definition.item_keys) if definition else []
    keys = [k for k in order if k in values] + sorted(set(values) - set(order))
    return {k: values[k] for k in keys}


def _build(
    people: tuple[Person, ...],
    results: Iterable[QuestionnaireResult],
    responses: Iterable[QuestionnaireResponse],
    now: datetime,
) -> Export:
    by_user = {p.user_id: p for p in people}
    answers = {r.result_id: r for r in responses if r.result_id is not None}
    rows = []
    for result in results:
        person = by_user.get(result.owner_id)
        if person is None:
            continue
        definition = definition_of(result.instrument_key)
        response = answers.get(result.pk)
        private = {s.key for s in definition.subscales if s.private} if definition else set()
        shown = response is not None or person.is_viewer
        rows.append(
            Row(
                person=person,
                result=result,
                definition=definition,
                subscales={
                    k: float(v)
                    for k, v in sorted((result.subscales or {}).items())
                    if v is not None and (shown or k not in private)
                },
                answers=_in_order(definition, response.answer_values())
                if response is not None
                else None,
                response_id=response.pk if response is not None else None,
            )
        )
    order = {p.user_id: n for n, p in enumerate(people)}
    rows.sort(
        key=lambda r: (order[r.person.user_id], r.result.submitted_at, r.key, str(r.result.pk))
    )
    return Export(people=people, rows=tuple(rows), exported_at=now)


def for_partner(viewer: Any, couple: Couple, now: datetime) -> Export:
    """The viewer's own answers and results, and what their partner shared with them."""
    people = _people(couple, viewer)
    own = QuestionnaireResult.objects.visible_to(viewer).filter(couple=couple, owner_id=viewer.pk)
    others = [p.user_id for p in people if not p.is_viewer]
    shared = QuestionnaireResult.objects.visible_to(viewer).filter(
        couple=couple, owner_id__in=others, shared_with_partner=True, private_safety=False
    )
    responses = QuestionnaireResponse.objects.visible_to(viewer).filter(
        couple=couple, owner_id=viewer.pk, submitted_at__isnull=False
    )
    return _build(people, [*own, *shared], responses, now)


def for_care_team(viewer: Any, couple: Couple, now: datetime) -> Export:
    """What the care team may see of each partner: their answers and results while that
    partner shares with the care team."""
    people = _people(couple, viewer)
    results = QuestionnaireResult.objects.visible_to(viewer).filter(couple=couple)
    responses = QuestionnaireResponse.objects.visible_to(viewer).filter(
        couple=couple, submitted_at__isnull=False
    )
    return _build(people, results, responses, now)


# --- the formats ---------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def safe_cell(value: Any) -> str:
    """A CSV cell that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _item_keys(rows: Sequence[Row], key: str) -> list[str]:
    """Every item key answered for instrument ``key``: the definition's order first."""
    seen = {k for r in rows if r.key == key and r.answers for k in r.answers}
    definition = next((r.definition for r in rows if r.key == key and r.definition), None)
    ordered = [k for k in (definition.item_keys if definition else ()) if k in seen]
    return ordered + sorted(seen - set(ordered))


def as_csv(export: Export) -> str:
    rows = export.rows
    instruments = sorted({r.key for r in rows})
    subscale_cols = [
        (k, s)
        for k in instruments
        for s in sorted({s for r in rows if r.key == k for s in r.subscales})
    ]
    answer_cols = [(k, item) for k in instruments for item in _item_keys(rows, k)]
    header = [
        "person",
        "instrument",
        "instrument_version",
        "slot",
        "submitted_at",
        "total",
        "band",
        "prorated",
        "withheld_code",
        "withheld",
        *(f"subscale:{k}:{s}" for k, s in subscale_cols),
        "answers_included",
        *(f"answer:{k}:{item}" for k, item in answer_cols),
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        result = row.result
        answers = row.answers or {}
        writer.writerow(
            safe_cell(cell)
            for cell in [
                row.person.label,
                row.key,
                row.version,
                result.slot,
                iso(result.submitted_at),
                words.number(result.total),
                result.band,
                "yes" if result.prorated else "no",
                result.withheld_code,
                result.withheld,
                *(
                    words.number(row.subscales.get(s)) if row.key == k else ""
                    for k, s in subscale_cols
                ),
                "yes" if row.answers is not None else "no",
                *(answers.get(item, "") if row.key == k else "" for k, item in answer_cols),
            ]
        )
    return out.getvalue()


def _instrument_entry(definition: Instrument | None, key: str, version: str) -> dict[str, Any]:
    return {
        "key": key,
        "version": version,
        "title": definition.title if definition else key,
        "short_title": definition.short_title if definition else key,
        "subscales": [{"key": s.key, "label": s.label} for s in definition.subscales]
        if definition and definition.version == version
        else [],
    }


def _used(rows: Sequence[Row]) -> list[tuple[str, str, Instrument | None]]:
    used: dict[tuple[str, str], Instrument | None] = {}
    for row in rows:
        used.setdefault((row.key, row.version), row.definition)
    return [(k, v, d) for (k, v), d in sorted(used.items())]


def as_json(export: Export) -> str:
    data = {
        "format": "twofold-questionnaires",
        "format_version": FORMAT_VERSION,
        "exported_at": iso(export.exported_at),
        "people": [{"id": p.ref, "name": p.label, "is_you": p.is_viewer} for p in export.people],
        "instruments": [_instrument_entry(d, k, v) for k, v, d in _used(export.rows)],
        "results": [
            {
                "person": row.person.ref,
                "instrument": row.key,
                "instrument_version": row.version,
                "slot": row.result.slot,
                "submitted_at": iso(row.result.submitted_at),
                "total": row.result.total,
                "band": row.result.band or None,
                "prorated": row.result.prorated,
                "subscales": row.subscales,
                "withheld": {"code": row.result.withheld_code, "reason": row.result.withheld}
                if row.result.is_withheld
                else None,
                "answers": row.answers,
            }
            for row in export.rows
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"


def canonical(key: str) -> str:
    return f"{settings.SITE_URL}/fhir/Questionnaire/{key}"


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _questionnaire(key: str, version: str, definition: Instrument | None) -> dict[str, Any]:
    items = []
    if definition is not None and definition.version == version:
        items = [
            {
                "linkId": item.key,
                "text": item.text,
                "type": "choice",
                "required": False,
                "answerOption": [
                    {
                        "valueCoding": {
                            "code": option.value,
                            "display": option.label,
                            "extension": [{"url": ORDINAL_VALUE, "valueDecimal": option.score}],
                        }
                    }
                    for option in item.options
                ],
            }
            for item in definition.items
        ]
    return _drop_none(
        {
            "resourceType": "Questionnaire",
            "url": canonical(key),
            "version": version,
            "title": definition.title if definition else key,
            "status": "active",
            "copyright": definition.licence if definition and definition.licence else None,
            "item": items or None,
        }
    )


def _label(definition: Instrument | None, key: str, value: str) -> str | None:
    if definition is None:
        return None
    try:
        item = definition.item(key)
    except KeyError:
        return None
    return next((o.label for o in item.options if o.value == value), None)


def _response(row: Row, patient: dict[str, str]) -> dict[str, Any]:
    answers = row.answers or {}
    definition = row.definition if row.same_edition else None
    items = []
    for key, value in answers.items():  # already in the instrument's order
        label = _label(definition, key, value)
        coding = {"code": value, **({"display": label} if label else {})}
        items.append({"linkId": key, "answer": [{"valueCoding": coding}]})
    return _drop_none(
        {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": f"{canonical(row.key)}|{row.version}",
            "status": "completed",
            "authored": iso(row.result.submitted_at),
            "subject": patient,
            "item": items or None,
        }
    )


def _observation(row: Row, patient: dict[str, str], derived_from: str | None) -> dict[str, Any]:
    result = row.result
    labels = {s.key: s.label for s in row.definition.subscales} if row.definition else {}
    components = [
        {"code": {"text": labels.get(k, k)}, "valueQuantity": {"value": v}}
        for k, v in row.subscales.items()
    ]
    absent = result.total is None and result.is_withheld
    return _drop_none(
        {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [SURVEY]}],
            "code": {"text": row.title},
            "subject": patient,
            "effectiveDateTime": iso(result.submitted_at),
            "valueQuantity": {"value": result.total} if result.total is not None else None,
            "dataAbsentReason": {"text": result.withheld or result.withheld_code}
            if absent
            else None,
            "interpretation": [{"text": result.band}] if result.band else None,
            "component": components or None,
            "derivedFrom": [{"reference": derived_from}] if derived_from else None,
        }
    )


def as_fhir_bundle(export: Export) -> Bundle:
    """The bundle, validated by ``fhir.resources`` as it is built."""
    entries: list[dict[str, Any]] = []
    patients: dict[Any, dict[str, str]] = {}
    for person in export.people:
        if any(r.person.ref == person.ref for r in export.rows):
            url = _urn(f"patient:{person.user_id}")
            patients[person.user_id] = {"reference": url, "display": person.name}
            patient = {"resourceType": "Patient", "name": [{"text": person.name}]}
            entries.append({"fullUrl": url, "resource": patient})
    for key, version, definition in _used(export.rows):
        entries.append(
            {
                "fullUrl": _urn(f"questionnaire:{key}|{version}"),
                "resource": _questionnaire(key, version, definition),
            }
        )
    response_urls: dict[Any, str] = {}
    for row in export.rows:
        if row.answers is not None and row.response_id is not None:
            url = f"urn:uuid:{row.response_id}"
            response_urls[row.result.pk] = url
            resource = _response(row, patients[row.person.user_id])
            entries.append({"fullUrl": url, "resource": resource})
    for row in export.rows:
        derived = response_urls.get(row.result.pk)
        resource = _observation(row, patients[row.person.user_id], derived)
        entries.append({"fullUrl": f"urn:uuid:{row.result.pk}", "resource": resource})
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": iso(export.exported_at),
    }
    if entries:
        bundle["entry"] = entries
    return Bundle.model_validate(bundle)


def as_fhir(export: Export) -> str:
    raw = as_fhir_bundle(export).model_dump_json(exclude_none=True)
    return json.dumps(json.loads(raw), ensure_ascii=False, indent=2) + "\n"


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "fhir": "application/fhir+json; charset=utf-8",
}
EXTENSIONS = {"csv": "csv", "json": "json", "fhir": "fhir.json"}
RENDERERS = {"csv": as_csv, "json": as_json, "fhir": as_fhir}


def render(export: Export, fmt: str) -> str:
    return RENDERERS[fmt](export)


def filename(fmt: str, day: Any) -> str:
    """A neutral name: nothing in it says what the file is about."""
    return f"twofold-export-{day.isoformat()}.{EXTENSIONS[fmt]}"


def download(export: Export, fmt: str, day: Any) -> HttpResponse:
    """The file as an attachment that no browser or proxy keeps."""
    response = HttpResponse(render(export, fmt).encode(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(fmt, day)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class FormatConverter:
    """``<export_format:fmt>``: one of :data:`FORMATS`."""

    regex = "|".join(FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
