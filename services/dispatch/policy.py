"""Dispatch policies as data (DOMAIN.md §4): routing, urgency, scope, leaks, warranty.

Each site may override routing and the warranty in its site directory entry; everything else is
the seeds' default, named with its rule.
"""

from __future__ import annotations

import re
from datetime import timedelta

from shared.contracts.workorder_events import Scope, Urgency

# category -> department that owns it (routing; per-site overrides in SiteConfig.routing)
DEFAULT_ROUTING: dict[str, str] = {
    "plumbing": "engineering",
    "electrical": "engineering",
    "elevator": "engineering",
    "maintenance": "engineering",
    "public_facility": "engineering",
    "cleaning": "cleaning",
    "security": "security",
    "public_order": "security",
    "parking": "security",
    "noise": "security",
    "greening": "greening",
    "front_desk": "property_business",
    "other": "property_business",
}
DEFAULT_DEPARTMENT = "engineering"
DEPARTMENTS = ("engineering", "cleaning", "security", "greening", "property_business")
REFERRAL_DEPARTMENT = "property_business"  # out of the property repair scope (R7.11)

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
# R8.8 leak repairs (roof, outer wall, window: what rain tests) are accepted after the next rain.
LEAK_WORDS = re.compile(r"漏雨|(屋面|屋顶|顶楼|天台|外墙|窗台|窗边|飘窗)[^管爆]{0,4}(渗|漏)")

WARRANTY = timedelta(days=90)  # R8.9, C21: "一般为三个月"


def route(category: str | None, overrides: dict[str, str]) -> str:
    if category is None:
        return DEFAULT_DEPARTMENT
    return overrides.get(category) or DEFAULT_ROUTING.get(category, DEFAULT_DEPARTMENT)


def urgency_of(category: str | None, content: str) -> Urgency:
    if category in URGENT_CATEGORIES or URGENT_WORDS.search(content):
        return Urgency.urgent
    return Urgency.general


def scope_of(category: str | None, unit: str | None) -> Scope:
    if category in PUBLIC_CATEGORIES or unit is None:
        return Scope.public
    return Scope.household


def is_leak(content: str) -> bool:
    return bool(LEAK_WORDS.search(content))
