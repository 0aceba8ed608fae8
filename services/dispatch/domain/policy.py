"""Dispatch policies as data (docs/DOMAIN.md §4): which department a repair goes to, and which
repairs are leaks accepted only after the next rain.

The routing itself is the kernel's (shared/kernel/departments.py: reporting and escalation
name the same department).
A site overrides the routing in its site directory entry (`SiteConfig.routing`), and sets the
warranty there too (`warranty_days`, R8.9); how a repair is classified, urgent or general and
household or public, is shared with the service-level clocks (shared/kernel/repairs.py).
"""

from __future__ import annotations

import re

from shared.kernel.departments import DEFAULT_DEPARTMENT, DEFAULT_ROUTING, route

# R8.8 leak repairs (roof, outer wall, window: what rain tests) are accepted after the next rain.
LEAK_WORDS = re.compile(r"漏雨|(屋面|屋顶|顶楼|天台|外墙|窗台|窗边|飘窗)[^管爆]{0,4}(渗|漏)")


__all__ = ["DEFAULT_DEPARTMENT", "DEFAULT_ROUTING", "LEAK_WORDS", "is_leak", "route"]


def is_leak(content: str) -> bool:
    return bool(LEAK_WORDS.search(content))
