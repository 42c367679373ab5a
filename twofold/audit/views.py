from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from twofold.audit.models import AccessEvent
from twofold.couples.roles import roles_for


@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """ "Who has viewed my data": every read or change by someone outside the couple."""
    if not roles_for(request.user).is_partner:
        raise Http404
    events = AccessEvent.objects.about(request.user).select_related("clinic")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/access_log.html", {"page": page})
