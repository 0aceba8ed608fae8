"""Intake on NATS: commands on desk.cmd.<site>.intake.<verb>, ticket events relayed to DESK, the
inbox that resolves a ticket when dispatch reports its work done, and `ticket.search` over its
blind index of callers (contact_index.py, ticket_search.py)."""

from __future__ import annotations

import inspect
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from faststream.nats import NatsRouter

from services.intake.adapters.translate import Translator
from services.intake.application import IntakeApp
from services.intake.application.callers import lookup_caller
from services.intake.application.care_roll import list_care_roll
from services.intake.application.contact_index import ContactIndex
from services.intake.application.maintenance_list import list_notices
from services.intake.application.retention import erase_offender, run_retention
from services.intake.application.rounds_log import list_rounds
from services.intake.application.shifts import show_shift
from services.intake.application.ticket_search import search_tickets
from services.intake.application.visits_log import list_visits, survey_stats
from services.intake.domain import Promise
from services.intake.domain.caller_log import CallerLog, looks
from shared.contracts import events
from shared.contracts.care_roll import CareRollReply, ListCareRoll
from shared.contracts.intake_served import INTAKE_SERVED
from shared.contracts.maintenance_commands import (
    ListMaintenanceNotices,
    MaintenanceNoticesReply,
)
from shared.contracts.ops import AccessLog, AccessLogQuery
from shared.contracts.queue_queries import SearchTickets, TicketSearchReply
from shared.contracts.replies import ErrorCode
from shared.contracts.resident_commands import (
    CallerReply,
    LookupCaller,
    LookupsQuery,
    LookupsReply,
)
from shared.contracts.rounds import ListRounds, RoundsReply
from shared.contracts.shifts import ShiftLogView, ShowShift
from shared.contracts.violation_retention import (
    EraseOffender,
    OffenderErased,
    RetentionReport,
    RunRetention,
)
from shared.contracts.visits import (
    ListVisits,
    SurveyStatsQuery,
    SurveyStatsReply,
    VisitsReply,
)
from shared.eventstore.subject_keys import SubjectKeys, subject_keys_file
from shared.messaging import subjects
from shared.messaging.desk_service import DeskService
from shared.messaging.errors import DeskError
from shared.messaging.identity import caller_account, site_account
from shared.messaging.publishing import mask
from shared.messaging.relay import Translate
from shared.messaging.rpc import correlation_id

# verb -> (command model, reply model, description): each command names its verb and its reply
# and says what it does in its docstring
# (every one of them: shared/contracts/intake_served.py)
COMMANDS = {
    cmd.verb: (cmd, cmd.reply, inspect.cleandoc(cmd.__doc__ or "")) for cmd in INTAKE_SERVED
}


def from_desk(name: str, site: str, headers: dict[str, str]) -> None:
    """Personal data goes to the site's desk only (R15.2): a query of the resident file from
    inside the services' account, or from another account, is refused."""
    if caller_account(headers) != site_account(site):
        raise DeskError(ErrorCode.forbidden, f"{name} comes only from {site}'s desk")


