"""The gates of partner and care pages, and look-ups within what the viewer may see.

Every app's pages pass one of two gates:

* :func:`partner_page` — the viewer holds a seat in a couple. Anybody else gets 404.
  Until the couple is open (both joined, both agreed to take part) the page shows the
  app's own kind explanation instead of the view, unless the page says it works before.
* :func:`care_page` — the viewer is on the couple's care team (URL keyword
  ``couple_id``). Anybody else gets the same 404 as for a couple that does not exist. A
  page that is actually served to them is recorded as a read in the audit log; a 404
  (here or inside the view) records nothing, and writes record themselves in their action.

"Missing" and "not yours" get the same answer, so nobody learns that a record exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRefresh

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.couples.models import Couple, Invitation
from twofold.couples.roles import roles_for
from twofold.couples.visibility import care_team_couple_ids
from twofold.lib.audit import What

P = ParamSpec("P")
CoupleView = Callable[Concatenate[AuthenticatedHttpRequest, Couple, P], HttpResponse]
View = Callable[..., HttpResponse]

SAFE_METHODS = ("GET", "HEAD")


def get_own_couple(request: HttpRequest) -> Couple | None:
    """The couple the signed-in person is a partner in, with status prefetched."""
    partner = roles_for(request.user).partner
    if partner is None:
        return None
    return Couple.objects.with_status().select_related("clinic").get(pk=partner.couple_id)


def get_own_couple_or_404(request: HttpRequest) -> Couple:
    couple = get_own_couple(request)
    if couple is None:
        raise Http404
    return couple


def not_open_response(request: HttpRequest, template: str, couple: Couple) -> HttpResponse:
    """The app's kind "this opens when you have both joined and agreed" page.

    A fragment request can't hold a whole page, so htmx is asked to reload instead; a
    write that arrives before the couple is open is refused with the same page.
    """
    if getattr(request, "htmx", False):
        return HttpResponseClientRefresh()
    status = 200 if request.method in SAFE_METHODS else 400
    return render(request, template, {"couple": couple}, status=status)


def partner_page(
    not_open: str | None = None,
) -> Callable[[CoupleView[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """Gate a partner page; the view receives the viewer's couple after ``request``.

    ``not_open`` is the app's own template shown until the couple is open; ``None``
    means the page works for a partner whose couple is not open yet (home, consent,
    boundaries).
    """

    def decorator(
        view: CoupleView[P],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def gated(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            couple = get_own_couple_or_404(request)
            if not_open is not None and not couple.is_active:
                return not_open_response(request, not_open, couple)
            return view(_authenticated(request), couple, *args, **kwargs)

        return gated

    return decorator


def get_care_couple(user: Any, couple_id: Any) -> Couple:
    """A couple on ``user``'s caseload (as their clinician), or 404. Records nothing."""
    couple = (
        Couple.objects.filter(pk__in=care_team_couple_ids(user))
        .with_status()
        .select_related("clinic")
        .filter(pk=couple_id)
        .first()
    )
    if couple is None:
        raise Http404
    return couple


def care_page(
    what: What | None,
) -> Callable[[CoupleView[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """Gate a care-team page about one couple; a served GET is audited as a read of ``what``.

    A view that explains instead of showing anything (nothing is shared with the care
    team) marks its response ``shows_no_partner_data``: no read is recorded.

    ``None``: the page shows records of one partner or the other, so the view records its
    own reads, about each partner whose records it showed (``request.audit.read_each``),
    once it has found everything and is about to render.
    """

    def decorator(
        view: CoupleView[P],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def gated(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            couple_id = kwargs.pop("couple_id")
            authenticated = _authenticated(request)
            couple = get_care_couple(authenticated.user, couple_id)
            response = view(authenticated, couple, *args, **kwargs)
            shown = not getattr(response, "shows_no_partner_data", False)
            if (
                what is not None
                and shown
                and request.method in SAFE_METHODS
                and response.status_code < 400
            ):
                authenticated.audit.read(authenticated.user, couple, what)
            return response

        return gated

    return decorator


def get_invitation_for_user(request: HttpRequest, invitation_id: Any) -> Invitation:
    invitation = (
        Invitation.objects.visible_to(request.user)
        .select_related("couple")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def _authenticated(request: HttpRequest) -> AuthenticatedHttpRequest:
    # Both gates run behind LoginRequiredMiddleware and find a seat or a care assignment
    # for this user before calling the view, so the user is a signed-in account here.
    return request  # type: ignore[return-value]
