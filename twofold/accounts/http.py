"""The request type of pages behind sign-in.

``LoginRequiredMiddleware`` and the gates in :mod:`twofold.couples.access` guarantee a
signed-in person before such a view runs, so views annotate ``request`` with this type and
use ``request.user`` as a :class:`~twofold.accounts.models.User` without casts.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from twofold.accounts.models import User
from twofold.lib.audit import AuditContext


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    audit: AuditContext  # set by twofold.audit.middleware.AuditContextMiddleware
    htmx: HtmxDetails  # set by django_htmx.middleware.HtmxMiddleware
