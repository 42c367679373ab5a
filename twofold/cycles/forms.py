"""Forms for each step of an adjustment cycle. Labels speak to the person filling them in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.cycles.models import AdjustmentCycle, OutcomeRating
from twofold.lib import limits
from twofold.lib.limits import TextLimits

MAX_TEXT = limits.LONG
LONGEST_TRY = timedelta(days=90)


def _text(label: Any, help_text: Any = "", required: bool = True, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ConcernForm(TextLimits, forms.Form):
    concern = _text(
        _("What's on your mind?"),
        _(
            "Try starting with “I” and how it feels for you, rather than what your partner "
            "does wrong. Your partner will read this."
        ),
    )
    wish = _text(
        _("What would you like to try? (optional)"),
        _("If you already have an idea. You can also work it out together later."),
        required=False,
        rows=3,
    )


class ReflectForm(TextLimits, forms.Form):
    reflection = _text(
        _("What did you hear?"),
        _(
            "In your own words, say back what your partner told you and how it seems to feel "
            "for them. Not whether you agree: just what you heard."
        ),
    )


class ClarifyForm(TextLimits, forms.Form):
    clarification = _text(
        _("What would you like to add or put differently?"),
        _("Your partner will say back what they heard again."),
        rows=3,
    )


class ProposalForm(TextLimits, forms.Form):
    adjustment = _text(
        _("The small adjustment"),
        _("Something small and concrete you could both try for a while."),
        rows=3,
    )
    review_on = forms.DateField(
        label=_("When shall we look back on it?"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault(
            "review_on", timezone.localdate() + timedelta(days=14)
        )
        super().__init__(*args, **kwargs)

    def clean_review_on(self) -> Any:
        day = self.cleaned_data["review_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("Please choose a day after today."))
        if day > today + LONGEST_TRY:
            raise forms.ValidationError(
                _("Please choose a day within the next three months; small steps work best.")
            )
        return day


class RatingForm(TextLimits, forms.Form):
    rating = forms.ChoiceField(
        label=_("How did it go for you?"),
        choices=OutcomeRating.Rating.choices,
        widget=forms.RadioSelect,
    )
    note = _text(
        _("Anything you'd like to add? (optional)"),
        _("Your partner will read this when you look back together."),
        required=False,
        rows=3,
    )


class DecisionForm(TextLimits, forms.Form):
    decision = forms.ChoiceField(
        label=_("What would you like to do next?"),
        choices=AdjustmentCycle.Decision.choices,
        widget=forms.RadioSelect,
    )
    learned = _text(
        _("What did we learn?"),
        _(
            "Whatever happened, there's something to take from it: about each other, "
            "about what helps, about what to try next."
        ),
    )


STEP_FORMS: dict[str, type[forms.Form] | None] = {
    "reflect": ReflectForm,
    "confirm": None,
    "clarify": ClarifyForm,
    "propose": ProposalForm,
    "agree": None,
    "suggest": ProposalForm,
    "rate": RatingForm,
    "decide": DecisionForm,
}
