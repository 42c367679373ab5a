"""The sign-up form: the same answer, in the same time, whether or not the address is taken.

With ``ACCOUNT_PREVENT_ENUMERATION`` allauth already gives the same page in both cases (an
address that has an account gets an "you already have an account" e-mail instead of a
code). But creating an account hashes the password, which is by far the slowest step, and
the "already exists" path skipped it, so the response time told the two cases apart. This
form hashes the password in that path too. ``bench/signup_timing.py`` measures the two.

Kept apart from :mod:`twofold.accounts.forms` because allauth's form module imports that one
(``ACCOUNT_SIGNUP_FORM_CLASS``) while it loads.
"""

from __future__ import annotations

from typing import Any, ClassVar

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.utils.functional import Promise

from twofold.accounts.allauth_forms import EMAIL, TwofoldWords


class SignupForm(TwofoldWords, AllauthSignupForm):
    labels: ClassVar[dict[str, Promise]] = {"email": EMAIL}

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        if self.account_already_exists:
            # The same work a new account's set_password() does; the result is thrown away.
            make_password(self.cleaned_data.get("password1") or None)
        return super().try_save(request)
