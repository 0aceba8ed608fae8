"""`propdesk console`: the web console's accounts, for the operator of the hub (the console itself
is `propdesk up` or `propdesk serve console`; docs/CONSOLE.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from propdesk.cli.common import err_whole as err
from propdesk.cli.common import out_whole as out
from services.console.adapters.account_store import AccountStore
from services.console.application.password_resets import issue_one_time_password
from services.console.domain.password_reset import HUB_OPERATOR, shown
from shared.kernel.clock import SystemClock
from shared.kernel.local_time import shown as shown_time
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory

console_app = typer.Typer(no_args_is_help=True, help="The web console's staff accounts.")

DataDir = Annotated[
    Path, typer.Option(envvar="PROPDESK_DATA_DIR", help="The console's data directory")
]


@console_app.command("reset-password")
def reset_password(
    site: Annotated[str, typer.Option(envvar="PROPDESK_SITE", help="The site")],
    staff: Annotated[str, typer.Option(help="The staff id (工号) whose password is forgotten")],
    data_dir: DataDir = Path("var"),
) -> None:
    """Reset a member of staff's forgotten password: their password and sessions end and a
    one-time password is printed, once (kept only as a hash). It signs them in once, within 24
    hours, to the page where they choose a new password. The first-run password does NOT work
    for them again: anyone may know it. The reset is recorded as the hub operator's; a site's
    managers reset their staff's passwords in the console (账号管理), the project manager's only
    here."""
    settings = Settings(data_dir=data_dir)
    try:
        sites = SiteDirectory.load(settings.sites_path)
    except (OSError, ValueError) as exc:
        err.print(f"[red]cannot read the site directory:[/red] {exc}")
        raise typer.Exit(1) from None
    config = sites.get(site)
    if config is None or staff not in config.staff:
        err.print(f"[red]{staff} is not on the staff list of {site}[/red]")
        raise typer.Exit(1)
    store = AccountStore(data_dir / "console" / "accounts.sqlite3")
    try:
        issued = issue_one_time_password(store, SystemClock().now(), site, staff, HUB_OPERATOR)
    finally:
        store.close()
    state = "password forgotten" if issued.had_password else "had not chosen a password yet"
    until = shown_time(issued.expires_at, config.zone)
    out.print(f"{site} {staff}: {state}; their sessions ended.")
    out.print(f"one-time password: {shown(issued.password)}", highlight=False)
    out.print(
        f"Tell it to them in person or by phone. It works once, until {until}, and only to "
        "choose a new password. It is not shown again."
    )
