"""The month read back from the stream DESK, as ops reads it: a few counts per site for the summary
table, and any reporter's name or phone found in an event (there must be none)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from propdesk.demo.sites import Person
from shared.kernel.satisfaction import is_satisfied
from shared.messaging.client import Bus


@dataclass
class SiteSummary:
    contacts: int = 0
    repairs: int = 0
    complaints: int = 0
    orders: int = 0
    paid: Decimal = Decimal(0)
    escalations: int = 0
    upgrades: int = 0
    breaches: int = 0
    follow_ups: int = 0
    satisfied: int = 0
    score: int = 0


async def read_desk(bus: Bus, pool: list[Person]) -> tuple[dict[str, SiteSummary], int, list[str]]:
    """Every event on DESK, read as ops: the summary per site, the count, and any reporter's
    name or phone found in an event (there must be none)."""
    count = 0
    pattern = re.compile("|".join(re.escape(x) for p in pool for x in (p.name, p.phone)))
    summary: dict[str, SiteSummary] = defaultdict(SiteSummary)
    kinds: dict[str, tuple[str, str]] = {}  # ticket id -> (site, kind as last classified)
    leaks: list[str] = []
    async for batch in bus.read_desk():
        for msg in batch:
            count += 1
            text = msg.data.decode()
            if found := pattern.search(text):
                leaks.append(f"{msg.subject}: {found.group(0)}")
            envelope = json.loads(text)
            site, data, kind = envelope["site"], envelope["data"], envelope["event_type"]
            s = summary[site]
            if kind in ("ticket.reported", "ticket.classified"):
                kinds[envelope["aggregate_id"]] = (site, data["kind"])
                s.contacts += kind == "ticket.reported"
            elif kind == "ticket.cancelled" and data["duplicate_of"]:  # not a contact of its own
                s.contacts -= 1
                kinds.pop(envelope["aggregate_id"], None)
            elif kind == "workorder.issued":
                s.orders += 1
            elif kind == "workorder.completed":
                s.paid += Decimal(data["fee"])
            elif kind == "escalation.complaint_escalated":
                s.escalations += 1
            elif kind == "escalation.complaint_upgraded":
                s.upgrades += 1
            elif kind == "escalation.clock_breached":
                s.breaches += 1
            elif kind == "ticket.followed_up":
                s.follow_ups += 1
                s.satisfied += is_satisfied(data["score"])  # as every report counts
                s.score += data["score"]
    for site, kind in kinds.values():
        summary[site].complaints += kind == "complaint"
        summary[site].repairs += kind == "repair"
    return summary, count, leaks
