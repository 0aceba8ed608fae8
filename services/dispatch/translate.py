"""The one place where dispatch's domain events become published work-order contracts."""

from __future__ import annotations

from typing import Any

from services.dispatch.domain import WorkOrder
from shared.contracts import events as e
from shared.contracts.workorder_events import WORKORDER_DATA
from shared.publishing import envelope, mask

EVENT_NAMES: dict[type, str] = {
    WorkOrder.Issued: "issued",
    WorkOrder.Overridden: "classification_overridden",
    WorkOrder.Collected: "collected",
    WorkOrder.Assigned: "assigned",
    WorkOrder.Arrived: "arrived",
    WorkOrder.Rescheduled: "rescheduled",
    WorkOrder.Quoted: "quoted",
    WorkOrder.QuoteAccepted: "quote_accepted",
    WorkOrder.QuoteDeclined: "quote_declined",
    WorkOrder.Completed: "completed",
    WorkOrder.AcceptanceConfirmed: "acceptance_confirmed",
    WorkOrder.SignedOff: "signed_off",
    WorkOrder.Returned: "returned",
    WorkOrder.Referred: "referred",
}
ENVELOPE_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "site", "actor",
     "correlation_id", "causation_id"}
)  # fmt: skip
# Free text is masked; `content` is the ticket's as intake published it, masked again in case
# it was published before masking caught as much as it does now. Staff ids were checked at the
# edge (shared/contracts/base.py).
FREE_TEXT = ("reason", "notes", "comment", "note", "items", "actual_item", "content")


def translate(event: object) -> e.Envelope | None:
    name = EVENT_NAMES.get(type(event))
    if name is None:
        return None  # ticket files and receipts are dispatch's own records
    fields: dict[str, Any] = {k: v for k, v in event.__dict__.items() if k not in ENVELOPE_FIELDS}
    for key in FREE_TEXT:
        if isinstance(fields.get(key), str):
            fields[key] = mask(fields[key])
    data = WORKORDER_DATA[name].model_validate(fields)
    return envelope(event, f"workorder.{name}", data, None)
