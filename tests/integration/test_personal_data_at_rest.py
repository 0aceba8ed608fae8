"""Residents' names and phones are encrypted at rest in intake's store (R15.1): `strings
intake.sqlite3` shows none of them, a store written before encryption is still read and is
encrypted by `propdesk keys rotate`, which waits for intake to stop."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from propdesk.cli.main import app as cli
from services.intake.application import IntakeApp
from shared.contracts.commands import LinkContact, ReportContact, RevealContact
from shared.eventstore.desk_app import CommandContext
from shared.eventstore.keyring import KeyRing
from shared.eventstore.store import persistence_env, store_env
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from tests.integration.support import START, Desk, report_body
from tests.postgres import STORES, as_env

pytestmark = pytest.mark.integration

NAME, PHONE = "李四", "13912345678"
LATER_NAME, LATER_PHONE = "赵六", "13655556666"
REPORTER = {"name": NAME, "phone": PHONE, "room": "5-302"}
CTX = CommandContext("hbw", "corr-1")


def found_in_files(paths: list[Path], *secrets: str) -> set[str]:
    """Which secrets appear anywhere in the raw bytes of the files: as UTF-8, or JSON-escaped."""
    raw = b"".join(path.read_bytes() for path in paths)
    forms = {s: (s.encode(), json.dumps(s).strip('"').encode()) for s in secrets}
    return {s for s, encodings in forms.items() if any(e in raw for e in encodings)}


def intake_files(data_dir: Path) -> list[Path]:
    return [
        p for p in (data_dir / n for n in ("intake.sqlite3", "intake.sqlite3-wal")) if p.exists()
    ]


def stored_records(data_dir: Path) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(data_dir / "intake.sqlite3")) as db:
        return db.execute("SELECT * FROM stored_events ORDER BY rowid").fetchall()


def keys(*args: str) -> Any:
    return CliRunner().invoke(cli, ["keys", *args])


async def test_no_store_holds_a_reporters_name_or_phone_not_even_in_a_reply_kept_for_retries(
    desk: Desk, services, settings: Settings
) -> None:
    t = await desk.command("hbw", "report", report_body(reporter=REPORTER))
    await desk.command(
        "hbw",
        "link",
        {"ticket_id": t["ticket_id"], "staff_id": "S01", "channel": "visit",
         "content": "家人来访", "reporter": {"name": LATER_NAME, "phone": LATER_PHONE}},
    )  # fmt: skip
    # the reply to reveal_contact, names and phones, is kept as the command's receipt
    ask = {"ticket_id": t["ticket_id"], "staff_id": "S05", "purpose": "回访", "command_id": "rv-1"}
    revealed = await desk.command("hbw", "reveal_contact", ask)
    await desk.ticket("hbw", t["ticket_id"], version=3)  # relayed, and seen by the others

    intake = intake_files(settings.data_dir)
    every_store = sorted(settings.data_dir.glob("*.sqlite3*"))

    assert [(r["name"], r["phone"]) for r in revealed["reporters"]] == [
        (NAME, PHONE),
        (LATER_NAME, LATER_PHONE),
    ]  # intake holds them, and reads them
    assert [p.name for p in intake] == ["intake.sqlite3", "intake.sqlite3-wal"]
    assert found_in_files(every_store, NAME, PHONE, LATER_NAME, LATER_PHONE) == set()
    assert (settings.data_dir / "keys" / "intake.key").exists()


def test_a_store_written_before_encryption_is_read_and_holds_no_plaintext_after_rotation(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "var"
    settings = Settings(data_dir=data_dir)
    # 1. the store as an earlier PropDesk wrote it: no key
    plain = {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
             "SQLITE_DBNAME": str(data_dir / "intake.sqlite3")}  # fmt: skip
    data_dir.mkdir()
    before = IntakeApp(plain, FixedClock(START), SiteDirectory(strict=False))
    ticket = before.execute(CTX, ReportContact.model_validate(report_body(reporter=REPORTER)))
    reveal = {"ticket_id": ticket["ticket_id"], "staff_id": "S05", "purpose": "回访"}
    before.execute(CTX, RevealContact.model_validate(reveal | {"command_id": "rv-1"}))
    before.close()
    assert found_in_files(intake_files(data_dir), NAME, PHONE) == {NAME, PHONE}

    # 2. upgraded: a key file is made, the old records are read, new ones are encrypted
    upgraded = IntakeApp(
        store_env(settings, "intake"), FixedClock(START), SiteDirectory(strict=False)
    )
    upgraded.execute(
        CTX,
        LinkContact.model_validate(
            {"ticket_id": ticket["ticket_id"], "staff_id": "S01", "channel": "visit",
             "content": "家人来访", "reporter": {"name": LATER_NAME, "phone": LATER_PHONE}}
        ),
    )  # fmt: skip
    both = upgraded.execute(CTX, RevealContact.model_validate(reveal))
    upgraded.close()
    assert [r["name"] for r in both["reporters"]] == [NAME, LATER_NAME]

    # 3. rotated: every record under a new key, no plaintext left in the file or its WAL
    rotated = keys("rotate", "intake", "--data-dir", str(data_dir))

    assert rotated.exit_code == 0, rotated.output
    assert found_in_files(intake_files(data_dir), NAME, PHONE, LATER_NAME, LATER_PHONE) == set()
    after = IntakeApp(store_env(settings, "intake"), FixedClock(START), SiteDirectory(strict=False))
    again = after.execute(CTX, RevealContact.model_validate(reveal))
    retried = after.execute(CTX, RevealContact.model_validate(reveal | {"command_id": "rv-1"}))
    after.close()
    assert [r["name"] for r in again["reporters"]] == [NAME, LATER_NAME]
    assert [r["name"] for r in retried["reporters"]] == [NAME]  # the receipt, re-encrypted

    # 4. the key made at the upgrade encrypts nothing now, and is retired
    ring = KeyRing.parse((data_dir / "keys" / "intake.key").read_text())
    assert len(ring.keys) == 2
    status = keys("status", "intake", "--data-dir", str(data_dir))
    assert "plaintext" not in status.output and ring.ids[0] in status.output
    assert keys("retire", "intake", "--data-dir", str(data_dir)).exit_code == 0
    assert KeyRing.parse((data_dir / "keys" / "intake.key").read_text()).keys == ring.keys[:1]


def test_rotation_is_refused_while_intake_holds_its_store_and_changes_nothing(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path)
    running = IntakeApp(
        store_env(settings, "intake"), FixedClock(START), SiteDirectory(strict=False)
    )
    running.execute(CTX, ReportContact.model_validate(report_body(reporter=REPORTER)))
    key_file = tmp_path / "keys" / "intake.key"
    ring_before, records_before = key_file.read_text(), stored_records(tmp_path)
    try:
        refused = keys("rotate", "intake", "--data-dir", str(tmp_path))
    finally:
        running.close()

    assert refused.exit_code == 1
    assert "in use by another process" in refused.output
    assert key_file.read_text() == ring_before
    assert stored_records(tmp_path) == records_before


async def test_intake_with_a_key_that_cannot_read_its_store_refuses_to_start(
    tmp_path: Path, nats_server
) -> None:
    from services.intake.entrypoint import IntakeService
    from shared.eventstore.store import StoreUnreadable

    settings = Settings(data_dir=tmp_path)
    written = IntakeApp(
        store_env(settings, "intake"), FixedClock(START), SiteDirectory(strict=False)
    )
    written.execute(CTX, ReportContact.model_validate(report_body(reporter=REPORTER)))
    written.close()
    [lost] = KeyRing.parse((tmp_path / "keys" / "intake.key").read_text()).ids
    (tmp_path / "keys" / "intake.key").unlink()  # lost: a new key file is made, and cannot read
    service = IntakeService(settings, FixedClock(START))

    with pytest.raises(StoreUnreadable, match=f"encrypted with key {lost}"):
        await asyncio.wait_for(service.start(nats_server.url), timeout=10)

    await service.stop()
    assert service.nc is None  # it never went on the bus


@pytest.mark.parametrize("persistence", STORES)
def test_rotation_reaches_every_record_however_many_pages_the_store_has(
    tmp_path: Path, monkeypatch, store_settings
) -> None:
    from shared.eventstore import rekey

    settings = Settings(data_dir=tmp_path, **store_settings)
    for name, value in as_env(store_settings).items():  # `propdesk keys` reads them
        monkeypatch.setenv(name, value)
    app = IntakeApp(store_env(settings, "intake"), FixedClock(START), SiteDirectory(strict=False))
    for n in range(25):  # 25 tickets, their counter events and a snapshot of the counter
        app.execute(CTX, ReportContact.model_validate(report_body(f"r-{n}", command_id=f"c-{n}")))
    app.close()
    monkeypatch.setattr(rekey, "PAGE", 7)

    assert keys("rotate", "intake", "--data-dir", str(tmp_path)).exit_code == 0

    [current, _] = KeyRing.parse((tmp_path / "keys" / "intake.key").read_text()).ids
    stored = rekey.census("intake", persistence_env(settings, "intake"))
    # 25 tickets, 25 receipts, a counter of 26 events, 25 entries of the ticket-number index
    assert dict(stored.events) == {current: 101}
    assert dict(stored.snapshots) == {current: 1}
