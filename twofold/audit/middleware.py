"""Gives every request its :class:`~twofold.lib.audit.AuditContext` as ``request.audit``."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from twofold.audit.recording import context_for_request


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.audit = context_for_request(request)  # type: ignore[attr-defined]
        return self.get_response(request)
