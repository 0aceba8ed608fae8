"""Dispatch policies as data (docs/DOMAIN.md §4): routing, urgency, scope, leaks, warranty.

Each site may override routing and the warranty in its site directory entry; everything else is
the operating procedures' default, named with its rule (docs/RULES.md).
"""

from __future__ import annotations

import re
from datetime import timedelta

from shared.repairs import (  # noqa: F401  (re-exported: dispatch's policy in one place)
    PUBLIC_CATEGORIES,
    URGENT_CATEGORIES,
    URGENT_WORDS,
    scope_of,
    urgency_of,
)

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

# R8.8 leak repairs (roof, outer wall, window: what rain tests) are accepted after the next rain.
LEAK_WORDS = re.compile(r"漏雨|(屋面|屋顶|顶楼|天台|外墙|窗台|窗边|飘窗)[^管爆]{0,4}(渗|漏)")

WARRANTY = timedelta(days=90)  # R8.9, C21: "一般为三个月"


def route(category: str | None, overrides: dict[str, str]) -> str:
    if category is None:
        return DEFAULT_DEPARTMENT
    return overrides.get(category) or DEFAULT_ROUTING.get(category, DEFAULT_DEPARTMENT)


def is_leak(content: str) -> bool:
    return bool(LEAK_WORDS.search(content))
