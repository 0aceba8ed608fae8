"""The steps every story shares: the contact logged, a work order worked through (collected,
assigned, on site, completed, signed, returned), the follow-up call."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from propdesk.demo.contacts import Ticket
from propdesk.demo.driver import Month, Order
from propdesk.demo.sites import DEPARTMENT_LEADS
from propdesk.demo.timeline import ZONE, grid, local, office


async def report(m: Month, t: Ticket) -> None:
    fields: dict[str, Any] = {
        "client_ref": t.client_ref,
        "channel": t.channel,
        "kind": t.kind,
        "content": t.content,
        "received_at": t.at.isoformat(),
    }
    if t.category is not None:
        fields["category"] = t.category
    if t.help_category is not None:
        fields["help_category"] = t.help_category
    if t.person is not None:
        reporter: dict[str, Any] = {"name": t.person.name}
        if t.channel in ("phone", "hotline") or t.rng.random() < 0.7:
            reporter["phone"] = t.person.phone
        if t.unit is not None:
            reporter["room"] = t.unit
        fields["reporter"] = reporter
    if t.appointment is not None:
        start, end = t.appointment
        fields["appointment"] = {"start": start.isoformat(), "end": end.isoformat()}
    staff = m.staff(t, "PATROL") if t.channel == "inspection" else m.desk_staff(t)
    reply = await m.intake(t, "report", staff, **fields)
    t.ticket_id, t.ticket_no = reply["ticket_id"], reply["ticket_no"]
    t.incident_no = reply.get("incident_no") or ""
    t.reported.set()
    m.today.contacts[t.site] += 1


async def cancel_duplicate(m: Month, t: Ticket) -> None:
    assert t.duplicate_of is not None
    await t.duplicate_of.reported.wait()
    await m.tl.until(grid(t.at + timedelta(minutes=t.rng.randint(3, 15))))
    await m.intake(
        t, "cancel", m.desk_staff(t), reason="duplicate", note="重复登记，同一咨询已由前台受理",
        duplicate_of=t.duplicate_of.ticket_no,
    )  # fmt: skip


async def work(
    m: Month, t: Ticket, issued: Order, *, urgent: bool, start: datetime | None = None
) -> dict[str, Any]:
    """The department collects and assigns the order now, the technician arrives: who did."""
    rng = t.rng
    order = issued.id
    lead = m.staff(t, DEPARTMENT_LEADS[issued.department])  # who signs for the department
    technician = m.staff(t, f"T{rng.randint(1, 9):02d}")
    if rng.random() < 0.03:  # the department is slow to sign for it
        await m.tl.until(m.tl.now + timedelta(minutes=rng.randint(4, 8)))
    reply = await m.dispatch(t, "collect", lead, order, collected_by=lead)
    await m.dispatch(t, "assign", lead, order, technician=technician)
    on_site = max(m.tl.now, start or m.tl.now)
    public = reply["scope"] == "public"
    late = rng.random()
    if urgent and late < 0.05:
        arrive = on_site + timedelta(minutes=rng.randint(125, 170))
    elif late < 0.06:
        arrive = on_site + timedelta(minutes=rng.randint(18, 45))
    else:
        arrive = on_site + timedelta(minutes=rng.randint(4, 9) if public else rng.randint(5, 14))
    await m.tl.until(arrive)
    if start is not None and not urgent and rng.random() < 0.05:  # nobody home (R7.17)
        await m.dispatch(t, "arrive", technician, order)
        day = arrive.astimezone(ZONE).date() + timedelta(days=1)
        new = local(day, 10.0)
        window = {"start": new.isoformat(), "end": (new + timedelta(hours=2)).isoformat()}
        await m.dispatch(
            t, "reschedule", technician, order, reason="nobody_home", appointment=window
        )
        await m.tl.until(new + timedelta(minutes=rng.randint(3, 12)))
    arrived = await m.dispatch(t, "arrive", technician, order)
    return arrived | {"technician": technician, "lead": lead}


async def finish(
    m: Month, t: Ticket, order: str, who: dict[str, Any], done_at: datetime, item: str,
    fee: str | None = None,
) -> None:  # fmt: skip
    """Complete the order at `done_at`, the customer signs; returned at the day's end."""
    rng = t.rng
    technician = who["technician"]
    await m.tl.until(done_at)
    fields = {"fee": fee} if fee else {}
    completed = await m.dispatch(
        t, "complete", technician, order, notes=f"已处理：{item}，试用正常", actual_item=item,
        **fields,
    )  # fmt: skip
    if completed["status"] == "awaiting_acceptance":  # a leak: the next rain tells (R8.8)
        later = m.tl.now + timedelta(days=rng.randint(2, 5))
        await m.tl.until(grid(office(later, rng)))
        await m.dispatch(t, "confirm_acceptance", m.desk_staff(t), order, note="雨后复查，未见渗漏")
    quality = rng.choices([5, 4, 3], [60, 30, 10])[0]
    await m.dispatch(
        t, "sign_off", technician, order, quality=quality,
        attitude=min(5, quality + rng.randint(0, 1)),
    )  # fmt: skip
    signed = m.tl.now.astimezone(ZONE)
    back = local(signed.date(), 17.5)
    if signed >= back:
        back = local(signed.date() + timedelta(days=1), 9.0)
    m.tl.spawn(return_order(m, t, order, who["lead"], back))


async def return_order(m: Month, t: Ticket, order: str, lead: str, when: datetime) -> None:
    await m.tl.until(when)
    await m.dispatch(t, "return", lead, order)


async def follow_up(m: Month, t: Ticket, unsatisfied: float, *, force: bool = False) -> bool:
    """The follow-up call (回访) some hours after the resolution; True when satisfied."""
    rng = t.rng
    if rng.random() < 0.04:  # not reached in time: the follow-up clock breaches
        when = m.tl.now + timedelta(hours=rng.uniform(26, 40))
    else:  # the same day, or the next morning
        when = office(m.tl.now + timedelta(hours=rng.uniform(0.5, 6)), rng)
    await m.tl.until(grid(when))
    staff = m.staff(t, "CS1")
    if t.channel == "inspection":  # no customer to call: verified on site instead (R13.17)
        await m.intake(t, "verify", staff, passed=True, wait_for=("conflict",))
        return True
    if t.person is not None and rng.random() < 0.5:
        await m.intake(t, "reveal_contact", staff, purpose="回访")
    satisfied = force or rng.random() >= unsatisfied
    fields: dict[str, Any] = {"satisfied": satisfied}
    if satisfied:  # 4–5 is satisfied (shared/kernel/satisfaction.py)
        fields["score"] = 4 if force else rng.choices([5, 4], [65, 35])[0]
    else:
        fields["score"] = rng.randint(2, 3)
        fields["comment"] = rng.choice(["问题没有根本解决", "处理太慢", "维修后又出现同样问题"])
    await m.intake(t, "follow_up", staff, wait_for=("conflict",), **fields)
    return satisfied
