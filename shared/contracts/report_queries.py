"""Report queries on desk.qry.<site>.report.* and desk.qry.company.report.* (docs/REPORTS.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from shared.contracts.base import YEAR, Contract, Month

Week = Annotated[str, StringConstraints(pattern=rf"^{YEAR}-W(0[1-9]|[1-4][0-9]|5[0-3])$")]


class MonthlyReport(Contract):
    """One site's monthly summary (《客户投诉(建议、咨询)月汇总表》, R12.4)."""

    month: Month = Field(description="YYYY-MM, the site's local calendar month")


class WeeklyReport(Contract):
    """One site's weekly summary of complaints and suggestions (R12.1)."""

    week: Week = Field(description="YYYY-Www, an ISO week (Monday to Sunday, site's local time)")


class QualityPack(Contract):
    """Every site side by side for a month, six-month trends, what got worse (R12.3)."""

    month: Month = Field(description="YYYY-MM")
