from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from twofold.lib.limits import INVITATION_NOTE, TextLimits


class InvitePartnerForm(TextLimits, forms.Form):
    email = forms.EmailField(
        label=_("Your partner's e-mail address"),
        help_text=_("We'll send a short, private invitation. It doesn't say what Twofold is for."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("A few words for your partner (optional)"),
        help_text=format_lazy(
            _(
                "Shown on the invitation page once your partner opens the link, never in the "
                "e-mail. Up to {limit} characters."
            ),
            limit=INVITATION_NOTE,
        ),
        max_length=INVITATION_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read this and I agree"),
        error_messages={"required": _("Please tick the box if you agree. There's no rush.")},
    )
