"""Every text people type has a generous maximum length, in the model and in the form.

The fields are found by introspection, so a new text field without a limit fails here.
Text over its limit is refused with a message giving the limit and the length typed;
nothing is written and the page shows the text again, so nothing typed is lost.
"""

from __future__ import annotations

import importlib
import inspect
from datetime import timedelta
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone

from tests.factories import make_couple
from twofold.care.models import CareNote
from twofold.checkins.models import CheckIn, CheckInSchedule, monday_of
from twofold.cycles.models import AdjustmentCycle
from twofold.journal.models import Appreciation, JournalEntry, Moment
from twofold.lib.limits import TextLimit, limit_of, too_long_message
from twofold.program.models import Goal

# Text written by Twofold itself, never typed by anybody.
WRITTEN_BY_TWOFOLD = {
    "checkins.CheckInRevision.answers",
    # The options chosen, as JSON: nothing typed.
    "outcomes.QuestionnaireResponse.answers",
}


def _twofold_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("twofold.")]


def _text_fields() -> list[tuple[str, models.Field]]:
    found = []
    for model in _twofold_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                found.append((f"{model._meta.label}.{field.name}", field))
    return found


def test_every_short_text_column_has_a_maximum_length():
    unlimited = [
        label
        for label, field in _text_fields()
        if isinstance(field, models.CharField) and not field.max_length
    ]
    assert unlimited == []


def test_every_long_text_field_has_a_limit_checked_on_what_was_typed():
    unlimited = [
        label
        for label, field in _text_fields()
        if isinstance(field, models.TextField)
        and label not in WRITTEN_BY_TWOFOLD
        and not (limit_of(field) and limit_of(field) == field.max_length)
    ]
    assert unlimited == []


@pytest.mark.parametrize(
    "label",
    [
        label
        for label, field in _text_fields()
        if isinstance(field, models.TextField) and label not in WRITTEN_BY_TWOFOLD
    ],
)
def test_the_model_refuses_text_over_its_limit_with_a_clear_message(label):
    field = dict(_text_fields())[label]
    limit = limit_of(field)
    assert limit is not None
    field.run_validators("x" * limit)

    with pytest.raises(ValidationError) as refused:
        field.run_validators("x" * (limit + 1))

    assert refused.value.messages == [too_long_message(limit, limit + 1)]


def test_the_message_gives_the_limit_and_the_length_in_plain_numbers():
    assert too_long_message(2000, 2340) == (
        "Please keep this to 2,000 characters or fewer — you have 2,340."
    )
    with pytest.raises(ValidationError):
        TextLimit(3)("four")


# --- Forms -----------------------------------------------------------------------------


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("twofold."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


def _typed_text_fields(form: forms.BaseForm) -> list[tuple[str, forms.CharField]]:
    return [
        (name, field)
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.EmailField | forms.URLField)
        and not field.widget.is_hidden
    ]


FORM_CASES = [
    (form_class, name)
    for form_class in _form_classes()
    for name, _field in _typed_text_fields(form_class())
]


def test_the_forms_were_found():
    names = {form_class.__name__ for form_class, _name in FORM_CASES}
    assert {"JournalEntryForm", "ConcernForm", "GoalForm", "CareNoteForm", "CheckInForm"} <= names


@pytest.mark.parametrize(
    ("form_class", "name"), FORM_CASES, ids=[f"{c.__name__}.{n}" for c, n in FORM_CASES]
)
def test_every_form_field_for_typed_text_refuses_too_long_text_clearly(db, form_class, name):
    field = form_class().fields[name]
    limit = field.max_length
    assert limit, f"{form_class.__name__}.{name} has no maximum length"

    form = form_class(data={name: "x" * (limit + 1)})

    assert not form.is_valid()
    errors = form.errors.get(name, [])
    assert any(
        str(limit) in e or formats.number_format(limit, force_grouping=True) in e for e in errors
    ), errors
    assert not any(e.startswith("Ensure this value has at most") for e in errors), errors
    if limit_of(field):
        assert too_long_message(limit, limit + 1) in errors


def test_forms_do_not_cut_off_pasted_text_silently():
    for form_class, name in FORM_CASES:
        widget = form_class().fields[name].widget
        if limit_of(form_class().fields[name]):
            assert "maxlength" not in widget.attrs, f"{form_class.__name__}.{name}"


# --- Pages: nothing is written, and the text comes back -------------------------------


def _checkin_data(couple: Any, text: str) -> tuple[str, dict[str, Any]]:
    today = timezone.localdate()
    schedule, _created = CheckInSchedule.objects.get_or_create(
        couple=couple, defaults={"anchor": monday_of(today) - timedelta(days=7)}
    )
    start = schedule.round_for(today).start
    scores = dict.fromkeys(
        ("openness", "sexual_comfort", "mutual_support", "stress", "sleep_quality", "mood"),
        "5",
    )
    return f"/check-in/{start.isoformat()}/", {**scores, "appreciated": text}


PAGES = {
    "journal entry": ("/journal/new/", "body", 10_000, {"sharing": "me"}, JournalEntry),
    "moment": ("/journal/moments/add/", "note", 280, {"kind": "humour"}, Moment),
    "appreciation": ("/journal/appreciation/send/", "text", 500, {}, Appreciation),
    "concern": ("/adjustments/new/", "concern", 4_000, {}, AdjustmentCycle),
    "goal": ("/goals/", "text", 2_000, {}, Goal),
}


@pytest.mark.parametrize("what", PAGES)
def test_a_partner_who_types_too_much_keeps_their_text_and_nothing_is_saved(
    what, partner_a, partner_b, client_for
):
    make_couple(partner_a, partner_b)
    url, name, limit, extra, model = PAGES[what]
    text = "word " * (limit // 5) + "and one more"
    before = model.objects.count()

    response = client_for(partner_a).post(url, {name: text, **extra})

    body = response.content.decode()
    assert response.status_code in (200, 400)
    assert too_long_message(limit, len(text)) in body
    assert text in body
    assert model.objects.count() == before


def test_a_check_in_answer_over_its_limit_is_kept_on_the_page_and_not_saved(
    partner_a, partner_b, client_for
):
    couple = make_couple(partner_a, partner_b)
    text = "y" * 1_001
    url, data = _checkin_data(couple, text)

    response = client_for(partner_a).post(url, data)

    body = response.content.decode()
    assert too_long_message(1_000, 1_001) in body
    assert text in body
    assert not CheckIn.objects.exists()


def test_a_care_note_over_its_limit_is_kept_on_the_page_and_not_saved(
    couple, clinician, client_for
):
    text = "z" * 10_001

    response = client_for(clinician).post(f"/care/couples/{couple.pk}/notes/", {"text": text})

    body = response.content.decode()
    assert too_long_message(10_000, 10_001) in body
    assert text in body
    assert not CareNote.objects.exists()
