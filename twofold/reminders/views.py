from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.accounts.privacy_lock import safe_next
from twofold.couples.access import partner_page
from twofold.couples.models import Couple
from twofold.lib.errors import ActionError
from twofold.reminders import actions

NOT_OPEN = "reminders/not_open.html"


@require_POST
@partner_page(not_open=NOT_OPEN)
def nudge(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    """Send the partner a gentle nudge, then go back to the page it was sent from."""
    back = safe_next(request.POST.get("next") or reverse("checkin_home"))
    try:
        sent = actions.nudge_partner(couple, acting_user=request.user)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect(back)
    if sent:
        messages.success(
            request,
            _(
                "We've sent your partner a gentle nudge. It only says that something is "
                "waiting for them in Twofold."
            ),
        )
    else:
        messages.info(
            request,
            _("You've already sent your partner a nudge today. You can send another tomorrow."),
        )
    return redirect(back)
