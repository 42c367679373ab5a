"""Twofold's date formats, one set per language (Django's FORMAT_MODULE_PATH).

Every page and e-mail shows a day the same way: templates use the named formats
(``DATE_FORMAT``, ``DATETIME_FORMAT``, ``MONTH_DAY_FORMAT``), never a pattern of their
own; ``tests/test_date_formats.py`` holds them to it. A new language adds its own module
here, written the way that language writes dates.
"""
