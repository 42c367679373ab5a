"""allauth's account forms, in Twofold's words.

The labels are plain and in sentence case ("E-mail address", "New password"), and no
field repeats its label as a placeholder: a placeholder vanishes as one types, and the
label is there already. Named in ``ACCOUNT_FORMS``; the sign-up form, which also levels
its timing, is :class:`twofold.accounts.signup.SignupForm`.

Kept apart from :mod:`twofold.accounts.forms`, which allauth's form module imports while
it loads (``ACCOUNT_SIGNUP_FORM_CLASS``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from allauth.account import forms as allauth
from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EMAIL = _("E-mail address")


class TwofoldWords(forms.BaseForm):
    """Relabel the fields named in ``labels``; drop every placeholder."""

    labels: ClassVar[dict[str, Promise]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.labels:
                field.label = str(self.labels[name])  # the form is made per request
            field.widget.attrs.pop("placeholder", None)


class LoginForm(TwofoldWords, allauth.LoginForm):
    labels: ClassVar[dict[str, Promise]] = {"login": EMAIL}


class ResetPasswordForm(TwofoldWords, allauth.ResetPasswordForm):
    labels: ClassVar[dict[str, Promise]] = {"email": EMAIL}


class AddEmailForm(TwofoldWords, allauth.AddEmailForm):
    labels: ClassVar[dict[str, Promise]] = {"email": _("Another e-mail address")}


class ChangePasswordForm(TwofoldWords, allauth.ChangePasswordForm):
    labels: ClassVar[dict[str, Promise]] = {
        "oldpassword": _("Your password now"),
        "password1": _("New password"),
        "password2": _("New password (again)"),
    }


class SetPasswordForm(TwofoldWords, allauth.SetPasswordForm):
    labels: ClassVar[dict[str, Promise]] = {
        "password1": _("Password"),
        "password2": _("Password (again)"),
    }


class ResetPasswordKeyForm(TwofoldWords, allauth.ResetPasswordKeyForm):
    labels: ClassVar[dict[str, Promise]] = {
        "password1": _("New password"),
        "password2": _("New password (again)"),
    }


class ReauthenticateForm(TwofoldWords, allauth.ReauthenticateForm):
    labels: ClassVar[dict[str, Promise]] = {"password": _("Your password")}
