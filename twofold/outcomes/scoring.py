"""One generic scoring engine for every instrument, and Jacobson-Truax reliable change.

Nothing here reads the database or the clock; the functions are pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from twofold.outcomes.instruments import Instrument


@dataclass(frozen=True)
class Score:
    """The result of scoring one administration.

    ``total``: None when withheld (``withheld`` then says why, in the active language;
    ``withheld_code`` is a stable code to store) or when the instrument has no total.
    ``subscales``: subscale key -> score, None for a withheld subscale.
    ``band``: the label of the total's band. ``above_cutoff``: total at or above the
    instrument's cut-off (None without a total or a cut-off). ``critical``: keys of the
    items answered at or above their ``critical_when`` — flagged even when the score is
    withheld. ``answered``: how many items have an answer.
    ``subscales_above_cutoff``: subscale key -> at or above its cut-off (subscales with a
    cut-off only; None when withheld). ``prorated``: missing items were prorated.
    """

    total: float | None
    subscales: dict[str, float | None]
    band: str | None
    above_cutoff: bool | None
    withheld: str | None
    critical: tuple[str, ...]
    answered: int
    withheld_code: str | None = None
    subscales_above_cutoff: dict[str, bool | None] = field(default_factory=dict)
    prorated: bool = False


def score(instrument: Instrument, answers: Mapping[str, int | None]) -> Score:
    """Score ``answers`` (item key -> the chosen option's score as written in the file;
    None or absent = not answered).

    Never raises for a valid answer set (any subset of the items, each with one of its
    options' scores). An unknown item key or a score that is not one of the item's
    options raises ValueError: that is a programming error, not a missing answer.
    """
    raise NotImplementedError


@dataclass(frozen=True)
class ReliableChange:
    """Jacobson-Truax reliable change between two totals of one instrument.

    ``rci``: the reliable change index (None when the instrument has no reliability
    data, or the change was judged by a published fixed number of points only).
    ``category``: "recovered" | "improved" | "unchanged" | "deteriorated", None when the
    instrument has neither reliability data nor a published reliable change.
    ``change``: after - before. ``method``: "points" (a published fixed reliable change)
    or "rci" (|RCI| > 1.96), "" when not computable.
    """

    rci: float | None
    reliable: bool
    category: str | None
    change: float | None = None
    method: str = ""


def reliable_change(instrument: Instrument, before: float, after: float) -> ReliableChange:
    """Reliable change from ``before`` to ``after`` (two totals of ``instrument``).

    SE = sd·√(1 - r), S_diff = √(2·SE²), RCI = (after - before) / S_diff, reliable when
    |RCI| > 1.96; when the instrument gives a published reliable change in points
    (PHQ-9: 6, GAD-7: 4) the change is reliable when |after - before| is at least that.
    Improvement is in the instrument's direction of "better". Recovered: a reliable
    improvement that starts on the clinical side of the cut-off and ends on the healthy
    side; improved: a reliable improvement otherwise; deteriorated: a reliable
    worsening; unchanged otherwise.
    """
    raise NotImplementedError
