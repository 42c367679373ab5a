"""Errors shared by every layer."""

from __future__ import annotations


class ActionError(Exception):
    """A request that cannot be carried out; the message is shown to the person.

    Raised by write functions (``actions.py`` in each app) whoever calls them: a page, the
    API, a task or a command. ``code`` is a stable machine-readable reason.
    """

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
