"""Inspection rounds (巡查/巡检, docs/INSPECTION.md), no I/O: the month's plan of a site
(`RoundPlan`, R13.1), each round walked (`InspectionRound`, R13.13, R13.14), and the book of a
site's local day that lists its rounds (`RoundDay`, for the day's summary and the week's sheet).

Their events stay in intake's store (findings' text encrypted like a ticket's content) and are
kept two years (R13.20); what is published is the adapters' (adapters/translate.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.intake.domain.recorded_event import RecordedEvent

ROUNDS_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/inspection-round")


class RoundPlan(Aggregate):
    """A site's inspection plan for one local month: its slots (daily, weekly, monthly)."""

    class Event(RecordedEvent):
        month: str
        slots: list[dict[str, Any]]

    class Planned(Event, Aggregate.Created):
        """The month's first plan."""

    class Revised(Event):
        """A later plan for the month replaces the slots; every revision stays in history."""

        def apply(self, plan: RoundPlan) -> None:
            plan.revision += 1
            plan.slots = self.slots

    def __init__(self, *, site: str, month: str, slots: list[dict[str, Any]], **_: Any) -> None:
        self.site = site
        self.month = month
        self.slots = slots
        self.revision = 1

    @staticmethod
    def id_for(site: str, month: str) -> UUID:
        return uuid5(ROUNDS_NS, f"plan/{site}/{month}")

    @classmethod
    def plan(cls, plan: RoundPlan | None, *, at: datetime, site: str, month: str,
             slots: list[dict[str, Any]], **meta: Any) -> RoundPlan:  # fmt: skip
        """The month's first plan, or its next revision."""
        if plan is None:
            return cls._create(
                cls.Planned, id=cls.id_for(site, month), timestamp=at, site=site, month=month,
                slots=slots, **meta,
            )  # fmt: skip
        plan.trigger_event(cls.Revised, timestamp=at, site=site, month=month, slots=slots, **meta)
        return plan

    def slot(self, name: str) -> dict[str, Any] | None:
        return next((s for s in self.slots if s["name"] == name), None)


class InspectionRound(Aggregate):
    """One round as it was walked: recorded once, with where each finding went."""

    class Recorded(Aggregate.Created):
        site: str
        actor: str
        correlation_id: str
        causation_id: str | None
        round_ref: str
        round_type: str
        slot: str | None
        local_day: str  # ISO date, local
        area: str
        started_at: datetime
        ended_at: datetime
        inspectors: list[str]
        points: list[dict[str, Any]]
        findings: list[dict[str, Any]]  # each with its route, department and ticket

    def __init__(self, *, site: str, round_ref: str, round_type: str, slot: str | None,
                 local_day: str, area: str, started_at: datetime, ended_at: datetime,
                 inspectors: list[str], points: list[dict[str, Any]],
                 findings: list[dict[str, Any]], **_: Any) -> None:  # fmt: skip
        self.site = site
        self.round_ref = round_ref
        self.round_type = round_type
        self.slot = slot
        self.local_day = local_day
        self.area = area
        self.started_at = started_at
        self.ended_at = ended_at
        self.inspectors = inspectors
        self.points = points
        self.findings = findings

    @staticmethod
    def id_for(site: str, round_ref: str) -> UUID:
        return uuid5(ROUNDS_NS, f"round/{site}/{round_ref}")

    @classmethod
    def record(cls, *, at: datetime, site: str, round_ref: str, **fields: Any) -> InspectionRound:
        return cls._create(
            cls.Recorded, id=cls.id_for(site, round_ref), timestamp=at, site=site,
            round_ref=round_ref, **fields,
        )  # fmt: skip


class RoundDay(Aggregate):
    """The rounds a site walked on one local day, in the order they were recorded."""

    class Opened(Aggregate.Created):
        site: str
        day: str  # ISO date, local

    class Noted(Aggregate.Event):
        round_id: UUID

        def apply(self, book: RoundDay) -> None:
            book.rounds.append(self.round_id)

    def __init__(self, *, site: str, day: str) -> None:
        self.site = site
        self.day = day
        self.rounds: list[UUID] = []

    @staticmethod
    def id_for(site: str, day: date) -> UUID:
        return uuid5(ROUNDS_NS, f"day/{site}/{day.isoformat()}")

    @classmethod
    def open(cls, *, site: str, day: date, at: datetime) -> RoundDay:
        return cls._create(
            cls.Opened, id=cls.id_for(site, day), timestamp=at, site=site, day=day.isoformat()
        )

    def note(self, round_id: UUID, at: datetime) -> None:
        if round_id not in self.rounds:
            self.trigger_event(self.Noted, timestamp=at, round_id=round_id)
