"""The notification channel: what is due to whom, sent once per notification, attempt and route.

Given each notification as escalation's relay publishes it (`raised`) and each acknowledgement
(`acknowledged`), `send_due` — called by the process's loop, with the time of the injected clock —
sends attempt 1 at once to every route of the notification's role at its site, and, for the
reasons the site re-sends (a breach, a ladder step), attempt n + 1 once `resend_after` has passed
since attempt n without an acknowledgement, up to `max_attempts`. Before each send it asks
escalation's record, in one read of the notice, whether it is settled: acknowledged, or no longer
owed because what it is about ended (its ticket resolved, closed or cancelled, its complaint off
the ladder, its incident closed, its promise kept, …: R6.3, domain/told.py) — then it is
closed, and an end is logged with why (`notify.ended`). Owed, a ticket's is said with the
ticket's unit and what was said, read from its board (`summary`, message.py). A delivery that
failed is tried again after RETRY_FAILED, at most MAX_TRIES times, until the next attempt
replaces it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from services.escalation.application.notify.message import Message, Summary, message
from services.escalation.application.notify.tracking import Tracked, Tracking
from services.escalation.domain.notice import ACKNOWLEDGED
from shared.contracts.escalation_events import Notification
from shared.kernel.clock import Clock
from shared.kernel.notify import Route
from shared.kernel.sites import SiteConfig
from shared.logging import get_logger

log = get_logger("escalation.notify")
RETRY_FAILED = timedelta(minutes=1)
MAX_TRIES = 10  # of one delivery: then it is given up, and said so in the log


class Sender(Protocol):
    """How a message leaves (adapters/notify_senders.py: SMTP, webhook); raises on failure."""

    def send(self, message: Message, route: Route) -> None: ...


class NotificationChannel:
    def __init__(
        self,
        tracking: Tracking,
        site: Callable[[str], SiteConfig | None],
        clock: Clock,
        senders: dict[str, Sender],
        settled: Callable[[UUID], str | None],
        summary: Callable[[Notification], Summary | None] = lambda _: None,
    ) -> None:
        self.tracking = tracking
        self._site = site
        self._clock = clock
        self._senders = senders  # "email", "webhook"
        # escalation's own record, the authority: why the notification is sent no more
        # (ACKNOWLEDGED, or what ended), None while it is owed (`Notice.settled`)
        self._settled = settled
        # what the notification's ticket is about, from its board (None: not a ticket's, or
        # the board kept none): read when a message is made, as the board is then
        self._summary = summary
        self.stopping = threading.Event()  # the process stops: no new delivery begins

    def raised(self, notice: Notification) -> None:
        if self.tracking.add(notice):
            log.info("notify.raised", notification_id=str(notice.notification_id))

    def acknowledged(self, notification_id: UUID) -> None:
        self.tracking.acknowledge(str(notification_id))

    def send_due(self) -> int:
        """Send what is due now; returns how many deliveries succeeded."""
        now = self._clock.now()
        sent = 0
        for tracked in self.tracking.open():
            if self.stopping.is_set():
                break
            sent += self._one(tracked, now)
        return sent

    def _one(self, tracked: Tracked, now: datetime) -> int:
        notice, nid = tracked.notice, str(tracked.notice.notification_id)
        site = self._site(notice.site)
        routes = site.notify.routes(notice.role.value, _value(notice.department)) if site else []
        if not routes:
            self.tracking.close_notice(nid)  # nobody outside PropDesk to tell
            return 0
        assert site is not None
        config = site.notify
        attempt = tracked.attempt
        if attempt == 0 and now - notice.raised_at > config.resend_after * config.max_attempts:
            self.tracking.close_notice(nid)  # handed over long after it was raised: stale
            log.warning("notify.stale", notification_id=nid, raised_at=str(notice.raised_at))
            return 0
        resent = notice.reason in config.resend and attempt < config.max_attempts
        next_attempt = attempt == 0 or (
            resent and tracked.sent_at is not None and now >= tracked.sent_at + config.resend_after
        )
        if not next_attempt and not any(self._owed(nid, attempt, r, now) for r in routes):
            if not resent and self._all_done(nid, attempt, routes):
                self.tracking.close_notice(nid)
            return 0  # nothing to send this time: escalation's store is not asked
        settled = self._settled(notice.notification_id)  # the authority, before any sending
        if settled == ACKNOWLEDGED:
            self.tracking.acknowledge(nid)
            return 0
        if settled is not None:  # what it is about ended: not sent again, nor at all if unsent
            self.tracking.close_notice(nid)
            log.info("notify.ended", notification_id=nid, sent=attempt, why=settled)
            return 0
        if next_attempt:
            attempt += 1
            self.tracking.begin(nid, attempt, now)
        text = message(notice, attempt, site.zone, site.name, self._summary(notice))
        sent = sum(
            self._deliver(nid, attempt, route, text, now)
            for route in routes
            if not self.stopping.is_set()
        )
        if not resent and self._all_done(nid, attempt, routes):
            self.tracking.close_notice(nid)  # its last attempt: nothing more will be sent
        return sent

    def _owed(self, nid: str, attempt: int, route: Route, now: datetime) -> bool:
        """Whether this attempt still owes `route` a try now: not sent, not given up, and not a
        failure younger than RETRY_FAILED."""
        done = self.tracking.delivery(nid, attempt, route.target)
        return done is None or not (
            done.state in ("sent", "given_up")
            or (done.state == "failed" and now < done.at + RETRY_FAILED)
        )

    def _deliver(self, nid: str, attempt: int, route: Route, text: Any, now: datetime) -> int:
        if not self._owed(nid, attempt, route, now):
            return 0
        done = self.tracking.delivery(nid, attempt, route.target)
        if done is not None and done.tries >= MAX_TRIES:
            self.tracking.mark(nid, attempt, route.target, "given_up", now)
            log.error("notify.given_up", notification_id=nid, attempt=attempt, route=route.target)
            return 0
        self.tracking.mark(nid, attempt, route.target, "sending", now)
        kind = "email" if route.email else "webhook"
        try:
            self._senders[kind].send(text, route)
        except Exception as exc:
            self.tracking.mark(nid, attempt, route.target, "failed", now, repr(exc)[:500])
            log.warning("notify.failed", notification_id=nid, attempt=attempt,
                        route=kind, error=repr(exc)[:200])  # fmt: skip
            return 0
        self.tracking.mark(nid, attempt, route.target, "sent", now)
        log.info("notify.sent", notification_id=nid, attempt=attempt, route=kind)
        return 1

    def _all_done(self, nid: str, attempt: int, routes: list[Route]) -> bool:
        states = [self.tracking.delivery(nid, attempt, r.target) for r in routes]
        return all(d is not None and d.state in ("sent", "given_up") for d in states)


def _value(department: Any) -> str | None:
    return getattr(department, "value", department)
