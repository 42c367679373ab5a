"""Instrument definitions: the shipped set, the file format's validation, deployment dirs."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from twofold.checkins.models import SAFETY_ITEM, SCORED_ITEMS
from twofold.lib.content import ContentError
from twofold.outcomes import instruments
from twofold.outcomes.instruments import Instrument, parse_instrument

DATA = Path(__file__).resolve().parent / "data" / "instruments"
SHIPPED = {"csi-4", "phq-4", "phq-9", "gad-7", "pss-4", "pss-10", "hark", "twofold-checkin"}


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    instruments.reload()
    yield
    instruments.reload()


def _base() -> dict[str, Any]:
    """A small valid instrument: three 0-3 items, one reversed, one subscale."""
    return {
        "key": "mini",
        "version": "1",
        "title": "Mini",
        "short_title": "Mini",
        "instructions": "Answer each.",
        "recall": "the last week",
        "licence": "Test",
        "source": "Test",
        "scoring": "sum",
        "total_range": [0, 9],
        "higher_is_better": False,
        "bands": [
            {"low": 0, "high": 3, "label": "Low"},
            {"low": 4, "high": 9, "label": "High"},
        ],
        "cutoff": 4,
        "cutoff_label": "4 or more",
        "reliability": {"sd": 2, "r": 0.8, "source": "Test"},
        "reliable_change_points": None,
        "missing": "prorate",
        "max_missing": 1,
        "private_safety": False,
        "options": [{"label": str(n), "score": n} for n in range(4)],
        "items": [
            {"key": "a", "text": "A"},
            {"key": "b", "text": "B", "reverse": True},
            {"key": "c", "text": "C", "critical_when": 2},
        ],
        "subscales": [{"key": "ab", "label": "A and B", "items": ["a", "b"], "cutoff": 3}],
    }


def _parse(data: Any) -> Instrument:
    return parse_instrument(data, Path("mini.json"))


def test_the_base_used_below_is_valid() -> None:
    mini = _parse(_base())
    assert mini.total_range == (0, 9) and mini.item("b").reverse
    assert mini.subscales[0].low == 0 and mini.subscales[0].high == 6
    assert [o.value for o in mini.items[0].options] == ["0", "1", "2", "3"]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set (or with ``...`` delete) the field at a dotted path like "items.0.key"."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        key: Any = int(last) if last.isdigit() else last
        if value is ...:
            del target[key]
        else:
            target[key] = value

    return change


def _both(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for one in changes:
            one(data)

    return change


INVALID = [
    # (change, field path in the error, words in the reason)
    (_set("key", "Mini Scale"), "key", "lower-case"),
    (_set("key", ...), "key", "is missing"),
    (_set("version", "v1"), "version", "whole numbers"),
    (_set("version", 1), "version", "must be str"),
    (_set("title", ""), "title", "must not be empty"),
    (_set("short_title", ...), "short_title", "is missing"),
    (_set("instructions", ...), "instructions", "is missing"),
    (_set("recall", ...), "recall", "is missing"),
    (_set("licence", ...), "licence", "is missing"),
    (_set("source", ""), "source", "must not be empty"),
    (_set("scoring", "mean"), "scoring", "must be one of"),
    (_set("surprise", 1), "surprise", "not a known field"),
    (_set("items", []), "items", "must not be empty"),
    (_set("items.0.key", "A"), "items[0].key", "lower-case"),
    (_set("items.1.key", "a"), "items[1].key", "used by another item"),
    (_set("items.0.text", ...), "items[0].text", "is missing"),
    (_set("items.1.revers", True), "items[1].revers", "not a known field"),
    (_set("items.1.reverse", "yes"), "items[1].reverse", "must be bool"),
    (_set("items.2.critical_when", 0), "items[2].critical_when", "above the lowest"),
    (_set("items.2.critical_when", 4), "items[2].critical_when", "at most the highest"),
    (_set("items.2.critical_when", True), "items[2].critical_when", "must be int"),
    (_set("options", ...), "items[0].options", "no shared options"),
    (_set("options", [{"label": "only", "score": 0}]), "options", "at least 2"),
    (_set("options.1.score", 0), "options[1].score", "score of another option"),
    (_set("options.1.score", True), "options[1].score", "must be int"),
    (_set("options.1.score", 1.5), "options[1].score", "must be int"),
    (_set("options.1.value", "0"), "options[1].value", "value of another option"),
    (_set("options.1.label", ...), "options[1].label", "is missing"),
    (
        _set("items.0.options", [{"score": 0}, {"score": 1, "label": "1"}]),
        "items[0].options[0].label",
        "is missing",
    ),
    (_set("subscales", {}), "subscales", "must be list"),
    (_set("subscales.0.items", ["a", "z"]), "subscales[0].items[1]", "not an item"),
    (_set("subscales.0.items", ["a", "a"]), "subscales[0].items[1]", "listed twice"),
    (_set("subscales.0.items", []), "subscales[0].items", "must not be empty"),
    (_set("subscales.0.weight", 0), "subscales[0].weight", "above 0"),
    (_set("subscales.0.min_items", 3), "subscales[0].min_items", "between 1 and 2"),
    (_set("subscales.0.cutoff", 7), "subscales[0].cutoff", "inside the subscale's range 0-6"),
    (_set("subscales.0.label", ...), "subscales[0].label", "is missing"),
    (_set("subscales.0.key", "a b"), "subscales[0].key", "lower-case"),
    (_set("scoring", "domains"), "items[2]", "exactly one domain, not 0"),
    (_set("total_range", [0, 10]), "total_range", "is 0-10 but the items give 0-9"),
    (_set("total_range", [0]), "total_range", "two numbers"),
    (_set("total_range", ...), "total_range", "is missing"),
    (_set("bands.0.low", 1), "bands[0].low", "start at the lowest total (0)"),
    (_set("bands.1.low", 5), "bands[1].low", "without a gap or an overlap: 4"),
    (_set("bands.1.low", 3), "bands[1].low", "without a gap or an overlap"),
    (_set("bands.1.high", 8), "bands[1].high", "end at the highest total (9)"),
    (_set("bands.0.high", -1), "bands[0].high", "must not be below its low"),
    (_set("bands.0.label", ...), "bands[0].label", "is missing"),
    (_set("bands.0.colour", "red"), "bands[0].colour", "not a known field"),
    (_set("cutoff", 10), "cutoff", "inside the total range 0-9"),
    (_set("cutoff", 0), "cutoff", "inside the total range"),
    (_set("cutoff_label", ...), "cutoff_label", "say what the cut-off means"),
    (_set("higher_is_better", "no"), "higher_is_better", "must be bool"),
    (_set("reliability", 0.8), "reliability", "must be an object"),
    (_set("reliability.sd", 0), "reliability.sd", "above 0"),
    (_set("reliability.r", 1), "reliability.r", "below 1"),
    (_set("reliability.r", ...), "reliability.r", "is missing"),
    (_set("reliability.source", ...), "reliability.source", "is missing"),
    (_set("reliable_change_points", 0), "reliable_change_points", "above 0"),
    (_set("missing", "ignore"), "missing", "must be one of"),
    (_set("max_missing", ...), "max_missing", "needed to prorate"),
    (_set("max_missing", 3), "max_missing", "between 1 and 2"),
    (_set("missing", "withhold"), "max_missing", "left out"),
    (_set("private_safety", ...), "private_safety", "is missing"),
    (_set("decimals", 4), "decimals", "between 0 and 3"),
    (_set("total", False), "total_range", "no total"),
    (
        _both(
            _set("total", False),
            *(_set(f, ...) for f in ("total_range", "cutoff", "reliability", "subscales")),
            _set("bands", []),
        ),
        "subscales",
        "needs subscales",
    ),
]


@pytest.mark.parametrize(
    ("change", "field", "reason"), INVALID, ids=[f"{i}-{row[1]}" for i, row in enumerate(INVALID)]
)
def test_a_broken_file_fails_with_the_field_path_and_the_reason(
    change: Callable[[dict[str, Any]], None], field: str, reason: str
) -> None:
    data = _base()
    change(data)
    with pytest.raises(ContentError) as excinfo:
        _parse(data)
    assert excinfo.value.field == field, str(excinfo.value)
    assert reason in excinfo.value.reason, str(excinfo.value)
    assert str(excinfo.value).startswith(f"mini.json: {field}: ")


def test_a_top_level_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ContentError, match="must be an object"):
        _parse([])


def test_domain_ranges_are_weighted_sums_and_bands_follow_at_the_instruments_precision() -> None:
    data = _base()
    data["scoring"] = "domains"
    data["decimals"] = 1
    data["subscales"] = [
        {"key": "ab", "label": "AB", "items": ["a", "b"], "weight": 0.5},
        {"key": "c", "label": "C", "items": ["c"], "weight": 1.5},
    ]
    data["total_range"] = [0, 7.5]
    data["bands"] = [{"low": 0, "high": 3.9, "label": "Low"}, {"low": 4, "high": 7.5, "label": "H"}]
    mini = _parse(data)
    assert mini.total_range == (0, 7.5)
    assert [(s.low, s.high) for s in mini.subscales] == [(0, 3), (0, 4.5)]
    data["bands"][1]["low"] = 4.1
    with pytest.raises(ContentError) as excinfo:
        _parse(data)
    assert excinfo.value.field == "bands[1].low" and "gap" in excinfo.value.reason


def test_comments_are_allowed_anywhere() -> None:
    data = _base()
    data["_comment"] = "why"
    data["items"][0]["_comment"] = "why"
    data["subscales"][0]["_comment"] = "why"
    _parse(data)


def test_the_checksum_follows_the_content() -> None:
    first, second = _parse(_base()), _parse(_base())
    assert first.sha256 == second.sha256 and len(first.sha256) == 64
    changed = _base()
    changed["items"][0]["text"] = "A, reworded"
    assert _parse(changed).sha256 != first.sha256


# --- The shipped set ---------------------------------------------------------------------


def test_the_freely_licensed_set_is_shipped_each_with_its_licence_and_source() -> None:
    loaded = instruments.instruments()
    assert set(loaded) == SHIPPED
    for key, instrument in loaded.items():
        assert instrument.key == key and instrument.version == "1"
        assert instrument.licence.strip() and instrument.source.strip()
    phq = "No permission required to reproduce, translate, display or distribute."
    for key in ("phq-9", "phq-4", "gad-7"):
        assert loaded[key].licence.startswith(phq)
    assert "freely available for research and clinical use" in loaded["csi-4"].licence.lower()
    assert "non-commercial" in loaded["pss-10"].licence
    assert loaded["twofold-checkin"].licence == "Twofold's own, free to use"


def test_unknown_instruments_are_a_key_error() -> None:
    with pytest.raises(KeyError):
        instruments.instrument("fsfi")


@pytest.mark.parametrize(
    ("key", "items", "total_range", "higher_is_better"),
    [
        ("csi-4", 4, (0, 21), True),
        ("phq-4", 4, (0, 12), False),
        ("phq-9", 9, (0, 27), False),
        ("gad-7", 7, (0, 21), False),
        ("pss-4", 4, (0, 16), False),
        ("pss-10", 10, (0, 40), False),
        ("hark", 4, (0, 4), False),
    ],
)
def test_each_shipped_instrument_has_its_published_shape(
    key: str, items: int, total_range: tuple[int, int], higher_is_better: bool
) -> None:
    instrument = instruments.instrument(key)
    assert len(instrument.items) == items
    assert instrument.total_range == total_range
    assert instrument.higher_is_better is higher_is_better


def test_csi4_item_one_scores_zero_to_six_and_the_others_zero_to_five() -> None:
    csi = instruments.instrument("csi-4")
    assert [(i.min_score, i.max_score) for i in csi.items] == [(0, 6), (0, 5), (0, 5), (0, 5)]
    assert csi.items[0].options[-1].label == "Perfect"
    assert csi.cutoff == 13.5 and csi.higher_is_better


def test_the_published_bands_and_reliable_changes() -> None:
    def edges(key: str) -> list[tuple[float, float]]:
        return [(b.low, b.high) for b in instruments.instrument(key).bands]

    assert edges("phq-9") == [(0, 4), (5, 9), (10, 14), (15, 19), (20, 27)]
    assert edges("gad-7") == [(0, 4), (5, 9), (10, 14), (15, 21)]
    assert edges("phq-4") == [(0, 2), (3, 5), (6, 8), (9, 12)]
    assert edges("hark") == [(0, 0), (1, 4)]
    assert edges("pss-10") == [] and edges("pss-4") == []
    assert instruments.instrument("phq-9").reliable_change_points == 6
    assert instruments.instrument("gad-7").reliable_change_points == 4
    phq4 = instruments.instrument("phq-4")
    assert [(s.key, s.items, s.cutoff) for s in phq4.subscales] == [
        ("anxiety", ("nervous", "worrying"), 3),
        ("depression", ("down", "interest"), 3),
    ]


def test_reverse_scored_items_are_the_published_ones() -> None:
    def reversed_positions(key: str) -> list[int]:
        return [n for n, i in enumerate(instruments.instrument(key).items, 1) if i.reverse]

    assert reversed_positions("pss-10") == [4, 5, 7, 8]
    assert reversed_positions("pss-4") == [2, 3]
    for key in ("csi-4", "phq-4", "phq-9", "gad-7", "hark"):
        assert reversed_positions(key) == []


def test_critical_items_phq9_item_9_and_every_hark_yes() -> None:
    phq9 = instruments.instrument("phq-9")
    assert phq9.critical_items == ("self_harm",) and phq9.items[8].critical_when == 1
    assert phq9.items[8].text.startswith("Thoughts that you would be better off dead")
    hark = instruments.instrument("hark")
    assert hark.critical_items == ("humiliated", "afraid", "raped", "kicked")
    assert all(i.critical_when == 1 for i in hark.items)
    assert [o.label for o in hark.items[0].options] == ["No", "Yes"]
    for key in SHIPPED - {"phq-9", "hark"}:
        assert instruments.instrument(key).critical_items == ()


def test_only_hark_is_a_private_safety_screen() -> None:
    assert {k for k, i in instruments.instruments().items() if i.private_safety} == {"hark"}


def test_the_checkin_instrument_has_the_checkin_models_items_and_the_safety_item() -> None:
    checkin = instruments.instrument("twofold-checkin")
    expected = [i.key for i in SCORED_ITEMS] + [SAFETY_ITEM.key]
    assert list(checkin.item_keys) == expected
    assert SAFETY_ITEM.key == "felt_safe"
    assert [str(i.label) for i in SCORED_ITEMS] == [i.text for i in checkin.items[:-1]]
    assert not checkin.has_total and checkin.bands == () and checkin.reliability is None
    assert all((i.min_score, i.max_score) == (0, 10) for i in checkin.items)
    # One subscale per item, so each dimension is charted; stress counts reversed.
    assert [s.items for s in checkin.subscales] == [(k,) for k in expected]
    assert [i.key for i in checkin.items if i.reverse] == ["stress"]
    assert [i.key for i in checkin.items if i.private] == ["felt_safe"]
    assert [s.key for s in checkin.subscales if s.private] == ["felt_safe"]
    assert checkin.total_range == (0, 10)


# --- Deployment directories --------------------------------------------------------------


def test_a_clinic_adds_an_instrument_from_a_deployment_directory() -> None:
    assert "test-sexual-wellbeing" not in instruments.instruments()
    with override_settings(TWOFOLD_INSTRUMENT_DIRS=[str(DATA)]):
        tswi = instruments.instrument("test-sexual-wellbeing")
        assert tswi.scoring == "domains" and tswi.decimals == 1
        assert [(s.key, s.weight, s.min_items) for s in tswi.subscales] == [
            ("desire", 0.6, 1),
            ("arousal", 0.3, 2),
            ("satisfaction", 0.4, 2),
        ]
        assert tswi.total_range == (0, 16.5)
        assert set(instruments.instruments()) == SHIPPED | {"test-sexual-wellbeing"}
    assert "test-sexual-wellbeing" not in instruments.instruments()


def _write(directory: Path, name: str, data: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _builtin(key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (instruments.BUILTIN_DIR / f"{key}.json").read_text(encoding="utf-8")
    )
    return copy.deepcopy(data)


def test_a_higher_version_replaces_a_built_in_instrument(tmp_path: Path) -> None:
    data = _builtin("phq-9")
    data["version"] = "1.1"
    data["title"] = "PHQ-9 (clinic edition)"
    _write(tmp_path, "phq-9.json", data)
    with override_settings(TWOFOLD_INSTRUMENT_DIRS=[str(tmp_path)]):
        phq9 = instruments.instrument("phq-9")
        assert (phq9.version, phq9.title) == ("1.1", "PHQ-9 (clinic edition)")


@pytest.mark.parametrize("version", ["1", "0.9", "1.0"])
def test_an_equal_or_lower_version_of_a_built_in_key_fails(tmp_path: Path, version: str) -> None:
    data = _builtin("gad-7")
    data["version"] = version
    path = _write(tmp_path, "my-gad.json", data)
    with (
        override_settings(TWOFOLD_INSTRUMENT_DIRS=[str(tmp_path)]),
        pytest.raises(ContentError) as excinfo,
    ):
        instruments.instruments()
    assert excinfo.value.path == str(path) and excinfo.value.field == "version"
    assert "already loaded at version 1" in excinfo.value.reason
    assert "needs a higher version" in excinfo.value.reason


def test_versions_compare_as_numbers() -> None:
    assert instruments.version_key("1.10") > instruments.version_key("1.9")
    assert instruments.version_key("2") > instruments.version_key("1.99")
    assert instruments.version_key("1.0") == instruments.version_key("1")


def test_a_broken_deployment_file_names_the_file(tmp_path: Path) -> None:
    data = _base()
    del data["items"][0]["text"]
    path = _write(tmp_path, "mini.json", data)
    with (
        override_settings(TWOFOLD_INSTRUMENT_DIRS=[str(tmp_path)]),
        pytest.raises(ContentError) as excinfo,
    ):
        instruments.instruments()
    assert str(excinfo.value) == f"{path}: items[0].text: is missing"
    (tmp_path / "mini.json").write_text("{ not json", encoding="utf-8")
    instruments.reload()
    with (
        override_settings(TWOFOLD_INSTRUMENT_DIRS=[str(tmp_path)]),
        pytest.raises(ContentError, match="not valid JSON"),
    ):
        instruments.instruments()


def test_a_missing_deployment_directory_fails_loudly(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with (
        override_settings(TWOFOLD_INSTRUMENT_DIRS=[str(missing)]),
        pytest.raises(ContentError, match="is not a directory"),
    ):
        instruments.instruments()


def test_the_setting_is_read_from_the_environment() -> None:
    """End to end: a deployment names its folder in the environment, comma-separated."""
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; from twofold.outcomes.instruments import instrument; "
        "print(settings.TWOFOLD_INSTRUMENT_DIRS, instrument('test-sexual-wellbeing').title)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DJANGO_SETTINGS_MODULE="twofold.settings", TWOFOLD_INSTRUMENT_DIRS=f"{DATA}, ")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=DATA.parent.parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"[{str(DATA)!r}] Test Sexual Wellbeing Index"
