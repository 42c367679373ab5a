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

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.test.signals import setting_changed

from twofold.lib.content import ContentError, read_json, require


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
    ``private``: it holds a private item, so only the person and the care team see it.
    """

    key: str
    label: str
    items: tuple[str, ...]
    weight: float = 1.0
    min_items: int | None = None
    cutoff: float | None = None
    low: float = 0.0
    high: float = 0.0
    private: bool = False


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


BUILTIN_DIR = Path(__file__).resolve().parent / "content" / "instruments"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ITEM_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
VERSION = re.compile(r"^[0-9]+(?:\.[0-9]+)*$")
SCORING = ("sum", "domains")
MISSING = ("withhold", "prorate")
MAX_DECIMALS = 3
# Float sums (weights like 0.6) are compared with this much room.
EPSILON = 1e-9
_NUMBER = (int, float)


def version_key(version: str) -> tuple[int, ...]:
    """A version as numbers, for comparing: "1.10" is higher than "1.9", "1.0" is "1"."""
    parts = [int(part) for part in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


FIELDS = {
    "instrument": frozenset(
        {
            "key",
            "version",
            "title",
            "short_title",
            "instructions",
            "recall",
            "licence",
            "source",
            "scoring",
            "total",
            "total_range",
            "higher_is_better",
            "bands",
            "cutoff",
            "cutoff_label",
            "reliability",
            "reliable_change_points",
            "missing",
            "max_missing",
            "decimals",
            "private_safety",
            "options",
            "items",
            "subscales",
        }
    ),
    "item": frozenset({"key", "text", "options", "reverse", "critical_when", "private"}),
    "option": frozenset({"value", "label", "score"}),
    "subscale": frozenset({"key", "label", "items", "weight", "min_items", "cutoff"}),
    "band": frozenset({"low", "high", "label"}),
    "reliability": frozenset({"sd", "r", "source"}),
}


def _known(data: Any, kind: str, path: Path, where: str) -> None:
    """Refuse fields the format does not know (a misspelt "reverse" must not pass
    silently); "_comment" is allowed anywhere."""
    if not isinstance(data, dict):
        raise ContentError(path, where or "(top level)", "must be an object")
    for name in data:
        if name not in FIELDS[kind] and name != "_comment":
            raise ContentError(path, f"{where}.{name}" if where else name, "is not a known field")


def _optional(
    data: dict[str, Any], field: str, kind: type | tuple[type, ...], path: Path, where: str
) -> Any:
    """``data[field]`` when present and not null (checked like ``require``), else None."""
    if data.get(field) is None:
        return None
    return require(data, field, kind, path, where=where)


def _flag(data: dict[str, Any], field: str, path: Path, where: str, default: bool) -> bool:
    value = _optional(data, field, bool, path, where)
    return default if value is None else bool(value)


def _number(data: dict[str, Any], field: str, path: Path, where: str = "") -> float:
    return float(require(data, field, _NUMBER, path, where=where))


def _options(raw: Any, path: Path, where: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        raise ContentError(path, where, "must be a non-empty list of answer options")
    if len(raw) < 2:
        raise ContentError(path, where, "needs at least 2 answer options")
    options: list[Option] = []
    for index, entry in enumerate(raw):
        ow = f"{where}[{index}]"
        _known(entry, "option", path, ow)
        score = require(entry, "score", int, path, where=ow)
        label = require(entry, "label", str, path, where=ow)
        value = _optional(entry, "value", str, path, ow)
        value = str(score) if value is None else value
        if any(o.score == score for o in options):
            raise ContentError(path, f"{ow}.score", f"{score} is the score of another option")
        if any(o.value == value for o in options):
            raise ContentError(path, f"{ow}.value", f"{value!r} is the value of another option")
        options.append(Option(value=value, label=label, score=score))
    return tuple(options)


def _items(data: dict[str, Any], path: Path) -> tuple[Item, ...]:
    shared = data.get("options")
    shared_options = _options(shared, path, "options") if shared is not None else None
    raw = require(data, "items", list, path)
    items: list[Item] = []
    for index, entry in enumerate(raw):
        where = f"items[{index}]"
        _known(entry, "item", path, where)
        key = require(entry, "key", str, path, where=where)
        if not ITEM_KEY.match(key):
            raise ContentError(
                path, f"{where}.key", "use lower-case letters, digits and underscores"
            )
        if any(i.key == key for i in items):
            raise ContentError(path, f"{where}.key", f"{key!r} is used by another item")
        if entry.get("options") is not None:
            options = _options(entry["options"], path, f"{where}.options")
        elif shared_options is not None:
            options = shared_options
        else:
            raise ContentError(
                path, f"{where}.options", "is missing (and the file has no shared options)"
            )
        low, high = min(o.score for o in options), max(o.score for o in options)
        critical = _optional(entry, "critical_when", int, path, where)
        if critical is not None and not low < critical <= high:
            raise ContentError(
                path,
                f"{where}.critical_when",
                f"must be above the lowest score ({low}) and at most the highest ({high})",
            )
        items.append(
            Item(
                key=key,
                text=require(entry, "text", str, path, where=where),
                options=options,
                reverse=_flag(entry, "reverse", path, where, default=False),
                critical_when=critical,
                private=_flag(entry, "private", path, where, default=False),
            )
        )
    return tuple(items)


def _item_range(item: Item) -> tuple[float, float]:
    # Reversing maps the option scores onto themselves, so the range is unchanged.
    return float(item.min_score), float(item.max_score)


def _subscales(
    data: dict[str, Any], path: Path, items: tuple[Item, ...], scoring: str
) -> tuple[Subscale, ...]:
    raw = data.get("subscales", [])
    if not isinstance(raw, list):
        raise ContentError(path, "subscales", f"must be list, not {type(raw).__name__}")
    by_key = {i.key: i for i in items}
    subscales: list[Subscale] = []
    for index, entry in enumerate(raw):
        where = f"subscales[{index}]"
        _known(entry, "subscale", path, where)
        key = require(entry, "key", str, path, where=where)
        if not ITEM_KEY.match(key):
            raise ContentError(
                path, f"{where}.key", "use lower-case letters, digits and underscores"
            )
        if any(s.key == key for s in subscales):
            raise ContentError(path, f"{where}.key", f"{key!r} is used by another subscale")
        members = require(entry, "items", list, path, where=where)
        for m_index, member in enumerate(members):
            if member not in by_key:
                raise ContentError(
                    path, f"{where}.items[{m_index}]", f"{member!r} is not an item of this file"
                )
            if members.index(member) != m_index:
                raise ContentError(path, f"{where}.items[{m_index}]", f"{member!r} is listed twice")
        weight = _optional(entry, "weight", _NUMBER, path, where)
        weight = 1.0 if weight is None else float(weight)
        if weight <= 0:
            raise ContentError(path, f"{where}.weight", "must be above 0")
        min_items = _optional(entry, "min_items", int, path, where)
        if min_items is not None and not 1 <= min_items <= len(members):
            raise ContentError(
                path, f"{where}.min_items", f"must be between 1 and {len(members)} (its items)"
            )
        low = weight * sum(_item_range(by_key[m])[0] for m in members)
        high = weight * sum(_item_range(by_key[m])[1] for m in members)
        cutoff = _optional(entry, "cutoff", _NUMBER, path, where)
        if cutoff is not None and not low < cutoff <= high:
            raise ContentError(
                path, f"{where}.cutoff", f"must lie inside the subscale's range {low:g}-{high:g}"
            )
        subscales.append(
            Subscale(
                key=key,
                label=require(entry, "label", str, path, where=where),
                items=tuple(members),
                weight=weight,
                min_items=min_items,
                cutoff=None if cutoff is None else float(cutoff),
                low=low,
                high=high,
                private=any(by_key[m].private for m in members),
            )
        )
    if scoring == "domains":
        if not subscales:
            raise ContentError(path, "subscales", "domain scoring needs its domains here")
        for index, item in enumerate(items):
            count = sum(item.key in s.items for s in subscales)
            if count != 1:
                raise ContentError(
                    path,
                    f"items[{index}]",
                    f"{item.key!r} must belong to exactly one domain, not {count}",
                )
    return tuple(subscales)


def _expected_range(
    items: tuple[Item, ...], subscales: tuple[Subscale, ...], scoring: str
) -> tuple[float, float]:
    if scoring == "domains":
        return sum(s.low for s in subscales), sum(s.high for s in subscales)
    return (
        sum(_item_range(i)[0] for i in items),
        sum(_item_range(i)[1] for i in items),
    )


def _bands(
    data: dict[str, Any], path: Path, total_range: tuple[float, float], decimals: int
) -> tuple[Band, ...]:
    raw = data.get("bands", [])
    if not isinstance(raw, list):
        raise ContentError(path, "bands", f"must be list, not {type(raw).__name__}")
    step = 10.0**-decimals
    bands: list[Band] = []
    for index, entry in enumerate(raw):
        where = f"bands[{index}]"
        _known(entry, "band", path, where)
        low, high = _number(entry, "low", path, where), _number(entry, "high", path, where)
        label = require(entry, "label", str, path, where=where)
        if high < low:
            raise ContentError(path, f"{where}.high", f"must not be below its low ({low:g})")
        if index == 0 and abs(low - total_range[0]) > EPSILON:
            raise ContentError(
                path, f"{where}.low", f"must start at the lowest total ({total_range[0]:g})"
            )
        if bands:
            before = bands[-1].high
            if not before + EPSILON < low <= before + step + EPSILON:
                raise ContentError(
                    path,
                    f"{where}.low",
                    f"must follow the band before (ending at {before:g}) without a gap or an "
                    f"overlap: {before + step:g}",
                )
        bands.append(Band(low=low, high=high, label=label))
    if bands and abs(bands[-1].high - total_range[1]) > EPSILON:
        raise ContentError(
            path,
            f"bands[{len(bands) - 1}].high",
            f"must end at the highest total ({total_range[1]:g})",
        )
    return tuple(bands)


def _reliability(data: dict[str, Any], path: Path) -> Reliability | None:
    raw = data.get("reliability")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ContentError(path, "reliability", "must be an object (sd, r, source) or null")
    _known(raw, "reliability", path, "reliability")
    sd = _number(raw, "sd", path, "reliability")
    r = _number(raw, "r", path, "reliability")
    if sd <= 0:
        raise ContentError(path, "reliability.sd", "must be above 0")
    if not 0 <= r < 1:
        raise ContentError(path, "reliability.r", "must be at least 0 and below 1")
    source = require(raw, "source", str, path, where="reliability")
    return Reliability(sd=sd, r=r, source=source)


def _no_total_fields(data: dict[str, Any], path: Path) -> None:
    for field in ("total_range", "cutoff", "reliability", "reliable_change_points"):
        if data.get(field) is not None:
            raise ContentError(path, field, "must be left out: this instrument has no total")
    if data.get("bands"):
        raise ContentError(path, "bands", "must be left out: this instrument has no total")


def parse_instrument(data: Any, path: Path) -> Instrument:
    """Validate one instrument file's data and build the instrument."""
    _known(data, "instrument", path, "")
    key = require(data, "key", str, path)
    if not KEY.match(key):
        raise ContentError(path, "key", "use lower-case words joined by hyphens")
    version = require(data, "version", str, path)
    if not VERSION.match(version):
        raise ContentError(path, "version", 'use whole numbers joined by dots ("1", "1.2")')
    scoring = require(data, "scoring", str, path)
    if scoring not in SCORING:
        raise ContentError(path, "scoring", f"must be one of {', '.join(SCORING)}")
    decimals = _optional(data, "decimals", int, path, "")
    decimals = 0 if decimals is None else decimals
    if not 0 <= decimals <= MAX_DECIMALS:
        raise ContentError(path, "decimals", f"must be between 0 and {MAX_DECIMALS}")
    items = _items(data, path)
    subscales = _subscales(data, path, items, scoring)
    has_total = _flag(data, "total", path, "", default=True)
    expected = _expected_range(items, subscales, scoring)
    cutoff: float | None = None
    if has_total:
        raw_range = require(data, "total_range", list, path)
        if len(raw_range) != 2 or not all(
            isinstance(v, _NUMBER) and not isinstance(v, bool) for v in raw_range
        ):
            raise ContentError(path, "total_range", "must be two numbers: [lowest, highest]")
        total_range = (float(raw_range[0]), float(raw_range[1]))
        if any(abs(a - b) > EPSILON for a, b in zip(total_range, expected, strict=True)):
            raise ContentError(
                path,
                "total_range",
                f"is {total_range[0]:g}-{total_range[1]:g} but the items give "
                f"{expected[0]:g}-{expected[1]:g}",
            )
        bands = _bands(data, path, total_range, decimals)
        raw_cutoff = _optional(data, "cutoff", _NUMBER, path, "")
        if raw_cutoff is not None:
            cutoff = float(raw_cutoff)
            if not total_range[0] < cutoff <= total_range[1]:
                raise ContentError(
                    path,
                    "cutoff",
                    f"must lie inside the total range {total_range[0]:g}-{total_range[1]:g}",
                )
        reliability = _reliability(data, path)
        points = _optional(data, "reliable_change_points", _NUMBER, path, "")
        if points is not None and points <= 0:
            raise ContentError(path, "reliable_change_points", "must be above 0")
    else:
        _no_total_fields(data, path)
        if not subscales:
            raise ContentError(path, "subscales", "an instrument without a total needs subscales")
        total_range = (min(s.low for s in subscales), max(s.high for s in subscales))
        bands, reliability, points = (), None, None
    cutoff_label = _optional(data, "cutoff_label", str, path, "") or ""
    if cutoff is not None and not cutoff_label:
        raise ContentError(path, "cutoff_label", "is missing (say what the cut-off means)")
    missing = require(data, "missing", str, path)
    if missing not in MISSING:
        raise ContentError(path, "missing", f"must be one of {', '.join(MISSING)}")
    max_missing = _optional(data, "max_missing", int, path, "")
    if missing == "prorate":
        if max_missing is None:
            raise ContentError(path, "max_missing", "is missing (needed to prorate)")
        if not 1 <= max_missing < len(items):
            raise ContentError(
                path, "max_missing", f"must be between 1 and {len(items) - 1} (fewer than all)"
            )
    elif max_missing:
        raise ContentError(path, "max_missing", 'must be 0 or left out with "withhold"')
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return Instrument(
        key=key,
        version=version,
        title=require(data, "title", str, path),
        short_title=require(data, "short_title", str, path),
        instructions=require(data, "instructions", str, path),
        recall=require(data, "recall", str, path),
        items=items,
        subscales=subscales,
        scoring=scoring,
        total_range=total_range,
        higher_is_better=require(data, "higher_is_better", bool, path),
        bands=bands,
        cutoff=cutoff,
        cutoff_label=cutoff_label,
        reliability=reliability,
        reliable_change_points=None if points is None else float(points),
        missing=missing,
        max_missing=max_missing or 0,
        private_safety=require(data, "private_safety", bool, path),
        licence=require(data, "licence", str, path),
        source=require(data, "source", str, path),
        sha256=hashlib.sha256(canonical).hexdigest(),
        has_total=has_total,
        decimals=decimals,
    )


