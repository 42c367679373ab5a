from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twofold.checkins.models import (
    ITEM_KEYS,
    SAFETY_ITEM,
    SCORED_ITEMS,
    SKIPPABLE_ITEMS,
    TEXT_ITEMS,
    TEXT_MAX_LENGTH,
)
from twofold.lib.limits import apply_text_limit

PRIVATE_HELP = _("Keep this answer private from your partner")


NONE = "none"
SCALE = [(str(n), str(n)) for n in range(11)]


class ScaleField(forms.TypedChoiceField):
    """A 0-10 answer chosen by tapping one of eleven buttons (radio buttons, so it works
    with a keyboard and without JavaScript); a skippable item has one more choice that
    means "none this time" and is stored as None."""

    widget = forms.RadioSelect

    def __init__(self, item: Any, *, required: bool, none_label: Any = None) -> None:
        choices = [*SCALE, (NONE, none_label)] if none_label else list(SCALE)
        missing: Any
        if none_label:
            missing = _('Please choose a number from 0 to 10, or "%(none)s".') % {
                "none": none_label
            }
        else:
            missing = _("Please choose a number from 0 to 10.")
        super().__init__(
            label=item.label,
            choices=choices,
            coerce=lambda value: None if value == NONE else int(value),
            empty_value=None,
            required=required,
            error_messages={"required": missing, "invalid_choice": missing},
        )
        self.low, self.high = item.low, item.high


class CheckInForm(forms.Form):
    """Six shared 0-10 items with anchors, two short texts, a private switch for each,
    and the safety item, which has no switch: it is never shared with the partner."""

    def __init__(self, *args: Any, care_sees: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.care_sees = care_sees
        for item in SCORED_ITEMS:
            self.fields[item.key] = ScaleField(
                item, required=True, none_label=SKIPPABLE_ITEMS.get(item.key)
            )
            self.fields[f"{item.key}_private"] = forms.BooleanField(
                label=PRIVATE_HELP, required=False
            )
        for key, label in TEXT_ITEMS:
            text = forms.CharField(
                label=label,
                required=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            apply_text_limit(text, TEXT_MAX_LENGTH)
            self.fields[key] = text
            self.fields[f"{key}_private"] = forms.BooleanField(label=PRIVATE_HELP, required=False)
        self.fields[SAFETY_ITEM.key] = ScaleField(SAFETY_ITEM, required=False)

    @classmethod
    def initial_from(cls, checkin: Any, felt_safe: int | None = None) -> dict[str, Any]:
        initial = checkin.answers()
        for key in ITEM_KEYS:
            initial[f"{key}_private"] = key in checkin.private_items
        for key in SKIPPABLE_ITEMS:
            if initial[key] is None:
                initial[key] = NONE
        initial[SAFETY_ITEM.key] = felt_safe
        return initial

    def answers(self) -> dict[str, Any]:
        """What goes on the check-in itself (everything the partner may read after the
        reveal, minus what is kept private); the safety answer is :meth:`felt_safe`."""
        data = self.cleaned_data
        values: dict[str, Any] = {key: data[key] for key in ITEM_KEYS}
        for key, _label in TEXT_ITEMS:
            values[key] = (values[key] or "").strip()
        values["private_items"] = [key for key in ITEM_KEYS if data.get(f"{key}_private")]
        return values

    def felt_safe(self) -> int | None:
        value: int | None = self.cleaned_data.get(SAFETY_ITEM.key)
        return value

    def pairs(self) -> list[tuple[Any, Any]]:
        """(answer field, its private switch) in display order, for the template."""
        return [(self[key], self[f"{key}_private"]) for key in ITEM_KEYS]

    def safety_field(self) -> Any:
        return self[SAFETY_ITEM.key]

    def question_count(self) -> int:
        return len(ITEM_KEYS) + 1  # the shared questions and the private one
