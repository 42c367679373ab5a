"""The front door: one home page that fits who you are, safety, a health check, and what a
home screen needs (manifest, service worker, offline page)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from twofold.accounts.adapter import PREVIOUS_SIGN_IN
from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.couples.access import get_own_couple, partner_page
from twofold.couples.actions import waiting_invitations_for
from twofold.couples.models import Couple
from twofold.couples.roles import roles_for
from twofold.couples.views import partner_home
from twofold.front import installable, next_step
from twofold.lib.safety_resources import grouped_resources
from twofold.reminders.changes import changes_since


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "front/landing.html")
    roles = roles_for(request.user)
    couple = get_own_couple(request)
    if couple is not None:
        # Signed in (checked above) and holding a seat: the partner's home.
        return partner_home(
            cast(AuthenticatedHttpRequest, request), couple, changes=_changes(request, couple)
        )
    if roles.is_clinician:
        return redirect("care_caseload")
    if roles.is_clinic_admin:
        return redirect("clinic_home")
    # Invited already? Then joining is offered before starting a second, empty couple.
    invitations = waiting_invitations_for(request.user)
    return render(request, "front/welcome.html", {"invitations": invitations})


@require_GET
@partner_page()
def next_step_view(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    """Straight on to where the viewer's next step is taken (after consent, for one)."""
    step = next_step.next_step(next_step.facts_for(couple, request.user))
    return redirect(next_step.url_for(step))


def _changes(request: HttpRequest, couple: Any) -> list[Any]:
    """What changed for this person since they last signed in (nothing the first time)."""
    previous = request.session.get(PREVIOUS_SIGN_IN)
    if not previous or not couple.is_active:
        return []
    try:
        since = datetime.fromisoformat(previous)
    except ValueError:
        return []
    return changes_since(request.user, couple, since)


@login_not_required
@require_GET
def safety(request: HttpRequest) -> HttpResponse:
    groups = grouped_resources(settings.TWOFOLD_SAFETY_RESOURCES_FILE)
    return render(request, "front/safety.html", {"resource_groups": groups})


@login_not_required
@require_GET
def web_manifest(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        installable.manifest(),
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """At the site root, so its scope is the whole site; never cached by the browser (the
    middleware's no-cache), so a deploy's new worker is found on the next visit."""
    return HttpResponse(
        installable.service_worker_source(), content_type="text/javascript; charset=utf-8"
    )


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker keeps for when there is no network: the same for
    everyone, signed in or not (no request context, so no sign-in state or token)."""
    return HttpResponse(installable.render_offline_page())


@login_not_required
@csrf_exempt  # checked below: a stale token must never stop someone from leaving
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Leave for TWOFOLD_QUICK_EXIT_URL, ending the session on the way.

    Every page's script posts here as a beacon while the tab switches to the everyday
    site (``app.js``); a GET, the link opened some other way, only redirects, because a
    GET never writes. The session ends only for a POST that passes the CSRF check (so no
    other site can sign anyone out) and while TWOFOLD_QUICK_EXIT_SIGNS_OUT is on; either
    way the answer sends the person on.
    """
    if request.method == "POST":
        if settings.TWOFOLD_QUICK_EXIT_SIGNS_OUT and _passes_csrf_check(request):
            logout(request)  # also flushes the session
        if request.POST.get("leaving") == "beacon":
            return HttpResponse(status=204)  # nobody reads a beacon's answer
    return HttpResponseRedirect(settings.TWOFOLD_QUICK_EXIT_URL)


def _passes_csrf_check(request: HttpRequest) -> bool:
    check = CsrfViewMiddleware(lambda _request: HttpResponse())
    return check.process_view(request, lambda _request: HttpResponse(), (), {}) is None


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
