"""One generic scoring engine for every instrument, and Jacobson-Truax reliable change.

Nothing here reads the database or the clock; the functions are pure.

The rules, for every instrument alike:

- Reverse-scored items count as (highest option score + lowest option score - chosen).
- A subscale is the sum of its items times its weight. With ``min_items`` it is scored
  when at least that many of its items are answered, the missing ones prorated (mean of
  the answered items); otherwise it needs every item, except that under "prorate" up to
  ``max_missing`` of its items may be missing and are prorated the same way.
- The total ("sum"): the sum of the items. Under "withhold" every item is needed; under
  "prorate" up to ``max_missing`` items may be missing, and the total is then the mean of
  the answered items times the number of items. The total ("domains"): the sum of the
  domain scores, withheld when any domain is withheld.
- Every computed score is rounded half up to the instrument's ``decimals`` (0 unless the
  file says otherwise: a prorated PHQ-9 of 12.5 is 13) and kept inside its range (a
  prorated total of items with different ranges could otherwise pass the top).
- Critical items are flagged from the answers as given, whatever is withheld.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, ngettext

from twofold.outcomes.instruments import EPSILON, Instrument, Subscale

# Codes stored with a withheld score (the words are made from them in the reader's language).
MISSING = "missing"
TOO_MANY_MISSING = "too_many_missing"
DOMAIN_WITHHELD = "domain_withheld"
# |RCI| above this is a reliable change (95%, two-sided).
RCI_THRESHOLD = 1.96
CATEGORIES = ("recovered", "improved", "unchanged", "deteriorated")


@dataclass(frozen=True)
class Score:
    """The result of scoring one administration.

    ``total``: None when withheld (``withheld`` then says why, in the active language;
    ``withheld_code`` is a stable code to store) or when the instrument has no total.
    ``subscales``: subscale key -> score, None for a withheld subscale.
    ``band``: the label of the total's band. ``above_cutoff``: total at or above the
    instrument's cut-off (None without a total or a cut-off). ``critical``: keys of the
    items answered at or above their ``critical_when``, in item order - flagged even
    when the score is withheld. ``answered``: how many items have an answer.
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


@dataclass(frozen=True)
class _Plan:
    """What scoring needs from an instrument, worked out once per instrument."""

    allowed: dict[str, frozenset[int]]
    flip: dict[str, int]
    critical_when: dict[str, int]
    order: dict[str, int]


# id(instrument) -> (instrument, plan); the instrument is kept so that its id is never
# reused for another while the entry exists. Instruments are few (one per file version).
_plans: dict[int, tuple[Instrument, _Plan]] = {}


def _plan(instrument: Instrument) -> _Plan:
    entry = _plans.get(id(instrument))
    if entry is not None and entry[0] is instrument:
        return entry[1]
    plan = _Plan(
        allowed={i.key: frozenset(o.score for o in i.options) for i in instrument.items},
        flip={i.key: i.max_score + i.min_score for i in instrument.items if i.reverse},
        critical_when={
            i.key: i.critical_when for i in instrument.items if i.critical_when is not None
        },
        order={i.key: n for n, i in enumerate(instrument.items)},
    )
    _plans[id(instrument)] = (instrument, plan)
    return plan


def _round(value: float, decimals: int, low: float, high: float) -> float:
    """Half up to ``decimals`` places, kept inside ``low``..``high``."""
    if value != int(value):
        # First to 9 places, so that 10.5 * 0.3 (3.1499999999999995) is 3.15 and rounds up.
        quantum = Decimal(1).scaleb(-decimals)
        exact = Decimal(repr(round(value, 9)))
        value = float(exact.quantize(quantum, rounding=ROUND_HALF_UP))
    return float(min(max(value, low), high))


def _subscale(
    instrument: Instrument, subscale: Subscale, values: Mapping[str, int]
) -> tuple[float | None, bool]:
    """The subscale's score (None when withheld) and whether it was prorated."""
    answered = [values[k] for k in subscale.items if k in values]
    size, got = len(subscale.items), len(answered)
    if got == size:
        raw = float(sum(answered))
        prorated = False
    else:
        if subscale.min_items is not None:
            enough = got >= subscale.min_items
        elif instrument.missing == "prorate":
            enough = size - got <= instrument.max_missing
        else:
            enough = False
        if not enough or got == 0:
            return None, False
        raw = sum(answered) / got * size
        prorated = True
    return _round(raw * subscale.weight, instrument.decimals, subscale.low, subscale.high), prorated


def _band(instrument: Instrument, total: float) -> str | None:
    # Bands are contiguous at the instrument's precision: the band is the last whose
    # low the total reaches (the same as the inclusive range that holds it).
    label = None
    for band in instrument.bands:
        if total + EPSILON >= band.low:
            label = band.label
    return label


def withheld_reason(code: str, count: int = 0, allowed: int = 0, domain: str = "") -> str:
    """The words for a withheld score, in the active language."""
    if code == MISSING:
        return ngettext(
            "Not scored: this questionnaire needs every answer, and %(count)d is missing.",
            "Not scored: this questionnaire needs every answer, and %(count)d are missing.",
            count,
        ) % {"count": count}
    if code == TOO_MANY_MISSING:
        return ngettext(
            "Not scored: %(count)d answer is missing; at most %(allowed)d may be left out.",
            "Not scored: %(count)d answers are missing; at most %(allowed)d may be left out.",
            count,
        ) % {"count": count, "allowed": allowed}
    return gettext("Not scored: too few answers about “%(domain)s”.") % {"domain": domain}


