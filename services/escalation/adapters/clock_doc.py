"""The clock tables of docs/SERVICE-LEVELS.md, written from the rules themselves (`TRIGGERS` in
services/escalation/application/policy.py, the defaults in shared/kernel/sla.py), so that the
document says what the service does. `python -m services.escalation.adapters.clock_doc` rewrites
them in place; a unit test fails while the document and the rules disagree."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

from services.escalation.application.clock_vocabulary import (
    Action,
    ByScope,
    Clock,
    ForwardComplaint,
    Ladder,
    NoteDepartment,
    NoteRepeat,
    NoteUrgency,
    Pause,
    Recount,
    ReportMajor,
    Rescope,
    Resume,
    Start,
    StartLadder,
    Stop,
    When,
)
from services.escalation.application.policy import TRIGGERS
from services.escalation.domain.ladder import (
    MAJOR_SUGGESTED_TO,
    MAJOR_TOLD,
    RAISED_FOR_MAJOR,
    upgrade_told,
)
from services.escalation.domain.receipt import RECEIVED_BY
from shared.kernel.sla import (
    DEFAULT_CLOCKS,
    DEFAULT_LADDER,
    DEFAULT_UPGRADE,
    LADDER_COUNTS,
    URGENT,
    Counts,
)
from shared.kernel.vocabulary import ClockName, Level, Role

DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "SERVICE-LEVELS.md"
TABLES = ("clocks", "triggers", "ladder")


def _event(event_class: type) -> str:
    return f"`{event_class.type_name()}`"  # type: ignore[attr-defined]


def _if(when: tuple[When, ...], clock: Clock | None = None, name: ClockName | None = None) -> str:
    says = [w.says for w in when if w.says]
    if isinstance(clock, ByScope) and name is not None:
        says.append("household" if name is clock.household else "public facility")
    return f" ({', '.join(says)})" if says else ""


def _target(target: timedelta) -> str:
    minutes = target.total_seconds() / 60
    return f"{minutes:g} min" if minutes < 60 else f"{minutes / 60:g} h"


COUNTS: dict[Counts, str] = {
    "calendar": "calendar time",
    "site": "as the site counts",
    "urgent_calendar": "calendar time if urgent, else as the site counts",
}


def _covers(clocks: tuple[Clock, ...], name: ClockName) -> bool:
    return not clocks or any(name in (c if isinstance(c, ByScope) else (c,)) for c in clocks)


def clock_table() -> str:
    """One row per clock: what starts it (and from when), what stops it, what cancels it."""
    rows = [
        "| Clock (`clock`) | Starts (counted from) | Stops | Cancelled by | Target | Counts "
        "| Told on breach | Rule |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, rule in DEFAULT_CLOCKS.items():
        starts: dict[str, list[str]] = {}
        stops: list[str] = []
        cancels: list[str] = []
        recounts: list[str] = []
        for event_class, actions in TRIGGERS.items():
            for action in actions:
                if isinstance(action, Recount) and _covers(action.clocks, name):
                    recounts.append(_event(event_class) + _if(action.when))
                elif isinstance(action, Rescope) and _covers(action.clocks, name):
                    other = _event(event_class) + " (the other scope)"
                    cancels.append(other)
                    starts.setdefault(", from the start of the run it replaces", []).append(other)
                elif isinstance(action, Start) and _covers((action.clock,), name):
                    how = f"{_if(action.when, action.clock, name)}, from {action.counted_from.says}"
                    if action.until is not None:
                        how += f", until {action.until.says}"
                    starts.setdefault(how, []).append(_event(event_class))
                elif isinstance(action, Stop) and _covers(action.clocks, name):
                    said = _event(event_class) + _if(action.when)
                    found = cancels if action.cancelled else stops
                    if said not in found:
                        found.append(said)
        start = "; ".join(f"{', '.join(events)}{how}" for how, events in starts.items())
        counts = COUNTS[rule.counts]
        if recounts and rule.counts == URGENT:  # only its counting follows the urgency
            counts += f"; {', '.join(recounts)} counts it again from its start, the new way"
        rows.append(
            f"| `{name.value}` | {start} | {', '.join(stops)} | {', '.join(cancels) or '—'} "
            f"| {_target(rule.target)} | {counts} | `{rule.notify.value}` | {rule.rule} |"
        )
    return "\n".join(rows)


def _clocks(clocks: tuple[Clock, ...]) -> str:
    if not clocks:
        return "every clock"
    names = [
        f"`{c.household.value}` or `{c.public.value}`" if isinstance(c, ByScope) else f"`{c}`"
        for c in clocks
    ]
    return ", ".join(names)


def _says(action: Action) -> str:
    match action:
        case Start():
            of = " of the order" if action.per_order else ""
            until = f", until {action.until.says}" if action.until else ""
            return (
                f"starts {_clocks((action.clock,))}{of}{_if(action.when)}, "
                f"from {action.counted_from.says}{until}"
            )
        case Stop():
            verb = "cancels" if action.cancelled else "stops"
            of = " of the order" if action.per_order else ""
            return f"{verb} {_clocks(action.clocks)}{of}{_if(action.when)}"
        case Pause():
            of = " of the order" if action.per_order else ""
            return f"pauses {_clocks(action.clocks)}{of} that run, for `{action.reason}`"
        case Resume():
            of = " of the order" if action.per_order else ""
            return f"resumes {_clocks(action.clocks)}{of} paused for `{action.reason}`"
        case Recount():
            of = " of the order" if action.per_order else ""
            return (
                f"counts {_clocks(action.clocks)}{of} that run or are paused as work of its "
                f"urgency now counts, again from their start{_if(action.when)}"
            )
        case Rescope():
            return (
                f"if the order's scope changes: cancels its {_clocks(action.clocks)} that run or "
                "are paused and starts the new scope's clock of each from the same start "
                f"(paused if it was), then notes the scope{_if(action.when)}"
            )
        case NoteUrgency():
            return f"notes the order's urgency{_if(action.when)}"
        case StartLadder():
            return f"puts the ticket on the complaint ladder{_if(action.when)}"
        case ForwardComplaint():
            told = RECEIVED_BY.value
            return f"tells `{told}` of the ticket's zone at once{_if(action.when)} (R6.3, R1.3)"
        case Ladder():
            reason = action.reason.replace("{kind}", "the new kind")
            again = " (also a left one)" if action.rejoin else ""
            return f'ladder `{action.state}`{again}, "{reason}"{_if(action.when)}'
        case NoteDepartment():
            return f"notes the department that answers for it{_if(action.when)}"
        case ReportMajor():
            return f"tells `{MAJOR_TOLD.value}` it is major, at once{_if(action.when)}"
        case NoteRepeat():
            return (
                f"counts the times it was raised; at {RAISED_FOR_MAJOR}, flags it toward major "
                f"to `{MAJOR_SUGGESTED_TO.value}`{_if(action.when)}"
            )
    raise TypeError(action)


def trigger_table() -> str:
    """One row per event on DESK: what it does to the ticket's clocks and ladder, in order."""
    rows = ["| Event | What it does to the clocks, in order |", "|---|---|"]
    for event_class, actions in TRIGGERS.items():
        rows.append(f"| {_event(event_class)} | {'; '.join(_says(a) for a in actions)} |")
    return "\n".join(rows)


