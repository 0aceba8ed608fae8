"""One generated ticket's whole life (`Life`), as the services would publish it: reported,
classified, replied to, linked, resolved, followed up, closed or reopened, cancelled; a repair's
work order through collection, assignment, a quote, completion, sign-off and return; service-level
clocks started, paused, warned, breached and stopped; the complaint ladder; the notifications
acknowledged. Every choice comes from the history's own `random.Random`."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from shared.contracts import escalation_events, workorder_events
from shared.contracts import events as ticket_events

if TYPE_CHECKING:
    from tests.support.generated import GeneratedHistory

BOARD_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/board")
NOTICE_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/notice")
BENCH_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/bench")
KINDS = {"repair": 45, "complaint": 20, "inquiry": 15, "help": 12, "suggestion": 8}
CONTENT = {
    "repair": (
        "厨房水管漏水, 请尽快上门",
        "卫生间下水道堵塞",
        "客厅灯不亮, 开关冒火花",
        "3栋电梯异响",
    ),
    "complaint": ("楼上装修噪音太大, 晚上十点还在施工", "小区垃圾清运不及时, 气味很大"),
    "inquiry": ("请问物业费缴费时间", "停车位月卡如何办理"),
    "help": ("家里老人摔倒需要帮助", "被困电梯"),
    "suggestion": ("建议增加儿童游乐设施",),
}
CATEGORY = {
    "repair": ("plumbing", "electrical", "elevator", "maintenance"),
    "complaint": ("noise",),
}


class Life:
    """One ticket from its report to its end, with its work order and its clocks."""

    def __init__(self, history: GeneratedHistory, site: str, ticket_no: str, at: datetime) -> None:
        self.h, self.r, self.site, self.t = history, history.random, site, at
        self.kind = self.r.choices(list(KINDS), list(KINDS.values()))[0]
        self.category = self.r.choice(CATEGORY[self.kind]) if self.kind in CATEGORY else None
        self.ticket_no = ticket_no
        self.ticket = uuid5(BENCH_NS, f"{site}/{ticket_no}")
        self.board = uuid5(BOARD_NS, str(self.ticket))
        self.staff = f"S{self.r.randint(1, 40):02d}"
        self.correlation = f"{ticket_no}-{self.staff}"
        self.ref = {"ticket_id": self.ticket, "ticket_no": ticket_no}

    def later(self, **delta: float) -> datetime:
        self.t += timedelta(**delta)
        return self.t

    def on_ticket(self, event_type: str, data: Any, actor: str | None = None) -> str:
        event = self.h.emit(
            self.site, self.ticket, f"ticket.{event_type}", self.t, data,
            actor=actor or self.staff, correlation=self.correlation,
        )  # fmt: skip
        return str(event.event_id)

    def escalation(
        self,
        name: str,
        data: dict[str, Any],
        agg: UUID | None = None,
        actor: str = "escalation",
    ) -> None:
        model = escalation_events.ESCALATION_DATA[name].model_validate(self.ref | data)
        self.h.emit(
            self.site, agg or self.board, f"escalation.{name}", self.t + timedelta(seconds=1),
            model, actor=actor, correlation=self.correlation,
        )  # fmt: skip

    def clock(self, name: str, hours: float, role: str, order_no: str | None = None) -> dict:
        key = f"{name}:{order_no}" if order_no else name
        target = timedelta(hours=hours)
        started = {
            "clock": name,
            "key": key,
            "order_no": order_no,
            "started_at": self.t,
            "deadline": self.t + target,
            "warn_at": self.t + target * 0.8,
            "target_seconds": target.total_seconds(),
            "role": role,
        }
        self.escalation("clock_started", started)
        return started

    def stop(self, clock: dict, outcome: str = "met") -> None:
        counted = self.r.uniform(0.2, 0.9) * clock["target_seconds"]
        self.escalation(
            "clock_stopped",
            {
                "clock": clock["clock"],
                "key": clock["key"],
                "outcome": outcome,
                "counted_seconds": counted,
            },
        )

    def notify(self, subject: str, role: str) -> dict[str, Any]:
        return {"notification_id": uuid5(NOTICE_NS, f"{self.board}/{subject}"), "role": role}

    def acknowledge(self, note: dict[str, Any], by: str) -> None:
        self.later(minutes=self.r.uniform(5, 60))
        data = {"notification_id": note["notification_id"], "role": note["role"], "note": "已安排"}
        self.escalation("notification_acknowledged", data, note["notification_id"], by)

    def live(self) -> None:
        r = self.r
        appointment = None
        if self.kind == "repair" and r.random() < 0.3:
            start = (self.t + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
            appointment = {"start": start, "end": start + timedelta(hours=2)}
        reported = self.on_ticket(
            "reported",
            ticket_events.TicketReported(
                ticket_no=self.ticket_no,
                client_ref=f"desk-{self.ticket_no}",
                channel=r.choice(("phone", "phone", "visit", "online", "hotline")),
                kind=self.kind,
                category=self.category,
                help_category="G" if self.kind == "help" else None,
                unit=f"{r.randint(1, 30)}-{r.randint(1, 28)}{r.randint(1, 4):02d}",
                content=r.choice(CONTENT[self.kind]),
                received_at=self.t,
                appointment=appointment,
            ),
        )
        if self.kind == "complaint":
            self.complaint()
        elif self.kind == "help":
            self.help()
        elif self.kind == "repair":
            self.repair(reported, appointment)
        else:
            self.later(hours=r.uniform(1, 48))
        if self.kind in ("complaint", "inquiry") and r.random() < 0.05:
            self.later(minutes=10)
            self.on_ticket("contact_revealed", ticket_events.ContactRevealed(purpose="回访"))
        if self.kind != "repair" and r.random() < 0.05:
            self.later(hours=1)
            self.on_ticket(
                "cancelled", ticket_events.TicketCancelled(reason="重复报修", duplicate_of=None)
            )
            if self.kind == "complaint":
                self.escalation("ladder_changed", {"state": "stopped", "reason": "cancelled"})
            return
        self.later(minutes=1)
        self.on_ticket("resolved", ticket_events.TicketResolved(resolution="已处理完毕"))
        if self.kind == "complaint":
            self.escalation("ladder_changed", {"state": "stopped", "reason": "resolved"})
        if self.kind != "suggestion":
            self.follow_up()

    def complaint(self) -> None:
        r, received = self.r, self.t
        steps = {
            "department_supervisor": received + timedelta(days=1),
            "project_manager": received + timedelta(days=3),
            "gm_office": received + timedelta(days=7),
        }
        self.escalation("ladder_started", {"steps": steps, "upgrade_at": received + timedelta(30)})
        self.later(minutes=r.uniform(5, 60))
        self.on_ticket(
            "classified",
            ticket_events.TicketClassified(
                kind="complaint",
                category=self.category,
                help_category=None,
                validity="valid",
                communicative_type=None,
                severity=r.choice(("minor", "important")),
            ),
        )
        if r.random() < 0.15:
            self.later(hours=r.uniform(1, 12))
            self.on_ticket(
                "contact_linked",
                ticket_events.ContactLinked(
                    channel="phone", content="又来电催促", received_at=self.t, repeat_count=1
                ),
            )
        if r.random() < 0.3:
            self.t = max(self.t, steps["department_supervisor"])
            note = self.notify("department_supervisor", "department_supervisor")
            self.escalation(
                "complaint_escalated",
                {"level": "department_supervisor", "due_at": self.t, "notification": note},
            )
            self.acknowledge(note, "DS01")
        self.later(hours=r.uniform(2, 20))

    def help(self) -> None:
        clock = self.clock("help_reply", 5 / 60, "cs_assistant")
        self.later(minutes=self.r.uniform(1, 4))
        self.on_ticket("replied", ticket_events.TicketReplied(message="值班人员马上到", first=True))
        self.stop(clock)
        self.later(minutes=self.r.uniform(20, 120))

    def repair(self, reported: str, appointment: dict[str, datetime] | None) -> None:
        r = self.r
        urgent = self.category in ("elevator", "electrical") and r.random() < 0.5
        name = "urgent_fixed" if urgent else "general_fixed"
        fixed = self.clock(name, 4 if urgent else 72, "department_supervisor")
        order = uuid5(BENCH_NS, f"{self.ticket}/W1")
        order_no = f"{self.ticket_no}-W1"
        tech = f"T{r.randint(1, 20):02d}"

        def step(minutes: float, event: str, data: Any, actor: str = tech, cause: Any = None):
            self.later(minutes=minutes)
            self.h.emit(
                self.site, order, f"workorder.{event}", self.t, data,
                actor=actor, correlation=self.correlation, causation=cause,
            )  # fmt: skip

        step(
            0.05,
            "issued",
            workorder_events.WorkOrderIssued(
                ticket_id=self.ticket,
                order_no=order_no,
                origin="automatic",
                department="engineering",
                category=self.category,
                urgency="urgent" if urgent else "general",
                scope="household",
                unit=None,
                content="维修",
                appointment=appointment,
                leak=False,
                rework_of=None,
                free_of_charge=False,
                reason=None,
            ),
            "dispatch",
            reported,
        )
        collect = self.clock("order_collected_household", 0.5, "cs_assistant", order_no)
        step(
            r.uniform(2, 20),
            "collected",
            workorder_events.WorkOrderCollected(collected_by="ENG1"),
            "ENG1",
        )
        self.stop(collect)
        step(
            r.uniform(2, 30),
            "assigned",
            workorder_events.TechnicianAssigned(technician=tech),
            "ENG1",
        )
        if r.random() < 0.08:
            window = {"start": self.t + timedelta(days=1), "end": self.t + timedelta(days=1.1)}
            step(
                r.uniform(30, 90),
                "rescheduled",
                workorder_events.WorkOrderRescheduled(reason="nobody_home", appointment=window),
            )
        step(r.uniform(10, 120), "arrived", workorder_events.TechnicianArrived())
        which = {"clock": fixed["clock"], "key": fixed["key"]}
        fee = Decimal("0")
        if r.random() < 0.2:
            fee = Decimal(r.choice(("30.00", "80.00", "150.00")))
            step(
                r.uniform(5, 20),
                "quoted",
                workorder_events.QuoteGiven(amount=fee, items="更换角阀"),
            )
            self.escalation(
                "clock_paused",
                which | {"reason": "customer_consent", "note": None, "counted_seconds": 600.0},
            )
            step(r.uniform(5, 60), "quote_accepted", workorder_events.QuoteAccepted(amount=fee))
            deadline = fixed["deadline"] + timedelta(minutes=30)
            self.escalation(
                "clock_resumed",
                which | {"deadline": deadline, "warn_at": deadline - timedelta(minutes=30)},
            )
        if r.random() < 0.1:
            self.escalation("clock_warned", which | {"deadline": fixed["deadline"]})
        late = r.random() < 0.04
        if late:
            self.t = max(self.t, fixed["deadline"])
            note = self.notify(fixed["key"], "department_supervisor")
            self.escalation(
                "clock_breached",
                which
                | {"deadline": fixed["deadline"], "compensation_risk": True, "notification": note},
            )
            self.acknowledge(note, "DS02")
        step(
            r.uniform(20, 180),
            "completed",
            workorder_events.WorkOrderCompleted(
                notes="更换了角阀", actual_item="角阀", fee=fee, awaiting_acceptance=False
            ),
        )
        step(
            r.uniform(1, 10),
            "signed_off",
            workorder_events.WorkOrderSignedOff(
                ticket_id=self.ticket,
                quality=r.choice((4, 5, 5)),
                attitude=5,
                comment=None,
                ticket_done=True,
            ),
        )
        self.stop(fixed, "late" if late else "met")
        step(r.uniform(60, 600), "returned", workorder_events.WorkOrderReturned(), "ENG1")

    def follow_up(self) -> None:
        clock = self.clock("follow_up", 72, "quality")
        self.later(hours=self.r.uniform(4, 48))
        satisfied = self.r.random() < 0.92
        self.on_ticket(
            "followed_up",
            ticket_events.FollowUpRecorded(
                satisfied=satisfied,
                score=5 if satisfied else 2,
                comment=None if satisfied else "仍有问题",
            ),
        )
        self.stop(clock)
        self.later(seconds=1)
        if satisfied:
            self.on_ticket("closed", ticket_events.TicketClosed(reason="satisfied_follow_up"))
        else:
            self.on_ticket(
                "reopened", ticket_events.TicketReopened(reason="业主反映仍有问题", reopen_count=1)
            )
