"""Which department owns a category (docs/DOMAIN.md §4 routing): where dispatch sends a repair's
work order, and the responsible department (责任部门) the monthly ledger names for a contact
that got no work order (docs/REPORTS.md). A site overrides it in its site directory entry
(`SiteConfig.routing`)."""

from __future__ import annotations

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


def route(category: str | None, overrides: dict[str, Department]) -> Department:
    if category is None:
        return DEFAULT_DEPARTMENT
    return overrides.get(category) or DEFAULT_ROUTING.get(category, DEFAULT_DEPARTMENT)
