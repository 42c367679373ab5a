"""When each questionnaire is due for a couple: a pure function of the schedule and a date.

A couple's schedule (:class:`Spec`) starts on the day they opened (``starts_on``, the
baseline) and runs for ``program_weeks`` weeks; boosters follow the end at
``booster_weeks`` weeks after it. Each :class:`Rule` says when one instrument is asked:
at the baseline, every ``every_weeks`` weeks during the program (never on or after its
end), at the end, and at each booster.

Each time an instrument is asked is an **administration** in a **slot** (``"baseline"``,
``"week-8"``, ``"end"``, ``"booster-13"``): the slot's key is stored with the answers, so
a change of schedule never moves an answer from one slot to another. An administration
opens on its slot's day, is *due* for :data:`DUE_DAYS` days, then *overdue* until it
closes (:data:`OPEN_DAYS` after opening, or earlier when the same instrument is asked
again), and is *missed* after that: a missed one is never shown again, so nobody is asked
to make up for a questionnaire they let pass.

Nothing here reads the database or the clock: :func:`administrations` takes the schedule,
:func:`states` the day and what the person has already answered.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

# A questionnaire is "due" this many days after it opens, "overdue" after that.
DUE_DAYS = 7
# It can be answered for this many days after it opens (less when asked again sooner).
OPEN_DAYS = 28
# The gentle reminder goes out this many days after a slot opens.
REMIND_AFTER_DAYS = 2

BASELINE = "baseline"
END = "end"

# The limits a care team can set.
MAX_PROGRAM_WEEKS = 104
MAX_EVERY_WEEKS = 52
MAX_BOOSTER_WEEKS = 104


class State(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"
    MISSED = "missed"


@dataclass(frozen=True)
class Rule:
    """When one instrument is asked."""

    instrument: str
    baseline: bool = True
    every_weeks: int = 0
    end: bool = True
    boosters: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "baseline": self.baseline,
            "every_weeks": self.every_weeks,
            "end": self.end,
            "boosters": self.boosters,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Rule:
        return cls(
            instrument=str(raw["instrument"]),
            baseline=bool(raw.get("baseline", False)),
            every_weeks=int(raw.get("every_weeks", 0) or 0),
            end=bool(raw.get("end", False)),
            boosters=bool(raw.get("boosters", False)),
        )

    @property
    def is_asked(self) -> bool:
        return self.baseline or self.every_weeks > 0 or self.end or self.boosters


@dataclass(frozen=True)
class Spec:
    starts_on: date
    program_weeks: int
    booster_weeks: tuple[int, ...]
    rules: tuple[Rule, ...]

    @property
    def ends_on(self) -> date:
        return self.starts_on + timedelta(weeks=self.program_weeks)


# What a couple is asked unless their care team changes it: relationship satisfaction
# monthly, short mood, anxiety and stress screens monthly with the longer ones at the
# start and the end, and the private safety screen at the start, every twelve weeks and at
# the end. Instruments a deployment does not have are left out when a schedule is made.
DEFAULT_PROGRAM_WEEKS = 24
DEFAULT_BOOSTER_WEEKS = (4, 13, 26, 52)  # about 1, 3, 6 and 12 months after the end
DEFAULT_RULES = (
    Rule("csi-4", baseline=True, every_weeks=4, end=True, boosters=True),
    Rule("phq-9", baseline=True, end=True),
    Rule("gad-7", baseline=True, end=True),
    Rule("phq-4", baseline=False, every_weeks=4, end=False, boosters=True),
    Rule("pss-10", baseline=True, end=True),
    Rule("pss-4", baseline=False, every_weeks=4, end=False, boosters=True),
    Rule("hark", baseline=True, every_weeks=12, end=True, boosters=True),
)


@dataclass(frozen=True)
class Slot:
    """One occasion of the schedule: its stored key, what kind it is and its first day."""

    key: str
    kind: str  # "baseline" | "periodic" | "end" | "booster"
    week: int  # weeks after the start
    opens: date


@dataclass(frozen=True)
class Administration:
    """One instrument asked in one slot."""

    slot: Slot
    instrument: str
    closes: date  # first day it can no longer be answered

    @property
    def opens(self) -> date:
        return self.slot.opens

    @property
    def overdue_from(self) -> date:
        return min(self.opens + timedelta(days=DUE_DAYS), self.closes)

    @property
    def remind_on(self) -> date:
        return self.opens + timedelta(days=REMIND_AFTER_DAYS)

    def state(self, today: date, done: bool) -> State:
        if done:
            return State.DONE
        if today < self.opens:
            return State.UPCOMING
        if today >= self.closes:
            return State.MISSED
        if today >= self.overdue_from:
            return State.OVERDUE
        return State.DUE


@dataclass(frozen=True)
class Standing:
    """An administration and where it stands for one person on one day."""

    administration: Administration
    state: State

    @property
    def slot(self) -> Slot:
        return self.administration.slot

    @property
    def instrument(self) -> str:
        return self.administration.instrument

    @property
    def is_open(self) -> bool:
        return self.state in (State.DUE, State.OVERDUE)


def slot_key(kind: str, week: int, spec: Spec) -> str:
    if kind == "baseline":
        return BASELINE
    if kind == "end":
        return END
    if kind == "booster":
        return f"booster-{week - spec.program_weeks}"
    return f"week-{week}"


def _slots_of(rule: Rule, spec: Spec) -> list[tuple[str, int]]:
    weeks: list[tuple[str, int]] = []
    if rule.baseline:
        weeks.append(("baseline", 0))
    if rule.every_weeks > 0:
        weeks += [
            ("periodic", week)
            for week in range(rule.every_weeks, spec.program_weeks, rule.every_weeks)
        ]
    if rule.end:
        weeks.append(("end", spec.program_weeks))
    if rule.boosters:
        weeks += [("booster", spec.program_weeks + b) for b in sorted(set(spec.booster_weeks))]
    return weeks


def administrations(spec: Spec) -> list[Administration]:
    """Every administration of the schedule, by day, then in the order of the rules."""
    found: list[tuple[date, int, Administration]] = []
    for order, rule in enumerate(spec.rules):
        occasions = _slots_of(rule, spec)
        opens = [spec.starts_on + timedelta(weeks=week) for _kind, week in occasions]
        for index, (kind, week) in enumerate(occasions):
            closes = opens[index] + timedelta(days=OPEN_DAYS)
            later = [day for day in opens[index + 1 :] if day > opens[index]]
            if later:
                closes = min(closes, later[0])
            slot = Slot(slot_key(kind, week, spec), kind, week, opens[index])
            found.append((opens[index], order, Administration(slot, rule.instrument, closes)))
    found.sort(key=lambda entry: (entry[0], entry[1]))
    return [administration for _day, _order, administration in found]


def states(spec: Spec, today: date, done: Collection[tuple[str, str]]) -> list[Standing]:
    """Where every administration stands on ``today``, for a person who has answered
    ``done`` (``(slot key, instrument key)`` pairs)."""
    return [
        Standing(a, a.state(today, (a.slot.key, a.instrument) in done))
        for a in administrations(spec)
    ]


def open_now(spec: Spec, today: date, done: Collection[tuple[str, str]]) -> list[Standing]:
    """The due and overdue ones, oldest first."""
    return [s for s in states(spec, today, done) if s.is_open]


def find(spec: Spec, slot: str, instrument: str) -> Administration | None:
    """The administration of ``instrument`` in the slot keyed ``slot``, if the schedule
    has it."""
    for administration in administrations(spec):
        if administration.slot.key == slot and administration.instrument == instrument:
            return administration
    return None


@dataclass(frozen=True)
class SlotGroup:
    """The open administrations of one slot, for the list page and reminders."""

    slot: Slot
    standings: list[Standing] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return any(s.state == State.OVERDUE for s in self.standings)


def by_slot(standings: Iterable[Standing]) -> list[SlotGroup]:
    groups: dict[str, SlotGroup] = {}
    for standing in standings:
        group = groups.setdefault(standing.slot.key, SlotGroup(standing.slot))
        group.standings.append(standing)
    return list(groups.values())


def default_rules(available: Collection[str]) -> list[Rule]:
    """The default rules for the instruments this deployment has."""
    return [rule for rule in DEFAULT_RULES if rule.instrument in available]