def instrument_dirs() -> list[Path]:
    """The built-in directory, then the deployment's, in the order the setting gives."""
    extra = [Path(p) for p in getattr(settings, "TWOFOLD_INSTRUMENT_DIRS", [])]
    return [BUILTIN_DIR, *extra]


@cache
def instruments() -> dict[str, Instrument]:
    """Every loaded instrument by key: the built-in directory, then each directory in
    ``TWOFOLD_INSTRUMENT_DIRS`` in order. A file with a key already loaded replaces
    that instrument only with a higher version; an equal or lower one is a ContentError,
    as is any broken file or a missing directory. Cached; see ``reload``."""
    found: dict[str, Instrument] = {}
    where: dict[str, Path] = {}
    for directory in instrument_dirs():
        if not directory.is_dir():
            raise ContentError(directory, "(directory)", "is not a directory")
        for path in sorted(directory.glob("*.json")):
            loaded = parse_instrument(read_json(path), path)
            earlier = found.get(loaded.key)
            if earlier is not None and version_key(loaded.version) <= version_key(earlier.version):
                raise ContentError(
                    path,
                    "version",
                    f"{loaded.key!r} is already loaded at version {earlier.version} from "
                    f"{where[loaded.key]}; a replacement needs a higher version",
                )
            found[loaded.key] = loaded
            where[loaded.key] = path
    return found


def instrument(key: str) -> Instrument:
    """The instrument with ``key``; KeyError if there is none."""
    return instruments()[key]


def reload() -> None:
    """Forget the cached instruments (tests, settings changes, the content check)."""
    instruments.cache_clear()


@receiver(setting_changed, dispatch_uid="outcomes-instrument-dirs")
def on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    """Reload when ``TWOFOLD_INSTRUMENT_DIRS`` changes (tests' settings overrides)."""
    if setting == "TWOFOLD_INSTRUMENT_DIRS":
        reload()
