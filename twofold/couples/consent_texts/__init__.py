"""Versioned consent texts. A new version is a new file content with a new ``version``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from twofold.lib.content import ContentError, read_json, require

HERE = Path(__file__).resolve().parent
KINDS = ("participation", "care")


@dataclass(frozen=True)
class ConsentText:
    kind: str
    version: str
    title: str
    points: tuple[str, ...]
    sha256: str


def load(path: Path) -> ConsentText:
    data = read_json(path)
    kind = require(data, "kind", str, path)
    if kind not in KINDS:
        raise ContentError(path, "kind", f"must be one of {', '.join(KINDS)}")
    points = require(data, "points", list, path)
    for index, point in enumerate(points):
        if not isinstance(point, str) or not point.strip():
            raise ContentError(path, f"points[{index}]", "must be a non-empty sentence")
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return ConsentText(
        kind=kind,
        version=require(data, "version", str, path),
        title=require(data, "title", str, path),
        points=tuple(points),
        sha256=hashlib.sha256(canonical).hexdigest(),
    )


@cache
def current(kind: str) -> ConsentText:
    """The consent text people agree to today, for ``kind``."""
    if kind not in KINDS:
        raise KeyError(kind)
    text = load(HERE / f"{kind}.json")
    if text.kind != kind:
        raise ContentError(HERE / f"{kind}.json", "kind", f"must be {kind!r}")
    return text
