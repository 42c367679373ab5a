from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twofold.checkins.models import ITEM_KEYS, SCORED_ITEMS, TEXT_ITEMS, TEXT_MAX_LENGTH
from twofold.lib.limits import apply_text_limit

PRIVATE_HELP = _("Keep this answer private from your partner")


class CheckInForm(forms.Form):
    """Six 0-10 items with anchors, two short texts, and a private switch for each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in SCORED_ITEMS:
            self.fields[item.key] = forms.IntegerField(
                label=item.label,
                min_value=0,
                max_value=10,
                help_text=_("0 = %(low)s · 10 = %(high)s") % {"low": item.low, "high": item.high},
                widget=forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"}),
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

    @classmethod
    def initial_from(cls, checkin: Any) -> dict[str, Any]:
        initial = checkin.answers()
        for key in ITEM_KEYS:
            initial[f"{key}_private"] = key in checkin.private_items
        return initial

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {key: data[key] for key in ITEM_KEYS}
        for key, _label in TEXT_ITEMS:
            values[key] = (values[key] or "").strip()
        values["private_items"] = [key for key in ITEM_KEYS if data.get(f"{key}_private")]
        return values

    def pairs(self) -> list[tuple[Any, Any]]:
        """(answer field, its private switch) in display order, for the template."""
        return [(self[key], self[f"{key}_private"]) for key in ITEM_KEYS]
