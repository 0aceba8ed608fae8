"""A mend for psycopg's pipeline mode (psycopg 3.3.9, the binary and the Python implementations),
which eventsourcing's PostgreSQL recorder writes every transaction through.

`Pipeline.sync()` sends what is queued (`pipeline_communicate`), then waits for the results
without flushing again. When the queued statements are more than the socket takes at once (a
transaction of a few hundred events: 500 events of 3 KB hung every time on this machine), the
last `flush()` leaves part of them in libpq's output buffer and the loop ends all the same; the
server waits for the rest (`ClientRead`), the client for results that cannot come, forever — and
the service's writer with it, holding the store's write lock (found by bench.scale's
`up-postgres`: escalation stopped applying DESK after a load of 200 reports/s).

The mend: after each exchange, send what is left before waiting for results (psycopg's own
`send`, which flushes until the buffer is empty, reading meanwhile so the server never blocks
on its output). `tests/integration/test_postgres_store.py` holds it: a transaction of 600 events
of 3 KB is recorded within seconds.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

_mended = False


def mend() -> None:
    """Apply the mend once (PostgreSQL only: psycopg is imported here, not by SQLite users)."""
    global _mended
    if _mended:
        return
    from psycopg import _pipeline_base

    communicate = _pipeline_base.BasePipeline._communicate_gen
    send = _pipeline_base.send

    def _communicate_gen(self: Any) -> Generator[Any, Any, None]:
        yield from communicate(self)
        yield from send(self.pgconn)  # what the last flush left in libpq's buffer

    _pipeline_base.BasePipeline._communicate_gen = _communicate_gen  # type: ignore[method-assign]
    _mended = True
