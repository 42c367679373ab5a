"""Partner-facing pages: home, starting a couple, invitations and consent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.couples import actions, consent_texts
from twofold.couples.access import (
    get_invitation_for_user,
    get_own_couple,
    get_own_couple_or_404,
    partner_page,
)
from twofold.couples.forms import ConsentForm, InvitePartnerForm
from twofold.couples.models import Consent, Couple, Invitation
from twofold.couples.visibility import care_team_couple_ids
from twofold.lib.errors import ActionError

INVITATION_PROBLEMS = {
    "not_found": _("We couldn't find this invitation. Please check you used the whole link."),
    "used": _("This invitation has already been used. If that was you, just sign in."),
    "revoked": _("This invitation was withdrawn by the person who sent it."),
    "expired": _(
        "This invitation has expired. Please ask the person who invited you to send a new one."
    ),
    "wrong_account": _(
        "This invitation was sent to a different e-mail address than the one you're signed "
        "in with. Please sign out, then open the link again and sign in with the address "
        "the invitation was sent to."
    ),
    "already_partner": _(
        "You're already part of a couple on Twofold, so you can't join another one."
    ),
    "full": _("Both places in this couple are already taken."),
    "closed": _(
        "Someone has left this couple, so it can't take anyone new. If you'd like to use "
        "Twofold together, one of you can start afresh and invite the other."
    ),
}


def partner_home(
    request: AuthenticatedHttpRequest,
    couple: Couple,
    invite_form: InvitePartnerForm | None = None,
    fresh_link: str | None = None,
    changes: Sequence[Any] = (),
) -> HttpResponse:
    """The partner's home. ``fresh_link``: an invitation link just made, shown this once
    (only its hash is stored, so no later page can show it again)."""
    user = request.user
    partner = couple.partner_of(user)
    pending = [i for i in couple.pending() if i.role == Invitation.Role.PARTNER]
    context = {
        "couple": couple,
        "partner": partner,
        "pending_invitations": pending,
        "invite_form": invite_form or InvitePartnerForm(),
        "my_participation": couple.has_consent(user, Consent.Kind.PARTICIPATION),
        "partner_participation": partner is not None
        and couple.has_consent(partner.user, Consent.Kind.PARTICIPATION),
        "my_care": couple.has_consent(user, Consent.Kind.CARE),
        "fresh_link": fresh_link,
        # What changed since the person last signed in (worked out by the home page).
        "changes": changes,
    }
    status = 400 if invite_form is not None and invite_form.errors else 200
    return render(request, "couples/partner_home.html", context, status=status)


@require_POST
def couple_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        actions.start_couple(
            acting_user=request.user, even_if_invited=request.POST.get("on_my_own") == "yes"
        )
    except ActionError as exc:
        if exc.code == "invited":
            messages.info(request, exc.message)
        else:
            messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Welcome. Your space is ready. When you feel ready, invite your partner.")
        )
    return redirect("home")


@require_POST
@partner_page()
def partner_invite(request: AuthenticatedHttpRequest, couple: Couple) -> HttpResponse:
    form = InvitePartnerForm(request.POST)
    if form.is_valid():
        try:
            _invitation, link = actions.invite_partner_with_link(
                couple,
                form.cleaned_data["email"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ActionError as exc:
            form.add_error("note" if exc.code == "too_long" else "email", exc.message)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            # Shown here rather than after a redirect: the link holds the token, which is
            # not kept anywhere, not even in the session.
            return partner_home(request, get_own_couple_or_404(request), fresh_link=link)
    return partner_home(request, couple, invite_form=form)


@require_POST
@partner_page()
def invitation_new_link(
    request: AuthenticatedHttpRequest, couple: Couple, invitation_id: Any
) -> HttpResponse:
    invitation = get_invitation_for_user(request, invitation_id)
    if invitation.couple_id != couple.pk:
        raise Http404
    try:
        _renewed, link = actions.renew_invitation_link(invitation, acting_user=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("home")
    messages.success(request, _("Here is a new link. The one sent before no longer works."))
    return partner_home(request, get_own_couple_or_404(request), fresh_link=link)


@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, invitation_id: Any) -> HttpResponse:
    invitation = get_invitation_for_user(request, invitation_id)
    own = get_own_couple(request)
    # Care staff withdraw invitations from the couple's care page instead.
    on_caseload = care_team_couple_ids(request.user).filter(couple_id=invitation.couple_id)
    if (own is None or invitation.couple_id != own.pk) and not on_caseload.exists():
        raise Http404
    try:
        actions.revoke_invitation(invitation, acting_user=request.user, audit=request.audit)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation was withdrawn. The link no longer works."))
    if own is not None and invitation.couple_id == own.pk:
        return redirect("home")
    return redirect("care_couple_detail", couple_id=invitation.couple_id)


@login_not_required
@require_GET
def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    invitation = actions.find_invitation(token)
    user = request.user if request.user.is_authenticated else None
    problem = actions.invitation_problem(invitation, user)
    context: dict[str, Any] = {
        "invitation": invitation if problem in (None, "wrong_account") else None,
        "problem": INVITATION_PROBLEMS.get(problem or ""),
        "problem_code": problem,
        "token": token,
        # The inviter's few words are for the person invited: shown only while the
        # invitation can be accepted, and only here (never in the e-mail).
        "note": invitation.note if invitation is not None and problem is None else "",
    }
    if invitation is not None and problem is None and user is None:
        # Whoever holds the link from the e-mail owns that address: signing up with it
        # needs no second confirmation e-mail.
        get_adapter(request).stash_verified_email(request, invitation.email)
        here = reverse("invitation_detail", args=[token])
        context["signup_url"] = (
            reverse("account_signup") + "?" + urlencode({"email": invitation.email, "next": here})
        )
        context["login_url"] = reverse("account_login") + "?" + urlencode({"next": here})
    status = 200 if problem in (None, "wrong_account", "used") else 410
    if problem == "not_found":
        status = 404
    return render(request, "couples/invitation.html", context, status=status)


@require_POST
def invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    try:
        invitation = actions.accept_invitation(token, acting_user=request.user)
    except ActionError as exc:
        messages.error(request, INVITATION_PROBLEMS.get(exc.code, exc.message))
        return redirect("invitation_detail", token=token)
    return _joined(request, invitation)


@require_POST
def invitation_accept_waiting(
    request: AuthenticatedHttpRequest, invitation_id: Any
) -> HttpResponse:
    """Join a partner from the start page, by an invitation to one's confirmed address."""
    try:
        invitation = actions.accept_waiting_invitation(invitation_id, acting_user=request.user)
    except ActionError as exc:
        if exc.code in ("not_found", "wrong_account"):
            raise Http404 from None
        messages.error(request, INVITATION_PROBLEMS.get(exc.code, exc.message))
        return redirect("home")
    return _joined(request, invitation)


