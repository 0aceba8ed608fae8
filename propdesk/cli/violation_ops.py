"""`propdesk violation retention|erase`, as ops: the retention of violation records (R14.8) and
the erasure of an offender's data by deleting the case's key (docs/VIOLATIONS.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from propdesk.cli.common import AsJson, NatsUrl, Site, call_desk, out, out_whole
from shared.messaging import subjects

Case = Annotated[str, typer.Argument(help="The case's client_ref or id")]


def retention(
    site: Site,
    apply: Annotated[
        bool, typer.Option("--apply", help="Remove them (default: only list)")
    ] = False,
    erase: Annotated[
        bool, typer.Option("--erase", help="With --apply: erase their offenders' data too")
    ] = False,
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today)")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """As ops: the closed cases past their retention (1 year general, 5 major, R14.8); with
    --apply, removed from the views (their events stay on DESK)."""
    if erase and not apply:
        raise typer.BadParameter("--erase needs --apply", param_hint="--erase")
    body = {"site": site, "apply": apply, "erase": erase} | ({"as_of": as_of} if as_of else {})
    reply = call_desk(nats_url, subjects.ops("intake", "violation_retention"), body, as_json)
    if as_json:
        return
    done = "removed" if reply["applied"] else "past retention (not removed: --apply)"
    for c in reply["cases"]:
        out_whole.print(f"{done}: {c['client_ref']} {c['violation_class']} closed "
                        f"{c['closed_on']}, removable {c['removable_on']}")  # fmt: skip
    out.print(f"{len(reply['cases'])} {done}; {reply['kept']} closed case(s) kept, as of "
              f"{reply['as_of']}")  # fmt: skip


def erase(case: Case, site: Site, nats_url: NatsUrl = None, as_json: AsJson = False) -> None:
    """As ops, where the law asks for it: erase a case's offender (name, phone) by deleting the
    case's key (crypto-shredding). The case and its events stay."""
    body = {"site": site, "case": case}
    reply = call_desk(nats_url, subjects.ops("intake", "violation_erase"), body, as_json)
    if not as_json:
        held = "key deleted" if reply["key_deleted"] else "it held no offender's data"
        out_whole.print(f"erased the offender of {reply['client_ref']} ({held})")
