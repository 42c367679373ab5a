"""A result in plain, kind words: the score, its range and band, what the cut-off means.

The same words serve the person (their own result) and a partner reading a shared one;
a private safety screen's result is never put into words here (its page speaks to the
person alone, see ``result.html``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from twofold.outcomes.instruments import Instrument


def number(value: float | None) -> str:
    """7.0 -> "7", 7.25 -> "7.25" (scores are already rounded by the engine)."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class Summary:
    title: str
    score: str = ""
    band: str = ""
    direction: str = ""
    cutoff: str = ""
    clinical_side: bool = False
    withheld: str = ""
    subscales: list[dict[str, str]] = field(default_factory=list)


def on_clinical_side(definition: Instrument, above_cutoff: bool | None) -> bool:
    """True when the total is on the side of the cut-off that usually calls for help."""
    if above_cutoff is None or definition.cutoff is None:
        return False
    return above_cutoff != definition.higher_is_better


def summary(definition: Instrument | None, result: Any) -> Summary:
    """The plain words for ``result`` (a QuestionnaireResult)."""
    if definition is None:
        return Summary(title=result.instrument_key, withheld=result.withheld)
    if result.is_withheld or result.total is None:
        reason = result.withheld or _("Some answers were missing.")
        return Summary(title=definition.title, withheld=reason)
    low, high = definition.total_range
    return Summary(
        title=definition.title,
        score=_("%(score)s on a scale from %(low)s to %(high)s")
        % {"score": number(result.total), "low": number(low), "high": number(high)},
        band=result.band,
        direction=(
            _("On this questionnaire, a higher score is better.")
            if definition.higher_is_better
            else _("On this questionnaire, a lower score is better.")
        ),
        cutoff=definition.cutoff_label,
        clinical_side=on_clinical_side(definition, result.above_cutoff),
        subscales=[
            {
                "label": subscale.label,
                "score": number(result.subscales.get(subscale.key)),
                "range": _("from %(low)s to %(high)s")
                % {"low": number(subscale.low), "high": number(subscale.high)},
            }
            for subscale in definition.subscales
            if result.subscales.get(subscale.key) is not None
        ],
    )
