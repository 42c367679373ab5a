"""Authorization matrix rows for what a home screen needs: manifest, service worker, offline
page. All three are the same for everyone and hold nothing about anybody."""

from __future__ import annotations

from typing import Any

from tests.matrix_support import Row, _everyone

ROWS: dict[str, Row] = {
    "web_manifest": Row("GET", _everyone(200)),
    # The browser fetches updates to the worker whether or not anyone is signed in.
    "service_worker": Row("GET", _everyone(200)),
    "offline": Row("GET", _everyone(200)),
}


def extend_world(world: dict[str, Any]) -> None:
    """These answers are about nobody: no records needed."""
