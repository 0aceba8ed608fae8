"""Group commit: the commands that arrive together, applied in order and committed in one
transaction (a store's rate is in its transactions, not its events: ../docs/PERFORMANCE.md).

Each command of a batch is handled as it would be alone, against the aggregates as the commands
before it in the batch left them (`StagingRepository`: what the batch changed is looked up there
first), and its events are collected into the batch's one `ProcessingEvent`. A command that
fails is answered with its error and changes nothing; the batch goes on without it unless it
left events pending on an aggregate the batch holds (then what came before it is committed and
the rest starts a new batch; so too after a command that changed an aggregate it did not return
as changed). If the commit itself fails, every command of that batch runs again on its own, as
it would have without batching: its receipts and the store's version checks decide, as before."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from copy import deepcopy
from typing import Any
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    ProcessingEvent,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate

from shared.messaging.errors import DeskError

# a command's reply, or the error it is answered with
Outcome = dict[str, Any] | Exception
# (context, command) -> (reply, the aggregates it changed), saving nothing
Stage = Callable[[Any, Any], tuple[dict[str, Any], list[Any]]]


class Collecting(ProcessingEvent):  # type: ignore[type-arg]
    """eventsourcing's `ProcessingEvent`, taking an aggregate's pending events without asking
    first whether it is a domain event and whether it collects events: each question is an
    isinstance of a runtime-checkable protocol, which walks the protocol's members (~11 µs an
    aggregate together, 2-3 % of a service's CPU a command). Anything else is collected as
    eventsourcing does; the order of what is collected is kept."""

    def collect_events(self, *objs: Any, **kwargs: Any) -> None:
        for obj in objs:
            if isinstance(obj, Aggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            elif obj is not None:
                super().collect_events(obj)
        self.saved_kwargs.update(kwargs)


def unsaved(staged: dict[UUID, Any]) -> bool:
    """Whether an aggregate of the batch holds changes not collected for its commit."""
    return any(getattr(a, "pending_events", None) for a in staged.values())


class StagingRepository(Repository):
    """eventsourcing's repository; during a batch, an aggregate the batch changed is the batch's
    own object (with the changes of the commands before), not the store's.

    Without fast-forwarding (the application the one writer of its store: desk_app.py), the
    cache holds each aggregate as last recorded (`remember`, by the writer) or read, and a
    newer version is never replaced by an older one: a reader's miss that read the store just
    before the writer recorded (the relay's thread, a query's) does not put back what the
    writer has just superseded."""

    snapshotted: tuple[type, ...] = ()  # the kinds the application takes snapshots of
    _remembering = threading.Lock()  # one for all: held for a look-up and a put

    @property
    def staged(self) -> dict[UUID, Any] | None:
        """What the batch under way changed, seen only by the thread that runs it (not the
        relay's, nor a query's, reading meanwhile)."""
        return getattr(self._batch_thread(), "staged", None)

    @staged.setter
    def staged(self, value: dict[UUID, Any] | None) -> None:
        self._batch_thread().staged = value

    @property
    def absent(self) -> set[UUID]:
        """The ids the batch under way will look up that the store held no event of when it
        began (`GroupCommit`: one query for them all); only while `staged` is set."""
        return getattr(self._batch_thread(), "absent", None) or set()

    @absent.setter
    def absent(self, value: set[UUID]) -> None:
        self._batch_thread().absent = value

    def _batch_thread(self) -> threading.local:
        return self.__dict__.setdefault("_batch", threading.local())  # type: ignore[no-any-return]

    def get(
        self,
        aggregate_id: Any,
        *,
        version: int | None = None,
        deepcopy_from_cache: bool = True,
        **kwargs: Any,
    ) -> Any:
        """`deepcopy_from_cache=False`: the cached object itself, for a caller that only
        reads it."""
        staged = self.staged
        if staged is not None and version is None:
            found = staged.get(aggregate_id)
            if found is not None:
                return found
            if aggregate_id in self.absent:  # asked with the batch's other ids: not in the store
                raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} not found.")
        if version is not None or kwargs or not self.cache or self.fastforward:
            return super().get(
                aggregate_id, version=version, deepcopy_from_cache=deepcopy_from_cache, **kwargs
            )
        try:
            aggregate = self.cache.get(aggregate_id)
        except KeyError:
            aggregate = self._reconstruct_aggregate(aggregate_id, None, project_aggregate)
            aggregate = self.remember(aggregate_id, aggregate)
        if deepcopy_from_cache and self.deepcopy_from_cache:
            return deepcopy(aggregate)
        return aggregate

    def _reconstruct_aggregate(
        self, aggregate_id: Any, version: int | None, projector_func: Any
    ) -> Any:
        """As eventsourcing does, but an aggregate of a kind never snapshotted (`snapshotted`:
        the application's) is read without looking for its snapshot first: its first event
        says its kind, and an id with no event (a ticket reported for the first time, a
        command never given before) costs one query, not two."""
        if version is not None or self.snapshot_store is None:
            return super()._reconstruct_aggregate(aggregate_id, version, projector_func)
        first = list(self.event_store.get(originator_id=aggregate_id, limit=1))
        if not first:
            raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} not found.")
        aggregate = projector_func(None, first)
        if aggregate is None or isinstance(aggregate, self.snapshotted):
            return super()._reconstruct_aggregate(aggregate_id, version, projector_func)
        rest = self.event_store.get(originator_id=aggregate_id, gt=aggregate.version)
        return projector_func(aggregate, rest)

    def remember(self, aggregate_id: UUID, aggregate: Any) -> Any:
        """Cache `aggregate` unless a newer version of it is cached; the one kept."""
        assert self.cache is not None
        with self._remembering:
            try:
                cached = self.cache.get(aggregate_id)
            except KeyError:
                cached = None
            if cached is not None and cached.version > aggregate.version:
                return cached
            self.cache.put(aggregate_id, aggregate)
            return aggregate

    def forget(self, aggregate_id: UUID) -> None:
        assert self.cache is not None
        with self._remembering, contextlib.suppress(KeyError):
            self.cache.get(aggregate_id, evict=True)

    def __contains__(self, item: Any) -> bool:
        staged = self.staged
        if staged is not None and item in staged:
            return True
        return super().__contains__(item)


class GroupCommit:
    """One batch of commands through an application: `stage` handles one command, `commit`
    records a `ProcessingEvent` (one transaction), `alone` runs one command the unbatched way."""

    def __init__(
        self,
        repository: StagingRepository,
        stage: Stage,
        record: Callable[[ProcessingEvent], Any],
        recorded: Callable[[ProcessingEvent, Any], None],
        alone: Callable[[Any, Any], dict[str, Any]],
        absent: Callable[[Sequence[tuple[Any, Any]]], set[UUID]] = lambda _: set(),
    ) -> None:
        self._repository = repository
        self._stage = stage
        self._record = record  # one transaction: all of it or nothing
        self._recorded = recorded  # after it: snapshots, notifying
        self._alone = alone
        self._absent = absent  # of what these commands will look up, what the store lacks

    def run(self, commands: Sequence[tuple[Any, Any]]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(commands)
        todo = list(range(len(commands)))
        while todo:
            todo = self._batch(commands, todo, outcomes)
        return [o if o is not None else RuntimeError("not run") for o in outcomes]

    def _batch(
        self, commands: Sequence[tuple[Any, Any]], todo: list[int], outcomes: list[Any]
    ) -> list[int]:
        """Stage commands from the front of `todo` and commit them once; returns what is left."""
        processing: ProcessingEvent = Collecting()
        staged = processing.aggregates  # what the batch changed, as it left it
        ran: list[int] = []
        absent = self._absent([commands[i] for i in todo])
        self._repository.staged = staged
        self._repository.absent = absent
        try:
            for i in todo:
                ran.append(i)
                ctx, cmd = commands[i]
                try:
                    outcomes[i], changed = self._stage(ctx, cmd)
                    processing.collect_events(*changed)
                except Exception as exc:
                    outcomes[i] = exc
                    if isinstance(exc, DeskError) and exc.trace:
                        processing.collect_events(*exc.trace)  # recorded, as when alone
                if unsaved(staged):
                    break  # changes the batch will not record: the next command must not see them
        finally:
            self._repository.staged = None
            self._repository.absent = set()
        if processing.events:
            try:
                recordings = self._record(processing)
            except Exception:
                for i in ran:  # the batch is not recorded: each on its own, as without it
                    outcomes[i] = self._one(*commands[i])
            else:
                self._recorded(processing, recordings)
        return todo[len(ran) :]

    def _one(self, ctx: Any, cmd: Any) -> Outcome:
        try:
            return self._alone(ctx, cmd)
        except Exception as exc:
            return exc
