"""Start-up checks for what a deployment configures in files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from twofold.lib.safety_resources import load_resources


@checks.register()
def safety_resources_file(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A broken safety resources file is found before anyone needs the page."""
    try:
        load_resources(settings.TWOFOLD_SAFETY_RESOURCES_FILE)
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="twofold.E010")]
    return []
