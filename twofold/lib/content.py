"""Loading content data files (consent texts, later program stages and prompts).

Content lives in JSON files in the repository and is validated when it is loaded; a
broken file fails with the file, the field and the reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class ContentError(Exception):
    def __init__(self, path: Path | str, field: str, reason: str) -> None:
        self.path, self.field, self.reason = str(path), field, reason
        super().__init__(f"{path}: {field}: {reason}")


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ContentError(path, f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None
    except OSError as exc:
        raise ContentError(path, "(file)", f"cannot be read ({exc.strerror})") from None


def require(
    data: Any, field: str, kind: type | tuple[type, ...], path: Path, *, where: str = ""
) -> Any:
    """Return ``data[field]``, checking it is present, of ``kind`` and not empty."""
    label = f"{where}.{field}" if where else field
    if not isinstance(data, dict):
        raise ContentError(path, where or "(top level)", "must be an object")
    if field not in data:
        raise ContentError(path, label, "is missing")
    value = data[field]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ContentError(path, label, f"must be {names}, not {type(value).__name__}")
    if isinstance(value, str | list | dict) and not value:
        raise ContentError(path, label, "must not be empty")
    return value
