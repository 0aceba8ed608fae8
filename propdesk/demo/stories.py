"""Each contact's story, by kind: how a repair, a complaint, an inquiry, a suggestion or a call for
help moves through the services, with the delays, refusals and second tries a real month has; and
the month's end, when each site manager attaches the month's analysis."""

from __future__ import annotations

from datetime import timedelta

from propdesk.demo.contacts import Ticket
from propdesk.demo.driver import Month, Order
from propdesk.demo.profiles import COMPLAINT_RESOLUTIONS, PAID_ITEMS, PROFILES
from propdesk.demo.sites import ROLE_STAFF
from propdesk.demo.steps import cancel_duplicate, finish, follow_up, report, work
from propdesk.demo.timeline import grid, office
from shared.kernel.vocabulary import Validity
from shared.kernel.words import CATEGORIES, chinese
from shared.messaging import subjects

# A complaint found invalid (无效投诉): the vocabulary's own class when it has one, else the
# complaint is reclassified as an inquiry (it is not a complaint about the property's service).
INVALID = "invalid" if "invalid" in {v.value for v in Validity} else None
CATEGORY_WORDS = chinese(CATEGORIES)


async def story(m: Month, t: Ticket) -> None:
    await m.tl.until(t.at)
    await report(m, t)
    if t.duplicate_of is not None:
        await cancel_duplicate(m, t)
        return
    await KINDS[t.kind](m, t)


async def repair(m: Month, t: Ticket) -> None:
    rng = t.rng
    start = t.appointment[0] if t.appointment else None
    if t.urgent and t.person is not None and rng.random() < 0.3:  # the neighbours call too
        neighbour = rng.choice(m.pool)
        await m.tl.until(t.at + timedelta(minutes=rng.randint(1, 3)))
        await m.intake(
            t, "link", m.desk_staff(t), channel="phone",
            content=f"邻居也来电反映：{t.content}",
            reporter={"name": neighbour.name, "phone": neighbour.phone},
        )  # fmt: skip
    order = await m.issued_order(t)
    who = await work(m, t, order, urgent=t.urgent, start=start)
    item = t.content.split("，")[0]
    fee = None
    household = not t.public and t.unit is not None
    if household and not t.urgent and rng.random() < 0.2:  # a paid item (R8.5)
        item, amount = rng.choice(PAID_ITEMS)
        await m.dispatch(t, "quote", who["technician"], order.id, amount=amount, items=item)
        if rng.random() < 0.12:
            await m.dispatch(
                t, "decline_quote", who["technician"], order.id, reason="业主认为价格偏高"
            )
            await m.tl.until(grid(m.tl.now + timedelta(minutes=rng.randint(20, 60))))
            # once intake has read that the order ended (no order open, R8.12)
            await m.intake(
                t, "resolve", m.desk_staff(t), resolution="业主不接受报价，自行处理",
                wait_for=("conflict",),
            )  # fmt: skip
            await follow_up(m, t, 0.1)
            return
        await m.dispatch(t, "accept_quote", who["technician"], order.id)
        fee = amount
    now = m.tl.now
    if not t.urgent and rng.random() < 0.03:  # waiting for parts: the clock pauses
        # a little later, so that escalation has read the order's quote and its acceptance
        await m.tl.until(grid(now + timedelta(minutes=10)))
        await m.escalation(
            t.site, "pause",
            {"staff_id": m.desk_staff(t), "ticket_id": t.ticket_id, "reason": "parts",
             "note": "等待配件到货"},
        )  # fmt: skip
        back = office(now + timedelta(days=rng.randint(1, 3)), rng)
        await m.tl.until(grid(back))
        await m.escalation(
            t.site, "resume", {"staff_id": m.desk_staff(t), "ticket_id": t.ticket_id}
        )
        done = m.tl.now + timedelta(minutes=rng.randint(60, 180))
    elif not t.urgent and rng.random() < 0.05:  # too slow: the repair clock breaches
        done = office(now + timedelta(days=rng.uniform(3.2, 4.5)), rng)
    else:
        done = now + timedelta(minutes=rng.randint(20, 150 if not t.urgent else 90))
    await finish(m, t, order.id, who, grid(done), item, fee)
    if await follow_up(m, t, 0.08):
        return
    # unsatisfied: reopened; the order is reworked, free within the warranty (R8.9)
    await m.tl.until(grid(m.tl.now + timedelta(hours=rng.uniform(1, 4))))
    reply = await m.dispatch(t, "rework", m.desk_staff(t), order.id, reason="回访不满意，安排返修")
    rework = Order.of(reply)
    who = await work(m, t, rework, urgent=False)
    await finish(m, t, rework.id, who, grid(m.tl.now + timedelta(minutes=60)), f"返修：{item}")
    await follow_up(m, t, 0.0, force=True)


