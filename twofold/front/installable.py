"""Adding Twofold to a home screen: the web app manifest, the service worker, the offline page.

The service worker keeps static files and the offline page, and nothing else: no page a
person is signed in to, no fragment, no answer with partner data ever reaches a cache.
Its cache name carries a hash of everything it may keep (every static file, the offline
page as rendered), so a deploy that changes any of them installs a new worker, which
deletes the old caches.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi

from twofold.lib.safety_resources import grouped_resources

# The page background of app.css, light and dark; the manifest can only name one.
THEME_COLOR_LIGHT = "#fbfaf7"
THEME_COLOR_DARK = "#13171f"

# What the offline page needs, kept by the service worker when it installs.
OFFLINE_ASSETS = (
    "vendor/pico/pico.min.css",
    "twofold/app.css",
    "twofold/app.js",
    "twofold/icons/icon-192.png",
    "twofold/icons/icon-512.png",
    "twofold/icons/icon-maskable-512.png",
    "twofold/icons/apple-touch-icon-180.png",
)


def manifest() -> dict[str, Any]:
    """The web app manifest: a neutral name (TWOFOLD_APP_NAME) and calm icons."""
    home = reverse("home")
    return {
        "id": home,
        "name": settings.TWOFOLD_APP_NAME,
        "short_name": settings.TWOFOLD_APP_NAME,
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": THEME_COLOR_LIGHT,
        "theme_color": THEME_COLOR_LIGHT,
        "icons": [
            _icon("twofold/icons/icon-192.png", 192, "any"),
            _icon("twofold/icons/icon-512.png", 512, "any"),
            _icon("twofold/icons/icon-maskable-512.png", 512, "maskable"),
        ],
    }


def _icon(path: str, size: int, purpose: str) -> dict[str, str]:
    return {"src": static(path), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}


def offline_context() -> dict[str, Any]:
    """Everything the offline page shows, none of it about the person asking.

    The page is rendered from this alone (no request, no context processors), so it is the
    same for everyone and never carries a sign-in state, a CSRF token or a nonce.
    """
    return {
        "app_name": settings.TWOFOLD_APP_NAME,
        "quick_exit_url": settings.TWOFOLD_QUICK_EXIT_URL,
        "resource_groups": grouped_resources(settings.TWOFOLD_SAFETY_RESOURCES_FILE),
    }


def render_offline_page() -> str:
    return render_to_string("front/offline.html", offline_context())


def precache_urls() -> list[str]:
    """The offline page and the static files it uses, as the pages name them."""
    return [reverse("offline"), *(static(path) for path in OFFLINE_ASSETS)]


def service_worker_source() -> str:
    return render_to_string(
        "front/sw.js",
        {
            "cache_name": json.dumps(f"twofold-static-{cache_version()}"),
            "static_prefix": json.dumps(settings.STATIC_URL),
            "offline_url": json.dumps(reverse("offline")),
            "precache": json.dumps(precache_urls(), indent=2),
        },
    )


def cache_version() -> str:
    """A hash of everything the worker may keep; while DEBUG, worked out afresh each time."""
    if settings.DEBUG:
        return _version()
    return _cached_version()


@cache
def _cached_version() -> str:
    return _version()


def _version() -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([settings.STATIC_URL, *precache_urls()]).encode())
    for path in sorted(_static_paths()):
        found = finders.find(path)
        if isinstance(found, str):
            digest.update(path.encode() + b"\0")
            with open(found, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    digest.update(render_offline_page().encode())
    return digest.hexdigest()[:16]


def _static_paths() -> set[str]:
    paths: set[str] = set()
    for finder in finders.get_finders():
        for path, _storage in finder.list([]):
            paths.add(path.replace("\\", "/"))
    return paths
