"""The reporting service's side of switching a projection's view for a rebuilt file
(`SwitchingViews`: desk.ops.reporting.checksum and .switch), on the live views of
ops/live_view.py: the rebuilt file is checked, the view's inbox stopped, its calls waited for,
the file put in place (ops/view_files.py), the view reopened and DESK followed from its
recorded position.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from services.reporting.ops.corruption import is_corruption
from services.reporting.ops.live_view import LiveView, Switching
from services.reporting.ops.registry import Projection, UnknownProjection, projection_named
from services.reporting.ops.view_files import check_view_file, install
from shared.contracts.ops import SwitchView, ViewChecksum, ViewState
from shared.contracts.replies import ErrorCode
from shared.messaging.errors import DeskError, invalid

T = TypeVar("T")


class SwitchingViews:
    """Mixed into the ReportingService (entrypoint.py), which gives `live`, `views`, `settings`,
    `sites`, `js`, `streams`, `offload`, `log`, `_switching`, `_stopping`, `_followers`,
    `_unfollow`, `_follow_anew`, `view_path`, `durable` and, from RepairingViews,
    `_refuse_while_repairing`."""

    live: dict[str, LiveView]
    views: dict[str, Any]
    settings: Any
    sites: Any
    js: Any
    streams: Any
    offload: Any
    log: Any
    _switching: asyncio.Lock
    _stopping: bool
    _followers: dict[str, asyncio.Task[None]]
    view_path: Callable[[str], Path]  # this replica's file of a view
    durable: Callable[[str], str]  # this replica's consumer of a view

    async def _on_view(self, name: str, call: Callable[[LiveView], T]) -> T:
        """Run `call` in the service's threads on the live view `name`; during a switch, after.
        While the view is rebuilt after corruption, at once `unavailable`."""
        for _ in range(200):
            self._refuse_while_repairing(name)
            live = self.live[name]
            await live.ready.wait()
            try:
                return await self.offload(call, live)
            except Switching:
                await asyncio.sleep(0.05)  # it began a moment after the call was sent
            except Exception as exc:
                if not is_corruption(exc):
                    raise
                self._refuse_while_repairing(name)  # LiveView has started the repair
                raise
        raise DeskError(ErrorCode.unavailable, f"the {name} view is being switched; retry")

    async def _checksum(self, _: str, request: ViewChecksum, __: dict[str, str]) -> dict[str, Any]:
        name = _projection(request.projection).name
        position, checksum = await self._on_view(name, LiveView.state)
        return ViewState(projection=name, position=position, checksum=checksum).model_dump()

    async def _switch(self, _: str, request: SwitchView, __: dict[str, str]) -> dict[str, Any]:
        """Serve the rebuilt file in place of the projection's view: stop its inbox, close the view,
        move the file into place, reopen it and follow DESK from its recorded position, so that
        every event published during the rebuild is applied afterwards."""
        projection = _projection(request.projection)
        name = projection.name
        live_path = self.view_path(projection.name).resolve()
        rebuilt = Path(request.path)
        if (
            not rebuilt.is_absolute()
            or rebuilt.is_symlink()  # the link would become the live view
            or rebuilt.resolve().parent != live_path.parent
        ):
            where = f"{live_path.parent}, next to {live_path.name}"
            raise invalid(f"the rebuilt file must be an absolute path in {where}", "path")
        if rebuilt.resolve() == live_path:
            raise invalid(f"{rebuilt} is the live {name} view, not a rebuilt one", "path")
        async with self._switching:
            if self._stopping:
                raise DeskError(ErrorCode.unavailable, "reporting is stopping")
            self._refuse_while_repairing(name)
            try:  # read only: a file that is not a closed view of this projection stays as it is
                await self.offload(check_view_file, projection, rebuilt)
            except ValueError as exc:
                raise invalid(str(exc), "path") from None
            position, checksum = await self._put_in_place(projection, rebuilt, measure=True)
        self.log.info("reporting.switched", projection=name, position=position, checksum=checksum)
        return ViewState(projection=name, position=position, checksum=checksum).model_dump()

    async def _put_in_place(
        self, projection: Projection, rebuilt: Path, *, measure: bool = False
    ) -> tuple[int, str]:
        """Stop the projection's inbox, close its view, move `rebuilt` into its place, reopen it
        and follow DESK from its recorded position. With `measure`, the position and checksum
        of the rebuilt view, read before the inbox applies more. Under `_switching`."""
        name = projection.name
        live_path = self.view_path(projection.name).resolve()
        live = self.live[name]
        live.ready.clear()  # queries wait from here
        position, checksum = 0, ""
        try:
            await self._unfollow(name)
            try:
                await self.offload(live.close)  # once every running call has ended
                try:
                    await self.offload(install, rebuilt, live_path)
                except (OSError, ValueError) as exc:
                    why = f"could not put {rebuilt} in place ({exc}); the old view is served"
                    raise DeskError(ErrorCode.unavailable, why) from None
                # the rebuilt view follows DESK as it is, sequence for position (contract §25)
                assert self.js is not None
                await self.streams.mark(self.durable(projection.name)).reset(self.js)
            finally:  # the rebuilt view; the old one if the file could not be moved
                view = await self.offload(projection.open, str(live_path), self.sites)
                live.reopen(view)
                self.views[name] = view
            live.ready.set()
            if measure:
                position, checksum = await self.offload(live.state)  # before the inbox applies
        finally:
            live.ready.set()
            if name not in self._followers:
                self._follow_anew(name)
        return position, checksum


def _projection(name: str) -> Projection:
    try:
        return projection_named(name)
    except UnknownProjection as exc:
        raise invalid(str(exc), "projection") from None
