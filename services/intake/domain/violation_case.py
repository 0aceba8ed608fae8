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

from services.intake.domain import violation_events
from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.violations import NEEDS_LOSS, Measure, ViolationClass, missing_before

CASE_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/violation-case")


def case_id_for(site: str, client_ref: str) -> UUID:
    """Deterministic id: the same client_ref at the same site is the same case."""
    return uuid5(CASE_NS, f"{site}/{client_ref}")


class ViolationCase(Aggregate):
    # Named here, each event is redefined as ViolationCase.<Name> of this module: its topic.
    Event = violation_events.CaseEvent
    Opened = violation_events.Opened
    Reclassified = violation_events.Reclassified
    MeasureRecorded = violation_events.MeasureRecorded
    MediationRecorded = violation_events.MediationRecorded
    PenaltyProposed = violation_events.PenaltyProposed
    PenaltySigned = violation_events.PenaltySigned
    Closed = violation_events.Closed
    OffenderErased = violation_events.OffenderErased
    Expired = violation_events.Expired

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

    def _record(self, event_class: type, at: datetime, meta: dict[str, Any],
                **fields: Any) -> None:  # fmt: skip
        fields.setdefault("violation_class", self.violation_class)
        self.trigger_event(event_class, timestamp=at, site=self.site, **fields, **meta)

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
        self._record(self.MeasureRecorded, at, meta, measure=measure.value,
                     due_on=due_on.isoformat(), note=note)  # fmt: skip

    def record_mediation(self, *, at: datetime, failed: bool, note: str | None,
                         meta: dict[str, Any]) -> None:  # fmt: skip
        self._open("record a mediation on")
        if Measure.compensation not in self.recorded:
            raise RuleError(
                "failed", "mediation comes after compensation was asked for (R14.3 (4))"
            )
        self._record(self.MediationRecorded, at, meta, failed=failed, note=note)

    def propose_penalty(self, *, at: datetime, penalty: str, amount: str | None,
                        meta: dict[str, Any]) -> None:  # fmt: skip
        """Who may propose is checked by the application (R14.7); a new proposal replaces an
        unsigned one, never a signed one."""
        self._open("propose a penalty on")
        if self.penalty_signed:
            raise TransitionError("propose a penalty on", "signed", "a violation case's penalty")
        self._record(self.PenaltyProposed, at, meta, penalty=penalty, amount=amount)

    def sign_penalty(self, *, at: datetime, meta: dict[str, Any]) -> None:
        self._open("sign the penalty of")
        if self.penalty is None:
            raise RuleError("case", "no penalty has been proposed: nothing to sign (R14.6)")
        if self.penalty_signed:
            raise TransitionError("sign", "signed already", "a penalty")
        self._record(self.PenaltySigned, at, meta, penalty=self.penalty["penalty"],
                     amount=self.penalty["amount"])  # fmt: skip

    def reclassify(self, *, at: datetime, violation_class: ViolationClass, reason: str,
                   meta: dict[str, Any]) -> None:  # fmt: skip
        """A loss found after all makes a general case major (R14.2), and the reverse; a case
        that asked for compensation stays major."""
        self._open("reclassify")
        if violation_class == self.violation_class:
            raise RuleError("violation_class", f"the case is {violation_class.value} already")
        if violation_class is ViolationClass.general and self.recorded & NEEDS_LOSS:
            raise RuleError(
                "violation_class", "a case that asked for compensation caused a loss: major (R14.2)"
            )
        self._record(self.Reclassified, at, meta, violation_class=violation_class.value,
                     reason=reason)  # fmt: skip

    def close(self, *, at: datetime, today: date, outcome: str, meta: dict[str, Any]) -> None:
        self._open("close")
        lapsed = self.penalty is not None and not self.penalty_signed
        self._record(self.Closed, at, meta, outcome=outcome, closed_on=today.isoformat(),
                     penalty_lapsed=lapsed)  # fmt: skip

    def offender_erased_now(self, *, at: datetime, meta: dict[str, Any]) -> None:
        """Record that the case's key was deleted (the application deletes it)."""
        if self.offender_erased:
            raise TransitionError("erase the offender of", "erased already", "a violation case")
        self._record(self.OffenderErased, at, meta)

    def expire(self, *, at: datetime, meta: dict[str, Any]) -> None:
        if self.status != "closed":
            raise TransitionError("expire", self.status, "a violation case")
        self._record(self.Expired, at, meta, closed_on=self.closed_on)
