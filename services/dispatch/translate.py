"""The one place where dispatch's domain events become published work-order contracts."""

from __future__ import annotations

from typing import Any

from services.dispatch.domain import WorkOrder
from shared.contracts import workorder_events as w
from shared.contracts.envelope import Envelope
from shared.publishing import envelope, mask

# domain event -> the envelope it is published in (desk.evt.<site>.workorder.<name>)
PUBLISHED: dict[type[WorkOrder.Event], type[Envelope]] = {
    WorkOrder.Issued: w.WorkOrderIssuedEvent,
    WorkOrder.Overridden: w.ClassificationOverriddenEvent,
    WorkOrder.Collected: w.WorkOrderCollectedEvent,
    WorkOrder.Assigned: w.TechnicianAssignedEvent,
    WorkOrder.Arrived: w.TechnicianArrivedEvent,
    WorkOrder.Rescheduled: w.WorkOrderRescheduledEvent,
    WorkOrder.Quoted: w.QuoteGivenEvent,
    WorkOrder.QuoteAccepted: w.QuoteAcceptedEvent,
    WorkOrder.QuoteDeclined: w.QuoteDeclinedEvent,
    WorkOrder.Completed: w.WorkOrderCompletedEvent,
    WorkOrder.AcceptanceConfirmed: w.AcceptanceConfirmedEvent,
    WorkOrder.SignedOff: w.WorkOrderSignedOffEvent,
    WorkOrder.Returned: w.WorkOrderReturnedEvent,
    WorkOrder.Referred: w.WorkOrderReferredEvent,
}
ENVELOPE_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "site", "actor",
     "correlation_id", "causation_id"}
)  # fmt: skip
# Free text is masked; `content` is the ticket's as intake published it, masked again in case
# it was published before masking caught as much as it does now. Staff ids were checked at the
# edge (shared/contracts/base.py).
FREE_TEXT = ("reason", "notes", "comment", "note", "items", "actual_item", "content")


def translate(event: object) -> Envelope | None:
    published = PUBLISHED.get(type(event))
    if published is None:
        return None  # ticket files and receipts are dispatch's own records
    fields: dict[str, Any] = {k: v for k, v in event.__dict__.items() if k not in ENVELOPE_FIELDS}
    for key in FREE_TEXT:
        if isinstance(fields.get(key), str):
            fields[key] = mask(fields[key])
    data = published.data_model().model_validate(fields)
    return envelope(event, published.type_name(), data, None)
