"""`propdesk console`: the web console's accounts, for the operator of the hub (the console itself
is `propdesk up` or `propdesk serve console`; docs/CONSOLE.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from propdesk.cli.common import err_whole as err
from propdesk.cli.common import out_whole as out
from services.console.adapters.account_store import AccountStore
from services.console.domain.accounts import FIRST_RUN_PASSWORD
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
    """Forget a member of staff's password and end their sessions: they sign in once more with
    the first-run password and choose a new one."""
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
        had = store.forget(site, staff)
    finally:
        store.close()
    state = "password forgotten" if had else "had not chosen a password yet"
    out.print(f"{site} {staff}: {state}; sign in with the first-run password {FIRST_RUN_PASSWORD}")
