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


def _score_field(item: Any, *, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=item.label,
        min_value=0,
        max_value=10,
        required=required,
        help_text=_("0 = %(low)s · 10 = %(high)s") % {"low": item.low, "high": item.high},
        widget=forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"}),
    )


class CheckInForm(forms.Form):
    """Six shared 0-10 items with anchors, two short texts, a private switch for each,
    and the safety item, which has no switch: it is never shared with the partner."""

    def __init__(self, *args: Any, care_sees: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.care_sees = care_sees
        for item in SCORED_ITEMS:
            self.fields[item.key] = _score_field(item, required=item.key not in SKIPPABLE_ITEMS)
            if item.key in SKIPPABLE_ITEMS:
                self.fields[f"{item.key}_none"] = forms.BooleanField(
                    label=SKIPPABLE_ITEMS[item.key], required=False
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
        safety = _score_field(SAFETY_ITEM, required=False)
        safety.help_text = _("0 = %(low)s · 10 = %(high)s. You can leave this one empty.") % {
            "low": SAFETY_ITEM.low,
            "high": SAFETY_ITEM.high,
        }
        self.fields[SAFETY_ITEM.key] = safety

    @classmethod
    def initial_from(cls, checkin: Any, felt_safe: int | None = None) -> dict[str, Any]:
        initial = checkin.answers()
        for key in ITEM_KEYS:
            initial[f"{key}_private"] = key in checkin.private_items
        for key in SKIPPABLE_ITEMS:
            initial[f"{key}_none"] = initial[key] is None
        initial[SAFETY_ITEM.key] = felt_safe
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, none_label in SKIPPABLE_ITEMS.items():
            value, none = data.get(key), data.get(f"{key}_none")
            if key in self.errors:
                continue
            if value is None and not none:
                self.add_error(
                    key,
                    _('Please choose a number from 0 to 10, or tick "%(none)s".')
                    % {"none": none_label},
                )
            elif value is not None and none:
                self.add_error(
                    key,
                    _('You chose a number and ticked "%(none)s". Please keep just one.')
                    % {"none": none_label},
                )
        return data

    def answers(self) -> dict[str, Any]:
        """What goes on the check-in itself (everything the partner may read after the
        reveal, minus what is kept private); the safety answer is :meth:`felt_safe`."""
        data = self.cleaned_data
        values: dict[str, Any] = {key: data[key] for key in ITEM_KEYS}
        for key, _label in TEXT_ITEMS:
            values[key] = (values[key] or "").strip()
        for key in SKIPPABLE_ITEMS:
            if data.get(f"{key}_none"):
                values[key] = None
        values["private_items"] = [key for key in ITEM_KEYS if data.get(f"{key}_private")]
        return values

    def felt_safe(self) -> int | None:
        value: int | None = self.cleaned_data.get(SAFETY_ITEM.key)
        return value

    def pairs(self) -> list[tuple[Any, Any, Any]]:
        """(answer field, its "none" choice or None, its private switch) in display order."""
        return [
            (
                self[key],
                self[f"{key}_none"] if key in SKIPPABLE_ITEMS else None,
                self[f"{key}_private"],
            )
            for key in ITEM_KEYS
        ]

    def safety_field(self) -> Any:
        return self[SAFETY_ITEM.key]
