"""The repair of a view found corrupt, at start or on error: the file is set aside, the view is
rebuilt from DESK like a replay (ops/replay.py) and switched to (ops/switch.py); queries of the
view answer `unavailable` meanwhile. Mixed into the ReportingService (entrypoint.py), whose
views, inboxes and switch lock it uses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.reporting.ops import corruption
from services.reporting.ops.registry import PROJECTIONS, Projection, View
from services.reporting.ops.replay import rebuild
from shared.contracts.replies import ErrorCode
from shared.messaging import metrics
from shared.messaging.errors import DeskError

REPAIR_SUFFIX = ".repair"  # where a corrupt view is rebuilt, next to it (`replay` uses .rebuild)
REPAIR_RETRY = 1.0  # seconds between tries of a rebuild that failed (NATS away, disk full …)


class RepairingViews:
    """The service's side of a corrupt view (the service gives `repairing`, `repairs`, `log`,
    `settings`, `sites`, `nc`, `clock`, `_tasks`, `_stopping`, `_switching`, `_unfollow`,
    `view_path` and, from SwitchingViews, `_put_in_place`)."""

    repairing: dict[str, str]  # projection -> why its view is being rebuilt
    repairs: dict[str, dict[str, Any]]  # projection -> its last repair
    live: dict[str, Any]
    log: Any
    settings: Any
    sites: Any
    nc: Any
    clock: Any
    _tasks: list[asyncio.Task[Any]]
    _stopping: bool
    _switching: asyncio.Lock
    view_path: Callable[[str], Path]

    def _open_view(self, name: str, projection: Projection, path: Path) -> View:
        """The view at `path`; a corrupt file is set aside for an empty view, which the start
        then rebuilds from DESK (`background`)."""
        reason = corruption.check(path)
        if reason is None:
            try:
                return projection.open(str(path), self.sites)
            except Exception as exc:
                if not corruption.is_corruption(exc):
                    raise
                reason = str(exc)
        aside = corruption.set_aside(path)
        self.log.error(
            "reporting.view_corrupt", projection=name, reason=reason, set_aside=str(aside)
        )
        self.repairing[name] = reason
        metrics.VIEW_REPAIRS.labels(projection=name, found="start").inc()
        return projection.open(str(path), self.sites)

    def _corrupted(self, name: str, reason: str, found: str) -> None:
        """A call found the view `name` corrupt while running: rebuild it, once."""
        if name in self.repairing or self._stopping:
            return
        self.repairing[name] = reason
        path = self.view_path(name)
        self.log.error("reporting.view_corrupt", projection=name, reason=reason, file=str(path))
        metrics.VIEW_REPAIRS.labels(projection=name, found=found).inc()
        self._tasks.append(asyncio.create_task(self._repair(name)))

    async def _repair(self, name: str) -> None:
        """Rebuild the view `name` from DESK into a fresh file (with the replay's speed), then
        serve it in place of the corrupt one and follow DESK from its position. Queries of the
        view answer `unavailable` meanwhile; a rebuild that fails (NATS away, disk full) is
        tried again."""
        projection = PROJECTIONS[name]
        live_path = self.view_path(projection.name).resolve()
        target = live_path.with_name(live_path.name + REPAIR_SUFFIX)
        async with self._switching:
            await self._unfollow(name)  # no batch is tried on the corrupt file meanwhile
        started = self.clock.now()
        while True:
            try:
                assert self.nc is not None
                result = await rebuild(self.nc, projection, target, sites=self.sites)
                async with self._switching:
                    if self._stopping:
                        return  # the next start finds the corrupt file again, or the empty one
                    await self._put_in_place(projection, target)
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.log.warning("reporting.view_rebuild_failed", projection=name, error=repr(exc))
                await asyncio.sleep(REPAIR_RETRY)
        reason = self.repairing.pop(name, "")
        self.repairs[name] = {
            "reason": reason,
            "started_at": started.isoformat(),
            "events": result.events,
            "seconds": round(result.seconds, 3),
            "position": result.position,
        }
        self.log.info(
            "reporting.view_rebuilt", projection=name, events=result.events,
            seconds=round(result.seconds, 3), position=result.position,
        )  # fmt: skip

    async def health(self) -> dict[str, Any]:
        """Each view: whether it answers, or is being rebuilt (and why); its last repair."""
        views = {}
        for name in self.live:
            state: dict[str, Any] = {"state": "rebuilding" if name in self.repairing else "ok"}
            if name in self.repairing:
                state["reason"] = self.repairing[name]
            if name in self.repairs:
                state["last_repair"] = self.repairs[name]
            views[name] = state
        return {"views": views}

    def _refuse_while_repairing(self, name: str) -> None:
        if name in self.repairing:
            raise DeskError(
                ErrorCode.unavailable,
                f"the {name} view was found corrupt and is being rebuilt from DESK; retry "
                "in a moment",
            )
