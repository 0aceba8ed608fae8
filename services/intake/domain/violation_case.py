"""A violation case (客户违例事件, R14.1–R14.10): registered in 《客户违例事件记录表》, handled by
the measures in their order, a penalty proposed by the manager or the CS-assistant supervisor and
in force only once the manager signs it, then closed, and kept one or five years (R14.8). No I/O;
it changes only by triggering events. The offender's name and phone live here and nowhere else,
sealed with the case's own key (shared/eventstore/subject_keys.py): erasing the case's offender
deletes that key (crypto-shredding) and records `OffenderErased`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.violations import NEEDS_LOSS, Measure, ViolationClass, missing_before

CASE_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/violation-case")


def case_id_for(site: str, client_ref: str) -> UUID:
    """Deterministic id: the same client_ref at the same site is the same case."""
    return uuid5(CASE_NS, f"{site}/{client_ref}")


class ViolationCase(Aggregate):
    class Event(Aggregate.Event):
        site: str
        actor: str
        correlation_id: str
        causation_id: str | None

    class Opened(Event, Aggregate.Created):
        client_ref: str
        violation_class: str
        category: str
        place: str
        description: str
        observed_at: datetime
        offender_sealed: str | None  # name, phone, sealed with the case's key; never published
        ticket_id: UUID | None  # the ticket (or inspection finding) it came from
        finding: str | None

    class MeasureRecorded(Event):
        measure: str
        due_on: str  # ISO date, the site's calendar
        note: str | None

        def apply(self, case: ViolationCase) -> None:
            case.measures.append({"measure": self.measure, "due_on": self.due_on})

    class MediationRecorded(Event):
        """The customer committee's mediation (客户委员会调解) and whether it failed (R14.3)."""

        failed: bool
        note: str | None

        def apply(self, case: ViolationCase) -> None:
            case.mediation_failed = self.failed

    class PenaltyProposed(Event):
        penalty: str
        amount: str | None  # yuan, as the decimal the manager wrote

        def apply(self, case: ViolationCase) -> None:
            case.penalty = {"penalty": self.penalty, "amount": self.amount, "by": self.actor}
            case.penalty_signed = False

    class PenaltySigned(Event):
        penalty: str  # what was signed: the proposal in force
        amount: str | None

        def apply(self, case: ViolationCase) -> None:
            case.penalty_signed = True

    class Closed(Event):
        outcome: str
        closed_on: str  # ISO date, the site's calendar: retention counts from it (R14.8)
        penalty_lapsed: bool  # proposed, never signed: it never took effect (R14.6)

        def apply(self, case: ViolationCase) -> None:
            case.status, case.closed_on = "closed", self.closed_on

    class OffenderErased(Event):
        """The case's key was deleted: its offender's name and phone can no longer be read."""

        def apply(self, case: ViolationCase) -> None:
            case.offender_sealed, case.offender_erased = None, True

    class Expired(Event):
        """Its retention ended (R14.8): the views drop it."""

        closed_on: str

        def apply(self, case: ViolationCase) -> None:
            case.status = "expired"

    def __init__(self, *, site: str, client_ref: str, violation_class: str, category: str,
                 place: str, description: str, observed_at: datetime,
                 offender_sealed: str | None, ticket_id: UUID | None, finding: str | None,
                 actor: str, correlation_id: str, causation_id: str | None) -> None:  # fmt: skip
        del actor, correlation_id, causation_id
        self.site, self.client_ref = site, client_ref
        self.violation_class = violation_class
        self.category, self.place, self.description = category, place, description
        self.observed_at, self.offender_sealed = observed_at, offender_sealed
        self.offender_erased = False
        self.ticket_id, self.finding = ticket_id, finding
        self.status = "open"
        self.measures: list[dict[str, str]] = []
        self.mediation_failed: bool | None = None
        self.penalty: dict[str, Any] | None = None
        self.penalty_signed = False
        self.closed_on: str | None = None

    @classmethod
    def open(cls, *, at: datetime, site: str, client_ref: str, **fields: Any) -> ViolationCase:
        return cls._create(
            cls.Opened,
            id=case_id_for(site, client_ref),
            timestamp=at,
            site=site,
            client_ref=client_ref,
            **fields,
        )

    @property
    def recorded(self) -> set[Measure]:
        return {Measure(m["measure"]) for m in self.measures}

    def _open(self, action: str) -> None:
        if self.status != "open":
            raise TransitionError(action, self.status, "a violation case")

    def record_measure(self, *, at: datetime, today: date, measure: Measure, due_on: date,
                       note: str | None, meta: dict[str, Any]) -> None:  # fmt: skip
        """R14.3: each measure after every earlier one; compensation and a lawsuit only for a
        major case (a loss), a lawsuit only after mediation failed."""
        self._open("record a measure on")
        if due_on < today:
            raise RuleError("due_on", f"due_on {due_on} is before today ({today})")
        missing = missing_before(measure, self.recorded)
        if missing is not None:
            raise RuleError("measure", f"{measure.value} needs {missing.value} first (R14.3)")
        if measure in NEEDS_LOSS and self.violation_class != ViolationClass.major:
            raise RuleError(
                "measure", f"{measure.value} is for a loss: a general case caused none (R14.2)"
            )
        if measure is Measure.legal_action and self.mediation_failed is not True:
            raise RuleError(
                "measure", "legal_action needs the customer committee's mediation to have failed "
                "first (violation mediate --failed, R14.3)",
            )  # fmt: skip
        self.trigger_event(self.MeasureRecorded, timestamp=at, site=self.site,
                           measure=measure.value, due_on=due_on.isoformat(), note=note,
                           **meta)  # fmt: skip

    def record_mediation(self, *, at: datetime, failed: bool, note: str | None,
                         meta: dict[str, Any]) -> None:  # fmt: skip
        self._open("record a mediation on")
        if Measure.compensation not in self.recorded:
            raise RuleError(
                "failed", "mediation comes after compensation was asked for (R14.3 (4))"
            )
        self.trigger_event(self.MediationRecorded, timestamp=at, site=self.site, failed=failed,
                           note=note, **meta)  # fmt: skip

    def propose_penalty(self, *, at: datetime, penalty: str, amount: str | None,
                        meta: dict[str, Any]) -> None:  # fmt: skip
        """Who may propose is checked by the application (R14.7); a new proposal replaces an
        unsigned one, never a signed one."""
        self._open("propose a penalty on")
        if self.penalty_signed:
            raise TransitionError("propose a penalty on", "signed", "a violation case's penalty")
        self.trigger_event(self.PenaltyProposed, timestamp=at, site=self.site, penalty=penalty,
                           amount=amount, **meta)  # fmt: skip

    def sign_penalty(self, *, at: datetime, meta: dict[str, Any]) -> None:
        self._open("sign the penalty of")
        if self.penalty is None:
            raise RuleError("case", "no penalty has been proposed: nothing to sign (R14.6)")
        if self.penalty_signed:
            raise TransitionError("sign", "signed already", "a penalty")
        self.trigger_event(self.PenaltySigned, timestamp=at, site=self.site,
                           penalty=self.penalty["penalty"], amount=self.penalty["amount"],
                           **meta)  # fmt: skip

    def close(self, *, at: datetime, today: date, outcome: str, meta: dict[str, Any]) -> None:
        self._open("close")
        lapsed = self.penalty is not None and not self.penalty_signed
        self.trigger_event(self.Closed, timestamp=at, site=self.site, outcome=outcome,
                           closed_on=today.isoformat(), penalty_lapsed=lapsed, **meta)  # fmt: skip

    def offender_erased_now(self, *, at: datetime, meta: dict[str, Any]) -> None:
        """Record that the case's key was deleted (the application deletes it)."""
        if self.offender_erased:
            raise TransitionError("erase the offender of", "erased already", "a violation case")
        self.trigger_event(self.OffenderErased, timestamp=at, site=self.site, **meta)

    def expire(self, *, at: datetime, meta: dict[str, Any]) -> None:
        if self.status != "closed":
            raise TransitionError("expire", self.status, "a violation case")
        self.trigger_event(self.Expired, timestamp=at, site=self.site, closed_on=self.closed_on,
                           **meta)  # fmt: skip
