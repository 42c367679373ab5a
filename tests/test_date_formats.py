"""One way of writing a day everywhere: pages and e-mails use the named formats only."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from django.utils import formats, translation

import twofold

ROOT = Path(twofold.__file__).resolve().parent
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT", "l"}  # "l": a weekday's name
MACHINE = {"Y-m-d", "c"}  # for datetime attributes and links, never read by people
DATE_FILTER = re.compile(r"""\|date:(?:"([^"]*)"|'([^']*)')""")


def test_templates_use_only_the_named_date_formats():
    odd = []
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        for double, single in DATE_FILTER.findall(path.read_text()):
            pattern = double or single
            if pattern not in NAMED | MACHINE:
                odd.append(f"{path.relative_to(ROOT)}: {pattern!r}")
    assert not odd, "use DATE_FORMAT, DATETIME_FORMAT or MONTH_DAY_FORMAT:\n" + "\n".join(odd)


def test_python_code_formats_days_with_the_named_formats_too():
    odd = []
    for path in sorted(ROOT.rglob("*.py")):
        for call in re.findall(r"date_format\([^)]*\)", path.read_text()):
            if not re.search(r'"(DATE_FORMAT|DATETIME_FORMAT|MONTH_DAY_FORMAT)"', call):
                odd.append(f"{path.relative_to(ROOT)}: {call}")
    assert not odd, "\n".join(odd)


def test_english_writes_a_day_one_way():
    with translation.override("en"):
        assert formats.date_format(date(2026, 12, 4)) == "4 Dec 2026"
        assert formats.date_format(date(2026, 12, 4), "MONTH_DAY_FORMAT") == "4 Dec"
        when = datetime(2026, 12, 4, 14, 30, tzinfo=UTC)
        assert formats.date_format(when, "DATETIME_FORMAT") == "4 Dec 2026, 14:30"