async def complaint(m: Month, t: Ticket) -> None:
    rng = t.rng
    await m.tl.until(grid(t.at + timedelta(minutes=rng.randint(5, 50))))
    roll = rng.random()
    staff = m.desk_staff(t)
    valid = t.stuck or roll < 0.62
    if valid:
        severity = (
            "important" if t.stuck else rng.choices(["minor", "important", "major"], [45, 48, 7])[0]
        )
        await m.intake(t, "classify", staff, validity="valid", severity=severity)
    elif roll < 0.88:
        await m.intake(
            t, "classify", staff, validity="communicative",
            communicative_type=rng.choice(["venting", "inquiry", "help_seeking"]),
        )  # fmt: skip
    elif INVALID is not None:
        await m.intake(t, "classify", staff, validity=INVALID)
    else:
        await m.intake(t, "classify", staff, kind="inquiry")
    if not t.stuck and rng.random() < 0.03:
        await m.tl.until(grid(office(m.tl.now + timedelta(hours=rng.uniform(2, 8)), rng)))
        # a complaint on the ladder is cancelled by the supervisor (R6.4), others at the desk
        by = m.staff(t, ROLE_STAFF["department_supervisor"]) if valid else staff
        await m.intake(t, "cancel", by, reason="withdrawn", note="业主表示已自行协商解决，撤回投诉")
        return
    fate = rng.random()
    if t.stuck:
        hours = None
    elif not valid or fate < 0.78:
        hours = rng.uniform(1.5, 30)
    elif fate < 0.91:
        hours = rng.uniform(2.1 * 24, 6 * 24)  # the department supervisor hears of it
    elif fate < 0.97:
        hours = rng.uniform(7.2 * 24, 13 * 24)  # … and the project manager
    else:
        hours = rng.uniform(14.2 * 24, 20 * 24)  # … and the general manager's office
    workdays = t.site != "hbw"
    solution = COMPLAINT_RESOLUTIONS.get(t.category or "", "核实后整改")
    if hours is not None and hours < 48 and valid and rng.random() < 0.45:
        # the customer accepts the proposed solution before it is carried out (R6.9)
        await m.intake(t, "accept_solution", staff, solution=f"拟：{solution}")
        # a department puts it right with a work order; the sign-off resolves the ticket
        reply = await m.dispatch(
            t, "issue", staff, None, ticket_id=t.ticket_id,
            reason=f"投诉处理：{t.content[:30]}", wait_for=("not_found",),
        )  # fmt: skip
        order = Order.of(reply)
        who = await work(m, t, order, urgent=False)
        done = office(m.tl.now + timedelta(hours=hours), rng, workdays=workdays)
        await finish(m, t, order.id, who, grid(done), "投诉事项已现场处理")
    else:
        end = None if hours is None else m.tl.now + timedelta(hours=hours)
        while True:  # long ones: the customer calls again (R16.1, a criterion of major R5.1)
            nudge = m.tl.now + timedelta(days=rng.uniform(3, 6))
            if end is not None and nudge >= end:
                break
            await m.tl.until(grid(office(nudge, rng)))
            await m.intake(
                t, "link", staff, channel="phone", content="业主再次来电催促处理进度",
                reporter={"name": t.person.name, "phone": t.person.phone} if t.person else None,
            )  # fmt: skip
        assert end is not None
        await m.tl.until(grid(office(end, rng, workdays=workdays)))
        text = COMPLAINT_RESOLUTIONS.get(t.category or "", "已核实并处理")
        if not valid:
            text = "已向业主解释说明，业主表示理解"
        else:  # R6.9: carried out once the customer accepted it
            await m.intake(t, "accept_solution", m.desk_staff(t), solution=f"拟：{solution}")
        await m.intake(t, "resolve", m.desk_staff(t), resolution=text)
    if await follow_up(m, t, 0.12):
        return
    await m.tl.until(grid(office(m.tl.now + timedelta(days=rng.uniform(1, 2)), rng)))
    if valid:  # a new solution, accepted again (R6.9)
        await m.intake(t, "accept_solution", m.desk_staff(t), solution="主管上门沟通并落实整改")
    await m.intake(t, "resolve", m.desk_staff(t), resolution="二次处理：主管上门沟通并落实整改")
    await follow_up(m, t, 0.0, force=True)