def _joined(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if invitation.role == Invitation.Role.PARTNER:
        messages.success(request, _("You've joined. Welcome to Twofold."))
        # Straight on to what taking part means: nothing is shared before that.
        return redirect("consent_give", kind=Consent.Kind.PARTICIPATION)
    messages.success(request, _("You've joined the clinic on Twofold."))
    return redirect("home")


@require_http_methods(["GET", "POST"])
@partner_page()
def consent_give(request: AuthenticatedHttpRequest, couple: Couple, kind: str) -> HttpResponse:
    if kind == Consent.Kind.CARE and not couple.is_guided:
        raise Http404
    text = consent_texts.current(kind)
    already = couple.has_consent(request.user, kind)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not already and form.is_valid():
        actions.give_consent(couple, kind, acting_user=request.user)
        messages.success(request, _("Thank you. Your consent is recorded."))
        if (
            kind == Consent.Kind.PARTICIPATION
            and couple.is_guided
            and not couple.has_consent(request.user, Consent.Kind.CARE)
        ):
            # With a care team, the one other choice to make comes next (it is optional).
            return redirect("consent_give", kind=Consent.Kind.CARE)
        return redirect("next_step")
    return render(
        request,
        "couples/consent.html",
        {"couple": couple, "text": text, "form": form, "kind": kind, "already": already},
        status=400 if form.errors else 200,
    )


# Outsiders get 404 from the gate before anyone is asked to confirm their password.
@require_POST
@partner_page()
@reauthentication_required
def consent_withdraw(request: AuthenticatedHttpRequest, couple: Couple, kind: str) -> HttpResponse:
    try:
        actions.withdraw_consent(couple, kind, acting_user=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        if kind == Consent.Kind.CARE:
            messages.success(
                request,
                _("Done. From now on your care team no longer sees your information."),
            )
        else:
            messages.success(
                request, _("Done. Your consent is withdrawn. Nothing has been deleted.")
            )
    return redirect("home")
