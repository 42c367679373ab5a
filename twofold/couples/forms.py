from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class InvitePartnerForm(forms.Form):
    email = forms.EmailField(
        label=_("Your partner's e-mail address"),
        help_text=_("We'll send a short, private invitation. It doesn't say what Twofold is for."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read this and I agree"),
        error_messages={"required": _("Please tick the box if you agree. There's no rush.")},
    )
