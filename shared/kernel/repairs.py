"""How a repair is classified from what was reported: urgency (R7.1) and scope (R4.3).

Shared because dispatch issues work orders by it and the service-level clocks
(shared/kernel/sla.py) pick
their targets by it: both must classify a repair the same way.
"""

from __future__ import annotations

import re

from shared.kernel.vocabulary import Scope, Urgency

# R7.1 急修: dangerous damage, power cut or leakage from wiring, water outage or burst pipe,
# blocked downpipe, elevator fault, broken slab or stair, loose railing.
URGENT_CATEGORIES = frozenset({"elevator"})
URGENT_WORDS = re.compile(
    r"漏电|停电|跳闸|断电|停水|爆管|水管爆|爆裂|大量漏水|水浸|电梯|困人|危险|冒烟|火花|燃气|"
    r"(落水管|下水管|排水管|雨水管).{0,4}堵|(楼板|踏步|楼梯).{0,4}(断|裂|塌|破)|"
    r"(栏杆|扶手).{0,4}(松动|损坏|断)"
)
# R4.3 public facilities: common parts and shared equipment.
PUBLIC_CATEGORIES = frozenset(
    {"public_facility", "elevator", "greening", "public_order", "parking", "cleaning", "security"}
)


def urgency_of(category: str | None, content: str) -> Urgency:
    if category in URGENT_CATEGORIES or URGENT_WORDS.search(content):
        return Urgency.urgent
    return Urgency.general


def scope_of(category: str | None, unit: str | None) -> Scope:
    if category in PUBLIC_CATEGORIES or unit is None:
        return Scope.public
    return Scope.household
