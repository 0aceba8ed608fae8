"""Times as a person reads them: in the site's zone, to the minute, and saying which zone
("2026-12-05 15:05 (UTC+08:00)"). The bus and the stores keep aware times in any offset (mostly
UTC); whatever shows a time to a person (the CLI, reports, workbooks) goes through `shown`."""

from __future__ import annotations

from datetime import datetime, tzinfo


def offset_label(when: datetime) -> str:
    """The UTC offset of an aware time, as "UTC+08:00" (or "UTC+00:00")."""
    offset = when.utcoffset()
    if offset is None:
        raise ValueError("a time shown to a person must be timezone-aware")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def shown(when: datetime | str, zone: tzinfo | None = None) -> str:
    """`when` in `zone` (the site's; None keeps its own offset), to the minute, with its offset:
    "2026-12-05 15:05 (UTC+08:00)". An ISO 8601 string is read first."""
    moment = datetime.fromisoformat(when) if isinstance(when, str) else when
    local = moment.astimezone(zone) if zone is not None else moment
    return f"{local:%Y-%m-%d %H:%M} ({offset_label(local)})"


def shown_or_blank(when: datetime | str | None, zone: tzinfo | None = None) -> str:
    """`shown`, or "" for a missing time (a table's empty cell)."""
    return shown(when, zone) if when else ""
