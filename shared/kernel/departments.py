"""Which department answers for a category (docs/DOMAIN.md §4 routing), and for a member of staff.

Dispatch routes a work order by it; escalation tells the responsible department's supervisor of
a complaint (R6.3: the CS assistant coordinates the responsible department; R4.12: a complaint
about a named member of staff goes to that person's supervisor). A site overrides the routing in
its site directory entry (`SiteConfig.routing`).
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.kernel.staff import StaffMember
from shared.kernel.vocabulary import Department

# category -> department that owns it
DEFAULT_ROUTING: dict[str, Department] = {
    "plumbing": Department.engineering,
    "electrical": Department.engineering,
    "elevator": Department.engineering,
    "maintenance": Department.engineering,
    "public_facility": Department.engineering,
    "cleaning": Department.cleaning,
    "security": Department.security,
    "public_order": Department.security,
    "parking": Department.security,
    "noise": Department.security,
    "greening": Department.greening,
    "front_desk": Department.property_business,
    "other": Department.property_business,
}
DEFAULT_DEPARTMENT = Department.engineering


def route(category: str | None, overrides: Mapping[str, Department]) -> Department:
    """The department a work order of `category` goes to (engineering when none is known)."""
    if category is None:
        return DEFAULT_DEPARTMENT
    return overrides.get(category) or DEFAULT_ROUTING.get(category, DEFAULT_DEPARTMENT)


def responsible(
    category: str | None,
    overrides: Mapping[str, Department],
    about_staff: str | None = None,
    staff: Mapping[str, StaffMember] | None = None,
) -> Department | None:
    """The department whose supervisor answers for a complaint: the named staff member's
    department where the site lists it (R4.12), else the category's (R6.3); None when neither
    is known (a complaint with no category goes to the site's supervisors, no department)."""
    member = (staff or {}).get(about_staff) if about_staff else None
    if member is not None and member.department is not None:
        return member.department
    if category is None:
        return None
    return overrides.get(category) or DEFAULT_ROUTING.get(category)
