"""The front door: one home page that fits who you are, safety, and a health check."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from twofold.couples.access import get_own_couple
from twofold.couples.roles import roles_for
from twofold.couples.views import partner_home


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "front/landing.html")
    roles = roles_for(request.user)
    couple = get_own_couple(request)
    if couple is not None:
        return partner_home(request, couple)
    if roles.is_clinician:
        return redirect("care_caseload")
    if roles.is_clinic_admin:
        return redirect("clinic_home")
    return render(request, "front/welcome.html")


@cache
def _load_resources(path: str) -> list[dict[str, Any]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: must be a list of resources")
    return data


@login_not_required
@require_GET
def safety(request: HttpRequest) -> HttpResponse:
    resources = _load_resources(settings.TWOFOLD_SAFETY_RESOURCES_FILE)
    return render(request, "front/safety.html", {"resources": resources})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
