"""What an aggregate refuses, in every service's domain: a command its status does not allow
(answered `conflict`), or one that breaks a domain rule (answered `invalid`, on the field that
breaks it). shared/messaging/errors.py `as_reply` turns either into the contract's error."""

from __future__ import annotations


class TransitionError(Exception):
    """A command that the current status of what it acts on does not allow."""

    def __init__(self, action: str, status: str, what: str) -> None:
        super().__init__(f"cannot {action.replace('_', ' ')} {what} that is {status}")
        self.status = status


class RuleError(Exception):
    """A command that breaks a domain rule."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
