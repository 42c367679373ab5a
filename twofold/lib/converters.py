"""Path converters shared by the apps' URL confs.

Importing this module registers them: ``<date:name>`` in any URL conf that imports it.
"""

from __future__ import annotations

from datetime import date

from django.urls import register_converter

# The days a URL may name. Anything outside (year 1, 9999-12-31, …) is not found rather
# than an overflow deep inside date arithmetic.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


class IsoDateConverter:
    """A day as ``YYYY-MM-DD``, between FIRST_DAY and LAST_DAY, given to views as a date.

    An impossible day (2026-02-30) or one out of range raises ValueError, which Django
    answers with 404.
    """

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        day = date.fromisoformat(value)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(f"{value} is outside the days a URL may name")
        return day

    def to_url(self, value: date | str) -> str:
        day = value if isinstance(value, date) else date.fromisoformat(value)
        return day.isoformat()


register_converter(IsoDateConverter, "date")
