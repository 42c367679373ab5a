from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from twofold.accounts import actions, privacy_lock
from twofold.accounts.forms import PasswordConfirmForm, PreferencesForm, PrivacyLockForm
from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.accounts.models import User
from twofold.accounts.privacy_lock import Locked
from twofold.lib.audit import display_name_changed
from twofold.lib.errors import ActionError
from twofold.lib.net import client_ip


@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    shown_as = str(user)  # validating the form already changes the instance
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if str(user) != shown_as:
            # The audit app keeps staff renames, so past reads stay attributable.
            display_name_changed.send(sender=User, user=user, old_name=shown_as)
        messages.success(request, _("Saved."))
        return redirect("preferences")
    return render(
        request, "accounts/preferences.html", {"form": form}, status=400 if form.errors else 200
    )


def _refusal_status(error: ActionError) -> int:
    return 429 if error.code == "too_many_attempts" else 400


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def privacy_lock_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn the privacy lock on or off; either way takes the password."""
    user = request.user
    form = PrivacyLockForm(
        request.POST if request.method == "POST" else None,
        initial={"turn": "off" if user.privacy_lock else "on"},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            on = form.cleaned_data["turn"] == "on"
            try:
                actions.set_privacy_lock(
                    on,
                    acting_user=user,
                    password=form.cleaned_data["password"],
                    ip=client_ip(request) or "",
                )
            except ActionError as exc:
                form.add_error("password", exc.message)
                status = _refusal_status(exc)
            else:
                # Either way the lock starts closed: turning it on shuts it straight away.
                privacy_lock.close_lock(request)
                messages.success(
                    request,
                    _(
                        "Your privacy lock is on. Your journal, boundaries and private "
                        "check-in answers will ask for your password before they open."
                    )
                    if on
                    else _("Your privacy lock is off."),
                )
                return redirect("privacy_lock")
    return render(
        request,
        "accounts/privacy_lock.html",
        {
            "form": form,
            "lock_on": user.privacy_lock,
            "open_now": user.privacy_lock and not privacy_lock.is_locked(request),
            "has_password": user.has_usable_password(),
            "minutes": privacy_lock.lock_minutes(),
        },
        status=status,
    )


@require_POST
def privacy_lock_close(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Lock again now, without waiting for the time to run out."""
    privacy_lock.close_lock(request)
    messages.success(request, _("Locked again. It will ask for your password next time."))
    return redirect("privacy_lock")


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def privacy_unlock(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open the privacy lock with the password, then go on to the page asked for.

    Guarded pages show the lock page themselves; its form is sent here, and this page shows
    it again after a wrong password. ``next`` must be a path on this site, else the person
    goes home; ``what`` (a :class:`Locked` value) only chooses the words of the reason.
    """
    source = request.POST if request.method == "POST" else request.GET
    next_url = privacy_lock.safe_next(source.get("next"))
    what = Locked(source["what"]) if source.get("what") in set(Locked) else None
    if not privacy_lock.is_locked(request):
        return redirect(next_url)
    if request.method != "POST":
        return privacy_lock.unlock_page(request, what=what, next_url=next_url)
    form = PasswordConfirmForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.confirm_password(
                form.cleaned_data["password"],
                acting_user=request.user,
                ip=client_ip(request) or "",
            )
        except ActionError as exc:
            form.add_error("password", exc.message)
            status = _refusal_status(exc)
        else:
            privacy_lock.open_lock(request)
            return redirect(next_url)
    return privacy_lock.unlock_page(request, what=what, next_url=next_url, form=form, status=status)