def score(instrument: Instrument, answers: Mapping[str, int | None]) -> Score:
    """Score ``answers`` (item key -> the chosen option's score as written in the file;
    None or absent = not answered).

    Never raises for a valid answer set (any subset of the items, each with one of its
    options' scores). An unknown item key or a score that is not one of the item's
    options raises ValueError: that is a programming error, not a missing answer.
    """
    plan = _plan(instrument)
    values: dict[str, int] = {}
    critical: list[str] = []
    for key, raw in answers.items():
        if raw is None:
            continue
        allowed = plan.allowed.get(key)
        if allowed is None:
            raise ValueError(f"{instrument.key} has no item {key!r}")
        if raw not in allowed:
            raise ValueError(f"{instrument.key}.{key}: {raw!r} is not one of its option scores")
        threshold = plan.critical_when.get(key)
        if threshold is not None and raw >= threshold:
            critical.append(key)
        flip = plan.flip.get(key)
        values[key] = raw if flip is None else flip - raw
    critical.sort(key=plan.order.__getitem__)

    subscales: dict[str, float | None] = {}
    any_prorated = False
    withheld_domain = ""
    for subscale in instrument.subscales:
        value, prorated = _subscale(instrument, subscale, values)
        subscales[subscale.key] = value
        any_prorated = any_prorated or prorated
        if value is None and not withheld_domain:
            withheld_domain = subscale.label
    above: dict[str, bool | None] = {}
    for subscale in instrument.subscales:
        if subscale.cutoff is not None:
            value = subscales[subscale.key]
            above[subscale.key] = None if value is None else value >= subscale.cutoff

    answered = len(values)
    total: float | None = None
    code: str | None = None
    reason: str | None = None
    low, high = instrument.total_range
    cutoff = instrument.cutoff
    if not instrument.has_total:
        pass
    elif instrument.scoring == "domains":
        if withheld_domain:
            code = DOMAIN_WITHHELD
            reason = withheld_reason(code, domain=withheld_domain)
        else:
            total = _round(
                sum(v or 0.0 for v in subscales.values()), instrument.decimals, low, high
            )
    else:
        size = len(instrument.items)
        missing = size - answered
        if missing == 0:
            total = _round(float(sum(values.values())), instrument.decimals, low, high)
        elif instrument.missing == "prorate" and missing <= instrument.max_missing:
            mean = sum(values.values()) / answered
            total = _round(mean * size, instrument.decimals, low, high)
            any_prorated = True
        else:
            code = TOO_MANY_MISSING if instrument.missing == "prorate" else MISSING
            reason = withheld_reason(code, count=missing, allowed=instrument.max_missing)

    return Score(
        total=total,
        subscales=subscales,
        band=None if total is None else _band(instrument, total),
        above_cutoff=None if total is None or cutoff is None else total >= cutoff,
        withheld=reason,
        critical=tuple(critical),
        answered=answered,
        withheld_code=code,
        subscales_above_cutoff=above,
        prorated=any_prorated,
    )


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


def s_diff(instrument: Instrument) -> float | None:
    """The standard error of the difference, S_diff = √(2·SE²), SE = sd·√(1 - r)."""
    reliability = instrument.reliability
    if reliability is None:
        return None
    se = reliability.sd * math.sqrt(1 - reliability.r)
    return math.sqrt(2 * se * se)


def healthy(instrument: Instrument, total: float) -> bool | None:
    """True when ``total`` is on the healthy side of the cut-off (None without one)."""
    if instrument.cutoff is None:
        return None
    above = total >= instrument.cutoff
    return above if instrument.higher_is_better else not above


def reliable_change(instrument: Instrument, before: float, after: float) -> ReliableChange:
    """Reliable change from ``before`` to ``after`` (two totals of ``instrument``).

    SE = sd·√(1 - r), S_diff = √(2·SE²), RCI = (after - before) / S_diff, reliable when
    |RCI| > 1.96; when the instrument gives a published reliable change in points
    (PHQ-9: 6, GAD-7: 4) the change is reliable when |after - before| is at least that
    (the RCI is still given when the instrument also has reliability data).
    Improvement is in the instrument's direction of "better". Recovered: a reliable
    improvement that starts on the clinical side of the cut-off and ends on the healthy
    side; improved: a reliable improvement otherwise; deteriorated: a reliable
    worsening; unchanged otherwise.
    """
    change = after - before
    if not instrument.has_total:
        return ReliableChange(rci=None, reliable=False, category=None)
    sdiff = s_diff(instrument)
    rci = None if sdiff is None else change / sdiff
    points = instrument.reliable_change_points
    if points is not None:
        reliable, method = abs(change) + EPSILON >= points, "points"
    elif rci is not None:
        reliable, method = abs(rci) > RCI_THRESHOLD + EPSILON, "rci"
    else:
        return ReliableChange(rci=None, reliable=False, category=None, change=change)
    better = change > 0 if instrument.higher_is_better else change < 0
    if not reliable:
        category = "unchanged"
    elif not better:
        category = "deteriorated"
    elif healthy(instrument, before) is False and healthy(instrument, after):
        category = "recovered"
    else:
        category = "improved"
    return ReliableChange(
        rci=rci, reliable=reliable, category=category, change=change, method=method
    )