async def inquiry(m: Month, t: Ticket) -> None:
    rng = t.rng
    if rng.random() < 0.3:  # needs looking up
        await m.tl.until(grid(t.at + timedelta(minutes=rng.randint(10, 60))))
    await m.intake(t, "resolve", m.desk_staff(t), resolution=t.answer or "已答复")
    await follow_up(m, t, 0.05)


async def suggestion(m: Month, t: Ticket) -> None:
    rng = t.rng
    later = t.at + timedelta(days=rng.uniform(1, 4))
    await m.tl.until(grid(office(later, rng, workdays=t.site != "hbw")))
    text = rng.choice(["已采纳，纳入下月工作计划", "已转公司研究，感谢建议", "已采纳并实施"])
    manager = m.staff(t, ROLE_STAFF["project_manager"])
    await m.intake(t, "resolve", manager, resolution=text)
    await follow_up(m, t, 0.05)


async def help_call(m: Month, t: Ticket) -> None:
    rng = t.rng
    late = rng.random() < 0.08
    minutes = rng.randint(7, 20) if late else rng.randint(1, 4)
    await m.tl.until(t.at + timedelta(minutes=minutes))
    message = {
        "A": "已联系120，保安到楼下引导救护车",
        "B": "维修人员马上到场关阀",
        "E": "保安马上到场，已保存监控录像",
        "F": "值班工程和保安马上到场处理",
    }.get(t.help_category or "", "值班人员马上到")
    await m.intake(t, "reply", m.desk_staff(t), message=message)
    if t.incident_no:  # an emergency event (R16.5): what was done, reported upward at once
        await incident(m, t, "incident_measure", measure=message)
        await incident(m, t, "incident_report_up", to="project_manager", note="电话报告值班经理")
    if t.help_category in ("B", "F"):
        department = "engineering" if t.help_category == "B" else "security"
        reply = await m.dispatch(
            t, "issue", m.desk_staff(t), None, ticket_id=t.ticket_id,
            reason="求助：需现场处置", department=department, urgency="urgent",
            wait_for=("not_found",),
        )  # fmt: skip
        order = Order.of(reply)
        who = await work(m, t, order, urgent=True)
        done = m.tl.now + timedelta(minutes=rng.randint(30, 90))
        await finish(m, t, order.id, who, grid(done), "现场处置完毕")
    else:
        await m.tl.until(grid(m.tl.now + timedelta(minutes=rng.randint(15, 150))))
        await m.intake(t, "resolve", m.desk_staff(t), resolution="已协助处理完毕")
    if t.incident_no:
        await incident(m, t, "incident_close", follow_up="事后回访当事人，情况已稳定，已归档")
    await follow_up(m, t, 0.05)


async def incident(m: Month, t: Ticket, verb: str, **fields: str) -> None:
    """One step of the emergency event a help request opened, by the desk."""
    body = {"command_id": t.command_id(), "staff_id": m.desk_staff(t), "incident_id": t.incident_no}
    await m.send(subjects.command(t.site, "intake", verb), body | fields)


KINDS = {
    "repair": repair,
    "complaint": complaint,
    "inquiry": inquiry,
    "suggestion": suggestion,
    "help": help_call,
}


async def attach_analyses(m: Month, period: str) -> None:
    """Each site manager's analysis of the month (R12.2), written from the month's report as a
    manager would: where the complaints were, what was learnt, what will be done."""
    for site, profile in PROFILES.items():
        query = subjects.query(site, "report.monthly")
        report = await m.send(query, {"month": period}, command=False)
        complaints = report["report"]["by_category"]
        top = [c for c, n in sorted(complaints.items(), key=lambda kv: -kv[1]) if n][:2]
        where = "、".join(CATEGORY_WORDS.get(c, c) for c in top) or "无集中类别"
        # complaints, not ladder steps: one that reached the project manager climbed twice
        escalated = report["report"]["escalated_complaints"]
        body = {
            "command_id": f"demo:analysis:{site}:{period}",
            "staff_id": f"{profile.prefix}-{ROLE_STAFF['project_manager']}",
            "month": period,
            "cause": f"本月受理集中在{where}; {escalated}宗投诉因未在时限内解决而升级。",
            "lessons": "维修预约须当日确认到场时间; 投诉首次回复须在两小时内。",
            "actions": f"针对{where}每周巡查两次; 升级投诉由项目经理每周复盘。",
        }
        await m.send(subjects.command(site, "intake", "attach_analysis"), body)


# -- the clock and the bus --------------------------------------------------------------------