class IntakeService(DeskService):
    name = "intake"
    counts_deadlines = True
    app_class = IntakeApp
    commands = COMMANDS
    publishes = events.INTAKE_EVENTS
    # a ticket's work orders, so that it is never resolved while one is open; the last sign-off
    # of its orders resolves it
    consumes = ("intake-work-done", subjects.event_pattern("workorder.>"))

    index: ContactIndex | None = None

    def open_stores(self) -> None:
        super().open_stores()
        self.app.subject_keys = SubjectKeys(subject_keys_file(self.settings.data_dir))
        self.index = ContactIndex(
            self.index_file, self.app.mapper.cipher.ring, self.app.recorder, self.app.mapper
        )

    @property
    def index_file(self) -> Path:
        return self.settings.data_dir / "intake-search.sqlite3"

    def store_files(self) -> list[Path]:
        return [*super().store_files(), self.index_file]  # the index is SQLite on PostgreSQL too

    def close_stores(self) -> None:
        if self.app is not None:
            self.app.subject_keys.close()
        if self.index is not None:
            self.index.close()
            self.index = None
        super().close_stores()

    def background(self) -> list[Coroutine[Any, Any, None]]:
        return [*super().background(), self._index_store()]

    async def _index_store(self) -> None:
        """Index what the store gained while intake was stopped (everything, the first time)."""
        assert self.index is not None
        await self.offload(self.index.catch_up)

    async def _search(self, site: str, query: SearchTickets, _: dict[str, str]) -> dict:
        assert self.index is not None
        return await self.offload(search_tickets, self.app, self.index, site, query)

    def translator(self) -> Translate:
        return Translator(
            self.app.reporters_of,
            ticket_of_incident=self.app.ticket_of_incident,
            case_of=self.app.violation_case,
            promise_of=lambda promise_id: self.app.get(promise_id, Promise),
        )

    def router(self) -> NatsRouter:
        router = super().router()
        # operators' requests, the site in the body (company=True): only ops may send desk.ops.*
        for verb, query, reply, answer in (
            ("access_log", AccessLogQuery, AccessLog, self._access_log),  # refused looks, R15.2
            ("violation_retention", RunRetention, RetentionReport, self._retention),  # R14.8
            ("violation_erase", EraseOffender, OffenderErased, self._erase),  # R15.1
            ("resident_lookups", LookupsQuery, LookupsReply, self._looks),  # RESIDENTS.md
        ):
            subject = subjects.ops(self.name, verb)
            title = subject.removeprefix("desk.")
            handle = self.handler(title.replace(".", "_"), query, reply, answer, company=True)
            router.subscriber(subject, title=title, description=query.__doc__ or "")(handle)
        # a site's queries that intake answers from its own records
        for name, query, reply, answer in (
            ("ticket.search", SearchTickets, TicketSearchReply, self._search),
            ("resident.lookup", LookupCaller, CallerReply, self._lookup),
            ("resident.care_roll", ListCareRoll, CareRollReply, self._care_roll),
            ("round.list", ListRounds, RoundsReply, self._answering(list_rounds)),
            ("maintenance.list", ListMaintenanceNotices, MaintenanceNoticesReply,
             self._answering(list_notices)),
            ("shift.show", ShowShift, ShiftLogView, self._answering(show_shift)),
            ("visit.week", ListVisits, VisitsReply, self._answering(list_visits)),
            ("survey.stats", SurveyStatsQuery, SurveyStatsReply, self._answering(survey_stats)),
        ):  # fmt: skip
            handle = self.handler(f"query_{name.replace('.', '_')}", query, reply, answer)
            router.subscriber(
                subjects.query_pattern(name),
                title=name,
                description=inspect.cleandoc(query.__doc__ or ""),
            )(handle)
        return router

    def _answering(self, answer: Any) -> Any:
        """A query answered by `answer(app, site, query)` off the event loop: round.list
        (INSPECTION.md), maintenance.list (OUTAGES.md), shift.show (SHIFTS.md), visit.week and
        survey.stats (VISITS.md)."""

        async def handle(site: str, query: Any, _: dict[str, str]) -> dict:
            reply = await self.offload(answer, self.app, site, query)
            return reply.model_dump(mode="json")

        return handle

    async def _lookup(self, site: str, query: LookupCaller, headers: dict[str, str]) -> dict:
        """Who is calling (docs/RESIDENTS.md): the site's desk only, each look recorded."""
        assert self.index is not None
        return await self._look("resident.lookup", site, headers, lookup_caller, self.app,
                                self.index, site, query)  # fmt: skip

    async def _care_roll(self, site: str, query: ListCareRoll, headers: dict[str, str]) -> dict:
        """The site's special-care residents, soonest due first (docs/RESIDENTS.md)."""
        return await self._look("resident.care_roll", site, headers, list_care_roll, self.app,
                                site, query)  # fmt: skip

    async def _look(self, name: str, site: str, headers: dict[str, str], answer: Any,
                    *args: Any) -> dict:  # fmt: skip
        """A look at the resident file: from the site's desk only (`from_desk`), answered in
        the writer's turn, like a command, since the look is recorded (callers.py)."""
        from_desk(name, site, headers)
        async with self._lock:
            reply = await self.offload(answer, *args, correlation_id(headers, None))
        self.applied()
        return reply

    async def _looks(self, _: str, query: LookupsQuery, __: dict[str, str]) -> dict:
        assert self.app is not None
        if self.sites.get(query.site) is None:
            raise DeskError(ErrorCode.not_found, f"site {query.site!r} is not served here")
        log = CallerLog.id_for(query.site, query.month)
        found = await self.offload(lambda: looks(self.app.events.get(log)))
        reply = LookupsReply(site=query.site, month=query.month, looks=found)
        return reply.model_dump(mode="json")

    async def _retention(self, _: str, run: RunRetention, headers: dict[str, str]) -> dict:
        """The closed violation cases past their retention; with `apply`, their expiry, in
        the writer's turn like a command, then published."""
        assert self.app is not None
        if self.sites.get(run.site) is None:
            raise DeskError(ErrorCode.not_found, f"site {run.site!r} is not served here")
        async with self._lock:
            report = await self.offload(run_retention, self.app, run, correlation_id(headers, None))
        self.applied()
        return report

    async def _erase(self, _: str, request: EraseOffender, headers: dict[str, str]) -> dict:
        assert self.app is not None
        if self.sites.get(request.site) is None:
            raise DeskError(ErrorCode.not_found, f"site {request.site!r} is not served here")
        async with self._lock:
            reply = await self.offload(
                erase_offender, self.app, request, correlation_id(headers, None)
            )
        self.applied()
        return reply

    async def _access_log(self, _: str, query: AccessLogQuery, __: dict[str, str]) -> dict:
        """The refused looks of a site's month, their purpose masked like anything published."""
        assert self.app is not None
        found = await self.offload(self.app.refused_reveals, query.site, query.month)
        refused = [entry | {"purpose": mask(entry["purpose"]) or ""} for entry in found]
        return AccessLog(site=query.site, month=query.month, refused=refused).model_dump(
            mode="json"
        )
