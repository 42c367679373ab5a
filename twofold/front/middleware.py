"""Response headers every page gets: no caching of pages, no powerful browser features.

Static files are answered by WhiteNoise before this middleware's view runs; they pass
through here only for the Permissions-Policy header and keep their own long cache.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Browser features Twofold never uses, switched off for every page and any frame in it.
DENIED_FEATURES = (
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "identity-credentials-get",
    "idle-detection",
    "interest-cohort",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "storage-access",
    "usb",
    "window-management",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class PrivateResponseHeadersMiddleware:
    """``Cache-Control: no-store`` on every page the app renders, and a Permissions-Policy
    on every response.

    Pages hold partner data once someone is signed in, and even the public ones (sign-in,
    invitations, safety) should not stay in a shared computer's cache or history after
    a quick exit, so no rendered page may be stored by a browser or a proxy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _rendered_by_the_app(request):
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response


def _rendered_by_the_app(request: HttpRequest) -> bool:
    """True unless WhiteNoise answered (it returns before authentication runs)."""
    return hasattr(request, "user")
