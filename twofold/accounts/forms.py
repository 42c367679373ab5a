"""Forms for people's own account details."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from twofold.accounts import reminder_kinds, time_zones
from twofold.accounts.models import DISPLAY_NAME_MAX_LENGTH, User
from twofold.lib.limits import SHORT, TextLimits


class TimeZoneSelect(forms.Select):
    """A list of zones, with a search box that ``accounts/time_zones.js`` shows and a
    hidden ``<name>_guess`` where it puts the zone this device uses.

    Without JavaScript it is a plain list; typing a city's first letters finds it there.
    """

    template_name = "accounts/widgets/time_zone_select.html"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        old_names = time_zones.aliases(str(option["value"]))
        if old_names:
            # The browser may report an old name (Chrome says "Asia/Calcutta").
            option["attrs"]["data-aliases"] = " ".join(old_names)
        return option


class TimeZoneField(forms.ChoiceField):
    """A time zone from :func:`twofold.accounts.time_zones.offered`.

    The form calls :meth:`offer` to put the likely zones first; see :class:`TimeZoneChoice`.
    """

    widget = TimeZoneSelect
    default_error_messages = {
        "required": _("Please choose your time zone."),
        "invalid_choice": _(
            "We don't know a time zone called \u201c%(value)s\u201d. "
            "Please choose yours from the list; the nearest big city is fine."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Your time zone"))
        kwargs.setdefault(
            "help_text",
            _(
                "Reminders and times are shown in this zone. Where we could tell, the one "
                "your device uses comes first."
            ),
        )
        super().__init__(choices=time_zones.choices, **kwargs)

    def offer(self, *first: str | None, keep: str | None = None) -> None:
        """List the zones in ``first`` before the others (unknown ones are skipped).

        ``keep`` is the zone an account already has: if the list no longer offers it (an
        account saved with ``Etc/GMT+5``), it is listed too, so saving other details never
        changes it unasked.
        """
        self.choices = time_zones.choices(first, keep=keep)


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object  # a mixin: the form it is mixed into brings the fields


class TimeZoneChoice(_FormBase):
    """For a form with a ``time_zone`` field: the zone this device uses (sent back by the
    page's script), the person's own zone and Twofold's default come first. An account's
    old zone name (``US/Eastern``) shows as the zone it stands for (``America/New_York``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(TimeZoneField, self.fields["time_zone"])
        current = self.initial.get("time_zone") or field.initial
        if current and time_zones.canonical(current):
            self.initial["time_zone"] = time_zones.canonical(current)
        guess = self.data.get(self.add_prefix("time_zone") + "_guess") if self.is_bound else None
        field.offer(
            guess,
            self.initial.get("time_zone") or field.initial,
            settings.TWOFOLD_DEFAULT_USER_TIME_ZONE,
            keep=current,
        )


DISPLAY_NAME_ERRORS = {
    "max_length": _("Please keep the name to %(limit_value)d characters or fewer."),
    "required": _("Please enter a name to show. A first name is fine."),
}


class SignupExtraForm(TimeZoneChoice, forms.Form):
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


class PreferencesForm(TimeZoneChoice, forms.ModelForm[User]):
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
