from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.journal import content
from twofold.journal.models import (
    APPRECIATION_MAX_LENGTH,
    BODY_MAX_LENGTH,
    MOMENT_NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Moment,
    Sharing,
)
from twofold.lib.limits import TextLimits


def sharing_choices(guided: bool, is_open: bool = True) -> list[tuple[str, Any]]:
    """Self-guided couples have no care team, so they are offered only the first two;
    until the couple is open (both joined and agreed), an entry is for its author alone."""
    if not is_open:
        return [(Sharing.ONLY_ME.value, Sharing.ONLY_ME.label)]
    if guided:
        return list(Sharing.choices)
    return [
        (Sharing.ONLY_ME.value, Sharing.ONLY_ME.label),
        (Sharing.PARTNER.value, Sharing.PARTNER.label),
    ]


class JournalEntryForm(TextLimits, forms.Form):
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
    )
    body = forms.CharField(
        label=_("What's on your mind"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("Please write a few words before saving.")},
        strip=True,
    )
    sharing = forms.ChoiceField(
        label=_("Who can read this?"),
        widget=forms.RadioSelect,
        initial=Sharing.ONLY_ME,
        help_text=_("You can change this, or delete the entry, at any time."),
    )
    prompt_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, guided: bool = False, is_open: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        sharing = cast(forms.ChoiceField, self.fields["sharing"])
        sharing.choices = sharing_choices(guided, is_open)
        if not is_open:
            sharing.help_text = _(
                "Until you have both joined and agreed to take part, your entries are for "
                "you alone. You can share one later, whenever you choose."
            )

    def clean_prompt_key(self) -> str:
        key: str = self.cleaned_data.get("prompt_key") or ""
        # An unknown key (an old link, a retired prompt) is simply forgotten.
        return key if content.prompts().get(key) else ""


class MomentForm(TextLimits, forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of moment?"),
        choices=Moment.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what kind of moment it was.")},
    )
    note = forms.CharField(
        label=_("A few words (optional)"),
        max_length=MOMENT_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Up to 280 characters. You both see it."),
    )
    happened_on = forms.DateField(
        label=_("When"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )

    def __init__(self, *args: Any, guided: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if guided:
            self.fields["note"].help_text = _(
                "Up to 280 characters. You both see it, and so does your care team "
                "while you both share with them."
            )

    def clean_happened_on(self) -> Any:
        day = self.cleaned_data.get("happened_on") or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(_("That date is still to come."))
        return day


class AppreciationForm(TextLimits, forms.Form):
    text = forms.CharField(
        label=_("Your note"),
        max_length=APPRECIATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write a few words for your partner.")},
        help_text=_("Only your partner will read it. Up to 500 characters."),
    )
