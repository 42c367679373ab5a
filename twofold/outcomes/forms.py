"""Forms for answering a questionnaire (one item or all of them) and for its schedule."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from twofold.lib.limits import TextLimits
from twofold.outcomes import schedules
from twofold.outcomes.catalogue import schedulable
from twofold.outcomes.instruments import Instrument, Item

INVALID = _("Please choose one of the answers shown.")
UNANSWERED = _(
    "Please choose an answer, or choose “Skip this question” if you'd rather not answer it."
)


class AnswersForm(forms.Form):
    """One radio group per item; every item may be left out (the instrument's missing
    rule decides what a gap means for the score)."""

    def __init__(
        self, items: tuple[Item, ...] | list[Item] = (), *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[item.key] = forms.ChoiceField(
                label=item.text,
                choices=[(o.value, o.label) for o in item.options],
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": INVALID},
            )

    def values(self) -> dict[str, str | None]:
        """Item key -> chosen value (None: no answer), for the valid items only."""
        cleaned = getattr(self, "cleaned_data", {})
        return {key: (cleaned[key] or None) for key in self.fields if key in cleaned}

    def posted_values(self) -> dict[str, str]:
        """What was posted for each item that is one of its options (kept on an error)."""
        kept: dict[str, str] = {}
        for item in self.items:
            value = self.data.get(item.key)
            if value and any(o.value == value for o in item.options):
                kept[item.key] = value
        return kept


def rows(
    definition: Instrument, form: AnswersForm, chosen: dict[str, str], first_number: int = 1
) -> list[dict[str, Any]]:
    """What the template needs for each item on the page: its number, options, the
    chosen value and its error, if any."""
    total = len(definition.items)
    shown = []
    for offset, item in enumerate(form.items):
        errors = form.errors.get(item.key) if form.is_bound else None
        shown.append(
            {
                "item": item,
                "number": first_number + offset,
                "total": total,
                "chosen": chosen.get(item.key, ""),
                "error": errors[0] if errors else "",
                "id": f"item-{item.key}",
            }
        )
    return shown


BOOSTERS_HELP = _("Weeks after the end of the program, separated by commas, e.g. 4, 13, 26, 52.")


class ScheduleForm(TextLimits, forms.Form):
    """The care team's choice of questionnaires and when: per instrument, at the start,
    every N weeks, at the end, at boosters."""

    program_weeks = forms.IntegerField(
        label=_("Length of the program, in weeks"),
        min_value=1,
        max_value=schedules.MAX_PROGRAM_WEEKS,
    )
    booster_weeks = forms.CharField(
        label=_("Boosters"), required=False, help_text=BOOSTERS_HELP, max_length=200
    )

    def __init__(
        self, definitions: dict[str, Instrument] | None = None, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = definitions if definitions is not None else schedulable()
        for key in self.definitions:
            self.fields[f"{key}__baseline"] = forms.BooleanField(
                label=_("At the start"), required=False
            )
            self.fields[f"{key}__every_weeks"] = forms.IntegerField(
                label=_("Every how many weeks (0 for never)"),
                min_value=0,
                max_value=schedules.MAX_EVERY_WEEKS,
                required=False,
            )
            self.fields[f"{key}__end"] = forms.BooleanField(label=_("At the end"), required=False)
            self.fields[f"{key}__boosters"] = forms.BooleanField(
                label=_("At boosters"), required=False
            )

    @classmethod
    def initial_from(cls, spec: schedules.Spec) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "program_weeks": spec.program_weeks,
            "booster_weeks": ", ".join(str(w) for w in spec.booster_weeks),
        }
        for rule in spec.rules:
            initial.update(
                {
                    f"{rule.instrument}__baseline": rule.baseline,
                    f"{rule.instrument}__every_weeks": rule.every_weeks,
                    f"{rule.instrument}__end": rule.end,
                    f"{rule.instrument}__boosters": rule.boosters,
                }
            )
        return initial

    def clean_booster_weeks(self) -> list[int]:
        raw = self.cleaned_data.get("booster_weeks") or ""
        parts = [p for p in re.split(r"[\s,;]+", raw) if p]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("Please give whole numbers of weeks, e.g. 4, 13, 26."))
        weeks = sorted({int(p) for p in parts})
        if any(not 1 <= w <= schedules.MAX_BOOSTER_WEEKS for w in weeks):
            raise forms.ValidationError(
                _("Boosters come 1 to %(weeks)d weeks after the end of the program.")
                % {"weeks": schedules.MAX_BOOSTER_WEEKS}
            )
        return weeks

    def rules(self) -> list[schedules.Rule]:
        data = self.cleaned_data
        return [
            schedules.Rule(
                instrument=key,
                baseline=bool(data.get(f"{key}__baseline")),
                every_weeks=int(data.get(f"{key}__every_weeks") or 0),
                end=bool(data.get(f"{key}__end")),
                boosters=bool(data.get(f"{key}__boosters")),
            )
            for key in self.definitions
        ]

    def instrument_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "definition": definition,
                "baseline": self[f"{key}__baseline"],
                "every_weeks": self[f"{key}__every_weeks"],
                "end": self[f"{key}__end"],
                "boosters": self[f"{key}__boosters"],
            }
            for key, definition in self.definitions.items()
        ]
