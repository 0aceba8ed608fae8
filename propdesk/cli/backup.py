"""`propdesk backup OUT` and `propdesk restore BACKUP`: propdesk/backup.py and restore.py.

Exit codes: 0 done; 1 refused (an output or data directory not empty, a service that cannot be
held, a backup that does not check); 2 usage; 3 NATS unreachable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any

import typer
from nats.errors import Error as NatsError

from propdesk.backup import BackupError, make_backup
from propdesk.backup_postgres import PostgresCopyError
from propdesk.cli.client import CommandBus, DeskUnavailable
from propdesk.cli.common import DEFAULT_URL, NatsUrl, usage
from propdesk.cli.common import err_whole as err
from propdesk.cli.common import out_whole as out
from propdesk.restore import restore as restore_into
from shared.kernel.clock import SystemClock
from shared.kernel.settings import Settings
from shared.messaging.bus import MissingCredential

DataDir = Annotated[Path, typer.Option(envvar="PROPDESK_DATA_DIR", help="The hub's data directory")]


def backup(
    target: Annotated[Path, typer.Argument(help="A new (or empty) directory for the backup")],
    data_dir: DataDir = Path("var"),
    nats_url: NatsUrl = None,
) -> None:
    """Back up a running hub: the stores (intake, dispatch and escalation held together while
    they are copied; commands wait meanwhile), reporting's views, the stream DESK, the site
    directory, every credential, intake's key and the violation cases' keys. The backup holds
    secrets: keep it as such."""
    if not data_dir.is_dir():
        usage(f"no data directory {data_dir}")
    settings = Settings(data_dir=data_dir)
    code = _run(_backup(nats_url or DEFAULT_URL, settings, target))
    raise typer.Exit(code)


async def _backup(url: str, settings: Settings, target: Path) -> int:
    async with CommandBus(url, settings.data_dir, name="propdesk-backup") as bus:
        manifest = await make_backup(bus, settings, target, SystemClock(), out.print)
    size = sum(f["bytes"] for f in manifest["files"].values())
    out.print(
        f"[green]backed up[/green] {settings.data_dir} into {target}: "
        f"{len(manifest['files'])} files, {size:,} bytes, DESK up to sequence "
        f"{manifest['desk']['last_seq']}. It holds every credential and intake's key: "
        "keep it encrypted, apart from the hub"
    )
    return 0


def restore(
    source: Annotated[Path, typer.Argument(help="The backup's directory")],
    data_dir: DataDir = Path("var"),
) -> None:
    """Restore a backup into a new (or empty) data directory: the files, checked against the
    manifest, then DESK published again on an embedded nats-server of that directory, every
    message at its old sequence. Then start it: `propdesk up --data-dir DIR`."""
    if not source.is_dir():
        usage(f"no backup directory {source}")
    settings = Settings(data_dir=data_dir)
    code = _run(restore_into(source, settings, out.print))
    if code == 0:
        start = f"`propdesk up --data-dir {data_dir}`"
        out.print(f"[green]restored[/green] {source} into {data_dir}: start it with {start}")
    raise typer.Exit(code)


def _run(coro: Coroutine[Any, Any, int]) -> int:
    try:
        asyncio.run(coro)
    except (BackupError, PostgresCopyError) as exc:
        err.print(f"[red]refused:[/red] {exc}")
        return 1
    except (DeskUnavailable, MissingCredential) as exc:  # restore reads the credentials too
        err.print(f"[red]unavailable:[/red] {exc}")
        return 3
    except (OSError, TimeoutError, NatsError) as exc:
        err.print(f"[red]unavailable:[/red] {type(exc).__name__}: {exc or 'no answer in time'}")
        return 3
    return 0
