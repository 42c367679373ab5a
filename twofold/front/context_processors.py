from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from twofold.couples.roles import roles_for


def twofold(request: HttpRequest) -> dict[str, Any]:
    return {
        "app_name": settings.TWOFOLD_APP_NAME,
        "quick_exit_url": settings.TWOFOLD_QUICK_EXIT_URL,
        "quick_exit_signs_out": settings.TWOFOLD_QUICK_EXIT_SIGNS_OUT,
        "roles": roles_for(getattr(request, "user", None)),
    }
