"""Live updates (server-sent events): a page that shows the desk's state subscribes to `/live`,
which is fed by a NATS subscription, as the site's desk, to the site's notices and events (both
allowed to a site's identity, contract §22). The browser is told only that something changed, and
of a new notice to the person's role what its banner says (`said`: its subject, why, and what an
incident's or a promise's notice is about, and its id, by which the page's banner asks later
whether it is still owed: /live/owed); it reads the rest through the pages, as always. A zone
CS assistant is told of her zones' notices and the site-wide ones only, as her 通知 lists them
under 我的辖区 (R1.3, R6.3): the notice on desk.ntf names its zone (contract §20)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from services.console.adapters.templating import subject_label
from services.console.application.notification_subjects import said_itself
from services.console.domain.words import word
from shared.kernel.zones import in_zones
from shared.messaging import subjects
from shared.messaging.client import Bus
from shared.messaging.identity import site_identity

HEARTBEAT = 15.0  # seconds: a comment line keeps proxies from closing an idle stream


def banner(notice: dict[str, Any]) -> str:
    """What the banner says of a new notice: its subject as the notices page names it (a
    promise's token is no number to read out), why, and what an incident or a promise is about
    when the notice says it (火灾 · 地下车库B2)."""
    why = word("notice_reason", notice.get("reason") or "")
    if notice.get("clock"):  # as the notices page: 超时：住户报修接单
        why += "：" + word("clock", notice["clock"])
    parts = [subject_label(notice), why, said_itself(notice) or ""]
    return " · ".join(part for part in parts if part)


def for_her(notice: dict[str, Any], role: str, zones: tuple[str, ...],
            department: str | None = None) -> bool:  # fmt: skip
    """Whether a notice is told to a member of `role` with `zones` (a zone CS assistant's, from
    the staff list; none: the whole site) and `department` (where she works; none: any): to her
    role; when she has zones, to one of them or to none (site-wide: nobody's zone loses it); when
    she works in a department, to hers or to none — what her 通知 lists (my_notices.py)."""
    if notice.get("role") != role:
        return False
    told = notice.get("department")
    if department is not None and told is not None and told != department:
        return False
    zone = notice.get("zone")
    return not zones or zone is None or in_zones(zone, zones)


async def feed(bus: Bus, site: str, role: str, zones: tuple[str, ...] = (),
               department: str | None = None) -> AsyncIterator[bytes]:  # fmt: skip
    """`event: changed` when an event of the site is published (at most one a second), `event:
    notice` when a notice goes to `role` (in `zones`, when given: `for_her`)."""
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(maxsize=100)
    nc = await bus.connection(site_identity(site))

    async def heard(msg: Any) -> None:
        if msg.subject.startswith(subjects.notice(site, "")):
            try:
                notice = json.loads(msg.data)
            except ValueError:
                return
            if for_her(notice, role, zones, department):
                kind, data = "notice", {"notification_id": notice.get("notification_id"),
                                        "ticket_no": notice.get("ticket_no"), "role": role,
                                        "said": banner(notice)}  # fmt: skip
            else:
                kind, data = "changed", {}
        else:
            kind, data = "changed", {"event_type": subjects.event_type_of(msg.subject)}
        with contextlib.suppress(asyncio.QueueFull):  # a slow page misses nothing it needs
            queue.put_nowait((kind, data))

    subscriptions = [
        await nc.subscribe(subjects.notice(site, ">"), cb=heard),
        await nc.subscribe(subjects.site_events(site), cb=heard),
    ]
    try:
        yield b"retry: 5000\n\n"
        while True:
            try:
                kind, data = await asyncio.wait_for(queue.get(), HEARTBEAT)
            except TimeoutError:
                yield b": still here\n\n"
                continue
            await asyncio.sleep(1.0)  # one message for a burst of events (a command makes several)
            burst = [(kind, data)]
            while not queue.empty():
                burst.append(queue.get_nowait())
            # each new notice of the burst (the banner keeps each, to drop each once owed no
            # more), else one change
            told = [(kind, data) for kind, data in burst if kind == "notice"] or burst[:1]
            for kind, data in told:
                yield f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()
    finally:
        for subscription in subscriptions:
            with contextlib.suppress(Exception):
                await subscription.unsubscribe()
