"""`propdesk backup` of a running `up`, `propdesk restore` into an empty data directory, and
`up` on the restored directory: the same tickets, numbers and work orders, the view equal to a
rebuild of the restored DESK, and the next report gets the next number, not a duplicate."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from shared.kernel.settings import Settings
from shared.messaging.client import Bus
from shared.messaging.identity import OPS
from shared.messaging.natsd import free_port
from shared.messaging.subjects import OPS_REPORTING_CHECKSUM, STREAM
from tests.e2e.conftest import PROPDESK, Process
from tests.e2e.test_propdesk_up import call, contact
from tests.postgres import STORES, TestPostgres, as_env

pytestmark = pytest.mark.e2e


def run(
    *args: str, data_dir: Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PROPDESK_DATA_DIR": str(data_dir)} | (env or {})
    return subprocess.run(
        [PROPDESK, *args], capture_output=True, text=True, timeout=timeout, env=env
    )


async def settled(url: str, var: Path) -> int:
    """DESK's last sequence once nothing more arrives and the view reflects all of it."""
    last = -1
    for _ in range(200):
        async with Bus(url, Settings(data_dir=var)) as bus:
            ops = await bus.connection(OPS)
            now = (await ops.jetstream().stream_info(STREAM)).state.last_seq
            view = await bus.request(OPS_REPORTING_CHECKSUM, {"projection": "tickets"})
        if now == last and view.get("position") == now:
            return now
        last = now
        await asyncio.sleep(0.3)
    raise AssertionError("DESK never settled")


async def listing(url: str, var: Path) -> list[dict[str, Any]]:
    """hbw's tickets as ticket.get shows them: state, history, work orders, service levels."""
    await settled(url, var)
    reply = await call(url, var, "desk.qry.hbw.ticket.list", {"limit": 50})
    shown = []
    for row in reply["tickets"]:
        query = {"ticket_id": row["ticket_id"]}
        shown.append((await call(url, var, "desk.qry.hbw.ticket.get", query))["ticket"])
    return shown


