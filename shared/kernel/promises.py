"""Promises kept (守信履约, R6.15, R10.6, R2.6, R11.5; docs/PROMISES.md): a reply promised to a
customer, a missed call to be called back with an apology, a question from a follow-up call to be
answered by an agreed time. Each is a task with a due time, an owner, a reminder before it and a
notice to the supervisor after it. Policy as data, in the kernel, so that intake (which records
promises), escalation (which reminds) and reporting (which counts) name one table."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.kernel.vocabulary import Role


class PromiseKind(StrEnum):
    reply = "reply"  # 答应随后答复: "I will call you back by 3 pm" (R6.15, R10.6)
    callback = "callback"  # 未接来电: call back with an apology (R2.6)
    answer = "answer"  # 回访中未能当即答复的问题: answered by the agreed time (R11.5)


class PromiseStatus(StrEnum):
    open = "open"
    kept = "kept"
    broken = "broken"


# The procedures say a missed call "is called back", not when (R2.6): our choice is within 30
# minutes of the call, any hour (the desk's line is answered round the clock, R10.7).
CALLBACK_WITHIN = timedelta(minutes=30)
# How long before its due time the owner is reminded: our choice.
REMIND_BEFORE = timedelta(minutes=15)
# Who is told when a promise passes its due time unkept: the CS supervisor (客服主管), who
# answers for the desk's replies (R6.4, R11.5).
OVERDUE_ROLE = Role.cs_supervisor


class PromiseConfig(BaseModel):
    """A site's promise policy (the site directory's `promise_tasks`; `promises()` is what the
    desk tells at intake)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    callback_minutes: float = Field(
        default=CALLBACK_WITHIN.total_seconds() / 60,
        gt=0,
        le=24 * 60,
        description="Minutes after a missed call by which it is called back (R2.6)",
    )
    remind_minutes: float = Field(
        default=REMIND_BEFORE.total_seconds() / 60,
        ge=0,
        le=24 * 60,
        description="Minutes before a promise's due time its owner is reminded; 0: no reminder",
    )
    overdue_role: Role = Field(
        default=OVERDUE_ROLE, description="Who is told when a promise passes its due time unkept"
    )

    @property
    def callback_within(self) -> timedelta:
        return timedelta(minutes=self.callback_minutes)

    @property
    def remind_before(self) -> timedelta:
        return timedelta(minutes=self.remind_minutes)
