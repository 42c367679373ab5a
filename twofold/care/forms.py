from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twofold.couples.models import Invitation
from twofold.lib import limits
from twofold.lib.limits import TextLimits


class InviteCoupleForm(TextLimits, forms.Form):
    first_name = forms.CharField(label=_("First partner's name"), max_length=60)
    first_email = forms.EmailField(label=_("First partner's e-mail address"))
    second_name = forms.CharField(label=_("Second partner's name"), max_length=60)
    second_email = forms.EmailField(label=_("Second partner's e-mail address"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("first_email"), data.get("second_email")
        if first and second and first.strip().lower() == second.strip().lower():
            self.add_error("second_email", _("The two partners need different e-mail addresses."))
        return data

    def partners(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        return [(d["first_name"], d["first_email"]), (d["second_name"], d["second_email"])]


class CareNoteForm(TextLimits, forms.Form):
    text = forms.CharField(
        label=_("Add a note for the care team"),
        help_text=_("Only the care team sees these notes. They are encrypted."),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("The note is empty."))
        return text


class InviteStaffForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Invitation.Role.CLINICIAN, _("Clinician")),
            (Invitation.Role.CLINIC_ADMIN, _("Clinic admin")),
        ],
    )
