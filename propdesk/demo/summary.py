"""What the demo shows and leaves behind: the line of each simulated day, the month's report files
(written by `propdesk.report_files`, as `propdesk report` writes them), the table of the month
read back from DESK, and demo-summary.json."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from propdesk import report_files
from propdesk.demo.driver import DayCount, DemoFailed
from propdesk.demo.profiles import PROFILES
from propdesk.demo.readback import SiteSummary
from propdesk.demo.sites import SITES
from propdesk.report_files.headline import headline
from shared.kernel.worktime import is_working_day
from shared.messaging import subjects
from shared.messaging.client import Bus

HOW = "`propdesk report`: XLSX, CSV, JSON and HTML"  # what demo-summary.json says of the files

# wide enough for the summary table also when the output is not a terminal
console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


def weeks_of(days: list[date]) -> list[str]:
    weeks = []
    for day in days:
        year, week, _ = day.isocalendar()
        name = f"{year}-W{week:02d}"
        if name not in weeks:
            weeks.append(name)
    return weeks


async def write_reports(
    bus: Bus, sites: list[str], period: str, days: list[date], out: Path
) -> tuple[list[Path], list[str]]:
    """The month's reports into `out`, asked of the reporting service and written in every
    format: (files written, one line per report)."""
    wanted: list[tuple[str, str, str]] = []  # (kind, site, month or week)
    for site in sites:
        wanted.append(("monthly", site, period))
        wanted += [("weekly", site, week) for week in weeks_of(days)]
    wanted.append(("quality", subjects.COMPANY, period))
    files: list[Path] = []
    lines = []
    for kind, site, key in wanted:
        subject = subjects.query(site, f"report.{kind}")
        reply = await bus.request(subject, {"week" if kind == "weekly" else "month": key}, 30)
        if not reply.get("ok"):
            raise DemoFailed(f"{subject} refused: {reply.get('error')}")
        report = reply["report"]
        name = f"{site}-{key}-{kind}"
        formats = report_files.FORMATS
        files += await asyncio.to_thread(report_files.write, kind, report, out, formats, name)
        lines.append(headline(kind, report))
    return sorted(files), lines


def write_summary(out: Path, facts: dict[str, object], summary: dict[str, SiteSummary]) -> Path:
    """demo-summary.json: the run's facts and the month read back from DESK, per site."""
    sites = {
        site: {k: str(v) if isinstance(v, Decimal) else v for k, v in vars(s).items()}
        for site, s in sorted(summary.items())
    }
    path = out / "demo-summary.json"
    text = json.dumps({**facts, "reports": HOW, "sites": sites}, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def day_line(day: date, count: DayCount) -> str:
    kind = "workday" if is_working_day(day) else ("holiday" if day.weekday() < 5 else "weekend")
    contacts = "/".join(f"{count.contacts[site]:2d}" for site in PROFILES)
    decided = count.decisions
    return (
        f"{day:%m-%d %a} {kind:<7} contacts {contacts} {count.commands:4d} cmds  "
        f"breaches {decided['clock_breached']:2d}  ladder steps {decided['complaint_escalated']}"
        + (f"  upgraded {decided['complaint_upgraded']}" if decided["complaint_upgraded"] else "")
    )


def file_lines(paths: list[Path]) -> list[str]:
    """One line per report: var/reports/hbw-2026-10-monthly.{csv,html,json,xlsx}."""
    formats: dict[Path, list[str]] = {}
    for path in paths:
        stem, _, ext = path.name.partition(".")
        formats.setdefault(path.with_name(stem), []).append(ext)
    return [
        f"{stem}.{exts[0]}" if len(exts) == 1 else f"{stem}.{{{','.join(sorted(exts))}}}"
        for stem, exts in formats.items()
    ]


def print_summary(
    summary: dict[str, SiteSummary], events: int, leaks: list[str], elapsed: float
) -> None:
    names = " · ".join(f"{site} {SITES['sites'][site]['name']}" for site in PROFILES)
    table = Table(
        title=f"The month, read back from the stream DESK ({names})",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 0, 0, 1),
    )
    headers = (
        "site", "contacts", "repairs", "complaints", "work\norders", "paid ¥", "ladder\nsteps",
        "to\nmajor", "breaches", "follow-\nups", "satisfied", "avg\nscore",
    )  # fmt: skip
    for name in headers:
        table.add_column(name, justify="left" if name == "site" else "right")
    for site in PROFILES:
        s = summary.get(site, SiteSummary())
        rate = f"{s.satisfied / s.follow_ups:.0%}" if s.follow_ups else "–"
        score = f"{s.score / s.follow_ups:.2f}" if s.follow_ups else "–"
        table.add_row(
            site, str(s.contacts), str(s.repairs), str(s.complaints), str(s.orders),
            f"{s.paid:.2f}", str(s.escalations), str(s.upgrades), str(s.breaches),
            str(s.follow_ups), rate, score,
        )  # fmt: skip
    console.print(table)
    if leaks:
        console.print(f"[red]personal data on DESK: {len(leaks)} events[/red]")
        for leak in leaks[:10]:
            console.print(f"  {leak}")
    else:
        console.print(f"{events} events on DESK; no reporter's name or phone among them.")
    console.print(f"simulated in {elapsed:.0f} s")
