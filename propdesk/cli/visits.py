"""`propdesk visits week` and `propdesk survey stats`: proactive visits against the weekly target
(R11.6) and a satisfaction survey's statistics, with its workbook (R11.9; docs/VISITS.md).
Visits, surveys and answers are recorded through the console or any client of the contract
(docs/contract.md §33)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from propdesk.cli.common import AsJson, NatsUrl, Site, call_desk, err, out, usage
from shared.messaging import subjects

visits_app = typer.Typer(no_args_is_help=True, help="Proactive visits (走访) against the target.")
survey_app = typer.Typer(no_args_is_help=True, help="Satisfaction surveys (满意度调查).")


@visits_app.command("week")
def visits_week(
    site: Site,
    day: Annotated[str, typer.Option(help="A local date, YYYY-MM-DD")],
    month: Annotated[
        bool, typer.Option("--month", help="Every week starting in its month")
    ] = False,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Households visited per zone against the weekly target (R11.6); weeks short are flagged."""
    try:
        date.fromisoformat(day)
    except ValueError:
        usage(f"--day {day!r} is not a date such as 2026-12-03")
    reply = call_desk(nats_url, subjects.query(site, "visit.week"), {"day": day, "month": month},
                      as_json)  # fmt: skip
    if as_json:
        return
    for week in reply["weeks"]:
        short = "" if week["met"] else f"  SHORT: {', '.join(week['short'])}"
        table = Table(title=f"{week['first_day']} – {week['last_day']}{short}")
        for column in ("zone", "occupied", "target", "visited", "visits", "met"):
            table.add_column(column)
        for z in week["zones"]:
            table.add_row(z["zone"], str(z["occupied"]), str(z["target"]), str(z["visited"]),
                          str(z["visits"]), "yes" if z["met"] else "no")  # fmt: skip
        out.print(table)


@survey_app.command("stats")
def survey_stats(
    site: Site,
    ref: Annotated[str, typer.Option("--ref", help="The survey's survey_ref")],
    xlsx: Annotated[Path | None, typer.Option(help="Also write the statistics as XLSX")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """A survey's statistics per question and overall (R11.9), never the follow-up's."""
    reply = call_desk(nats_url, subjects.query(site, "survey.stats"), {"survey_ref": ref}, as_json)
    if xlsx is not None:
        from propdesk.report_files.surveys import render_survey

        xlsx.write_bytes(render_survey(reply))
        err.print(f"wrote {xlsx}", soft_wrap=True)
    if as_json:
        return
    out.print(f"{reply['title']} ({reply['first_day']} – {reply['last_day']}): "
              f"{reply['responses']}/{reply['households']} households, "
              f"satisfaction {reply['satisfaction_rate']}")  # fmt: skip
    table = Table()
    for column in ("question", "answers", "distribution", "mean", "satisfied", "rate"):
        table.add_column(column)
    for q in reply["questions"]:
        spread = " ".join(f"{s}:{n}" for s, n in q["distribution"].items())
        table.add_row(q["text"], str(q["answers"]), spread, str(q["mean"]), str(q["satisfied"]),
                      str(q["satisfaction_rate"]))  # fmt: skip
    out.print(table)
