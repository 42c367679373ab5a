"""Forms for people's own account details."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from twofold.accounts import reminder_kinds
from twofold.accounts.models import DISPLAY_NAME_MAX_LENGTH, User
from twofold.lib.limits import SHORT, TextLimits


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Your time zone"))
        kwargs.setdefault(
            "help_text",
            _("Reminders and times are shown in this zone. We guessed it from your device."),
        )
        super().__init__(choices=time_zone_choices, **kwargs)


DISPLAY_NAME_ERRORS = {
    "max_length": _("Please keep the name to %(limit_value)d characters or fewer."),
    "required": _("Please enter a name to show. A first name is fine."),
}


class SignupExtraForm(forms.Form):
    """Extra sign-up fields; allauth calls :meth:`signup` once the account exists."""

    display_name = forms.CharField(
        label=_("Name to show"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        error_messages=DISPLAY_NAME_ERRORS,
        help_text=_("How your partner and care team will see you. A first name is fine."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    time_zone = TimeZoneField(initial=settings.TWOFOLD_DEFAULT_USER_TIME_ZONE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.attrs["data-detect-time-zone"] = "true"

    def signup(self, request: HttpRequest, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"].strip()
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["display_name", "time_zone"])


class PreferencesForm(forms.ModelForm[User]):
    time_zone = TimeZoneField()
    # One box per kind of reminder (registered by the reminders app); ticked means on.
    reminder_kinds = forms.MultipleChoiceField(
        label=_("Which e-mails you'd like"),
        choices=reminder_kinds.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each one only says that something is waiting for you in Twofold."),
    )
    field_order = [
        "display_name",
        "time_zone",
        "reminders_enabled",
        "reminder_kinds",
        "quiet_hours_start",
        "quiet_hours_end",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        off = set(self.instance.reminders_off or [])
        self.fields["reminder_kinds"].initial = [
            key for key, _label in reminder_kinds.choices() if key not in off
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "reminder_kinds" in cleaned:
            chosen = set(cleaned["reminder_kinds"])
            # Kinds no longer offered keep whatever the person chose for them.
            kept = set(self.instance.reminders_off or []) - reminder_kinds.keys()
            self.instance.reminders_off = sorted(kept | (reminder_kinds.keys() - chosen))
        return cleaned

    class Meta:
        model = User
        fields = [
            "display_name",
            "time_zone",
            "reminders_enabled",
            "quiet_hours_start",
            "quiet_hours_end",
        ]
        widgets = {
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}),
        }
        error_messages = {"display_name": DISPLAY_NAME_ERRORS}


class PasswordConfirmForm(TextLimits, forms.Form):
    """The person's own password, asked again (checked by ``actions.confirm_password``)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=SHORT,
        error_messages={"required": _("Please enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PrivacyLockForm(PasswordConfirmForm):
    """Turn the privacy lock on or off: ``turn`` says which, so sending twice does no harm."""

    turn = forms.ChoiceField(
        choices=[("on", _("Turn on")), ("off", _("Turn off"))], widget=forms.HiddenInput
    )
