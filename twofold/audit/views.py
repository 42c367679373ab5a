from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.audit import display
from twofold.audit.models import AccessEvent
from twofold.couples.models import Partner
from twofold.couples.roles import roles_for

DAYS_PER_PAGE = 50


@require_GET
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Who has viewed my data": reads and changes by anyone outside the couple.

    Grouped per day (one line per person, per kind of data, per day, with a count) and
    limited to the time the viewer held their seat. Someone who has left their couple
    still sees what was looked at while they were in it. Network addresses and browsers
    of staff are for clinic admins, not shown here.
    """
    user = request.user
    if not roles_for(user).is_partner and not Partner.objects.filter(user=user).exists():
        raise Http404
    events = AccessEvent.objects.about(user)
    page = Paginator(display.by_day(events), DAYS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "lines": display.day_lines(list(page.object_list), user),
        "name_changes": display.name_changes_of_actors(events),
    }
    return render(request, "audit/access_log.html", context)
