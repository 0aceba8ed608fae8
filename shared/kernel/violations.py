"""Violation cases (客户违例事件, docs/DOMAIN.md §8, docs/VIOLATIONS.md): their words and their
policy as data — the two classes and who answers for each, the measures in their order, and how
long a closed case's record is kept.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from shared.kernel.vocabulary import Role


class ViolationClass(StrEnum):
    """一般违例 vs 重大违章 (R14.2): general caused no loss and threatens no one's safety."""

    general = "general"
    major = "major"


class Measure(StrEnum):
    """The handling measures (违例的处理方法, R14.3), in the order they climb."""

    persuasion = "persuasion"  # 即时劝导、教育
    rectify = "rectify"  # 限期整改: rectify by a deadline
    compensation = "compensation"  # 赔偿经济损失
    legal_action = "legal_action"  # 提起诉讼, after the customer committee's mediation failed


# The order is the enum's: a measure needs every one before it recorded first (R14.3).
MEASURE_ORDER: tuple[Measure, ...] = tuple(Measure)

# compensation and a lawsuit are for a loss (R14.3 (3), (4)); a general case caused none (R14.2)
NEEDS_LOSS = frozenset({Measure.compensation, Measure.legal_action})

# Who answers for a case, and is told when one of its measures passes its due date (R14.4, R14.9)
RESPONSIBLE: dict[ViolationClass, Role] = {
    ViolationClass.general: Role.cs_supervisor,
    ViolationClass.major: Role.project_manager,
}

# How long a closed case's record is kept, in years from the day it closed (R14.8)
RETENTION_YEARS: dict[ViolationClass, int] = {
    ViolationClass.general: 1,
    ViolationClass.major: 5,
}


def removable_on(violation_class: ViolationClass, closed_on: date) -> date:
    """The first day a closed case's record may be removed: the day it closed, one or five
    years on (29 February: the 28th), the site's calendar."""
    years = closed_on.year + RETENTION_YEARS[violation_class]
    try:
        return closed_on.replace(year=years)
    except ValueError:
        return closed_on.replace(year=years, day=28)


def missing_before(measure: Measure, recorded: set[Measure]) -> Measure | None:
    """The first earlier measure not recorded yet, if any (R14.3: persuasion comes first)."""
    for earlier in MEASURE_ORDER[: MEASURE_ORDER.index(measure)]:
        if earlier not in recorded:
            return earlier
    return None
