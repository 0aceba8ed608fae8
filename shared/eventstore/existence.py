"""Which of many aggregate ids the store holds events of, in one query (SQLite, PostgreSQL): what
a batch of commands will look up is asked at once, so that an id not in the store (a report's new
ticket, its number's index entry, a command's receipt) costs no query of its own
(group_commit.py). Another store (eventsourcing's in-memory one) cannot say: None."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Recorder

CHUNK = 500  # ids per query, far below SQLite's limit of bound parameters


def stored_ids(recorder: Recorder, ids: Collection[UUID]) -> set[UUID] | None:
    """The ids among `ids` with at least one stored event; None if the store cannot say."""
    kind = type(recorder).__module__
    recorder_: Any = recorder
    if kind == "eventsourcing.sqlite":
        select = _sqlite
    elif kind == "eventsourcing.postgres" and recorder_.datastore.originator_id_type == "uuid":
        select = _postgres
    else:
        return None
    wanted = list(dict.fromkeys(ids))
    found: set[UUID] = set()
    for start in range(0, len(wanted), CHUNK):
        found |= select(recorder, wanted[start : start + CHUNK])
    return found


def _sqlite(recorder: Any, ids: list[UUID]) -> set[UUID]:
    marks = ",".join("?" * len(ids))
    statement = (
        f"SELECT DISTINCT originator_id FROM {recorder.events_table_name} "
        f"WHERE originator_id IN ({marks})"
    )
    with recorder.datastore.transaction(commit=False) as c:
        c.execute(statement, [i.hex for i in ids])
        return {UUID(str(row["originator_id"])) for row in c.fetchall()}


def _postgres(recorder: Any, ids: list[UUID]) -> set[UUID]:
    from psycopg.sql import SQL, Identifier

    statement = SQL(
        "SELECT DISTINCT originator_id FROM {schema}.{table} WHERE originator_id = ANY(%s)"
    ).format(
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name),
    )
    with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(statement, [ids])
        return {UUID(str(row["originator_id"])) for row in curs.fetchall()}