@pytest.mark.parametrize("persistence", STORES)
async def test_a_backup_restored_into_an_empty_directory_serves_the_same_desk(
    tmp_path: Path,
    persistence: str,
    store_settings: dict[str, Any],
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On PostgreSQL the writers' schemas are dumped while they are held, and restored into
    another, empty database (its hub a new data directory as on SQLite)."""
    for name, value in as_env(store_settings).items():  # PostgreSQL: the first hub's database
        monkeypatch.setenv(name, value)
    var, port = tmp_path / "var", free_port()
    url = f"nats://127.0.0.1:{port}"
    first = Process("up", "--data-dir", str(var), "--nats-port", str(port))
    try:
        first.wait_ready()
        report = "desk.cmd.hbw.intake.report"
        reported = [await call(url, var, report, contact(f"b-{n}")) for n in range(3)]  # repairs
        complaint = contact("b-c") | {"kind": "complaint", "category": "noise"}
        reported.append(await call(url, var, report, complaint))
        assert all(r["ok"] for r in reported), reported
        resolve = {"ticket_id": reported[3]["ticket_id"], "staff_id": "HB-S01"}
        # classified (R6.2) and its solution accepted by the customer (R6.9) before it is resolved
        for verb, fields in (("classify", {"validity": "valid", "severity": "minor"}),
                             ("accept_solution", {"solution": "协调楼上住户"})):  # fmt: skip
            assert (await call(url, var, f"desk.cmd.hbw.intake.{verb}", resolve | fields))["ok"]
        resolve["resolution"] = "已协调"
        assert (await call(url, var, "desk.cmd.hbw.intake.resolve", resolve))["ok"]
        revoked = run("credentials", "revoke", "site-xh-tower", data_dir=var)
        assert revoked.returncode == 0, revoked.stderr
        before = await listing(url, var)

        made = run("backup", str(tmp_path / "backup"), "--nats-url", url, data_dir=var)
        assert made.returncode == 0, made.stderr + made.stdout
    finally:
        assert first.stop() == 0

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert {
        "keys/intake.key", "credentials/ops.nk",
        "console/accounts.sqlite3",  # the web console's staff passwords (hashed)
    } <= set(manifest["files"])  # fmt: skip
    assert (tmp_path / "backup").stat().st_mode & 0o077 == 0  # nobody else may read it

    if persistence == "postgres":
        assert "stores/postgres.dump" in manifest["files"] and manifest["persistence"] == "postgres"
        server: TestPostgres = request.getfixturevalue("postgres_server")
        second_db = server.database()
        request.addfinalizer(lambda: server.drop(second_db["postgres_dbname"]))
        for name, value in as_env(second_db).items():  # the restored hub's own database
            monkeypatch.setenv(name, value)
        wrong = run("restore", str(tmp_path / "backup"), data_dir=tmp_path / "elsewhere",
                    env={"PROPDESK_PERSISTENCE": "sqlite"})  # fmt: skip
        assert wrong.returncode == 1 and "PROPDESK_PERSISTENCE=postgres" in wrong.stderr
        assert not (tmp_path / "elsewhere").exists()
    else:
        assert "stores/intake.sqlite3" in manifest["files"]
    new, port2 = tmp_path / "restored", free_port()
    restored = run("restore", str(tmp_path / "backup"), "--data-dir", str(new), data_dir=new)
    assert restored.returncode == 0, restored.stderr + restored.stdout
    url2 = f"nats://127.0.0.1:{port2}"
    second = Process("up", "--data-dir", str(new), "--nats-port", str(port2))
    try:
        second.wait_ready()
        after = await listing(url2, new)
        verified = run("verify", "tickets", "--nats-url", url2, data_dir=new)
        nxt = await call(url2, new, "desk.cmd.hbw.intake.report", contact("after-restore"))
        again = await call(url2, new, "desk.cmd.hbw.intake.report", contact("b-0"))
    finally:
        assert second.stop() == 0
    if persistence == "postgres":  # the restored database is in use now: never overwritten
        twice = run("restore", str(tmp_path / "backup"), data_dir=tmp_path / "twice")
        assert twice.returncode == 1 and "already holds" in twice.stderr, twice.stderr
        assert not (tmp_path / "twice").exists()

    assert len(before) == 4 and all(t["work_orders"] for t in before if t["kind"] == "repair")
    assert after == before  # the same tickets, numbers, states, work orders and clocks
    assert verified.returncode == 0, verified.stderr + verified.stdout
    numbers = {t["ticket_no"] for t in before}
    assert nxt["ok"] and nxt["ticket_no"] not in numbers
    assert nxt["ticket_no"].endswith("-0005")  # the next number, not one already told
    assert again["duplicate"] and again["ticket_no"] == reported[0]["ticket_no"]  # receipts kept
    assert (new / "credentials" / "site-hbw.nk").read_bytes() == (
        var / "credentials" / "site-hbw.nk"
    ).read_bytes()  # the site offices' files still valid
    assert not (new / "credentials" / "site-xh-tower.nk").exists()  # and a revoked one stays so
    assert (new / "console" / "accounts.sqlite3").exists()


def test_restore_refuses_a_directory_that_is_not_empty_or_a_backup_that_does_not_check(
    tmp_path: Path,
) -> None:
    (tmp_path / "backup").mkdir()
    files = {"desk.jsonl": {"bytes": 1, "sha256": "0"}}
    manifest = {"format": 1, "files": files, "desk": {"last_seq": 0}}
    (tmp_path / "backup" / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "backup" / "desk.jsonl").write_text("tampered\n")
    refused = run("restore", str(tmp_path / "backup"), "--data-dir", str(tmp_path / "new"),
                  data_dir=tmp_path / "new")  # fmt: skip
    assert refused.returncode == 1
    assert not (tmp_path / "new").exists()  # nothing written


def test_a_backup_that_cannot_reach_nats_leaves_nothing_and_can_be_run_again(
    tmp_path: Path,
) -> None:
    """A mistyped --nats-url: `backup` exited 3 and left the target with copies of reporting's
    views and no manifest, so the same command, corrected, was refused ("is not empty") and a
    half backup sat there looking like one."""
    var, target = tmp_path / "var", tmp_path / "backup"
    up = Process("up", "--data-dir", str(var), "--nats-port", str(port := free_port()))
    try:
        up.wait_ready()
        away = f"nats://127.0.0.1:{free_port()}"
        failed = run("backup", str(target), "--nats-url", away, data_dir=var)
        kept = target.exists()
        again = run("backup", str(target), "--nats-url", f"nats://127.0.0.1:{port}", data_dir=var)
    finally:
        up.stop()

    assert failed.returncode == 3, failed.stderr
    assert not kept  # nothing written
    assert again.returncode == 0, again.stderr
    assert (target / "manifest.json").exists()
