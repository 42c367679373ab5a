"""Questionnaires (instruments) as data files, validated when they are loaded.

Every instrument is one JSON file. Built-in files live in
``twofold/outcomes/content/instruments/``; a deployment or a clinic that holds a licence
adds more in the directories named by the setting ``TWOFOLD_INSTRUMENT_DIRS`` (no code
needed). A broken file fails with the file, the field path and the reason
(``twofold.lib.content.ContentError``).

Replacing a built-in instrument: a file whose ``key`` is already loaded (built in, or
from an earlier directory) replaces it only when its ``version`` is higher; an equal or
lower version is an error, never silently ignored. Versions are dot-separated whole
numbers ("1", "1.1", "2.0.3") compared number by number.

Scores are always the scores of the answer options as written in the file; the scoring
engine (``twofold.outcomes.scoring``) applies reverse scoring, weights and rounding.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    """One answer option: what is stored (``value``), what is shown, what it scores."""

    value: str
    label: str
    score: int


@dataclass(frozen=True)
class Item:
    """One question with its answer options.

    ``reverse``: the engine scores it as (highest option score + lowest option score -
    chosen score). ``critical_when``: the item is critical (a risk answer) when the chosen
    option's score, as answered and before any reversing, is at least this.
    ``private``: only the person and the care team may ever see this item's answer
    (the check-in's safety item), whatever is shared of the rest.
    """

    key: str
    text: str
    options: tuple[Option, ...]
    reverse: bool = False
    critical_when: int | None = None
    private: bool = False

    @property
    def min_score(self) -> int:
        return min(o.score for o in self.options)

    @property
    def max_score(self) -> int:
        return max(o.score for o in self.options)


@dataclass(frozen=True)
class Subscale:
    """A group of items scored together: the (reversed where needed) item scores summed,
    times ``weight``.

    ``min_items``: the subscale is scored when at least this many of its items are
    answered, the missing ones prorated (mean of the answered items); with fewer it is
    withheld. Without ``min_items`` the instrument's ``missing`` rule applies.
    ``cutoff``: the subscale is positive when its score is at least this (PHQ-4: 3).
    ``low``/``high``: the subscale's possible range, worked out when the file is loaded.
    """

    key: str
    label: str
    items: tuple[str, ...]
    weight: float = 1.0
    min_items: int | None = None
    cutoff: float | None = None
    low: float = 0.0
    high: float = 0.0


@dataclass(frozen=True)
class Band:
    """A named range of the total, inclusive at both ends (PHQ-9 "mild": 5-9)."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Reliability:
    """Baseline standard deviation and reliability for the Jacobson-Truax index."""

    sd: float
    r: float
    source: str


@dataclass(frozen=True)
class Instrument:
    """A loaded, validated questionnaire definition.

    ``scoring``: "sum" (total = sum of the item scores) or "domains" (each subscale is a
    domain, scored as the sum of its items times its weight; the total is the sum of the
    domain scores, in the style of the common sexual-function indices; every item belongs
    to exactly one domain).

    ``has_total``: False for an instrument that reports only its subscales (the weekly
    check-in); its ``total_range`` is then the span of its subscales' ranges (for chart
    axes) and it has no bands or cut-off.

    ``cutoff``: the clinical cut-off. A total at or above it is "above the cut-off"; the
    healthy side is at or above it when ``higher_is_better``, below it otherwise (CSI-4:
    13.5, at or above is no distress; PHQ-9: 10, below is the healthy side).

    ``missing``: "withhold" (any missing item withholds the total) or "prorate" (at most
    ``max_missing`` items missing: the total is the mean of the answered items times the
    number of items). Every computed score is rounded half up to ``decimals`` places, so
    whole-number sums are unchanged and a prorated PHQ-9 is a whole number.

    ``private_safety``: only the person and the care team ever see results (HARK); never
    shared with the partner, never counted where the partner could see it.
    ``sha256``: the checksum of the file's canonical JSON; stored with each score.
    """

    key: str
    version: str
    title: str
    short_title: str
    instructions: str
    recall: str
    items: tuple[Item, ...]
    subscales: tuple[Subscale, ...]
    scoring: str
    total_range: tuple[float, float]
    higher_is_better: bool
    bands: tuple[Band, ...]
    cutoff: float | None
    cutoff_label: str
    reliability: Reliability | None
    reliable_change_points: float | None
    missing: str
    max_missing: int
    private_safety: bool
    licence: str
    source: str
    sha256: str
    has_total: bool = True
    decimals: int = 0

    def item(self, key: str) -> Item:
        """The item with ``key`` (KeyError if there is none)."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.items)

    @property
    def critical_items(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.items if i.critical_when is not None)


def instruments() -> dict[str, Instrument]:
    """Every loaded instrument by key: the built-in directory, then each directory in
    ``TWOFOLD_INSTRUMENT_DIRS`` in order. Cached; see ``reload``. Raises ContentError
    for a broken file."""
    raise NotImplementedError


def instrument(key: str) -> Instrument:
    """The instrument with ``key``; KeyError if there is none."""
    return instruments()[key]


def reload() -> None:
    """Forget the cached instruments (tests, settings changes, the content check)."""
