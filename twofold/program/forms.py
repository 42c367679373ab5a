from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twofold.lib import limits
from twofold.lib.limits import TextLimits
from twofold.program import content
from twofold.program.models import BoundaryAnswer, Goal, PracticeLog


def score_field(label: Any, low: Any, high: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        help_text=_("0 = %(low)s, 10 = %(high)s") % {"low": low, "high": high},
        widget=forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1, "inputmode": "numeric"}),
    )


class PracticeLogForm(TextLimits, forms.ModelForm[PracticeLog]):
    """How it went, in the person's own terms: comfort, worry, closeness and, after touch,
    where their attention was. Never how much they enjoyed it: touch here is for
    noticing, not for pleasing or being pleased."""

    comfort = score_field(_("How comfortable did you feel?"), _("not at all"), _("completely"))
    anxiety = score_field(_("How worried or anxious did you feel?"), _("not at all"), _("very"))
    closeness = score_field(
        _("How close did you feel to your partner?"), _("distant"), _("very close")
    )
    attention = forms.TypedChoiceField(
        label=_("How much of the time could you stay with the sensations?"),
        help_text=_("Minds wander for everyone. Coming back to the touch is the practice."),
        choices=PracticeLog.Attention.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the answer closest to how it was.")},
    )
    noticed_most = forms.ChoiceField(
        label=_("Which sensation did you notice most? (You can leave this out.)"),
        choices=[("", _("Nothing in particular")), *PracticeLog.Sensation.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PracticeLog
        fields = [
            "practised_on",
            "comfort",
            "anxiety",
            "closeness",
            "attention",
            "noticed_most",
            "note",
            "shared_with_partner",
            "shared_with_care",
        ]
        widgets = {
            "practised_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "note": _("Private to you unless you share this log. Encrypted."),
            "shared_with_partner": _(
                "Your partner always sees that you practised, not how it went."
            ),
        }

    def __init__(
        self,
        *args: Any,
        guided: bool = False,
        touch: bool = True,
        solo: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not guided:
            del self.fields["shared_with_care"]
        if solo:
            # Time on one's own: nobody to feel close to, so the question is not asked.
            del self.fields["closeness"]
        if not touch:
            # A talk or a page of reading has no sensations to stay with.
            del self.fields["attention"]
            del self.fields["noticed_most"]

    def clean_practised_on(self) -> Any:
        day = self.cleaned_data["practised_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("That date is in the future."))
        return day


BOUNDARY_CHOICE_ERROR = _("Please choose Yes, Maybe, Not now or No.")


def _boundary_field(
    activity: content.Activity, initial: str | None, required: bool
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=activity.label,
        choices=BoundaryAnswer.Answer.choices,
        widget=forms.RadioSelect,
        required=required,
        initial=initial,
        error_messages={"invalid_choice": BOUNDARY_CHOICE_ERROR, "required": BOUNDARY_CHOICE_ERROR},
    )


def boundary_form(answers: dict[str, str], data: Any = None) -> forms.Form:
    """One radio group per activity, in the order of the activities file."""
    fields: dict[str, forms.Field] = {}
    for activity in content.activities().values():
        fields[activity.key] = _boundary_field(activity, answers.get(activity.key), False)
    form_class = type("BoundaryForm", (forms.Form,), fields)
    return form_class(data)


def boundary_answer_form(activity: content.Activity, answer: str | None, data: Any) -> forms.Form:
    """The answer to one activity, saved as it is chosen: one of the four, never empty."""
    form_class = type(
        "BoundaryAnswerForm", (forms.Form,), {activity.key: _boundary_field(activity, answer, True)}
    )
    return form_class(data)


class GoalForm(TextLimits, forms.ModelForm[Goal]):
    class Meta:
        model = Goal
        fields = ["text", "review_on", "measure", "measure_target"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "review_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"text": _("A goal you'd like to work towards")}
        error_messages = {"text": {"required": _("Please write a few words.")}}
        help_texts = {
            "text": _("Only you see drafts. You decide when to propose one to your partner."),
            "review_on": _(
                "When you'd like to look back at it together. Leave empty for four weeks."
            ),
        }

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write a few words."))
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("measure") == Goal.Measure.PRACTICE_TOGETHER and not data.get("measure_target"):
            self.add_error("measure_target", _("How many times a week would you like?"))
        review = data.get("review_on")
        if review and review <= timezone.localdate():
            self.add_error("review_on", _("Choose a day after today."))
        return data


class GoalResponseForm(TextLimits, forms.Form):
    response = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("decline", _("Not now")),
            ("suggest", _("Suggest other words")),
        ]
    )
    suggestion = forms.CharField(
        label=_("Your suggested wording"),
        required=False,
        max_length=limits.ANSWER,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UnsuitableForm(TextLimits, forms.Form):
    exercise_key = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("A note to the couple"),
        required=False,
        max_length=limits.ANSWER,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why this one is being left out. They will both see it."),
    )
