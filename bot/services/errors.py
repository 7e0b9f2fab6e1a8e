"""Domain errors. Handlers turn them into clear messages with `texts.refusal`."""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """A use case refused: `code` names the reason, `params` fill the message."""

    code = "error"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or type(self).code
        self.params = params
        super().__init__(self.code)


class NotRegistered(DomainError):
    """The user is not known to the bot."""

    code = "not_registered"


class NotAllowed(DomainError):
    """The user lacks the role or relation needed."""

    code = "not_allowed"


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to this user)."""

    code = "not_found"


class InvalidState(DomainError):
    """The thing already moved on; the action no longer applies."""

    code = "invalid_state"


class InvalidInput(DomainError):
    """Input failed validation."""

    code = "invalid_input"


def found(thing: T | None, refusal: DomainError) -> T:
    """Returns what a lookup found, or raises the refusal (a NotFound) when it found nothing."""
    if thing is None:
        raise refusal
    return thing
