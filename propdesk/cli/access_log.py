"""`propdesk access-log`: the refused looks at residents' contact details (R15.2, R15.3) — a
ticket's reporters, or a missed call's number (a promise, R2.6) — as ops reads them from intake
(desk.ops.intake.access_log)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from propdesk.cli.common import AsJson, NatsUrl, call_desk, site_zone
from propdesk.cli.common import out_whole as out
from shared.kernel.local_time import TableTimes
from shared.messaging import subjects


def access_log(
    site: Annotated[str, typer.Option("--site", "-s", help="Site id")],
    month: Annotated[str, typer.Option(help="YYYY-MM, the site's local month")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """The refused looks at residents' contact details of a site's month (R15.2, R15.3), as ops:
    who asked, for which ticket or missed call (promise), why, and why it was refused."""
    body = {"site": site, "month": month}
    reply = call_desk(nats_url, subjects.OPS_INTAKE_ACCESS_LOG, body, as_json)
    if as_json:
        return
    # as the site's people read it, the zone said once
    times = TableTimes(site_zone(site), [r["at"] for r in reply["refused"]])
    title = f"Refused looks at contact details, {site} {month}"
    table = Table(title=title, caption=times.caption)
    for column in ("at", "staff", "role", "ticket or promise", "purpose", "reason"):
        table.add_column(column)
    for r in reply["refused"]:
        table.add_row(times(r["at"]), r["staff_id"], r["role"] or "(not on the list)",
                      _asked(r), r["purpose"], r["reason"])  # fmt: skip
    out.print(table)


def _asked(refused: dict[str, str | None]) -> str:
    """What the refused look was at: the ticket, the promise, or a name the site does not have."""
    if refused.get("promise_id"):
        return f"promise {refused['promise_id']}"
    return refused["ticket_id"] or "(not found)"
