"""What every PropDesk eventsourcing application shares: its store with a process recorder (for
the relay's and the inbox's positions), command idempotency by command_id, the site check and
the staff check (shared/kernel/staff.py)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, ProcessRecorder, Tracking
from eventsourcing.utils import register_topic
from pydantic import BaseModel

from shared.contracts.commands import Command
from shared.contracts.envelope import Envelope
from shared.contracts.replies import ErrorCode
from shared.eventstore.existence import stored_ids
from shared.eventstore.group_commit import (
    Collecting,
    GroupCommit,
    Outcome,
    StagingRepository,
    unsaved,
)
from shared.eventstore.parking_lot import ParksEvents
from shared.eventstore.recent import RecentRecords
from shared.eventstore.store import LOCK_FILE, StoreLock, check_readable
from shared.eventstore.ticket_numbers import TicketNumber
from shared.eventstore.writer_lock import WriterLock
from shared.kernel.clock import Clock
from shared.kernel.sites import SiteConfig, SiteDirectory
from shared.kernel.staff import Permission, StaffMember
from shared.logging import get_logger
from shared.messaging.errors import DeskError, forbidden, invalid, not_found
from shared.messaging.inbox import Delivery
from shared.messaging.subjects import STREAM

log = get_logger("desk_app")
RECEIPT_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/command")


@dataclass(frozen=True, slots=True)
class CommandContext:
    site: str
    correlation_id: str

    def meta(self, cmd: Command) -> dict[str, Any]:
        return {
            "actor": cmd.staff_id,
            "correlation_id": self.correlation_id,
            "causation_id": cmd.command_id,
        }


class CommandReceipt(Aggregate):
    """The first reply to a command id, so that a retried command records nothing new."""

    class Recorded(Aggregate.Created):
        site: str
        command_id: str
        reply: dict[str, Any]

    def __init__(self, *, site: str, command_id: str, reply: dict[str, Any]) -> None:
        self.site = site
        self.command_id = command_id
        self.reply = reply

    @staticmethod
    def id_for(site: str, service: str, command_id: str) -> UUID:
        return uuid5(RECEIPT_NS, f"{site}/{service}/{command_id}")

    @classmethod
    def record(
        cls, *, site: str, service: str, command_id: str, reply: dict[str, Any], at: datetime
    ) -> CommandReceipt:
        return cls._create(
            cls.Recorded,
            id=cls.id_for(site, service, command_id),
            timestamp=at,
            site=site,
            command_id=command_id,
            reply=reply,
        )


# stored before shared/ was folded into rings (issue 12): those receipts load here
register_topic("shared.desk_app:CommandReceipt", CommandReceipt)


Handler = Callable[[Any, CommandContext, Any], tuple[BaseModel, list[Any]]]
Reaction = Callable[[Any, Any], list[Any]]


class DeskApplication(ParksEvents, Application[UUID]):
    """Subclasses set `name`, `handlers` (command type -> method returning reply, changes) and,
    if they follow DESK, `reactions` (envelope type -> method returning what it changes). What
    its inbox cannot apply it parks (shared/eventstore/parking_lot.py)."""

    handlers: ClassVar[dict[type, Handler]] = {}
    reactions: ClassVar[dict[type[Envelope], Reaction]] = {}
    # Recent aggregates stay cached as this application last recorded them, not fast-forwarded
    # from the store on each get (one SELECT each): the service is the one writer of its store
    # (StoreLock, WriterLock), and `_record` keeps the cache as what it recorded.
    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": "1000",
        "AGGREGATE_CACHE_FASTFORWARD": "n",
    }

    def __init__(self, env: dict[str, str], clock: Clock, sites: SiteDirectory) -> None:
        # A store is held by one process (the service, or `propdesk keys rotate`), and keys
        # that cannot read it stop the start here, with the reason.
        self._store_lock = StoreLock.take(env.get(LOCK_FILE), self.name)
        self._writer_lock: WriterLock | None = None
        try:
            # on PostgreSQL, reachable from other hosts: one writer across them too
            self._writer_lock = WriterLock.take(env, self.name)
            super().__init__(env)
            check_readable(self.name, self.recorder, self.mapper)
        except BaseException:
            self.close()
            raise
        self.clock = clock
        self.sites = sites
        # Commands, reactions to DESK and the relay's position are written from worker threads:
        # one writer at a time (SQLite refuses a write that races another, it does not wait).
        self.writing = threading.Lock()
        # what was just recorded, for the readers of the log in this process (the relay,
        # escalation's schedule) not to read it back (recent.py)
        self.recent = RecentRecords()

    def close(self) -> None:
        if hasattr(self, "factory"):
            super().close()
        if self._writer_lock is not None:
            self._writer_lock.release()
            self._writer_lock = None
        if self._store_lock is not None:
            self._store_lock.release()

    def construct_recorder(self) -> ProcessRecorder:
        # A process recorder also keeps the relay's and the inbox's positions, in the same store.
        return self.factory.process_recorder()

    def construct_repository(self) -> StagingRepository:
        repository = super().construct_repository()
        repository.__class__ = StagingRepository  # the same, looking at a batch's changes first
        repository.snapshotted = tuple(self.snapshotting_intervals or ())
        return repository

    def execute(self, ctx: CommandContext, cmd: Command) -> dict[str, Any]:
        """Run one command; a repeated command_id returns the first reply and records nothing."""
        with self.writing:
            return self._execute(ctx, cmd)

    def execute_batch(self, commands: Sequence[tuple[CommandContext, Command]]) -> list[Outcome]:
        """Run commands in order as `execute` would, recording them in one transaction (a
        failing one is answered with its error, the others are not; group_commit.py): each
        reply, or the error to answer with."""
        with self.writing, self._sites_read_once():
            return self._execute_batch(commands)

    @contextlib.contextmanager
    def _sites_read_once(self) -> Iterator[None]:
        """The site directory as it is when the batch starts, for all its commands (a watched
        file's stamp read once, not at each of a command's site and staff checks)."""
        watched = self.sites
        current = getattr(watched, "current", None)
        if current is None:
            yield
            return
        self.sites = current()
        try:
            yield
        finally:
            self.sites = watched

    def _execute_batch(self, commands: Sequence[tuple[CommandContext, Command]]) -> list[Outcome]:
        return GroupCommit(
            self.repository, self._stage, self._record, self._recorded, self._execute, self._absent
        ).run(commands)

    def lookups(self, commands: Sequence[tuple[CommandContext, Command]]) -> list[UUID]:
        """The ids these commands will look up, as far as known beforehand: their receipts (an
        application adds what its handlers read)."""
        return [
            CommandReceipt.id_for(ctx.site, self.name, cmd.command_id)
            for ctx, cmd in commands
            if cmd.command_id is not None
        ]

    def _absent(self, commands: Sequence[tuple[CommandContext, Command]]) -> set[UUID]:
        """Of what the commands will look up, the ids the store holds no event of."""
        return self._not_stored(lambda: self.lookups(commands))

    def _not_stored(self, lookups: Callable[[], list[UUID]]) -> set[UUID]:
        """Of the ids `lookups` names, those the store holds no event of: one query for a batch
        (existence.py), not one miss each. Nothing, if it cannot be asked."""
        try:
            ids = lookups()
            found = stored_ids(self.recorder, ids) if ids else None
        except Exception:  # a shortcut only: each look-up then asks the store itself
            log.warning("lookups.failed", exc_info=True)
            return set()
        return set(ids) - found if found is not None else set()

    def _record(self, processing: ProcessingEvent) -> Any:
        """Record, keep what was recorded for the log's readers (recent.py), and cache the
        aggregates as recorded; what the store did not take, or what holds changes not recorded
        (a command that failed half-way in a batch), is not cached (and is forgotten if it
        was), so that the next get reads it from the store."""
        repository = self.repository
        caching = repository.cache and not repository.fastforward
        try:
            recordings = self.events.put(
                processing.events, tracking=processing.tracking, **processing.saved_kwargs
            )
        except BaseException:
            for aggregate_id in processing.aggregates if caching else ():
                repository.forget(aggregate_id)
            raise
        self.recent.add(recordings, len(processing.events))
        for aggregate_id, aggregate in processing.aggregates.items() if caching else ():
            if getattr(aggregate, "pending_events", None):
                repository.forget(aggregate_id)
            else:
                repository.remember(aggregate_id, aggregate)
        return recordings

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """eventsourcing's `save`, collecting as a batch does (`Collecting`: without its
        protocol checks)."""
        processing = Collecting()
        processing.collect_events(*objs, **kwargs)
        recordings = self._record(processing)
        self._recorded(processing, recordings)
        return recordings

    def _recorded(self, processing: ProcessingEvent, recordings: Any) -> None:
        """What eventsourcing's `save` does after recording."""
        self._take_snapshots(processing)
        self._notify(recordings)

    def _take_snapshots(self, processing: ProcessingEvent) -> None:
        """eventsourcing's, without reading back what was just recorded: an aggregate whose
        events crossed its snapshotting interval is snapshotted as it was recorded (in memory,
        at its last version; any version will do for a snapshot), where eventsourcing reads it
        back from the store at the crossing event's version (a SELECT and decryption of up to
        an interval of events: 5 % of intake's busy samples at 16 desk clients)."""
        if not self.snapshots or not self.snapshotting_intervals:
            return
        due: dict[Any, tuple[Any, int]] = {}
        for event in processing.events:
            aggregate = processing.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval is not None and event.originator_version % interval == 0:
                due[event.originator_id] = (aggregate, event.originator_version)
        taken = []
        for aggregate_id, (aggregate, version) in due.items():
            if getattr(aggregate, "pending_events", None):  # not as recorded: from the store
                self.take_snapshot(aggregate_id, version=version)
                continue
            snapshot_class = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
            taken.append(snapshot_class.take(aggregate))
        if taken:
            self.snapshots.put(taken)

    def _execute(self, ctx: CommandContext, cmd: Command) -> dict[str, Any]:
        try:
            body, changed = self._stage(ctx, cmd)
        except DeskError as exc:
            if exc.trace:
                self.save(*exc.trace)
            raise
        if not changed:
            return body
        try:
            self.save(*changed)
        except IntegrityError:
            earlier = self._receipt(ctx.site, cmd.command_id) if cmd.command_id else None
            if earlier is not None:
                return earlier
            raise DeskError(ErrorCode.conflict, "the record changed meanwhile; retry") from None
        return body

    def _stage(self, ctx: CommandContext, cmd: Command) -> tuple[dict[str, Any], list[Any]]:
        """A command's reply and the aggregates it changed (with its receipt), saving nothing."""
        self.site_config(ctx.site)
        self.member(ctx, cmd)
        if cmd.command_id is not None:
            earlier = self._receipt(ctx.site, cmd.command_id)
            if earlier is not None:
                return earlier, []
        reply, changed = self.handlers[type(cmd)](self, ctx, cmd)
        body = reply.model_dump(mode="json")
        if changed and cmd.command_id is not None:
            changed.append(
                CommandReceipt.record(
                    site=ctx.site,
                    service=self.name,
                    command_id=cmd.command_id,
                    reply=body,
                    at=self.clock.now(),
                )
            )
        return body, changed

    # -- policy: reacting to the stream DESK, exactly once ---------------------------------

    def position(self) -> int:
        """The last stream sequence this application has reacted to."""
        return self.recorder.max_tracking_id(STREAM) or 0

    def apply(self, deliveries: Sequence[Delivery]) -> None:
        """The deliveries' changes and the stream position, in one transaction."""
        with self.writing:
            self._apply(deliveries)

    def _apply(self, deliveries: Sequence[Delivery]) -> None:
        done = self.position()
        fresh = [d for d in deliveries if d.seq > done]  # the redelivered are applied already
        while fresh:
            fresh = self._apply_together(fresh)

    def _apply_together(self, deliveries: Sequence[Delivery]) -> list[Delivery]:
        """React to deliveries in order, each seeing what those before it changed, and record
        it all with the last one's position in one transaction (once per batch, not once per
        event: ../docs/PERFORMANCE.md). Returns those left for another transaction: a reaction
        left changes it did not return, which the next must not see."""
        processing: ProcessingEvent = Collecting()
        absent = self._absent_of_reactions(deliveries)
        self.repository.staged = processing.aggregates
        self.repository.absent = absent
        taken = 0
        try:
            for delivery in deliveries:
                taken += 1
                changed = self.react(delivery.envelope) if delivery.envelope else []
                processing.collect_events(*changed)
                if unsaved(processing.aggregates):
                    break
        finally:
            self.repository.staged = None
            self.repository.absent = set()
        processing.tracking = Tracking(STREAM, deliveries[taken - 1].seq)
        self._record(processing)
        return list(deliveries[taken:])

    def reaction_lookups(self, events: Sequence[Envelope]) -> list[UUID]:
        """The ids the reactions to these events will look up, as far as known beforehand (an
        application names what its reactions read: a new ticket's file, its number's entry)."""
        return []

    def _absent_of_reactions(self, deliveries: Sequence[Delivery]) -> set[UUID]:
        """Of what the reactions to a batch from DESK will look up, the ids the store holds no
        event of, as for a batch of commands (`_absent`)."""
        envelopes = [d.envelope for d in deliveries if d.envelope]
        return self._not_stored(lambda: self.reaction_lookups(envelopes))

    def react(self, event: Envelope) -> list[Any]:
        """The aggregates an event from DESK changes: its entry in `reactions`, or none."""
        reaction = self.reactions.get(type(event))
        return reaction(self, event) if reaction is not None else []

    def get(self, aggregate_id: UUID, kind: type[Aggregate]) -> Any | None:
        try:
            found = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None

    def ticket_id_of(self, site: str, ref: UUID | str) -> UUID:
        """The id a command's ticket reference names: an id as given, a number (HBW-202611-0042)
        by this service's index of the site's numbers (`not_found` when it names none)."""
        if isinstance(ref, UUID):
            return ref
        entry = self.get(TicketNumber.id_for(site, ref), TicketNumber)
        if entry is None or entry.site != site:
            raise not_found(f"ticket {ref}")
        return entry.ticket_id

    def note_number(self, site: str, ticket_no: str, ticket_id: UUID) -> list[Any]:
        """The index entry of a ticket's number, when this service does not have it yet."""
        if self.get(TicketNumber.id_for(site, ticket_no), TicketNumber) is not None:
            return []
        return [
            TicketNumber.note(
                site=site, ticket_no=ticket_no, ticket_id=ticket_id, at=self.clock.now()
            )
        ]

    def _receipt(self, site: str, command_id: str) -> dict[str, Any] | None:
        receipt = self.get(CommandReceipt.id_for(site, self.name, command_id), CommandReceipt)
        return receipt.reply if receipt is not None else None

    def site_config(self, site: str) -> SiteConfig:
        config = self.sites.get(site)
        if config is None:
            raise DeskError(ErrorCode.forbidden, f"site {site!r} is not served here")
        return config

    # -- who gives the command: the site's staff list and the roles its commands need --------

    def member(self, ctx: CommandContext, cmd: Command) -> StaffMember | None:
        """The member of staff giving `cmd`; None where the site lists no staff (no checks)."""
        staff = self.site_config(ctx.site).staff
        if not staff:
            return None
        found = staff.get(cmd.staff_id)
        if found is None:
            raise self.refuse(
                ctx, cmd, f"staff {cmd.staff_id} is not on the staff list of {ctx.site}"
            )
        return found

    def listed(
        self, site: str, field: str, staff_id: str, noun: str = "staff"
    ) -> StaffMember | None:
        """The member of staff a command names in `field` (who signs, who is sent, who takes
        over, whom a complaint or a finding is about; not who gives it): `invalid` naming the
        field when the site lists its staff and not them — a mistyped id would leave the work
        with nobody; None where it lists none. Every such refusal reads the same."""
        staff = self.site_config(site).staff
        if not staff:
            return None
        found = staff.get(staff_id)
        if found is None:
            raise invalid(f"{noun} {staff_id} is not on the staff list of {site}", field)
        return found

    def require(self, ctx: CommandContext, cmd: Command, permission: Permission) -> None:
        """Refuse `cmd` unless its staff member's role may do it (or the site lists no staff)."""
        member = self.member(ctx, cmd)
        if member is not None and member.role not in permission.roles:
            raise self.refuse(ctx, cmd, permission.refusal(cmd.staff_id, member.role))

    def refuse(self, ctx: CommandContext, cmd: Command, message: str) -> DeskError:
        """A `forbidden` refusal; an application adds to its trace what it must record."""
        return forbidden(message)
