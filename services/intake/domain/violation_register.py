"""Intake's own list of a site's violation cases, so that the retention job (R14.8) finds the
closed ones without reading the whole store. Never published."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

REGISTER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/violation-register")


class ViolationRegister(Aggregate):
    class Started(Aggregate.Created):
        site: str

    class Listed(Aggregate.Event):
        case_id: UUID

        def apply(self, register: ViolationRegister) -> None:
            register.cases.append(self.case_id)

    def __init__(self, *, site: str) -> None:
        self.site = site
        self.cases: list[UUID] = []

    @staticmethod
    def id_for(site: str) -> UUID:
        return uuid5(REGISTER_NS, site)

    @classmethod
    def start(cls, *, site: str, at: datetime) -> ViolationRegister:
        return cls._create(cls.Started, id=cls.id_for(site), timestamp=at, site=site)

    def list_case(self, case_id: UUID, at: datetime) -> None:
        self.trigger_event(self.Listed, timestamp=at, case_id=case_id)
