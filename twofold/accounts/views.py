from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from twofold.accounts.forms import PreferencesForm
from twofold.accounts.http import AuthenticatedHttpRequest
from twofold.accounts.models import User
from twofold.lib.audit import display_name_changed


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
