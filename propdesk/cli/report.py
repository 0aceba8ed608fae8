"""`propdesk report monthly|weekly|quality`: ask the reporting service for a report
(docs/REPORTS.md) and write it as XLSX, CSV, JSON and HTML files (propdesk.report_files)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from propdesk import report_files
from propdesk.cli.common import AsJson, NatsUrl, Staff, call_desk, err, out, send_command
from propdesk.report_files.headline import headline
from shared.contracts.base import YEAR
from shared.messaging import subjects

report_app = typer.Typer(
    no_args_is_help=True,
    help="Report files: a site's monthly and weekly summaries, the company quality pack.",
)

MONTH_RE = re.compile(rf"{YEAR}-(0[1-9]|1[0-2])")  # as the contract: ASCII digits, 1970–2999
WEEK_RE = re.compile(rf"({YEAR})-W([0-5][0-9])")


def _month(value: str) -> str:
    found = MONTH_RE.fullmatch(value.strip())
    if not found:
        raise typer.BadParameter(f"{value!r} is not a month: use YYYY-MM (1970–2999), e.g. 2026-10")
    return found[0]


def _week(value: str) -> str:
    found = WEEK_RE.fullmatch(value.strip().upper())
    try:
        if not found:
            raise ValueError
        date.fromisocalendar(int(found[1]), int(found[3]), 1)  # W53 only in long years
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO week: use YYYY-Www (1970–2999), e.g. 2026-W44"
        ) from None
    return found[0]


def _site(value: str) -> str:
    if value == "company":
        raise typer.BadParameter("'company' is reserved: use `propdesk report quality`")
    if not subjects.is_valid_site(value):
        raise typer.BadParameter(f"{value!r} is not a site id (lower-case letters, digits, -)")
    return value


def _formats(values: list[str] | None) -> list[str]:
    chosen: list[str] = []
    for value in values or [",".join(report_files.FORMATS)]:
        for fmt in value.split(","):
            fmt = fmt.strip().lower()
            if fmt not in report_files.FORMATS:
                raise typer.BadParameter(
                    f"unknown format {fmt!r}; one of {', '.join(report_files.FORMATS)}"
                )
            if fmt not in chosen:
                chosen.append(fmt)
    return chosen


Site = Annotated[
    str,
    typer.Option("--site", "-s", envvar="PROPDESK_SITE", callback=_site, help="Site id"),
]
Month = Annotated[str, typer.Option("--month", callback=_month, help="YYYY-MM, e.g. 2026-10")]
Week = Annotated[str, typer.Option("--week", callback=_week, help="YYYY-Www, e.g. 2026-W44")]
Formats = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        callback=_formats,
        help="xlsx, csv, json, html: repeat it or give a comma list (default: all four)",
    ),
]
OutDir = Annotated[Path, typer.Option("--out", help="Where the files are written")]
DEFAULT_OUT = Path("var/reports")


def _produce(
    kind: str,
    site: str,
    period: dict[str, str],
    formats: list[str] | None,
    out_dir: Path,
    url: str | None,
    as_json: bool,
) -> None:
    """Ask for the report of a site (or the company) for a period ({"month": …} or
    {"week": …}), write its files <site>-<period>-<kind>.* (default: every format) and say
    what it found."""
    formats = formats or list(report_files.FORMATS)
    name = f"{site}-{next(iter(period.values()))}-{kind}"
    reply = call_desk(url, subjects.query(site, f"report.{kind}"), period, as_json)
    report = reply.get("report")
    if not isinstance(report, dict):
        err.print("[red]error:[/red] the reply carries no report")
        raise typer.Exit(1)
    try:
        paths = report_files.write(kind, report, out_dir, formats, name=name)
    except OSError as exc:
        err.print(f"[red]cannot write the report files:[/red] {exc}")
        raise typer.Exit(1) from None
    if as_json:  # stdout holds the reply alone
        for path in paths:
            err.print(f"wrote {path}", soft_wrap=True)
        return
    table = Table(title="Report files written")
    table.add_column("format", no_wrap=True)
    table.add_column("file", overflow="fold")
    table.add_column("bytes", justify="right", no_wrap=True)
    for fmt, path in zip(formats, paths, strict=True):
        table.add_row(fmt, str(path), f"{path.stat().st_size:,}")
    out.print(table)
    out.print(headline(kind, report))


@report_app.command("monthly")
def report_monthly(
    site: Site,
    month: Month,
    formats: Formats = None,
    out_dir: OutDir = DEFAULT_OUT,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """A site's monthly summary 《客户投诉(建议、咨询)月汇总表》: <site>-<month>-monthly.*"""
    _produce("monthly", site, {"month": month}, formats, out_dir, nats_url, as_json)


@report_app.command("weekly")
def report_weekly(
    site: Site,
    week: Week,
    formats: Formats = None,
    out_dir: OutDir = DEFAULT_OUT,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """A site's weekly summary of complaints and suggestions: <site>-<week>-weekly.*"""
    _produce("weekly", site, {"week": week}, formats, out_dir, nats_url, as_json)


@report_app.command("quality")
def report_quality(
    month: Month,
    formats: Formats = None,
    out_dir: OutDir = DEFAULT_OUT,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """The company quality pack: every site side by side, six-month trends, what got worse:
    company-<month>-quality.*"""
    _produce("quality", subjects.COMPANY, {"month": month}, formats, out_dir, nats_url, as_json)


@report_app.command("analysis")
def report_analysis(
    site: Site,
    month: Month,
    staff: Staff,
    cause: Annotated[str, typer.Option(help="原因分析 cause analysis")],
    lessons: Annotated[str, typer.Option(help="经验教训总结 lessons learned")],
    actions: Annotated[str, typer.Option(help="整改措施 corrective actions")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Attach the month's cause analysis, lessons and corrective actions (R12.2); again revises."""
    body = {"month": month, "cause": cause, "lessons": lessons, "actions": actions,
            "staff_id": staff}  # fmt: skip
    reply = send_command(nats_url, site, "attach_analysis", body, as_json)
    if not as_json:
        out.print(f"{site} {month}: analysis attached (revision {reply['revision']})")
