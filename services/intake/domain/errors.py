"""What the ticket refuses: a command its status does not allow (a conflict), or one that breaks
a domain rule (invalid)."""

from __future__ import annotations


class TransitionError(Exception):
    """A command that the ticket's current status does not allow."""

    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"cannot {action} a ticket that is {status}")
        self.status = status


class RuleError(Exception):
    """A command that breaks a domain rule (reported back as `invalid`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
