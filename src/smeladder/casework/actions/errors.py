"""Why an action was refused. Messages are Chinese, written for the person who tried."""

from __future__ import annotations


class CaseworkError(Exception):
    """Base: the action was refused and nothing was written."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class OutOfScope(CaseworkError, LookupError):
    """The case (or firm) is not visible to the user: pages show 404."""


class NotAllowed(CaseworkError, PermissionError):
    """The user sees the case but may not do this (403)."""


class IllegalTransition(CaseworkError):
    """The case's state does not allow the action (409)."""


class InvalidInput(CaseworkError, ValueError):
    """A missing reason, an unknown category, a bad attachment … (400)."""