def _after(span: timedelta) -> str:
    days = span.days
    if days % 7 == 0:
        return f"{days // 7} week{'s' if days > 7 else ''}"
    return f"{days} day{'s' if days > 1 else ''}"


def ladder_table() -> str:
    """The ladder's levels in the order it climbs (Level), each counted from receipt."""
    counts = COUNTS[LADDER_COUNTS]
    rows = ["| After | Level (`level`) | Counts | Told |", "|---|---|---|---|"]
    rows.append(  # she holds it from receipt (R6.3, R1.3): told at once, not a step
        f"| at once | received (`complaint_received`) | — | `{RECEIVED_BY.value}` of the "
        "ticket's zone (R6.3, R1.3) |"
    )
    of = {Level.department_supervisor: " of the complaint's department (R6.3, R4.12)"}
    rows += [
        f"| {_after(DEFAULT_LADDER[lv])} | `{lv.value}` | {counts} | `{lv.value}`{of.get(lv, '')} |"
        for lv in Level
    ]
    told = ", ".join(f"`{role.value}`" for role in (Role.quality, *upgrade_told()))
    rows.append(
        f"| 1 month ({DEFAULT_UPGRADE.days} days) | upgraded to **major** "
        f"(`complaint_upgraded`, `major_reported`) | {counts} | {told} |"
    )
    return "\n".join(rows)


def _marks(table: str) -> tuple[str, str]:
    return f"<!-- generated: {table} (python -m services.escalation.adapters.clock_doc) -->", (
        f"<!-- end of generated: {table} -->"
    )


def generated(table: str) -> str:
    return {"clocks": clock_table, "triggers": trigger_table, "ladder": ladder_table}[table]()


def _region(text: str, table: str) -> re.Match[str]:
    begin, end = _marks(table)
    found = re.search(f"({re.escape(begin)}\n)(.*?)(\n{re.escape(end)})", text, re.S)
    if found is None:
        raise LookupError(f"{table}: no generated table in the document")
    return found


def in_document(text: str, table: str) -> str:
    """The generated table `table` as the document has it."""
    return _region(text, table).group(2)


def rewrite(text: str) -> str:
    for table in TABLES:
        found = _region(text, table)
        text = text[: found.start(2)] + generated(table) + text[found.end(2) :]
    return text


def main() -> int:
    text = DOCUMENT.read_text(encoding="utf-8")
    new = rewrite(text)
    if new != text:
        DOCUMENT.write_text(new, encoding="utf-8")
        print(f"rewrote the clock tables of {DOCUMENT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
