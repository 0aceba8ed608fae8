"""Who hears a site's notices outside PropDesk, and how often they are told again (policy as
data): a site's `notify` in the site directory names, per role, the e-mail addresses and webhooks
each notification to that role goes to (docs/NOTIFICATIONS.md). Without it nothing leaves
PropDesk but the bus's own desk.ntf.<site>.<role>."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal, Self

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from shared.kernel.vocabulary import Department, Role

Reason = Literal[
    "clock_breached", "complaint_escalated", "complaint_upgraded", "major_reported",
    "major_suggested", "incident_alerted", "incident_follow_up_due", "finding_referred",
    "promise_reminder", "promise_overdue",
    "maintenance_explanation_due", "maintenance_restoration_overdue",
    "complaint_received",
]  # fmt: skip
# a breach and each ladder step want someone to act: told again until acknowledged; a
# suggestion toward major (R5.1a) is the desk's to confirm, told once; a staff finding is
# the supervisor's to act on within its week (R13.15b, R13.16): told again until acknowledged
RESENT: tuple[Reason, ...] = (
    "clock_breached", "complaint_escalated", "complaint_upgraded", "major_reported",
    "incident_alerted", "incident_follow_up_due",
    "finding_referred",
    "promise_overdue",  # a broken promise wants the supervisor to act (R6.15); the reminder once
    "maintenance_restoration_overdue",  # the duty manager, until a revision or restoration
    "complaint_received",  # her receipt (签收, R6.3): until she acknowledges it
)  # fmt: skip
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s<>]+@[^@\s<>]+$"),
]


class Route(BaseModel):
    """One place a role's notifications go: an e-mail address or a webhook (exactly one); with
    `department`, only the notifications to that department (a department supervisor's own)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    email: Email | None = None
    webhook: AnyHttpUrl | None = None
    department: Department | None = None

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.email is None) == (self.webhook is None):
            raise ValueError("a route is an email or a webhook, exactly one")
        return self

    @property
    def target(self) -> str:
        """How the channel names the route in its records: `email:…` or `webhook:…`."""
        return f"email:{self.email}" if self.email else f"webhook:{self.webhook}"

    def takes(self, department: str | None) -> bool:
        """A route without a department takes all of its role's; one with a department that
        department's and those to no department (to every department's supervisors)."""
        return self.department is None or department is None or self.department.value == department


class NotifyConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    roles: dict[Role, tuple[Route, ...]] = Field(
        default_factory=dict, description="role -> where its notifications go"
    )
    resend_after: timedelta = Field(
        default=timedelta(minutes=30),
        description="A notification of `resend` not acknowledged this long after it was last "
        "sent is sent again (ISO 8601, PT30M)",
    )
    max_attempts: int = Field(default=5, ge=1, le=50, description="Sends of one notification")
    resend: tuple[Reason, ...] = Field(default=RESENT, description="The reasons told again")

    @model_validator(mode="after")
    def _sane(self) -> Self:
        if self.resend_after < timedelta(minutes=1):
            raise ValueError("resend_after is at least a minute (PT1M)")
        return self

    def routes(self, role: str, department: str | None) -> list[Route]:
        return [r for r in self.roles.get(Role(role), ()) if r.takes(department)]
